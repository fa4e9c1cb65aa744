// Which command a terminal's shell ran, told by the shell itself: at each prompt, the
// bash of a lab terminal (PROMPT_COMMAND, set in terminal.cpp) writes an OSC sequence
// to its tty, "ESC ] 6973 ; EXIT ; SHLVL ; PID ; HISTORY-LINE BEL", where HISTORY-LINE
// is what `history 1` prints ("%5d  %s": bash's number for it, and the command as
// typed, after line editing). The engine takes these out of the output before the
// terminal's bytes are streamed: the learner never sees them, and the reader learns
// each command as it ends, in order (`command` events; the practice's script).
//
// The report is what the shell says: anyone in the lab can print one. It is for the
// learner's own record (a practice's checklist, the script Submit grades in a fresh
// sandbox), never evidence a grade relies on.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mountlab::lab {

struct CommandReport {
    long n = 0;          // bash's history number; 0: the history is empty (no command yet)
    std::string text;    // the command line(s), newlines as \n
    int exit = 0;        // $? when the prompt was drawn
    int shell_level = 1; // $SHLVL: 1 for the terminal's own shell, more in a shell it started
    long pid = 0;        // $$ of the reporting shell (in its own PID namespace)
    // What the terminal showed between the command's line (its echo, up to the first
    // newline) and this report: the command's stdout and stderr as the tty had them,
    // escape sequences and carriage returns taken out, at most kMaxOutputBytes. A
    // heuristic (a command typed ahead while another runs is echoed into it).
    std::string output;
};

inline constexpr size_t kMaxOutputBytes = 64 * 1024;

// The text a command printed, from what the terminal showed since the previous report
// (the prompt, the echo of the line, then the output): see CommandReport::output.
[[nodiscard]] std::string command_output(std::string_view shown);

// The sequence's introducer, and the PROMPT_COMMAND that writes it.
inline constexpr std::string_view kCommandReportIntro = "\033]6973;";
[[nodiscard]] std::string command_report_prompt_command();

// Takes reports out of a byte stream fed in pieces as read (a report may be cut
// anywhere between two reads). Bytes that are not a whole report pass through
// unchanged; one longer than kMaxReportBytes is given up on and passed through.
class CommandReportFilter {
public:
    static constexpr size_t kMaxReportBytes = 1024 * 1024; // a pasted command of 1 MiB

    // The bytes to show, with the whole reports found appended to `found`. What may be
    // the start of a report is kept back until the next feed decides.
    [[nodiscard]] std::string feed(std::string_view bytes, std::vector<CommandReport>& found);
    // What is kept back (at the end of the stream: show it).
    [[nodiscard]] std::string take_pending() { return std::exchange(pending_, {}); }
    [[nodiscard]] bool pending() const { return !pending_.empty(); }

private:
    void keep_shown(std::string_view shown);

    std::string pending_;
    std::string since_report_; // shown since the last report (capped)
};

// One report's body (between the introducer and BEL); false when it is not one.
[[nodiscard]] bool parse_command_report(std::string_view body, CommandReport& out);

} // namespace mountlab::lab
