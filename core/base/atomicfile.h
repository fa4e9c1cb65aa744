// Writing a report file so that no reader ever sees half of it: a temporary file in
// the same directory, every write checked, fsync, then rename() over the target. A
// full disk or a failed write leaves the old file (or none) and removes the temporary.
#pragma once

#include "base/error.h"

#include <string>
#include <string_view>

namespace mountlab {

[[nodiscard]] Status write_file_atomically(const std::string& path, std::string_view text);

} // namespace mountlab
