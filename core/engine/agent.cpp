#include "engine/agent.h"

#include "stream/command.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace mountlab::engine {

std::vector<std::string> LineReader::read_lines()
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

void LineReader::append(std::string_view data)
{
    while (!data.empty()) {
        const size_t nl = data.find('\n');
        const std::string_view part = data.substr(0, nl == std::string_view::npos ? data.size() : nl + 1);
        data.remove_prefix(part.size());
        const size_t line_start = pending_.rfind('\n') == std::string::npos ? 0 : pending_.rfind('\n') + 1;
        const size_t room =
            stream::kMaxCommandBytes + 1 - std::min(stream::kMaxCommandBytes + 1, pending_.size() - line_start);
        const bool ends = part.back() == '\n';
        const std::string_view body = part.substr(0, part.size() - (ends ? 1 : 0));
        pending_.append(body.substr(0, std::min(room, body.size())));
        if (ends)
            pending_.push_back('\n');
    }
}

Agent::Agent(lab::Lab& lab, stream::Sink sink, lab::CallFeed* tracer, const std::string& trace_unavailable)
    : sink_(std::move(sink)), walkthrough_(lesson::load_walkthrough()), lessons_(lesson::load_all_lessons()),
      runner_(lab, sink_), terminals_(lab, sink_), lab_(lab)
{
    for (const lesson::Diagnostic& d : walkthrough_.diagnostics)
        sink_(stream::log("warning", d.to_string()));
    for (const lesson::Diagnostic& d : lessons_.diagnostics)
        sink_(stream::log("warning", d.to_string()));
    runner_.set_tracer(tracer, trace_unavailable);
}

Status Agent::begin() { return runner_.begin(); }

void Agent::reject(int lineno, const std::string& why)
{
    stream::ErrorEvent e;
    e.line = lineno;
    e.message = fmt::format("command on line {}: {}", lineno, why);
    sink_(stream::error(e));
}

void Agent::reject_failed(const Status& s, int lineno)
{
    if (!s)
        reject(lineno, s.error().message);
}

void Agent::run_walkthrough_step(const stream::Command& cmd, int lineno)
{
    if (cmd.index < 0 || cmd.index >= static_cast<long>(steps().size()))
        reject(lineno, fmt::format("no walkthrough step {} (there are {})", cmd.index, steps().size()));
    else
        runner_.run(steps()[static_cast<size_t>(cmd.index)]);
}

const lesson::Lesson* Agent::catalogue_lesson(const std::string& id) const
{
    const lesson::Lesson* found = nullptr;
    for (const lesson::Lesson& l : lessons_.lessons)
        if (l.id == id)
            found = &l;
    return found;
}

void Agent::run_lesson_step(const stream::Command& cmd, int lineno)
{
    const lesson::Lesson* found = catalogue_lesson(cmd.lesson);
    if (!found)
        reject(lineno, fmt::format("no lesson `{}`", cmd.lesson));
    else if (cmd.index < 0 || cmd.index >= static_cast<long>(found->steps.size()))
        reject(lineno,
               fmt::format("lesson `{}` has no step {} (it has {})", cmd.lesson, cmd.index, found->steps.size()));
    else
        runner_.run(
            lesson::to_step_spec(found->steps[static_cast<size_t>(cmd.index)], found->id, static_cast<int>(cmd.index)));
}

// An op or a command line the reader made up, run as a step.
void Agent::run_op(const stream::Command& cmd)
{
    using K = stream::Command::Kind;
    lab::StepSpec spec;
    spec.stage = cmd.stage;
    spec.id = cmd.kind == K::Exec ? "exec" : "op";
    spec.where = cmd.where;
    spec.title = cmd.title;
    spec.shell = cmd.shell;
    spec.op = cmd.kind == K::Exec ? Json{{"op", "exec"}, {"argv", cmd.argv}, {"timeout_ms", cmd.timeout_ms}} : cmd.op;
    runner_.run(spec);
}

void Agent::reset(const stream::Command& cmd)
{
    const bool container = cmd.kind == stream::Command::Kind::Reset;
    lab::StepSpec spec;
    spec.stage = "lab";
    spec.id = container ? "reset" : "reset-lab";
    spec.title = container ? "Start a fresh container" : "Start a fresh lab host";
    spec.where = "lab";
    spec.op = Json{{"op", container ? "reset_container" : "reset_lab"}};
    // The lesson the fresh lab is for, when the reader says (the GUI does when
    // it moves to another lesson): carried in the begin event's op.
    if (!cmd.lesson.empty())
        spec.op["lesson"] = cmd.lesson;
    // The shells go with the processes they run in (the lab host's outlive a reset
    // of the container).
    terminals_.close_in(container ? "container" : "", "reset");
    runner_.run(spec);
}

void Agent::open_terminal(const stream::Command& cmd, int lineno)
{
    // A practice's container terminals are as a graded script is: PID 1 of a PID
    // namespace of their own, so that what the learner types behaves as Submit will.
    const bool own_pid_namespace = practice_ && cmd.where == "container";
    if (auto id = terminals_.open(cmd.where, cmd.rows, cmd.cols, own_pid_namespace); !id)
        reject(lineno, id.error().message);
    runner_.emit_calls_between_steps(); // the set-up's and the PTY's, not the shell's
}

void Agent::dispatch(const stream::Command& cmd, int lineno)
{
    using K = stream::Command::Kind;
    switch (cmd.kind) {
    case K::List:
        sink_(lesson::walkthrough_event(walkthrough_.lesson));
        break;
    case K::Step:
        leave_modes(); // the lab changes by what Submit would not replay, and not by the learner
        run_walkthrough_step(cmd, lineno);
        break;
    case K::Lessons:
        for (const lesson::Lesson& l : lessons_.lessons)
            sink_(lesson::lesson_event(l));
        break;
    case K::LessonStep:
        leave_modes();
        run_lesson_step(cmd, lineno);
        break;
    case K::Op:
    case K::Exec:
        leave_modes();
        run_op(cmd);
        break;
    case K::Snapshot:
        reject_failed(runner_.begin(), lineno);
        break;
    case K::Reset:
    case K::ResetLab:
        leave_modes(); // the lab they judged is gone
        reset(cmd);
        break;
    case K::TerminalOpen:
        open_terminal(cmd, lineno);
        break;
    case K::TerminalInput:
        reject_failed(terminals_.input(static_cast<int>(cmd.terminal), cmd.data), lineno);
        break;
    case K::TerminalResize:
        reject_failed(terminals_.resize(static_cast<int>(cmd.terminal), cmd.rows, cmd.cols), lineno);
        break;
    case K::TerminalClose:
        reject_failed(terminals_.close(static_cast<int>(cmd.terminal)), lineno);
        break;
    case K::Practice:
        start_practice(cmd, lineno);
        break;
    case K::PracticeCheck:
        if (!practice_)
            reject(lineno, "practice-check: no practice is running (start one with practice)");
        else
            judge_practice("check");
        break;
    case K::PracticeSubmit:
        submit_practice(lineno);
        break;
    case K::PracticeStop:
        if (!practice_)
            reject(lineno, "practice-stop: no practice is running");
        stop_practice();
        break;
    case K::Try:
        start_try(cmd, lineno);
        break;
    case K::TryStop:
        // None running is no error: a stop the GUI sent may cross the try's end (it
        // passed, or a step ended it) on the way.
        stop_try("stop");
        break;
    case K::Quit:
        break;
    }
}

bool Agent::handle(const std::string& line, int lineno)
{
    if (line.find_first_not_of(" \t\r") == std::string::npos)
        return true;
    auto parsed = stream::parse_command(line);
    if (!parsed) {
        reject(lineno, parsed.error().message);
        return true;
    }
    if (parsed->kind == stream::Command::Kind::Quit)
        return false;
    dispatch(*parsed, lineno);
    return true;
}

Status Agent::serve(int fd)
{
    LineReader input(fd);
    int lineno = 0;
    bool quit = false;
    while (!quit) {
        std::vector<pollfd> fds = terminals_.fds();
        fds.push_back(pollfd{fd, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), terminals_.poll_timeout_ms()) < 0 && errno != EINTR)
            return Error{errno, fmt::format("poll the agent's input: {}", strerror(errno))};
        const bool commands = fds.back().revents != 0;
        fds.pop_back();
        terminals_.service(fds);
        if (commands)
            for (const std::string& line : input.read_lines())
                if (!quit)
                    quit = !handle(line, ++lineno);
        if (input.eof())
            quit = true;
        after_round();
    }
    return Ok{};
}

void Agent::after_round()
{
    commands_typed();
    // Commands typed in a terminal may have changed the tables: look, as a step would.
    if (auto where = terminals_.mount_refresh_due())
        if (runner_.observe_terminal(*where, terminals_.container_foreground())) {
            judge_practice("mounts");
            judge_try("mounts");
        }
}

} // namespace mountlab::engine
