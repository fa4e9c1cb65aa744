#include "base/jsonwriter.h"

#include "base/utf8.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace mountlab {

JsonWriter::JsonWriter(int indent) : indent_(indent)
{
    if (indent_ >= 0)
        newline_ = "\n" + std::string(kMaxPrettyDepth * static_cast<size_t>(indent_), ' ');
}

std::string JsonWriter::take()
{
    std::string out = std::move(buf_);
    clear();
    return out;
}

void JsonWriter::clear()
{
    buf_.clear();
    stack_.clear();
    after_key_ = false;
}

void JsonWriter::newline()
{
    // Past kMaxPrettyDepth levels the rest is written on one line: indentation of
    // depth x indent on every line would make a deep document quadratic in size.
    // One append of a prefix of newline_: this runs for every value of a mount table.
    if (indent_ < 0 || stack_.size() > kMaxPrettyDepth)
        return;
    buf_.append(newline_, 0, 1 + stack_.size() * static_cast<size_t>(indent_));
}

void JsonWriter::before_value()
{
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (stack_.empty())
        return;
    if (!stack_.back().first)
        buf_.push_back(',');
    stack_.back().first = false;
    newline();
}

void JsonWriter::begin_object()
{
    before_value();
    buf_.push_back('{');
    stack_.push_back({});
}

void JsonWriter::end_object()
{
    const bool empty = stack_.back().first;
    stack_.pop_back();
    if (!empty)
        newline();
    buf_.push_back('}');
}

void JsonWriter::begin_array()
{
    before_value();
    buf_.push_back('[');
    stack_.push_back({});
}

void JsonWriter::end_array()
{
    const bool empty = stack_.back().first;
    stack_.pop_back();
    if (!empty)
        newline();
    buf_.push_back(']');
}

void JsonWriter::key(std::string_view k)
{
    before_value();
    escape(k);
    buf_.push_back(':');
    if (indent_ >= 0)
        buf_.push_back(' ');
    after_key_ = true;
}

void JsonWriter::value(std::string_view s)
{
    before_value();
    escape(s);
}

void JsonWriter::value(bool b)
{
    before_value();
    buf_.append(b ? std::string_view("true") : std::string_view("false"));
}

void JsonWriter::value(std::int64_t n)
{
    before_value();
    const fmt::format_int f(n);
    buf_.append(f.data(), f.size());
}

void JsonWriter::value(std::uint64_t n)
{
    before_value();
    const fmt::format_int f(n);
    buf_.append(f.data(), f.size());
}

void JsonWriter::value(double d)
{
    before_value();
    if (std::isfinite(d))
        fmt::format_to(std::back_inserter(buf_), "{}", d);
    else
        buf_.append("null");
}

void JsonWriter::null()
{
    before_value();
    buf_.append(std::string_view("null"));
}

namespace {
// Whether 8 bytes are all plain printable ASCII (no control byte, '"', '\\' or byte
// >= 0x80), tested as one word: mount paths are long runs of such bytes. The
// "has a byte below n" and "has a zero byte" tricks are exact as yes/no answers.
bool all_plain8(const unsigned char* p)
{
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    const std::uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    const std::uint64_t bad = (x & high) | ((x - ones * 0x20) & ~x & high) | ((quote - ones) & ~quote & high) |
                              ((backslash - ones) & ~backslash & high);
    return bad == 0;
}

// The end of the run of plain printable ASCII from p (nothing to escape), 8 bytes at a time.
const unsigned char* plain_run_end(const unsigned char* p, const unsigned char* end)
{
    static constexpr auto plain = [] {
        std::array<bool, 256> t{};
        for (int c = 0x20; c < 0x80; ++c)
            t[static_cast<size_t>(c)] = c != '"' && c != '\\';
        return t;
    }();
    while (end - p >= 8 && all_plain8(p))
        p += 8;
    while (p < end && plain[*p])
        ++p;
    return p;
}

// An ASCII byte that is not plain: its escape, or itself.
void append_escaped_ascii(std::string& buf, unsigned char c)
{
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        buf.append("\\\"");
        break;
    case '\\':
        buf.append(std::string_view("\\\\"));
        break;
    case '\n':
        buf.append(std::string_view("\\n"));
        break;
    case '\t':
        buf.append(std::string_view("\\t"));
        break;
    case '\r':
        buf.append(std::string_view("\\r"));
        break;
    case '\b':
        buf.append(std::string_view("\\b"));
        break;
    case '\f':
        buf.append(std::string_view("\\f"));
        break;
    default:
        if (c < 0x20) {
            const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            buf.append(esc, 6);
        } else {
            buf.push_back(static_cast<char>(c));
        }
    }
}

} // namespace

// JSON strings must be valid UTF-8. Mount paths are arbitrary bytes: bytes that do not
// form valid UTF-8 are written as U+FFFD so that every consumer can parse the line.
void JsonWriter::escape(std::string_view s)
{
    buf_.push_back('"');
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        // Bulk-copy the run of plain printable ASCII, the common case.
        if (const auto* run = plain_run_end(p, end); run != p) {
            buf_.append(reinterpret_cast<const char*>(p), static_cast<size_t>(run - p));
            p = run;
            continue;
        }
        if (*p < 0x80) {
            append_escaped_ascii(buf_, *p);
            ++p;
        } else if (char32_t cp = 0; const size_t len = utf8_sequence(p, end, cp)) {
            buf_.append(reinterpret_cast<const char*>(p), len);
            p += len;
        } else {
            buf_.append(std::string_view("\xEF\xBF\xBD"));
            ++p;
        }
    }
    buf_.push_back('"');
}

} // namespace mountlab
