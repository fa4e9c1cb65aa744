// The cursor: motion, tab stops, save and restore, the alternate screen it moves
// between, and DECSTR's soft reset of the modes.
#include "term/screen_state.h"

#include <algorithm>

namespace mountlab::term {

void Screen::State::set_cursor(int r, int c)
{
    row = std::clamp(r, 0, rows - 1);
    col = std::clamp(c, 0, cols - 1);
    pending_wrap = false;
    dirty = true;
}

// CUP and VPA: rows count from the region's top in origin mode, and stay in it.
void Screen::State::move_to(int r, int c)
{
    if (origin)
        set_cursor(std::clamp(r + top, top, bottom), c);
    else
        set_cursor(r, c);
}

void Screen::State::move_up(int n)
{
    const int limit = row >= top ? top : 0;
    set_cursor(std::max(row - n, limit), col);
}

void Screen::State::move_down(int n)
{
    const int limit = row <= bottom ? bottom : rows - 1;
    set_cursor(std::min(row + n, limit), col);
}

void Screen::State::tab_forward(int n)
{
    while (n-- > 0 && col < cols - 1) {
        ++col;
        while (col < cols - 1 && !tabs[static_cast<size_t>(col)])
            ++col;
    }
    dirty = true;
}

void Screen::State::tab_backward(int n)
{
    pending_wrap = false;
    while (n-- > 0 && col > 0) {
        --col;
        while (col > 0 && !tabs[static_cast<size_t>(col)])
            --col;
    }
    dirty = true;
}

void Screen::State::restore_cursor(const SavedCursor& s)
{
    set_cursor(s.row, s.col);
    pending_wrap = s.pending_wrap && autowrap && col == cols - 1;
    attrs = s.attrs;
    origin = s.origin;
    graphics = s.graphics;
}

void Screen::State::enter_alt(bool clear)
{
    if (!on_alt) {
        on_alt = true;
        pending_wrap = false;
    }
    if (clear)
        clear_lines(alt, 0, rows);
    dirty = true;
}

void Screen::State::leave_alt()
{
    if (on_alt) {
        on_alt = false;
        pending_wrap = false;
    }
    dirty = true;
}

// DECSTR: modes and attributes as new, the screen's text kept.
void Screen::State::soft_reset()
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

} // namespace mountlab::term
