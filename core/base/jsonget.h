// Reading values out of JSON that came from somewhere else (a client's command, a lab
// process's reply, a recording) without ever throwing: a missing key or a value of the
// wrong type gives the fallback, and numbers are clamped into the range the caller
// can use. nlohmann's value() throws type_error on a wrong type, which aborted the
// agent on `{"cmd":1}`; use these instead wherever the JSON is not our own.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace mountlab {

template <class J> [[nodiscard]] std::string json_string(const J& j, std::string_view key, std::string fallback = {})
{
    if (!j.is_object())
        return fallback;
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->template get<std::string>() : fallback;
}

template <class J> [[nodiscard]] bool json_bool(const J& j, std::string_view key, bool fallback = false)
{
    if (!j.is_object())
        return fallback;
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->template get<bool>() : fallback;
}

// An integer in [lo, hi]: values outside are clamped; a non-integer (string, float,
// bool, null) gives the fallback.
template <class J>
[[nodiscard]] long long json_int(const J& j, std::string_view key, long long fallback,
                                 long long lo = std::numeric_limits<long long>::min(),
                                 long long hi = std::numeric_limits<long long>::max())
{
    if (!j.is_object())
        return fallback;
    auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (it->is_number_unsigned()) {
        const auto u = it->template get<std::uint64_t>();
        return u > static_cast<std::uint64_t>(hi) ? hi : std::max(lo, static_cast<long long>(u));
    }
    if (it->is_number_integer())
        return std::clamp(it->template get<long long>(), lo, hi);
    return fallback;
}

template <class J> [[nodiscard]] std::uint64_t json_u64(const J& j, std::string_view key, std::uint64_t fallback = 0)
{
    if (!j.is_object())
        return fallback;
    auto it = j.find(key);
    return it != j.end() && it->is_number_unsigned() ? it->template get<std::uint64_t>() : fallback;
}

// The strings of an array (other elements skipped); empty when not an array.
template <class J> [[nodiscard]] std::vector<std::string> json_strings(const J& j, std::string_view key)
{
    std::vector<std::string> out;
    if (!j.is_object())
        return out;
    auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const auto& v : *it)
            if (v.is_string())
                out.push_back(v.template get<std::string>());
    return out;
}

// Timeouts a client may ask for: 1 ms to 10 minutes.
inline constexpr long long kMaxTimeoutMs = 10LL * 60 * 1000;

} // namespace mountlab
