#include "mount/propagation.h"

#include <unordered_set>

namespace mountlab {

PropagationType propagation_type(const Mount& m)
{
    if (m.unbindable)
        return PropagationType::Unbindable;
    if (m.shared && m.master)
        return PropagationType::SharedAndSlave;
    if (m.shared)
        return PropagationType::Shared;
    if (m.master)
        return PropagationType::Slave;
    return PropagationType::Private;
}

const char* to_string(PropagationType t)
{
    switch (t) {
    case PropagationType::Private:
        return "private";
    case PropagationType::Shared:
        return "shared";
    case PropagationType::Slave:
        return "slave";
    case PropagationType::SharedAndSlave:
        return "shared,slave";
    case PropagationType::Unbindable:
        return "unbindable";
    }
    return "?";
}

PropagationGraph::PropagationGraph(const MountTree& tree) : tree_(tree)
{
    for (size_t i = 0; i < tree.size(); ++i) {
        if (tree[i].shared)
            members_[tree[i].shared].push_back(i);
        if (tree[i].master)
            slaves_[tree[i].master].push_back(i);
    }
}

const std::vector<size_t>& PropagationGraph::group(int peer_group) const
{
    static const std::vector<size_t> none;
    auto it = members_.find(peer_group);
    return it == members_.end() ? none : it->second;
}

std::vector<size_t> PropagationGraph::peers(size_t i) const
{
    std::vector<size_t> out;
    if (!tree_[i].shared)
        return out;
    for (size_t m : group(tree_[i].shared))
        if (m != i)
            out.push_back(m);
    return out;
}

std::vector<size_t> PropagationGraph::slaves(size_t i) const
{
    if (!tree_[i].shared)
        return {};
    auto it = slaves_.find(tree_[i].shared);
    return it == slaves_.end() ? std::vector<size_t>{} : it->second;
}

std::vector<size_t> PropagationGraph::receivers(size_t i) const
{
    std::vector<size_t> out;
    if (!tree_[i].shared)
        return out;
    std::unordered_set<int> groups_done{tree_[i].shared};
    std::unordered_set<size_t> added{i};
    std::vector<int> todo{tree_[i].shared};
    while (!todo.empty()) {
        const int g = todo.back();
        todo.pop_back();
        auto add = [&](size_t m) {
            if (added.insert(m).second)
                out.push_back(m);
            // A shared slave passes what it receives on to its own group.
            if (tree_[m].shared && groups_done.insert(tree_[m].shared).second)
                todo.push_back(tree_[m].shared);
        };
        for (size_t m : group(g))
            add(m);
        if (auto it = slaves_.find(g); it != slaves_.end())
            for (size_t m : it->second)
                add(m);
    }
    return out;
}

} // namespace mountlab
