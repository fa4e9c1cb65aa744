// The escape-sequence parser: bytes to text, C0 controls, ESC, CSI and string
// (OSC, DCS...) sequences, each bounded; what ESC sequences do, and OSC titles.
#include "term/screen_state.h"
#include "term/utf8.h"

#include <algorithm>

namespace mountlab::term {

void Screen::State::feed(std::string_view bytes)
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

void Screen::State::byte(unsigned char c)
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
void Screen::State::control_in_sequence(unsigned char c)
{
    if (c == 0x18 || c == 0x1A)
        parse = Parse::Ground;
    else
        execute(c);
}

void Screen::State::execute(unsigned char c)
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

void Screen::State::escape_byte(unsigned char c)
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

void Screen::State::esc_intermediate_dispatch(unsigned char c)
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

void Screen::State::push_param()
{
    if (nparams < kMaxParams)
        params[nparams++] = Param{cur, cur_sub};
    cur = 0;
    cur_digits = false;
}

void Screen::State::csi_byte(unsigned char c)
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

void Screen::State::finish_string()
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

} // namespace mountlab::term
