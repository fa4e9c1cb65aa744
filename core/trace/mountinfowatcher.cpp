#include "trace/mountinfowatcher.h"

#include "base/textescape.h"
#include "mount/mountinfo.h"

#include <fmt/ranges.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace mountlab::trace {

namespace {

std::uint64_t monotonic_ns()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000u + std::uint64_t(ts.tv_nsec);
}

std::uint64_t mntns_of(pid_t pid)
{
    struct stat st {};
    if (stat(fmt::format("/proc/{}/ns/mnt", pid).c_str(), &st) != 0)
        return 0;
    return st.st_ino;
}

} // namespace

Result<std::unique_ptr<MountinfoWatcher>> MountinfoWatcher::open(pid_t pid, std::string reason)
{
    std::unique_ptr<MountinfoWatcher> w(new MountinfoWatcher());
    w->pid_ = pid;
    w->reason_ = std::move(reason);
    if (Status s = w->reopen(); !s)
        return s.error();
    return w;
}

// The fd is bound to the namespace the process was in when it was opened.
Status MountinfoWatcher::reopen()
{
    fd_.reset();
    const std::string path = fmt::format("/proc/{}/mountinfo", pid_);
    fd_.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd_)
        return system_error(errno, fmt::format("open `{}`", path));
    mntns_ = mntns_of(pid_);
    auto table = read_mountinfo_pid(pid_);
    if (!table)
        return table.error();
    last_ = std::move(table->mounts);
    // The first poll() reports POLLPRI once for the state at open: consume it so that
    // only real changes wake us.
    pollfd p{fd_.get(), POLLPRI, 0};
    (void)::poll(&p, 1, 0);
    return Ok{};
}

MountinfoWatcher::~MountinfoWatcher() = default;

Result<int> MountinfoWatcher::check(const Callback& cb)
{
    if (const std::uint64_t ns = mntns_of(pid_); ns != 0 && ns != mntns_) {
        const std::uint64_t before = mntns_;
        if (Status s = reopen(); !s)
            return s.error();
        cb(MountChangeEvent{pid_, monotonic_ns(), before, mntns_, {}, reason_});
        return 1;
    }
    auto table = read_mountinfo_pid(pid_);
    if (!table)
        return table.error();
    MountDiff d = diff(last_, table->mounts);
    last_ = std::move(table->mounts);
    if (d.empty())
        return 0;
    cb(MountChangeEvent{pid_, monotonic_ns(), mntns_, mntns_, std::move(d), reason_});
    return 1;
}

Result<int> MountinfoWatcher::poll(int timeout_ms, const Callback& cb)
{
    pollfd p{fd_.get(), POLLPRI, 0};
    const int n = ::poll(&p, 1, timeout_ms);
    if (n < 0)
        return errno == EINTR ? Result<int>(0) : Result<int>(system_error(errno, "poll mountinfo"));
    if (n == 0)
        return 0;
    return check(cb);
}

std::string to_text(const MountChangeEvent& e)
{
    std::string out;
    if (e.mntns_before != e.mntns_after)
        out += fmt::format("= mount namespace {} -> {}\n", e.mntns_before, e.mntns_after);
    // Targets, sources and types are whatever the mounting process chose (a newline
    // in one is a real newline once libmount unmangles it): escaped, one line each.
    for (const Mount& m : e.diff.added)
        out += fmt::format("+ {} {} {} {}\n", escape_text(m.target), escape_text(m.source_with_root()),
                           escape_text(m.fstype), m.propagation());
    for (const Mount& m : e.diff.removed)
        out += fmt::format("- {} {} {}\n", escape_text(m.target), escape_text(m.source_with_root()),
                           escape_text(m.fstype));
    for (const MountChange& c : e.diff.changed)
        out += fmt::format("~ {} {}\n", escape_text(c.after.target), fmt::join(c.fields, ","));
    return out;
}

} // namespace mountlab::trace
