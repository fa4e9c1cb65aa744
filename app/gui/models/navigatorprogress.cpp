// NavigatorModel: what the learner's progress file (progress.h) says of its rows, so a
// restart still shows the lessons finished, the steps passed before and each exercise's
// best score.
#include "navigatormodel.h"
#include "progress.h"

namespace mountlab::gui {

namespace {
QLatin1String L(const char* s) { return QLatin1String(s); }
} // namespace

void NavigatorModel::setProgress(Progress* progress)
{
    if (m_progress)
        disconnect(m_progress, nullptr, this, nullptr);
    m_progress = progress;
    if (progress)
        connect(progress, &Progress::changed, this, &NavigatorModel::refreshAll);
    refreshAll();
}

void NavigatorModel::refreshAll()
{
    for (int g = 0; g < m_groups.size(); ++g) {
        emitGroupChanged(g);
        const int rows = rowCount(indexOfGroup(g));
        if (rows > 0)
            Q_EMIT dataChanged(index(0, 0, indexOfGroup(g)), index(rows - 1, NUM_COLUMNS - 1, indexOfGroup(g)));
    }
}

QJsonObject NavigatorModel::keptStep(int g, int row) const
{
    if (!m_progress)
        return {};
    const NavStep& s = m_groups[g].steps[row];
    const QJsonObject step =
        m_progress->lessonState(m_groups[g].id).value(L("steps")).toObject().value(QString::number(s.index)).toObject();
    // A lesson edited since: the step at that index is another one.
    const QString id = step.value(L("id")).toString();
    return id.isEmpty() || id == s.id ? step : QJsonObject();
}

// Not run in this lab, but passed before: the live mark (this lab's) wins.
bool NavigatorModel::passedBefore(int g, int row) const
{
    return m_groups[g].steps[row].status == StepStatus::NotRun && keptStep(g, row).value(L("passed")).toBool();
}

bool NavigatorModel::finished(int g) const
{
    return m_groups[g].completed || (m_progress && m_progress->lessonFinished(m_groups[g].id));
}

QString NavigatorModel::stepProgressTip(int g, int row) const
{
    const QJsonObject step = keptStep(g, row);
    const int tried = step.value(L("tried")).toInt();
    const QString times = tried == 1 ? tr("once") : tr("%1 times").arg(tried);
    QStringList tip;
    if (tried > 0)
        tip << (step.value(L("passed")).toBool() ? tr("Passed before (run %1 in all)").arg(times)
                                                 : tr("Tried %1 before, not passed yet").arg(times));
    const QJsonObject predicted = step.value(L("predicted")).toObject();
    if (!predicted.isEmpty())
        tip << tr("Your earlier prediction: %1 (%2)")
                   .arg(predicted.value(L("choice")).toString(),
                        predicted.value(L("correct")).toBool() ? tr("right") : tr("not what the kernel did"));
    return tip.join(QLatin1Char('\n'));
}

QString NavigatorModel::groupProgressTip(int g) const
{
    if (!finished(g))
        return {};
    const QString at =
        m_progress ? m_progress->lessonState(m_groups[g].id).value(L("finished_at")).toString().left(10) : QString();
    return at.isEmpty() ? tr("Finished: every step passed in one lab")
                        : tr("Finished on %1: every step passed in one lab").arg(at);
}

QString NavigatorModel::bestText(int g, const QString& id, int points) const
{
    const int best = m_progress ? m_progress->exerciseBest(m_groups[g].id, id) : -1;
    if (best < 0)
        return {};
    const int max = m_progress->exerciseState(m_groups[g].id, id).value(L("max")).toInt(points);
    return tr("best %1/%2").arg(best).arg(max);
}

QString NavigatorModel::exerciseProgressTip(int g, const QString& id) const
{
    if (!m_progress)
        return {};
    const QJsonObject state = m_progress->exerciseState(m_groups[g].id, id);
    const int attempts = int(state.value(L("attempts")).toArray().size());
    const int hints = state.value(L("hints")).toInt();
    QStringList parts;
    if (attempts > 0)
        parts << (attempts == 1 ? tr("Best %1/%2 in 1 graded attempt") : tr("Best %1/%2 in %3 graded attempts"))
                     .arg(state.value(L("best")).toInt())
                     .arg(state.value(L("max")).toInt())
                     .arg(attempts);
    else if (!state.value(L("commands")).toArray().isEmpty())
        parts << tr("Practised, not submitted yet");
    if (hints > 0)
        parts << (hints == 1 ? tr("1 hint used") : tr("%1 hints used").arg(hints));
    return parts.join(QLatin1String("; "));
}

QVariant NavigatorModel::exerciseProgressData(int g, const QString& id, int points, int role) const
{
    const QJsonObject state = m_progress ? m_progress->exerciseState(m_groups[g].id, id) : QJsonObject();
    switch (role) {
    case BestScoreRole:
        return state.value(L("best")).toInt(-1);
    case MaxScoreRole:
        return state.value(L("max")).toInt(points);
    case AttemptsRole:
        return int(state.value(L("attempts")).toArray().size());
    case HintsRole:
        return state.value(L("hints")).toInt();
    default:
        return {};
    }
}

} // namespace mountlab::gui
