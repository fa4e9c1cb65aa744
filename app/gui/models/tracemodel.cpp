#include "tracemodel.h"

#include <QJsonDocument>

#include <nlohmann/json.hpp>

namespace mountlab::gui {

static bool isStringArg(const QString& key)
{
    static const QStringList strings = {
        QStringLiteral("source"),  QStringLiteral("target"),   QStringLiteral("filesystemtype"),
        QStringLiteral("data"),    QStringLiteral("filename"), QStringLiteral("new_root"),
        QStringLiteral("put_old"), QStringLiteral("path"),     QStringLiteral("from_path"),
        QStringLiteral("to_path"), QStringLiteral("fsname"),   QStringLiteral("key"),
        QStringLiteral("value")};
    return strings.contains(key);
}

QString TraceRow::call() const
{
    QStringList parts;
    for (const auto& [key, v] : args) {
        if (v.isNull() || v.isUndefined())
            parts << QStringLiteral("NULL");
        else if (v.isString())
            parts << (isStringArg(key) ? QLatin1Char('"') + v.toString() + QLatin1Char('"') : v.toString());
        else if (v.isDouble())
            parts << QString::number(v.toInteger());
        else if (v.isBool())
            parts << (v.toBool() ? QStringLiteral("1") : QStringLiteral("0"));
        else
            parts << QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return name + QLatin1Char('(') + parts.join(QLatin1String(", ")) + QLatin1Char(')');
}

QString TraceRow::result() const
{
    if (!errnoName.isEmpty())
        return QStringLiteral("%1 %2").arg(ret).arg(errnoName);
    return QString::number(ret);
}

QString TraceRow::targetPath() const
{
    for (const char* key : {"target", "new_root", "to_path", "path", "filename"})
        for (const auto& [k, v] : args)
            if (k == QLatin1String(key) && v.isString())
                return v.toString();
    return {};
}

TraceRow traceRowFromEvent(const QJsonObject& e, const QByteArray& line)
{
    TraceRow r;
    r.tsNs = e.value(QLatin1String("ts_ns")).toInteger();
    r.latencyNs = e.value(QLatin1String("latency_ns")).toInteger();
    r.pid = e.value(QLatin1String("pid")).toInt();
    r.step = e.value(QLatin1String("step")).toInt();
    r.comm = e.value(QLatin1String("comm")).toString();
    r.mntnsBefore = quint64(e.value(QLatin1String("mntns_before")).toInteger());
    r.mntnsAfter = quint64(e.value(QLatin1String("mntns_after")).toInteger());
    r.name = e.value(QLatin1String("name")).toString();
    r.ret = e.value(QLatin1String("ret")).toInteger();
    r.errnoName = e.value(QLatin1String("errno")).toString();
    const QJsonObject args = e.value(QLatin1String("args")).toObject();
    // QJsonObject sorts its keys; the line has them in the call's order.
    QStringList order;
    try {
        const auto j = nlohmann::ordered_json::parse(line.constData(), line.constData() + line.size());
        if (j.contains("args") && j["args"].is_object())
            for (const auto& [k, _] : j["args"].items())
                order << QString::fromStdString(k);
    } catch (const nlohmann::json::exception&) {
        order = args.keys();
    }
    if (order.isEmpty())
        order = args.keys();
    for (const QString& k : order)
        r.args.push_back({k, args.value(k)});
    return r;
}

TraceModel::TraceModel(QObject* parent) : QAbstractTableModel(parent) {}

void TraceModel::addRow(const TraceRow& row)
{
    const int n = int(m_rows.size());
    beginInsertRows({}, n, n);
    if (m_t0 < 0)
        m_t0 = row.tsNs;
    if (!m_stepT0.contains(row.step))
        m_stepT0.insert(row.step, row.tsNs);
    m_rows.push_back(row);
    endInsertRows();
}

void TraceModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_t0 = -1;
    m_stepT0.clear();
    endResetModel();
}

void TraceModel::setNamespaceName(quint64 mntns, const QString& name)
{
    if (m_nsNames.value(mntns) == name)
        return;
    m_nsNames.insert(mntns, name);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, MntNsColumn), index(int(m_rows.size()) - 1, MntNsColumn));
}

int TraceModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int TraceModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : NUM_COLUMNS; }

QString TraceModel::nsText(quint64 ns) const
{
    const QString name = m_nsNames.value(ns);
    // The last digits tell namespaces apart; the name says whose it is.
    const QString digits = QString::number(ns).right(4);
    return name.isEmpty() ? QStringLiteral("…%1").arg(digits) : QStringLiteral("…%1 %2").arg(digits, name);
}

static QString durationText(qint64 ns)
{
    if (ns < 1000)
        return QStringLiteral("%1 ns").arg(ns);
    if (ns < 1000000)
        return QStringLiteral("%1 µs").arg(double(ns) / 1e3, 0, 'f', 1);
    return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'f', 2);
}

QVariant TraceModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const TraceRow& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (Columns(index.column())) {
        case TimeColumn:
            return QStringLiteral("+%1 ms").arg(double(r.tsNs - m_stepT0.value(r.step, m_t0)) / 1e6, 0, 'f', 2);
        case PidColumn:
            return r.pid;
        case CommColumn:
            return r.comm;
        case MntNsColumn:
            if (r.mntnsBefore != r.mntnsAfter)
                return nsText(r.mntnsBefore) + QStringLiteral(" → ") + nsText(r.mntnsAfter);
            return nsText(r.mntnsBefore);
        case CallColumn:
            return r.call();
        case ResultColumn:
            return r.result();
        case LatencyColumn:
            return durationText(r.latencyNs);
        case NUM_COLUMNS:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MntNsColumn)
            return tr("mount namespace %1 → %2").arg(r.mntnsBefore).arg(r.mntnsAfter);
        if (index.column() == TimeColumn)
            return r.step > 0 ? tr("%1 ms after step %2's first traced call; %3 ms into the session")
                                    .arg(double(r.tsNs - m_stepT0.value(r.step, m_t0)) / 1e6, 0, 'f', 3)
                                    .arg(r.step)
                                    .arg(double(r.tsNs - m_t0) / 1e6, 0, 'f', 3)
                              : tr("%1 ms after the lab's first traced call (its set-up, before any step)")
                                    .arg(double(r.tsNs - m_t0) / 1e6, 0, 'f', 3);
        if (index.column() == ResultColumn && !r.errnoName.isEmpty())
            return tr("The call failed with %1").arg(r.errnoName);
        return r.call();
    case TargetPathRole:
        return r.targetPath();
    case IsErrorRole:
        return !r.errnoName.isEmpty();
    case StepRole:
        return r.step;
    case SyscallNameRole:
        return r.name;
    case TimestampRole:
        return r.tsNs;
    default:
        return {};
    }
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Columns(section)) {
    case TimeColumn:
        return tr("In step");
    case PidColumn:
        return tr("PID");
    case CommColumn:
        return tr("Command");
    case MntNsColumn:
        return tr("Mount ns");
    case CallColumn:
        return tr("Call");
    case ResultColumn:
        return tr("Result");
    case LatencyColumn:
        return tr("Latency");
    case NUM_COLUMNS:
        break;
    }
    return {};
}

QString TraceModel::emptyText(const EmptyState& s)
{
    if (!s.tracing)
        return tr("No calls: tracing is off%1. The trees still show every change to the mount tables.")
            .arg(s.whyNot.isEmpty() ? QString() : QStringLiteral(" (") + s.whyNot + QLatin1Char(')'));
    if (!s.filter.isEmpty())
        return tr("No traced call matches \"%1\".").arg(s.filter);
    if (s.stepOnly)
        return s.anyCalls ? tr("This step made no mount-family call (mount, umount2, pivot_root, chroot, unshare, "
                               "setns, the new mount API): it read or wrote files, or ran a program that did not "
                               "change a mount. Untick \"Only this step's calls\" for the whole session.")
                          : tr("No mount-family call traced yet: run a step.");
    return tr("No mount-family call traced yet.");
}

QStringList TraceModel::describe() const
{
    QStringList out;
    for (const TraceRow& r : m_rows)
        out << r.call() + QStringLiteral(" = ") + r.result();
    return out;
}

} // namespace mountlab::gui
