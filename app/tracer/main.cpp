// mountlab-tracer: the only part of MountLab that runs as root. An unprivileged engine
// (mountlab-cli agent, run by the GUI) starts it through pkexec; it loads the eBPF
// probes, traces the process that started it and every process that one forks from
// then on (the labs), and writes their mount-family calls to stdout as JSON lines.
//
// It takes no arguments and reads nothing: what it traces is fixed by who started it,
// so nothing another process can send it grants more than its caller already has. A
// process that execs a program with other credentials (setuid) stops being traced.
// Output goes through a bounded queue and never blocks: calls past the bound are
// reported as {"kind":"lost","count":N}; sync marks are never dropped.
// The caller's own calls are not reported (but for the sync marks it makes, see
// core/lab/callfeed.h). It ends when the caller exits, when its stdout is closed, or
// on SIGINT/SIGTERM.
#include "base/fd.h"
#include "base/jsonwriter.h"
#include "stream/events.h"
#include "stream/traceevents.h"
#include "trace/syscallevent.h"
#include "trace/tracer.h"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

using namespace mountlab;

constexpr std::string_view kSyncPrefix = "/.mountlab-trace-sync/";

bool write_line(const std::string& line)
{
    const char* p = line.data();
    size_t n = line.size();
    while (n > 0) {
        const ssize_t w = write(1, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

[[noreturn]] void refuse(const std::string& why)
{
    JsonWriter w;
    stream::write_tracer_refused(w, why);
    (void)write_line(std::string(w.view()) + "\n");
    fmt::print(stderr, "mountlab-tracer: {}\n", why);
    std::exit(1);
}

// The user who asked: pkexec says who ran it; run directly, it is our real uid.
uid_t caller_uid()
{
    if (const char* s = std::getenv("PKEXEC_UID")) {
        char* end = nullptr;
        errno = 0;
        const unsigned long v = std::strtoul(s, &end, 10);
        if (errno != 0 || end == s || *end != '\0' || v > 0xFFFFFFFEul)
            refuse(fmt::format("PKEXEC_UID `{}` is not a uid", s));
        return static_cast<uid_t>(v);
    }
    return getuid();
}

// The real uid of a process, from /proc/PID/status ("Uid:\treal\teffective...").
long real_uid_of(pid_t pid)
{
    const std::string path = fmt::format("/proc/{}/status", pid);
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return -1;
    char buf[8192];
    const ssize_t n = read(fd.get(), buf, sizeof buf - 1);
    fd.reset();
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char* uid = strstr(buf, "\nUid:");
    return uid ? std::strtol(uid + 5, nullptr, 10) : -1;
}

// The lines waiting for the reader, bounded.
class Output {
public:
    static constexpr size_t kBound = 8u << 20;

    void call(const trace::SyscallEvent& e)
    {
        if (pending_.size() > kBound) {
            ++lost_;
            return;
        }
        note_lost();
        JsonWriter w;
        // The strace form too: the engine shows it as is.
        stream::write_syscall(w, e, true);
        pending_ += std::string(w.view()) + "\n";
    }
    void sync(const std::string& mark)
    {
        note_lost();
        JsonWriter w;
        stream::write_sync(w, mark);
        pending_ += std::string(w.view()) + "\n";
    }
    [[nodiscard]] bool waiting() const { return !pending_.empty(); }
    // Writes what the reader takes now; false when the reader is gone.
    [[nodiscard]] bool flush()
    {
        while (!pending_.empty()) {
            const ssize_t w = write(1, pending_.data(), pending_.size());
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && errno == EAGAIN)
                return true;
            if (w <= 0)
                return false;
            pending_.erase(0, static_cast<size_t>(w));
        }
        return true;
    }

private:
    void note_lost()
    {
        if (!lost_)
            return;
        pending_ += stream::lost(lost_).dump() + "\n";
        lost_ = 0;
    }

    std::string pending_;
    std::uint64_t lost_ = 0;
};

bool is_sync_mark(const trace::SyscallEvent& e)
{
    if (e.name != "umount2")
        return false;
    const trace::SyscallArg* target = e.arg("target");
    return target && target->kind == trace::SyscallArg::Kind::String &&
           std::string_view(target->text).substr(0, kSyncPrefix.size()) == kSyncPrefix;
}

// The process that started us, once its death is bound to end ours; -1 when it died
// first (checked again after, in case it died before the binding).
pid_t bind_to_caller()
{
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent || parent <= 1)
        return -1;
    return parent;
}

// A pidfd on the caller, refused unless the caller is the user who asked.
UniqueFd watch_caller(pid_t parent)
{
    if (geteuid() != 0)
        refuse("needs root: start it through pkexec (it loads eBPF probes)");
    const uid_t caller = caller_uid();
    UniqueFd parent_fd(static_cast<int>(syscall(SYS_pidfd_open, parent, 0)));
    if (!parent_fd.valid())
        refuse(fmt::format("cannot watch the process that started it (pid {}): {}", parent, strerror(errno)));
    // The process we trace must be the caller's own: pkexec keeps the caller as our
    // parent, so a caller can only ever have its own processes traced.
    if (const long owner = real_uid_of(parent); owner != static_cast<long>(caller))
        refuse(fmt::format("the process that started it (pid {}) belongs to uid {}, not to the caller (uid {})", parent,
                           owner, caller));
    return parent_fd;
}

// SIGINT and SIGTERM end the loop through a signalfd; an inherited "ignore" would
// discard them before the signalfd saw them, so set them to default first.
UniqueFd take_stop_signals()
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, nullptr);
    return UniqueFd(signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK));
}

std::unique_ptr<trace::Tracer> attach_to(pid_t parent)
{
    auto tracer = trace::Tracer::open();
    if (!tracer)
        refuse(tracer.error().message);
    if (Status s = (*tracer)->track(parent); !s)
        refuse(s.error().message);
    return std::move(*tracer);
}

bool say_ready(pid_t parent, const trace::Tracer& tracer)
{
    JsonWriter w;
    stream::write_tracer_ready(w, static_cast<std::int64_t>(parent), static_cast<std::int64_t>(tracer.attached()),
                               tracer.notes());
    return write_line(std::string(w.view()) + "\n");
}

// Until the caller exits, a stop signal, or the reader is gone.
void trace_caller(pid_t parent, const UniqueFd& parent_fd, const UniqueFd& sigfd, trace::Tracer& tracer)
{
    // Output never blocks the loop: lines wait in a bounded queue and go out as the
    // reader takes them, so the caller's exit, SIGTERM and a gone reader are always
    // seen. Past the bound, calls are counted as lost (and said so); sync marks are
    // never dropped, so the engine can always tell where it stands.
    fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
    // (A program that raises its credentials on exec, setuid or setgid, stops being
    // traced in the kernel: see on_exec in bpf/mounttrace.bpf.c.)
    Output out;
    auto on_call = [&](const trace::SyscallEvent& e) {
        if (e.pid == static_cast<std::uint32_t>(parent)) {
            // The caller's own calls are its business, not the lab's: only its marks.
            if (is_sync_mark(e))
                out.sync(e.arg("target")->text);
            return;
        }
        out.call(e);
    };
    for (;;) {
        pollfd fds[4] = {
            {sigfd.get(), POLLIN, 0},
            {parent_fd.get(), POLLIN, 0},
            {tracer.fd(), POLLIN, 0},
            {1, static_cast<short>(out.waiting() ? POLLOUT : 0), 0}}; // POLLERR/POLLHUP: the reader is gone
        if (poll(fds, 4, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if ((fds[0].revents & POLLIN) || (fds[1].revents & POLLIN) || (fds[3].revents & (POLLERR | POLLHUP)))
            return;
        if (fds[2].revents & POLLIN)
            if (!tracer.read_ready(on_call))
                return;
        if (!out.flush())
            return;
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1)
        refuse(fmt::format("takes no arguments (got `{}`): it traces the process that started it and that "
                           "process's children, nothing else",
                           argv[1]));
    const pid_t parent = bind_to_caller();
    if (parent < 0)
        return 1;
    const UniqueFd parent_fd = watch_caller(parent);
    const UniqueFd sigfd = take_stop_signals();
    const std::unique_ptr<trace::Tracer> tracer = attach_to(parent);
    if (!say_ready(parent, *tracer))
        return 1;
    trace_caller(parent, parent_fd, sigfd, *tracer);
    return 0;
}
