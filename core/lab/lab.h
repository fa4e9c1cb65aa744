// Lab: the engine's handle on a lab host and its container.
//
// start() clones the lab host into new mount, PID, UTS, IPC and network namespaces
// (and a user namespace when not root). The lab host makes "/" rprivate before
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
#include <sys/types.h>

namespace mountlab::lab {

struct LabOptions {
    // Use a user namespace (uid 0 inside mapped to the caller). Default: when not root.
    enum class Privilege { Auto, Root, Rootless } privilege = Privilege::Auto;
    std::vector<LayerSpec> layers = default_layers();
    int timeout_ms = 10000; // for any one operation but exec, which has its own
    // With a user namespace: the uid/gid that root inside maps to (-1: the caller's).
    // Root may pick any; a distinct one per sandbox makes RLIMIT_NPROC per sandbox.
    long outside_id = -1;
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
    [[nodiscard]] Result<Snapshot> snapshot();

    // A fresh container (in the lab host's namespaces again), or a fresh lab host.
    [[nodiscard]] Status reset_container();
    [[nodiscard]] Status reset_lab();

    [[nodiscard]] pid_t lab_host_pid() const { return pid_; }         // in the engine's PID namespace
    [[nodiscard]] pid_t container_pid() const { return container_pid_; } // in the lab host's
    [[nodiscard]] bool rootless() const { return rootless_; }
    [[nodiscard]] const Json& info() const { return info_; }          // what the lab host reported at start

private:
    Lab() = default;
    [[nodiscard]] Status spawn();
    void stop();
    [[nodiscard]] Result<OpResult> call(Json request, int timeout_ms);

    LabOptions options_;
    Channel channel_;
    pid_t pid_ = -1;
    pid_t container_pid_ = -1;
    bool rootless_ = false;
    Json info_;
};

// The lab host's and the container's main loops (in the cloned processes).
[[noreturn]] void lab_host_main(Channel engine, const LabOptions& options, const std::vector<std::string>& applets,
                                bool rootless);

} // namespace mountlab::lab
