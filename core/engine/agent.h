// The engine's agent: the commands a client (the GUI, a test) sends as JSON lines, and
// their dispatch onto one lab (core/stream/README.md lists them and the events they
// make). `mountlab-cli agent` is this, serving stdin; tests drive it directly.
#pragma once

#include "engine/practice.h"
#include "engine/trystep.h"
#include "lab/lab.h"
#include "lab/steprunner.h"
#include "lab/terminals.h"
#include "lesson/runner.h"
#include "lesson/walkthrough.h"
#include "stream/command.h"
#include "stream/events.h"

#include <memory>
#include <string>
#include <vector>

namespace mountlab::engine {

// Whole lines from a descriptor, read as they come (poll says when). A line longer than
// a command may be is kept only up to one byte over the limit (parse_command refuses
// it), the rest dropped up to its newline.
class LineReader {
public:
    explicit LineReader(int fd) : fd_(fd) {}
    // The whole lines read now (a partial one waits for the rest; the last one counts at EOF).
    std::vector<std::string> read_lines();
    [[nodiscard]] bool eof() const { return eof_; }

private:
    void append(std::string_view data);

    int fd_;
    std::string pending_;
    bool eof_ = false;
};

class Agent {
public:
    // The walkthrough and the lessons of the lessons directory, a step runner and the
    // terminals, on `lab`; what they do goes to `sink`. Problems loading lessons go out
    // as warnings (`log` events); the lessons that load are there.
    Agent(lab::Lab& lab, stream::Sink sink, lab::CallFeed* tracer = nullptr, const std::string& trace_unavailable = {});

    // The tables before the first step (the runner's begin).
    [[nodiscard]] Status begin();
    // One command line; false when it is quit. A malformed one gets an `error` event
    // naming its line.
    bool handle(const std::string& line, int lineno);
    // Commands from fd until quit or its end, the terminals served meanwhile, and after
    // each round what typed commands changed (a `terminal` pseudo-step). Fails only when
    // poll does.
    [[nodiscard]] Status serve(int fd);

    // After the terminals were serviced (a front end that polls them itself, as
    // `mountlab-cli practice` does): the commands they reported, and a look at the
    // tables when one is due.
    void after_round();

    [[nodiscard]] const lab::StepRunner& runner() const { return runner_; }
    [[nodiscard]] lab::Terminals& terminals() { return terminals_; }
    [[nodiscard]] const std::vector<lab::StepSpec>& steps() const { return walkthrough_.steps; }

private:
    // One handler per command; a command that cannot be done gets an `error` event.
    void dispatch(const stream::Command& cmd, int lineno);
    void run_walkthrough_step(const stream::Command& cmd, int lineno);
    void run_lesson_step(const stream::Command& cmd, int lineno);
    void run_op(const stream::Command& cmd);
    void reset(const stream::Command& cmd);
    void open_terminal(const stream::Command& cmd, int lineno);
    // Practice (engine/practice.h): start one, judge it, grade it, end it.
    void start_practice(const stream::Command& cmd, int lineno);
    void judge_practice(const std::string& reason);
    void submit_practice(int lineno);
    void stop_practice();
    // Try it yourself (engine/trystep.h): start one on a step, judge it, end it.
    void start_try(const stream::Command& cmd, int lineno);
    void judge_try(const std::string& reason);
    void stop_try(const std::string& reason);
    // What a step, an operation or a reset ends: a practice and a try.
    void leave_modes();
    // What the terminals' shells reported since the last round: `command` events, the
    // tables looked at now (a command's end is when its changes are complete), and the
    // practice judged again.
    void commands_typed();
    // The catalogue's lesson with this id (the last one loaded, if two share it); null: none.
    [[nodiscard]] const lesson::Lesson* catalogue_lesson(const std::string& id) const;
    void reject(int lineno, const std::string& why);
    void reject_failed(const Status& s, int lineno);

    stream::Sink sink_;
    lesson::LoadedWalkthrough walkthrough_;
    lesson::Loaded lessons_;
    lab::StepRunner runner_;
    lab::Terminals terminals_;
    lab::Lab& lab_;
    std::unique_ptr<Practice> practice_;
    std::unique_ptr<TryStep> try_;
};

} // namespace mountlab::engine
