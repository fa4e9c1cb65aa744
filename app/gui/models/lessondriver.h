// The lesson's driver: what Space, Back, Reset and "Run to here" ask of the engine, and
// what the step panel shows. It queues the agent's commands (one at a time: the next
// goes when the last one's step ended), picks the next step to run, plays a recording up
// to a target frame, and keeps the learner's predictions. QtCore only: no widget here,
// so tests drive it with the event stream alone.
#pragma once

#include "engineclient.h"
#include "session.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QQueue>
#include <QSet>

#include <utility>

namespace mountlab::gui {

class LessonDriver : public QObject {
    Q_OBJECT
public:
    // What the driver asks of the engine. EngineClient is the real one (ClientEngine);
    // a test gives one that records what it was asked.
    class Engine {
    public:
        virtual ~Engine() = default;
        [[nodiscard]] virtual EngineClient::Mode mode() const = 0;
        virtual void send(const QJsonObject& command) = 0; // live: one command line
        [[nodiscard]] virtual int replayPosition() const = 0;
        [[nodiscard]] virtual int replayFrameCount() const = 0;
        [[nodiscard]] virtual int frameOfStep(const QString& lesson, int index, const QString& stage,
                                              const QString& id) const = 0;
        virtual void replayNext() = 0;
        virtual void rewindReplay() = 0;
    };
    class ClientEngine : public Engine {
    public:
        explicit ClientEngine(EngineClient& client) : m_client(client) {}
        [[nodiscard]] EngineClient::Mode mode() const override { return m_client.mode(); }
        void send(const QJsonObject& command) override { m_client.send(command); }
        [[nodiscard]] int replayPosition() const override { return m_client.replayPosition(); }
        [[nodiscard]] int replayFrameCount() const override { return m_client.replayFrameCount(); }
        [[nodiscard]] int frameOfStep(const QString& lesson, int index, const QString& stage,
                                      const QString& id) const override
        {
            return m_client.frameOfStep(lesson, index, stage, id);
        }
        void replayNext() override { m_client.replayNext(); }
        void rewindReplay() override { m_client.rewindReplay(); }

    private:
        EngineClient& m_client;
    };

    // Both must outlive the driver.
    LessonDriver(Session& session, Engine& engine, QObject* parent = nullptr);

    // A new session (live or a recording): nothing queued, nothing shown, every
    // question asked afresh. (A reset or Back in the same session keeps the predictions.)
    void clear();
    // The agent exited: what was queued for it is dropped.
    void engineStopped();

    // True when no command is waiting for the engine (the views show the last step).
    [[nodiscard]] bool idle() const;

    // The step the step panel shows (-1: none), or the lesson whose overview it shows.
    [[nodiscard]] int shownStep() const { return m_shownStep; }
    [[nodiscard]] bool showsNothing() const { return m_shownStep < 0 && m_shownGroup < 0; }
    // The lesson whose overview the panel shows (-1: a step, or nothing).
    [[nodiscard]] int overviewShown() const { return m_shownStep < 0 ? m_shownGroup : -1; }
    // The lesson shown (its overview, or one of its steps); else the active one.
    [[nodiscard]] int shownGroup() const;
    void showStep(int flat);
    void showGroup(int group);
    // The panel shows no step (explore mode); the lesson it showed stays.
    void unshowStep() { m_shownStep = -1; }

    // What Space runs now (a flat navigator index; stepCount() when nothing is left): the
    // shown lesson's, i.e. the active lesson's next step or another lesson's first.
    [[nodiscard]] int nextStepToRun() const;

    // The navigator's actions. Live, they queue commands; in a replay they play frames.
    void runNextStep();
    void runToStep(int flat);
    // Space: runNextStep(), but a step that asks a prediction asks it first. The first
    // press on it shows the question (when none is chosen); the second runs it. After a
    // lesson's last step it shows the lesson's summary (what ran, its exercises) and keeps
    // the lab; Space on that summary starts the next lesson.
    void spaceKey();
    // Every step of the active lesson has run (live): the lab is in its end state.
    [[nodiscard]] bool lessonDone() const;
    // The lesson after the active one (-1: none).
    [[nodiscard]] int nextLesson() const;
    // The next lesson's first step, in a fresh lab.
    void startNextLesson();
    void back();
    // A fresh lab: nothing run. The panel shows the lesson from its top (its overview).
    void reset();

    // The learner's prediction for the shown step (0-based), only before it ran.
    void choosePrediction(int choice);
    // The choice made for a navigator step, -1 for none.
    [[nodiscard]] int predictionOf(int flat) const;
    // True the first time it is asked for a step: its answer is told once.
    bool takeAnswerTold(int flat);

    // Try it yourself (live): the learner types the shown step's command in its terminal
    // (its `where`) instead of Run; the step's checks judge the learner's state after each
    // command, and when they all hold the engine records the step as done. False (with a
    // message) when the lab cannot take a try now.
    bool tryShownStep();
    // The try under way ends (the engine judges no more); nothing when none is.
    void stopTry();
    // A try of the shown step is under way.
    [[nodiscard]] bool tryingShown() const;
    // The shown step can be tried now (live, idle, a step with a shell line). A step that
    // is not the next of the lesson the lab is in gets the lab there first (a fresh lab
    // and the steps before it, as Run to here does), then its try.
    [[nodiscard]] bool canTryShown() const;
    // True once after stopTry() sent a stop (the try that ends next ended on request).
    bool takeStopAsked() { return std::exchange(m_stopAsked, false); }
    // A try passed in a program the terminal's shell started ("PID comm": the shell of
    // `unshare --mount bash`, say), not in the shell itself: what that program changed
    // in its own namespaces or root is not the lab's container process's, which Run
    // works in. "" when not so (or since a fresh lab).
    [[nodiscard]] QString typedIn() const { return m_typedIn; }

    // A replayed frame with no step to end it (a shell opening) is in: play on to the
    // target, if there is one.
    void frameWithoutStepDelivered();

    // What the learner can do now (the step panel's buttons).
    struct Actions {
        bool run = false, back = false, runTo = false, reset = false, nextLesson = false, tryIt = false;
    };
    [[nodiscard]] Actions actions() const;

    // A step that asks a prediction; asksPrediction() says whether it does.
    [[nodiscard]] static bool asksPrediction(const NavStep& s);

Q_SIGNALS:
    void idleChanged(bool idle);
    // The step or lesson shown changed.
    void shownChanged();
    // The queue, a prediction or a replay moved: what the panel says follows.
    void stateChanged();
    // A step ended and the driver took it in (before it sends the next command).
    void stepSettled(int flat);
    // A step the driver ran has ended in the live lab, and the next command goes now.
    void liveStepDone();
    // Space asked the prediction of step `flat` (the question wants to be in view).
    void predictionAsked(int flat);
    // The learner answered a step's prediction (kept in the progress file).
    void predictionChosen(const QString& lesson, int index, const QString& stepId, const QString& choice, bool correct);
    // A replay goes back to frame 0: the session is empty, the views must follow now.
    void rewinding();
    void message(const QString& text, int timeoutMs);

private:
    [[nodiscard]] bool live() const { return m_engine.mode() == EngineClient::Mode::Live; }
    [[nodiscard]] bool replay() const { return m_engine.mode() == EngineClient::Mode::Replay; }
    [[nodiscard]] QJsonObject stepCommand(int flat) const;
    // Queues what brings the lab to just before `flat` runs (a fresh lab when another
    // lesson, or an earlier step, is asked for; then the steps before it); `inclusive`:
    // and `flat` itself. False when nothing can be queued now.
    bool queueUpTo(int flat, bool inclusive);
    void stopTryOfOtherStep(); // the shown step changed: a try of another one ends
    void enqueue(const QJsonObject& command);
    void sendNext();
    void onStepEnded(int flat);
    void replayToStep(int flat);
    void rewind();
    void advanceReplay();

    Session& m_session;
    Engine& m_engine;
    QQueue<QJsonObject> m_queue;
    bool m_waiting = false; // a command was sent and its step has not ended
    int m_shownStep = -1;
    int m_shownGroup = -1;
    int m_replayTarget = -1;         // frames to have played (Run to here, Back)
    QHash<QString, int> m_predicted; // "lesson/index" -> the choice the learner made
    QString m_predictAsked;          // the step whose prediction Space asked for once
    QSet<QString> m_predictTold;     // the steps whose answer was told
    QString m_typedIn;               // typedIn()
    bool m_stopAsked = false;        // takeStopAsked()
};

} // namespace mountlab::gui
