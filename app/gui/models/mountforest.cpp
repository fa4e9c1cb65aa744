#include "mountforest.h"

namespace mountlab::gui {

void MountForest::clear()
{
    m_items.clear();
    relayout();
}

void MountForest::setMounts(const QVector<MountRow>& mounts)
{
    m_items.clear();
    m_items.reserve(mounts.size());
    for (const MountRow& m : mounts)
        m_items.push_back(Item{m, Change::None, {}});
    relayout();
}

void MountForest::rebuildItemIndex()
{
    m_itemById.clear();
    m_itemByTarget.clear();
    m_itemById.reserve(m_items.size());
    m_itemByTarget.reserve(m_items.size());
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items[i].change == Change::Removed)
            continue;
        m_itemById.insert(m_items[i].mount.id, i);
        m_itemByTarget.insert(m_items[i].mount.target, i); // the last one: top of a stack
    }
}

int MountForest::findItem(const MountRow& m, bool byTarget) const
{
    if (byTarget)
        return m_itemByTarget.value(m.target, -1);
    return m_itemById.value(m.id, -1);
}

void MountForest::applyDiff(const MountDiffRows& diff)
{
    // The previous diff's ghosts and marks go.
    QVector<Item> kept;
    kept.reserve(m_items.size() + diff.added.size() + diff.removed.size());
    for (Item& item : m_items) {
        if (item.change == Change::Removed)
            continue;
        item.change = Change::None;
        item.changedFields.clear();
        kept.push_back(std::move(item));
    }
    m_items = std::move(kept);
    rebuildItemIndex();

    const bool byTarget = diff.normalised;
    auto parentIdFor = [&](const MountRow& m) {
        if (!byTarget)
            return m.parentId;
        const int p = m_itemByTarget.value(m.parentTarget, -1);
        return p >= 0 ? m_items[p].mount.id : 0;
    };

    for (const MountRow& m : diff.added) {
        const int i = findItem(m, byTarget);
        if (i >= 0) {
            m_items[i].change = Change::Added;
        } else {
            MountRow row = m;
            if (byTarget) {
                row.id = m_nextGhostId--;
                row.parentId = parentIdFor(m);
            }
            m_items.push_back(Item{row, Change::Added, {}});
            m_itemById.insert(row.id, int(m_items.size()) - 1);
            m_itemByTarget.insert(row.target, int(m_items.size()) - 1);
        }
    }
    for (const MountDiffRows::Changed& c : diff.changed) {
        int i = findItem(c.after, byTarget);
        if (i < 0)
            i = findItem(c.before, byTarget);
        if (i >= 0) {
            if (!byTarget) // a normalised mount lacks id and raw: keep the table's
                m_items[i].mount = c.after;
            m_items[i].change = Change::Changed;
            m_items[i].changedFields = c.fields;
        } else {
            MountRow row = c.after;
            if (byTarget) {
                row.id = m_nextGhostId--;
                row.parentId = parentIdFor(c.after);
            }
            m_items.push_back(Item{row, Change::Changed, c.fields});
        }
    }
    for (const MountRow& m : diff.removed) {
        const int i = byTarget ? -1 : findItem(m, false);
        if (i >= 0) {
            // Explore mode: the table still has it; show it as a ghost this once.
            m_items[i].change = Change::Removed;
            continue;
        }
        MountRow row = m;
        const int parentId = parentIdFor(m);
        row.id = m_nextGhostId--;
        row.parentId = parentId;
        m_items.push_back(Item{row, Change::Removed, {}});
    }
    relayout();
}

void MountForest::relayout()
{
    const int n = int(m_items.size());
    QHash<int, int> itemIndex;
    itemIndex.reserve(n);
    for (int i = 0; i < n; ++i)
        if (!itemIndex.contains(m_items[i].mount.id) || m_items[i].change != Change::Removed)
            itemIndex.insert(m_items[i].mount.id, i);

    QVector<QVector<int>> kids(n);
    QVector<int> rootItems;
    for (int i = 0; i < n; ++i) {
        const MountRow& m = m_items[i].mount;
        const int p = m.parentId == m.id ? -1 : itemIndex.value(m.parentId, -1);
        if (p < 0 || p == i)
            rootItems.push_back(i);
        else
            kids[p].push_back(i);
    }

    m_nodes.clear();
    m_nodes.reserve(n);
    m_roots.clear();
    m_children.clear();
    m_children.resize(n);
    m_byId.clear();
    m_byId.reserve(n);
    m_byTarget.clear();
    m_byTarget.reserve(n);

    // Iterative DFS (a 10,000-mount table can be deep).
    struct Frame {
        int item;
        int parentNode;
        int depth;
    };
    QVector<Frame> stack;
    QVector<bool> seen(n, false);
    for (int r = int(rootItems.size()) - 1; r >= 0; --r)
        stack.push_back({rootItems[r], -1, 0});
    auto visit = [&](const Frame& f) {
        seen[f.item] = true;
        const int node = int(m_nodes.size());
        Node nd;
        nd.mount = m_items[f.item].mount;
        nd.change = m_items[f.item].change;
        nd.changedFields = m_items[f.item].changedFields;
        nd.depth = f.depth;
        nd.parent = f.parentNode;
        if (f.parentNode < 0) {
            nd.rowInParent = int(m_roots.size());
            m_roots.push_back(node);
        } else {
            nd.rowInParent = int(m_children[f.parentNode].size());
            m_children[f.parentNode].push_back(node);
        }
        if (nd.change != Change::Removed)
            m_byTarget.insert(nd.mount.target, node);
        m_byId.insert(nd.mount.id, node);
        m_nodes.push_back(std::move(nd));
        const QVector<int>& k = kids[f.item];
        for (int c = int(k.size()) - 1; c >= 0; --c)
            if (!seen[k[c]])
                stack.push_back({k[c], node, f.depth + 1});
    };
    while (!stack.isEmpty())
        visit(stack.takeLast());
    // A cycle of parent IDs (a malformed table) leaves items unvisited: show them as roots.
    for (int i = 0; i < n; ++i) {
        if (seen[i])
            continue;
        stack.push_back({i, -1, 0});
        while (!stack.isEmpty())
            visit(stack.takeLast());
    }
    rebuildItemIndex();
}

int MountForest::indexOfTarget(const QString& target) const
{
    return m_byTarget.value(target, -1);
}

int MountForest::changeCount() const
{
    int n = 0;
    for (const Node& nd : m_nodes)
        n += nd.change != Change::None;
    return n;
}

} // namespace mountlab::gui
