// The mount tree as text, like findmnt, with the propagation columns findmnt leaves
// out by default: PROPAGATION and the peer group / master ("shared:1 master:3").
#pragma once

#include "mount/mounttree.h"

#include <functional>
#include <string>
#include <string_view>

namespace mountlab {

struct TreePrintOptions {
    bool list = false;   // flat, with ID and PARENT columns, instead of the drawn tree
    bool options = true; // the OPTIONS column
};

// The text, whole. Rows past 64 levels of nesting are drawn flat with their depth
// ("…(depth 70)└─/x"), so the output grows linearly with the table.
[[nodiscard]] std::string print_tree(const MountTree& tree, const TreePrintOptions& opts = {});

// The same text handed to `write` in chunks of whole lines, as it is made.
using TreeWriter = std::function<void(std::string_view)>;
void write_tree(const MountTree& tree, const TreePrintOptions& opts, const TreeWriter& write);

// "shared:1 master:3", "unbindable", "" for private.
[[nodiscard]] std::string group_label(const Mount& m);

} // namespace mountlab
