// A practice: a graded exercise done live. The lab is set up as the exercise's `setup`
// says; the learner types in the container's terminal; after each command (and each
// change of the mount tables) the exercise's checks judge the lab as it is now, with
// grade's own scoring (lesson::judge_checks), and the checklist goes out as a
// `practice` event. Checks of the script's own output or exit status cannot be told
// from a terminal session: they are judged at Submit, which grades the commands typed
// in the terminal's own shell, in order, as a script in a fresh sandbox, exactly as
// `mountlab-cli grade` does.
#pragma once

#include "lab/lab.h"
#include "lab/terminals.h"
#include "lesson/grader.h"
#include "lesson/lesson.h"
#include "stream/events.h"

#include <string>
#include <vector>

namespace mountlab::engine {

// The checks a live practice leaves to Submit: those on the script's output or exit status.
[[nodiscard]] bool judged_at_submit(const lesson::CheckSpec& c);

class Practice {
public:
    Practice(const lesson::Lesson& lesson, const lesson::Exercise& exercise) : lesson_(lesson), exercise_(exercise) {}

    // The exercise's set-up in the container of a fresh lab, then the state the checks
    // compare with.
    [[nodiscard]] Status set_up(lab::Lab& lab);

    // Calls traced since the set-up are appended here (StepRunner::set_call_log).
    [[nodiscard]] std::vector<Json>* call_log() { return &calls_; }
    // A command a terminal reported: kept when it was typed in a container terminal.
    void add_command(const lab::TypedCommand& c);

    // The checklist on the lab as it is now. `traced`: the calls since the set-up are all
    // in call_log() (else trace_unavailable says why not).
    [[nodiscard]] stream::PracticeState judge(lab::Lab& lab, const std::string& reason, bool traced,
                                              const std::string& trace_unavailable) const;
    // The event that says the practice ended.
    [[nodiscard]] stream::PracticeState stopped() const;

    // The commands typed in the container terminals' own shells, in order, as a bash
    // script; those typed in a shell started from one (nested) as comments.
    [[nodiscard]] std::string script() const;

    [[nodiscard]] size_t commands() const { return commands_.size(); }
    [[nodiscard]] const lesson::Lesson& lesson() const { return lesson_; }
    [[nodiscard]] const lesson::Exercise& exercise() const { return exercise_; }

private:
    [[nodiscard]] stream::PracticeState header(const std::string& reason) const;

    const lesson::Lesson& lesson_;
    const lesson::Exercise& exercise_;
    lab::Snapshot before_;
    std::vector<Json> calls_;
    std::vector<lab::TypedCommand> commands_;
};

// Submit: the script graded as `grade` grades one file (its result as in
// `grade --format json`'s "submissions"), or why it could not be.
[[nodiscard]] Result<Json> grade_practice(const Practice& p);

} // namespace mountlab::engine
