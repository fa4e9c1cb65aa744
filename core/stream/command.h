// The agent's commands: one JSON object per line on its stdin (core/stream/README.md,
// "Commands"). parse_command() checks every field's type and range and never throws:
// a malformed command is an error that says which field and why, and the agent goes
// on with the next line.
#pragma once

#include "base/error.h"
#include "stream/events.h"

#include <string>
#include <vector>

namespace mountlab::stream {

struct Command {
    enum class Kind {
        List,
        Step,
        Lessons,
        LessonStep,
        Op,
        Exec,
        Snapshot,
        Reset,
        ResetLab,
        Quit,
        TerminalOpen,
        TerminalInput,
        TerminalResize,
        TerminalClose,
        Practice,
        PracticeCheck,
        PracticeSubmit,
        PracticeStop,
        Try,
        TryStop
    };
    Kind kind = Kind::List;
    long index = -1;                 // step, lesson-step, try
    std::string lesson;              // lesson-step, practice; reset-lab: the lesson the fresh lab is for
    std::string exercise;            // practice: the exercise's id
    std::vector<std::string> argv;   // exec
    int timeout_ms = 10000;          // exec: 1 ms .. 10 min
    Json op;                         // op: an object with a string "op"
    std::string where = "container"; // op, exec, terminal-open: "container" or "lab host"
    std::string stage = "console";
    std::string title;
    std::string shell;
    long terminal = -1;       // terminal-input, -resize, -close: the id terminal-open gave
    int rows = 24, cols = 80; // terminal-open, -resize: 1 .. kMaxTerminalSide
    std::string data;         // terminal-input: the bytes ("data" in base64, or "text")
};

inline constexpr int kMaxTerminalSide = 1000;

// Lines longer than this, or nested deeper, are refused before they are parsed (an op
// is a few levels deep; copying a deeper value would recurse once per level).
inline constexpr size_t kMaxCommandBytes = 1u << 20;
inline constexpr size_t kMaxCommandDepth = 32;

[[nodiscard]] Result<Command> parse_command(std::string_view line);

} // namespace mountlab::stream
