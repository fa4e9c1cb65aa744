// Why pivot_root failed. pivot_root(2) returns EINVAL for several reasons; the kernel
// (fs/namespace.c) checks them in a fixed order. Given the caller's mount table at the
// time of the call, name the one that applies, as a learner needs to read it.
#pragma once

#include "mount/mounttree.h"

#include <string>

namespace mountlab::lab {

// new_root and put_old: absolute paths as the caller sees them (after realpath).
// err: the errno pivot_root returned. Returns "" when no documented cause matches.
[[nodiscard]] std::string explain_pivot_root(int err, const MountTree& table, const std::string& new_root,
                                             const std::string& put_old);

// The visible mount that holds this absolute path (longest mounted prefix), or npos.
[[nodiscard]] size_t mount_of_path(const MountTree& table, const std::string& path);

} // namespace mountlab::lab
