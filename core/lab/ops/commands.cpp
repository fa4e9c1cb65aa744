// Commands: a program run in this process's namespaces and root, with limits, a timeout
// and, for grading, a PID namespace of its own.
#include "lab/operations.h"
#include "lab/ops/handlers.h"

#include "base/fd.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {
// While a command's stdin is written: a command that exits without reading it must not
// end this process (the container, as long-lived as the lab) with SIGPIPE. The signal
// is blocked, and one the writes raised is taken while still pending.
class SigpipeBlocked {
public:
    SigpipeBlocked()
    {
        sigemptyset(&pipe_signal_);
        sigaddset(&pipe_signal_, SIGPIPE);
        sigprocmask(SIG_BLOCK, &pipe_signal_, &old_);
    }
    ~SigpipeBlocked()
    {
        const timespec now{};
        while (sigtimedwait(&pipe_signal_, nullptr, &now) == SIGPIPE) {
        }
        sigprocmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
    sigset_t pipe_signal_{}, old_{};
};

void set_limits(const CommandLimits& limits)
{
    auto limit = [](int resource, long value) {
        if (value > 0) {
            const rlimit rl{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
            setrlimit(resource, &rl);
        }
    };
    limit(RLIMIT_NPROC, limits.nproc);
    limit(RLIMIT_AS, limits.memory_mb << 20);
    limit(RLIMIT_CPU, limits.cpu_s);
    limit(RLIMIT_FSIZE, limits.file_mb << 20);
}

// A PID namespace of the command's own: this child stays outside as the namespace's
// parent (it returns only in its child, PID 1, which goes on to exec).
void enter_pid_namespace()
{
    if (unshare(CLONE_NEWPID) != 0)
        _exit(126);
    const pid_t init = fork();
    if (init < 0)
        _exit(126);
    if (init == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); // killed on timeout with its parent, even after setsid
        return;
    }
    int st = 0;
    while (waitpid(init, &st, 0) < 0 && errno == EINTR) {
    }
    _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

// A clean environment: nothing of the engine's (or the grader's) reaches the command.
[[noreturn]] void exec_command(const std::vector<std::string>& argv)
{
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    char path_env[] = "PATH=/usr/local/bin:/bin:/sbin:/usr/bin:/usr/sbin";
    char home_env[] = "HOME=/root";
    char term_env[] = "TERM=dumb";
    char* env[] = {path_env, home_env, term_env, nullptr};
    environ = env;
    execvp(args[0], args.data());
    const std::string msg = fmt::format("{}: {}\n", argv[0], strerror(errno));
    (void)!write(2, msg.data(), msg.size());
    _exit(127);
}

// The command's three pipes: each end held, so a failure leaves no descriptor behind
// (this process, the container, lives as long as the lab).
struct CommandPipes {
    UniqueFd in_r, in_w, out_r, out_w, err_r, err_w;
};

Status open_pipes(CommandPipes& p)
{
    for (auto [r, w] : {std::pair{&p.out_r, &p.out_w}, std::pair{&p.err_r, &p.err_w}, std::pair{&p.in_r, &p.in_w}}) {
        auto ends = make_pipe(O_CLOEXEC);
        if (!ends)
            return ends.error();
        *r = std::move(ends->first);
        *w = std::move(ends->second);
    }
    return Ok{};
}

[[noreturn]] void run_in_child(CommandPipes& p, const std::vector<std::string>& argv, const CommandLimits& limits)
{
    setpgid(0, 0);
    dup2(p.in_r.get(), 0);
    dup2(p.out_w.get(), 1);
    dup2(p.err_w.get(), 2);
    // Close every pipe end here: the PID namespace's parent below never execs, and
    // an inherited write end of stdin would keep a reading script waiting forever.
    for (UniqueFd* fd : {&p.in_r, &p.in_w, &p.out_r, &p.out_w, &p.err_r, &p.err_w})
        fd->reset();
    set_limits(limits);
    if (limits.pid_namespace)
        enter_pid_namespace();
    exec_command(argv);
}

struct CommandOutput {
    std::string out, err;
    bool timed_out = false;
};

// Writes what of `input` the pipe takes now (it is non-blocking); true while some is left.
bool feed_input(UniqueFd& in_w, std::string_view input, size_t& written)
{
    while (written < input.size()) {
        const ssize_t n = write(in_w.get(), input.data() + written, std::min<size_t>(input.size() - written, 65536));
        if (n > 0) {
            written += static_cast<size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return true;
        } else {
            break; // EPIPE: the command closed its stdin, and the rest is not for anyone
        }
    }
    in_w.reset(); // all written (or refused): the command sees its end
    return false;
}

// Reads what a pipe has; false once it is closed. Up to 1 MiB of each stream is kept.
bool drain_output(UniqueFd& r, std::string& into)
{
    constexpr size_t kLimit = 1 << 20;
    char buf[8192];
    const ssize_t n = read(r.get(), buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0) {
        r.reset();
        return false;
    }
    if (into.size() < kLimit)
        into.append(buf, static_cast<size_t>(n));
    return true;
}

// Stdin written and stdout and stderr read at once, in one poll loop, until the output
// pipes close and the input is written, or the time is up. Writing all of stdin first
// would hang past the timeout on a command that never reads it (or that fills its
// stdout before reading on): the pipe takes 64 KiB and then blocks.
CommandOutput exchange(CommandPipes& p, const std::string& input, std::chrono::steady_clock::time_point start,
                       int timeout_ms)
{
    CommandOutput o;
    size_t written = 0;
    const SigpipeBlocked no_sigpipe;
    bool writing = p.in_w && fcntl(p.in_w.get(), F_SETFL, O_NONBLOCK) == 0 && feed_input(p.in_w, input, written);
    if (!writing)
        p.in_w.reset(); // nothing to write, or the pipe cannot be made non-blocking
    while (p.out_r || p.err_r || writing) {
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        const int left = timeout_ms - static_cast<int>(elapsed);
        if (left <= 0) {
            o.timed_out = true;
            break;
        }
        pollfd fds[3] = {{p.out_r ? p.out_r.get() : -1, POLLIN, 0},
                         {p.err_r ? p.err_r.get() : -1, POLLIN, 0},
                         {writing ? p.in_w.get() : -1, POLLOUT, 0}};
        if (poll(fds, 3, left) <= 0)
            continue; // EINTR, or the time is up
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
            drain_output(p.out_r, o.out);
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
            drain_output(p.err_r, o.err);
        if (fds[2].revents & (POLLOUT | POLLHUP | POLLERR))
            writing = feed_input(p.in_w, input, written);
    }
    return o;
}

OpResult command_result(const CommandOutput& o, int status, const std::string& command, int timeout_ms)
{
    OpResult r;
    r.data["stdout"] = o.out;
    r.data["stderr"] = o.err;
    r.data["exit_code"] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.data["timed_out"] = o.timed_out;
    if (o.timed_out) {
        r.ok = false;
        r.err = ETIMEDOUT;
        r.message = fmt::format("`{}` did not finish within {} ms and was killed", command, timeout_ms);
    }
    return r;
}

} // namespace

OpResult run_command(const std::vector<std::string>& argv, int timeout_ms, const std::string& input,
                     const CommandLimits& limits)
{
    if (argv.empty())
        return OpResult::failure(EINVAL, "exec needs a command");
    CommandPipes p;
    if (Status s = open_pipes(p); !s)
        return OpResult::failure(s.error().errnum, s.error().message);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0)
        return OpResult::from_errno("fork");
    if (pid == 0)
        run_in_child(p, argv, limits);
    // The child makes itself a process group leader too, but a timeout can come first
    // (timeout_ms 1): then kill(-pid) found no group, the command ran to its end, and
    // its late answer was taken for the next request's. Either call wins; both agree.
    setpgid(pid, pid);
    p.in_r.reset();
    p.out_w.reset();
    p.err_w.reset();
    if (input.empty())
        p.in_w.reset();
    const CommandOutput output = exchange(p, input, start, timeout_ms);
    p.in_w.reset();
    if (output.timed_out)
        kill(-pid, SIGKILL);
    p.out_r.reset();
    p.err_r.reset();
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return command_result(output, status, argv[0], timeout_ms);
}
} // namespace mountlab::lab
