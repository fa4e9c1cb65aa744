// mountlab-cli trace [--all] [--pid PID] [--json] [--duration SECONDS] [-- CMD ARGS...]
//
// Every mount-family and namespace syscall, live, one strace-like line each (or JSON
// lines). With `-- CMD`, CMD is started stopped, tracked before its first
// instruction, and the trace ends when it exits (with its exit status). Without BPF
// (not root, no BTF, probes refused) it says why and reports mount-table changes.
#include "base/fd.h"
#include "base/jsonwriter.h"
#include "base/textescape.h"
#include "commands.h"
#include "stream/traceevents.h"
#include "trace/mountinfowatcher.h"
#include "trace/tracer.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mountlab::cli {

namespace {

struct TraceOpts {
    bool all = false;
    int pid = 0;
    bool json = false;
    double duration = 0;
    std::vector<std::string> command;
};

std::int64_t monotonic_ns()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

// "16:21:03.123456" in local time.
std::string wall_time(std::int64_t realtime_ns)
{
    const time_t secs = static_cast<time_t>(realtime_ns / 1000000000);
    tm local{};
    localtime_r(&secs, &local);
    return fmt::format("{:02}:{:02}:{:02}.{:06}", local.tm_hour, local.tm_min, local.tm_sec,
                       (realtime_ns % 1000000000) / 1000);
}

// SIGINT and SIGTERM end the trace through a signalfd, so the loop sees them between
// two reads and always flushes what it has. A background job of a non-interactive
// shell inherits SIGINT ignored; Linux still queues an ignored signal while it is
// blocked, but one sent before the block would be discarded, so both go back to the
// default first. A command we start gets the caller's dispositions and mask back.
struct StopSignals {
    sigset_t set{};
    sigset_t original_mask{};
    struct sigaction original_int {};
    struct sigaction original_term {};
    UniqueFd fd;
};

StopSignals take_stop_signals()
{
    StopSignals s;
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGINT, &dfl, &s.original_int);
    sigaction(SIGTERM, &dfl, &s.original_term);
    sigemptyset(&s.set);
    sigaddset(&s.set, SIGINT);
    sigaddset(&s.set, SIGTERM);
    sigprocmask(SIG_BLOCK, &s.set, &s.original_mask);
    s.fd.reset(signalfd(-1, &s.set, SFD_CLOEXEC | SFD_NONBLOCK));
    return s;
}

void give_back_stop_signals(const StopSignals& s)
{
    sigaction(SIGINT, &s.original_int, nullptr);
    sigaction(SIGTERM, &s.original_term, nullptr);
    sigprocmask(SIG_SETMASK, &s.original_mask, nullptr);
}

// The trace ends (SIGTERM) when whoever started it dies: `trace --all` holds probes
// on the whole machine, and with its parent gone nobody may be left to stop it.
// False when the parent died before the signal was armed.
bool stop_with_parent()
{
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    return getppid() == parent;
}

// The reader of stdout is gone (a pipe or FIFO whose read end was closed, a terminal
// that hung up): poll reports POLLERR or POLLHUP on our end without our writing a
// byte, so the trace ends at once, not at the next traced call's failed write.
bool reader_gone(const pollfd& out) { return (out.revents & (POLLERR | POLLHUP)) != 0; }

// A child that waits for the tracer: it reads one byte from `go` before exec, so not
// one of its syscalls happens untracked. Closing `go` unread cancels it.
struct Command {
    pid_t pid = -1;
    UniqueFd go;    // write end
    UniqueFd pidfd; // readable when it exits
};

Result<Command> start_stopped(const std::vector<std::string>& argv, const StopSignals& signals)
{
    auto ends = make_pipe(O_CLOEXEC);
    if (!ends)
        return system_error(ends.error().errnum, "pipe2");
    auto& [reader, writer] = *ends;
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0)
        return system_error(errno, "fork");
    if (pid == 0) {
        writer.reset();
        char c = 0;
        if (read(reader.get(), &c, 1) != 1)
            _exit(127);
        reader.reset();
        give_back_stop_signals(signals);
        execvp(args[0], args.data());
        fmt::print(stderr, "mountlab-cli trace: exec `{}`: {}\n", args[0], errno_name(errno));
        _exit(127);
    }
    reader.reset();
    return Command{pid, std::move(writer), UniqueFd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)))};
}

int exit_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

class Output {
public:
    Output(bool json, std::int64_t realtime_offset) : json_(json), offset_(realtime_offset) {}

    void syscall(const trace::SyscallEvent& e)
    {
        ++count_;
        if (json_) {
            w_.clear();
            stream::write_syscall(w_, e);
            fwrite(w_.view().data(), 1, w_.view().size(), stdout);
            fputc('\n', stdout);
            return;
        }
        const std::string ns = e.mntns_before == e.mntns_after
                                   ? fmt::format("mnt:{}", e.mntns_before)
                                   : fmt::format("mnt:{}->{}", e.mntns_before, e.mntns_after);
        // A process names itself (comm) and its paths: neither reaches the terminal raw.
        const std::string comm = escape_text(e.comm);
        const std::string call = escape_text(trace::to_strace(e));
        if (e.kind == trace::SyscallEvent::Kind::Exec)
            fmt::print("{} {:>7} {:<15} {} {}\n", wall_time(e.ts_ns + offset_), e.pid, comm, ns, call);
        else
            fmt::print("{} {:>7} {:<15} {} {} <{:.6f}>\n", wall_time(e.ts_ns + offset_), e.pid, comm, ns, call,
                       e.latency_ns / 1e9);
    }

    void change(const trace::MountChangeEvent& e)
    {
        ++count_;
        if (json_) {
            w_.clear();
            stream::write_mount_change(w_, e);
            fwrite(w_.view().data(), 1, w_.view().size(), stdout);
            fputc('\n', stdout);
            return;
        }
        const std::string when = wall_time(static_cast<std::int64_t>(e.ts_ns) + offset_);
        const std::string text = trace::to_text(e); // escaped, one line per change
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t nl = text.find('\n', start);
            fmt::print("{} {:>7} mount-change {}\n", when, e.pid, text.substr(start, nl - start));
            start = nl + 1;
        }
    }

    [[nodiscard]] std::uint64_t count() const { return count_; }

private:
    bool json_;
    std::int64_t offset_;
    JsonWriter w_;
    std::uint64_t count_ = 0;
};

bool check_what_to_trace(const TraceOpts& o)
{
    if (!o.command.empty() && (o.all || o.pid)) {
        fmt::print(stderr, "mountlab-cli trace: give a command, --pid or --all, not several\n");
        return false;
    }
    if (o.command.empty() && !o.all && !o.pid) {
        fmt::print(stderr, "mountlab-cli trace: nothing to trace: give --all, --pid PID or -- CMD ARGS...\n");
        return false;
    }
    return true;
}

// Null without BPF, and `fallback_reason` says why.
std::unique_ptr<trace::Tracer> open_tracer(bool all, std::string& fallback_reason)
{
    trace::TracerOptions topts;
    topts.trace_all = all;
    auto tracer = trace::Tracer::open(topts);
    if (!tracer) {
        fallback_reason = tracer.error().message;
        fmt::print(stderr, "mountlab-cli trace: eBPF tracing is unavailable: {}\n", fallback_reason);
        fmt::print(stderr, "mountlab-cli trace: falling back to mount-table changes (/proc/PID/mountinfo)\n");
        return nullptr;
    }
    for (const std::string& note : (*tracer)->notes())
        fmt::print(stderr, "mountlab-cli trace: {}\n", note);
    return std::move(*tracer);
}

// Everything one trace holds, declared in the order it is set up (and torn down backwards).
struct TraceRun {
    const TraceOpts& o;
    StopSignals signals;
    std::int64_t t0 = 0;
    std::unique_ptr<trace::Tracer> tracer;
    std::string fallback_reason;
    Command cmd;
    pid_t target = -1;
    UniqueFd target_fd; // readable when the target exits (-1 with --all)
    std::unique_ptr<trace::MountinfoWatcher> watcher;
    bool reader_left = false;
};

// The command started stopped, or the --pid process, or (--all) ourselves.
bool start_target(TraceRun& t)
{
    if (!t.o.command.empty()) {
        auto started = start_stopped(t.o.command, t.signals);
        if (!started) {
            fmt::print(stderr, "mountlab-cli trace: {}\n", started.error().message);
            return false;
        }
        t.cmd = std::move(*started);
    }
    t.target = t.cmd.pid > 0 ? t.cmd.pid : t.o.pid ? t.o.pid : getpid();
    // --pid: the trace ends with that process too.
    t.target_fd.reset(t.cmd.pid > 0 ? t.cmd.pidfd.release()
                      : t.o.pid     ? static_cast<int>(syscall(SYS_pidfd_open, t.o.pid, 0))
                                    : -1);
    if (t.o.pid && !t.target_fd) {
        fmt::print(stderr, "mountlab-cli trace: pid {}: {}\n", t.o.pid, errno_name(errno));
        return false;
    }
    return true;
}

// The tracer tracks the target, or (without BPF) a watcher reads its mount table.
bool follow_target(TraceRun& t)
{
    if (t.tracer) {
        if (t.o.all)
            return true;
        if (Status s = t.tracer->track(t.target); !s) {
            fmt::print(stderr, "mountlab-cli trace: {}\n", s.error().message);
            if (t.cmd.pid > 0)
                kill(t.cmd.pid, SIGKILL);
            return false;
        }
        return true;
    }
    auto w = trace::MountinfoWatcher::open(t.target, t.fallback_reason);
    if (!w) {
        fmt::print(stderr, "mountlab-cli trace: {}\n", w.error().message);
        if (t.cmd.pid > 0)
            kill(t.cmd.pid, SIGKILL);
        return false;
    }
    t.watcher = std::move(*w);
    return true;
}

// Said once the target is tracked: from here on nothing it does is missed.
void announce_and_release(TraceRun& t)
{
    if (t.tracer)
        fmt::print(stderr, "mountlab-cli trace: {} probes attached in {:.1f} ms, tracing {}\n", t.tracer->attached(),
                   (monotonic_ns() - t.t0) / 1e6,
                   t.o.all ? std::string("every process") : fmt::format("pid {} and its children", t.target));
    if (t.cmd.go) {
        (void)!write(t.cmd.go.get(), "g", 1);
        t.cmd.go.reset();
    }
}

std::int64_t realtime_offset_ns(const trace::Tracer* tracer)
{
    if (tracer)
        return tracer->realtime_offset_ns();
    timespec r{}, m{};
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m);
    return (std::int64_t{r.tv_sec} - m.tv_sec) * 1000000000 + (r.tv_nsec - m.tv_nsec);
}

enum class Polled { Again, Stop, Failed };

// What one wake-up of the loop brought: events to print, a stop signal, the target's end.
Polled handle_wakeup(TraceRun& t, Output& out, const pollfd (&fds)[4])
{
    auto on_syscall = [&](const trace::SyscallEvent& e) { out.syscall(e); };
    auto on_change = [&](const trace::MountChangeEvent& e) { out.change(e); };
    if (reader_gone(fds[3])) {
        fmt::print(stderr, "mountlab-cli trace: the reader of its output is gone; stopping\n");
        if (t.cmd.pid > 0)
            kill(t.cmd.pid, SIGTERM);
        t.reader_left = true;
        return Polled::Failed;
    }
    if (t.tracer) {
        auto n = (fds[2].revents & POLLIN) ? t.tracer->read_ready(on_syscall) : t.tracer->drain(on_syscall);
        if (!n) {
            fmt::print(stderr, "mountlab-cli trace: {}\n", n.error().message);
            return Polled::Failed;
        }
    } else if (auto n = t.watcher->check(on_change); !n && t.cmd.pid < 0) {
        fmt::print(stderr, "mountlab-cli trace: {}\n", n.error().message);
        return Polled::Failed;
    }
    fflush(stdout);
    Polled next = Polled::Again;
    if (fds[0].revents & POLLIN) {
        signalfd_siginfo si{};
        (void)!read(t.signals.fd.get(), &si, sizeof si);
        if (t.cmd.pid > 0)
            kill(t.cmd.pid, static_cast<int>(si.ssi_signo));
        next = Polled::Stop;
    }
    if (t.target_fd && (fds[1].revents & POLLIN))
        next = Polled::Stop;
    return next;
}

// Until a signal, the target's exit, the deadline or an error: 1 on an error, else 0.
int trace_until_done(TraceRun& t, Output& out)
{
    const std::int64_t deadline = t.o.duration > 0 ? monotonic_ns() + std::int64_t(t.o.duration * 1e9) : 0;
    int out_fd = STDOUT_FILENO; // -1 once poll says it is not open at all (POLLNVAL)
    for (;;) {
        pollfd fds[4] = {{t.signals.fd.get(), POLLIN, 0},
                         {t.target_fd.get(), POLLIN, 0},
                         {t.tracer ? t.tracer->fd() : t.watcher->fd(), t.tracer ? short(POLLIN) : short(POLLPRI), 0},
                         {out_fd, 0, 0}};
        int timeout = t.tracer ? -1 : 200; // the watcher also looks for a namespace change
        if (deadline) {
            const std::int64_t left_ms = (deadline - monotonic_ns()) / 1000000;
            if (left_ms <= 0)
                return 0;
            timeout = timeout < 0 ? int(left_ms) : std::min<int>(timeout, int(left_ms));
        }
        if (poll(fds, 4, timeout) < 0 && errno != EINTR) {
            fmt::print(stderr, "mountlab-cli trace: poll: {}\n", errno_name(errno));
            return 1;
        }
        if (fds[3].revents & POLLNVAL)
            out_fd = -1;
        switch (handle_wakeup(t, out, fds)) {
        case Polled::Again:
            break;
        case Polled::Stop:
            return 0;
        case Polled::Failed:
            return 1;
        }
    }
}

// The command's exit status becomes ours; the last events are read; the counts said.
int finish_trace(TraceRun& t, Output& out, int rc)
{
    if (t.cmd.pid > 0) {
        int status = 0;
        while (waitpid(t.cmd.pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (!t.reader_left)
            rc = exit_status(status);
    }
    // What the tree did just before it ended is still in the ring buffer (unless
    // nobody reads any more: writing it would only raise SIGPIPE).
    if (t.tracer && !t.reader_left)
        (void)t.tracer->drain([&](const trace::SyscallEvent& e) { out.syscall(e); });
    if (!t.reader_left && fflush(stdout) != 0) {
        fmt::print(stderr, "mountlab-cli trace: write: {}\n", errno_name(errno));
        rc = 1;
    }
    if (t.tracer)
        fmt::print(stderr, "mountlab-cli trace: {} events, {} dropped\n", out.count(), t.tracer->dropped());
    else
        fmt::print(stderr, "mountlab-cli trace: {} mount-table changes (no eBPF: {})\n", out.count(),
                   t.fallback_reason);
    return rc;
}

int run_trace(const TraceOpts& o)
{
    if (!check_what_to_trace(o))
        return 2;
    TraceRun t{o, take_stop_signals()};
    if (!stop_with_parent()) {
        fmt::print(stderr, "mountlab-cli trace: the process that started it has exited\n");
        give_back_stop_signals(t.signals);
        return 1;
    }
    t.t0 = monotonic_ns();
    t.tracer = open_tracer(o.all, t.fallback_reason);
    if (!start_target(t) || !follow_target(t))
        return 1;
    announce_and_release(t);
    Output out(o.json, realtime_offset_ns(t.tracer.get()));
    const int rc = finish_trace(t, out, trace_until_done(t, out));
    give_back_stop_signals(t.signals); // target_fd and the signalfd close on return
    return rc;
}

} // namespace

Runner add_trace(CLI::App& app)
{
    auto o = std::make_shared<TraceOpts>();
    auto* all = app.add_flag("--all,-a", o->all, "Trace every process on the machine");
    app.add_option("--pid,-p", o->pid, "Trace process PID and the children it forks from now on, until it exits")
        ->check(CLI::PositiveNumber)
        ->excludes(all);
    app.add_flag("--json,-J", o->json, "JSON lines (kind \"syscall\", or \"mount-change\" without BPF)");
    app.add_option("--duration,-d", o->duration, "Stop after SECONDS")->check(CLI::NonNegativeNumber);
    app.add_option("command", o->command, "Run CMD ARGS... (after --) and trace everything it does");
    app.footer("Examples:\n"
               "  mountlab-cli trace -- unshare -m --propagation private mount -t tmpfs t /mnt\n"
               "  mountlab-cli trace --all --duration 10 --json\n"
               "Stops on SIGINT/SIGTERM or when CMD exits; prints the number of lost events on stderr.");
    return [o]() -> int { return run_trace(*o); };
}

} // namespace mountlab::cli
