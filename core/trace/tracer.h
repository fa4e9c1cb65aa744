// Tracer: the live eBPF trace of mount-family and namespace syscalls. Owns the loaded
// probes (libbpf skeleton), their attachments and the ring buffer; everything is
// released by the destructor. Single-threaded: poll it from the engine's event loop
// (fd() is readable when events are waiting).
#pragma once

#include "base/error.h"
#include "base/fd.h"
#include "trace/syscallevent.h"

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct mounttrace_bpf;
struct ring_buffer;
struct bpf_link;

namespace mountlab::trace {

struct TracerOptions {
    bool trace_all = false; // every process, not only the tracked tree
    // A power of two, at least a page. User space maps it twice (to read across the
    // wrap), so it counts double in the tracer's RSS; 4 MiB holds ~2,000 events.
    std::size_t ringbuf_bytes = 4u << 20;
    // How long to let a burst gather once events are waiting. The kernel wakes the
    // reader only for the first record after it caught up, so reading in batches
    // saves a wakeup per event for the traced process (< 2 ms later on screen).
    int batch_us = 1000;
};

class Tracer {
public:
    using Callback = std::function<void(const SyscallEvent&)>;

    // Loads and attaches the probes. Fails with the reason when BPF is unavailable
    // (not root, no BTF, verifier refusal); see bpf_unavailable_reason().
    [[nodiscard]] static Result<std::unique_ptr<Tracer>> open(const TracerOptions& options = {});
    ~Tracer();
    Tracer(const Tracer&) = delete;
    Tracer& operator=(const Tracer&) = delete;

    // Readable when events are waiting.
    [[nodiscard]] int fd() const;
    // Adds a process (and, from now on, the children it forks) to the tracked tree.
    [[nodiscard]] Status track(pid_t pid);
    // Waits up to timeout_ms (-1: forever) and delivers the waiting events.
    // Returns how many were delivered.
    [[nodiscard]] Result<int> poll(int timeout_ms, const Callback& cb);
    // Delivers what is waiting without blocking.
    [[nodiscard]] Result<int> drain(const Callback& cb);
    // For an event loop that polled fd() readable: lets the burst gather, then drains.
    [[nodiscard]] Result<int> read_ready(const Callback& cb);
    // Events the probes could not hand over because the ring buffer was full.
    [[nodiscard]] std::uint64_t dropped() const;
    // What was left out and why (a tracepoint missing on this kernel).
    [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }
    [[nodiscard]] std::size_t attached() const { return links_.size(); }

    // Time spent in the probes, summed over all programs (kernel run-time statistics,
    // which count only while enable_probe_stats()'s descriptor is open).
    struct ProbeStats {
        std::uint64_t run_ns = 0;
        std::uint64_t runs = 0;
    };
    [[nodiscard]] ProbeStats probe_stats() const;
    // Turns the kernel's BPF run-time statistics on until the returned fd is closed.
    [[nodiscard]] static Result<UniqueFd> enable_probe_stats();
    // Adds this to an event's ts_ns (CLOCK_MONOTONIC) for the wall-clock time.
    [[nodiscard]] std::int64_t realtime_offset_ns() const { return realtime_offset_ns_; }

private:
    Tracer() = default;
    Status load(const TracerOptions& options);
    static int on_sample(void* ctx, void* data, std::size_t size);

    mounttrace_bpf* skel_ = nullptr;
    ring_buffer* rb_ = nullptr;
    std::vector<bpf_link*> links_;
    std::vector<std::string> notes_;
    const Callback* cb_ = nullptr;
    int delivered_ = 0;
    std::int64_t realtime_offset_ns_ = 0;
    int batch_us_ = 0;
};

// Why the live trace cannot run here ("needs root", "no BTF"), or "" when it may.
[[nodiscard]] std::string bpf_unavailable_reason();

} // namespace mountlab::trace
