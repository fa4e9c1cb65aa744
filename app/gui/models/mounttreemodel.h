// A MountForest as an item model (for the accessible tree, tests, and comparing a
// live run with its replay). The drawn tree (MountTreeScene) reads the forest directly.
#pragma once

#include "mountforest.h"

#include <QAbstractItemModel>

namespace mountlab::gui {

class MountTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Columns {
        TargetColumn,
        FsTypeColumn,
        SourceColumn,
        PropagationColumn,
        GroupColumn,
        ChangeColumn,
        NUM_COLUMNS
    };
    enum Roles {
        MountIdRole = Qt::UserRole,
        RawRole,
        PeerGroupRole,
        MasterRole,
        PropagationRole, // int(Propagation)
        ChangeRole,      // int(Change)
        DepthRole,
        TargetRole,
    };

    explicit MountTreeModel(QObject* parent = nullptr);

    // Views share the forest; call after changing it.
    void setForest(const MountForest& forest);
    [[nodiscard]] const MountForest& forest() const { return m_forest; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] QModelIndex indexOfNode(int node, int column = 0) const;

    // "target fstype propagation group change" for every row, depth-first: what a
    // reader of this view sees (used to compare a live run with its replay).
    [[nodiscard]] QStringList describe() const;

    [[nodiscard]] static QString changeName(Change c);

private:
    MountForest m_forest;
};

} // namespace mountlab::gui
