// mountlab-cli: the headless front end of MountLab.
#include "commands.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <system_error>

namespace {

// A command's output that could not be written (a full disk, /dev/full, a closed
// pipe with SIGPIPE ignored) is a failure, never a silent exit status 0.
bool stdout_written(const std::string& command)
{
    const int flushed = fflush(stdout);
    const int e = errno;
    if (flushed == 0 && !ferror(stdout))
        return true;
    fmt::print(stderr, "mountlab-cli {}: cannot write the output: {}\n", command,
               flushed != 0 ? strerror(e) : "a write to standard output failed");
    return false;
}

// Runs a command; what it throws (fmt's std::system_error on a failed write, a
// library's std::exception) ends it with a message and exit status 2, not an abort.
int run_command(const std::string& command, const mountlab::cli::Runner& run)
{
    int rc = 2;
    try {
        rc = run();
    } catch (const std::system_error& e) {
        fmt::print(stderr, "mountlab-cli {}: {}\n", command, e.what());
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "mountlab-cli {}: internal error: {}\n", command, e.what());
        return 2;
    }
    // Status 2 comes with its own message (and may be why the output is short).
    return rc == 2 || stdout_written(command) ? rc : 2;
}

} // namespace

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
    add("shell", "An interactive shell in a sandboxed lab's container (or lab host), with its mount changes printed",
        mountlab::cli::add_shell);
    add("practice", "Do an exercise in the lab's terminal, its checks judged live after each command",
        mountlab::cli::add_practice);
    add("agent", "The engine as a process: commands on stdin, the event stream on stdout (for the GUI)",
        mountlab::cli::add_agent);
    add("trace", "Trace mount-family and namespace syscalls live with eBPF (like strace, for a process tree)",
        mountlab::cli::add_trace);
    add("userland", "Build the lab's userland (bash, util-linux, ...) from this machine's Debian packages",
        mountlab::cli::add_userland);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    for (auto& [sub, run] : commands)
        if (sub->parsed())
            return run_command(sub->get_name(), run);
    return 2;
}
