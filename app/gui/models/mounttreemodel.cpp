#include "mounttreemodel.h"

namespace mountlab::gui {

MountTreeModel::MountTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void MountTreeModel::setForest(const MountForest& forest)
{
    beginResetModel();
    m_forest = forest;
    endResetModel();
}

QModelIndex MountTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= NUM_COLUMNS)
        return {};
    if (!parent.isValid()) {
        if (row >= m_forest.roots().size())
            return {};
        return createIndex(row, column, quintptr(m_forest.roots()[row]));
    }
    if (parent.column() != 0)
        return {};
    const auto kids = m_forest.children(int(parent.internalId()));
    if (row >= int(kids.size()))
        return {};
    return createIndex(row, column, quintptr(kids[row]));
}

QModelIndex MountTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const int p = m_forest.nodes()[int(child.internalId())].parent;
    if (p < 0)
        return {};
    return createIndex(m_forest.nodes()[p].rowInParent, 0, quintptr(p));
}

int MountTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_forest.roots().size());
    if (parent.column() != 0)
        return 0;
    return int(m_forest.children(int(parent.internalId())).size());
}

int MountTreeModel::columnCount(const QModelIndex&) const { return NUM_COLUMNS; }

QModelIndex MountTreeModel::indexOfNode(int node, int column) const
{
    if (node < 0 || node >= m_forest.size())
        return {};
    return createIndex(m_forest.nodes()[node].rowInParent, column, quintptr(node));
}

QString MountTreeModel::changeName(Change c)
{
    switch (c) {
    case Change::Added:
        return QStringLiteral("added");
    case Change::Removed:
        return QStringLiteral("removed");
    case Change::Changed:
        return QStringLiteral("changed");
    case Change::OutsideRoot:
        return QStringLiteral("outside root");
    case Change::None:
        break;
    }
    return {};
}

QVariant MountTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const MountForest::Node& n = m_forest.nodes()[int(index.internalId())];
    const MountRow& m = n.mount();
    switch (role) {
    case Qt::DisplayRole:
        switch (Columns(index.column())) {
        case TargetColumn:
            return m.target;
        case FsTypeColumn:
            return m.fstype;
        case SourceColumn:
            return m.source;
        case PropagationColumn:
            return m.propagationText();
        case GroupColumn:
            return m.groupText();
        case ChangeColumn:
            if (n.change == Change::Changed && !n.changedFields().isEmpty())
                return QStringLiteral("changed: %1").arg(n.changedFields().join(QLatin1String(", ")));
            return changeName(n.change);
        case NUM_COLUMNS:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return m.raw.isEmpty() ? QVariant() : QVariant(m.raw);
    case MountIdRole:
        return m.id;
    case RawRole:
        return m.raw;
    case PeerGroupRole:
        return m.peerGroup;
    case MasterRole:
        return m.master;
    case PropagationRole:
        return int(m.propagation());
    case ChangeRole:
        return int(n.change);
    case DepthRole:
        return n.depth;
    case TargetRole:
        return m.target;
    default:
        return {};
    }
}

QVariant MountTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Columns(section)) {
    case TargetColumn:
        return tr("Target");
    case FsTypeColumn:
        return tr("Type");
    case SourceColumn:
        return tr("Source");
    case PropagationColumn:
        return tr("Propagation");
    case GroupColumn:
        return tr("Group");
    case ChangeColumn:
        return tr("Change");
    case NUM_COLUMNS:
        break;
    }
    return {};
}

QStringList MountTreeModel::describe() const
{
    QStringList out;
    for (const MountForest::Node& n : m_forest.nodes())
        out << QStringLiteral("%1%2 %3 %4 %5 %6")
                   .arg(QString(n.depth * 2, QLatin1Char(' ')), n.mount().target, n.mount().fstype,
                        n.mount().propagationText(), n.mount().groupText(), changeName(n.change));
    return out;
}

} // namespace mountlab::gui
