// Terminals in the lab: a PTY whose slave is an interactive shell's controlling tty.
//
// The lab host opens the PTY from a devpts instance of its own, made on first use and
// never attached to a path (the lab's mount tables stay as they were). The shell runs
// where it is asked for: in the lab host, or in the container process's current
// namespaces and root (the lab host passes the slave to the container with
// SCM_RIGHTS: the container's root, an image after pivot_root, has no /dev/pts). The
// master goes to the engine the same way, so the engine reads and writes it directly.
// A shell is in the lab's PID namespace and user namespace like everything else there;
// it dies with the process that started it (PR_SET_PDEATHSIG), and with the lab.
#pragma once

#include "base/error.h"
#include "base/fd.h"
#include "lab/operations.h"

#include <sys/types.h>

namespace mountlab::lab {

struct PtyPair {
    UniqueFd master;
    UniqueFd slave;
};

// A new PTY of the lab's devpts instance, with this window size.
[[nodiscard]] Result<PtyPair> open_lab_pty(int rows, int cols);

// TIOCSWINSZ: the kernel tells the foreground process group (SIGWINCH).
[[nodiscard]] Status set_window_size(int pty_fd, int rows, int cols);

// The "terminal" operation in this process: forks an interactive shell (bash when this
// root has /bin/bash, else /bin/sh) on `slave`, a session leader with the slave as its
// controlling tty, a clean environment and a prompt that says `where` it is; with
// own_pid_namespace, as PID 1 of a PID namespace of its own (what a graded script gets),
// "pid" then being its parent outside, which ends with the shell's status. data:
// {"pid", "shell"}.
[[nodiscard]] OpResult start_terminal_shell(int slave, const std::string& where, bool own_pid_namespace = false);

// The "terminal_wait" operation: the exit status of a shell this process started
// (128+signal when a signal ended it), waiting up to "timeout_ms" (then SIGKILL).
// data: {"exit"}.
[[nodiscard]] OpResult wait_terminal_shell(const Json& request);

// Every reaper of this process (waitpid(-1)) tells the terminals what it reaped, so a
// shell's exit status is kept until the engine asks for it.
void note_child_exit(pid_t pid, int status);

} // namespace mountlab::lab
