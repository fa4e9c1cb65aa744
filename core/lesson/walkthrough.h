// The walkthrough: lessons/00-walkthrough.yaml, a lesson whose steps are grouped in
// stages (unshare, propagation, overlay, copy-up, proc, pivot_root, compose), run on one
// container from start to end. The GUI opens on it; `mountlab-cli run` runs it. It is
// not one of the catalogue's lessons: load_all_lessons() leaves it out.
#pragma once

#include "lab/steprunner.h"
#include "lesson/runner.h"

namespace mountlab::lesson {

inline constexpr const char* kWalkthroughId = "walkthrough";

// Loads it from the lessons directory: the lesson, or the diagnostics of its file.
struct LoadedWalkthrough {
    Lesson lesson;
    std::vector<lab::StepSpec> steps; // ready to run, `lesson` "walkthrough", `index` from 0
    std::vector<Diagnostic> diagnostics;
    [[nodiscard]] bool ok() const { return diagnostics.empty(); }
};
[[nodiscard]] LoadedWalkthrough load_walkthrough();

// The steps of a lesson with stages, each with its stage's id.
[[nodiscard]] std::vector<lab::StepSpec> walkthrough_steps(const Lesson& l);

// The "walkthrough" event (core/stream/README.md): the stages, and the steps a reader
// can navigate (a recording of `run --json` carries it, so a replay has its navigator).
[[nodiscard]] Json walkthrough_event(const Lesson& l);

} // namespace mountlab::lesson
