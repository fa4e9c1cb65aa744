// INTERIM, until core/term/screen.cpp lands (branch term-screen): a small subset of
// term::Screen so the terminal widget can be built and tried. Compiled only when
// there is no mountlab::term target (app/gui/CMakeLists.txt). Deleted on merge.
#include "term/screen.h"

#include <algorithm>
#include <deque>
#include <utility>

namespace mountlab::term {

struct Screen::State {
    int rows, cols;
    size_t cap;
    std::vector<Line> lines, saved;
    std::deque<Line> sb;
    int row = 0, col = 0, savedRow = 0, savedCol = 0;
    bool pendingWrap = false, cursorVisible = true, alt = false, bracketed = false, appCursor = false, bell = false;
    int top = 0, bottom = 0;
    Attrs attrs;
    std::string title, replies, seq;
    enum class Mode { Ground, Esc, Csi, Osc, OscEsc, Charset } mode = Mode::Ground;
    char32_t utf = 0;
    int utfLeft = 0;
    uint64_t gen = 0;

    Line blank() const
    {
        Line l;
        Cell c;
        c.attrs.bg = attrs.bg;
        l.cells.assign(size_t(cols), c);
        return l;
    }
    void clearAll()
    {
        lines.assign(size_t(rows), blank());
        top = 0;
        bottom = rows - 1;
    }
    void scrollUp(int n = 1)
    {
        for (int i = 0; i < n; ++i) {
            if (top == 0 && !alt) {
                sb.push_back(lines[0]);
                while (sb.size() > cap)
                    sb.pop_front();
            }
            lines.erase(lines.begin() + top);
            lines.insert(lines.begin() + bottom, blank());
        }
    }
    void scrollDown(int n = 1)
    {
        for (int i = 0; i < n; ++i) {
            lines.erase(lines.begin() + bottom);
            lines.insert(lines.begin() + top, blank());
        }
    }
    void lineFeed()
    {
        pendingWrap = false;
        if (row == bottom)
            scrollUp();
        else if (row < rows - 1)
            ++row;
    }
    void put(char32_t ch)
    {
        if (pendingWrap) {
            lines[size_t(row)].wrapped = true;
            col = 0;
            lineFeed();
        }
        Cell& c = lines[size_t(row)].cells[size_t(col)];
        c.ch = ch;
        c.width = 1;
        c.attrs = attrs;
        if (col == cols - 1)
            pendingWrap = true;
        else
            ++col;
    }
    void sgr(const std::vector<int>& p)
    {
        if (p.empty()) {
            attrs = {};
            return;
        }
        for (size_t i = 0; i < p.size(); ++i) {
            const int v = p[i];
            auto ext = [&](Color& c) {
                if (i + 1 < p.size() && p[i + 1] == 5 && i + 2 < p.size()) {
                    c = {Color::Kind::Indexed, uint8_t(p[i + 2])};
                    i += 2;
                } else if (i + 1 < p.size() && p[i + 1] == 2 && i + 4 < p.size()) {
                    c = {Color::Kind::Rgb, 0, uint8_t(p[i + 2]), uint8_t(p[i + 3]), uint8_t(p[i + 4])};
                    i += 4;
                }
            };
            if (v == 0) attrs = {};
            else if (v == 1) attrs.bold = true;
            else if (v == 2) attrs.faint = true;
            else if (v == 3) attrs.italic = true;
            else if (v == 4) attrs.underline = true;
            else if (v == 7) attrs.inverse = true;
            else if (v == 9) attrs.strike = true;
            else if (v == 22) attrs.bold = attrs.faint = false;
            else if (v == 24) attrs.underline = false;
            else if (v == 27) attrs.inverse = false;
            else if (v >= 30 && v <= 37) attrs.fg = {Color::Kind::Indexed, uint8_t(v - 30)};
            else if (v == 38) ext(attrs.fg);
            else if (v == 39) attrs.fg = {};
            else if (v >= 40 && v <= 47) attrs.bg = {Color::Kind::Indexed, uint8_t(v - 40)};
            else if (v == 48) ext(attrs.bg);
            else if (v == 49) attrs.bg = {};
            else if (v >= 90 && v <= 97) attrs.fg = {Color::Kind::Indexed, uint8_t(v - 90 + 8)};
            else if (v >= 100 && v <= 107) attrs.bg = {Color::Kind::Indexed, uint8_t(v - 100 + 8)};
        }
    }
    void csi(const std::string& s)
    {
        const char final = s.back();
        const bool priv = !s.empty() && s[0] == '?';
        std::vector<int> p;
        int cur = -1;
        for (char ch : s.substr(priv ? 1 : 0, s.size() - (priv ? 2 : 1))) {
            if (ch >= '0' && ch <= '9')
                cur = (cur < 0 ? 0 : cur) * 10 + (ch - '0');
            else if (ch == ';') {
                p.push_back(cur < 0 ? 0 : cur);
                cur = -1;
            }
        }
        if (cur >= 0 || !p.empty())
            p.push_back(cur < 0 ? 0 : cur);
        auto arg = [&](size_t i, int d) { return i < p.size() && p[i] > 0 ? p[i] : d; };
        pendingWrap = false;
        switch (final) {
        case 'A': row = std::max(0, row - arg(0, 1)); break;
        case 'B': row = std::min(rows - 1, row + arg(0, 1)); break;
        case 'C': col = std::min(cols - 1, col + arg(0, 1)); break;
        case 'D': col = std::max(0, col - arg(0, 1)); break;
        case 'G': col = std::clamp(arg(0, 1) - 1, 0, cols - 1); break;
        case 'd': row = std::clamp(arg(0, 1) - 1, 0, rows - 1); break;
        case 'H':
        case 'f':
            row = std::clamp(arg(0, 1) - 1, 0, rows - 1);
            col = std::clamp(arg(1, 1) - 1, 0, cols - 1);
            break;
        case 'J': {
            const int m = p.empty() ? 0 : p[0];
            if (m == 2 || m == 3) {
                lines.assign(size_t(rows), blank());
            } else if (m == 0) {
                for (int c = col; c < cols; ++c) lines[size_t(row)].cells[size_t(c)] = blank().cells[0];
                for (int r = row + 1; r < rows; ++r) lines[size_t(r)] = blank();
            } else {
                for (int r = 0; r < row; ++r) lines[size_t(r)] = blank();
                for (int c = 0; c <= col; ++c) lines[size_t(row)].cells[size_t(c)] = blank().cells[0];
            }
            break;
        }
        case 'K': {
            const int m = p.empty() ? 0 : p[0];
            const int from = m == 0 ? col : 0, to = m == 1 ? col + 1 : cols;
            for (int c = from; c < to && c < cols; ++c)
                lines[size_t(row)].cells[size_t(c)] = blank().cells[0];
            break;
        }
        case 'P': {
            auto& cells = lines[size_t(row)].cells;
            const int n = std::min(arg(0, 1), cols - col);
            cells.erase(cells.begin() + col, cells.begin() + col + n);
            cells.insert(cells.end(), size_t(n), blank().cells[0]);
            break;
        }
        case '@': {
            auto& cells = lines[size_t(row)].cells;
            const int n = std::min(arg(0, 1), cols - col);
            cells.insert(cells.begin() + col, size_t(n), blank().cells[0]);
            cells.resize(size_t(cols));
            break;
        }
        case 'X':
            for (int c = col; c < std::min(cols, col + arg(0, 1)); ++c)
                lines[size_t(row)].cells[size_t(c)] = blank().cells[0];
            break;
        case 'S': scrollUp(arg(0, 1)); break;
        case 'T': scrollDown(arg(0, 1)); break;
        case 'r':
            top = std::clamp(arg(0, 1) - 1, 0, rows - 1);
            bottom = std::clamp(arg(1, rows) - 1, top, rows - 1);
            row = col = 0;
            break;
        case 'm': sgr(p); break;
        case 'n':
            if (!p.empty() && p[0] == 6)
                replies += "\x1b[" + std::to_string(row + 1) + ";" + std::to_string(col + 1) + "R";
            break;
        case 'c': replies += "\x1b[?1;2c"; break;
        case 'h':
        case 'l': {
            const bool on = final == 'h';
            if (!priv)
                break;
            for (int v : p) {
                if (v == 25) cursorVisible = on;
                else if (v == 1) appCursor = on;
                else if (v == 2004) bracketed = on;
                else if ((v == 1049 || v == 47 || v == 1047) && on != alt) {
                    alt = on;
                    if (on) {
                        saved = lines;
                        savedRow = row;
                        savedCol = col;
                        clearAll();
                    } else {
                        lines = saved;
                        row = savedRow;
                        col = savedCol;
                        top = 0;
                        bottom = rows - 1;
                    }
                }
            }
            break;
        }
        default: break;
        }
    }
    void byte(unsigned char b)
    {
        switch (mode) {
        case Mode::Esc:
            if (b == '[') {
                mode = Mode::Csi;
                seq.clear();
            } else if (b == ']') {
                mode = Mode::Osc;
                seq.clear();
            } else if (b == '(' || b == ')') {
                mode = Mode::Charset;
            } else {
                if (b == 'M') {
                    if (row == top) scrollDown(); else if (row > 0) --row;
                } else if (b == '7') {
                    savedRow = row;
                    savedCol = col;
                } else if (b == '8') {
                    row = savedRow;
                    col = savedCol;
                } else if (b == 'c') {
                    attrs = {};
                    clearAll();
                    row = col = 0;
                }
                mode = Mode::Ground;
            }
            return;
        case Mode::Charset: mode = Mode::Ground; return;
        case Mode::Csi:
            seq += char(b);
            if (b >= 0x40 && b <= 0x7e) {
                csi(seq);
                mode = Mode::Ground;
            }
            return;
        case Mode::Osc:
            if (b == 7) {
                if (seq.rfind("0;", 0) == 0 || seq.rfind("2;", 0) == 0)
                    title = seq.substr(2);
                mode = Mode::Ground;
            } else if (b == 0x1b) {
                mode = Mode::OscEsc;
            } else {
                seq += char(b);
            }
            return;
        case Mode::OscEsc: mode = Mode::Ground; return;
        case Mode::Ground: break;
        }
        if (utfLeft) {
            if ((b & 0xC0) == 0x80) {
                utf = (utf << 6) | (b & 0x3F);
                if (--utfLeft == 0)
                    put(utf);
                return;
            }
            utfLeft = 0;
            put(0xFFFD);
        }
        if (b == 0x1b) mode = Mode::Esc;
        else if (b == '\r') { col = 0; pendingWrap = false; }
        else if (b == '\n' || b == 0x0b || b == 0x0c) lineFeed();
        else if (b == '\b') { if (col > 0) --col; pendingWrap = false; }
        else if (b == '\t') col = std::min(cols - 1, (col / 8 + 1) * 8);
        else if (b == 7) bell = true;
        else if (b < 0x20 || b == 0x7f) {}
        else if (b < 0x80) put(b);
        else if ((b & 0xE0) == 0xC0) { utf = b & 0x1F; utfLeft = 1; }
        else if ((b & 0xF0) == 0xE0) { utf = b & 0x0F; utfLeft = 2; }
        else if ((b & 0xF8) == 0xF0) { utf = b & 0x07; utfLeft = 3; }
        else put(0xFFFD);
    }
};

Screen::Screen(int rows, int cols, size_t scrollback_lines)
    : s_(std::make_shared<State>())
{
    s_->rows = std::clamp(rows, 1, 1000);
    s_->cols = std::clamp(cols, 1, 1000);
    s_->cap = scrollback_lines;
    s_->clearAll();
}

void Screen::feed(std::string_view bytes)
{
    for (char b : bytes)
        s_->byte(static_cast<unsigned char>(b));
    ++s_->gen;
}

void Screen::resize(int rows, int cols)
{
    State& s = *s_;
    rows = std::clamp(rows, 1, 1000);
    cols = std::clamp(cols, 1, 1000);
    s.cols = cols;
    for (Line& l : s.lines)
        l.cells.resize(size_t(cols));
    while (int(s.lines.size()) > rows) {
        if (s.row < int(s.lines.size()) - 1) {
            s.lines.pop_back(); // below the cursor first
        } else {
            s.sb.push_back(s.lines.front());
            s.lines.erase(s.lines.begin());
            --s.row;
        }
    }
    s.rows = rows;
    while (int(s.lines.size()) < rows)
        s.lines.push_back(s.blank());
    s.top = 0;
    s.bottom = rows - 1;
    s.row = std::min(s.row, rows - 1);
    s.col = std::min(s.col, cols - 1);
    s.pendingWrap = false;
    ++s.gen;
}

void Screen::reset()
{
    const int r = s_->rows, c = s_->cols;
    const size_t cap = s_->cap;
    s_ = std::make_shared<State>();
    s_->rows = r;
    s_->cols = c;
    s_->cap = cap;
    s_->clearAll();
}

int Screen::rows() const { return s_->rows; }
int Screen::cols() const { return s_->cols; }
const Line& Screen::line(int row) const { return s_->lines[size_t(std::clamp(row, 0, s_->rows - 1))]; }
const Cell& Screen::cell(int row, int col) const { return line(row).cells[size_t(std::clamp(col, 0, s_->cols - 1))]; }
size_t Screen::scrollback_size() const { return s_->sb.size(); }
const Line& Screen::scrollback_line(size_t index) const { return s_->sb[index]; }
int Screen::cursor_row() const { return s_->row; }
int Screen::cursor_col() const { return s_->col; }
bool Screen::cursor_visible() const { return s_->cursorVisible; }
bool Screen::alternate_screen() const { return s_->alt; }
bool Screen::bracketed_paste() const { return s_->bracketed; }
bool Screen::application_cursor_keys() const { return s_->appCursor; }
const std::string& Screen::title() const { return s_->title; }
std::string Screen::take_replies() { return std::exchange(s_->replies, {}); }
bool Screen::take_bell() { return std::exchange(s_->bell, false); }
uint64_t Screen::generation() const { return s_->gen; }

static std::string utf8(char32_t c)
{
    std::string o;
    if (c < 0x80) o += char(c);
    else if (c < 0x800) { o += char(0xC0 | (c >> 6)); o += char(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { o += char(0xE0 | (c >> 12)); o += char(0x80 | ((c >> 6) & 0x3F)); o += char(0x80 | (c & 0x3F)); }
    else { o += char(0xF0 | (c >> 18)); o += char(0x80 | ((c >> 12) & 0x3F)); o += char(0x80 | ((c >> 6) & 0x3F)); o += char(0x80 | (c & 0x3F)); }
    return o;
}

static std::string lineText(const Line& l)
{
    std::string o;
    for (const Cell& c : l.cells)
        if (c.width)
            o += utf8(c.ch ? c.ch : U' ');
    while (!o.empty() && o.back() == ' ')
        o.pop_back();
    return o;
}

std::string Screen::text() const
{
    std::string o;
    for (const Line& l : s_->lines)
        o += lineText(l) + "\n";
    while (!o.empty() && o.back() == '\n')
        o.pop_back();
    return o;
}

std::string Screen::all_text() const
{
    std::string o;
    for (const Line& l : s_->sb)
        o += lineText(l) + (l.wrapped ? "" : "\n");
    return o + text();
}

std::string key_bytes(Key key, Modifiers mods, bool application_cursor)
{
    const char* arrows = "ABCD";
    switch (key) {
    case Key::Up:
    case Key::Down:
    case Key::Right:
    case Key::Left: {
        const char k = arrows[int(key) - int(Key::Up)];
        return std::string(application_cursor ? "\x1bO" : "\x1b[") + k;
    }
    case Key::Home: return "\x1b[H";
    case Key::End: return "\x1b[F";
    case Key::PageUp: return "\x1b[5~";
    case Key::PageDown: return "\x1b[6~";
    case Key::Insert: return "\x1b[2~";
    case Key::Delete: return "\x1b[3~";
    case Key::Tab: return mods.shift ? "\x1b[Z" : "\t";
    case Key::BackTab: return "\x1b[Z";
    case Key::Enter: return "\r";
    case Key::Backspace: return "\x7f";
    case Key::Escape: return "\x1b";
    default: return "\x1bOP";
    }
}

std::string char_bytes(char32_t ch, Modifiers mods)
{
    std::string o = mods.alt ? "\x1b" : "";
    if (mods.ctrl && ch >= 'a' && ch <= 'z')
        return o + char(ch - 'a' + 1);
    if (mods.ctrl && ch >= '@' && ch <= '_')
        return o + char(ch - '@');
    if (mods.ctrl && ch == ' ')
        return o + '\0';
    return o + utf8(ch);
}

std::string paste_bytes(std::string_view text, bool bracketed)
{
    std::string body(text);
    for (size_t p; (p = body.find("\x1b[201~")) != std::string::npos;)
        body.erase(p, 6);
    std::replace(body.begin(), body.end(), '\n', '\r');
    return bracketed ? "\x1b[200~" + body + "\x1b[201~" : body;
}

} // namespace mountlab::term
