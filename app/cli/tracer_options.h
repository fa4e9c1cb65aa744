// The --tracer option (and --no-trace) of `run`, `agent` and `shell`: how
// engine::start_tracing starts the trace.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace mountlab::cli {

void add_tracer_options(CLI::App& app, std::string& how);

} // namespace mountlab::cli
