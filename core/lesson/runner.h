// Running lessons headless: each lesson on a fresh lab, its steps through the step
// runner, its expectations as checks; all of it on the event stream.
#pragma once

#include "lab/steprunner.h"
#include "lesson/loader.h"

namespace mountlab::lesson {

// A step's prediction as the stream carries it ({question, choices, answer, why}), or null.
[[nodiscard]] Json prediction_json(const std::optional<Prediction>& p);

[[nodiscard]] lab::StepSpec to_step_spec(const LessonStep& step, const std::string& lesson_id, int index = -1);

// The "lesson" event that opens a lesson's steps in the stream.
[[nodiscard]] Json lesson_event(const Lesson& l);

struct RunSummary {
    int steps = 0;
    int failed = 0;
};

// Each lesson on its own fresh lab. Fails only when a lab cannot start.
[[nodiscard]] Result<RunSummary> run_lessons(const std::vector<Lesson>& lessons, const lab::LabOptions& options,
                                             const stream::Sink& sink, lab::CallFeed* tracer = nullptr,
                                             const std::string& trace_unavailable = {});

// Loads lessons by id or path (an id names lessons/<anything>-ID.yaml or a file whose
// `id` is ID). Diagnostics of every file that does not load are returned together.
struct Loaded {
    std::vector<Lesson> lessons;
    std::vector<Diagnostic> diagnostics;
};
[[nodiscard]] Loaded load_lessons(const std::vector<std::string>& names_or_paths);
// Every lesson of the lessons directory but the walkthrough (lesson/walkthrough.h).
[[nodiscard]] Loaded load_all_lessons();

} // namespace mountlab::lesson
