#include "trace/tracepointids.h"

#include "base/fd.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace mountlab::trace {

namespace {

constexpr const char* kMountedTracefs[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

// Async-signal-safe: runs in the forked child too (UniqueFd only calls close).
int read_id(const char* path)
{
    UniqueFd fd(open(path, O_RDONLY | O_CLOEXEC));
    if (!fd)
        return -1;
    char buf[32];
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    fd.reset();
    if (n <= 0)
        return -1;
    int id = 0;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
        id = id * 10 + (buf[i] - '0');
    return id;
}

std::vector<std::string> id_paths(const std::string& root, const std::vector<std::string>& names)
{
    std::vector<std::string> paths;
    paths.reserve(names.size());
    for (const std::string& n : names)
        paths.push_back(root + "/events/" + n + "/id");
    return paths;
}

bool has_events(const char* root)
{
    struct stat st {};
    return stat((std::string(root) + "/events").c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Child exit codes: which step failed.
enum : int { kChildOk = 0, kUnshare = 10, kPrivate, kMountTracefs, kWrite };

[[noreturn]] void read_ids_in_private_namespace(int out, const std::vector<std::string>& paths)
{
    if (unshare(CLONE_NEWNS) != 0)
        _exit(kUnshare);
    // Private first, so that the tracefs mount below cannot propagate to the real table.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        _exit(kPrivate);
    if (mount("tracefs", kMountedTracefs[0], "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        _exit(kMountTracefs);
    for (const std::string& p : paths) {
        const int id = read_id(p.c_str());
        if (write(out, &id, sizeof id) != static_cast<ssize_t>(sizeof id))
            _exit(kWrite);
    }
    _exit(kChildOk);
}

} // namespace

Result<std::vector<int>> tracepoint_ids(const std::vector<std::string>& names)
{
    std::vector<int> ids(names.size(), -1);
    for (const char* root : kMountedTracefs) {
        if (!has_events(root))
            continue;
        const auto paths = id_paths(root, names);
        for (std::size_t i = 0; i < paths.size(); ++i)
            ids[i] = read_id(paths[i].c_str());
        return ids;
    }

    // Everything the child needs is prepared before fork: it only makes system calls.
    const auto paths = id_paths(kMountedTracefs[0], names);
    auto ends = make_pipe(O_CLOEXEC);
    if (!ends)
        return system_error(ends.error().errnum, "pipe2");
    auto& [reader, writer] = *ends;
    const pid_t pid = fork();
    if (pid < 0)
        return system_error(errno, "fork (tracepoint id reader)");
    if (pid == 0) {
        reader.reset();
        read_ids_in_private_namespace(writer.get(), paths);
    }
    writer.reset();
    auto* dst = reinterpret_cast<char*>(ids.data());
    const std::size_t want = ids.size() * sizeof(int);
    std::size_t got = 0;
    while (got < want) {
        const ssize_t n = read(reader.get(), dst + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    reader.reset();
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != kChildOk || got != want) {
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        const char* step = code == kUnshare        ? "unshare(CLONE_NEWNS)"
                           : code == kPrivate      ? "making / rprivate"
                           : code == kMountTracefs ? "mount tracefs in a private namespace"
                                                   : "reading tracepoint ids";
        return make_error("read tracepoint ids: {} failed in the helper process (status {})", step, code);
    }
    return ids;
}

} // namespace mountlab::trace
