// mountlab-cli's subcommands. Each registers its options on the app and returns the
// function that runs it (exit status: 0 ok, 1 failed, 2 could not run).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace mountlab::cli {

using Runner = std::function<int()>;

Runner add_tree(CLI::App& app);
Runner add_trace(CLI::App& app);
Runner add_run(CLI::App& app);
Runner add_agent(CLI::App& app);
Runner add_lessons(CLI::App& app);
Runner add_lint(CLI::App& app);
Runner add_grade(CLI::App& app);
Runner add_userland(CLI::App& app);
Runner add_shell(CLI::App& app);
Runner add_practice(CLI::App& app);

} // namespace mountlab::cli
