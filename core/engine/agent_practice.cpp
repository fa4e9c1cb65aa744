// The agent's practice commands (engine/practice.h), and the commands the terminals'
// shells report.
#include "engine/agent.h"

#include "lesson/runner.h"

#include <fmt/format.h>

namespace mountlab::engine {

void Agent::start_practice(const stream::Command& cmd, int lineno)
{
    const lesson::Lesson* found = catalogue_lesson(cmd.lesson);
    const lesson::Exercise* ex = found ? found->exercise(cmd.exercise) : nullptr;
    if (!found)
        return reject(lineno, fmt::format("practice: no lesson `{}`", cmd.lesson));
    if (!ex) {
        std::string ids;
        for (const lesson::Exercise& e : found->exercises)
            ids += (ids.empty() ? "" : ", ") + e.id;
        return reject(lineno, fmt::format("practice: lesson `{}` has no exercise `{}` ({})", cmd.lesson, cmd.exercise,
                                          ids.empty() ? "it has none" : "it has " + ids));
    }
    leave_modes();
    // A fresh lab, as for the lesson's first step; then the exercise's set-up as a step
    // the learner sees.
    stream::Command fresh;
    fresh.kind = stream::Command::Kind::ResetLab;
    fresh.lesson = found->id;
    reset(fresh);
    // What the old lab's shells reported last is not this practice's.
    for (const lab::TypedCommand& c : terminals_.take_commands())
        sink_(stream::command({c.terminal, c.where, c.report.n, c.report.text, c.report.exit, c.report.shell_level}));
    if (!ex->setup.empty()) {
        lab::StepSpec spec;
        spec.stage = "practice";
        spec.id = "setup";
        spec.title = "Set up the exercise: " + ex->title;
        spec.explain = "What the grader does before it runs a script: the lab as the exercise starts.";
        spec.lesson = found->id;
        spec.op = Json(ex->setup);
        if (!runner_.run(spec))
            return reject(lineno, fmt::format("practice: the set-up of `{}` failed (its step says how)", ex->id));
    }
    auto p = std::make_unique<Practice>(*found, *ex);
    if (Status s = p->set_up(lab_); !s)
        return reject(lineno, "practice: " + s.error().message);
    practice_ = std::move(p);
    runner_.set_call_log(practice_->call_log());
    judge_practice("start");
}

void Agent::judge_practice(const std::string& reason)
{
    if (practice_)
        sink_(stream::practice(practice_->judge(lab_, reason, runner_.traced(), runner_.trace_unavailable())));
}

void Agent::submit_practice(int lineno)
{
    if (!practice_)
        return reject(lineno, "practice-submit: no practice is running (start one with practice)");
    if (practice_->commands() == 0)
        return reject(lineno, "practice-submit: no command was typed in the container's terminal yet: Submit grades "
                              "the commands you typed there, in order, as a script");
    const std::string script = practice_->script();
    auto graded = grade_practice(*practice_);
    if (!graded)
        return reject(lineno, "practice-submit: " + graded.error().message);
    sink_(stream::practice_grade(practice_->lesson().id, practice_->exercise().id, script, *graded));
}

void Agent::stop_practice()
{
    if (!practice_)
        return;
    runner_.set_call_log(nullptr);
    sink_(stream::practice(practice_->stopped()));
    practice_.reset();
}

void Agent::commands_typed()
{
    std::vector<lab::TypedCommand> typed = terminals_.take_commands();
    if (typed.empty())
        return;
    for (const lab::TypedCommand& c : typed) {
        sink_(stream::command({c.terminal, c.where, c.report.n, c.report.text, c.report.exit, c.report.shell_level}));
        if (practice_)
            practice_->add_command(c);
        if (try_)
            try_->add_command(c);
    }
    // The command has ended: what it did to the tables is complete now.
    const bool changed = runner_.observe_terminal(typed.back().where, terminals_.container_foreground());
    judge_practice(changed ? "mounts" : "command");
    judge_try("command");
    if (try_)
        try_->commands_judged();
}

void Agent::leave_modes()
{
    stop_practice();
    stop_try("stop");
}

void Agent::start_try(const stream::Command& cmd, int lineno)
{
    const lesson::Lesson* found = cmd.lesson == "walkthrough" ? &walkthrough_.lesson : catalogue_lesson(cmd.lesson);
    if (!found)
        return reject(lineno, fmt::format("try: no lesson `{}`", cmd.lesson));
    if (cmd.index < 0 || cmd.index >= static_cast<long>(found->steps.size()))
        return reject(lineno,
                      fmt::format("try: `{}` has no step {} (it has {})", cmd.lesson, cmd.index, found->steps.size()));
    leave_modes();
    const pid_t view = terminals_.container_foreground();
    auto before = lab_.snapshot(view);
    if (!before)
        return reject(lineno, "try: the mount tables cannot be read: " + before.error().message);
    runner_.emit_calls_between_steps(); // earlier calls are not the learner's for this step
    try_ = std::make_unique<TryStep>(*found, static_cast<int>(cmd.index), std::move(*before), view);
    runner_.set_call_log(try_->call_log());
    judge_try("start");
}

void Agent::judge_try(const std::string& reason)
{
    if (!try_)
        return;
    auto v =
        try_->judge(lab_, terminals_.container_foreground(), reason, runner_.traced(), runner_.trace_unavailable());
    if (!v) {
        sink_(stream::log("warning", "try: the lab cannot be judged now: " + v.error().message));
        return;
    }
    if (v->state.passed) {
        // Done: the step as the learner did it, numbered and drawn as a step.
        const std::unique_ptr<TryStep> done = std::move(try_);
        runner_.set_call_log(nullptr);
        lab::StepSpec spec = done->lesson().id == "walkthrough"
                                 ? steps()[static_cast<size_t>(done->index())]
                                 : lesson::to_step_spec(done->step(), done->lesson().id, done->index());
        runner_.record_typed(std::move(spec), done->before(), std::move(v->after), done->typed_result(),
                             done->typed_commands(), done->calls(), v->checks);
        v->state.active = false;
        v->state.reason = "passed";
    }
    sink_(stream::try_state(v->state));
}

void Agent::stop_try(const std::string& reason)
{
    if (!try_)
        return;
    runner_.set_call_log(nullptr);
    sink_(stream::try_state(try_->stopped(reason)));
    try_.reset();
}

} // namespace mountlab::engine
