// The event stream: what the engine tells its front ends (the CLI's text and --json,
// the GUI through `mountlab-cli agent`, recordings, grading). JSON lines, one event
// per line, each with "kind". Documented in core/stream/README.md.
#pragma once

#include "base/json.h"
#include "mount/mountdiff.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <string>

namespace mountlab::stream {

inline constexpr int kVersion = 1;

// {"kind":"session","v":1,...}: the first line of every stream.
[[nodiscard]] Json session(const Json& facts);

// A mount as the stream carries it: findmnt's keys, ours, and the raw mountinfo line.
[[nodiscard]] Json mount_json(const Mount& m);
[[nodiscard]] Json table(int step, const std::string& view, unsigned long long mntns, const std::vector<Mount>& mounts);
[[nodiscard]] Json diff(int step, const std::string& view, const MountDiff& d);
// Across namespaces (mount IDs differ): by target, with "basis": "normalised".
[[nodiscard]] Json normal_diff(int step, const std::string& view, const NormalDiff& d);
[[nodiscard]] Json normal_mount_json(const NormalMount& m);
[[nodiscard]] Json log(const std::string& level, const std::string& message);

// Where events go.
using Sink = std::function<void(const Json&)>;

// A sink that writes JSON lines to a FILE and flushes each line (a pipe reader sees
// every event as it happens).
[[nodiscard]] Sink json_lines(FILE* out);

} // namespace mountlab::stream
