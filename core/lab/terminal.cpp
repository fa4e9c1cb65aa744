#include "lab/terminal.h"

#include "lab/commandreport.h"

#include "base/jsonget.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sched.h>
#include <set>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace mountlab::lab {

namespace {

// The lab's devpts instance: the root of a detached mount, held open by the lab host.
int g_devpts = -1;
// Shells this process started, and the exit statuses of those already reaped.
std::set<pid_t> g_shells;
std::map<pid_t, int> g_exited;

// fsopen/fsmount make a mount that is never attached anywhere: openat() through its
// root reaches the instance's ptmx without any path in the lab's tables. A new devpts
// instance is allowed in a user namespace (devpts is FS_USERNS_MOUNT).
Result<int> lab_devpts()
{
    if (g_devpts >= 0)
        return g_devpts;
    UniqueFd fs(fsopen("devpts", FSOPEN_CLOEXEC));
    if (!fs)
        return system_error(errno, "fsopen `devpts` for the lab's terminals");
    if (fsconfig(fs.get(), FSCONFIG_SET_STRING, "ptmxmode", "0666", 0) != 0 ||
        fsconfig(fs.get(), FSCONFIG_SET_STRING, "mode", "0620", 0) != 0 ||
        fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return system_error(errno, "create the lab's devpts instance (fsconfig)");
    const int mnt = fsmount(fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
    if (mnt < 0)
        return system_error(errno, "fsmount the lab's devpts instance");
    g_devpts = mnt;
    return g_devpts;
}

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

// In the forked child: the shell on the slave, or _exit(127).
[[noreturn]] void exec_shell(int slave, const char* shell, const std::string& where)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // A session of its own whose controlling tty is the slave: job control and Ctrl+C
    // (the line discipline signals the foreground process group) work as on a console.
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) != 0)
        _exit(126);
    for (int fd = 0; fd <= 2; ++fd)
        dup2(slave, fd);
    syscall(SYS_close_range, 3u, ~0u, 0u);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGHUP, SIGTTOU, SIGTTIN, SIGTSTP})
        signal(sig, SIG_DFL);
    // A clean environment, nothing of the engine's; the prompt says where it runs.
    const std::string ps1 = "PS1=[" + where + " \\w]# ";
    const std::string shell_env = std::string("SHELL=") + shell;
    // bash tells the engine each command it ran, at its next prompt (lab/commandreport.h).
    const std::string prompt_command = "PROMPT_COMMAND=" + command_report_prompt_command();
    std::string env_text[] = {"TERM=xterm-256color", "HOME=/root", "PATH=/usr/local/bin:/bin:/sbin:/usr/bin:/usr/sbin",
                              ps1, shell_env, "LANG=C.UTF-8", prompt_command,
                              // No history file: a shell started later would read the last one's and report
                              // its last line as a command of its own.
                              "HISTFILE="};
    char* env[std::size(env_text) + 1] = {};
    for (size_t i = 0; i < std::size(env_text); ++i)
        env[i] = env_text[i].data();
    if (strcmp(shell, "/bin/bash") == 0)
        execle(shell, "bash", "--noprofile", "--norc", "-i", nullptr, env);
    else
        execle(shell, "sh", "-i", nullptr, env);
    const std::string msg = fmt::format("mountlab: cannot start `{}`: {}\r\n", shell, strerror(errno));
    (void)!write(2, msg.data(), msg.size());
    _exit(127);
}

// In the forked child: a PID namespace of the shell's own, as a graded script has
// (lesson/sandboxrun.cpp): returns in the namespace's PID 1, which goes on to be the
// shell; this process stays outside as its parent and ends with the shell's status, so
// that the terminal's process (the one the reaper knows) tells the shell's exit.
void enter_own_pid_namespace(int slave)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (unshare(CLONE_NEWPID) != 0)
        _exit(126);
    const pid_t init = fork();
    if (init < 0)
        _exit(126);
    if (init == 0)
        return; // exec_shell sets its own PR_SET_PDEATHSIG: it dies with this parent
    // Nothing of the container's (its channel to the lab host) stays open here, and only
    // the shell holds the terminal: its exit is the PTY's hangup.
    (void)slave;
    syscall(SYS_close_range, 0u, ~0u, 0u);
    int st = 0;
    while (waitpid(init, &st, 0) < 0 && errno == EINTR) {
    }
    _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

} // namespace

Status set_window_size(int pty_fd, int rows, int cols)
{
    winsize ws{};
    ws.ws_row = static_cast<unsigned short>(rows);
    ws.ws_col = static_cast<unsigned short>(cols);
    if (ioctl(pty_fd, TIOCSWINSZ, &ws) != 0)
        return system_error(errno, fmt::format("set the terminal's size to {}x{} (TIOCSWINSZ)", rows, cols));
    return Ok{};
}

Result<PtyPair> open_lab_pty(int rows, int cols)
{
    auto devpts = lab_devpts();
    if (!devpts)
        return devpts.error();
    PtyPair p;
    p.master = UniqueFd(openat(*devpts, "ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!p.master)
        return system_error(errno, "open the lab's `ptmx`");
    int unlock = 0;
    if (ioctl(p.master.get(), TIOCSPTLCK, &unlock) != 0)
        return system_error(errno, "unlock the PTY (TIOCSPTLCK)");
    // The slave from the master itself, not by a path someone in the lab could replace.
    p.slave = UniqueFd(ioctl(p.master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!p.slave)
        return system_error(errno, "open the PTY's slave (TIOCGPTPEER)");
    if (Status s = set_window_size(p.master.get(), rows, cols); !s)
        return s.error();
    return p;
}

OpResult start_terminal_shell(int slave, const std::string& where, bool own_pid_namespace)
{
    // bash when this root has it (the lab gets it from the machine's packages), else
    // busybox's sh.
    const char* shell = access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
    if (access(shell, X_OK) != 0)
        return OpResult::failure(
            ENOENT, fmt::format("no shell for a terminal: neither /bin/bash nor /bin/sh in the {}'s root", where));
    const pid_t pid = fork();
    if (pid < 0)
        return OpResult::from_errno("fork the terminal's shell");
    if (pid == 0) {
        if (own_pid_namespace)
            enter_own_pid_namespace(slave);
        exec_shell(slave, shell, where);
    }
    g_shells.insert(pid);
    OpResult r;
    r.data["pid"] = pid;
    r.data["shell"] = shell;
    return r;
}

void note_child_exit(pid_t pid, int status)
{
    if (g_shells.count(pid))
        g_exited[pid] = status;
}

OpResult wait_terminal_shell(const Json& request)
{
    const auto pid = static_cast<pid_t>(json_int(request, "pid", -1, -1, 1 << 22));
    const int timeout_ms = static_cast<int>(json_int(request, "timeout_ms", 1000, 0, 10000));
    if (!g_shells.count(pid))
        return OpResult::failure(ESRCH,
                                 fmt::format("wait for terminal shell {}: not a shell this process started", pid));
    int status = -1; // -1: reaped by someone who did not say (not expected)
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    bool done = false;
    while (!done) {
        if (auto it = g_exited.find(pid); it != g_exited.end()) {
            status = it->second;
            done = true;
        } else if (const pid_t w = waitpid(pid, &status, WNOHANG); w == pid || (w < 0 && errno == ECHILD)) {
            done = true;
        } else if (std::chrono::steady_clock::now() >= deadline) {
            // Still running (a closed terminal hangs up its session; a shell that
            // ignores SIGHUP ends here).
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            done = true;
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    g_shells.erase(pid);
    g_exited.erase(pid);
    OpResult r;
    r.data["exit"] = status == -1 ? Json() : Json(exit_code(status));
    return r;
}

} // namespace mountlab::lab
