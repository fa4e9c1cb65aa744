// The lab's terminal on a text console (`shell`, `practice`): the shell's bytes as they
// are; the stream's other events (a terminal pseudo-step's changes, TextPrinter's text,
// or what a command adds with say()) between prompts, after which the line the shell
// was on (its prompt) is drawn again.
#pragma once

#include "base/error.h"
#include "base/fd.h"
#include "base/json.h"
#include "lab/terminals.h"
#include "textprinter.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace mountlab::cli {

// All of bytes to stdout (EINTR retried; a closed stdout ends it).
void write_out(std::string_view bytes);
// The console's size (rows, cols); 24x80 when it has none.
[[nodiscard]] std::pair<int, int> window_size();

// SIGWINCH as a readable pipe while this lives (the console's size changed); the
// signal's default comes back with its end.
class WindowChanges {
public:
    WindowChanges() = default;
    WindowChanges(const WindowChanges&) = delete;
    WindowChanges& operator=(const WindowChanges&) = delete;
    ~WindowChanges();
    [[nodiscard]] Status open();
    [[nodiscard]] int fd() const { return read_.get(); }

private:
    UniqueFd read_, write_;
};

// One round of relaying a lab terminal on the console: waits for the terminals, the
// console's keys or a window change, then services the terminals and gives terminal
// `id` the console's new size. True when keys wait on stdin.
[[nodiscard]] Result<bool> console_round(lab::Terminals& terminals, const WindowChanges& changes, int id);

class ShellScreen {
public:
    ShellScreen();
    ~ShellScreen();
    ShellScreen(const ShellScreen&) = delete;
    ShellScreen& operator=(const ShellScreen&) = delete;

    void operator()(const Json& e);
    // Text of one's own between prompts (\n as the console needs it).
    void say(const std::string& text);
    void set_raw(bool raw) { raw_ = raw; }
    [[nodiscard]] bool closed() const { return closed_; }
    [[nodiscard]] int exit_status() const { return exit_; }

private:
    void terminal(const Json& e);

    char* text_ = nullptr;
    size_t size_ = 0;
    size_t shown_ = 0;
    FILE* mem_;
    TextPrinter printer_;
    bool raw_ = false;
    std::string line_; // the shell's output since its last newline: the prompt line
    bool closed_ = false;
    int exit_ = 0;
};

} // namespace mountlab::cli
