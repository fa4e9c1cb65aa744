// One view's mount table (the lab host's or the container's) as a forest in display
// order, with what the last diff did to each mount. Removed mounts stay as "ghosts"
// until the next update, so the view can show them struck through.
//
// Built for 10,000 mounts updated within a frame: nodes point at the table's rows
// (no copies), children are one flat array, and targets are hashed only on demand.
#pragma once

#include <QJsonObject>
#include <QSet>

#include "mountrow.h"

#include <QHash>
#include <QVector>

#include <span>

namespace mountlab::gui {

class MountForest {
public:
    struct Node {
        const MountRow* row = nullptr;
        Change change = Change::None;
        const QStringList* changedFieldsPtr = nullptr;
        int depth = 0;
        int parent = -1;     // index in nodes(), -1 for a root
        int rowInParent = 0; // position among its siblings
        [[nodiscard]] const MountRow& mount() const { return *row; }
        [[nodiscard]] QStringList changedFields() const { return changedFieldsPtr ? *changedFieldsPtr : QStringList(); }
    };

    MountForest() = default;
    MountForest(const MountForest& other) { *this = other; }
    MountForest& operator=(const MountForest& other);

    // A fresh table: every mark cleared.
    void setMounts(const QVector<MountRow>& mounts);
    // Marks what a diff did. Mounts already in the table (the table event came first)
    // are marked; missing ones are inserted, so a diff alone also updates the table
    // (explore mode). Ghosts of the previous diff go away.
    //
    // Within one namespace, a diff whose changed mounts all moved under one prefix
    // (/var/lib/c1/merged/proc became /proc) says the process's root moved there
    // (chroot): the mounts that left the table then are outside the root, not gone
    // (their IDs stay theirs, since they still exist). They stay in the forest, marked
    // OutsideRoot, across later tables of the same process, until forgetOutsideRoot().
    // rootMayMove: the step that made the diff chrooted (and neither pivoted nor
    // unmounted); without it the mounts that left the table are gone.
    void applyDiff(const MountDiffRows& diff, bool rootMayMove = false);
    void clear();
    // A table of another namespace or process: what was outside the old root goes.
    void forgetOutsideRoot();
    // Where the process's root is, as the namespace names it; "" when not known moved.
    [[nodiscard]] const QString& rootPath() const { return m_rootPath; }
    [[nodiscard]] int outsideRootCount() const;
    // The prefix the process's root moved to ("" when the diff does not say so): every
    // changed mount's target lost that prefix (chroot), and some mounts left the table.
    [[nodiscard]] static QString movedRoot(const MountDiffRows& diff);
    // Whether a step may have moved the viewing process's root (chroot): it chroots (its
    // operation, or a traced chroot call) and neither pivots nor unmounts. A diff of the
    // chroot's shape after `pivot_root . .` and `umount -l` is mounts really detached.
    // `begin`: the step's begin event; `calls`: the names of its traced calls.
    [[nodiscard]] static bool stepMayMoveRoot(const QJsonObject& begin, const QSet<QString>& calls);

    // Depth-first, children in table order.
    [[nodiscard]] const QVector<Node>& nodes() const { return m_nodes; }
    [[nodiscard]] const QVector<int>& roots() const { return m_roots; }
    [[nodiscard]] std::span<const int> children(int node) const
    {
        return std::span<const int>(m_childList.constData() + m_childStart[node],
                                    m_childStart[node + 1] - m_childStart[node]);
    }
    [[nodiscard]] int size() const { return int(m_nodes.size()); }
    // The node showing target (the top of an overmount stack), -1 when none.
    [[nodiscard]] int indexOfTarget(const QString& target) const;
    [[nodiscard]] int indexOfId(int id) const;
    [[nodiscard]] int changeCount() const;

    quint64 mntns = 0;
    // When the table is not the view's own process's but that of the process in the
    // foreground of the container's terminal (after `unshare --mount bash`): its PID in
    // the lab and its name; -1 and "" otherwise.
    int viewPid = -1;
    QString viewComm;

private:
    struct Item {
        MountRow mount;
        Change change = Change::None;
        QStringList changedFields;
    };
    // Per item: its parent item (-1 for a root) and its children, as one flat array
    // (item i's are list[start[i]] .. list[start[i + 1] - 1], in table order).
    struct ItemChildren {
        QVector<int> parent, start, list;
    };
    void rebuildTargetIndex() const;
    int clearLastDiff();
    // The nodes again after the items changed, in steps.
    void relayout();
    void indexLiveItems();
    [[nodiscard]] ItemChildren childrenOfItems() const;
    void buildNodes(const ItemChildren& kids);
    void buildChildList();

    QVector<Item> m_items;      // table order (ghosts appended)
    QHash<int, int> m_itemById; // live items (not ghosts)
    QVector<int> m_itemToNode;
    int m_nextGhostId = -1;
    QString m_rootPath;

    QVector<Node> m_nodes;
    QVector<int> m_roots;
    QVector<int> m_childStart; // node → first child in m_childList; size() + 1 entries
    QVector<int> m_childList;
    mutable QHash<QString, int> m_itemByTarget; // built on demand
    mutable bool m_targetIndexValid = false;
};

} // namespace mountlab::gui
