// The built-in walkthrough: the six stages in order, each step with its shell
// equivalent, the system call it makes, and what must hold after it.
#pragma once

#include "lab/steprunner.h"

namespace mountlab::lab {

// Paths in the lab host used by the walkthrough.
inline constexpr const char* kContainerDir = "/var/lib/mountlab/c1";
inline constexpr const char* kPivotDir = "/var/lib/mountlab/c2";

[[nodiscard]] std::vector<StepSpec> builtin_walkthrough(const std::vector<LayerSpec>& layers = default_layers());

// Stage names in order, with a one-line summary each.
struct Stage {
    const char* id;
    const char* title;
};
[[nodiscard]] const std::vector<Stage>& walkthrough_stages();

// The "walkthrough" event (core/stream/README.md): the stages, and the steps a reader
// can navigate (a recording of `run --json` carries it, so a replay has its navigator).
[[nodiscard]] stream::Json walkthrough_event(const std::vector<StepSpec>& steps);

} // namespace mountlab::lab
