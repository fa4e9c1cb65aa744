// CallFeed: where a step's system calls come from. Either the engine's own Tracer
// (the engine is root: the eBPF probes are loaded in this process), or the tracer
// helper, `mountlab-tracer`, the one privileged part MountLab has: an unprivileged
// engine starts it through pkexec, it traces the engine's children (the labs) and
// streams their calls back as JSON lines, and it takes no command at all.
#pragma once

#include "base/error.h"
#include "base/fd.h"
#include "stream/events.h"
#include "trace/tracer.h"

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace mountlab::lab {

class CallFeed {
public:
    virtual ~CallFeed() = default;
    // Every call the lab made up to this moment that has not been delivered yet, in
    // order, as the stream's "syscall" objects (with "text", the strace form).
    [[nodiscard]] virtual Result<std::vector<Json>> drain() = 0;
    // Makes a process the engine just started (a lab host) traced from its first call;
    // a feed that already follows the engine's children has nothing to do.
    [[nodiscard]] virtual Status follow(pid_t pid) = 0;
    // "bpf" or "bpf via mountlab-tracer".
    [[nodiscard]] virtual std::string describe() const = 0;
};

// The probes in this process (the engine is root).
class TracerFeed final : public CallFeed {
public:
    explicit TracerFeed(std::unique_ptr<trace::Tracer> tracer) : tracer_(std::move(tracer)) {}
    Result<std::vector<Json>> drain() override;
    Status follow(pid_t pid) override { return tracer_->track(pid); }
    std::string describe() const override { return "bpf"; }
    [[nodiscard]] trace::Tracer& tracer() { return *tracer_; }

private:
    std::unique_ptr<trace::Tracer> tracer_;
};

// The tracer helper as a child process. Its first line says whether it attached; then
// each traced call is a line, and each sync mark (a call this engine makes, see
// drain()) a {"kind":"sync"} line that says everything before it has been handed over.
class HelperFeed final : public CallFeed {
public:
    // argv: the launcher and the helper, e.g. {"pkexec", "/usr/libexec/mountlab/mountlab-tracer"}.
    // Waits up to ready_timeout_ms for the helper to attach (pkexec may ask for a
    // password first). The error says why it did not, in words.
    [[nodiscard]] static Result<std::unique_ptr<HelperFeed>> start(const std::vector<std::string>& argv,
                                                                   int ready_timeout_ms);
    ~HelperFeed() override;
    Result<std::vector<Json>> drain() override;
    Status follow(pid_t) override { return Ok{}; } // it follows every child of ours already
    std::string describe() const override { return "bpf via mountlab-tracer"; }
    [[nodiscard]] const Json& hello() const { return hello_; }

private:
    HelperFeed() = default;
    // Reads until one whole line is buffered or the timeout passes.
    [[nodiscard]] Result<std::string> next_line(int timeout_ms);

    pid_t pid_ = -1;
    UniqueFd out_;
    std::string buffer_;
    std::string nonce_;
    unsigned long sync_count_ = 0;
    Json hello_;
    bool broken_ = false;
};

// The helper next to this program (a build tree), else the installed one; "" if none.
[[nodiscard]] std::string find_tracer_helper();

// The umount2() call the engine makes to mark a point in the trace: flags that the
// kernel refuses before it looks at the path (EINVAL), so it can never unmount anything.
inline constexpr const char* kSyncPrefix = "/.mountlab-trace-sync/";
inline constexpr int kSyncFlags = static_cast<int>(0x80000000u);

} // namespace mountlab::lab
