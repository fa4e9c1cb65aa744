// A terminal screen: what an xterm-compatible terminal shows after the bytes a PTY
// wrote (UTF-8 text, C0 controls, ESC/CSI/OSC sequences: cursor motion, erase,
// scroll regions, insert/delete, SGR colours 16/256/RGB, the alternate screen,
// bracketed paste, application cursor keys). Plain C++ (no Qt): the GUI's terminal
// widget draws it, tests feed it what bash really writes. Bytes that are not valid
// UTF-8 show as U+FFFD, one per bad byte, never dropped silently and never fatal;
// sequences it does not know are consumed and ignored, as xterm does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mountlab::term {

struct Color {
    enum class Kind : uint8_t { Default, Indexed, Rgb };
    Kind kind = Kind::Default;
    uint8_t index = 0;           // Indexed: 0-15 the ANSI colours, 16-255 xterm's cube and greys
    uint8_t r = 0, g = 0, b = 0; // Rgb
    friend bool operator==(const Color&, const Color&) = default;
};

struct Attrs {
    Color fg, bg;
    bool bold = false, faint = false, italic = false, underline = false, blink = false, inverse = false,
         invisible = false, strike = false;
    friend bool operator==(const Attrs&, const Attrs&) = default;
};

struct Cell {
    char32_t ch = U' ';
    // 1 a normal cell; 2 the left half of a wide (East Asian) character; 0 its right half.
    uint8_t width = 1;
    Attrs attrs;
    friend bool operator==(const Cell&, const Cell&) = default;
};

struct Line {
    std::vector<Cell> cells;
    bool wrapped = false; // the text goes on in the next line (autowrap), for copying
};

class Screen {
public:
    // rows and cols are clamped to 1..1000; scrollback to what the caller allows.
    Screen(int rows, int cols, size_t scrollback_lines = 5000);

    // Interprets bytes as they came from the PTY; a sequence or UTF-8 character split
    // across two calls is completed by the next one.
    void feed(std::string_view bytes);
    // A new size: lines are kept (truncated or padded), the cursor clamped.
    void resize(int rows, int cols);
    // Back to the state of a new terminal (RIS, or a new shell): empties the scrollback.
    void reset();

    [[nodiscard]] int rows() const;
    [[nodiscard]] int cols() const;
    // The visible screen, row 0 at the top; each line has exactly cols() cells. Out of
    // range: an empty Line, a blank Cell (never a crash).
    [[nodiscard]] const Line& line(int row) const;
    [[nodiscard]] const Cell& cell(int row, int col) const;
    // Lines that scrolled off the top of the main screen, oldest first. Each keeps the
    // width it had when it left (after a resize, it may differ from cols()).
    [[nodiscard]] size_t scrollback_size() const;
    [[nodiscard]] const Line& scrollback_line(size_t index) const;

    [[nodiscard]] int cursor_row() const;
    [[nodiscard]] int cursor_col() const;
    [[nodiscard]] bool cursor_visible() const;          // DECTCEM
    [[nodiscard]] bool alternate_screen() const;        // 1049/1047/47
    [[nodiscard]] bool bracketed_paste() const;         // 2004
    [[nodiscard]] bool application_cursor_keys() const; // DECCKM
    [[nodiscard]] const std::string& title() const;     // OSC 0/2, UTF-8

    // What the terminal answers (cursor position report, device attributes): the owner
    // writes it back to the PTY. Empties it.
    [[nodiscard]] std::string take_replies();
    // Whether BEL came since the last call. Clears it.
    [[nodiscard]] bool take_bell();
    // Bumped by every change that shows; a view repaints when it differs.
    [[nodiscard]] uint64_t generation() const;

    // The visible screen as text (UTF-8), each line's trailing blanks dropped, lines
    // joined by '\n', trailing empty lines dropped (tests, copying).
    [[nodiscard]] std::string text() const;
    // Scrollback and screen as text, wrapped lines joined (copying all).
    [[nodiscard]] std::string all_text() const;

private:
    struct State;
    std::shared_ptr<State> s_; // (defined in screen_state.h)
};

// What a key sends to the PTY, as xterm sends it.
enum class Key {
    Up,
    Down,
    Right,
    Left,
    Home,
    End,
    PageUp,
    PageDown,
    Insert,
    Delete,
    F1,
    F2,
    F3,
    F4,
    F5,
    F6,
    F7,
    F8,
    F9,
    F10,
    F11,
    F12,
    Tab,
    BackTab,
    Enter,
    Backspace,
    Escape
};
struct Modifiers {
    bool shift = false, alt = false, ctrl = false;
};
// `application_cursor` is Screen::application_cursor_keys() (arrows send ESC O A).
[[nodiscard]] std::string key_bytes(Key key, Modifiers mods, bool application_cursor);
// A typed character with modifiers: Ctrl+letter gives its C0 byte (Ctrl+C is 0x03),
// Alt prefixes ESC; the character as UTF-8 otherwise.
[[nodiscard]] std::string char_bytes(char32_t ch, Modifiers mods);
// Text pasted: wrapped in ESC[200~ ... ESC[201~ when bracketed paste is on, with any
// ESC[201~ inside removed (so a paste cannot end the bracket and run commands), and
// "\n" turned into "\r" as terminals send Enter.
[[nodiscard]] std::string paste_bytes(std::string_view utf8, bool bracketed);

} // namespace mountlab::term
