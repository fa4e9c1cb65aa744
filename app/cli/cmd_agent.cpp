// mountlab-cli agent: the engine as a process. Commands come as JSON lines on stdin,
// the event stream goes to stdout (core/stream/README.md). The GUI starts it.
#include "commands.h"
#include "labsession.h"

#include "lab/terminals.h"
#include "lesson/walkthrough.h"
#include "stream/command.h"
#include "lesson/runner.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <unistd.h>
#include <iostream>
#include <sys/prctl.h>
#include <csignal>

namespace mountlab::cli {

namespace {

using stream::Json;

// Lines from a descriptor, read as they come (poll says when): the agent's commands.
class LineReader {
public:
    explicit LineReader(int fd) : fd_(fd) {}
    // The whole lines read now (a partial one waits for the rest; the last one counts at EOF).
    std::vector<std::string> read_lines()
    {
        std::vector<std::string> lines;
        char buf[65536];
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n > 0)
            append(std::string_view(buf, static_cast<size_t>(n)));
        else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            eof_ = true;
        size_t pos = 0, nl;
        while ((nl = pending_.find('\n', pos)) != std::string::npos) {
            lines.push_back(pending_.substr(pos, nl - pos));
            pos = nl + 1;
        }
        pending_.erase(0, pos);
        if (eof_ && !pending_.empty())
            lines.push_back(std::exchange(pending_, {}));
        return lines;
    }
    [[nodiscard]] bool eof() const { return eof_; }

private:
    // A line longer than a command may be is kept only up to one byte over the limit
    // (parse_command then refuses it as too long), the rest dropped up to its newline:
    // a client sending a gigabyte without a newline costs the agent 1 MiB, not 1 GiB.
    void append(std::string_view data)
    {
        while (!data.empty()) {
            const size_t nl = data.find('\n');
            const std::string_view part = data.substr(0, nl == std::string_view::npos ? data.size() : nl + 1);
            data.remove_prefix(part.size());
            const size_t line_start = pending_.rfind('\n') == std::string::npos ? 0 : pending_.rfind('\n') + 1;
            const size_t room = stream::kMaxCommandBytes + 1 - std::min(stream::kMaxCommandBytes + 1, pending_.size() - line_start);
            const bool ends = part.back() == '\n';
            const std::string_view body = part.substr(0, part.size() - (ends ? 1 : 0));
            pending_.append(body.substr(0, std::min(room, body.size())));
            if (ends)
                pending_.push_back('\n');
        }
    }

    int fd_;
    std::string pending_;
    bool eof_ = false;
};

// One command at a time: what a line on stdin asks for.
struct Agent {
    stream::Sink& sink;
    const lesson::LoadedWalkthrough& walkthrough;
    const std::vector<lab::StepSpec>& steps; // the walkthrough's
    const lesson::Loaded& lessons;
    lab::StepRunner& runner;
    lab::Terminals& terminals;

    // False when the command is quit.
    bool handle(const std::string& line, int lineno);
};

bool Agent::handle(const std::string& line, int lineno)
{
    if (line.find_first_not_of(" \t\r") == std::string::npos)
        return true;
    auto bad = [&](const std::string& why) {
        sink(Json{{"kind", "error"}, {"line", lineno}, {"message", fmt::format("command on line {}: {}", lineno, why)}});
    };
    auto parsed = stream::parse_command(line);
    if (!parsed) {
        bad(parsed.error().message);
        return true;
    }
    const stream::Command& cmd = *parsed;
    using K = stream::Command::Kind;
    if (cmd.kind == K::Quit)
        return false;
    switch (cmd.kind) {
    case K::List:
        sink(lesson::walkthrough_event(walkthrough.lesson));
        break;
    case K::Step:
        if (cmd.index < 0 || cmd.index >= static_cast<long>(steps.size()))
            bad(fmt::format("no walkthrough step {} (there are {})", cmd.index, steps.size()));
        else
            runner.run(steps[static_cast<size_t>(cmd.index)]);
        break;
    case K::Lessons:
        for (const lesson::Lesson& l : lessons.lessons)
            sink(lesson::lesson_event(l));
        break;
    case K::LessonStep: {
        const lesson::Lesson* found = nullptr;
        for (const lesson::Lesson& l : lessons.lessons)
            if (l.id == cmd.lesson)
                found = &l;
        if (!found)
            bad(fmt::format("no lesson `{}`", cmd.lesson));
        else if (cmd.index < 0 || cmd.index >= static_cast<long>(found->steps.size()))
            bad(fmt::format("lesson `{}` has no step {} (it has {})", cmd.lesson, cmd.index, found->steps.size()));
        else
            runner.run(lesson::to_step_spec(found->steps[static_cast<size_t>(cmd.index)], found->id,
                                            static_cast<int>(cmd.index)));
        break;
    }
    case K::Op:
    case K::Exec: {
        lab::StepSpec spec;
        spec.stage = cmd.stage;
        spec.id = cmd.kind == K::Exec ? "exec" : "op";
        spec.where = cmd.where;
        spec.title = cmd.title;
        spec.shell = cmd.shell;
        spec.op = cmd.kind == K::Exec ? Json{{"op", "exec"}, {"argv", cmd.argv}, {"timeout_ms", cmd.timeout_ms}} : cmd.op;
        runner.run(spec);
        break;
    }
    case K::Snapshot:
        if (Status s = runner.begin(); !s)
            bad(s.error().message);
        break;
    case K::Reset:
    case K::ResetLab: {
        lab::StepSpec spec;
        spec.stage = "lab";
        spec.id = cmd.kind == K::Reset ? "reset" : "reset-lab";
        spec.title = cmd.kind == K::Reset ? "Start a fresh container" : "Start a fresh lab host";
        spec.where = "lab";
        spec.op = Json{{"op", cmd.kind == K::Reset ? "reset_container" : "reset_lab"}};
        // The lesson the fresh lab is for, when the reader says (the GUI does when
        // it moves to another lesson): carried in the begin event's op.
        if (!cmd.lesson.empty())
            spec.op["lesson"] = cmd.lesson;
        // The shells go with the processes they run in (the lab host's outlive a reset
        // of the container).
        terminals.close_in(cmd.kind == K::Reset ? "container" : "", "reset");
        runner.run(spec);
        break;
    }
    case K::TerminalOpen:
        if (auto id = terminals.open(cmd.where, cmd.rows, cmd.cols); !id)
            bad(id.error().message);
        runner.emit_calls_between_steps(); // the set-up's and the PTY's, not the shell's
        break;
    case K::TerminalInput:
        if (Status s = terminals.input(static_cast<int>(cmd.terminal), cmd.data); !s)
            bad(s.error().message);
        break;
    case K::TerminalResize:
        if (Status s = terminals.resize(static_cast<int>(cmd.terminal), cmd.rows, cmd.cols); !s)
            bad(s.error().message);
        break;
    case K::TerminalClose:
        if (Status s = terminals.close(static_cast<int>(cmd.terminal)); !s)
            bad(s.error().message);
        break;
    case K::Quit:
        break;
    }
    return true;
}

} // namespace

Runner add_agent(CLI::App& app)
{
    auto tracer = std::make_shared<std::string>("auto");
    add_tracer_options(app, *tracer);
    app.footer("Reads one command per line on stdin, as JSON:\n"
               "  {\"cmd\":\"list\"}                      the walkthrough's steps\n"
               "  {\"cmd\":\"step\",\"index\":N}            run walkthrough step N (with its checks)\n"
               "  {\"cmd\":\"lessons\"}                   a \"lesson\" event for each lesson\n"
               "  {\"cmd\":\"lesson-step\",\"lesson\":ID,\"index\":N}   run step N of a lesson\n"
               "  {\"cmd\":\"op\",\"op\":{...},\"where\":\"container\"|\"lab host\",\"title\":\"...\"}   one operation\n"
               "  {\"cmd\":\"exec\",\"argv\":[\"ls\",\"/\"]}      a command in the container (the console)\n"
               "  {\"cmd\":\"terminal-open\",\"where\":\"container\",\"rows\":24,\"cols\":80}   an interactive shell on a PTY\n"
               "  {\"cmd\":\"terminal-input\",\"id\":N,\"data\":BASE64}  (or \"text\":STRING)   type into it\n"
               "  {\"cmd\":\"terminal-resize\",\"id\":N,\"rows\":R,\"cols\":C}  {\"cmd\":\"terminal-close\",\"id\":N}\n"
               "  {\"cmd\":\"snapshot\"}  {\"cmd\":\"reset\"}  {\"cmd\":\"reset-lab\"}  {\"cmd\":\"quit\"}\n"
               "and writes the event stream to stdout. A malformed command gets an \"error\" event and the\n"
               "agent goes on. Everything it runs runs in the lab's user namespace, with the privileges of\n"
               "whoever started the agent at most; when not root, only the tracer helper (mountlab-tracer,\n"
               "through pkexec) is root, and it takes no commands. It dies with its parent\n"
               "(PR_SET_PDEATHSIG), and the lab with it.");
    return [tracer]() -> int {
        // If the GUI dies, so do we, and with us the lab.
        const pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            return 2; // the parent died before the signal was armed

        stream::Sink sink = stream::json_lines(stdout);
        const auto t0 = std::chrono::steady_clock::now();
        lab::LabOptions opts;
        Tracing tracing = start_tracing(*tracer);
        follow_lab(tracing, opts);
        auto lab = lab::Lab::start(opts);
        if (!lab) {
            sink(Json{{"kind", "error"}, {"fatal", true}, {"errno", errno_name(lab.error().errnum)}, {"message", lab.error().message}});
            return 2;
        }
        sink(stream::session(session_facts(
            **lab, tracing, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count())));
        const lesson::LoadedWalkthrough walkthrough = lesson::load_walkthrough();
        for (const lesson::Diagnostic& d : walkthrough.diagnostics)
            sink(Json{{"kind", "log"}, {"level", "warning"}, {"message", d.to_string()}});
        const std::vector<lab::StepSpec>& steps = walkthrough.steps;
        const lesson::Loaded lessons = lesson::load_all_lessons();
        for (const lesson::Diagnostic& d : lessons.diagnostics)
            sink(Json{{"kind", "log"}, {"level", "warning"}, {"message", d.to_string()}});
        lab::StepRunner runner(**lab, sink);
        runner.set_tracer(tracing.feed.get(), tracing.reason);
        if (Status s = runner.begin(); !s) {
            sink(Json{{"kind", "error"}, {"fatal", true}, {"message", s.error().message}});
            return 2;
        }
        lab::Terminals terminals(**lab, sink);
        Agent agent{sink, walkthrough, steps, lessons, runner, terminals};
        LineReader input(STDIN_FILENO);
        int lineno = 0;
        bool quit = false;
        while (!quit) {
            std::vector<pollfd> fds = terminals.fds();
            fds.push_back(pollfd{STDIN_FILENO, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), terminals.poll_timeout_ms()) < 0 && errno != EINTR) {
                sink(Json{{"kind", "error"}, {"fatal", true}, {"message", fmt::format("poll the agent's input: {}", strerror(errno))}});
                return 2;
            }
            const bool commands = fds.back().revents != 0;
            fds.pop_back();
            terminals.service(fds);
            if (commands)
                for (const std::string& line : input.read_lines())
                    if (!quit)
                        quit = !agent.handle(line, ++lineno);
            if (input.eof())
                quit = true;
            // Commands typed in a terminal may have changed the tables: look, as a step would.
            if (auto where = terminals.mount_refresh_due())
                runner.observe_terminal(*where, terminals.container_foreground());
        }
        sink(Json{{"kind", "summary"}, {"steps", runner.steps()}, {"failed", runner.failed()}});
        return 0;
    };
}

} // namespace mountlab::cli
