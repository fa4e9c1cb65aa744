#include "term/screen.h"
#include "term/utf8.h"

#include <algorithm>
#include <array>
#include <deque>
#include <string>
#include <utility>

namespace mountlab::term {

namespace {

// Past this, a sequence or string is a program gone wrong or one that means harm: the
// rest of it is consumed and dropped, so no output can grow the parser's memory.
constexpr size_t kMaxSequence = 4096;
// Replies pile up only while nobody writes them back; a flood of DSR requests must not
// grow them either.
constexpr size_t kMaxReplies = 4096;
// xterm keeps 30; a program that sends more means no SGR we could draw.
constexpr size_t kMaxParams = 32;
constexpr int kMaxParam = 0xFFFF;
constexpr int kMaxDimension = 1000;
constexpr char32_t kReplacement = 0xFFFD;

struct Range {
    char32_t first, last;
};

// East Asian Wide and Fullwidth (the common blocks) and emoji presentation, as glibc's
// wcwidth counts them: readline places the cursor by wcwidth, so a different count
// here puts the cursor where bash does not think it is.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202},
    {0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F260, 0x1F265}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

// Combining marks, joiners, variation selectors and invisible format characters: they
// change the character before them and take no cell of their own.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},   {0x05C1, 0x05C2}, {0x05C4, 0x05C5},
    {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},   {0x06D6, 0x06DC}, {0x06DF, 0x06E4},
    {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A},   {0x0E47, 0x0E4E}, {0x1160, 0x11FF},
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E},   {0x2060, 0x2064}, {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0000, 0xE0FFF},
};

template <size_t N> bool in_table(char32_t cp, const Range (&table)[N])
{
    const auto* it = std::upper_bound(std::begin(table), std::end(table), cp,
                                      [](char32_t c, const Range& r) { return c < r.first; });
    return it != std::begin(table) && cp <= (it - 1)->last;
}

int char_width(char32_t cp)
{
    if (cp < 0x300)
        return 1;
    if (in_table(cp, kZeroWidth))
        return 0;
    return in_table(cp, kWide) ? 2 : 1;
}

// DEC special graphics (ESC ( 0) for 0x5f..0x7e: what ncurses draws boxes with when
// the terminfo entry says acsc.
constexpr char32_t kDecGraphics[32] = {
    0x0020, 0x25C6, 0x2592, 0x2409, 0x240C, 0x240D, 0x240A, 0x00B0, 0x00B1, 0x2424, 0x240B,
    0x2518, 0x2510, 0x250C, 0x2514, 0x253C, 0x23BA, 0x23BB, 0x2500, 0x23BC, 0x23BD, 0x251C,
    0x2524, 0x2534, 0x252C, 0x2502, 0x2264, 0x2265, 0x03C0, 0x2260, 0x00A3, 0x00B7,
};

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// UTF-8 a byte at a time, so that a character split across two reads of the PTY is
// completed by the second. Every byte that is not part of a valid character (a bad
// lead, a missing continuation, an overlong form, a surrogate, past U+10FFFF) comes
// out as one U+FFFD, as textescape counts them.
class Utf8Decoder {
public:
    [[nodiscard]] bool pending() const { return need_ > 0; }

    // c >= 0x80.
    template <class Emit> void add(unsigned char c, Emit&& emit)
    {
        if (need_ > 0) {
            if ((c & 0xC0) == 0x80) {
                cp_ = (cp_ << 6) | (c & 0x3F);
                ++len_;
                if (--need_ == 0)
                    finish(emit);
                return;
            }
            abandon(emit);
        }
        if (c >= 0xC2 && c <= 0xDF)
            start(1, c & 0x1F, 0x80);
        else if (c >= 0xE0 && c <= 0xEF)
            start(2, c & 0x0F, 0x800);
        else if (c >= 0xF0 && c <= 0xF4)
            start(3, c & 0x07, 0x10000);
        else
            emit(kReplacement);
    }

    // The bytes held make no character: the next one is no continuation.
    template <class Emit> void abandon(Emit&& emit)
    {
        const int n = len_;
        need_ = len_ = 0;
        for (int i = 0; i < n; ++i)
            emit(kReplacement);
    }

private:
    void start(int need, char32_t bits, char32_t min)
    {
        need_ = need;
        len_ = 1;
        cp_ = bits;
        min_ = min;
    }

    template <class Emit> void finish(Emit&& emit)
    {
        if (cp_ < min_ || cp_ > 0x10FFFF || (cp_ >= 0xD800 && cp_ <= 0xDFFF)) {
            abandon(emit);
            return;
        }
        len_ = 0;
        emit(cp_);
    }

    char32_t cp_ = 0, min_ = 0;
    int need_ = 0, len_ = 0;
};

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

const Line kNoLine;
const Cell kNoCell;

int clamp_dimension(int n) { return std::clamp(n, 1, kMaxDimension); }

std::string line_text(const Line& l, bool trim)
{
    std::string out;
    out.reserve(l.cells.size());
    for (const Cell& c : l.cells) {
        if (c.width == 0)
            continue;
        append_utf8(out, c.ch == 0 ? U' ' : c.ch);
    }
    if (trim)
        out.erase(out.find_last_not_of(' ') + 1);
    return out;
}

} // namespace

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

    void default_tabs()
    {
        tabs.assign(static_cast<size_t>(cols), false);
        for (int c = 8; c < cols; c += 8)
            tabs[static_cast<size_t>(c)] = true;
    }

    void clear_grid(std::vector<Line>& g)
    {
        g.resize(static_cast<size_t>(rows));
        for (Line& l : g) {
            l.cells.assign(static_cast<size_t>(cols), Cell{});
            l.wrapped = false;
        }
    }

    // RIS: a new terminal, scrollback and title included.
    void clear_all()
    {
        attrs = Attrs{};
        clear_grid(main);
        clear_grid(alt);
        scrollback.clear();
        on_alt = false;
        row = col = 0;
        pending_wrap = false;
        top = 0;
        bottom = rows - 1;
        autowrap = cursor_visible = true;
        app_cursor = bracketed = origin = insert = graphics = false;
        saved_main = saved_alt = SavedCursor{};
        default_tabs();
        last_char = U' ';
        title.clear();
        dirty = true;
    }

    // ---- cells -------------------------------------------------------------------

    // A wide character cut in two (one half overwritten or erased) leaves a blank, never
    // a half that the view would draw as something else.
    static void break_wide_at(Line& l, int c, int cols)
    {
        Cell& cell = l.cells[static_cast<size_t>(c)];
        if (cell.width == 0 && c > 0) {
            Cell& left = l.cells[static_cast<size_t>(c - 1)];
            left.ch = U' ';
            left.width = 1;
        } else if (cell.width == 2 && c + 1 < cols) {
            Cell& right = l.cells[static_cast<size_t>(c + 1)];
            right.ch = U' ';
            right.width = 1;
        }
    }

    static void repair_wide(Line& l)
    {
        const size_t n = l.cells.size();
        for (size_t i = 0; i < n; ++i) {
            Cell& c = l.cells[i];
            if ((c.width == 2 && (i + 1 >= n || l.cells[i + 1].width != 0)) ||
                (c.width == 0 && (i == 0 || l.cells[i - 1].width != 2))) {
                c.ch = U' ';
                c.width = 1;
            }
        }
    }

    void erase(Line& l, int from, int to) // [from, to)
    {
        from = std::clamp(from, 0, cols);
        to = std::clamp(to, 0, cols);
        if (from >= to)
            return;
        break_wide_at(l, from, cols);
        break_wide_at(l, to - 1, cols);
        std::fill(l.cells.begin() + from, l.cells.begin() + to, blank());
        dirty = true;
    }

    void insert_blanks(int n)
    {
        Line& l = cur_line();
        n = std::min(n, cols - col);
        std::move_backward(l.cells.begin() + col, l.cells.end() - n, l.cells.end());
        std::fill(l.cells.begin() + col, l.cells.begin() + col + n, blank());
        repair_wide(l);
        dirty = true;
    }

    void delete_chars(int n)
    {
        Line& l = cur_line();
        n = std::min(n, cols - col);
        std::move(l.cells.begin() + col + n, l.cells.end(), l.cells.begin() + col);
        std::fill(l.cells.end() - n, l.cells.end(), blank());
        repair_wide(l);
        dirty = true;
    }

    void put(char32_t cp)
    {
        if (is_control(cp))
            return; // C1 controls as UTF-8 (U+0080..U+009F): xterm does not act on them in UTF-8 mode
        if (graphics && cp >= 0x5F && cp <= 0x7E)
            cp = kDecGraphics[cp - 0x5F];
        int w = char_width(cp);
        if (w == 0)
            return; // a combining mark: dropped, the base character stays as it is
        if (w == 2 && cols < 2) {
            cp = kReplacement;
            w = 1;
        }
        if (pending_wrap) {
            cur_line().wrapped = true;
            col = 0;
            index();
        }
        pending_wrap = false;
        if (w == 2 && col == cols - 1) {
            if (autowrap) {
                erase(cur_line(), col, cols);
                cur_line().wrapped = true;
                col = 0;
                index();
            } else {
                col = cols - 2;
            }
        }
        if (insert)
            insert_blanks(w);
        Line& l = cur_line();
        break_wide_at(l, col, cols);
        if (w == 2)
            break_wide_at(l, col + 1, cols);
        Cell& c = l.cells[static_cast<size_t>(col)];
        c.ch = cp;
        c.width = static_cast<uint8_t>(w);
        c.attrs = attrs;
        if (w == 2) {
            Cell& right = l.cells[static_cast<size_t>(col + 1)];
            right.ch = U' ';
            right.width = 0;
            right.attrs = attrs;
        }
        col += w;
        if (col >= cols) {
            col = cols - 1;
            pending_wrap = autowrap;
        }
        last_char = cp;
        dirty = true;
    }

    // ---- scrolling ---------------------------------------------------------------

    // A line leaving the top of the main screen; `l` gets the storage of the oldest
    // scrollback line when the scrollback is full, so that scrolling allocates nothing.
    void keep_line(Line& l)
    {
        if (scrollback_limit == 0)
            return;
        Line spare;
        if (scrollback.size() >= scrollback_limit) {
            spare = std::move(scrollback.front());
            scrollback.pop_front();
        }
        scrollback.push_back(std::move(l));
        l = std::move(spare);
    }

    // Lines [from, to] move up n; the scrollback keeps what leaves when the region is the
    // whole main screen (xterm keeps no lines from a region or the alternate screen), and
    // not what DL deletes.
    void scroll_up(int n, int from, int to, bool history = true)
    {
        n = std::min(n, to - from + 1);
        if (n <= 0)
            return;
        std::vector<Line>& g = grid();
        const bool keep = history && !on_alt && from == 0 && to == rows - 1;
        const Cell b = blank();
        for (int i = 0; i < n; ++i) {
            Line& l = g[static_cast<size_t>(from + i)];
            if (keep)
                keep_line(l);
            l.cells.assign(static_cast<size_t>(cols), b);
            l.wrapped = false;
        }
        std::rotate(g.begin() + from, g.begin() + from + n, g.begin() + to + 1);
        dirty = true;
    }

    void scroll_down(int n, int from, int to)
    {
        n = std::min(n, to - from + 1);
        if (n <= 0)
            return;
        std::vector<Line>& g = grid();
        std::rotate(g.begin() + from, g.begin() + to + 1 - n, g.begin() + to + 1);
        const Cell b = blank();
        for (int i = 0; i < n; ++i) {
            Line& l = g[static_cast<size_t>(from + i)];
            l.cells.assign(static_cast<size_t>(cols), b);
            l.wrapped = false;
        }
        dirty = true;
    }

    void index()
    {
        if (row == bottom)
            scroll_up(1, top, bottom);
        else if (row < rows - 1)
            ++row;
        dirty = true;
    }

    void reverse_index()
    {
        if (row == top)
            scroll_down(1, top, bottom);
        else if (row > 0)
            --row;
        dirty = true;
    }

    // ---- cursor ------------------------------------------------------------------

    void set_cursor(int r, int c)
    {
        row = std::clamp(r, 0, rows - 1);
        col = std::clamp(c, 0, cols - 1);
        pending_wrap = false;
        dirty = true;
    }

    // CUP and VPA: rows count from the region's top in origin mode, and stay in it.
    void move_to(int r, int c)
    {
        if (origin)
            set_cursor(std::clamp(r + top, top, bottom), c);
        else
            set_cursor(r, c);
    }

    void move_up(int n)
    {
        const int limit = row >= top ? top : 0;
        set_cursor(std::max(row - n, limit), col);
    }

    void move_down(int n)
    {
        const int limit = row <= bottom ? bottom : rows - 1;
        set_cursor(std::min(row + n, limit), col);
    }

    void tab_forward(int n)
    {
        while (n-- > 0 && col < cols - 1) {
            ++col;
            while (col < cols - 1 && !tabs[static_cast<size_t>(col)])
                ++col;
        }
        dirty = true;
    }

    void tab_backward(int n)
    {
        pending_wrap = false;
        while (n-- > 0 && col > 0) {
            --col;
            while (col > 0 && !tabs[static_cast<size_t>(col)])
                --col;
        }
        dirty = true;
    }

    SavedCursor& saved() { return on_alt ? saved_alt : saved_main; }

    void save_cursor(SavedCursor& s) const { s = {row, col, pending_wrap, attrs, origin, graphics}; }

    void restore_cursor(const SavedCursor& s)
    {
        set_cursor(s.row, s.col);
        pending_wrap = s.pending_wrap && autowrap && col == cols - 1;
        attrs = s.attrs;
        origin = s.origin;
        graphics = s.graphics;
    }

    void enter_alt(bool clear)
    {
        if (!on_alt) {
            on_alt = true;
            pending_wrap = false;
        }
        if (clear)
            clear_lines(alt, 0, rows);
        dirty = true;
    }

    void leave_alt()
    {
        if (on_alt) {
            on_alt = false;
            pending_wrap = false;
        }
        dirty = true;
    }

    void clear_lines(std::vector<Line>& g, int from, int to)
    {
        const Cell b = blank();
        for (int r = std::max(from, 0); r < std::min(to, rows); ++r) {
            Line& l = g[static_cast<size_t>(r)];
            std::fill(l.cells.begin(), l.cells.end(), b);
            l.wrapped = false;
        }
        dirty = true;
    }

    // DECSTR: modes and attributes as new, the screen's text kept.
    void soft_reset()
    {
        cursor_visible = autowrap = true;
        origin = insert = app_cursor = graphics = false;
        attrs = Attrs{};
        top = 0;
        bottom = rows - 1;
        saved_main = saved_alt = SavedCursor{};
        pending_wrap = false;
        dirty = true;
    }

    void reply(std::string_view s)
    {
        if (replies.size() + s.size() <= kMaxReplies)
            replies.append(s);
    }

    // ---- the parser ----------------------------------------------------------------

    void feed(std::string_view bytes)
    {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
        const auto* end = p + bytes.size();
        auto emit = [this](char32_t cp) { put(cp); };
        while (p < end) {
            const unsigned char c = *p;
            if (parse == Parse::Ground && c >= 0x20 && c < 0x7F) {
                // The common case, text between sequences, without the state machine.
                if (utf8.pending())
                    utf8.abandon(emit);
                do
                    put(*p++);
                while (p < end && *p >= 0x20 && *p < 0x7F);
                continue;
            }
            byte(c);
            ++p;
        }
        if (dirty) {
            ++generation;
            dirty = false;
        }
    }

    void byte(unsigned char c)
    {
        auto emit = [this](char32_t cp) { put(cp); };
        switch (parse) {
        case Parse::Ground:
            if (c >= 0x80) {
                utf8.add(c, emit);
                return;
            }
            if (utf8.pending())
                utf8.abandon(emit);
            if (c < 0x20)
                execute(c);
            else if (c < 0x7F)
                put(c);
            return; // DEL is nothing
        case Parse::Escape:
            escape_byte(c);
            return;
        case Parse::EscapeIntermediate:
            if (c < 0x20) {
                control_in_sequence(c);
            } else if (c < 0x30) {
                if (++seq_len > kMaxSequence)
                    parse = Parse::Ground;
            } else if (c < 0x7F) {
                esc_intermediate_dispatch(c);
                parse = Parse::Ground;
            } else if (c >= 0x80) {
                parse = Parse::Ground;
                byte(c);
            }
            return;
        case Parse::Csi:
            csi_byte(c);
            return;
        case Parse::CsiIgnore:
            if (c < 0x20)
                control_in_sequence(c);
            else if (c >= 0x40 && c <= 0x7E)
                parse = Parse::Ground;
            return;
        case Parse::String:
            if (c == 0x07) {
                finish_string();
            } else if (c == 0x1B) {
                parse = Parse::StringEscape;
            } else if (c == 0x18 || c == 0x1A) {
                parse = Parse::Ground;
            } else if (string_osc) {
                if (strbuf.size() < kMaxSequence)
                    strbuf.push_back(static_cast<char>(c));
                else
                    string_overflow = true;
            }
            return;
        case Parse::StringEscape:
            if (c == '\\') {
                finish_string();
            } else {
                // xterm ends the string at any ESC; what follows is a sequence of its own.
                parse = Parse::Escape;
                seq_len = 0;
                esc_inter = 0;
                escape_byte(c);
            }
            return;
        }
    }

    // C0 controls act inside ESC and CSI sequences too (a VT100 does it); ESC starts a
    // new sequence, CAN and SUB abandon the current one.
    void control_in_sequence(unsigned char c)
    {
        if (c == 0x18 || c == 0x1A)
            parse = Parse::Ground;
        else
            execute(c);
    }

    void execute(unsigned char c)
    {
        switch (c) {
        case 0x07:
            bell = true;
            break;
        case 0x08:
            set_cursor(row, col - 1);
            break;
        case 0x09:
            tab_forward(1);
            break;
        case 0x0A:
        case 0x0B:
        case 0x0C:
            pending_wrap = false;
            index();
            break;
        case 0x0D:
            set_cursor(row, 0);
            break;
        case 0x1B:
            parse = Parse::Escape;
            seq_len = 0;
            esc_inter = 0;
            break;
        default:
            break; // NUL, SO/SI (one character set here), the rest: nothing to show
        }
    }

    void escape_byte(unsigned char c)
    {
        if (c < 0x20) {
            control_in_sequence(c);
            return;
        }
        if (c >= 0x80) {
            parse = Parse::Ground;
            byte(c);
            return;
        }
        switch (c) {
        case '[':
            parse = Parse::Csi;
            seq_len = 0;
            nparams = 0;
            cur = 0;
            cur_sub = cur_digits = false;
            priv = inter = 0;
            return;
        case ']':
        case 'P':
        case 'X':
        case '^':
        case '_':
            parse = Parse::String;
            string_osc = c == ']';
            string_overflow = false;
            strbuf.clear();
            return;
        default:
            break;
        }
        if (c < 0x30) {
            esc_inter = static_cast<char>(c);
            parse = Parse::EscapeIntermediate;
            return;
        }
        parse = Parse::Ground;
        switch (c) {
        case '7':
            save_cursor(saved());
            break;
        case '8':
            restore_cursor(saved());
            break;
        case 'D':
            pending_wrap = false;
            index();
            break;
        case 'E':
            set_cursor(row, 0);
            index();
            break;
        case 'M':
            pending_wrap = false;
            reverse_index();
            break;
        case 'H':
            tabs[static_cast<size_t>(col)] = true;
            break;
        case 'c':
            clear_all();
            break;
        default:
            break; // ESC = / ESC > (keypad modes), single shifts, ST alone: nothing shows
        }
    }

    void esc_intermediate_dispatch(unsigned char c)
    {
        if (esc_inter == '(') {
            graphics = c == '0';
        } else if (esc_inter == '#' && c == '8') {
            // DECALN, the screen full of E (vttest's alignment pattern).
            for (Line& l : grid()) {
                std::fill(l.cells.begin(), l.cells.end(), Cell{U'E', 1, Attrs{}});
                l.wrapped = false;
            }
            top = 0;
            bottom = rows - 1;
            set_cursor(0, 0);
        }
        // G1..G3 designations, ESC % G (UTF-8, which we always are), ESC SP F: nothing.
    }

    void push_param()
    {
        if (nparams < kMaxParams)
            params[nparams++] = Param{cur, cur_sub};
        cur = 0;
        cur_digits = false;
    }

    void csi_byte(unsigned char c)
    {
        if (++seq_len > kMaxSequence) {
            parse = Parse::CsiIgnore;
            byte(c);
            return;
        }
        if (c >= '0' && c <= '9') {
            if (inter) {
                parse = Parse::CsiIgnore; // a digit after an intermediate is no sequence
                return;
            }
            cur = std::min(cur * 10 + (c - '0'), kMaxParam);
            cur_digits = true;
        } else if (c == ';' || c == ':') {
            push_param();
            cur_sub = c == ':';
        } else if (c >= 0x3C && c <= 0x3F) {
            if (seq_len == 1)
                priv = static_cast<char>(c);
            else
                parse = Parse::CsiIgnore;
        } else if (c >= 0x20 && c <= 0x2F) {
            inter = static_cast<char>(c);
        } else if (c >= 0x40 && c <= 0x7E) {
            if (cur_digits || nparams > 0)
                push_param();
            parse = Parse::Ground;
            csi_dispatch(static_cast<char>(c));
        } else if (c < 0x20) {
            control_in_sequence(c);
        } else if (c >= 0x80) {
            parse = Parse::CsiIgnore;
        }
    }

    [[nodiscard]] int arg(size_t i) const { return i < nparams ? params[i].value : 0; }
    // Counts: 0 and missing both mean 1.
    [[nodiscard]] int count(size_t i) const { return std::max(1, arg(i)); }

    void csi_dispatch(char final)
    {
        if (inter) {
            if (inter == '!' && final == 'p' && !priv)
                soft_reset();
            return; // DECSCUSR (SP q), DECRQM ($ p), ...: nothing to show
        }
        if (priv == '?') {
            switch (final) {
            case 'h':
            case 'l':
                for (size_t i = 0; i < nparams; ++i)
                    dec_mode(params[i].value, final == 'h');
                break;
            case 'J':
                erase_display(arg(0));
                break;
            case 'K':
                erase_line(arg(0));
                break;
            case 'n':
                if (arg(0) == 6)
                    reply("\x1b[?" + std::to_string(report_row()) + ";" + std::to_string(col + 1) + "R");
                break;
            default:
                break;
            }
            return;
        }
        if (priv)
            return; // CSI > c, CSI > m (modifyOtherKeys), CSI = c: consumed
        switch (final) {
        case '@':
            pending_wrap = false;
            insert_blanks(count(0));
            break;
        case 'A':
            move_up(count(0));
            break;
        case 'B':
        case 'e':
            move_down(count(0));
            break;
        case 'C':
        case 'a':
            set_cursor(row, col + count(0));
            break;
        case 'D':
            set_cursor(row, col - count(0));
            break;
        case 'E':
            move_down(count(0));
            col = 0;
            break;
        case 'F':
            move_up(count(0));
            col = 0;
            break;
        case 'G':
        case '`':
            set_cursor(row, count(0) - 1);
            break;
        case 'H':
        case 'f':
            move_to(count(0) - 1, count(1) - 1);
            break;
        case 'I':
            tab_forward(count(0));
            break;
        case 'J':
            erase_display(arg(0));
            break;
        case 'K':
            erase_line(arg(0));
            break;
        case 'L':
            if (row >= top && row <= bottom) {
                scroll_down(count(0), row, bottom);
                set_cursor(row, 0);
            }
            break;
        case 'M':
            if (row >= top && row <= bottom) {
                scroll_up(count(0), row, bottom, false);
                set_cursor(row, 0);
            }
            break;
        case 'P':
            pending_wrap = false;
            delete_chars(count(0));
            break;
        case 'S':
            scroll_up(count(0), top, bottom);
            break;
        case 'T':
            if (nparams <= 1) // with more, mouse highlight tracking
                scroll_down(count(0), top, bottom);
            break;
        case 'X':
            pending_wrap = false;
            erase(cur_line(), col, col + count(0));
            break;
        case 'Z':
            tab_backward(count(0));
            break;
        case 'b':
            // REP, which the xterm-256color entry offers ncurses: bounded by the screen,
            // more could only overwrite what it wrote.
            for (int i = 0, n = std::min(count(0), rows * cols); i < n; ++i)
                put(last_char);
            break;
        case 'c':
            if (arg(0) == 0)
                reply("\x1b[?1;2c"); // a VT100 with advanced video, what xterm -ti vt100 says
            break;
        case 'd':
            move_to(count(0) - 1, col);
            break;
        case 'g':
            if (arg(0) == 0)
                tabs[static_cast<size_t>(col)] = false;
            else if (arg(0) == 3)
                std::fill(tabs.begin(), tabs.end(), false);
            break;
        case 'h':
        case 'l':
            for (size_t i = 0; i < nparams; ++i)
                if (params[i].value == 4)
                    insert = final == 'h';
            break;
        case 'm':
            sgr();
            break;
        case 'n':
            if (arg(0) == 5)
                reply("\x1b[0n");
            else if (arg(0) == 6)
                reply("\x1b[" + std::to_string(report_row()) + ";" + std::to_string(col + 1) + "R");
            break;
        case 'r': {
            const int t = count(0);
            const int b = arg(1) == 0 ? rows : std::min(arg(1), rows);
            if (t < b) {
                top = t - 1;
                bottom = b - 1;
                move_to(0, 0);
            }
            break;
        }
        case 's':
            if (nparams == 0)
                save_cursor(saved());
            break;
        case 'u':
            if (nparams == 0)
                restore_cursor(saved());
            break;
        default:
            break; // window operations (t), DECLL (q), and the unknown: consumed
        }
    }

    [[nodiscard]] int report_row() const { return (origin ? row - top : row) + 1; }

    void dec_mode(int mode, bool on)
    {
        switch (mode) {
        case 1:
            app_cursor = on;
            break;
        case 6:
            origin = on;
            move_to(0, 0);
            break;
        case 7:
            autowrap = on;
            if (!on)
                pending_wrap = false;
            break;
        case 25:
            cursor_visible = on;
            dirty = true;
            break;
        case 47:
            on ? enter_alt(false) : leave_alt();
            break;
        case 1047:
            if (on) {
                enter_alt(false);
            } else {
                if (on_alt)
                    clear_lines(alt, 0, rows);
                leave_alt();
            }
            break;
        case 1048:
            on ? save_cursor(saved_main) : restore_cursor(saved_main);
            break;
        case 1049:
            if (on) {
                if (!on_alt)
                    save_cursor(saved_main);
                enter_alt(true);
            } else if (on_alt) {
                leave_alt();
                restore_cursor(saved_main);
            }
            break;
        case 2004:
            bracketed = on;
            break;
        default:
            break; // mouse reporting, focus events, synchronized output, ...: not ours to show
        }
    }

    void erase_display(int how)
    {
        pending_wrap = false;
        std::vector<Line>& g = grid();
        switch (how) {
        case 0:
            erase_line(0);
            clear_lines(g, row + 1, rows);
            break;
        case 1:
            clear_lines(g, 0, row);
            erase_line(1);
            break;
        case 2:
            clear_lines(g, 0, rows);
            break;
        case 3:
            scrollback.clear();
            dirty = true;
            break;
        default:
            break;
        }
    }

    void erase_line(int how)
    {
        pending_wrap = false;
        Line& l = cur_line();
        switch (how) {
        case 0:
            erase(l, col, cols);
            l.wrapped = false;
            break;
        case 1:
            erase(l, 0, col + 1);
            break;
        case 2:
            erase(l, 0, cols);
            l.wrapped = false;
            break;
        default:
            break;
        }
    }

    // ---- SGR -----------------------------------------------------------------------

    // 38/48/58 with what follows: "5;n" or "2;r;g;b" as separate parameters, or the
    // ITU forms "5:n", "2:r:g:b" and "2:cs:r:g:b" as sub-parameters. Returns the index
    // of the last parameter used.
    size_t extended_color(size_t i, Color* out)
    {
        Color c;
        bool ok = false;
        if (i + 1 < nparams && params[i + 1].sub) {
            size_t n = 0; // sub-parameters after 38
            while (i + 1 + n < nparams && params[i + 1 + n].sub)
                ++n;
            const int kind = params[i + 1].value;
            if (kind == 5 && n >= 2) {
                c = {Color::Kind::Indexed, static_cast<uint8_t>(std::min(params[i + 2].value, 255))};
                ok = true;
            } else if (kind == 2 && n >= 4) {
                const size_t first = n >= 5 ? i + 3 : i + 2; // skip the colour space id
                c.kind = Color::Kind::Rgb;
                c.r = static_cast<uint8_t>(std::min(params[first].value, 255));
                c.g = static_cast<uint8_t>(std::min(params[first + 1].value, 255));
                c.b = static_cast<uint8_t>(std::min(params[first + 2].value, 255));
                ok = true;
            }
            if (ok && out)
                *out = c;
            return i + n;
        }
        const int kind = arg(i + 1);
        if (kind == 5 && i + 2 < nparams) {
            if (out)
                *out = {Color::Kind::Indexed, static_cast<uint8_t>(std::min(arg(i + 2), 255))};
            return i + 2;
        }
        if (kind == 2 && i + 4 < nparams) {
            if (out) {
                out->kind = Color::Kind::Rgb;
                out->index = 0;
                out->r = static_cast<uint8_t>(std::min(arg(i + 2), 255));
                out->g = static_cast<uint8_t>(std::min(arg(i + 3), 255));
                out->b = static_cast<uint8_t>(std::min(arg(i + 4), 255));
            }
            return i + 4;
        }
        return nparams; // malformed: the rest of the sequence means nothing sure
    }

    static Color indexed(int n) { return {Color::Kind::Indexed, static_cast<uint8_t>(n)}; }

    void sgr()
    {
        if (nparams == 0) {
            attrs = Attrs{};
            return;
        }
        for (size_t i = 0; i < nparams; ++i) {
            const int p = params[i].value;
            // Sub-parameters of something we do not handle (4:3 curly underline is 4 on).
            const auto skip_subs = [&] {
                while (i + 1 < nparams && params[i + 1].sub)
                    ++i;
            };
            switch (p) {
            case 0:
                attrs = Attrs{};
                break;
            case 1:
                attrs.bold = true;
                break;
            case 2:
                attrs.faint = true;
                break;
            case 3:
                attrs.italic = true;
                break;
            case 4:
                attrs.underline = !(i + 1 < nparams && params[i + 1].sub && params[i + 1].value == 0);
                skip_subs();
                break;
            case 5:
            case 6:
                attrs.blink = true;
                break;
            case 7:
                attrs.inverse = true;
                break;
            case 8:
                attrs.invisible = true;
                break;
            case 9:
                attrs.strike = true;
                break;
            case 21:
                attrs.underline = true; // double underline, drawn as one
                break;
            case 22:
                attrs.bold = attrs.faint = false;
                break;
            case 23:
                attrs.italic = false;
                break;
            case 24:
                attrs.underline = false;
                break;
            case 25:
                attrs.blink = false;
                break;
            case 27:
                attrs.inverse = false;
                break;
            case 28:
                attrs.invisible = false;
                break;
            case 29:
                attrs.strike = false;
                break;
            case 38:
                i = extended_color(i, &attrs.fg);
                break;
            case 39:
                attrs.fg = Color{};
                break;
            case 48:
                i = extended_color(i, &attrs.bg);
                break;
            case 49:
                attrs.bg = Color{};
                break;
            case 58:
                i = extended_color(i, nullptr); // underline colour: not drawn
                break;
            default:
                if (p >= 30 && p <= 37)
                    attrs.fg = indexed(p - 30);
                else if (p >= 40 && p <= 47)
                    attrs.bg = indexed(p - 40);
                else if (p >= 90 && p <= 97)
                    attrs.fg = indexed(p - 90 + 8);
                else if (p >= 100 && p <= 107)
                    attrs.bg = indexed(p - 100 + 8);
                skip_subs();
                break;
            }
        }
    }

    // ---- strings -------------------------------------------------------------------

    void finish_string()
    {
        parse = Parse::Ground;
        if (!string_osc || string_overflow)
            return;
        const size_t semi = strbuf.find(';');
        if (semi == std::string::npos)
            return;
        const std::string_view what(strbuf.data(), semi);
        if (what != "0" && what != "2")
            return; // colours (4, 10, 11), hyperlinks (8), clipboard (52): not taken
        // A title is shown outside the screen, by a window manager too: valid UTF-8 and
        // no controls, whatever the program sent.
        std::string t;
        Utf8Decoder d;
        auto emit = [&t](char32_t cp) {
            if (!is_control(cp))
                append_utf8(t, cp);
        };
        for (size_t i = semi + 1; i < strbuf.size(); ++i) {
            const auto c = static_cast<unsigned char>(strbuf[i]);
            if (c >= 0x80) {
                d.add(c, emit);
                continue;
            }
            d.abandon(emit);
            emit(c);
        }
        d.abandon(emit);
        title = std::move(t);
        dirty = true;
    }

    // ---- resize --------------------------------------------------------------------

    void resize(int new_rows, int new_cols)
    {
        new_rows = clamp_dimension(new_rows);
        new_cols = clamp_dimension(new_cols);
        if (new_rows == rows && new_cols == cols)
            return;
        // The cursor's line stays on screen: lines above it leave the top (into the
        // scrollback from the main screen), as xterm does when the window gets shorter.
        const int shift = std::max(0, row - (new_rows - 1));
        for (int i = 0; i < shift; ++i) {
            Line l = std::move(main[static_cast<size_t>(i)]);
            keep_line(l);
        }
        for (std::vector<Line>* g : {&main, &alt}) {
            g->erase(g->begin(), g->begin() + shift);
            g->resize(static_cast<size_t>(new_rows));
            for (Line& l : *g) {
                l.cells.resize(static_cast<size_t>(new_cols), Cell{});
                repair_wide(l);
            }
        }
        std::vector<bool> old_tabs = std::move(tabs);
        const int old_cols = cols;
        rows = new_rows;
        cols = new_cols;
        default_tabs();
        for (int c = 0; c < std::min(old_cols, cols); ++c)
            tabs[static_cast<size_t>(c)] = old_tabs[static_cast<size_t>(c)];
        top = 0;
        bottom = rows - 1;
        set_cursor(row - shift, col);
        for (SavedCursor* s : {&saved_main, &saved_alt}) {
            s->row = std::clamp(s->row - shift, 0, rows - 1);
            s->col = std::clamp(s->col, 0, cols - 1);
            s->pending_wrap = false;
        }
        ++generation;
        dirty = false;
    }
};

Screen::Screen(int rows, int cols, size_t scrollback_lines) : s_(std::make_shared<State>(rows, cols, scrollback_lines))
{}

void Screen::feed(std::string_view bytes) { s_->feed(bytes); }

void Screen::resize(int rows, int cols) { s_->resize(rows, cols); }

void Screen::reset()
{
    s_->clear_all();
    s_->parse = Parse::Ground;
    s_->utf8 = Utf8Decoder{};
    s_->replies.clear();
    s_->bell = false;
    s_->dirty = false;
    ++s_->generation;
}

int Screen::rows() const { return s_->rows; }
int Screen::cols() const { return s_->cols; }

const Line& Screen::line(int row) const
{
    if (row < 0 || row >= s_->rows)
        return kNoLine;
    return s_->grid()[static_cast<size_t>(row)];
}

const Cell& Screen::cell(int row, int col) const
{
    const Line& l = line(row);
    if (col < 0 || static_cast<size_t>(col) >= l.cells.size())
        return kNoCell;
    return l.cells[static_cast<size_t>(col)];
}

size_t Screen::scrollback_size() const { return s_->scrollback.size(); }

const Line& Screen::scrollback_line(size_t index) const
{
    return index < s_->scrollback.size() ? s_->scrollback[index] : kNoLine;
}

int Screen::cursor_row() const { return s_->row; }
int Screen::cursor_col() const { return s_->col; }
bool Screen::cursor_visible() const { return s_->cursor_visible; }
bool Screen::alternate_screen() const { return s_->on_alt; }
bool Screen::bracketed_paste() const { return s_->bracketed; }
bool Screen::application_cursor_keys() const { return s_->app_cursor; }
const std::string& Screen::title() const { return s_->title; }

std::string Screen::take_replies() { return std::exchange(s_->replies, std::string{}); }

bool Screen::take_bell() { return std::exchange(s_->bell, false); }

uint64_t Screen::generation() const { return s_->generation; }

std::string Screen::text() const
{
    std::string out;
    size_t keep = 0; // out's length up to the last line that is not empty
    bool first = true;
    for (const Line& l : s_->grid()) {
        if (!first)
            out.push_back('\n');
        first = false;
        const std::string t = line_text(l, true);
        out += t;
        if (!t.empty())
            keep = out.size();
    }
    out.resize(keep);
    return out;
}

std::string Screen::all_text() const
{
    std::string out;
    size_t keep = 0;
    auto add = [&](const Line& l) {
        // A wrapped line keeps its trailing blanks: they are the text's own spaces.
        const std::string t = line_text(l, !l.wrapped);
        out += t;
        if (!t.empty())
            keep = out.size();
        if (!l.wrapped)
            out.push_back('\n');
    };
    for (const Line& l : s_->scrollback)
        add(l);
    for (const Line& l : s_->grid())
        add(l);
    out.resize(keep);
    return out;
}

} // namespace mountlab::term
