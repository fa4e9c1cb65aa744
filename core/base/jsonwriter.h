// JsonWriter: a streaming JSON writer into a growing buffer. Iterative (no recursion,
// so a 10,000-deep mount chain cannot overflow the stack) and allocation-light, for
// the hot paths: mount tables and the event stream. Reading JSON uses nlohmann-json.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mountlab {

class JsonWriter {
public:
    // indent < 0: one line (JSON lines); otherwise pretty with that many spaces, for
    // the first kMaxPrettyDepth levels of nesting (deeper values follow on one line).
    static constexpr size_t kMaxPrettyDepth = 64;
    explicit JsonWriter(int indent = -1);

    void begin_object();
    void end_object();
    void begin_array();
    void end_array();

    void key(std::string_view k);
    void value(std::string_view s);
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b);
    void value(std::int64_t n);
    void value(int n) { value(static_cast<std::int64_t>(n)); }
    void value(unsigned n) { value(static_cast<std::int64_t>(n)); }
    void value(std::uint64_t n);
    void value(double d);
    void null();

    template <typename T> void field(std::string_view k, const T& v)
    {
        key(k);
        value(v);
    }

    [[nodiscard]] std::string_view view() const { return buf_; }
    [[nodiscard]] std::string str() const { return buf_; }
    // Moves the text out (no copy of a large document); the writer is left empty.
    [[nodiscard]] std::string take();
    // Raw text appended as is (e.g. a newline between JSON lines).
    void raw(std::string_view s) { buf_.append(s); }
    void clear();
    void reserve(size_t bytes) { buf_.reserve(bytes); }

private:
    void before_value();
    void newline();
    void escape(std::string_view s);

    std::string buf_;
    struct Level {
        bool first = true;
    };
    std::vector<Level> stack_;
    bool after_key_ = false;
    int indent_;
    std::string newline_; // "\n" and the indentation of the deepest pretty level
};

} // namespace mountlab
