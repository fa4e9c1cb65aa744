// MountTree: a mount table as a tree, built in O(n) and walked without recursion (a
// 10,000-deep chain of mounts must not overflow the stack).
//
// Roots are mounts whose parent is not in the table (the namespace's root, whose
// parent lies outside the reader's view, e.g. a pivoted container) or is the mount
// itself. Several mounts can sit on one target (overmounts): each covers the one
// below, and only the top of the stack is visible.
#pragma once

#include "mount/mountinfo.h"

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace mountlab {

class MountTree {
public:
    static constexpr size_t npos = static_cast<size_t>(-1);

    MountTree() = default;
    explicit MountTree(std::vector<Mount> mounts);
    explicit MountTree(MountTable table) : MountTree(std::move(table.mounts)) {}

    [[nodiscard]] const std::vector<Mount>& mounts() const { return mounts_; }
    [[nodiscard]] size_t size() const { return mounts_.size(); }
    [[nodiscard]] const Mount& operator[](size_t i) const { return mounts_[i]; }

    // Index of the mount with this ID, or npos.
    [[nodiscard]] size_t find(int id) const;
    // The mount on top of the stack at this exact target (the one a path lookup reaches
    // if nothing above hides it), or npos.
    [[nodiscard]] size_t find_target(std::string_view target) const;

    [[nodiscard]] size_t parent(size_t i) const { return parent_[i]; }
    // False for a root whose parent ID names a mount outside the table.
    [[nodiscard]] bool parent_in_table(size_t i) const { return parent_[i] != npos; }
    [[nodiscard]] std::span<const size_t> children(size_t i) const;
    [[nodiscard]] std::span<const size_t> roots() const { return roots_; }

    // From the mount up to its root, the mount first.
    [[nodiscard]] std::vector<size_t> path_to_root(size_t i) const;
    [[nodiscard]] int depth(size_t i) const { return depth_[i]; }

    // Overmounts. covered_by: the mount stacked directly on this one's target, or npos.
    [[nodiscard]] size_t covered_by(size_t i) const { return covered_by_[i]; }
    // Whether a path lookup of this mount's target reaches it (not covered, not under a
    // covered or shadowed mount).
    [[nodiscard]] bool visible(size_t i) const { return visible_[i]; }
    // The mounts on this mount's target, bottom first.
    [[nodiscard]] std::vector<size_t> stack(size_t i) const;

    struct Visit {
        size_t index;
        int depth;
        bool last; // last among its siblings (for drawing └ rather than ├)
    };
    // Depth-first pre-order, children in table order; every mount exactly once.
    [[nodiscard]] const std::vector<Visit>& preorder() const { return preorder_; }

private:
    // The constructor's steps, in order.
    struct WalkState;
    void index_by_id();
    void link_parents();
    void link_children();
    void find_overmounts();
    void walk();
    void walk_from(size_t root, bool last, WalkState& w);

    std::vector<Mount> mounts_;
    std::vector<size_t> parent_;
    std::vector<size_t> child_begin_; // CSR: children of i are child_list_[child_begin_[i] .. child_begin_[i+1])
    std::vector<size_t> child_list_;
    std::vector<size_t> roots_;
    std::vector<size_t> covered_by_;
    std::vector<bool> visible_;
    std::vector<int> depth_;
    std::vector<Visit> preorder_;
    std::vector<std::pair<int, size_t>> by_id_; // sorted by ID
};

} // namespace mountlab
