// The event stream: what the engine tells its front ends (the CLI's text and --json,
// the GUI through `mountlab-cli agent`, recordings, grading). JSON lines, one event
// per line, each with "kind". Documented in core/stream/README.md.
//
// Every event is made here, by one builder per kind: producers fill named fields and
// never write a key themselves, so the keys, their order and their types have one
// source (tests/unit/tst_stream_events.cpp holds each builder to its documentation, and
// tests/gui/tst_gui_stream.cpp feeds the GUI what they make). Json is ordered: a key's
// place in the line is the order it is set in here.
#pragma once

#include "base/json.h"
#include "mount/mountdiff.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mountlab::stream {

inline constexpr int kVersion = 1;

// {"kind":"session","v":1,"tool":"mountlab",...facts}: the first line of every stream.
[[nodiscard]] Json session(const Json& facts);

// A mount as the stream carries it: findmnt's keys, ours, and the raw mountinfo line.
[[nodiscard]] Json mount_json(const Mount& m);

// The process whose table a "container" view shows when it is not the container
// process (the foreground of the container's terminal).
struct ViewProcess {
    int pid = 0; // in the lab's PID namespace
    std::string comm;
};
// {"kind":"table","step","view","mntns","mounts":[mount...]} and, with a process,
// "pid" (int) and "comm" (string) after them.
[[nodiscard]] Json table(int step, const std::string& view, unsigned long long mntns, const std::vector<Mount>& mounts,
                         const std::optional<ViewProcess>& process = std::nullopt);
// {"kind":"diff","step","view","added":[mount],"removed":[mount],"changed":[{"before","after","fields"}]}
[[nodiscard]] Json diff(int step, const std::string& view, const MountDiff& d);
// Across namespaces (mount IDs differ): by target, with "basis": "normalised" after "view".
[[nodiscard]] Json normal_diff(int step, const std::string& view, const NormalDiff& d);
[[nodiscard]] Json normal_mount_json(const NormalMount& m);

// {"kind":"step","phase":"begin",...}: a step starts.
struct StepBegin {
    int step = 0;        // "step" (int): numbered from 1 in a session
    std::string stage;   // "stage": "propagation", a lesson's id, "terminal"
    std::string id;      // "id": short name, unique in its stage
    std::string title;   // "title": one line for a learner
    std::string shell;   // "shell": the shell equivalent
    std::string syscall; // "syscall": the call(s) it makes, as strace shows them
    std::string explain; // "explain": why, in a sentence or two
    std::string where;   // "where": "container", "lab host" or "lab"
    Json op;             // "op": the operation (object) or operations (array), as given
    // "lesson" (string) and "index" (int), only when both are set: where the step comes
    // from ("walkthrough" or a lesson's id) and its position there from 0.
    std::string lesson;
    int index = -1;
    Json predict; // "predict": {"question","choices","answer","why"}, only when an object
};
[[nodiscard]] Json step_begin(const StepBegin& s);

// {"kind":"step","phase":"end",...}: what the step did.
struct StepEnd {
    int step = 0;                   // "step" (int)
    bool ok = true;                 // "ok": the operation succeeded
    int err = 0;                    // "errno": its name (string), null when 0
    std::string error;              // "error": the operation's message, "" on success
    std::string cause;              // "cause": the documented cause of errno that applies, or ""
    std::int64_t duration_us = 0;   // "duration_us" (int)
    bool passed = true;             // "passed": the outcome and every check as expected
    std::vector<std::string> calls; // "calls": the step's traced calls, strace's form
    Json data = Json::object();     // "data": what the operation reports (see the README's table)
};
[[nodiscard]] Json step_end(const StepEnd& s);

// {"kind":"check","step","name","passed","message"}: one check of a step.
struct CheckResult {
    int step = 0;        // "step" (int)
    std::string name;    // "name": what must hold, as a sentence
    bool passed = false; // "passed"
    std::string message; // "message": what was found instead, "" when it passed
};
[[nodiscard]] Json check(const CheckResult& c);

// A file overlayfs changed in the upper layer: {"path","kind","upper_path"}. The rows
// of a "copyup" event and of a file operation's "upper_changes".
struct UpperChange {
    std::string path;       // in the merged view
    std::string kind;       // copied-up, copied-up-dir, created, modified, whiteout, opaque-dir, removed-from-upper
    std::string upper_path; // where it is in upperdir
};
[[nodiscard]] Json upper_change_json(const UpperChange& c);
// The lower file an operation went through to: {"layer","path","unchanged"}.
struct LowerFile {
    std::string layer;     // the lowerdir that holds it
    std::string path;      // the file in that layer
    bool unchanged = true; // its bytes are the same after the operation
};
[[nodiscard]] Json lower_file_json(const LowerFile& l);
// {"kind":"copyup","step","overlay","upperdir","lowerdirs","changes","lower"}.
struct CopyUp {
    int step = 0;                       // "step" (int)
    std::string overlay;                // "overlay": the merged directory
    std::string upperdir;               // "upperdir"
    std::vector<std::string> lowerdirs; // "lowerdirs": topmost first
    std::vector<UpperChange> changes;   // "changes"
    std::optional<LowerFile> lower;     // "lower": null when no lower layer holds the file
};
[[nodiscard]] Json copyup(const CopyUp& c);

// {"kind":"terminal","id","opened":true,"where","shell","pid","rows","cols"}.
struct TerminalOpened {
    int id = 0;        // "id" (int): names the terminal in later events and commands
    std::string where; // "where": "container" or "lab host"
    std::string shell; // "shell": the program it runs
    int pid = 0;       // "pid" (int): in the lab's PID namespace
    int rows = 0;      // "rows" (int)
    int cols = 0;      // "cols" (int)
    // "pid_namespace": true, only when set: the shell is PID 1 of a PID namespace of its
    // own, as a graded script is (a practice's terminals); pid is then its parent's.
    bool pid_namespace = false;
};
[[nodiscard]] Json terminal_opened(const TerminalOpened& t);
// {"kind":"terminal","id","data"}: bytes a terminal's PTY wrote, sent base64 (RFC 4648).
[[nodiscard]] Json terminal_data(int id, std::string_view bytes);
// {"kind":"terminal","id","closed":true,"exit","reason"}.
struct TerminalClosed {
    int id = 0;              // "id" (int)
    std::optional<int> exit; // "exit": the shell's exit status (int), null when unknown (a reset)
    std::string reason;      // "reason": "exit", "closed" or "reset"
};
[[nodiscard]] Json terminal_closed(const TerminalClosed& t);

// {"kind":"command","terminal","where","n","text","exit","level","nested"}: a command a
// terminal's shell ran, as the shell reported it at its next prompt (lab/commandreport.h).
struct CommandEvent {
    int terminal = 0;  // "terminal" (int): the terminal's id
    std::string where; // "where": "container" or "lab host"
    long n = 0;        // "n" (int): bash's history number
    std::string text;  // "text": the command line as typed (after line editing)
    int exit = 0;      // "exit" (int): its exit status
    int level = 1;     // "level" (int): $SHLVL; "nested" is level > 1 (a shell the terminal's started)
};
[[nodiscard]] Json command(const CommandEvent& c);

// {"kind":"practice","active",...}: an exercise done live in the lab (core/lesson/practice.h).
struct PracticeCheck {
    std::string name;
    int points = 0; // "points" (int): earned
    int max = 0;    // "max" (int)
    bool passed = false;
    // "live": false for a check only Submit can judge (the script's output or exit
    // status); "message" then says so.
    bool live = true;
    std::string message;  // what was found, when it does not hold
    std::string feedback; // the teacher's advice, when it does not hold
};
struct PracticeState {
    bool active = false;
    std::string lesson, exercise, title;
    std::string task; // Markdown
    std::vector<std::string> hints;
    std::string solution;           // "solution", only when the lesson gives one
    std::string reason;             // "reason": "start", "command", "mounts", "check" or "stop"
    int score = 0, max = 0;         // "score", "max" (int)
    int commands = 0;               // "commands" (int): typed so far in the practice's container terminals
    std::vector<std::string> after; // "after": what the grader does after the script (Submit only)
    std::string trace;              // "trace": "bpf", or why system calls cannot be judged
    std::vector<PracticeCheck> checks;
};
[[nodiscard]] Json practice(const PracticeState& p);
// {"kind":"practice-grade","lesson","exercise","script","result"}: Submit's grade; result
// is one submission of `mountlab-cli grade --format json`.
[[nodiscard]] Json practice_grade(const std::string& lesson, const std::string& exercise, const std::string& script,
                                  const Json& result);

// {"kind":"try",...}: a step the learner does by typing (the `try` command): its checks
// on the learner's own state, after each command and each change of the tables.
struct TryState {
    bool active = false; // "active": false once it ended (passed, stopped or replaced)
    std::string lesson;  // "lesson": a lesson's id, or "walkthrough"
    int index = -1;      // "index" (int): the step's position in it
    std::string id;      // "id", "title", "shell", "where": the step's
    std::string title, shell, where;
    std::string reason;  // "reason": "start", "command", "mounts", "passed" or "stop"
    bool passed = false; // "passed": every check held after a command (the step then ends as done)
    int commands = 0;    // "commands" (int): typed in the step's terminal since the try began
    std::string view;    // "view": whose container view is judged ("" the container; "PID comm" a program's)
    std::vector<PracticeCheck> checks; // points and max 0: a step's checks carry none
};
[[nodiscard]] Json try_state(const TryState& t);

// {"kind":"walkthrough","stages":[{"id","title"}],"steps":[...]}: the agent's answer to "list".
struct WalkthroughStage {
    std::string id;
    std::string title;
};
struct WalkthroughStep {
    std::size_t index = 0; // "index": its position, from 0
    std::string stage, id, title, shell, syscall;
    std::string explain; // "explain": the step's text
    std::string where;
    Json predict; // "predict" {"question","choices","answer","why"}, only when an object
};
[[nodiscard]] Json walkthrough(const std::vector<WalkthroughStage>& stages, const std::vector<WalkthroughStep>& steps);

// {"kind":"lesson","id","title","summary","file","prerequisites","steps","exercises"}.
struct LessonStepInfo {
    std::string id, title, shell, syscall;
    std::string text; // "text": Markdown
    std::string where;
    Json predict; // "predict", only when an object
};
struct ExerciseInfo {
    std::string id, title;
    int points = 0; // "points" (int)
    std::string task;
    std::vector<std::string> hints;
};
struct LessonInfo {
    std::string id, title, summary;
    std::string file;                       // "file": where it was loaded from
    std::vector<std::string> prerequisites; // lesson ids
    std::vector<LessonStepInfo> steps;      // "steps": [{"id","title","shell","syscall","text","where"[,"predict"]}]
    std::vector<ExerciseInfo> exercises;    // "exercises": [{"id","title","points","task","hints"}]
};
[[nodiscard]] Json lesson(const LessonInfo& l);

// {"kind":"summary","steps","failed"[,"duration_us"]}: the last line of a run.
struct Summary {
    int steps = 0;                           // "steps" (int): how many ran
    int failed = 0;                          // "failed" (int): how many did not pass
    std::optional<std::int64_t> duration_us; // "duration_us" (int), when the run timed itself
};
[[nodiscard]] Json summary(const Summary& s);

// {"kind":"log","level","message"}: level "info", "warning".
[[nodiscard]] Json log(const std::string& level, const std::string& message);

// {"kind":"error"[,"line"][,"fatal":true][,"errno"],"message"}: a bad agent command
// (with its input line) or a lab that cannot start (fatal).
struct ErrorEvent {
    std::optional<int> line; // "line" (int): the command's input line
    bool fatal = false;      // "fatal": true, only when true: the agent ends
    std::optional<int> err;  // "errno": its name (string), only when set
    std::string message;     // "message"
};
[[nodiscard]] Json error(const ErrorEvent& e);

// {"kind":"lost","count"}: calls a call feed could not hand over; count (int) null
// when unknown. Internal to the engine's call feeds (the steps say it as a log line).
[[nodiscard]] Json lost(std::optional<std::uint64_t> count);

// Where events go.
using Sink = std::function<void(const Json&)>;

// A sink that writes JSON lines to a FILE and flushes each line (a pipe reader sees
// every event as it happens).
[[nodiscard]] Sink json_lines(FILE* out);

} // namespace mountlab::stream
