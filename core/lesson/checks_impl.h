// For the files of the checks (checks.cpp, checks_isolation.cpp, checkregistry.cpp):
// reading a check's parameters and the tables it judges, and each check's evaluator,
// which checkregistry.cpp's table names. "" when the check holds, else what was found.
#pragma once

#include "lab/steprunner.h"
#include "lesson/lesson.h"

#include <string>

namespace mountlab::lesson {

// A check's parameters, read without throwing (a missing or mistyped one is the fallback).
[[nodiscard]] std::string s(const Json& p, const char* k, const std::string& d = {});
[[nodiscard]] bool b(const Json& p, const char* k, bool d);
// `view`: the container's table (default) or the lab host's.
[[nodiscard]] const MountTable& view_table(const lab::StepContext& ctx, const Json& p);
[[nodiscard]] std::string view_name(const Json& p);
[[nodiscard]] const Mount* top_at(const MountTable& t, const std::string& target);
[[nodiscard]] bool has_option(const Mount& m, const std::string& opt);
// An operation in the container or the lab host ("host", "lab host"), for a check that asks.
[[nodiscard]] lab::OpResult ask(const lab::StepContext& ctx, const std::string& where, const Json& op);

using Evaluator = std::string (*)(const CheckSpec&, const lab::StepContext&);

// checks.cpp
std::string check_mount(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_propagation(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_root(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_fully_visible(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_tables_equal(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_file(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_syscall(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_exit_code(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_output(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_error(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_host_unchanged(const CheckSpec& c, const lab::StepContext& ctx);
// checks_isolation.cpp
std::string check_escape(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_pids(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_isolated(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_climb(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_namespaces(const CheckSpec& c, const lab::StepContext& ctx);
std::string check_container_ns(const CheckSpec& c, const lab::StepContext& ctx);

} // namespace mountlab::lesson
