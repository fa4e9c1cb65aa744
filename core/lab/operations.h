// The lab's step operations: each a small function named for what it does, run in the
// process it acts on (the container, or the lab host). A request is a JSON object
// {"op": NAME, ...arguments}; the reply is OpResult: ok, or an errno with the cause
// when the engine can tell which cause applies.
#pragma once

#include "lab/channel.h"

#include <functional>
#include <string>
#include <sys/types.h>

namespace mountlab::lab {

struct OpResult {
    bool ok = true;
    int err = 0;         // errno
    std::string message; // "verb `object`: what went wrong"
    std::string cause;   // which documented cause of err applies, when known
    Json data = Json::object();

    [[nodiscard]] Json to_json() const;
    static OpResult failure(int err, std::string message, std::string cause = {});
    static OpResult from_errno(std::string_view what);
};

// Facts a process keeps between operations.
struct ProcessState {
    dev_t lab_root_dev = 0; // identity of the lab host's root, to tell where an escape landed
    ino_t lab_root_ino = 0;
    std::string secret; // what the lab host's /HOST_SECRET holds, to find it under any mount
};

// One operation, in the calling process.
[[nodiscard]] OpResult perform(const Json& request, ProcessState& state);

// Flag names for the mount operation ("bind", "rec", "ro", ...) to MS_* bits. Unknown
// names are an error naming the flag.
[[nodiscard]] Result<unsigned long> mount_flags_from_names(const Json& names);

// The inode of /proc/PID/ns/mnt (0 if unreadable), PID 0 for self.
[[nodiscard]] unsigned long long mount_ns_inode(pid_t pid = 0);

// Individual operations, also used by the lab host's set-up.
OpResult make_mount_propagation(const std::string& path, const std::string& type, bool recursive);
OpResult mount_filesystem(const std::string& source, const std::string& target, const std::string& fstype,
                          unsigned long flags, const std::string& data, bool make_target);
OpResult unmount(const std::string& target, bool detach);
OpResult mount_overlay(const std::vector<std::string>& lowers, const std::string& upper, const std::string& work,
                       const std::string& target);
OpResult mount_proc(const std::string& path);
OpResult list_pids(const std::string& proc_path);
OpResult chroot_into(const std::string& path);
OpResult attempt_chroot_escape(const ProcessState& state);
OpResult pivot_root_into(const std::string& new_root, const std::string& put_old);
OpResult pivot_root_runc_style(const std::string& new_root);
// runc --no-pivot (msMoveRoot): chdir(new_root), mount(new_root, "/", MS_MOVE), chroot("."). ops_switchroot.cpp
OpResult move_root_runc_style(const std::string& new_root);
// What `work` finds in a forked child, which may change its root and namespaces at will
// (it exits), handed back as JSON through a pipe: discarded JSON when it said nothing.
// With close_other_fds the child keeps no descriptor but the pipe (one that enters a
// user namespace of its own must not hold the container's). An error only when the
// child cannot be made. Reads and waits are EINTR-safe.
[[nodiscard]] Result<Json> in_a_child(const std::function<Json()>& work, bool close_other_fds = false);

// Limits for a command (grading): 0 leaves a limit as it is.
struct CommandLimits {
    long nproc = 0;             // RLIMIT_NPROC: processes of the (mapped) user
    long memory_mb = 0;         // RLIMIT_AS
    long cpu_s = 0;             // RLIMIT_CPU
    long file_mb = 0;           // RLIMIT_FSIZE
    bool pid_namespace = false; // run it as PID 1 of a new PID namespace: when it ends or
                                // times out, the kernel ends every process it left behind
};
OpResult run_command(const std::vector<std::string>& argv, int timeout_ms, const std::string& input,
                     const CommandLimits& limits = {});

} // namespace mountlab::lab
