// StepRunner: performs one step of a lesson or the walkthrough on a Lab, and tells the
// event stream what happened: step begin, the result, both views' tables and diffs,
// what copy-up did, each check, step end.
#pragma once

#include "lab/callfeed.h"
#include "lab/lab.h"
#include "stream/events.h"
#include "trace/tracer.h"

#include <chrono>
#include <functional>

namespace mountlab::lab {

struct StepContext {
    const OpResult& result;
    const Snapshot& before;
    const Snapshot& after;
    Lab& lab;
    // The system calls the step caused, as "syscall" events; null when not traced.
    const std::vector<Json>* syscalls = nullptr;
    std::string trace_unavailable; // why, when syscalls is null
    // The process whose place a check asks about for "container" (Lab::in_process): a
    // terminal's foreground program when the learner typed the step; -1: the container.
    pid_t ask_pid = -1;
};

// A check returns "" when it holds, else what was found instead.
using CheckFn = std::function<std::string(const StepContext&)>;
struct Check {
    std::string name; // what must hold, as a sentence
    CheckFn fn;
};

// "" when the lab host's table is the same in both snapshots, else what changed
// ("the lab host's table changed: +/mnt/x -/y ~/z").
[[nodiscard]] std::string lab_host_changes(const StepContext& c);

struct StepSpec {
    std::string stage;               // "unshare", "propagation", ...
    std::string id;                  // short name, unique in its stage
    std::string title;               // one line for a learner
    std::string shell;               // the shell equivalent
    std::string syscall;             // the system call(s) it makes, as strace would show them
    std::string explain;             // why, in a sentence or two
    Json op;                         // {"op": ..., ...} (see operations.h), or a list of them done in order;
                                     // "reset_container" / "reset_lab" reset
    std::string where = "container"; // or "lab host"
    bool expect_ok = true;           // must the operation itself succeed?
    std::vector<Check> checks;
    // Where the step comes from, for readers that navigate: "walkthrough" or a lesson's
    // id, and the step's position in it (-1: not part of one, such as a console command).
    std::string lesson;
    int index = -1;
    Json predict; // {"question", "choices", "answer", "why"}: asked before it runs; null for none
};

class StepRunner {
public:
    StepRunner(Lab& lab, stream::Sink sink) : lab_(lab), sink_(std::move(sink)) {}

    // Snapshot and tables before the first step.
    [[nodiscard]] Status begin();
    // Runs a step; true when the operation behaved as expected and every check held.
    bool run(const StepSpec& step);

    // What commands typed in a terminal did: when the tables changed since the last
    // step (or the trace saw mount-family or namespace calls), a "terminal" pseudo-step (stage and id
    // "terminal", where it was typed) with the calls, tables and diffs a step has.
    // Nothing when nothing happened. True when it emitted one. The container view is
    // that of view_pid (Terminals::container_foreground()) while it exists.
    bool observe_terminal(const std::string& where, pid_t view_pid = -1);
    // A step the learner did by typing (engine/trystep.h): its begin (with `op`
    // {"op":"typed","commands":[...]}), the views from `before` to `after`, the checks as
    // they were judged, and its end (passed); `after` is the last tables from here on.
    void record_typed(StepSpec spec, const Snapshot& before, Snapshot after, const OpResult& result,
                      const std::vector<std::string>& commands, const std::vector<Json>& calls,
                      const std::vector<std::pair<std::string, std::string>>& checks);
    // The calls made since the last step (the lab's set-up, a terminal's opening) go out
    // now, untagged, so that the next step or terminal pseudo-step gets only its own.
    void emit_calls_between_steps();

    // Trace each step's system calls from this feed (which must follow the lab), or
    // say why they cannot be (null feed).
    void set_tracer(CallFeed* feed, std::string unavailable_reason)
    {
        tracer_ = feed;
        trace_unavailable_ = std::move(unavailable_reason);
    }

    // Every call traced from now on is also appended here (a practice judges the calls
    // since its set-up); null: none kept.
    void set_call_log(std::vector<Json>* log) { call_log_ = log; }

    [[nodiscard]] int steps() const { return step_; }
    [[nodiscard]] int failed() const { return failed_; }
    [[nodiscard]] const Snapshot& last() const { return last_; }
    [[nodiscard]] bool traced() const { return tracer_ != nullptr; }
    [[nodiscard]] const std::string& trace_unavailable() const { return trace_unavailable_; }

private:
    void emit_views(int step, const Snapshot* before, const Snapshot& after);

    std::vector<Json> drain_trace(int step);
    // The step's operations in order, up to the first failure; fresh: one was a reset.
    OpResult perform(const StepSpec& spec, bool& fresh);
    // The step's checks (and whether the operation failed as expected), each said; true
    // when all held.
    bool check(int id, const StepSpec& spec, const OpResult& result, const Snapshot& after,
               const std::vector<Json>& calls);

    Lab& lab_;
    stream::Sink sink_;
    CallFeed* tracer_ = nullptr;
    std::string trace_unavailable_;
    std::vector<Json>* call_log_ = nullptr;
    Snapshot last_;
    int step_ = 0;
    int failed_ = 0;
};

} // namespace mountlab::lab
