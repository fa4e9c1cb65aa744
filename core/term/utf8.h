// UTF-8 encoding of one code point, shared by the screen (its text) and the keys (what
// a typed character sends); the decoder the screen reads the PTY's bytes with.
// Internal to core/term.
#pragma once

#include <string>

namespace mountlab::term {

inline void append_utf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

inline constexpr char32_t kReplacement = 0xFFFD;

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

} // namespace mountlab::term
