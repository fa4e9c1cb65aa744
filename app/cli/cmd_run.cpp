// mountlab-cli run [--json]: the walkthrough (lessons/00-walkthrough.yaml), every stage, headless.
#include "commands.h"
#include "engine/labsession.h"
#include "textprinter.h"
#include "tracer_options.h"

#include "base/textescape.h"
#include "lesson/runner.h"
#include "lesson/walkthrough.h"

#include <chrono>

namespace mountlab::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct RunOpts {
    bool json = false;
    std::string tracer = "auto";
    std::vector<std::string> stages;
    std::vector<std::string> lessons;
    bool all = false;
};

long long microseconds_since(Clock::time_point t0)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
}

// The lessons named (or all of them), each in a lab of its own.
int run_named_lessons(const RunOpts& o, std::unique_ptr<lab::Lab>& lab, const lab::LabOptions& opts,
                      const stream::Sink& sink, const engine::Tracing& tracing, Clock::time_point t0)
{
    lesson::Loaded loaded = o.all ? lesson::load_all_lessons() : lesson::load_lessons(o.lessons);
    for (const lesson::Diagnostic& d : loaded.diagnostics)
        fmt::print(stderr, "{}\n", escape_text(d.to_string()));
    if (!loaded.diagnostics.empty())
        return 2;
    lab.reset(); // each lesson gets a fresh lab
    auto summary = lesson::run_lessons(loaded.lessons, opts, sink, tracing.feed.get(), tracing.reason);
    if (!summary) {
        fmt::print(stderr, "mountlab-cli run: {}\n", escape_text(summary.error().message));
        return 2;
    }
    sink(stream::summary({summary->steps, summary->failed, microseconds_since(t0)}));
    return summary->failed == 0 ? 0 : 1;
}

size_t stage_number(const std::vector<lesson::Stage>& stages, const std::string& id)
{
    for (size_t i = 0; i < stages.size(); ++i)
        if (stages[i].id == id)
            return i + 1;
    return 0;
}

// With --stage, run every stage up to the last one named (later stages build on
// earlier ones). 0: none of them is a stage.
size_t last_stage_wanted(const std::vector<lesson::Stage>& stages, const std::vector<std::string>& wanted)
{
    if (wanted.empty())
        return stages.size();
    size_t last_stage = 0;
    for (const std::string& s : wanted)
        last_stage = std::max(last_stage, stage_number(stages, s));
    if (last_stage == 0) {
        fmt::print(stderr, "mountlab-cli run: no such stage; stages are:");
        for (const auto& s : stages)
            fmt::print(stderr, " {}", s.id);
        fmt::print(stderr, "\n");
    }
    return last_stage;
}

int run_walkthrough(const RunOpts& o, lab::Lab& lab, const stream::Sink& sink, const engine::Tracing& tracing,
                    Clock::time_point t0)
{
    const lesson::LoadedWalkthrough walkthrough = lesson::load_walkthrough();
    for (const lesson::Diagnostic& d : walkthrough.diagnostics)
        fmt::print(stderr, "{}\n", escape_text(d.to_string()));
    if (!walkthrough.ok())
        return 2;
    const std::vector<lesson::Stage>& stages = walkthrough.lesson.stages;
    sink(lesson::walkthrough_event(walkthrough.lesson)); // what the GUI's navigator shows in a replay
    lab::StepRunner runner(lab, sink);
    runner.set_tracer(tracing.feed.get(), tracing.reason);
    if (Status s = runner.begin(); !s) {
        fmt::print(stderr, "mountlab-cli run: {}\n", escape_text(s.error().message));
        return 2;
    }
    const size_t last_stage = last_stage_wanted(stages, o.stages);
    if (last_stage == 0)
        return 2;
    for (const lab::StepSpec& step : walkthrough.steps) {
        if (stage_number(stages, step.stage) > last_stage)
            break;
        runner.run(step);
    }
    sink(stream::summary({runner.steps(), runner.failed(), microseconds_since(t0)}));
    return runner.failed() == 0 ? 0 : 1;
}

int run_lab(const RunOpts& o)
{
    const auto t0 = Clock::now();
    stream::Sink sink = o.json ? stream::json_lines(stdout) : stream::Sink(TextPrinter(stdout));
    lab::LabOptions opts;
    engine::Tracing tracing = engine::start_tracing(o.tracer);
    engine::follow_lab(tracing, opts);
    auto lab = lab::Lab::start(opts);
    if (!lab) {
        sink(stream::log("error", lab.error().message));
        fmt::print(stderr, "mountlab-cli run: cannot start the lab: {}\n", escape_text(lab.error().message));
        return 2;
    }
    sink(stream::session(engine::session_facts(**lab, tracing, microseconds_since(t0))));
    if (o.all || !o.lessons.empty())
        return run_named_lessons(o, *lab, opts, sink, tracing, t0);
    return run_walkthrough(o, **lab, sink, tracing, t0);
}

} // namespace

Runner add_run(CLI::App& app)
{
    auto o = std::make_shared<RunOpts>();
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
    return [o]() -> int { return run_lab(*o); };
}

} // namespace mountlab::cli
