// Checks evaluated on real state: the mount tables the kernel reports, files read in
// the container or the lab host, system calls the tracer saw, an escape attempted
// now. Comparisons of mounts use targets, filesystems, sources, options and
// propagation, never mount IDs or device numbers.
#pragma once

#include "lab/steprunner.h"
#include "lesson/lesson.h"

namespace mountlab::lesson {

// A sentence for the check, from its parameters ("the lab host has nothing mounted on /mnt/x").
[[nodiscard]] std::string describe(const CheckSpec& c);

// "" when the check holds, else what was found instead.
[[nodiscard]] std::string evaluate(const CheckSpec& c, const lab::StepContext& ctx);

// The check as the step runner takes it.
[[nodiscard]] lab::Check to_check(const CheckSpec& c);

} // namespace mountlab::lesson
