#include "session.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace mountlab::gui {

Session::Session(QObject* parent) : QObject(parent)
{
    // The navigator marks the exercise being practised.
    connect(&m_practice, &PracticeModel::changed, this, [this] {
        m_navigator.setPractised(m_practice.active() ? m_practice.lesson() : QString(),
                                 m_practice.active() ? m_practice.exercise() : QString());
    });
}

void Session::clear()
{
    m_session = {};
    m_lastBegin = {};
    m_lastChecks.clear();
    m_results.clear();
    m_lastStep = 0;
    m_runningFlat = -1;
    m_lastFlat = -1;
    m_running = false;
    m_walkthroughSeen = false;
    m_labNamespaces.clear();
    m_recorded.clear();
    m_events = m_lessons = 0;
    m_warnedEvents = m_warnedLessons = m_warnedLine = m_warnedCopyUps = false;
    m_hostForest.clear();
    m_containerForest.clear();
    m_hostModel.setForest(m_hostForest);
    m_containerModel.setForest(m_containerForest);
    m_trace.clear();
    m_copyUp.clear();
    m_practice.clear();
    m_try.clear();
    // A new session brings its own catalogue (a recording may hold a single lesson).
    m_navigator.setGroups({});
}

QString Session::traceSource() const
{
    return m_session.value(QLatin1String("trace")).toString(QStringLiteral("none"));
}

void Session::handleLine(const QByteArray& line)
{
    const QByteArray trimmed = line.trimmed();
    if (trimmed.isEmpty() || !withinCaps(trimmed))
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (!doc.isObject()) {
        Q_EMIT logMessage(QStringLiteral("warning"), tr("not an event: %1").arg(QString::fromUtf8(trimmed.left(200))));
        return;
    }
    m_recorded.push_back(trimmed);
    handleEvent(doc.object(), trimmed);
}

void Session::warnOnce(bool& warned, const QString& message)
{
    if (!warned)
        Q_EMIT logMessage(QStringLiteral("warning"), message);
    warned = true;
}

bool Session::withinCaps(const QByteArray& line)
{
    if (line.size() > kMaxLineBytes) {
        warnOnce(m_warnedLine, tr("an event of %1 MiB was skipped: events are capped at %2 MiB")
                                   .arg(line.size() >> 20)
                                   .arg(kMaxLineBytes >> 20));
        return false;
    }
    if (m_events >= kMaxEvents) {
        warnOnce(m_warnedEvents, tr("capped: only the first %1 events are shown; the rest is dropped").arg(kMaxEvents));
        return false;
    }
    ++m_events;
    return true;
}

void Session::handleTraceLine(const QByteArray& line)
{
    if (line.size() > kMaxLineBytes)
        return; // no call's line is that long
    const QJsonDocument doc = QJsonDocument::fromJson(line.trimmed());
    if (!doc.isObject())
        return;
    const QJsonObject e = doc.object();
    if (e.value(QLatin1String("kind")).toString() != QLatin1String("syscall"))
        return;
    const quint64 before = quint64(e.value(QLatin1String("mntns_before")).toInteger());
    const quint64 after = quint64(e.value(QLatin1String("mntns_after")).toInteger());
    if (!m_labNamespaces.contains(before) || !withinCaps(line)) // the machine's other calls count for nothing
        return;
    // A namespace entered from the lab belongs to the lab (the container's unshare).
    m_labNamespaces.insert(after);
    QJsonObject tagged = e;
    if (m_running && !tagged.contains(QLatin1String("step")))
        tagged.insert(QLatin1String("step"), m_lastStep);
    QByteArray out = line.trimmed();
    if (tagged != e) // keep the args' order: insert the step key textually
        out = out.left(out.size() - 1) + ",\"step\":" + QByteArray::number(m_lastStep) + '}';
    m_recorded.push_back(out);
    handleEvent(tagged, out);
}

void Session::learnNamespace(quint64 ns, const QString& name)
{
    if (!ns)
        return;
    // The first name sticks: before the container's unshare both views share the lab
    // host's namespace, and it stays "lab host".
    if (!m_labNamespaces.contains(ns) || m_trace.namespaceName(ns).isEmpty())
        m_trace.setNamespaceName(ns, name);
    m_labNamespaces.insert(ns);
}

void Session::handleEvent(const QJsonObject& e, const QByteArray& line)
{
    const QString kind = e.value(QLatin1String("kind")).toString();
    if (kind == QLatin1String("session")) {
        handleSession(e);
    } else if (kind == QLatin1String("walkthrough")) {
        handleWalkthrough(e);
    } else if (kind == QLatin1String("lesson")) {
        handleLesson(e);
    } else if (kind == QLatin1String("step")) {
        if (e.value(QLatin1String("phase")).toString() == QLatin1String("begin"))
            handleStepBegin(e);
        else
            handleStepEnd(e);
    } else if (kind == QLatin1String("table")) {
        handleTable(e);
    } else if (kind == QLatin1String("diff")) {
        handleDiff(e);
    } else if (kind == QLatin1String("syscall")) {
        if (e.value(QLatin1String("step")).toInt() == m_lastStep)
            m_stepCalls.insert(e.value(QLatin1String("name")).toString());
        m_trace.addRow(traceRowFromEvent(e, line));
        Q_EMIT syscallAdded(m_trace.rowCount() - 1);
    } else if (kind == QLatin1String("copyup")) {
        if (!m_copyUp.addEvent(e))
            warnOnce(m_warnedCopyUps, tr("capped: only the first %1 copy-up changes are shown; the rest is dropped")
                                          .arg(CopyUpModel::kMaxChanges));
        Q_EMIT copyUpAdded(e.value(QLatin1String("step")).toInt());
    } else if (kind == QLatin1String("check")) {
        m_lastChecks.push_back(e);
        Q_EMIT checkReported(e);
    } else if (kind == QLatin1String("log")) {
        Q_EMIT logMessage(e.value(QLatin1String("level")).toString(), e.value(QLatin1String("message")).toString());
    } else if (kind == QLatin1String("error")) {
        if (e.value(QLatin1String("message")).toString().contains(QLatin1String("practice")))
            m_practice.setGrading(false); // a submit the engine refused has no grade to end it
        Q_EMIT engineError(e.value(QLatin1String("message")).toString(), e.value(QLatin1String("fatal")).toBool());
    } else if (kind == QLatin1String("summary")) {
        Q_EMIT summaryReceived(e);
    } else if (kind == QLatin1String("terminal")) {
        handleTerminal(e);
    } else if (kind == QLatin1String("try")) {
        m_try.handleEvent(e);
    } else {
        m_practice.handleEvent(e); // "practice", "practice-grade", "command"
    }
    // Other kinds: readers ignore what they do not know (core/stream/README.md).
    Q_EMIT eventSeen(e);
}

void Session::handleSession(const QJsonObject& e)
{
    m_session = e;
    learnNamespace(quint64(e.value(QLatin1String("host_mntns")).toInteger()), tr("lab host"));
    Q_EMIT sessionStarted();
}

void Session::handleWalkthrough(const QJsonObject& e)
{
    m_navigator.setWalkthrough(e);
    m_walkthroughSeen = true;
    Q_EMIT catalogChanged();
    Q_EMIT walkthroughLoaded();
}

void Session::handleLesson(const QJsonObject& e)
{
    if (m_lessons >= kMaxLessons) {
        warnOnce(m_warnedLessons,
                 tr("capped: only the first %1 lessons are shown; the recording has more").arg(kMaxLessons));
        return;
    }
    ++m_lessons;
    m_navigator.addLesson(e);
    Q_EMIT catalogChanged();
}

void Session::handleStepBegin(const QJsonObject& e)
{
    m_lastStep = e.value(QLatin1String("step")).toInt();
    m_lastBegin = e;
    m_stepCalls.clear();
    m_lastChecks.clear();
    m_running = true;
    m_runningFlat = navigatorStepOf(e);
    if (e.value(QLatin1String("where")).toString() == QLatin1String("lab"))
        startFreshLab(e);
    if (m_runningFlat >= 0) {
        // The lab moved to another lesson: that lesson starts over.
        const int g = m_navigator.groupOf(m_runningFlat);
        if (g != m_navigator.active()) {
            m_navigator.setActive(g);
            m_navigator.resetGroup(g);
        }
    }
    m_lastFlat = m_runningFlat;
    m_navigator.setStatus(m_runningFlat, StepStatus::Running);
    Q_EMIT stepBegan(m_runningFlat, e);
}

// Where the step is in the navigator: its lesson and index, or (recordings made before
// the engine said them) its stage and id.
int Session::navigatorStepOf(const QJsonObject& begin) const
{
    if (begin.contains(QLatin1String("lesson")) && begin.contains(QLatin1String("index")))
        return m_navigator.flatIndexOfStep(begin.value(QLatin1String("lesson")).toString(),
                                           begin.value(QLatin1String("index")).toInt());
    return m_navigator.flatIndexOf(begin.value(QLatin1String("stage")).toString(),
                                   begin.value(QLatin1String("id")).toString());
}

void Session::startFreshLab(const QJsonObject& begin)
{
    m_copyUp.clear(); // a fresh container: a fresh upper layer
    // A reset (not a lesson's step): for another lesson, that lesson starts and the one
    // left keeps its marks; otherwise the active lesson starts over.
    if (m_runningFlat >= 0)
        return;
    const int next =
        m_navigator.groupIndex(begin.value(QLatin1String("op")).toObject().value(QLatin1String("lesson")).toString());
    if (next >= 0)
        m_navigator.setActive(next);
    m_navigator.resetGroup(m_navigator.active());
}

void Session::handleStepEnd(const QJsonObject& e)
{
    m_running = false;
    const bool passed = e.value(QLatin1String("passed")).toBool();
    if (m_runningFlat >= 0) {
        m_results.insert(m_runningFlat, StepResult{m_lastBegin, e, m_lastChecks});
        m_navigator.setStatus(m_runningFlat, passed ? StepStatus::Passed : StepStatus::Failed);
        m_navigator.setCurrent(m_runningFlat + 1);
    }
    if (m_lastBegin.value(QLatin1String("stage")).toString() == QLatin1String("console"))
        emitConsoleOutput(e);
    const int flat = m_runningFlat;
    m_runningFlat = -1;
    Q_EMIT stepEnded(flat, e);
}

void Session::emitConsoleOutput(const QJsonObject& end)
{
    const QJsonObject data = end.value(QLatin1String("data")).toObject();
    const QString out = data.value(QLatin1String("stdout")).toString();
    const QString err = data.value(QLatin1String("stderr")).toString();
    if (!out.isEmpty())
        Q_EMIT consoleOutput(out, false);
    if (!err.isEmpty())
        Q_EMIT consoleOutput(err, true);
    if (!end.value(QLatin1String("ok")).toBool())
        Q_EMIT consoleOutput(end.value(QLatin1String("error")).toString() + QLatin1Char('\n'), true);
    else if (data.value(QLatin1String("exit_code")).toInt() != 0)
        Q_EMIT consoleOutput(tr("[exit status %1]\n").arg(data.value(QLatin1String("exit_code")).toInt()), true);
}

void Session::handleTable(const QJsonObject& e)
{
    const bool host = e.value(QLatin1String("view")).toString() == QLatin1String("host");
    QVector<MountRow> rows;
    const QJsonArray mounts = e.value(QLatin1String("mounts")).toArray();
    rows.reserve(mounts.size());
    for (const QJsonValue& v : mounts)
        rows << mountFromJson(v.toObject());
    MountForest& forest = host ? m_hostForest : m_containerForest;
    const quint64 mntns = quint64(e.value(QLatin1String("mntns")).toInteger());
    const int viewPid = e.value(QLatin1String("pid")).toInt(-1);
    // Another namespace or process: what was outside the last one's root is not this one's.
    if (mntns != forest.mntns || viewPid != forest.viewPid)
        forest.forgetOutsideRoot();
    forest.setMounts(rows);
    forest.mntns = mntns;
    forest.viewPid = viewPid;
    forest.viewComm = e.value(QLatin1String("comm")).toString().left(64);
    learnNamespace(forest.mntns, host                 ? tr("lab host")
                                 : forest.viewPid > 0 ? tr("terminal's %1").arg(forest.viewComm)
                                                      : tr("container"));
    (host ? m_hostModel : m_containerModel).setForest(forest);
    Q_EMIT treesChanged(e.value(QLatin1String("step")).toInt());
}

void Session::handleDiff(const QJsonObject& e)
{
    const bool host = e.value(QLatin1String("view")).toString() == QLatin1String("host");
    MountForest& forest = host ? m_hostForest : m_containerForest;
    forest.applyDiff(diffFromJson(e), MountForest::stepMayMoveRoot(m_lastBegin, m_stepCalls));
    (host ? m_hostModel : m_containerModel).setForest(forest);
    Q_EMIT treesChanged(e.value(QLatin1String("step")).toInt());
}

void Session::handleTerminal(const QJsonObject& e)
{
    const QJsonValue idValue = e.value(QLatin1String("id"));
    if (!idValue.isDouble()) {
        Q_EMIT logMessage(QStringLiteral("warning"), tr("a terminal event without an id was ignored"));
        return;
    }
    const int id = idValue.toInt();
    if (e.value(QLatin1String("opened")).toBool()) {
        Q_EMIT terminalOpened(id, e.value(QLatin1String("where")).toString(),
                              e.value(QLatin1String("shell")).toString(), e.value(QLatin1String("pid")).toInt(-1));
    } else if (e.contains(QLatin1String("data"))) {
        // The PTY's bytes, kept exactly (invalid UTF-8 and all): the screen decides what they show.
        const QJsonValue data = e.value(QLatin1String("data"));
        const auto decoded =
            QByteArray::fromBase64Encoding(data.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!data.isString() || !decoded) {
            Q_EMIT logMessage(QStringLiteral("warning"),
                              tr("terminal %1: output that is not base64 was dropped").arg(id));
            return;
        }
        if (!decoded.decoded.isEmpty())
            Q_EMIT terminalData(id, decoded.decoded);
    } else if (e.value(QLatin1String("closed")).toBool()) {
        const QJsonValue exit = e.value(QLatin1String("exit"));
        Q_EMIT terminalClosed(id, exit.isDouble() ? exit.toInt() : -1, e.value(QLatin1String("reason")).toString());
    }
}

bool Session::saveRecording(const QString& path, QString* error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    for (const QByteArray& line : m_recorded) {
        f.write(line);
        f.write("\n");
    }
    if (!f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    return true;
}

} // namespace mountlab::gui
