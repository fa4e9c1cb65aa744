// Commands: a program run in this process's namespaces and root, with limits, a timeout
// and, for grading, a PID namespace of its own.
#include "lab/operations.h"
#include "lab/ops/handlers.h"

#include "base/base64.h"
#include "base/fd.h"
#include "base/jsonget.h"

#include "lab/pivotcause.h"
#include "mount/mounttree.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <map>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {
// Writes a command's stdin. A command that exits without reading it must not end this
// process (the container, as long-lived as the lab) with SIGPIPE: the signal is blocked
// for the write, and one it raised is taken while still pending.
void write_input(int fd, const std::string& input)
{
    sigset_t pipe_signal, old;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_signal, &old);
    (void)!write(fd, input.data(), input.size());
    const timespec now{};
    while (sigtimedwait(&pipe_signal, nullptr, &now) == SIGPIPE) {
    }
    sigprocmask(SIG_SETMASK, &old, nullptr);
}

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

// Stdout and stderr (each up to 1 MiB kept) until both close or the time is up.
CommandOutput read_output(CommandPipes& p, std::chrono::steady_clock::time_point start, int timeout_ms)
{
    CommandOutput o;
    UniqueFd* const readers[2] = {&p.out_r, &p.err_r};
    pollfd fds[2] = {{p.out_r.get(), POLLIN, 0}, {p.err_r.get(), POLLIN, 0}};
    int open_fds = 2;
    constexpr size_t kLimit = 1 << 20;
    while (open_fds > 0) {
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        const int left = timeout_ms - static_cast<int>(elapsed);
        if (left <= 0) {
            o.timed_out = true;
            break;
        }
        const int r = poll(fds, 2, left);
        if (r <= 0)
            continue; // EINTR, or the time is up
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[8192];
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                readers[i]->reset();
                fds[i].fd = -1;
                --open_fds;
            } else {
                std::string& s = i == 0 ? o.out : o.err;
                if (s.size() < kLimit)
                    s.append(buf, static_cast<size_t>(n));
            }
        }
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
    if (!input.empty())
        write_input(p.in_w.get(), input);
    p.in_w.reset();
    const CommandOutput output = read_output(p, start, timeout_ms);
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
