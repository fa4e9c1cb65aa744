// One UTF-8 sequence read from a byte string, whole: what the JSON writer and the text
// escaper both need to tell valid text from arbitrary bytes (mount paths are bytes).
// The terminal reads its PTY a byte at a time instead (core/term/utf8.h).
#pragma once

#include <cstddef>

namespace mountlab {

// The length (2 to 4) of the valid multi-byte UTF-8 sequence at p, its code point in
// cp; 0 when the bytes there are not one: a bad lead or continuation byte, a sequence
// cut short by end, an overlong form, a surrogate, or past U+10FFFF. p < end.
inline std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end, char32_t& cp)
{
    const unsigned char c = *p;
    std::size_t len = 0;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (static_cast<std::size_t>(end - p) < len)
        return 0;
    for (std::size_t i = 1; i < len; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

} // namespace mountlab
