// Every operation of the engine, by name, in one table (core/lab/ops/registry.cpp): its
// parameters and their kinds, one line of doc, whether a lesson may write it, and the
// function that does it. perform() dispatches on it, the lesson loader validates a
// lesson's `do:` with it, and tst_lesson_loader holds lessons/README.md's table to it.
// From a lesson's `op: pivot_root` to its syscall: this table, then the handler it names
// (each family in a file of core/lab/ops/, listed in ops/handlers.h).
#pragma once

#include "lab/operations.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mountlab::lab {

// The kind of a parameter's value, as YAML and JSON both write it.
enum class ParamKind { String, Bool, Int, Strings, Ints, Map, Any };

struct ParamDef {
    std::string name;
    ParamKind kind = ParamKind::String;
    bool lesson = true;    // a lesson may write it (false: the engine's own, e.g. exec's `limits`)
    bool required = false; // a lesson must write it
};

struct OperationDef {
    std::string name;
    std::vector<ParamDef> params;
    std::string doc;    // one line: what it does, as a syscall or command
    bool lesson = true; // a lesson's `do:` may name it (false: the engine's own, which checks use)
    // Runs it in the calling process. Empty for the one the lab host does for the step
    // runner (reset_container: labhost.cpp).
    std::function<OpResult(const Json& request, ProcessState& state)> run;

    [[nodiscard]] const ParamDef* param(std::string_view n) const;
};

[[nodiscard]] const std::vector<OperationDef>& operation_registry();
[[nodiscard]] const OperationDef* find_operation(std::string_view name);

} // namespace mountlab::lab
