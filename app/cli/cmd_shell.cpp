// mountlab-cli shell: the lab's terminal from a text console. The local tty goes raw
// and every byte is relayed both ways to a shell on a PTY in the lab (the container's
// or the lab host's); after each quiet moment the mount changes it made are printed
// between prompts, as `run` prints a step's. Ctrl+] or the shell's exit ends it.
#include "commands.h"
#include "engine/labsession.h"
#include "rawtty.h"
#include "shellscreen.h"
#include "tracer_options.h"

#include "base/base64.h"
#include "base/textescape.h"
#include "lab/steprunner.h"
#include "lab/terminals.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace mountlab::cli {

namespace {

constexpr char kEscapeByte = 0x1d; // Ctrl+]

struct Relay {
    lab::Terminals& terminals;
    lab::StepRunner& runner;
    ShellScreen& screen;
    int id;
    const WindowChanges& changes;

    // Until the shell exits (its status) or Ctrl+] (0).
    Result<int> run()
    {
        while (!screen.closed()) {
            auto keys = console_round(terminals, changes, id);
            if (!keys)
                return keys.error();
            if (*keys && !relay_keys())
                return 0;
            if (auto where = terminals.mount_refresh_due())
                runner.observe_terminal(*where, terminals.container_foreground());
        }
        return screen.exit_status();
    }

    // False at Ctrl+] or the end of the console's input.
    bool relay_keys()
    {
        char buf[4096];
        const ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            return true;
        if (n <= 0)
            return false;
        const std::string_view typed(buf, static_cast<size_t>(n));
        const size_t stop = typed.find(kEscapeByte);
        (void)terminals.input(id, typed.substr(0, stop));
        return stop == std::string_view::npos;
    }
};

} // namespace

Runner add_shell(CLI::App& app)
{
    struct Opts {
        std::string where = "container";
        std::string tracer = "auto";
    };
    auto o = std::make_shared<Opts>();
    app.add_option("--where", o->where, "Where the shell runs: in the container, or in the lab host")
        ->check(CLI::IsMember({"container", "lab-host"}));
    add_tracer_options(app, o->tracer);
    app.footer("An interactive shell (bash when the lab has it, else busybox sh) on a terminal in a fresh\n"
               "sandboxed lab: in the container, or with --where lab-host in the lab host. Every key goes to\n"
               "it; after each command the changes of both views' mount tables (and the traced calls) are\n"
               "printed between prompts. Ctrl+] or the shell's exit ends it; the lab ends with it.\n"
               "Exit status: the shell's, 0 after Ctrl+], 2 when the lab could not start.");
    return [o]() -> int {
        const std::string where = o->where == "lab-host" ? "lab host" : "container";
        ShellScreen screen;
        stream::Sink sink = [&screen](const Json& e) { screen(e); };
        lab::LabOptions opts;
        engine::Tracing tracing = engine::start_tracing(o->tracer);
        engine::follow_lab(tracing, opts);
        auto lab = lab::Lab::start(opts);
        if (!lab) {
            fmt::print(stderr, "mountlab-cli shell: cannot start the lab: {}\n", escape_text(lab.error().message));
            return 2;
        }
        sink(stream::session(engine::session_facts(**lab, tracing, 0)));
        lab::StepRunner runner(**lab, sink);
        runner.set_tracer(tracing.feed.get(), tracing.reason);
        if (Status s = runner.begin(); !s) {
            fmt::print(stderr, "mountlab-cli shell: {}\n", escape_text(s.error().message));
            return 2;
        }
        fmt::print("\nA shell in the {}. Ctrl+] leaves; mount changes are printed after each command.\n", where);
        fflush(stdout);
        WindowChanges changes;
        if (Status s = changes.open(); !s) {
            fmt::print(stderr, "mountlab-cli shell: {}\n", escape_text(s.error().message));
            return 2;
        }
        Result<int> status = 0;
        bool left = false; // Ctrl+]: the shell was still running
        {
            lab::Terminals terminals(**lab, sink);
            const auto [rows, cols] = window_size();
            auto id = terminals.open(where, rows, cols);
            if (!id) {
                fmt::print(stderr, "mountlab-cli shell: {}\n", escape_text(id.error().message));
                return 2;
            }
            runner.emit_calls_between_steps();
            RawTty raw(STDIN_FILENO);
            screen.set_raw(raw.active());
            status = Relay{terminals, runner, screen, *id, changes}.run();
            left = !screen.closed();
            if (left)
                (void)terminals.close(*id);
        }
        screen.set_raw(false);
        if (!status) {
            fmt::print(stderr, "\nmountlab-cli shell: {}\n", escape_text(status.error().message));
            return 2;
        }
        if (left)
            fmt::print("\n[left the {}'s shell; the lab is gone with it]\n", where);
        else
            fmt::print("\n[the {}'s shell exited with status {}]\n", where, *status);
        return left ? 0 : *status;
    };
}

} // namespace mountlab::cli
