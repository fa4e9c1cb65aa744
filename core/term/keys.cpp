#include "term/screen.h"
#include "term/utf8.h"

namespace mountlab::term {

namespace {

// xterm's modifier parameter: 1 + Shift 1 + Alt 2 + Ctrl 4, 1 (none) left out.
int modifier_param(Modifiers m) { return 1 + (m.shift ? 1 : 0) + (m.alt ? 2 : 0) + (m.ctrl ? 4 : 0); }

bool any(Modifiers m) { return m.shift || m.alt || m.ctrl; }

// Cursor keys and F1-F4: "ESC [ X" (or "ESC O X"), "ESC [ 1 ; m X" with modifiers.
std::string letter_key(char final, Modifiers mods, bool ss3)
{
    if (any(mods))
        return "\x1b[1;" + std::to_string(modifier_param(mods)) + final;
    return std::string(ss3 ? "\x1bO" : "\x1b[") + final;
}

// Editing keys and F5-F12: "ESC [ n ~", "ESC [ n ; m ~" with modifiers.
std::string tilde_key(int n, Modifiers mods)
{
    std::string s = "\x1b[" + std::to_string(n);
    if (any(mods))
        s += ";" + std::to_string(modifier_param(mods));
    return s + "~";
}

std::string alt_prefixed(std::string s, bool alt) { return alt ? "\x1b" + s : s; }

// The C0 byte Ctrl gives with ch, as xterm and the Linux console do (Ctrl+2 and Ctrl+@
// are NUL, Ctrl+/ is ^_, Ctrl+8 and Ctrl+? are DEL), or -1 when Ctrl changes nothing.
int control_byte(char32_t ch)
{
    if (ch >= 'a' && ch <= 'z')
        return static_cast<int>(ch - 'a' + 1);
    if (ch >= '@' && ch <= '_')
        return static_cast<int>(ch - '@');
    switch (ch) {
    case ' ':
    case '2':
        return 0x00;
    case '3':
        return 0x1B;
    case '4':
        return 0x1C;
    case '5':
        return 0x1D;
    case '6':
    case '~':
        return 0x1E;
    case '7':
    case '/':
        return 0x1F;
    case '8':
    case '?':
        return 0x7F;
    default:
        return -1;
    }
}

} // namespace

std::string key_bytes(Key key, Modifiers mods, bool application_cursor)
{
    switch (key) {
    case Key::Up:
        return letter_key('A', mods, application_cursor);
    case Key::Down:
        return letter_key('B', mods, application_cursor);
    case Key::Right:
        return letter_key('C', mods, application_cursor);
    case Key::Left:
        return letter_key('D', mods, application_cursor);
    case Key::Home:
        return letter_key('H', mods, application_cursor);
    case Key::End:
        return letter_key('F', mods, application_cursor);
    case Key::PageUp:
        return tilde_key(5, mods);
    case Key::PageDown:
        return tilde_key(6, mods);
    case Key::Insert:
        return tilde_key(2, mods);
    case Key::Delete:
        return tilde_key(3, mods);
    case Key::F1:
        return letter_key('P', mods, true);
    case Key::F2:
        return letter_key('Q', mods, true);
    case Key::F3:
        return letter_key('R', mods, true);
    case Key::F4:
        return letter_key('S', mods, true);
    case Key::F5:
        return tilde_key(15, mods);
    case Key::F6:
        return tilde_key(17, mods);
    case Key::F7:
        return tilde_key(18, mods);
    case Key::F8:
        return tilde_key(19, mods);
    case Key::F9:
        return tilde_key(20, mods);
    case Key::F10:
        return tilde_key(21, mods);
    case Key::F11:
        return tilde_key(23, mods);
    case Key::F12:
        return tilde_key(24, mods);
    case Key::Tab:
        return mods.shift ? alt_prefixed("\x1b[Z", mods.alt) : alt_prefixed("\t", mods.alt);
    case Key::BackTab:
        return alt_prefixed("\x1b[Z", mods.alt);
    case Key::Enter:
        return alt_prefixed("\r", mods.alt);
    case Key::Backspace:
        // DEL, what Debian's xterm and stty's erase agree on; Ctrl+Backspace is BS, which
        // readline takes as the same key.
        return alt_prefixed(mods.ctrl ? "\x08" : "\x7f", mods.alt);
    case Key::Escape:
        return alt_prefixed("\x1b", mods.alt);
    }
    return {};
}

std::string char_bytes(char32_t ch, Modifiers mods)
{
    if (ch > 0x10FFFF || (ch >= 0xD800 && ch <= 0xDFFF))
        return {};
    std::string s;
    if (mods.alt)
        s.push_back('\x1b');
    const int c0 = mods.ctrl ? control_byte(ch) : -1;
    if (c0 >= 0)
        s.push_back(static_cast<char>(c0));
    else
        append_utf8(s, ch);
    return s;
}

std::string paste_bytes(std::string_view utf8, bool bracketed)
{
    std::string s;
    s.reserve(utf8.size() + 12);
    for (size_t i = 0; i < utf8.size(); ++i) {
        if (utf8[i] == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n')
            continue; // CR LF is one Enter
        s.push_back(utf8[i] == '\n' ? '\r' : utf8[i]);
    }
    if (!bracketed)
        return s;
    // Removing one end marker can join the bytes around it into another
    // ("\x1b[20" "\x1b[201~" "1~"): again until none is left.
    static constexpr std::string_view kEnd = "\x1b[201~";
    for (size_t at = s.find(kEnd); at != std::string::npos; at = s.find(kEnd, at >= 5 ? at - 5 : 0))
        s.erase(at, kEnd.size());
    return "\x1b[200~" + s + std::string(kEnd);
}

} // namespace mountlab::term
