// The new mount API's operations (lesson new-mount-api): fsopen/fsconfig/fsmount/
// move_mount, open_tree(OPEN_TREE_CLONE) and mount_setattr, each call written to the
// result's "stdout" as strace shows it.
#pragma once

#include "lab/operations.h"

namespace mountlab::lab {

// {fstype, options: ["key=value" | "flag"], attrs: [ro, nosuid, nodev, noexec], target}
OpResult new_api_mount(const Json& req);
// {path, recursive, attrs, propagation, idmap: "INSIDE OUTSIDE COUNT", target, nested_userns}
OpResult new_api_clone(const Json& req);
// {path, recursive, attrs, rw, propagation, idmap}
OpResult new_api_setattr(const Json& req);

} // namespace mountlab::lab
