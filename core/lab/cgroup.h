// Sandbox cgroups: a memory (and pids) cgroup per grading sandbox (security review M5).
//
// Root of a lab's user namespace may mount a tmpfs of any size, and tmpfs pages escape
// RLIMIT_AS and RLIMIT_FSIZE. They are page cache, though, charged to the memory cgroup
// of the process that faults them, in cgroup v1 and v2 alike: a sandbox whose lab host
// joins a cgroup of its own before its set-up cannot hold more than that cgroup's limit.
// At the limit the kernel's OOM killer ends a process of that cgroup only (tmpfs pages
// cannot be reclaimed without swap), and the whole sandbox goes when the lab ends.
//
// The place is found at run time, never assumed: the hierarchies mounted here (cgroup
// and cgroup2 lines of /proc/self/mountinfo, with their super options) and the cgroup
// this process is in (/proc/self/cgroup). A sandbox's cgroup is made *under* this
// process's own, so it stays inside whatever bounds the grader. Nothing is mounted: a
// hierarchy that is not mounted is simply not used. Needs write access to this
// process's cgroup directory (root, or a delegated v2 subtree).
#pragma once

#include "base/error.h"
#include "mount/mountinfo.h"

#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace mountlab::lab {

enum class CgroupVersion { V1, V2 };

// One line of /proc/self/cgroup: "4:memory:/process_api/19c8" (v1: the hierarchy's
// controllers) or "0::/user.slice/x" (v2: no controllers named).
struct CgroupMembership {
    bool v2 = false;
    std::vector<std::string> controllers; // v1: "memory", "cpu", "name=systemd"...
    std::string path;                     // relative to the hierarchy's root
};
[[nodiscard]] std::vector<CgroupMembership> parse_proc_cgroup(std::string_view text);

// Where cgroup `path` of a mounted hierarchy is: the mount point plus the part of path
// below the mount's root; "" when this mount does not show that cgroup.
[[nodiscard]] std::string cgroup_dir(const Mount& hierarchy, const std::string& path);

// Where this machine's sandbox cgroups go: this process's cgroup directories.
struct CgroupPlace {
    CgroupVersion version = CgroupVersion::V2;
    std::string memory_dir;                     // in the hierarchy with the memory controller
    std::string pids_dir;                       // in the one with pids; "" when none (v2: memory_dir when enabled)
    [[nodiscard]] std::string describe() const; // "cgroup v1 (memory at ..., pids at ...)"
};

// cgroup v2 where the unified hierarchy gives this process's cgroup the memory
// controller (enabling it for children if need be), else v1's memory hierarchy. The
// error says why neither can be used.
[[nodiscard]] Result<CgroupPlace> find_cgroup_place();

struct CgroupLimits {
    long long memory_bytes = 0; // memory.max / memory.limit_in_bytes (and no swap beyond it)
    long pids = 0;              // pids.max, where there is a pids controller; 0: none
};

// What a sandbox's cgroup saw.
struct CgroupUsage {
    long long peak_bytes = -1; // memory.peak / memory.max_usage_in_bytes; -1 unknown
    long long oom_kills = 0;   // processes the OOM killer ended in this cgroup
    long long limit_hits = 0;  // times a charge met the limit (reclaim may have coped)
};

// The directory name of sandbox cgroups made by process `pid`: "mountlab-grade-PID".
[[nodiscard]] std::string sandbox_cgroup_name(pid_t pid);

// A sandbox's cgroup: made with its limits by create(), removed by remove() or the
// destructor. Remove it only after every process in it has exited (the lab ended).
class SandboxCgroup {
public:
    [[nodiscard]] static Result<std::unique_ptr<SandboxCgroup>>
    create(const CgroupPlace& place, const std::string& name, const CgroupLimits& limits);
    ~SandboxCgroup();
    SandboxCgroup(const SandboxCgroup&) = delete;
    SandboxCgroup& operator=(const SandboxCgroup&) = delete;

    // The directories to join (LabOptions::cgroups): memory, and pids when separate.
    [[nodiscard]] const std::vector<std::string>& dirs() const { return dirs_; }
    [[nodiscard]] CgroupVersion version() const { return version_; }
    [[nodiscard]] CgroupUsage usage() const;
    // rmdir each directory, retried for a while as long as killed processes are still
    // being reaped (EBUSY). Gone already is fine.
    [[nodiscard]] Status remove();

private:
    SandboxCgroup() = default;
    CgroupVersion version_ = CgroupVersion::V2;
    std::vector<std::string> dirs_;
};

// Remove the empty sandbox cgroups ("mountlab-grade-PID") in place's directories whose
// process is gone: what a grader killed before it could clean up left behind. Returns
// how many were removed; one still holding processes is left alone.
int remove_stale_cgroups(const CgroupPlace& place);

} // namespace mountlab::lab
