#include "navigatormodel.h"

#include <QHash>
#include <QRegularExpression>

namespace mountlab::gui {

// Internal ids: a lesson's index is tagged kGroupTag; a step's id is its lesson's
// number, so parent() finds the lesson without a lookup.

namespace {
QString str(const QJsonObject& o, const char* key) { return o.value(QLatin1String(key)).toString(); }

// Titles come from lessons and recordings; a tooltip guesses rich text from a leading
// tag, so it gets the literal text as (escaped) rich text.
QString literalTip(const QString& text)
{
    return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(text.toHtmlEscaped());
}
} // namespace

NavigatorModel::NavigatorModel(QObject* parent) : QAbstractItemModel(parent) {}

void NavigatorModel::setWalkthrough(const QJsonObject& event)
{
    NavGroup w;
    w.id = QStringLiteral("walkthrough");
    w.title = tr("Walkthrough: every stage");
    w.walkthrough = true;
    QHash<QString, QString> stageTitles;
    QStringList stageList; // in order
    for (const QJsonValue& v : event.value(QLatin1String("stages")).toArray()) {
        const QJsonObject s = v.toObject();
        stageTitles.insert(str(s, "id"), str(s, "title"));
        stageList << str(s, "title");
    }
    w.summary =
        tr("Every stage in one lab, in the order a container runtime does them:\n\n%1")
            .arg(stageList.isEmpty() ? QString() : QStringLiteral("1. ") + stageList.join(QStringLiteral("\n1. ")));
    for (const QJsonValue& v : event.value(QLatin1String("steps")).toArray()) {
        const QJsonObject s = v.toObject();
        NavStep st;
        st.index = s.value(QLatin1String("index")).toInt(int(w.steps.size()));
        st.group = w.id;
        st.stage = str(s, "stage");
        st.stageTitle = stageTitles.value(st.stage, st.stage);
        st.id = str(s, "id");
        st.title = str(s, "title");
        st.shell = str(s, "shell");
        st.syscall = str(s, "syscall");
        st.explain = str(s, "explain");
        st.where = str(s, "where");
        st.markdown = true; // the walkthrough is a YAML lesson: its texts are Markdown
        st.predict = s.value(QLatin1String("predict")).toObject();
        w.steps.push_back(st);
    }
    QVector<NavGroup> groups = m_groups;
    const int at = groupIndex(w.id);
    if (at >= 0)
        groups[at] = w;
    else
        groups.prepend(w);
    setGroups(groups);
}

void NavigatorModel::addLesson(const QJsonObject& event)
{
    NavGroup l;
    l.id = str(event, "id");
    l.title = str(event, "title");
    l.summary = str(event, "summary");
    l.file = str(event, "file");
    for (const QJsonValue& p : event.value(QLatin1String("prerequisites")).toArray())
        l.prerequisites << p.toString();
    for (const QJsonValue& v : event.value(QLatin1String("exercises")).toArray())
        if (l.exercises.size() < kMaxExercises && v.isObject() && !str(v.toObject(), "id").isEmpty())
            l.exercises.append(v);
    for (const QJsonValue& v : event.value(QLatin1String("steps")).toArray()) {
        const QJsonObject s = v.toObject();
        NavStep st;
        st.index = int(l.steps.size());
        st.group = l.id;
        st.stage = l.id; // the engine's step events say the lesson's id as the stage
        st.id = str(s, "id");
        st.title = str(s, "title");
        st.shell = str(s, "shell");
        st.syscall = str(s, "syscall");
        st.explain = str(s, "text");
        st.where = str(s, "where");
        st.markdown = true;
        st.predict = s.value(QLatin1String("predict")).toObject();
        l.steps.push_back(st);
    }
    if (l.id.isEmpty())
        return;
    const int at = groupIndex(l.id);
    if (at >= 0) { // the same lesson again (rare): the catalogue anew
        QVector<NavGroup> groups = m_groups;
        groups[at] = std::move(l);
        setGroups(groups);
        return;
    }
    // A new lesson goes last: its rows are inserted, nothing else moves (a catalogue of
    // N lessons costs N, not N² as a copy and a reset per lesson did).
    const int g = int(m_groups.size());
    const int wasSize = int(m_flat.size());
    beginInsertRows({}, g, g);
    m_index.insert(l.id, g);
    m_starts.push_back(wasSize);
    for (int r = 0; r < l.steps.size(); ++r)
        m_flat.push_back({g, r});
    m_groups.push_back(std::move(l));
    // m_current keeps its place: past the end ("every step ran") it is now this lesson's first.
    endInsertRows();
}

void NavigatorModel::setGroups(const QVector<NavGroup>& groups)
{
    // Keep the active lesson and the next step across a new catalogue (by id).
    const QString activeId = m_active >= 0 && m_active < m_groups.size() ? m_groups[m_active].id : QString();
    QString currentGroup;
    int currentRow = 0;
    if (m_current >= 0 && m_current < m_flat.size()) {
        currentGroup = m_groups[m_flat[m_current].first].id;
        currentRow = m_flat[m_current].second;
    }
    beginResetModel();
    m_groups = groups;
    rebuildFlat();
    bool ran = false;
    for (const NavGroup& g : m_groups)
        for (const NavStep& st : g.steps)
            ran |= st.status != StepStatus::NotRun;
    if (ran) {
        m_active = std::max(0, groupIndex(activeId));
        const int cg = groupIndex(currentGroup);
        m_current = cg >= 0 ? std::min(groupStart(cg) + currentRow, int(m_flat.size())) : groupStart(m_active);
    } else {
        // Nothing ran yet: the lab is ready for the first lesson (the walkthrough).
        m_active = 0;
        m_current = 0;
    }
    endResetModel();
}

void NavigatorModel::rebuildFlat()
{
    m_flat.clear();
    m_starts.clear();
    m_index.clear();
    for (int g = 0; g < m_groups.size(); ++g) {
        if (!m_index.contains(m_groups[g].id)) // the first of a duplicated id, as a scan found
            m_index.insert(m_groups[g].id, g);
        m_starts.push_back(int(m_flat.size()));
        for (int r = 0; r < m_groups[g].steps.size(); ++r)
            m_flat.push_back({g, r});
    }
}

QString NavigatorModel::name() const
{
    if (m_active >= 0 && m_active < m_groups.size())
        return m_groups[m_active].walkthrough ? QStringLiteral("walkthrough") : m_groups[m_active].title;
    return {};
}

int NavigatorModel::groupStart(int g) const
{
    if (g < 0)
        return 0;
    return g < m_starts.size() ? m_starts[g] : int(m_flat.size());
}

int NavigatorModel::groupIndex(const QString& id) const { return m_index.value(id, -1); }

int NavigatorModel::groupIndexOf(const QModelIndex& index) const
{
    if (!index.isValid())
        return -1;
    return index.internalId() == kGroupTag ? index.row() : int(index.internalId());
}

const NavStep& NavigatorModel::step(int flat) const
{
    const auto [g, r] = m_flat.at(flat);
    return m_groups[g].steps[r];
}

int NavigatorModel::flatIndexOf(const QString& stage, const QString& id) const
{
    for (int i = 0; i < m_flat.size(); ++i) {
        const NavStep& s = step(i);
        if (s.id == id && (stage.isEmpty() || s.stage == stage))
            return i;
    }
    return -1;
}

int NavigatorModel::flatIndexOfStep(const QString& lesson, int index) const
{
    const int g = groupIndex(lesson);
    if (g < 0 || index < 0 || index >= m_groups[g].steps.size())
        return -1;
    return groupStart(g) + index;
}

int NavigatorModel::flatIndex(const QModelIndex& index) const
{
    if (!index.isValid() || index.internalId() == kGroupTag || exerciseOf(index) >= 0)
        return -1;
    return groupStart(int(index.internalId())) + index.row();
}

QModelIndex NavigatorModel::indexOfStep(int flat, int column) const
{
    if (flat < 0 || flat >= m_flat.size())
        return {};
    const auto [g, r] = m_flat[flat];
    return createIndex(r, column, quintptr(g));
}

QModelIndex NavigatorModel::indexOfGroup(int g, int column) const
{
    if (g < 0 || g >= m_groups.size())
        return {};
    return createIndex(g, column, kGroupTag);
}

void NavigatorModel::emitGroupChanged(int g)
{
    if (g >= 0 && g < m_groups.size())
        Q_EMIT dataChanged(indexOfGroup(g, 0), indexOfGroup(g, NUM_COLUMNS - 1));
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
    bool all = !m_groups[g].steps.isEmpty();
    for (const NavStep& s : m_groups[g].steps)
        all &= s.status == StepStatus::Passed;
    m_groups[g].completed |= all;
    // A lesson's row summarises its steps.
    emitGroupChanged(g);
}

void NavigatorModel::resetStatuses()
{
    for (int i = 0; i < m_flat.size(); ++i)
        setStatus(i, StepStatus::NotRun);
    setActive(m_groups.isEmpty() ? 0 : std::clamp(m_active, 0, int(m_groups.size()) - 1));
    setCurrent(groupStart(m_active));
}

void NavigatorModel::resetGroup(int g)
{
    if (g < 0 || g >= m_groups.size())
        return;
    for (int i = groupStart(g); i < groupStart(g) + groupSize(g); ++i)
        setStatus(i, StepStatus::NotRun);
    setCurrent(groupStart(g));
}

void NavigatorModel::setActive(int g)
{
    if (g == m_active)
        return;
    const int old = m_active;
    m_active = g;
    emitGroupChanged(old);
    emitGroupChanged(g);
    Q_EMIT activeChanged(g);
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
    if (row >= rowCount(parent))
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
    const NavGroup& g = m_groups[parent.row()];
    return int(g.steps.size() + g.exercises.size());
}

int NavigatorModel::columnCount(const QModelIndex&) const { return NUM_COLUMNS; }

QString NavigatorModel::statusName(StepStatus s)
{
    switch (s) {
    case StepStatus::Running:
        return QStringLiteral("running");
    case StepStatus::Passed:
        return QStringLiteral("passed");
    case StepStatus::Failed:
        return QStringLiteral("failed");
    case StepStatus::NotRun:
        break;
    }
    return QStringLiteral("not run");
}

static QString statusMark(StepStatus s)
{
    switch (s) {
    case StepStatus::Running:
        return QStringLiteral("…");
    case StepStatus::Passed:
        return QStringLiteral("✓");
    case StepStatus::Failed:
        return QStringLiteral("✗");
    case StepStatus::NotRun:
        break;
    }
    return QStringLiteral("○");
}

QVariant NavigatorModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kGroupTag)
        return groupData(index, role);
    if (exerciseOf(index) >= 0)
        return exerciseData(index, role);
    return stepData(index, role);
}

// A lesson's row: its title with its marks, and what the delegate asks.
QVariant NavigatorModel::groupData(const QModelIndex& index, int role) const
{
    const NavGroup& g = m_groups[index.row()];
    int passed = 0, failed = 0, ran = 0;
    for (const NavStep& s : g.steps) {
        passed += s.status == StepStatus::Passed;
        failed += s.status == StepStatus::Failed;
        ran += s.status != StepStatus::NotRun;
    }
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TitleColumn)
            return groupTitle(index.row(), passed, ran);
        if (failed)
            return tr("%1 failed").arg(failed);
        if (!ran && finished(index.row()))
            return tr("finished");
        return QStringLiteral("%1/%2").arg(passed).arg(g.steps.size());
    case Qt::ToolTipRole:
        return literalTip(QStringList{g.title, g.file, groupProgressTip(index.row())}
                              .filter(QRegularExpression(QStringLiteral(".")))
                              .join(QLatin1Char('\n')));
    case Qt::AccessibleTextRole:
        return finished(index.row()) ? tr("%1, finished").arg(g.title) : g.title;
    case FinishedRole:
        return finished(index.row());
    case FlatIndexRole:
        return -1;
    case StepIdRole:
        return g.id;
    case IsGroupRole:
        return true;
    case IsActiveRole:
        return index.row() == m_active;
    case StatusRole:
        if (failed)
            return int(StepStatus::Failed);
        if (!g.steps.isEmpty() && passed == g.steps.size())
            return int(StepStatus::Passed);
        return int(StepStatus::NotRun);
    default:
        return {};
    }
}

QString NavigatorModel::groupTitle(int row, int passed, int ran) const
{
    const NavGroup& g = m_groups[row];
    // The walkthrough first; the lessons numbered as their files are.
    const int hasWalkthrough = !m_groups.isEmpty() && m_groups.front().walkthrough;
    const QString mark = finished(row) ? QStringLiteral("✓ ") : QString();
    const QString head = g.walkthrough
                             ? mark + g.title
                             : QStringLiteral("%1%2. %3").arg(mark).arg(row + 1 - hasWalkthrough).arg(g.title);
    return ran ? QStringLiteral("%1  %2/%3").arg(head).arg(passed).arg(g.steps.size()) : head;
}

QVariant NavigatorModel::stepData(const QModelIndex& index, int role) const
{
    const int g = int(index.internalId());
    const NavStep& s = m_groups[g].steps[index.row()];
    const int flat = groupStart(g) + index.row();
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TitleColumn)
            // Passed before: the same tick, drawn dim and in italics by the delegate.
            return QStringLiteral("%1 %2  %3")
                .arg(passedBefore(g, index.row()) ? QStringLiteral("✓") : statusMark(s.status))
                .arg(index.row() + 1)
                .arg(s.title);
        return passedBefore(g, index.row()) ? tr("passed before") : statusName(s.status);
    case Qt::ToolTipRole:
        return literalTip(QStringList{s.title, s.shell.isEmpty() ? QString() : QLatin1String("$ ") + s.shell,
                                      stepProgressTip(g, index.row())}
                              .filter(QRegularExpression(QStringLiteral(".")))
                              .join(QLatin1Char('\n')));
    case Qt::AccessibleTextRole:
        return tr("Step %1, %2: %3")
            .arg(index.row() + 1)
            .arg(s.title, passedBefore(g, index.row()) ? tr("passed before") : statusName(s.status));
    case PassedBeforeRole:
        return passedBefore(g, index.row());
    case FlatIndexRole:
        return flat;
    case StepIdRole:
        return s.id;
    case StatusRole:
        return int(s.status);
    case ShellRole:
        return s.shell;
    case SyscallRole:
        return s.syscall;
    case ExplainRole:
        return s.explain;
    case WhereRole:
        return s.where;
    case IsGroupRole:
        return false;
    case IsCurrentRole:
        return flat == m_current;
    case PositionRole:
        return index.row() + 1;
    case StageTitleRole:
        if (m_groups[g].walkthrough && (index.row() == 0 || m_groups[g].steps[index.row() - 1].stage != s.stage))
            return s.stageTitle;
        return QString();
    default:
        return {};
    }
}

QVariant NavigatorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == TitleColumn ? tr("Step") : tr("Status");
}

} // namespace mountlab::gui
