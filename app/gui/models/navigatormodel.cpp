#include "navigatormodel.h"

#include <QJsonArray>

namespace mountlab::gui {

// Internal ids: a group's index is tagged kGroupTag; a step's id is its group number,
// so parent() finds the group without a lookup.

NavigatorModel::NavigatorModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

void NavigatorModel::setWalkthrough(const QJsonObject& event)
{
    QVector<NavGroup> groups;
    QHash<QString, int> byId;
    for (const QJsonValue& v : event.value(QLatin1String("stages")).toArray()) {
        const QJsonObject s = v.toObject();
        byId.insert(s.value(QLatin1String("id")).toString(), int(groups.size()));
        groups.push_back(NavGroup{s.value(QLatin1String("id")).toString(), s.value(QLatin1String("title")).toString(), {}});
    }
    for (const QJsonValue& v : event.value(QLatin1String("steps")).toArray()) {
        const QJsonObject s = v.toObject();
        NavStep st;
        st.index = s.value(QLatin1String("index")).toInt();
        st.group = s.value(QLatin1String("stage")).toString();
        st.id = s.value(QLatin1String("id")).toString();
        st.title = s.value(QLatin1String("title")).toString();
        st.shell = s.value(QLatin1String("shell")).toString();
        st.syscall = s.value(QLatin1String("syscall")).toString();
        st.explain = s.value(QLatin1String("explain")).toString();
        st.where = s.value(QLatin1String("where")).toString();
        int g = byId.value(st.group, -1);
        if (g < 0) {
            g = int(groups.size());
            byId.insert(st.group, g);
            groups.push_back(NavGroup{st.group, st.group, {}});
        }
        groups[g].steps.push_back(st);
    }
    setGroups(groups, QStringLiteral("walkthrough"));
}

void NavigatorModel::setGroups(const QVector<NavGroup>& groups, const QString& name)
{
    beginResetModel();
    m_name = name;
    m_groups = groups;
    m_flat.clear();
    for (int g = 0; g < m_groups.size(); ++g)
        for (int r = 0; r < m_groups[g].steps.size(); ++r)
            m_flat.push_back({g, r});
    m_current = 0;
    endResetModel();
}

const NavStep& NavigatorModel::step(int flat) const
{
    const auto [g, r] = m_flat.at(flat);
    return m_groups[g].steps[r];
}

int NavigatorModel::flatIndexOf(const QString& group, const QString& id) const
{
    for (int i = 0; i < m_flat.size(); ++i) {
        const NavStep& s = step(i);
        if (s.id == id && (group.isEmpty() || s.group == group))
            return i;
    }
    return -1;
}

int NavigatorModel::flatIndex(const QModelIndex& index) const
{
    if (!index.isValid() || index.internalId() == kGroupTag)
        return -1;
    const int g = int(index.internalId());
    int flat = 0;
    for (int i = 0; i < g; ++i)
        flat += int(m_groups[i].steps.size());
    return flat + index.row();
}

QModelIndex NavigatorModel::indexOfStep(int flat, int column) const
{
    if (flat < 0 || flat >= m_flat.size())
        return {};
    const auto [g, r] = m_flat[flat];
    return createIndex(r, column, quintptr(g));
}

void NavigatorModel::setStatus(int flat, StepStatus status)
{
    if (flat < 0 || flat >= m_flat.size())
        return;
    const auto [g, r] = m_flat[flat];
    if (m_groups[g].steps[r].status == status)
        return;
    m_groups[g].steps[r].status = status;
    Q_EMIT dataChanged(indexOfStep(flat, 0), indexOfStep(flat, NUM_COLUMNS - 1));
    // A group's status summarises its steps.
    const QModelIndex gi = createIndex(g, 0, kGroupTag);
    Q_EMIT dataChanged(gi, gi.siblingAtColumn(NUM_COLUMNS - 1));
}

void NavigatorModel::resetStatuses()
{
    for (int i = 0; i < m_flat.size(); ++i)
        setStatus(i, StepStatus::NotRun);
    setCurrent(0);
}

void NavigatorModel::setCurrent(int flat)
{
    const int old = m_current;
    m_current = flat;
    for (int f : {old, flat})
        if (f >= 0 && f < m_flat.size())
            Q_EMIT dataChanged(indexOfStep(f, 0), indexOfStep(f, NUM_COLUMNS - 1));
}

QModelIndex NavigatorModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= NUM_COLUMNS)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, kGroupTag) : QModelIndex();
    if (parent.internalId() != kGroupTag || parent.column() != 0)
        return {};
    if (row >= m_groups[parent.row()].steps.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()));
}

QModelIndex NavigatorModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kGroupTag)
        return {};
    return createIndex(int(child.internalId()), 0, kGroupTag);
}

int NavigatorModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != kGroupTag || parent.column() != 0)
        return 0;
    return int(m_groups[parent.row()].steps.size());
}

int NavigatorModel::columnCount(const QModelIndex&) const
{
    return NUM_COLUMNS;
}

QString NavigatorModel::statusName(StepStatus s)
{
    switch (s) {
    case StepStatus::Running: return QStringLiteral("running");
    case StepStatus::Passed: return QStringLiteral("passed");
    case StepStatus::Failed: return QStringLiteral("failed");
    case StepStatus::NotRun: break;
    }
    return QStringLiteral("not run");
}

static QString statusMark(StepStatus s)
{
    switch (s) {
    case StepStatus::Running: return QStringLiteral("…");
    case StepStatus::Passed: return QStringLiteral("✓");
    case StepStatus::Failed: return QStringLiteral("✗");
    case StepStatus::NotRun: break;
    }
    return QStringLiteral("○");
}

QVariant NavigatorModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kGroupTag) {
        const NavGroup& g = m_groups[index.row()];
        int passed = 0, failed = 0;
        for (const NavStep& s : g.steps) {
            passed += s.status == StepStatus::Passed;
            failed += s.status == StepStatus::Failed;
        }
        switch (role) {
        case Qt::DisplayRole:
            if (index.column() == TitleColumn)
                return QStringLiteral("%1 %2").arg(index.row() + 1).arg(g.title);
            if (failed)
                return tr("%1 failed").arg(failed);
            return QStringLiteral("%1/%2").arg(passed).arg(g.steps.size());
        case Qt::ToolTipRole: return g.title;
        case FlatIndexRole: return -1;
        case StepIdRole: return g.id;
        case IsGroupRole: return true;
        case StatusRole:
            if (failed)
                return int(StepStatus::Failed);
            if (!g.steps.isEmpty() && passed == g.steps.size())
                return int(StepStatus::Passed);
            return int(StepStatus::NotRun);
        default: return {};
        }
    }
    const NavStep& s = m_groups[int(index.internalId())].steps[index.row()];
    const int flat = flatIndex(index);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TitleColumn)
            return QStringLiteral("%1 %2  %3").arg(statusMark(s.status)).arg(flat + 1).arg(s.title);
        return statusName(s.status);
    case Qt::ToolTipRole: return s.shell.isEmpty() ? s.title : s.title + QLatin1Char('\n') + QLatin1String("$ ") + s.shell;
    case FlatIndexRole: return flat;
    case StepIdRole: return s.id;
    case StatusRole: return int(s.status);
    case ShellRole: return s.shell;
    case SyscallRole: return s.syscall;
    case ExplainRole: return s.explain;
    case WhereRole: return s.where;
    case IsGroupRole: return false;
    case IsCurrentRole: return flat == m_current;
    default: return {};
    }
}

QVariant NavigatorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == TitleColumn ? tr("Step") : tr("Status");
}

} // namespace mountlab::gui
