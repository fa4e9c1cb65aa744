// Operations of the lesson overlay-advanced.
#pragma once

#include "lab/operations.h"

namespace mountlab::lab {

// {path, new_path}: rename(2), no fallback.
OpResult rename_path(const Json& req);

} // namespace mountlab::lab
