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
} // namespace

OpResult run_command(const std::vector<std::string>& argv, int timeout_ms, const std::string& input,
                     const CommandLimits& limits)
{
    if (argv.empty())
        return OpResult::failure(EINVAL, "exec needs a command");
    // This process (the container) lives as long as the lab: every pipe end is held, so
    // a failure here leaves no descriptor behind.
    auto out = make_pipe(O_CLOEXEC);
    if (!out)
        return OpResult::failure(out.error().errnum, out.error().message);
    auto err = make_pipe(O_CLOEXEC);
    if (!err)
        return OpResult::failure(err.error().errnum, err.error().message);
    auto in = make_pipe(O_CLOEXEC);
    if (!in)
        return OpResult::failure(in.error().errnum, in.error().message);
    auto& [out_r, out_w] = *out;
    auto& [err_r, err_w] = *err;
    auto& [in_r, in_w] = *in;
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0)
        return OpResult::from_errno("fork");
    if (pid == 0) {
        setpgid(0, 0);
        dup2(in_r.get(), 0);
        dup2(out_w.get(), 1);
        dup2(err_w.get(), 2);
        // Close every pipe end here: the PID namespace's parent below never execs, and
        // an inherited write end of stdin would keep a reading script waiting forever.
        for (UniqueFd* fd : {&in_r, &in_w, &out_r, &out_w, &err_r, &err_w})
            fd->reset();
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
        if (limits.pid_namespace) {
            // This child stays outside as the namespace's parent; its child is PID 1.
            if (unshare(CLONE_NEWPID) != 0)
                _exit(126);
            const pid_t init = fork();
            if (init < 0)
                _exit(126);
            if (init == 0)
                prctl(PR_SET_PDEATHSIG, SIGKILL); // killed on timeout with its parent, even after setsid
            if (init > 0) {
                int st = 0;
                while (waitpid(init, &st, 0) < 0 && errno == EINTR) {
                }
                _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
            }
        }
        std::vector<char*> args;
        for (const std::string& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        // A clean environment: nothing of the engine's (or the grader's) reaches the command.
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
    // The child makes itself a process group leader too, but a timeout can come first
    // (timeout_ms 1): then kill(-pid) found no group, the command ran to its end, and
    // its late answer was taken for the next request's. Either call wins; both agree.
    setpgid(pid, pid);
    in_r.reset();
    out_w.reset();
    err_w.reset();
    if (!input.empty())
        write_input(in_w.get(), input);
    in_w.reset();
    std::string outs, errs;
    UniqueFd* const readers[2] = {&out_r, &err_r};
    pollfd fds[2] = {{out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}};
    bool timed_out = false;
    int open_fds = 2;
    constexpr size_t kLimit = 1 << 20;
    while (open_fds > 0) {
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        const int left = timeout_ms - static_cast<int>(elapsed);
        if (left <= 0) {
            timed_out = true;
            break;
        }
        const int r = poll(fds, 2, left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
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
                std::string& s = i == 0 ? outs : errs;
                if (s.size() < kLimit)
                    s.append(buf, static_cast<size_t>(n));
            }
        }
    }
    if (timed_out)
        kill(-pid, SIGKILL);
    out_r.reset();
    err_r.reset();
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    OpResult r;
    r.data["stdout"] = outs;
    r.data["stderr"] = errs;
    r.data["exit_code"] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.data["timed_out"] = timed_out;
    if (timed_out) {
        r.ok = false;
        r.err = ETIMEDOUT;
        r.message = fmt::format("`{}` did not finish within {} ms and was killed", argv[0], timeout_ms);
    }
    return r;
}
} // namespace mountlab::lab
