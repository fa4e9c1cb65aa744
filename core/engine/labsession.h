// The lab session's start, which `run`, `agent` and `shell` share: the trace (when eBPF
// can be used) started so that it follows the lab from its first call, and the session
// line that says how it went. The CLI's --tracer option is app/cli's (tracer_options.h).
#pragma once

#include "lab/callfeed.h"
#include "lab/lab.h"
#include "stream/events.h"

#include <memory>

namespace mountlab::engine {

struct Tracing {
    std::unique_ptr<lab::CallFeed> feed;
    std::string mode;   // "bpf", "mountinfo" (table changes only) or "none"
    std::string via;    // "engine" (the probes are in this process) or "mountlab-tracer"
    std::string reason; // why not bpf
};

// How to trace: "auto" (the probes in this process when root, else the tracer helper
// through pkexec), "engine", "helper", or "none".
[[nodiscard]] Tracing start_tracing(const std::string& how);
// Makes the lab's host tracked from its first call.
void follow_lab(Tracing& t, lab::LabOptions& options);
// The session line's facts.
[[nodiscard]] Json session_facts(const lab::Lab& lab, const Tracing& t, long long setup_us);

} // namespace mountlab::engine
