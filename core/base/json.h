// The project's one JSON type: insertion-ordered, so that events, replies, recordings and
// reports keep their keys in the order they were written.
#pragma once

#include <nlohmann/json.hpp>

namespace mountlab {

using Json = nlohmann::ordered_json;

} // namespace mountlab
