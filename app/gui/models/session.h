// Everything the GUI knows, built from the event stream alone: the navigator, the two
// mount trees and their diffs, the trace, copy-ups, the terminals. A live agent and a
// replayed recording feed the same lines, so they give the same views.
#pragma once

#include "copyupmodel.h"
#include "mounttreemodel.h"
#include "navigatormodel.h"
#include "practicemodel.h"
#include "tracemodel.h"
#include "trymodel.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

namespace mountlab::gui {

class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);

    // A recording is someone else's file: what one session takes from it is capped
    // (a live agent stays far below). Past a cap the rest is dropped and logMessage says so once.
    static constexpr int kMaxLessons = 1000;             // "lesson" events
    static constexpr int kMaxEvents = 500000;            // lines of any kind
    static constexpr qsizetype kMaxLineBytes = 16 << 20; // one event (a 10,000-mount table is ~3 MB)

    // One event-stream line (from the agent, or a recording).
    void handleLine(const QByteArray& line);
    // A "syscall" line from a separate tracer of the whole machine: kept only when it
    // happened in one of the lab's mount namespaces.
    void handleTraceLine(const QByteArray& line);
    // Forget everything (a new agent, or replaying from the start).
    void clear();

    NavigatorModel* navigator() { return &m_navigator; }
    [[nodiscard]] const NavigatorModel* navigator() const { return &m_navigator; }
    MountTreeModel* hostModel() { return &m_hostModel; }
    MountTreeModel* containerModel() { return &m_containerModel; }
    TraceModel* trace() { return &m_trace; }
    CopyUpModel* copyUp() { return &m_copyUp; }
    // The exercise being practised (the "practice", "practice-grade" and "command" events).
    PracticeModel* practice() { return &m_practice; }
    [[nodiscard]] const PracticeModel* practice() const { return &m_practice; }
    // The step the learner tries by typing its command (the "try" events).
    TryModel* tryModel() { return &m_try; }
    [[nodiscard]] const TryModel* tryModel() const { return &m_try; }
    [[nodiscard]] const MountForest& host() const { return m_hostModel.forest(); }
    [[nodiscard]] const MountForest& container() const { return m_containerModel.forest(); }

    [[nodiscard]] QJsonObject sessionInfo() const { return m_session; }
    [[nodiscard]] bool rootless() const { return m_session.value(QLatin1String("rootless")).toBool(); }
    [[nodiscard]] QString traceSource() const;
    [[nodiscard]] int lastStep() const { return m_lastStep; }
    // The navigator step that began last (-1: a console command, a reset).
    [[nodiscard]] int lastFlat() const { return m_lastFlat; }
    // The running or last-run step's begin event.
    [[nodiscard]] QJsonObject lastBegin() const { return m_lastBegin; }
    // What a navigator step did the last time it ran (empty `end` when it has not).
    struct StepResult {
        QJsonObject begin, end;
        QVector<QJsonObject> checks;
    };
    [[nodiscard]] StepResult resultOf(int flat) const { return m_results.value(flat); }
    [[nodiscard]] bool busy() const { return m_running; }
    // The live catalogue is complete: the walkthrough came (after the lessons). Until
    // then a step's place in the navigator is not yet final.
    [[nodiscard]] bool catalogueComplete() const { return m_walkthroughSeen; }

    // Every line received, in order: saved as a recording (.jsonl).
    [[nodiscard]] const QVector<QByteArray>& recorded() const { return m_recorded; }
    bool saveRecording(const QString& path, QString* error = nullptr) const;

Q_SIGNALS:
    void sessionStarted();
    void walkthroughLoaded(); // the walkthrough arrived (live, after the lessons: the catalogue is complete)
    void catalogChanged();    // a lesson or the walkthrough was added to the navigator
    void stepBegan(int flat, const QJsonObject& event); // flat: -1 when not a navigator step
    void stepEnded(int flat, const QJsonObject& event);
    void treesChanged(int step); // after a table or diff
    void syscallAdded(int row);
    void copyUpAdded(int step);
    void consoleOutput(const QString& text, bool isError);
    // A terminal's life ("terminal" events): opened, the bytes its PTY wrote (decoded
    // from base64, exactly as they came), closed. `exitStatus` is -1 when the engine
    // gave none (a reset); `reason` is "exit", "closed" or "reset".
    void terminalOpened(int id, const QString& where, const QString& shell, int pid);
    void terminalData(int id, const QByteArray& bytes);
    void terminalClosed(int id, int exitStatus, const QString& reason);
    void checkReported(const QJsonObject& event);
    void logMessage(const QString& level, const QString& message);
    void engineError(const QString& message, bool fatal);
    void summaryReceived(const QJsonObject& event);
    // Every event, after the session took it in (the progress store's feed).
    void eventSeen(const QJsonObject& event);

private:
    void handleEvent(const QJsonObject& e, const QByteArray& line);
    // One handler per kind of event (handleEvent dispatches).
    void handleSession(const QJsonObject& e);
    void handleWalkthrough(const QJsonObject& e);
    void handleLesson(const QJsonObject& e);
    void handleStepBegin(const QJsonObject& e);
    void handleStepEnd(const QJsonObject& e);
    void handleTable(const QJsonObject& e);
    void handleDiff(const QJsonObject& e);
    [[nodiscard]] int navigatorStepOf(const QJsonObject& begin) const;
    void startFreshLab(const QJsonObject& begin);
    void emitConsoleOutput(const QJsonObject& end);
    void handleTerminal(const QJsonObject& e);
    void learnNamespace(quint64 ns, const QString& name);
    // False (with one warning per kind of cap) when the line is past a cap.
    bool withinCaps(const QByteArray& line);
    void warnOnce(bool& warned, const QString& message);

    NavigatorModel m_navigator;
    MountTreeModel m_hostModel;
    MountTreeModel m_containerModel;
    TraceModel m_trace;
    CopyUpModel m_copyUp;
    PracticeModel m_practice;
    TryModel m_try;
    MountForest m_hostForest;
    MountForest m_containerForest;

    QJsonObject m_session;
    QJsonObject m_lastBegin;
    QSet<QString> m_stepCalls; // the names of the calls traced in the running step
    QVector<QJsonObject> m_lastChecks;
    QHash<int, StepResult> m_results; // by navigator step
    int m_lastStep = 0;
    int m_runningFlat = -1;
    int m_lastFlat = -1;
    bool m_running = false;
    bool m_walkthroughSeen = false;
    QSet<quint64> m_labNamespaces;
    QVector<QByteArray> m_recorded;
    int m_events = 0;
    int m_lessons = 0;
    bool m_warnedEvents = false, m_warnedLessons = false, m_warnedLine = false, m_warnedCopyUps = false;
};

} // namespace mountlab::gui
