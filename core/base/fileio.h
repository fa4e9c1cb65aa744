// Small writes to files the kernel serves (/proc, cgroupfs): one write(2) of the whole
// text into an existing file, the errno and path on failure.
#pragma once

#include "base/error.h"

#include <string>

namespace mountlab {

[[nodiscard]] Status write_existing_file(const std::string& path, const std::string& text);

} // namespace mountlab
