// NavigatorModel: a lesson's exercises, as rows after its steps.
#include "navigatormodel.h"

namespace mountlab::gui {

int NavigatorModel::exerciseOf(const QModelIndex& index) const
{
    if (!index.isValid() || index.internalId() == kGroupTag)
        return -1;
    const int g = int(index.internalId());
    if (g < 0 || g >= m_groups.size())
        return -1;
    const int e = index.row() - int(m_groups[g].steps.size());
    return e >= 0 && e < m_groups[g].exercises.size() ? e : -1;
}

QJsonObject NavigatorModel::exercise(int g, int e) const
{
    if (g < 0 || g >= m_groups.size() || e < 0 || e >= m_groups[g].exercises.size())
        return {};
    return m_groups[g].exercises.at(e).toObject();
}

QModelIndex NavigatorModel::indexOfExercise(const QString& lesson, const QString& id) const
{
    const int g = groupIndex(lesson);
    if (g < 0)
        return {};
    const QJsonArray& list = m_groups[g].exercises;
    for (int e = 0; e < list.size(); ++e)
        if (list.at(e).toObject().value(QLatin1String("id")).toString() == id)
            return createIndex(int(m_groups[g].steps.size()) + e, 0, quintptr(g));
    return {};
}

void NavigatorModel::setPractised(const QString& lesson, const QString& id)
{
    if (lesson == m_practisedLesson && id == m_practisedId)
        return;
    const QModelIndex old = indexOfExercise(m_practisedLesson, m_practisedId);
    m_practisedLesson = lesson;
    m_practisedId = id;
    for (const QModelIndex& i : {old, indexOfExercise(lesson, id)})
        if (i.isValid())
            Q_EMIT dataChanged(i, i.siblingAtColumn(NUM_COLUMNS - 1));
}

QVariant NavigatorModel::exerciseData(const QModelIndex& index, int role) const
{
    const int g = int(index.internalId());
    const QJsonObject e = exercise(g, exerciseOf(index));
    const QString id = e.value(QLatin1String("id")).toString();
    const QString title = e.value(QLatin1String("title")).toString().left(500);
    const int points = e.value(QLatin1String("points")).toInt();
    const bool practised = m_groups[g].id == m_practisedLesson && id == m_practisedId;
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TitleColumn) {
            // The points (and best score) first: a narrow navigator elides the title's end, not them.
            const QString best = bestText(g, id, points);
            return tr("%1 Exercise · %n points · %2", nullptr, points)
                .arg(practised ? QStringLiteral("▶") : QStringLiteral("✎"),
                     best.isEmpty() ? title : best + QStringLiteral(" · ") + title);
        }
        return practised ? tr("practising") : bestText(g, id, points);
    case Qt::ToolTipRole: {
        const QString kept = exerciseProgressTip(g, id);
        return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>")
            .arg(((kept.isEmpty() ? title : title + QLatin1Char('\n') + kept) +
                  tr("\nDouble-click or Enter: practise it in a fresh lab, with a terminal and its checklist"))
                     .toHtmlEscaped());
    }
    case Qt::AccessibleTextRole: {
        const QString best = bestText(g, id, points);
        return tr("Exercise: %1, %n points", nullptr, points).arg(title) +
               (best.isEmpty() ? QString() : QStringLiteral(", ") + best);
    }
    case BestScoreRole:
    case MaxScoreRole:
    case AttemptsRole:
    case HintsRole:
        return exerciseProgressData(g, id, points, role);
    case FlatIndexRole:
        return -1;
    case StepIdRole:
    case ExerciseIdRole:
        return id;
    case PointsRole:
        return points;
    case IsExerciseRole:
        return true;
    case IsPractisedRole:
        return practised;
    case IsGroupRole:
    case IsCurrentRole:
        return false;
    case StatusRole:
        return int(StepStatus::NotRun);
    default:
        return {};
    }
}

} // namespace mountlab::gui
