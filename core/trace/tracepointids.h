// Tracepoint ids without touching this machine's mount table.
//
// libbpf 1.1 reads a tracepoint's id from tracefs, which is not always mounted, and
// MountLab never mounts anything in the real mount namespace. So when tracefs is not
// there, a short-lived child makes itself a private mount namespace, mounts tracefs
// there, reads the ids and sends them back over a pipe; its mounts die with it.
#pragma once

#include "base/error.h"

#include <string>
#include <vector>

namespace mountlab::trace {

// The id of each "category/name" ("syscalls/sys_enter_mount"), or -1 for a tracepoint
// this kernel does not have.
[[nodiscard]] Result<std::vector<int>> tracepoint_ids(const std::vector<std::string>& names);

} // namespace mountlab::trace
