// One view's mount table (the lab host's or the container's) as a forest in display
// order, with what the last diff did to each mount. Removed mounts stay as "ghosts"
// until the next update, so the view can show them struck through.
#pragma once

#include "mountrow.h"

#include <QHash>
#include <QVector>

namespace mountlab::gui {

class MountForest {
public:
    struct Node {
        MountRow mount;
        Change change = Change::None;
        QStringList changedFields;
        int depth = 0;
        int parent = -1;      // index in nodes(), -1 for a root
        int rowInParent = 0;  // position among its siblings
    };

    // A fresh table: every mark cleared.
    void setMounts(const QVector<MountRow>& mounts);
    // Marks what a diff did. Mounts already in the table (the table event came first)
    // are marked; missing ones are inserted, so a diff alone also updates the table
    // (explore mode). Ghosts of the previous diff go away.
    void applyDiff(const MountDiffRows& diff);
    void clear();

    // Depth-first, children in table order.
    [[nodiscard]] const QVector<Node>& nodes() const { return m_nodes; }
    [[nodiscard]] const QVector<int>& roots() const { return m_roots; }
    [[nodiscard]] const QVector<int>& children(int node) const { return m_children[node]; }
    [[nodiscard]] int size() const { return int(m_nodes.size()); }
    // The node showing target (the top of an overmount stack), -1 when none.
    [[nodiscard]] int indexOfTarget(const QString& target) const;
    [[nodiscard]] int indexOfId(int id) const { return m_byId.value(id, -1); }
    [[nodiscard]] int changeCount() const;

    quint64 mntns = 0;

private:
    struct Item {
        MountRow mount;
        Change change = Change::None;
        QStringList changedFields;
    };
    int findItem(const MountRow& m, bool byTarget) const;
    void rebuildItemIndex();
    void relayout();

    QVector<Item> m_items; // table order (ghosts appended)
    QHash<int, int> m_itemById;
    QHash<QString, int> m_itemByTarget;
    int m_nextGhostId = -1;

    QVector<Node> m_nodes;
    QVector<int> m_roots;
    QVector<QVector<int>> m_children;
    QHash<int, int> m_byId;
    QHash<QString, int> m_byTarget;
};

} // namespace mountlab::gui
