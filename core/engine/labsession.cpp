#include "engine/labsession.h"

#include "trace/tracer.h"

#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace mountlab::engine {

namespace {

// How the helper is started: pkexec, or what MOUNTLAB_TRACER_LAUNCHER says (words
// split at spaces; empty: run the helper directly, for a caller that is root already).
std::vector<std::string> helper_command(const std::string& helper)
{
    std::vector<std::string> argv;
    if (const char* l = std::getenv("MOUNTLAB_TRACER_LAUNCHER")) {
        std::istringstream words(l);
        for (std::string w; words >> w;)
            argv.push_back(w);
    } else {
        argv.push_back("pkexec");
    }
    argv.push_back(helper);
    return argv;
}

bool start_in_engine(Tracing& t)
{
    t.reason = trace::bpf_unavailable_reason();
    if (!t.reason.empty())
        return false;
    auto tr = trace::Tracer::open();
    if (!tr) {
        t.reason = tr.error().message;
        return false;
    }
    t.feed = std::make_unique<lab::TracerFeed>(std::move(*tr));
    t.via = "engine";
    return true;
}

bool start_helper(Tracing& t)
{
    const std::string helper = lab::find_tracer_helper();
    if (helper.empty()) {
        t.reason = "the tracer helper mountlab-tracer is not installed";
        return false;
    }
    // pkexec may ask for a password: give the user time.
    auto feed = lab::HelperFeed::start(helper_command(helper), 120000);
    if (!feed) {
        t.reason = "the tracer helper did not start: " + feed.error().message;
        return false;
    }
    t.feed = std::move(*feed);
    t.via = "mountlab-tracer";
    return true;
}

} // namespace

Tracing start_tracing(const std::string& how)
{
    Tracing t;
    if (how == "none") {
        t.mode = "none";
        t.reason = "tracing turned off (--tracer none)";
        return t;
    }
    const bool root = geteuid() == 0;
    bool ok = false;
    if (how == "engine" || (how == "auto" && root))
        ok = start_in_engine(t);
    else
        ok = start_helper(t);
    // Without eBPF the steps still show every change of both mount tables.
    t.mode = ok ? "bpf" : "mountinfo";
    return t;
}

void follow_lab(Tracing& t, lab::LabOptions& options)
{
    if (!t.feed)
        return;
    lab::CallFeed* feed = t.feed.get();
    options.on_spawn = [feed](pid_t pid) { (void)feed->follow(pid); };
}

Json session_facts(const lab::Lab& lab, const Tracing& t, long long setup_us)
{
    Json facts = lab.info();
    facts.erase("ready");
    facts["version"] = MOUNTLAB_VERSION;
    facts["lab_host_pid"] = lab.lab_host_pid();
    facts["setup_us"] = setup_us;
    facts["trace"] = t.mode;
    if (!t.via.empty())
        facts["trace_via"] = t.via;
    if (!t.reason.empty())
        facts["trace_unavailable"] = t.reason;
    return facts;
}

} // namespace mountlab::engine
