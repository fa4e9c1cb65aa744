// Base64 (RFC 4648, standard alphabet, with padding): how the event stream carries a
// terminal's bytes, which need not be text (invalid UTF-8, escape sequences).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mountlab {

[[nodiscard]] std::string base64_encode(std::string_view bytes);
// Strict: only the alphabet, a length that is a multiple of 4, padding only at the end.
// nullopt for anything else.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

} // namespace mountlab
