// SGR: the attributes and colours (16, 256 and RGB, in both the ';' and the ITU ':'
// forms) that the next characters are written with.
#include "term/screen_state.h"

#include <algorithm>

namespace mountlab::term {

// 38/48/58 with what follows: "5;n" or "2;r;g;b" as separate parameters, or the
// ITU forms "5:n", "2:r:g:b" and "2:cs:r:g:b" as sub-parameters. Returns the index
// of the last parameter used.
size_t Screen::State::extended_color(size_t i, Color* out)
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

void Screen::State::sgr()
{
    if (nparams == 0) {
        attrs = Attrs{};
        return;
    }
    for (size_t i = 0; i < nparams; ++i)
        i = sgr_param(i);
}

// Sub-parameters of something we do not handle (4:3 curly underline is 4 on): the index
// of the last one after i.
size_t Screen::State::skip_subparams(size_t i) const
{
    while (i + 1 < nparams && params[i + 1].sub)
        ++i;
    return i;
}

// One parameter and what belongs to it; returns the index of the last parameter used.
size_t Screen::State::sgr_param(size_t i)
{
    const int p = params[i].value;
    switch (p) {
    case 4:
        attrs.underline = !(i + 1 < nparams && params[i + 1].sub && params[i + 1].value == 0);
        return skip_subparams(i);
    case 38:
        return extended_color(i, &attrs.fg);
    case 48:
        return extended_color(i, &attrs.bg);
    case 58:
        return extended_color(i, nullptr); // underline colour: not drawn
    default:
        break;
    }
    if (sgr_attribute(p))
        return i;
    sgr_basic_color(p);
    return skip_subparams(i);
}

// Attributes on and off, and the default colours; false when p is none of them.
bool Screen::State::sgr_attribute(int p)
{
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
    case 39:
        attrs.fg = Color{};
        break;
    case 49:
        attrs.bg = Color{};
        break;
    default:
        return false;
    }
    return true;
}

// The 16 colours, normal (30-37, 40-47) and bright (90-97, 100-107); anything else: nothing.
void Screen::State::sgr_basic_color(int p)
{
    if (p >= 30 && p <= 37)
        attrs.fg = indexed(p - 30);
    else if (p >= 40 && p <= 47)
        attrs.bg = indexed(p - 40);
    else if (p >= 90 && p <= 97)
        attrs.fg = indexed(p - 90 + 8);
    else if (p >= 100 && p <= 107)
        attrs.bg = indexed(p - 100 + 8);
}

} // namespace mountlab::term
