#include "labsession.h"

namespace mountlab::cli {

lab::LabOptions::Privilege parse_privilege(const std::string& s)
{
    if (s == "root")
        return lab::LabOptions::Privilege::Root;
    if (s == "rootless")
        return lab::LabOptions::Privilege::Rootless;
    return lab::LabOptions::Privilege::Auto;
}

Tracing start_tracing(bool want)
{
    Tracing t;
    if (!want) {
        t.mode = "none";
        t.reason = "tracing turned off (--no-trace)";
        return t;
    }
    t.reason = trace::bpf_unavailable_reason();
    if (t.reason.empty()) {
        auto tr = trace::Tracer::open();
        if (tr) {
            t.tracer = std::move(*tr);
            t.mode = "bpf";
            return t;
        }
        t.reason = tr.error().message;
    }
    // Without eBPF the steps still show every change of both mount tables.
    t.mode = "mountinfo";
    return t;
}

void follow_lab(Tracing& t, lab::LabOptions& options)
{
    if (!t.tracer)
        return;
    trace::Tracer* tracer = t.tracer.get();
    options.on_spawn = [tracer](pid_t pid) { (void)tracer->track(pid); };
}

stream::Json session_facts(const lab::Lab& lab, const Tracing& t, long long setup_us)
{
    stream::Json facts = lab.info();
    facts.erase("ready");
    facts["version"] = MOUNTLAB_VERSION;
    facts["lab_host_pid"] = lab.lab_host_pid();
    facts["setup_us"] = setup_us;
    facts["trace"] = t.mode;
    if (!t.reason.empty())
        facts["trace_unavailable"] = t.reason;
    return facts;
}

} // namespace mountlab::cli
