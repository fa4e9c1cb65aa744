#include "base/textescape.h"

#include "base/utf8.h"

#include <cstdint>

namespace mountlab {

namespace {

void append_hex(std::string& out, unsigned char c)
{
    static constexpr char hex[] = "0123456789abcdef";
    const char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 0xf]};
    out.append(esc, 4);
}

std::string escape(std::string_view s, bool keep_newlines)
{
    std::string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            const bool control = (c < 0x20 && !(c == '\n' && keep_newlines)) || c == 0x7f;
            const bool ambiguous = c == '\\' && p + 1 < end && p[1] == 'x';
            if (control || ambiguous)
                append_hex(out, c);
            else
                out.push_back(static_cast<char>(c));
            ++p;
            continue;
        }
        char32_t cp = 0;
        const size_t len = utf8_sequence(p, end, cp);
        if (len == 0) {
            append_hex(out, c); // one byte of invalid UTF-8
            ++p;
            continue;
        }
        const bool c1 = cp >= 0x80 && cp <= 0x9F; // CSI (U+009B), OSC (U+009D), ...
        for (size_t i = 0; i < len; ++i)
            c1 ? append_hex(out, p[i]) : out.push_back(static_cast<char>(p[i]));
        p += len;
    }
    return out;
}

// Whitespace that .NET's Char.IsWhiteSpace (the Actions runner's TrimStart) removes,
// plus zero-width characters a log viewer would not show.
bool is_unicode_space(char32_t cp)
{
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || cp == 0xFEFF;
}

// Byte offset of the first character of `line` that is not whitespace.
size_t skip_spaces(std::string_view line)
{
    const auto* begin = reinterpret_cast<const unsigned char*>(line.data());
    const auto* p = begin;
    const auto* end = p + line.size();
    while (p < end) {
        char32_t cp = *p;
        size_t len = 1;
        if (*p >= 0x80 && (len = utf8_sequence(p, end, cp)) == 0)
            break;
        if (!is_unicode_space(cp))
            break;
        p += len;
    }
    return static_cast<size_t>(p - begin);
}

} // namespace

std::string escape_text(std::string_view s) { return escape(s, false); }

std::string escape_multiline(std::string_view s) { return escape(s, true); }

std::string quote_lines(std::string_view s, std::string_view prefix)
{
    const std::string escaped = escape_multiline(s);
    std::string out;
    out.reserve(escaped.size() + prefix.size() * 4);
    for (size_t i = 0; i < escaped.size(); ++i) {
        out.push_back(escaped[i]);
        if (escaped[i] == '\n' && i + 1 < escaped.size())
            out.append(prefix);
    }
    return out;
}

std::string defuse_workflow_commands(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        nl = nl == std::string_view::npos ? text.size() : nl + 1;
        const std::string_view line = text.substr(pos, nl - pos);
        const size_t lead = skip_spaces(line);
        if (line.substr(lead, 2) == "::") {
            out.append(line.substr(0, lead));
            out.append("\\x3a");
            out.append(line.substr(lead + 1));
        } else {
            out.append(line);
        }
        pos = nl;
    }
    return out;
}

} // namespace mountlab
