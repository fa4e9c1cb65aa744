// MountinfoWatcher: the trace without BPF (not root, no BTF, probes refused). The
// kernel flags /proc/PID/mountinfo with POLLPRI when that namespace's mount table
// changes; each change is reported as the diff of two snapshots. Coarser than the
// syscall trace (no arguments, no failed calls, changes in one poll merge), and the
// stream says why it is used.
#pragma once

#include "base/error.h"
#include "base/fd.h"
#include "mount/mountdiff.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mountlab::trace {

struct MountChangeEvent {
    pid_t pid = 0;
    std::uint64_t ts_ns = 0;        // CLOCK_MONOTONIC when the change was seen
    std::uint64_t mntns_before = 0; // the namespace's inode; they differ when the
    std::uint64_t mntns_after = 0;  // process moved (unshare, setns): diff is then empty
    MountDiff diff;
    std::string reason; // why this is not a syscall trace
};

class MountinfoWatcher {
public:
    using Callback = std::function<void(const MountChangeEvent&)>;

    [[nodiscard]] static Result<std::unique_ptr<MountinfoWatcher>> open(pid_t pid, std::string reason);
    ~MountinfoWatcher();
    MountinfoWatcher(const MountinfoWatcher&) = delete;
    MountinfoWatcher& operator=(const MountinfoWatcher&) = delete;

    // Signals POLLPRI when the table changed.
    [[nodiscard]] int fd() const { return fd_.get(); }
    // Waits up to timeout_ms for a change and reports it; 0 when none came. Fails with
    // ESRCH-like errors once the process is gone.
    [[nodiscard]] Result<int> poll(int timeout_ms, const Callback& cb);
    // Reads the table now and reports any difference from the last one, or the
    // process's move to another mount namespace (whose table becomes the new baseline).
    [[nodiscard]] Result<int> check(const Callback& cb);

private:
    MountinfoWatcher() = default;
    [[nodiscard]] Status reopen();
    pid_t pid_ = 0;
    std::uint64_t mntns_ = 0;
    UniqueFd fd_;
    std::string reason_;
    std::vector<Mount> last_;
};

// "+ /mnt tmpfs tmpfs" / "- /mnt ..." / "~ /mnt propagation" lines, one per change: the
// fields that came from the mount table are escaped (escape_text), so each is one line.
[[nodiscard]] std::string to_text(const MountChangeEvent& e);
// Its JSON object (kind "mount-change") is the stream's: stream::write_mount_change.

} // namespace mountlab::trace
