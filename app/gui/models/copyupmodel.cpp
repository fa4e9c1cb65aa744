#include "copyupmodel.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>

namespace mountlab::gui {

CopyUpModel::CopyUpModel(QObject* parent) : QAbstractTableModel(parent) {}

void CopyUpModel::clear()
{
    beginResetModel();
    m_layers.clear();
    m_upper.clear();
    m_changes.clear();
    m_rows.clear();
    m_latestStep = 0;
    endResetModel();
}

bool CopyUpModel::addEvent(const QJsonObject& e)
{
    if (m_changes.size() >= kMaxChanges)
        return false;
    QStringList lowers;
    for (const QJsonValue& v : e.value(QLatin1String("lowerdirs")).toArray())
        lowers.prepend(v.toString()); // lowerdir= lists the top first; columns go bottom up
    const QString upper = e.value(QLatin1String("upperdir")).toString();
    const QStringList layers = QStringList(lowers) << upper;
    const int step = e.value(QLatin1String("step")).toInt();
    const QJsonObject lower = e.value(QLatin1String("lower")).toObject();

    QVector<CopyUpChange> added;
    for (const QJsonValue& v : e.value(QLatin1String("changes")).toArray()) {
        const QJsonObject c = v.toObject();
        CopyUpChange ch;
        ch.step = step;
        ch.path = c.value(QLatin1String("path")).toString();
        ch.kind = c.value(QLatin1String("kind")).toString();
        ch.upperPath = c.value(QLatin1String("upper_path")).toString();
        const QString lowerPath = lower.value(QLatin1String("path")).toString();
        if (!lowerPath.isEmpty() && lowerPath.endsWith(ch.path)) {
            ch.lowerLayer = lower.value(QLatin1String("layer")).toString();
            ch.lowerUnchanged = lower.value(QLatin1String("unchanged")).toBool(true);
        }
        added.push_back(ch);
        if (m_changes.size() + added.size() >= kMaxChanges)
            break;
    }

    // A path's new state replaces its row: the table is rebuilt (it is small).
    beginResetModel();
    m_layers = layers;
    m_upper = upper;
    m_changes += added;
    m_latestStep = step;
    m_rows = rowsShown();
    endResetModel();
    return true;
}

void CopyUpModel::setShowHistory(bool history)
{
    if (history == m_history)
        return;
    beginResetModel();
    m_history = history;
    m_rows = rowsShown();
    endResetModel();
}

// History: every change. State: each path's last change, the paths in the order of
// their last change (the newest at the bottom, as in the history).
QVector<int> CopyUpModel::rowsShown() const
{
    QVector<int> rows;
    rows.reserve(m_changes.size());
    if (m_history) {
        for (int i = 0; i < m_changes.size(); ++i)
            rows << i;
        return rows;
    }
    QHash<QString, int> last;
    for (int i = 0; i < m_changes.size(); ++i)
        last.insert(m_changes[i].path, i);
    for (int i = 0; i < m_changes.size(); ++i)
        if (last.value(m_changes[i].path) == i)
            rows << i;
    return rows;
}

int CopyUpModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int CopyUpModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 1 + int(m_layers.size());
}

QString CopyUpModel::kindText(const QString& kind)
{
    if (kind == QLatin1String("copied-up"))
        return tr("copied up (the whole file)");
    if (kind == QLatin1String("copied-up-dir"))
        return tr("directory copied up");
    if (kind == QLatin1String("created"))
        return tr("created in upper");
    if (kind == QLatin1String("modified"))
        return tr("modified in upper");
    if (kind == QLatin1String("whiteout"))
        return tr("whiteout (char device 0/0)");
    if (kind == QLatin1String("opaque-dir"))
        return tr("opaque directory (hides lower)");
    if (kind == QLatin1String("removed-from-upper"))
        return tr("removed from upper");
    return kind;
}

QVariant CopyUpModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= columnCount())
        return {};
    const CopyUpChange& c = m_changes[m_rows[index.row()]];
    const int layer = index.column() - FirstLayerColumn; // -1: the path column
    const bool isUpper = layer == m_layers.size() - 1;
    switch (role) {
    case Qt::DisplayRole:
        if (layer < 0)
            return c.path;
        if (isUpper)
            return kindText(c.kind);
        if (!c.lowerLayer.isEmpty() && c.lowerLayer == m_layers[layer])
            return c.lowerUnchanged ? tr("original, untouched") : tr("original CHANGED");
        return {};
    case Qt::ToolTipRole:
        if (isUpper)
            return c.upperPath;
        if (layer >= 0 && c.lowerLayer == m_layers[layer])
            return tr("The lower layer is read-only: overlayfs never writes to it.");
        return {};
    case KindRole:
        return c.kind;
    case StepRole:
        return c.step;
    case IsLatestRole:
        return c.step == m_latestStep;
    case LayerPathRole:
        return layer >= 0 ? m_layers[layer] : QString();
    default:
        return {};
    }
}

QVariant CopyUpModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    if (role == Qt::ToolTipRole && section > 0)
        return m_layers[section - 1];
    if (role != Qt::DisplayRole)
        return {};
    if (section == PathColumn)
        return tr("Path in the merged view");
    const int layer = section - FirstLayerColumn;
    if (layer == m_layers.size() - 1)
        return tr("upper (writable)");
    return tr("lower: %1").arg(QFileInfo(m_layers[layer]).fileName());
}

QStringList CopyUpModel::describe() const
{
    QStringList out;
    for (int i : m_rows)
        out << QStringLiteral("%1 %2 %3").arg(m_changes[i].step).arg(m_changes[i].path, m_changes[i].kind);
    return out;
}

} // namespace mountlab::gui
