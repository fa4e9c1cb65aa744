// mountlab-cli agent: the engine as a process. Commands come as JSON lines on stdin,
// the event stream goes to stdout (core/stream/README.md). The GUI starts it.
#include "commands.h"
#include "labsession.h"

#include "lab/walkthrough.h"
#include "lesson/runner.h"

#include <chrono>
#include <iostream>
#include <sys/prctl.h>
#include <csignal>

namespace mountlab::cli {

namespace {

using stream::Json;

} // namespace

Runner add_agent(CLI::App& app)
{
    auto privilege = std::make_shared<std::string>("auto");
    auto no_trace = std::make_shared<bool>(false);
    app.add_option("--privilege", *privilege, "root, rootless, or auto")->check(CLI::IsMember({"auto", "root", "rootless"}));
    app.add_flag("--no-trace", *no_trace, "Do not trace system calls with eBPF");
    app.footer("Reads one command per line on stdin, as JSON:\n"
               "  {\"cmd\":\"list\"}                      the walkthrough's steps\n"
               "  {\"cmd\":\"step\",\"index\":N}            run walkthrough step N (with its checks)\n"
               "  {\"cmd\":\"lessons\"}                   a \"lesson\" event for each lesson\n"
               "  {\"cmd\":\"lesson-step\",\"lesson\":ID,\"index\":N}   run step N of a lesson\n"
               "  {\"cmd\":\"op\",\"op\":{...},\"where\":\"container\"|\"lab host\",\"title\":\"...\"}   one operation\n"
               "  {\"cmd\":\"exec\",\"argv\":[\"ls\",\"/\"]}      a command in the container (the console)\n"
               "  {\"cmd\":\"snapshot\"}  {\"cmd\":\"reset\"}  {\"cmd\":\"reset-lab\"}  {\"cmd\":\"quit\"}\n"
               "and writes the event stream to stdout. It dies with its parent (PR_SET_PDEATHSIG), and the lab\n"
               "with it.");
    return [privilege, no_trace]() -> int {
        // If the GUI dies, so do we, and with us the lab.
        const pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            return 2; // the parent died before the signal was armed

        stream::Sink sink = stream::json_lines(stdout);
        const auto t0 = std::chrono::steady_clock::now();
        lab::LabOptions opts;
        opts.privilege = parse_privilege(*privilege);
        Tracing tracing = start_tracing(!*no_trace);
        follow_lab(tracing, opts);
        auto lab = lab::Lab::start(opts);
        if (!lab) {
            sink(Json{{"kind", "error"}, {"fatal", true}, {"errno", errno_name(lab.error().errnum)}, {"message", lab.error().message}});
            return 2;
        }
        sink(stream::session(session_facts(
            **lab, tracing, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count())));
        const auto steps = lab::builtin_walkthrough(opts.layers);
        const lesson::Loaded lessons = lesson::load_all_lessons();
        for (const lesson::Diagnostic& d : lessons.diagnostics)
            sink(Json{{"kind", "log"}, {"level", "warning"}, {"message", d.to_string()}});
        lab::StepRunner runner(**lab, sink);
        runner.set_tracer(tracing.tracer.get(), tracing.reason);
        if (Status s = runner.begin(); !s) {
            sink(Json{{"kind", "error"}, {"fatal", true}, {"message", s.error().message}});
            return 2;
        }
        std::string line;
        int lineno = 0;
        while (std::getline(std::cin, line)) {
            ++lineno;
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            Json cmd = Json::parse(line, nullptr, false);
            auto bad = [&](const std::string& why) {
                sink(Json{{"kind", "error"}, {"line", lineno}, {"message", fmt::format("command on line {}: {}", lineno, why)}});
            };
            if (cmd.is_discarded() || !cmd.is_object()) {
                bad("not a JSON object");
                continue;
            }
            const std::string c = cmd.value("cmd", "");
            if (c == "quit")
                break;
            if (c == "list") {
                sink(lab::walkthrough_event(steps));
            } else if (c == "step") {
                const long i = cmd.value("index", -1L);
                if (i < 0 || i >= static_cast<long>(steps.size())) {
                    bad(fmt::format("no walkthrough step {} (there are {})", i, steps.size()));
                    continue;
                }
                runner.run(steps[static_cast<size_t>(i)]);
            } else if (c == "lessons") {
                for (const lesson::Lesson& l : lessons.lessons)
                    sink(lesson::lesson_event(l));
            } else if (c == "lesson-step") {
                const std::string id = cmd.value("lesson", "");
                const long i = cmd.value("index", -1L);
                const lesson::Lesson* found = nullptr;
                for (const lesson::Lesson& l : lessons.lessons)
                    if (l.id == id)
                        found = &l;
                if (!found) {
                    bad(fmt::format("no lesson `{}`", id));
                    continue;
                }
                if (i < 0 || i >= static_cast<long>(found->steps.size())) {
                    bad(fmt::format("lesson `{}` has no step {} (it has {})", id, i, found->steps.size()));
                    continue;
                }
                runner.run(lesson::to_step_spec(found->steps[static_cast<size_t>(i)], found->id, static_cast<int>(i)));
            } else if (c == "op" || c == "exec") {
                lab::StepSpec spec;
                spec.stage = cmd.value("stage", "console");
                spec.id = c;
                spec.where = cmd.value("where", "container");
                if (c == "exec") {
                    if (!cmd.contains("argv") || !cmd["argv"].is_array() || cmd["argv"].empty()) {
                        bad("exec needs \"argv\": a non-empty list");
                        continue;
                    }
                    spec.op = Json{{"op", "exec"}, {"argv", cmd["argv"]}, {"timeout_ms", cmd.value("timeout_ms", 10000)}};
                    std::string shell;
                    for (const auto& a : cmd["argv"])
                        shell += (shell.empty() ? "" : " ") + (a.is_string() ? a.get<std::string>() : a.dump());
                    spec.shell = shell;
                    spec.title = shell;
                } else {
                    if (!cmd.contains("op") || !cmd["op"].is_object()) {
                        bad("op needs \"op\": an object such as {\"op\":\"mount\",...}");
                        continue;
                    }
                    spec.op = cmd["op"];
                    spec.title = cmd.value("title", spec.op.value("op", ""));
                    spec.shell = cmd.value("shell", "");
                }
                runner.run(spec);
            } else if (c == "snapshot") {
                if (Status s = runner.begin(); !s)
                    bad(s.error().message);
            } else if (c == "reset" || c == "reset-lab") {
                lab::StepSpec spec;
                spec.stage = "lab";
                spec.id = c;
                spec.title = c == "reset" ? "Start a fresh container" : "Start a fresh lab host";
                spec.where = "lab";
                spec.op = Json{{"op", c == "reset" ? "reset_container" : "reset_lab"}};
                // The lesson the fresh lab is for, when the reader says (the GUI does when
                // it moves to another lesson): carried in the begin event's op.
                if (cmd.contains("lesson") && cmd["lesson"].is_string())
                    spec.op["lesson"] = cmd["lesson"];
                runner.run(spec);
            } else {
                bad(fmt::format("unknown command `{}` (list, step, lessons, lesson-step, op, exec, snapshot, reset, reset-lab, quit)", c));
            }
        }
        sink(Json{{"kind", "summary"}, {"steps", runner.steps()}, {"failed", runner.failed()}});
        return 0;
    };
}

} // namespace mountlab::cli
