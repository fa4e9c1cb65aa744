// mountlab-cli run [--json]: the walkthrough (lessons/00-walkthrough.yaml), every stage, headless.
#include "commands.h"
#include "labsession.h"
#include "textprinter.h"

#include "base/textescape.h"
#include "lesson/runner.h"
#include "lesson/walkthrough.h"

#include <chrono>

namespace mountlab::cli {

Runner add_run(CLI::App& app)
{
    struct Opts {
        bool json = false;
        std::string tracer = "auto";
        std::vector<std::string> stages;
        std::vector<std::string> lessons;
        bool all = false;
    };
    auto o = std::make_shared<Opts>();
    app.add_flag("--json", o->json, "Print the event stream (JSON lines, see core/stream/README.md)");
    app.add_option("--stage", o->stages, "Run only the steps of these stages (with the ones before, which they need)");
    app.add_option("LESSON", o->lessons, "Lessons to run (ids or files); none: the walkthrough");
    app.add_flag("--all", o->all, "Run every lesson in the lessons directory");
    add_tracer_options(app, o->tracer);
    app.footer(
        "Runs the walkthrough (lessons/00-walkthrough.yaml): unshare, propagation, overlay, copy-up, /proc,\n"
        "chroot against pivot_root, composing namespaces. Each step prints its shell equivalent, its system call, the\n"
        "result, and what changed in the lab host's and the container's mount tables.\n"
        "Exit status: 0 when every step behaved as its lesson says, 1 otherwise, 2 when the lab\n"
        "could not start.");

    return [o]() -> int {
        using Clock = std::chrono::steady_clock;
        const auto t0 = Clock::now();
        stream::Sink sink = o->json ? stream::json_lines(stdout) : stream::Sink(TextPrinter(stdout));
        lab::LabOptions opts;
        Tracing tracing = start_tracing(o->tracer);
        follow_lab(tracing, opts);
        auto lab = lab::Lab::start(opts);
        if (!lab) {
            sink(stream::log("error", lab.error().message));
            fmt::print(stderr, "mountlab-cli run: cannot start the lab: {}\n", escape_text(lab.error().message));
            return 2;
        }
        const auto setup_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        sink(stream::session(session_facts(**lab, tracing, setup_us)));

        if (o->all || !o->lessons.empty()) {
            lesson::Loaded loaded = o->all ? lesson::load_all_lessons() : lesson::load_lessons(o->lessons);
            for (const lesson::Diagnostic& d : loaded.diagnostics)
                fmt::print(stderr, "{}\n", escape_text(d.to_string()));
            if (!loaded.diagnostics.empty())
                return 2;
            lab->reset(); // each lesson gets a fresh lab
            auto summary = lesson::run_lessons(loaded.lessons, opts, sink, tracing.feed.get(), tracing.reason);
            if (!summary) {
                fmt::print(stderr, "mountlab-cli run: {}\n", escape_text(summary.error().message));
                return 2;
            }
            const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
            sink(stream::summary({summary->steps, summary->failed, us}));
            return summary->failed == 0 ? 0 : 1;
        }
        const lesson::LoadedWalkthrough walkthrough = lesson::load_walkthrough();
        for (const lesson::Diagnostic& d : walkthrough.diagnostics)
            fmt::print(stderr, "{}\n", escape_text(d.to_string()));
        if (!walkthrough.ok())
            return 2;
        const std::vector<lesson::Stage>& stages = walkthrough.lesson.stages;
        sink(lesson::walkthrough_event(walkthrough.lesson)); // what the GUI's navigator shows in a replay
        lab::StepRunner runner(**lab, sink);
        runner.set_tracer(tracing.feed.get(), tracing.reason);
        if (Status s = runner.begin(); !s) {
            fmt::print(stderr, "mountlab-cli run: {}\n", escape_text(s.error().message));
            return 2;
        }
        // With --stage, run every stage up to the last one named (later stages build on
        // earlier ones).
        auto stage_number = [&](const std::string& id) -> size_t {
            for (size_t i = 0; i < stages.size(); ++i)
                if (stages[i].id == id)
                    return i + 1;
            return 0;
        };
        size_t last_stage = stages.size();
        if (!o->stages.empty()) {
            last_stage = 0;
            for (const std::string& s : o->stages)
                last_stage = std::max(last_stage, stage_number(s));
            if (last_stage == 0) {
                fmt::print(stderr, "mountlab-cli run: no such stage; stages are:");
                for (const auto& s : stages)
                    fmt::print(stderr, " {}", s.id);
                fmt::print(stderr, "\n");
                return 2;
            }
        }
        for (const lab::StepSpec& step : walkthrough.steps) {
            if (stage_number(step.stage) > last_stage)
                break;
            runner.run(step);
        }
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        sink(stream::summary({runner.steps(), runner.failed(), us}));
        return runner.failed() == 0 ? 0 : 1;
    };
}

} // namespace mountlab::cli
