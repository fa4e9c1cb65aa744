#include "base/fileio.h"

#include "base/fd.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace mountlab {

Status write_existing_file(const std::string& path, const std::string& text)
{
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        return system_error(errno, fmt::format("open `{}`", path));
    const bool ok = write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int e = errno;
    fd.reset();
    if (!ok)
        return system_error(e, fmt::format("write `{}` to `{}`", text.substr(0, 80), path));
    return Ok{};
}

} // namespace mountlab
