// The screen's lines: writing a character into its cells, erasing, inserting and
// deleting, scrolling (and the scrollback it feeds), clearing, resizing.
#include "term/screen_state.h"

#include <algorithm>
#include <utility>

namespace mountlab::term {

void Screen::State::default_tabs()
{
    tabs.assign(static_cast<size_t>(cols), false);
    for (int c = 8; c < cols; c += 8)
        tabs[static_cast<size_t>(c)] = true;
}

void Screen::State::clear_grid(std::vector<Line>& g)
{
    g.resize(static_cast<size_t>(rows));
    for (Line& l : g) {
        l.cells.assign(static_cast<size_t>(cols), Cell{});
        l.wrapped = false;
    }
}

// RIS: a new terminal, scrollback and title included.
void Screen::State::clear_all()
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

// A wide character cut in two (one half overwritten or erased) leaves a blank, never
// a half that the view would draw as something else.
void Screen::State::break_wide_at(Line& l, int c, int cols)
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

void Screen::State::repair_wide(Line& l)
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

void Screen::State::erase(Line& l, int from, int to) // [from, to)
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

void Screen::State::insert_blanks(int n)
{
    Line& l = cur_line();
    n = std::min(n, cols - col);
    std::move_backward(l.cells.begin() + col, l.cells.end() - n, l.cells.end());
    std::fill(l.cells.begin() + col, l.cells.begin() + col + n, blank());
    repair_wide(l);
    dirty = true;
}

void Screen::State::delete_chars(int n)
{
    Line& l = cur_line();
    n = std::min(n, cols - col);
    std::move(l.cells.begin() + col + n, l.cells.end(), l.cells.begin() + col);
    std::fill(l.cells.end() - n, l.cells.end(), blank());
    repair_wide(l);
    dirty = true;
}

void Screen::State::put(char32_t cp)
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

// A line leaving the top of the main screen; `l` gets the storage of the oldest
// scrollback line when the scrollback is full, so that scrolling allocates nothing.
void Screen::State::keep_line(Line& l)
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
void Screen::State::scroll_up(int n, int from, int to, bool history)
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

void Screen::State::scroll_down(int n, int from, int to)
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

void Screen::State::index()
{
    if (row == bottom)
        scroll_up(1, top, bottom);
    else if (row < rows - 1)
        ++row;
    dirty = true;
}

void Screen::State::reverse_index()
{
    if (row == top)
        scroll_down(1, top, bottom);
    else if (row > 0)
        --row;
    dirty = true;
}

void Screen::State::clear_lines(std::vector<Line>& g, int from, int to)
{
    const Cell b = blank();
    for (int r = std::max(from, 0); r < std::min(to, rows); ++r) {
        Line& l = g[static_cast<size_t>(r)];
        std::fill(l.cells.begin(), l.cells.end(), b);
        l.wrapped = false;
    }
    dirty = true;
}

void Screen::State::erase_display(int how)
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

void Screen::State::erase_line(int how)
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

void Screen::State::resize(int new_rows, int new_cols)
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

} // namespace mountlab::term
