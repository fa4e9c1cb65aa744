#include "mount/mountdiff.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace mountlab {

namespace {

std::vector<std::string> changed_fields(const Mount& a, const Mount& b)
{
    std::vector<std::string> f;
    if (a.parent_id != b.parent_id)
        f.emplace_back("parent");
    if (a.target != b.target)
        f.emplace_back("target");
    if (a.vfs_options != b.vfs_options)
        f.emplace_back("vfs_options");
    if (a.propagation() != b.propagation())
        f.emplace_back("propagation");
    if (a.shared != b.shared)
        f.emplace_back("peer_group");
    if (a.master != b.master)
        f.emplace_back("master");
    if (a.propagate_from != b.propagate_from)
        f.emplace_back("propagate_from");
    if (a.source != b.source)
        f.emplace_back("source");
    if (a.super_options != b.super_options)
        f.emplace_back("super_options");
    return f;
}

} // namespace

MountDiff diff(const std::vector<Mount>& before, const std::vector<Mount>& after)
{
    MountDiff d;
    std::unordered_map<int, const Mount*> old_by_id;
    old_by_id.reserve(before.size());
    for (const Mount& m : before)
        old_by_id.emplace(m.id, &m);
    std::unordered_map<int, bool> matched;
    for (const Mount& m : after) {
        auto it = old_by_id.find(m.id);
        // Same ID on the same filesystem and subtree: the same mount (a move changes its
        // target and parent but not its ID). Otherwise the ID was reused.
        if (it != old_by_id.end() && it->second->major == m.major && it->second->minor == m.minor &&
            it->second->root == m.root && it->second->fstype == m.fstype) {
            matched[m.id] = true;
            auto fields = changed_fields(*it->second, m);
            if (!fields.empty())
                d.changed.push_back({*it->second, m, std::move(fields)});
        } else {
            d.added.push_back(m);
        }
    }
    for (const Mount& m : before)
        if (!matched.count(m.id))
            d.removed.push_back(m);
    return d;
}

std::string NormalMount::key() const { return stack == 0 ? target : fmt::format("{}#{}", target, stack); }

std::vector<NormalMount> normalise(const MountTree& tree)
{
    std::vector<NormalMount> out;
    out.reserve(tree.size());
    std::vector<size_t> order(tree.size());
    for (size_t i = 0; i < tree.size(); ++i)
        order[i] = i;
    // By target, then by depth (a stack's lower mounts are nearer the root).
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (tree[a].target != tree[b].target)
            return tree[a].target < tree[b].target;
        return tree.depth(a) < tree.depth(b);
    });
    std::map<int, int> groups; // kernel group number -> renumbered
    auto renumber = [&](int g) {
        if (g == 0)
            return 0;
        auto [it, inserted] = groups.emplace(g, static_cast<int>(groups.size()) + 1);
        return it->second;
    };
    for (size_t k = 0; k < order.size(); ++k) {
        const size_t i = order[k];
        const Mount& m = tree[i];
        NormalMount nm;
        nm.target = m.target;
        nm.stack = (k > 0 && !out.empty() && out.back().target == m.target) ? out.back().stack + 1 : 0;
        nm.parent_target = tree.parent_in_table(i) ? tree[tree.parent(i)].target : std::string();
        nm.fstype = m.fstype;
        nm.source = m.source;
        nm.root = m.root;
        nm.vfs_options = m.vfs_options;
        nm.super_options = m.super_options;
        nm.propagation = m.propagation();
        nm.peer_group = renumber(m.shared);
        nm.master = renumber(m.master);
        out.push_back(std::move(nm));
    }
    return out;
}

NormalDiff diff_normalised(const std::vector<NormalMount>& before, const std::vector<NormalMount>& after)
{
    NormalDiff d;
    std::unordered_map<std::string, const NormalMount*> old_by_key;
    for (const NormalMount& m : before)
        old_by_key.emplace(m.key(), &m);
    std::unordered_map<std::string, bool> matched;
    for (const NormalMount& m : after) {
        const std::string k = m.key();
        auto it = old_by_key.find(k);
        if (it == old_by_key.end()) {
            d.added.push_back(m);
            continue;
        }
        matched[k] = true;
        const NormalMount& o = *it->second;
        std::vector<std::string> f;
        if (o.parent_target != m.parent_target)
            f.emplace_back("parent");
        if (o.fstype != m.fstype)
            f.emplace_back("fstype");
        if (o.source != m.source)
            f.emplace_back("source");
        if (o.root != m.root)
            f.emplace_back("root");
        if (o.vfs_options != m.vfs_options)
            f.emplace_back("vfs_options");
        if (o.super_options != m.super_options)
            f.emplace_back("super_options");
        if (o.propagation != m.propagation)
            f.emplace_back("propagation");
        if (o.peer_group != m.peer_group)
            f.emplace_back("peer_group");
        if (o.master != m.master)
            f.emplace_back("master");
        if (!f.empty())
            d.changed.push_back({o, m, std::move(f)});
    }
    for (const NormalMount& m : before)
        if (!matched.count(m.key()))
            d.removed.push_back(m);
    return d;
}

} // namespace mountlab
