// Diffs of mount tables.
//
// diff(): two snapshots of one namespace, matched by mount ID (a mount keeps its ID
// while it exists; a reused ID on another filesystem is another mount).
// normalise() + diff_normalised(): runs compared with each other, where IDs, device
// numbers and peer-group numbers differ but targets, filesystems, sources, options and
// propagation do not.
#pragma once

#include "mount/mounttree.h"

#include <string>
#include <vector>

namespace mountlab {

struct MountChange {
    Mount before;
    Mount after;
    std::vector<std::string> fields; // names of the fields that differ, e.g. "propagation", "target"
};

struct MountDiff {
    std::vector<Mount> added;
    std::vector<Mount> removed;
    std::vector<MountChange> changed;
    [[nodiscard]] bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

[[nodiscard]] MountDiff diff(const std::vector<Mount>& before, const std::vector<Mount>& after);

// A mount with everything that changes from run to run taken out.
struct NormalMount {
    std::string target;
    int stack = 0;             // position on its target, 0 = bottom (overmounts)
    std::string parent_target; // "" for a root
    std::string fstype;
    std::string source;
    std::string root;
    std::string vfs_options;
    std::string super_options;
    std::string propagation; // findmnt's form
    int peer_group = 0;      // renumbered 1, 2, ... in order of first appearance by target
    int master = 0;          // renumbered the same way
    bool operator==(const NormalMount&) const = default;
    [[nodiscard]] std::string key() const;
};

// Sorted by target, then stack position.
[[nodiscard]] std::vector<NormalMount> normalise(const MountTree& tree);

struct NormalChange {
    NormalMount before;
    NormalMount after;
    std::vector<std::string> fields;
};
struct NormalDiff {
    std::vector<NormalMount> added;
    std::vector<NormalMount> removed;
    std::vector<NormalChange> changed;
    [[nodiscard]] bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};
[[nodiscard]] NormalDiff diff_normalised(const std::vector<NormalMount>& before, const std::vector<NormalMount>& after);

} // namespace mountlab
