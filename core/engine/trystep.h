// Try it yourself: a step of a lesson (or of the walkthrough) done by the learner, who
// types it in a terminal instead of letting the engine perform it. From the `try`
// command on, the calls traced and the commands typed where the step acts are kept;
// after each command (and each change of the tables) the step's own checks judge the
// learner's state: the container view and the place the checks look at are those of
// the terminal's foreground program while it runs (the shell `unshare --mount` started),
// else the container's. Output checks read what the commands printed on the terminal
// (CommandReport::output), an `error` check the errno of the last failed call traced.
// When they all hold after a command, the step is recorded as done (a step begin with
// op "typed", its views from the try's start, its checks, its end).
#pragma once

#include "lab/lab.h"
#include "lab/terminals.h"
#include "lesson/lesson.h"
#include "stream/events.h"

#include <string>
#include <utility>
#include <vector>

namespace mountlab::engine {

class TryStep {
public:
    // `view_pid`: the terminal's foreground program when it began (-1: none).
    TryStep(const lesson::Lesson& lesson, int index, lab::Snapshot before, pid_t view_pid)
        : lesson_(lesson), index_(index), before_(std::move(before)), start_view_(view_pid)
    {}

    [[nodiscard]] std::vector<Json>* call_log() { return &calls_; }
    // The commands reported so far were judged: the calls traced from now on are the
    // next command's (an `error` check and a step that must fail read those only).
    void commands_judged() { last_command_calls_ = calls_.size(); }
    // A command a terminal reported: kept when it was typed where the step acts.
    void add_command(const lab::TypedCommand& c);

    struct Verdict {
        stream::TryState state;
        lab::Snapshot after;
        std::vector<std::pair<std::string, std::string>> checks; // name, why not ("" held)
    };
    // The step's checks on the learner's state now. `view_pid`: the terminal's
    // foreground program (-1: none).
    [[nodiscard]] Result<Verdict> judge(lab::Lab& lab, pid_t view_pid, const std::string& reason, bool traced,
                                        const std::string& trace_unavailable) const;
    // The event that says it ended without passing.
    [[nodiscard]] stream::TryState stopped(const std::string& reason) const;

    // What the commands typed come to, as an operation's result: ok when the last one
    // exited 0; stdout (and stderr: a terminal has one stream) what they printed; the
    // errno of the last failed call traced.
    [[nodiscard]] lab::OpResult typed_result() const;
    [[nodiscard]] std::vector<std::string> typed_commands() const;

    [[nodiscard]] const lesson::LessonStep& step() const { return lesson_.steps[static_cast<size_t>(index_)]; }
    [[nodiscard]] const lesson::Lesson& lesson() const { return lesson_; }
    [[nodiscard]] int index() const { return index_; }
    [[nodiscard]] const lab::Snapshot& before() const { return before_; }
    [[nodiscard]] const std::vector<Json>& calls() const { return calls_; }

private:
    [[nodiscard]] stream::TryState header(const std::string& reason) const;
    [[nodiscard]] const Json* last_failed_call() const;

    const lesson::Lesson& lesson_;
    int index_;
    lab::Snapshot before_;
    pid_t start_view_;
    std::vector<Json> calls_;
    size_t last_command_calls_ = 0; // where the last command's calls begin in calls_
    std::vector<lab::TypedCommand> commands_;
};

} // namespace mountlab::engine
