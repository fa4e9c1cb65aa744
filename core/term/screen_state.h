// Screen::State, the terminal's whole state, shared by the files that implement it:
// screen_parser.cpp (bytes to actions), screen_csi.cpp (what CSI sequences do),
// screen_sgr.cpp (attributes), screen_buffer.cpp (the lines: writing, erasing,
// scrolling, resizing), screen_cursor.cpp (cursor, tabs, alternate screen),
// charwidth.cpp (cells per character). Internal to core/term.
#pragma once

#include "term/screen.h"
#include "term/utf8.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace mountlab::term {

// Past this, a sequence or string is a program gone wrong or one that means harm: the
// rest of it is consumed and dropped, so no output can grow the parser's memory.
inline constexpr size_t kMaxSequence = 4096;
// Replies pile up only while nobody writes them back; a flood of DSR requests must not
// grow them either.
inline constexpr size_t kMaxReplies = 4096;
// xterm keeps 30; a program that sends more means no SGR we could draw.
inline constexpr size_t kMaxParams = 32;
inline constexpr int kMaxParam = 0xFFFF;
inline constexpr int kMaxDimension = 1000;

// Cells a character takes: 0 (combining), 1, or 2 (East Asian wide, emoji).
int char_width(char32_t cp);
// DEC special graphics (ESC ( 0) for 0x5f..0x7e: what ncurses draws boxes with when
// the terminfo entry says acsc.
inline constexpr char32_t kDecGraphics[32] = {
    0x0020, 0x25C6, 0x2592, 0x2409, 0x240C, 0x240D, 0x240A, 0x00B0, 0x00B1, 0x2424, 0x240B,
    0x2518, 0x2510, 0x250C, 0x2514, 0x253C, 0x23BA, 0x23BB, 0x2500, 0x23BC, 0x23BD, 0x251C,
    0x2524, 0x2534, 0x252C, 0x2502, 0x2264, 0x2265, 0x03C0, 0x2260, 0x00A3, 0x00B7,
};

inline bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

inline int clamp_dimension(int n) { return std::clamp(n, 1, kMaxDimension); }

enum class Parse : uint8_t { Ground, Escape, EscapeIntermediate, Csi, CsiIgnore, String, StringEscape };

struct Param {
    int value = 0;
    bool sub = false; // came after ':' (SGR 38:2:r:g:b), part of the parameter before
};

struct SavedCursor {
    int row = 0, col = 0;
    bool pending_wrap = false;
    Attrs attrs;
    bool origin = false;
    bool graphics = false;
};

struct Screen::State {
    int rows, cols;
    size_t scrollback_limit;
    std::vector<Line> main, alt;
    std::deque<Line> scrollback;
    bool on_alt = false;

    int row = 0, col = 0;
    // The cursor sits on the last column after writing there; the next character wraps
    // first (xterm's and the VT100's "last column flag", what terminfo calls xenl).
    bool pending_wrap = false;
    Attrs attrs;
    int top = 0, bottom = 0; // scroll region, inclusive
    bool autowrap = true, cursor_visible = true, app_cursor = false, bracketed = false;
    bool origin = false, insert = false;
    bool graphics = false; // G0 is DEC special graphics
    SavedCursor saved_main, saved_alt;
    std::vector<bool> tabs;
    char32_t last_char = U' ';

    std::string title, replies;
    bool bell = false;
    uint64_t generation = 0;
    bool dirty = false;

    Parse parse = Parse::Ground;
    Utf8Decoder utf8;
    size_t seq_len = 0;
    std::array<Param, kMaxParams> params{};
    size_t nparams = 0;
    int cur = 0;
    bool cur_sub = false, cur_digits = false;
    char priv = 0, inter = 0, esc_inter = 0;
    bool string_osc = false, string_overflow = false;
    std::string strbuf;

    State(int r, int c, size_t limit) : rows(clamp_dimension(r)), cols(clamp_dimension(c)), scrollback_limit(limit)
    {
        clear_all();
        dirty = false;
    }

    std::vector<Line>& grid() { return on_alt ? alt : main; }
    const std::vector<Line>& grid() const { return on_alt ? alt : main; }
    Line& cur_line() { return grid()[static_cast<size_t>(row)]; }

    // Erased and scrolled-in cells take the current background (xterm's bce, which the
    // xterm-256color entry promises: ls and less rely on it for coloured bars).
    Cell blank() const
    {
        Cell c;
        c.attrs.bg = attrs.bg;
        return c;
    }

    // ---- cells (screen_buffer.cpp) -------------------------------------------------

    void default_tabs();
    void clear_grid(std::vector<Line>& g);
    void clear_all();
    static void break_wide_at(Line& l, int c, int cols);
    static void repair_wide(Line& l);
    void erase(Line& l, int from, int to); // [from, to)
    void insert_blanks(int n);
    void delete_chars(int n);
    void put(char32_t cp);
    void keep_line(Line& l);
    void scroll_up(int n, int from, int to, bool history = true);
    void scroll_down(int n, int from, int to);
    void index();
    void reverse_index();
    void clear_lines(std::vector<Line>& g, int from, int to);
    void erase_display(int how);
    void erase_line(int how);
    void resize(int new_rows, int new_cols);

    // ---- cursor (screen_cursor.cpp) ------------------------------------------------

    void set_cursor(int r, int c);
    void move_to(int r, int c);
    void move_up(int n);
    void move_down(int n);
    void tab_forward(int n);
    void tab_backward(int n);
    SavedCursor& saved() { return on_alt ? saved_alt : saved_main; }
    void save_cursor(SavedCursor& s) const { s = {row, col, pending_wrap, attrs, origin, graphics}; }
    void restore_cursor(const SavedCursor& s);
    void enter_alt(bool clear);
    void leave_alt();
    void soft_reset();

    void reply(std::string_view s)
    {
        if (replies.size() + s.size() <= kMaxReplies)
            replies.append(s);
    }

    // ---- the parser (screen_parser.cpp) --------------------------------------------

    void feed(std::string_view bytes);
    void byte(unsigned char c);
    void control_in_sequence(unsigned char c);
    void execute(unsigned char c);
    void escape_byte(unsigned char c);
    void esc_intermediate_dispatch(unsigned char c);
    void push_param();
    void csi_byte(unsigned char c);
    void finish_string();

    // ---- CSI sequences (screen_csi.cpp) --------------------------------------------

    [[nodiscard]] int arg(size_t i) const { return i < nparams ? params[i].value : 0; }
    // Counts: 0 and missing both mean 1.
    [[nodiscard]] int count(size_t i) const { return std::max(1, arg(i)); }
    [[nodiscard]] int report_row() const { return (origin ? row - top : row) + 1; }

    void csi_dispatch(char final);
    // One family of final bytes each; false when the final byte is not theirs.
    bool csi_cursor_motion(char final);
    bool csi_tab_stops(char final);
    bool csi_edit(char final);
    bool csi_scroll(char final);
    bool csi_modes_and_reports(char final);
    void csi_private(char final);
    void dec_mode(int mode, bool on);

    // ---- SGR (screen_sgr.cpp) -------------------------------------------------------

    size_t extended_color(size_t i, Color* out);
    static Color indexed(int n) { return {Color::Kind::Indexed, static_cast<uint8_t>(n)}; }
    void sgr();
    size_t sgr_param(size_t i);
    bool sgr_attribute(int p);
    void sgr_basic_color(int p);
    size_t skip_subparams(size_t i) const;
};

} // namespace mountlab::term
