// Tracer: the live eBPF trace of mount-family and namespace syscalls. Owns the loaded
// probes (libbpf skeleton), their attachments and the ring buffer; everything is
// released by the destructor. Single-threaded: poll it from the engine's event loop
// (fd() is readable when events are waiting).
#pragma once

#include "base/error.h"
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
    bool trace_all = false;                 // every process, not only the tracked tree
    std::size_t ringbuf_bytes = 16u << 20; // a power of two, at least a page
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
    // Events the probes could not hand over because the ring buffer was full.
    [[nodiscard]] std::uint64_t dropped() const;
    // What was left out and why (a tracepoint missing on this kernel).
    [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }
    [[nodiscard]] std::size_t attached() const { return links_.size(); }
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
};

// Why the live trace cannot run here ("needs root", "no BTF"), or "" when it may.
[[nodiscard]] std::string bpf_unavailable_reason();

} // namespace mountlab::trace
