#include "base/atomicfile.h"

#include "base/fd.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mountlab {

namespace {

std::string directory_of(const std::string& path)
{
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// A new file as open(path, O_CREAT) would make it: mode 0666 less the umask
// (mkstemp makes 0600).
int default_mode()
{
    const mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~static_cast<int>(mask);
}

// Writes, flushes, syncs and closes; the first failure's errno, or 0.
int write_and_close(FILE* f, std::string_view text)
{
    int err = 0;
    if (fwrite(text.data(), 1, text.size(), f) != text.size() || fflush(f) != 0 || ferror(f))
        err = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0)
        err = errno;
    if (fclose(f) != 0 && err == 0)
        err = errno;
    return err;
}

} // namespace

Status write_file_atomically(const std::string& path, std::string_view text)
{
    const std::string dir = directory_of(path);
    const size_t slash = path.rfind('/');
    std::string tmp = dir + "/." + (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp.XXXXXX";
    UniqueFd fd(mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd)
        return system_error(errno, fmt::format("create a temporary file for `{}` in `{}`", path, dir));
    auto fail = [&](int err, std::string_view what) {
        unlink(tmp.c_str());
        return system_error(err, fmt::format("{} `{}`", what, path));
    };
    if (fchmod(fd.get(), static_cast<mode_t>(default_mode())) != 0) {
        const int e = errno;
        fd.reset();
        return fail(e, "set the mode of");
    }
    errno = 0;
    FILE* f = fdopen(fd.get(), "w");
    if (!f) {
        const int e = errno;
        fd.reset();
        return fail(e, "write");
    }
    (void)fd.release(); // the FILE closes it now
    if (const int e = write_and_close(f, text))
        return fail(e, "write");
    if (rename(tmp.c_str(), path.c_str()) != 0)
        return fail(errno, "rename the temporary file onto");
    // The rename itself reaches the disk with the directory.
    if (const UniqueFd dfd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); dfd)
        (void)fsync(dfd.get());
    return Ok{};
}

} // namespace mountlab
