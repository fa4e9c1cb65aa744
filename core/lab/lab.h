// Lab: the engine's handle on a lab host and its container.
//
// start() clones the lab host into new user, mount, PID, UTS, IPC and network
// namespaces. The user namespace is the sandbox: root in the lab maps to an
// unprivileged ID outside whoever starts it (see lab_outside_id), so its capabilities
// count only over the lab's own namespaces. The lab host makes "/" rprivate before
// anything else, builds a tmpfs root with busybox, /HOST_SECRET and a minimal /dev,
// pivot_roots into it, detaches the old root, makes "/" rshared like a systemd host,
// builds the image store and forks the container process. Every lab process dies
// with the engine (PR_SET_PDEATHSIG on the lab host, which is PID 1 of its PID
// namespace: when it dies the kernel kills the rest), and with them every lab mount.
#pragma once

#include "lab/channel.h"
#include "lab/imagestore.h"
#include "lab/operations.h"
#include "mount/mountinfo.h"

#include <functional>
#include <memory>
#include <optional>
#include <sys/types.h>

namespace mountlab::lab {

struct LabOptions {
    std::vector<LayerSpec> layers = default_layers();
    int timeout_ms = 10000; // for any one operation but exec, which has its own
    // The uid/gid that root inside the lab maps to. -1: lab_outside_id(). Only root may
    // choose; it must not be 0 (that would make the lab's root the machine's).
    long outside_id = -1;
    // The cgroup directories (v1 or v2) the lab host joins before its set-up, so every
    // lab process and its tmpfs pages count against their limits (grading).
    std::vector<std::string> cgroups;
    // The userland tree (see userland.h); "": find_userland().
    std::string userland;
    // Size of the lab's tmpfs (its root and /tmp), as tmpfs's size= option.
    std::string scratch_size = "256m";
    // Called with the lab host's PID (in the engine's PID namespace) before it starts
    // its set-up, e.g. to have the tracer follow the whole lab from its first call.
    std::function<void(pid_t)> on_spawn;
};

// Both views' mount tables at one moment.
struct Snapshot {
    MountTable host;
    MountTable container;
    unsigned long long host_mntns = 0;
    unsigned long long container_mntns = 0;
    // When the container view is another process's (a terminal's foreground): its PID
    // in the lab's PID namespace and its name; -1 and "" for the container process.
    pid_t view_pid = -1;
    std::string view_comm;
};

// A terminal's shell in the lab, and the PTY master the engine reads and writes.
struct LabTerminal {
    UniqueFd master;
    pid_t pid = -1;    // the shell, in the lab's PID namespace
    std::string shell; // /bin/bash or /bin/sh
};

class Lab {
public:
    [[nodiscard]] static Result<std::unique_ptr<Lab>> start(const LabOptions& options = {});
    ~Lab();
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;

    // An operation in the container process, or in the lab host. Transport failures
    // (the lab died, a timeout) are errors; an operation that failed is an OpResult.
    [[nodiscard]] Result<OpResult> in_container(const Json& request);
    [[nodiscard]] Result<OpResult> in_lab_host(const Json& request);
    // An operation in the mount namespace, root and working directory of another lab
    // process (pid in the lab's PID namespace: a terminal's foreground program), done by
    // a child of the lab host that enters them.
    [[nodiscard]] Result<OpResult> in_process(pid_t pid, const Json& request);
    // The container view is the container process's, or that of view_pid (a process of
    // the lab, in its PID namespace) while it exists.
    [[nodiscard]] Result<Snapshot> snapshot(pid_t view_pid = -1);

    // An interactive shell on a new PTY, in the container ("container") or the lab host
    // ("lab host"), in that process's current namespaces and root (core/lab/terminal.h).
    // own_pid_namespace (container only): the shell is PID 1 of a PID namespace of its own.
    [[nodiscard]] Result<LabTerminal> open_terminal(const std::string& where, int rows, int cols,
                                                    bool own_pid_namespace = false);
    // The exit status of a terminal's shell (its master closed or hung up), waiting up
    // to timeout_ms before the lab kills it; nullopt when its process is gone (a reset).
    [[nodiscard]] Result<std::optional<int>> terminal_exit(const std::string& where, pid_t pid, int timeout_ms = 1000);

    // A fresh container (in the lab host's namespaces again), or a fresh lab host.
    [[nodiscard]] Status reset_container();
    [[nodiscard]] Status reset_lab();

    [[nodiscard]] pid_t lab_host_pid() const { return pid_; }            // in the engine's PID namespace
    [[nodiscard]] pid_t container_pid() const { return container_pid_; } // in the lab host's
    [[nodiscard]] bool rootless() const { return rootless_; }            // the engine runs without root
    [[nodiscard]] long outside_id() const { return outside_id_; }        // what the lab's root is outside
    [[nodiscard]] const Json& info() const { return info_; }             // what the lab host reported at start

private:
    Lab() = default;
    [[nodiscard]] Status spawn();
    void stop();
    [[nodiscard]] Result<OpResult> call(Json request, int timeout_ms);
    [[nodiscard]] int answer_timeout_ms(const Json& request) const;

    LabOptions options_;
    Channel channel_;
    pid_t pid_ = -1;
    pid_t container_pid_ = -1;
    bool rootless_ = false;
    long outside_id_ = -1;
    Json info_;
};

// The lab host's and the container's main loops (in the cloned processes).
[[noreturn]] void lab_host_main(Channel engine, const LabOptions& options);

// The unprivileged uid/gid the lab's root maps to when the engine is root: one of a
// range no account or container runtime uses (above systemd-nspawn's 0x00080000-
// 0x6FFFFFFF), distinct for every live engine process (the base plus its PID), so two
// labs never share an ID outside and RLIMIT_NPROC counts per lab. An unprivileged
// engine can only map its own uid.
inline constexpr long kLabIdBase = 0x70000000;
[[nodiscard]] long lab_outside_id();

} // namespace mountlab::lab
