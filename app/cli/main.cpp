// mountlab-cli: the headless front end of MountLab.
#include "commands.h"

#include <fmt/format.h>

int main(int argc, char** argv)
{
    CLI::App app{"MountLab: learn how containers build their filesystem, on the real kernel.\n"
                 "See the mount table as a tree with its propagation, run the lab, trace mounts."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "mountlab-cli " MOUNTLAB_VERSION);

    std::vector<std::pair<CLI::App*, mountlab::cli::Runner>> commands;
    auto add = [&](const char* name, const char* help, auto adder) {
        CLI::App* sub = app.add_subcommand(name, help);
        commands.emplace_back(sub, adder(*sub));
    };
    add("tree", "Print a mount table as a tree with propagation (like findmnt, plus peer groups)",
        mountlab::cli::add_tree);
    add("run", "Run the built-in walkthrough (or lessons) headless, step by step, in a sandboxed lab",
        mountlab::cli::add_run);
    add("lessons", "List the lessons with their steps and exercises", mountlab::cli::add_lessons);
    add("lint", "Check lesson files: every problem with its file, line and column", mountlab::cli::add_lint);
    add("grade", "Grade student scripts for an exercise, each in its own sandbox", mountlab::cli::add_grade);
    add("agent", "The engine as a process: commands on stdin, the event stream on stdout (for the GUI)",
        mountlab::cli::add_agent);
    add("trace", "Trace mount-family and namespace syscalls live with eBPF (like strace, for a process tree)",
        mountlab::cli::add_trace);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    for (auto& [sub, run] : commands)
        if (sub->parsed())
            return run();
    return 2;
}
