// Checks evaluated on real state: the mount tables the kernel reports, files read in
// the container or the lab host, system calls the tracer saw, an escape attempted
// now. Comparisons of mounts use targets, filesystems, sources, options and
// propagation, never mount IDs or device numbers.
//
// Every check is a row of one table (checkregistry.cpp): its name, parameters, one line
// of doc, whether only a step may use it, a sentence for it and the function judging it.
// The loader validates lessons with it; tst_lesson_loader holds lessons/README.md to it.
#pragma once

#include "lab/registry.h"
#include "lab/steprunner.h"
#include "lesson/lesson.h"

#include <functional>
#include <string_view>
#include <vector>

namespace mountlab::lesson {

struct CheckDef {
    std::string name;
    std::vector<lab::ParamDef> params; // `required` ones must be written
    std::string doc;                   // one line: passes when ...
    // Judges a step's operation, not a script's work (an exercise may not use it).
    bool step_only = false;
    std::string (*describe)(const Json& params) = nullptr;
    std::string (*evaluate)(const CheckSpec&, const lab::StepContext&) = nullptr;

    [[nodiscard]] const lab::ParamDef* param(std::string_view n) const;
};

[[nodiscard]] const std::vector<CheckDef>& check_registry();
[[nodiscard]] const CheckDef* find_check(std::string_view name);

// A sentence for the check, from its parameters ("the lab host has nothing mounted on /mnt/x").
[[nodiscard]] std::string describe(const CheckSpec& c);

// "" when the check holds, else what was found instead.
[[nodiscard]] std::string evaluate(const CheckSpec& c, const lab::StepContext& ctx);

// The check as the step runner takes it.
[[nodiscard]] lab::Check to_check(const CheckSpec& c);

} // namespace mountlab::lesson
