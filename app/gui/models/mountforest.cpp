#include "mountforest.h"

#include <QJsonObject>

#include <QJsonArray>

#include <QSet>

#include <algorithm>

namespace mountlab::gui {

MountForest& MountForest::operator=(const MountForest& other)
{
    if (this == &other)
        return *this;
    mntns = other.mntns;
    viewPid = other.viewPid;
    viewComm = other.viewComm;
    m_items = other.m_items;
    m_nextGhostId = other.m_nextGhostId;
    m_rootPath = other.m_rootPath;
    // Nodes point into the items: lay out again over our own copy.
    relayout();
    return *this;
}

void MountForest::clear()
{
    m_items.clear();
    m_rootPath.clear();
    relayout();
}

void MountForest::forgetOutsideRoot()
{
    m_items.removeIf([](const Item& item) { return item.change == Change::OutsideRoot; });
    m_rootPath.clear();
    relayout();
}

void MountForest::setMounts(const QVector<MountRow>& mounts)
{
    QVector<Item> outsideRoot;
    for (const Item& item : std::as_const(m_items))
        if (item.change == Change::OutsideRoot)
            outsideRoot.push_back(item);
    m_items.clear();
    m_items.reserve(mounts.size() + outsideRoot.size());
    QSet<int> ids;
    for (const MountRow& m : mounts) {
        m_items.push_back(Item{m, Change::None, {}});
        ids.insert(m.id);
    }
    // The table reaches one of them again: the root moved back out (they are all in it).
    const bool back = std::any_of(outsideRoot.cbegin(), outsideRoot.cend(),
                                  [&](const Item& item) { return ids.contains(item.mount.id); });
    if (back)
        m_rootPath.clear();
    else
        m_items.append(outsideRoot);
    relayout();
}

QString MountForest::movedRoot(const MountDiffRows& diff)
{
    if (diff.normalised || diff.removed.isEmpty() || diff.changed.isEmpty())
        return {};
    QString prefix;
    for (const MountDiffRows::Changed& c : diff.changed) {
        const QString& before = c.before.target;
        const QString& after = c.after.target;
        QString p;
        if (after == QLatin1String("/") && before != after)
            p = before;
        else if (before.size() > after.size() && before.endsWith(after) && after.startsWith(QLatin1Char('/')))
            p = before.left(before.size() - after.size());
        if (p.isEmpty() || (!prefix.isEmpty() && p != prefix))
            return {}; // not every mount moved under one new root: not a chroot
        prefix = p;
    }
    return prefix;
}

bool MountForest::stepMayMoveRoot(const QJsonObject& begin, const QSet<QString>& calls)
{
    QSet<QString> ops;
    const QJsonValue op = begin.value(QLatin1String("op"));
    for (const QJsonValue& v : op.isArray() ? op.toArray() : QJsonArray{op})
        ops.insert(v.toObject().value(QLatin1String("op")).toString());
    static const char* const detaching[] = {"pivot_root", "pivot_root_runc", "umount", "umount2", "move_mount"};
    for (const char* d : detaching)
        if (ops.contains(QLatin1String(d)) || calls.contains(QLatin1String(d)))
            return false;
    return ops.contains(QStringLiteral("chroot")) || calls.contains(QStringLiteral("chroot"));
}

int MountForest::outsideRootCount() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [](const Item& item) { return item.change == Change::OutsideRoot; }));
}

void MountForest::rebuildTargetIndex() const
{
    m_itemByTarget.clear();
    m_itemByTarget.reserve(m_items.size());
    for (int i = 0; i < m_items.size(); ++i)
        if (m_items[i].change != Change::Removed && m_items[i].change != Change::OutsideRoot)
            m_itemByTarget.insert(m_items[i].mount.target, i); // the last one: top of a stack
    m_targetIndexValid = true;
}

// The previous diff's ghosts and marks go (what is outside the root stays). Returns
// how many mounts the table has.
int MountForest::clearLastDiff()
{
    bool hadGhosts = false;
    int tableRows = 0;
    for (Item& item : m_items) {
        hadGhosts |= item.change == Change::Removed;
        if (item.change != Change::Removed && item.change != Change::OutsideRoot) {
            ++tableRows;
            item.change = Change::None;
            item.changedFields.clear();
        }
    }
    if (hadGhosts) {
        m_items.removeIf([](const Item& item) { return item.change == Change::Removed; });
        m_itemById.clear();
        m_itemById.reserve(m_items.size());
        for (int i = 0; i < m_items.size(); ++i)
            m_itemById.insert(m_items[i].mount.id, i);
    }
    m_targetIndexValid = false;
    return tableRows;
}

void MountForest::applyDiff(const MountDiffRows& diff, bool rootMayMove)
{
    const int tableRows = clearLastDiff();

    const bool byTarget = diff.normalised;
    if (byTarget)
        rebuildTargetIndex();
    // chroot: every mount of the table moved under one prefix, the others left it.
    const QString newRoot = rootMayMove && diff.changed.size() == tableRows ? movedRoot(diff) : QString();
    const QString oldRoot = m_rootPath;
    if (!newRoot.isEmpty())
        m_rootPath = oldRoot.isEmpty() || oldRoot == QLatin1String("/") ? newRoot : oldRoot + newRoot;
    // Targets in the diff are the old root's: compare with the new root there.
    auto outsideNewRoot = [&](const QString& target) {
        return !newRoot.isEmpty() && target != newRoot && !target.startsWith(newRoot + QLatin1Char('/'));
    };
    auto find = [&](const MountRow& m) {
        return byTarget ? m_itemByTarget.value(m.target, -1) : m_itemById.value(m.id, -1);
    };
    auto append = [&](MountRow row, Change change, const QStringList& fields) {
        if (byTarget) {
            const int p = m_itemByTarget.value(row.parentTarget, -1);
            row.parentId = p >= 0 ? m_items[p].mount.id : 0;
            row.id = m_nextGhostId--;
        }
        const int i = int(m_items.size());
        if (change != Change::Removed) {
            m_itemById.insert(row.id, i);
            if (byTarget)
                m_itemByTarget.insert(row.target, i);
        }
        m_items.push_back(Item{std::move(row), change, fields});
    };

    for (const MountRow& m : diff.added) {
        const int i = find(m);
        if (i >= 0)
            m_items[i].change = Change::Added;
        else
            append(m, Change::Added, {});
    }
    for (const MountDiffRows::Changed& c : diff.changed) {
        int i = find(c.after);
        if (i < 0)
            i = find(c.before);
        if (i >= 0) {
            if (!byTarget) // a normalised mount lacks id and raw: keep the table's
                m_items[i].mount = c.after;
            m_items[i].change = Change::Changed;
            m_items[i].changedFields = c.fields;
        } else {
            append(c.after, Change::Changed, c.fields);
        }
    }
    for (const MountRow& m : diff.removed) {
        const int i = byTarget ? -1 : find(m);
        // Its ID given to a mount this diff added (the kernel reuses freed IDs): that
        // one is another mount, not this one's ghost.
        if (i >= 0 && m_items[i].change != Change::Added && m_items[i].mount.target == m.target) {
            // Explore mode: the table still has it; show it as a ghost this once.
            m_items[i].change = Change::Removed;
            continue;
        }
        MountRow row = m;
        if (!byTarget && outsideNewRoot(m.target) && !m_itemById.contains(m.id)) {
            append(std::move(row), Change::OutsideRoot, {}); // still mounted: its ID is its own
            continue;
        }
        if (!byTarget)
            row.id = m_nextGhostId--; // its ID may be reused already
        append(std::move(row), Change::Removed, {});
    }
    relayout();
}

void MountForest::relayout()
{
    m_targetIndexValid = false;
    indexLiveItems();
    const ItemChildren kids = childrenOfItems();
    buildNodes(kids);
    buildChildList();
}

// ID → item for the live items (a ghost only while its ID is not reused).
void MountForest::indexLiveItems()
{
    const int n = int(m_items.size());
    m_itemById.clear();
    m_itemById.reserve(n);
    for (int i = 0; i < n; ++i)
        if (m_items[i].change != Change::Removed || !m_itemById.contains(m_items[i].mount.id))
            m_itemById.insert(m_items[i].mount.id, i);
}

// Children per item as one flat array (counting sort by parent).
MountForest::ItemChildren MountForest::childrenOfItems() const
{
    const int n = int(m_items.size());
    ItemChildren c;
    c.parent.fill(-1, n);
    c.start.fill(0, n + 1);
    for (int i = 0; i < n; ++i) {
        const MountRow& m = m_items[i].mount;
        int p = m.parentId == m.id ? -1 : m_itemById.value(m.parentId, -1);
        // The process's own tree stands apart from what is outside its root (above it).
        if (p >= 0 && m_items[p].change == Change::OutsideRoot && m_items[i].change != Change::OutsideRoot)
            p = -1;
        if (p >= 0 && p != i) {
            c.parent[i] = p;
            ++c.start[p + 1];
        }
    }
    for (int i = 0; i < n; ++i)
        c.start[i + 1] += c.start[i];
    c.list.resize(c.start.isEmpty() ? 0 : c.start[n]);
    QVector<int> fill(c.start.begin(), c.start.end() - 1);
    for (int i = 0; i < n; ++i)
        if (c.parent[i] >= 0)
            c.list[fill[c.parent[i]]++] = i;
    return c;
}

// The nodes in display order: depth first from each root, children in table order.
void MountForest::buildNodes(const ItemChildren& kids)
{
    const int n = int(m_items.size());
    m_nodes.clear();
    m_nodes.reserve(n);
    m_roots.clear();
    m_itemToNode.fill(-1, n);
    QVector<int> nodeKidCount;
    nodeKidCount.reserve(n);

    // Iterative DFS (a 10,000-mount table can be deep).
    struct Frame {
        int item;
        int parentNode;
        int depth;
    };
    QVector<Frame> stack;
    auto visit = [&](const Frame& f) {
        const int node = int(m_nodes.size());
        m_itemToNode[f.item] = node;
        const Item& item = m_items[f.item];
        Node nd;
        nd.row = &item.mount;
        nd.change = item.change;
        nd.changedFieldsPtr = item.changedFields.isEmpty() ? nullptr : &item.changedFields;
        nd.depth = f.depth;
        nd.parent = f.parentNode;
        if (f.parentNode < 0) {
            nd.rowInParent = int(m_roots.size());
            m_roots.push_back(node);
        } else {
            nd.rowInParent = nodeKidCount[f.parentNode]++;
        }
        m_nodes.push_back(nd);
        nodeKidCount.push_back(0);
        for (int c = kids.start[f.item + 1] - 1; c >= kids.start[f.item]; --c)
            if (m_itemToNode[kids.list[c]] < 0)
                stack.push_back({kids.list[c], node, f.depth + 1});
    };
    auto run = [&] {
        while (!stack.isEmpty()) {
            const Frame f = stack.takeLast();
            if (m_itemToNode[f.item] < 0)
                visit(f);
        }
    };
    for (int i = n - 1; i >= 0; --i)
        if (kids.parent[i] < 0)
            stack.push_back({i, -1, 0});
    // Roots were pushed last first: the stack pops them in table order.
    run();
    // A cycle of parent IDs (a malformed table) leaves items unvisited: show them as roots.
    for (int i = 0; i < n; ++i)
        if (m_itemToNode[i] < 0) {
            stack.push_back({i, -1, 0});
            run();
        }
}

// Children of each node, in order, as one flat array.
void MountForest::buildChildList()
{
    const int nodes = int(m_nodes.size());
    m_childStart.fill(0, nodes + 1);
    for (int i = 0; i < nodes; ++i)
        if (m_nodes[i].parent >= 0)
            ++m_childStart[m_nodes[i].parent + 1];
    for (int i = 0; i < nodes; ++i)
        m_childStart[i + 1] += m_childStart[i];
    m_childList.resize(m_childStart[nodes]);
    for (int i = 0; i < nodes; ++i)
        if (m_nodes[i].parent >= 0)
            m_childList[m_childStart[m_nodes[i].parent] + m_nodes[i].rowInParent] = i;
}

int MountForest::indexOfTarget(const QString& target) const
{
    if (!m_targetIndexValid)
        rebuildTargetIndex();
    const int item = m_itemByTarget.value(target, -1);
    return item < 0 ? -1 : m_itemToNode.value(item, -1);
}

int MountForest::indexOfId(int id) const
{
    const int item = m_itemById.value(id, -1);
    return item < 0 ? -1 : m_itemToNode.value(item, -1);
}

int MountForest::changeCount() const
{
    int n = 0;
    for (const Node& nd : m_nodes)
        n += nd.change != Change::None && nd.change != Change::OutsideRoot;
    return n;
}

} // namespace mountlab::gui
