// Error and Result: how core reports failure. An error carries the errno (0 when
// the failure is not a system call's) and a message in crun's "verb `object`: why"
// shape, so every front end can print it as it is.
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>
#include <variant>

namespace mountlab {

struct Error {
    int errnum = 0;      // errno value, 0 if none applies
    std::string message; // full text for a human: what was done, on what, and why

    // "EINVAL" for 22; "" for 0.
    [[nodiscard]] std::string errno_name() const;
};

// Build an Error from errno: "open `/proc/42/mountinfo`: ENOENT (No such file or directory)".
[[nodiscard]] Error system_error(int errnum, std::string_view what);

template <typename... Args> [[nodiscard]] Error make_error(fmt::format_string<Args...> fmt, Args&&... args)
{
    return Error{0, fmt::format(fmt, std::forward<Args>(args)...)};
}

// errno's symbolic name ("ENOENT"), or "E<number>" when the C library has none.
[[nodiscard]] std::string errno_name(int errnum);
// The reverse: 0 when the name is unknown.
[[nodiscard]] int errno_from_name(std::string_view name);

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}     // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Result for operations with no value.
struct Ok {};
using Status = Result<Ok>;

} // namespace mountlab
