// The mount tree as text, like findmnt, with the propagation columns findmnt leaves
// out by default: PROPAGATION and the peer group / master ("shared:1 master:3").
#pragma once

#include "mount/mounttree.h"

#include <string>

namespace mountlab {

struct TreePrintOptions {
    bool list = false;     // flat, with ID and PARENT columns, instead of the drawn tree
    bool options = true;   // the OPTIONS column
};

[[nodiscard]] std::string print_tree(const MountTree& tree, const TreePrintOptions& opts = {});

// "shared:1 master:3", "unbindable", "" for private.
[[nodiscard]] std::string group_label(const Mount& m);

} // namespace mountlab
