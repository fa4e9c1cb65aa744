// mountlab-cli agent: the engine as a process. Commands come as JSON lines on stdin,
// the event stream goes to stdout (core/stream/README.md); core/engine does the work.
// The GUI starts it.
#include "commands.h"
#include "engine/labsession.h"
#include "tracer_options.h"

#include "engine/agent.h"

#include <chrono>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace mountlab::cli {

Runner add_agent(CLI::App& app)
{
    auto tracer = std::make_shared<std::string>("auto");
    add_tracer_options(app, *tracer);
    app.footer(
        "Reads one command per line on stdin, as JSON:\n"
        "  {\"cmd\":\"list\"}                      the walkthrough's steps\n"
        "  {\"cmd\":\"step\",\"index\":N}            run walkthrough step N (with its checks)\n"
        "  {\"cmd\":\"lessons\"}                   a \"lesson\" event for each lesson\n"
        "  {\"cmd\":\"lesson-step\",\"lesson\":ID,\"index\":N}   run step N of a lesson\n"
        "  {\"cmd\":\"op\",\"op\":{...},\"where\":\"container\"|\"lab host\",\"title\":\"...\"}   one operation\n"
        "  {\"cmd\":\"exec\",\"argv\":[\"ls\",\"/\"]}      a command in the container (the console)\n"
        "  {\"cmd\":\"terminal-open\",\"where\":\"container\",\"rows\":24,\"cols\":80}   an interactive shell on a PTY\n"
        "  {\"cmd\":\"terminal-input\",\"id\":N,\"data\":BASE64}  (or \"text\":STRING)   type into it\n"
        "  {\"cmd\":\"terminal-resize\",\"id\":N,\"rows\":R,\"cols\":C}  {\"cmd\":\"terminal-close\",\"id\":N}\n"
        "  {\"cmd\":\"practice\",\"lesson\":ID,\"exercise\":ID}   an exercise set up, judged live after each command\n"
        "  {\"cmd\":\"practice-check\"}  {\"cmd\":\"practice-submit\"}  {\"cmd\":\"practice-stop\"}\n"
        "  {\"cmd\":\"snapshot\"}  {\"cmd\":\"reset\"}  {\"cmd\":\"reset-lab\"}  {\"cmd\":\"quit\"}\n"
        "and writes the event stream to stdout. A malformed command gets an \"error\" event and the\n"
        "agent goes on. Everything it runs runs in the lab's user namespace, with the privileges of\n"
        "whoever started the agent at most; when not root, only the tracer helper (mountlab-tracer,\n"
        "through pkexec) is root, and it takes no commands. It dies with its parent\n"
        "(PR_SET_PDEATHSIG), and the lab with it.");
    return [tracer]() -> int {
        // If the GUI dies, so do we, and with us the lab.
        const pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            return 2; // the parent died before the signal was armed

        stream::Sink sink = stream::json_lines(stdout);
        const auto t0 = std::chrono::steady_clock::now();
        lab::LabOptions opts;
        engine::Tracing tracing = engine::start_tracing(*tracer);
        engine::follow_lab(tracing, opts);
        auto lab = lab::Lab::start(opts);
        if (!lab) {
            sink(stream::error({.fatal = true, .err = lab.error().errnum, .message = lab.error().message}));
            return 2;
        }
        sink(stream::session(engine::session_facts(
            **lab, tracing,
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count())));
        engine::Agent agent(**lab, sink, tracing.feed.get(), tracing.reason);
        if (Status s = agent.begin(); !s) {
            sink(stream::error({.fatal = true, .message = s.error().message}));
            return 2;
        }
        if (Status s = agent.serve(STDIN_FILENO); !s) {
            sink(stream::error({.fatal = true, .message = s.error().message}));
            return 2;
        }
        sink(stream::summary({.steps = agent.runner().steps(), .failed = agent.runner().failed()}));
        return 0;
    };
}

} // namespace mountlab::cli
