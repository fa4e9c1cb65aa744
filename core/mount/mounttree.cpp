#include "mount/mounttree.h"

#include <algorithm>
#include <unordered_set>

namespace mountlab {

namespace {

// A child mounted on p at /a/b is shadowed when a sibling sits on /a: that sibling
// came later (else the child's parent would be it) and hides /a/b.
bool shadowed_by_sibling(std::string_view t, std::string_view ptarget,
                         const std::unordered_set<std::string_view>& sibling_targets)
{
    if (sibling_targets.empty())
        return false;
    bool shadowed = false;
    while (!shadowed && t.size() > ptarget.size()) {
        const size_t slash = t.rfind('/');
        if (slash == std::string_view::npos || slash == 0)
            break;
        t = t.substr(0, slash);
        shadowed = t.size() > ptarget.size() && sibling_targets.count(t) > 0;
    }
    return shadowed;
}

} // namespace

// What the pre-order walk carries from one root to the next.
struct MountTree::WalkState {
    std::vector<bool> seen;
    std::vector<bool> reachable;
    std::vector<Visit> stack;
};

MountTree::MountTree(std::vector<Mount> mounts) : mounts_(std::move(mounts))
{
    index_by_id();
    link_parents();
    link_children();
    find_overmounts();
    walk();
}

void MountTree::index_by_id()
{
    const size_t n = mounts_.size();
    by_id_.reserve(n);
    for (size_t i = 0; i < n; ++i)
        by_id_.emplace_back(mounts_[i].id, i);
    // Stable: with a duplicated ID (only in a malformed table) the first line wins.
    std::stable_sort(by_id_.begin(), by_id_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

void MountTree::link_parents()
{
    const size_t n = mounts_.size();
    parent_.assign(n, npos);
    for (size_t i = 0; i < n; ++i) {
        const size_t p = find(mounts_[i].parent_id);
        if (p != i)
            parent_[i] = p;
    }
}

// Children in CSR form, in table order: two passes, O(n).
void MountTree::link_children()
{
    const size_t n = mounts_.size();
    child_begin_.assign(n + 1, 0);
    for (size_t i = 0; i < n; ++i)
        if (parent_[i] != npos)
            ++child_begin_[parent_[i] + 1];
    for (size_t i = 0; i < n; ++i)
        child_begin_[i + 1] += child_begin_[i];
    child_list_.resize(child_begin_[n]);
    std::vector<size_t> fill(child_begin_.begin(), child_begin_.end() - 1);
    for (size_t i = 0; i < n; ++i)
        if (parent_[i] != npos)
            child_list_[fill[parent_[i]]++] = i;
}

// Overmounts: a child on its parent's own target covers the parent.
void MountTree::find_overmounts()
{
    const size_t n = mounts_.size();
    covered_by_.assign(n, npos);
    for (size_t i = 0; i < n; ++i)
        if (parent_[i] != npos && mounts_[i].target == mounts_[parent_[i]].target)
            covered_by_[parent_[i]] = i;
}

// Pre-order walk with an explicit stack. Mounts unreachable from a root (a parent
// cycle, only in a malformed table) are walked from the first of them, as roots.
void MountTree::walk()
{
    const size_t n = mounts_.size();
    for (size_t i = 0; i < n; ++i)
        if (parent_[i] == npos)
            roots_.push_back(i);
    depth_.assign(n, 0);
    visible_.assign(n, false);
    WalkState w{std::vector<bool>(n, false), std::vector<bool>(n, false), {}};
    preorder_.reserve(n);
    for (size_t r = 0; r < roots_.size(); ++r)
        walk_from(roots_[r], r + 1 == roots_.size(), w);
    for (size_t i = 0; i < n; ++i) {
        if (!w.seen[i]) {
            roots_.push_back(i);
            parent_[i] = npos; // break the cycle here
            walk_from(i, true, w);
        }
    }
}

void MountTree::walk_from(size_t root, bool last, WalkState& w)
{
    w.stack.push_back({root, 0, last});
    w.reachable[root] = true;
    while (!w.stack.empty()) {
        const Visit v = w.stack.back();
        w.stack.pop_back();
        if (w.seen[v.index])
            continue;
        w.seen[v.index] = true;
        depth_[v.index] = v.depth;
        visible_[v.index] = w.reachable[v.index] && covered_by_[v.index] == npos;
        preorder_.push_back(v);
        const auto kids = children(v.index);
        // (A set per parent with several children: clearing one big shared set for
        // every mount would cost O(buckets) each time.)
        std::unordered_set<std::string_view> sibling_targets;
        if (kids.size() > 1) {
            sibling_targets.reserve(kids.size());
            for (size_t c : kids)
                sibling_targets.insert(mounts_[c].target);
        }
        const std::string_view ptarget = mounts_[v.index].target;
        for (size_t k = kids.size(); k-- > 0;) {
            const size_t c = kids[k];
            const bool shadowed = shadowed_by_sibling(mounts_[c].target, ptarget, sibling_targets);
            w.reachable[c] =
                w.reachable[v.index] && !shadowed && (covered_by_[v.index] == npos || covered_by_[v.index] == c);
            w.stack.push_back({c, v.depth + 1, k + 1 == kids.size()});
        }
    }
}

size_t MountTree::find(int id) const
{
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id, [](const auto& e, int v) { return e.first < v; });
    return it != by_id_.end() && it->first == id ? it->second : npos;
}

size_t MountTree::find_target(std::string_view target) const
{
    size_t first = npos;
    for (size_t i = 0; i < mounts_.size(); ++i) {
        if (mounts_[i].target != target)
            continue;
        if (visible_[i])
            return i;
        if (first == npos)
            first = i;
    }
    // Nothing visible there (hidden under another mount): the top of the first stack.
    while (first != npos && covered_by_[first] != npos)
        first = covered_by_[first];
    return first;
}

std::span<const size_t> MountTree::children(size_t i) const
{
    return {child_list_.data() + child_begin_[i], child_begin_[i + 1] - child_begin_[i]};
}

std::vector<size_t> MountTree::path_to_root(size_t i) const
{
    std::vector<size_t> path;
    path.reserve(static_cast<size_t>(depth_[i]) + 1);
    for (size_t cur = i; cur != npos && path.size() <= mounts_.size(); cur = parent_[cur])
        path.push_back(cur);
    return path;
}

std::vector<size_t> MountTree::stack(size_t i) const
{
    std::vector<size_t> below;
    for (size_t cur = i; cur != npos && mounts_[cur].target == mounts_[i].target; cur = parent_[cur])
        below.push_back(cur);
    std::reverse(below.begin(), below.end());
    for (size_t cur = covered_by_[i]; cur != npos; cur = covered_by_[cur])
        below.push_back(cur);
    return below;
}

} // namespace mountlab
