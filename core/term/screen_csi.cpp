// What CSI sequences do, one function per family of final bytes (cursor motion, tab
// stops, editing, scrolling, modes and reports), and the DEC private modes.
#include "term/screen_state.h"

#include <algorithm>
#include <string>

namespace mountlab::term {

void Screen::State::csi_dispatch(char final)
{
    if (inter) {
        if (inter == '!' && final == 'p' && !priv)
            soft_reset();
        return; // DECSCUSR (SP q), DECRQM ($ p), ...: nothing to show
    }
    if (priv == '?') {
        csi_private(final);
        return;
    }
    if (priv)
        return; // CSI > c, CSI > m (modifyOtherKeys), CSI = c: consumed
    // The families take disjoint final bytes; window operations (t), DECLL (q), and the
    // unknown are no family's: consumed.
    (void)(csi_cursor_motion(final) || csi_tab_stops(final) || csi_edit(final) || csi_scroll(final) ||
           csi_modes_and_reports(final));
}

// CSI ? h/l (DEC modes), ? J/K (selective erase, as plain erase), ? 6 n (DECXCPR).
void Screen::State::csi_private(char final)
{
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
}

// CUU CUD CUF CUB CNL CPL CHA CUP VPA, and their aliases.
bool Screen::State::csi_cursor_motion(char final)
{
    switch (final) {
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
    case 'd':
        move_to(count(0) - 1, col);
        break;
    default:
        return false;
    }
    return true;
}

// CHT, CBT, TBC.
bool Screen::State::csi_tab_stops(char final)
{
    switch (final) {
    case 'I':
        tab_forward(count(0));
        break;
    case 'Z':
        tab_backward(count(0));
        break;
    case 'g':
        if (arg(0) == 0)
            tabs[static_cast<size_t>(col)] = false;
        else if (arg(0) == 3)
            std::fill(tabs.begin(), tabs.end(), false);
        break;
    default:
        return false;
    }
    return true;
}

// ICH, ED, EL, IL, DL, DCH, ECH, REP.
bool Screen::State::csi_edit(char final)
{
    switch (final) {
    case '@':
        pending_wrap = false;
        insert_blanks(count(0));
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
    case 'X':
        pending_wrap = false;
        erase(cur_line(), col, col + count(0));
        break;
    case 'b':
        // REP, which the xterm-256color entry offers ncurses: bounded by the screen,
        // more could only overwrite what it wrote.
        for (int i = 0, n = std::min(count(0), rows * cols); i < n; ++i)
            put(last_char);
        break;
    default:
        return false;
    }
    return true;
}

// SU, SD, DECSTBM.
bool Screen::State::csi_scroll(char final)
{
    switch (final) {
    case 'S':
        scroll_up(count(0), top, bottom);
        break;
    case 'T':
        if (nparams <= 1) // with more, mouse highlight tracking
            scroll_down(count(0), top, bottom);
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
    default:
        return false;
    }
    return true;
}

// DA, SM/RM (insert mode), SGR, DSR, SCOSC/SCORC.
bool Screen::State::csi_modes_and_reports(char final)
{
    switch (final) {
    case 'c':
        if (arg(0) == 0)
            reply("\x1b[?1;2c"); // a VT100 with advanced video, what xterm -ti vt100 says
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
    case 's':
        if (nparams == 0)
            save_cursor(saved());
        break;
    case 'u':
        if (nparams == 0)
            restore_cursor(saved());
        break;
    default:
        return false;
    }
    return true;
}

void Screen::State::dec_mode(int mode, bool on)
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

} // namespace mountlab::term
