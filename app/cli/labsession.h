// What `run` and `agent` share: starting the tracer (when eBPF can be used) so that it
// follows the lab from its first call, and the session line that says how it went.
#pragma once

#include "lab/lab.h"
#include "stream/events.h"
#include "trace/tracer.h"

#include <memory>

namespace mountlab::cli {

struct Tracing {
    std::unique_ptr<trace::Tracer> tracer;
    std::string mode;   // "bpf", "mountinfo" (table changes only) or "none"
    std::string reason; // why not bpf
};

// want = false: --no-trace.
[[nodiscard]] Tracing start_tracing(bool want);
// Makes the lab's host tracked from its first call.
void follow_lab(Tracing& t, lab::LabOptions& options);
// The session line's facts.
[[nodiscard]] stream::Json session_facts(const lab::Lab& lab, const Tracing& t, long long setup_us);

lab::LabOptions::Privilege parse_privilege(const std::string& s);

} // namespace mountlab::cli
