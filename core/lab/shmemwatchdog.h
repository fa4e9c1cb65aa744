// ShmemWatchdog: where no memory cgroup can bound a grading sandbox (not root and no
// delegated cgroup v2 subtree, or no memory controller), ends the sandbox when the
// machine's shared memory grows past a budget while its script runs (security review M5).
//
// Mounts made in a nested mount namespace are invisible from outside it: the tmpfs a
// script mounts in its lab shows in no mount table this process can read, so nothing
// here can count a sandbox's own tmpfs pages. The watchdog therefore watches the whole
// machine's /proc/meminfo: Shmem (every tmpfs page and memfd counts in it) and
// MemAvailable. It is machine-wide, so it may end a sandbox for memory some other process
// took: a bound on the damage, not a limit per sandbox. Killing the lab host, PID 1 of
// the lab's PID namespace, ends every lab process, and with the last one the lab's mount
// namespace and its tmpfs go.
#pragma once

#include "base/error.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>

namespace mountlab::lab {

// The two /proc/meminfo figures the watchdog reads, in bytes (-1: not found).
struct MemInfo {
    long long shmem = -1;
    long long available = -1;
};
[[nodiscard]] MemInfo parse_meminfo(std::string_view text);
[[nodiscard]] Result<MemInfo> read_meminfo();

class ShmemWatchdog {
public:
    // Watches from now, in a thread of its own (the caller blocks in a lab call while the
    // script runs), and SIGKILLs `pid` when Shmem rises more than budget_bytes above its
    // value now, or MemAvailable falls below budget_bytes and below its value now. The
    // caller must not reap `pid` before the watchdog is destroyed (so the PID cannot be
    // reused), nor clone(2) meanwhile (the child would inherit a locked allocator).
    ShmemWatchdog(pid_t pid, long long budget_bytes, int period_ms = 20);
    ~ShmemWatchdog() { stop(); }
    ShmemWatchdog(const ShmemWatchdog&) = delete;
    ShmemWatchdog& operator=(const ShmemWatchdog&) = delete;

    // Stops watching (joins the thread): fired() and reason() are final after it.
    void stop();
    [[nodiscard]] bool fired() const { return fired_.load(); }
    // What it saw when it fired: "the machine's Shmem grew by 1210 MiB ...".
    [[nodiscard]] std::string reason() const;
    [[nodiscard]] long long peak_shmem_growth() const { return peak_growth_.load(); } // bytes

private:
    void watch();
    // One look at /proc/meminfo: true when the sandbox must end (reason_ set).
    bool over_budget();

    pid_t pid_;
    long long budget_;
    int period_ms_;
    MemInfo start_;
    std::atomic<bool> fired_{false};
    std::atomic<long long> peak_growth_{0};
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::string reason_;
    std::thread thread_;
};

} // namespace mountlab::lab
