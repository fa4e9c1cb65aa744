#include "practicemodel.h"

#include <QJsonArray>

#include <algorithm>

namespace mountlab::gui {

namespace {
// A recording is someone else's file: what one practice takes from it is capped.
constexpr int kMaxChecks = 200;
constexpr int kMaxHints = 50;
constexpr int kMaxCommands = 10000;

QString str(const QJsonObject& o, const char* key) { return o.value(QLatin1String(key)).toString(); }

QStringList strings(const QJsonValue& v, int cap)
{
    QStringList out;
    for (const QJsonValue& s : v.toArray()) {
        if (out.size() >= cap)
            break;
        if (s.isString())
            out << s.toString();
    }
    return out;
}

QVector<PracticeCheck> checksOf(const QJsonValue& v)
{
    QVector<PracticeCheck> out;
    for (const QJsonValue& c : v.toArray()) {
        if (out.size() >= kMaxChecks)
            break;
        out << PracticeCheck::fromJson(c.toObject());
    }
    return out;
}
} // namespace

PracticeCheck PracticeCheck::fromJson(const QJsonObject& o)
{
    PracticeCheck c;
    c.name = str(o, "name");
    c.points = o.value(QLatin1String("points")).toInt();
    c.max = o.value(QLatin1String("max")).toInt();
    c.passed = o.value(QLatin1String("passed")).toBool();
    c.live = o.value(QLatin1String("live")).toBool(true);
    c.message = str(o, "message");
    c.feedback = str(o, "feedback");
    return c;
}

PracticeModel::PracticeModel(QObject* parent) : QObject(parent) {}

void PracticeModel::clear()
{
    const bool was = m_active;
    m_active = false;
    forgetExercise();
    m_lesson.clear();
    m_exercise.clear();
    Q_EMIT changed();
    if (was)
        Q_EMIT stopped();
}

void PracticeModel::forgetExercise()
{
    m_title.clear();
    m_task.clear();
    m_solution.clear();
    m_reason.clear();
    m_trace.clear();
    m_hints.clear();
    m_after.clear();
    m_score = m_max = m_commandCount = 0;
    m_checks.clear();
    m_commands.clear();
    m_checkAnswered = false;
    m_hintsShown = 0;
    m_solutionShown = false;
    m_grading = false;
    m_hasGrade = false;
    m_grade = {};
}

bool PracticeModel::handleEvent(const QJsonObject& e)
{
    const QString kind = str(e, "kind");
    if (kind == QLatin1String("practice"))
        handlePractice(e);
    else if (kind == QLatin1String("practice-grade"))
        handleGrade(e);
    else if (kind == QLatin1String("command"))
        handleCommand(e);
    else
        return false;
    return true;
}

void PracticeModel::handlePractice(const QJsonObject& e)
{
    const bool active = e.value(QLatin1String("active")).toBool();
    if (!active) {
        const bool was = m_active;
        m_active = false;
        m_grading = false;
        Q_EMIT changed();
        if (was)
            Q_EMIT stopped();
        return;
    }
    const QString reason = str(e, "reason");
    const QString lesson = str(e, "lesson"), exercise = str(e, "exercise");
    const bool fresh = reason == QLatin1String("start") || !m_active || lesson != m_lesson || exercise != m_exercise;
    if (fresh)
        forgetExercise(); // another exercise, or this one again from its set-up
    m_active = true;
    m_lesson = lesson;
    m_exercise = exercise;
    m_title = str(e, "title");
    m_task = str(e, "task");
    m_hints = strings(e.value(QLatin1String("hints")), kMaxHints);
    m_hintsShown = std::min(m_hintsShown, int(m_hints.size()));
    m_solution = str(e, "solution");
    m_reason = reason;
    m_score = e.value(QLatin1String("score")).toInt();
    m_max = e.value(QLatin1String("max")).toInt();
    m_commandCount = e.value(QLatin1String("commands")).toInt();
    m_after = strings(e.value(QLatin1String("after")), kMaxHints);
    m_trace = str(e, "trace");
    m_checks = checksOf(e.value(QLatin1String("checks")));
    m_checkAnswered |= reason == QLatin1String("check");
    if (fresh)
        Q_EMIT started();
    Q_EMIT changed();
}

void PracticeModel::handleGrade(const QJsonObject& e)
{
    const QJsonObject r = e.value(QLatin1String("result")).toObject();
    PracticeGrade g;
    g.status = str(r, "status");
    g.score = r.value(QLatin1String("score")).toInt();
    // grade's JSON says "max_score" (the protocol's draft said "max").
    g.max = r.value(QLatin1String(r.contains(QLatin1String("max_score")) ? "max_score" : "max")).toInt();
    g.seconds = r.value(QLatin1String("seconds")).toDouble();
    g.exitCode = r.value(QLatin1String("exit_code")).toInt();
    g.output = str(r, "output");
    g.error = str(r, "error");
    g.note = str(r, "note");
    g.checks = checksOf(r.value(QLatin1String("checks")));
    g.script = str(e, "script");
    m_grade = g;
    m_hasGrade = true;
    m_grading = false;
    Q_EMIT graded();
    Q_EMIT changed();
}

void PracticeModel::handleCommand(const QJsonObject& e)
{
    PracticeCommand c;
    c.terminal = e.value(QLatin1String("terminal")).toInt(-1);
    c.where = str(e, "where");
    c.n = e.value(QLatin1String("n")).toInt();
    c.text = str(e, "text");
    c.exit = e.value(QLatin1String("exit")).toInt();
    c.nested = e.value(QLatin1String("nested")).toBool();
    if (m_active && m_commands.size() < kMaxCommands)
        m_commands << c;
    Q_EMIT commandReported(c);
}

bool PracticeModel::revealNextHint()
{
    if (m_hintsShown >= m_hints.size())
        return false;
    ++m_hintsShown;
    Q_EMIT changed();
    return true;
}

void PracticeModel::revealSolution()
{
    if (!hasSolution() || m_solutionShown)
        return;
    m_solutionShown = true;
    Q_EMIT changed();
}

void PracticeModel::setGrading(bool on)
{
    if (m_grading == on)
        return;
    m_grading = on;
    Q_EMIT changed();
}

} // namespace mountlab::gui
