// The lesson driver without a window or an agent: a Session fed the event stream's
// lines as the agent writes them, and an engine that records the commands it is asked
// to send (live) or a real EngineClient playing a recording (replay).
#include "engineclient.h"
#include "lessondriver.h"
#include "session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>

using namespace mountlab::gui;

namespace {

QByteArray line(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QJsonObject step(const QString& id, const QJsonObject& predict = {})
{
    QJsonObject s{{"id", id}, {"title", id}, {"shell", "true"}, {"text", "t"}, {"where", "container"}};
    if (!predict.isEmpty())
        s.insert("predict", predict);
    return s;
}

// Walkthrough (flat 0-2), then lesson "prop" (3-4; its first step asks a prediction).
QVector<QByteArray> catalogue()
{
    const QJsonObject predict{
        {"question", "Does the host see it?"}, {"choices", QJsonArray{"yes", "no"}}, {"answer", 0}, {"why", "shared"}};
    QJsonArray walk;
    for (int i = 0; i < 3; ++i)
        walk.append(QJsonObject{{"index", i},
                                {"stage", "s"},
                                {"id", QStringLiteral("w%1").arg(i)},
                                {"title", "w"},
                                {"explain", ""},
                                {"where", "container"}});
    return {line({{"kind", "session"}, {"v", 1}, {"host_mntns", 100}, {"trace", "none"}}),
            line({{"kind", "lesson"},
                  {"id", "prop"},
                  {"title", "Propagation"},
                  {"summary", "."},
                  {"steps", QJsonArray{step("leak", predict), step("private")}}}),
            line({{"kind", "walkthrough"},
                  {"stages", QJsonArray{QJsonObject{{"id", "s"}, {"title", "Stage"}}}},
                  {"steps", walk}})};
}

QByteArray begin(int n, const QString& lesson, int index, const QString& stage = QStringLiteral("s"))
{
    return line({{"kind", "step"},
                 {"phase", "begin"},
                 {"step", n},
                 {"stage", stage},
                 {"id", QStringLiteral("x%1").arg(n)},
                 {"lesson", lesson},
                 {"index", index},
                 {"where", "container"}});
}

QByteArray resetBegin(int n, const QString& lesson = {})
{
    QJsonObject op{{"op", "reset_lab"}};
    if (!lesson.isEmpty())
        op.insert("lesson", lesson);
    return line({{"kind", "step"},
                 {"phase", "begin"},
                 {"step", n},
                 {"stage", "lab"},
                 {"id", "reset-lab"},
                 {"where", "lab"},
                 {"op", op}});
}

QByteArray terminalBegin(int n)
{
    return line({{"kind", "step"},
                 {"phase", "begin"},
                 {"step", n},
                 {"stage", "terminal"},
                 {"id", "terminal"},
                 {"where", "container"}});
}

QByteArray end(int n)
{
    return line(
        {{"kind", "step"}, {"phase", "end"}, {"step", n}, {"ok", true}, {"passed", true}, {"data", QJsonObject{}}});
}

QJsonObject walkStep(int index) { return {{"cmd", "step"}, {"index", index}}; }
QJsonObject lessonStep(const QString& lesson, int index)
{
    return {{"cmd", "lesson-step"}, {"lesson", lesson}, {"index", index}};
}
QJsonObject resetLab() { return {{"cmd", "reset-lab"}}; }
QJsonObject resetLab(const QString& lesson) { return {{"cmd", "reset-lab"}, {"lesson", lesson}}; }

// A live agent that only says what it was asked.
class RecordingEngine : public LessonDriver::Engine {
public:
    QVector<QJsonObject> sent;
    [[nodiscard]] EngineClient::Mode mode() const override { return EngineClient::Mode::Live; }
    void send(const QJsonObject& command) override { sent << command; }
    [[nodiscard]] int replayPosition() const override { return 0; }
    [[nodiscard]] int replayFrameCount() const override { return 0; }
    [[nodiscard]] int frameOfStep(const QString&, int, const QString&, const QString&) const override { return -1; }
    void replayNext() override { QFAIL("a live lab plays no recording"); }
    void rewindReplay() override { QFAIL("a live lab plays no recording"); }
};

// A live session with the catalogue in, nothing run.
struct Live {
    Session session;
    RecordingEngine engine;
    LessonDriver driver{session, engine};
    int n = 0; // the engine's step numbers
    Live()
    {
        for (const QByteArray& l : catalogue())
            session.handleLine(l);
    }
    // The engine answers the last command it was sent: that step's begin and end.
    void answer()
    {
        const QJsonObject c = engine.sent.last();
        const QString cmd = c.value("cmd").toString();
        ++n;
        if (cmd == QLatin1String("reset-lab"))
            session.handleLine(resetBegin(n, c.value("lesson").toString()));
        else
            session.handleLine(
                begin(n, cmd == QLatin1String("step") ? QStringLiteral("walkthrough") : c.value("lesson").toString(),
                      c.value("index").toInt()));
        session.handleLine(end(n));
    }
};

} // namespace

class TestGuiLessonDriver : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runToStep_sendsOneCommandAtATime_theNextWhenItsStepEnded()
    {
        Live l;
        QSignalSpy idle(&l.driver, &LessonDriver::idleChanged);
        QCOMPARE(l.driver.nextStepToRun(), 0);
        l.driver.runToStep(2);
        QCOMPARE(l.engine.sent, (QVector<QJsonObject>{walkStep(0)}));
        QVERIFY(!l.driver.idle());
        QVERIFY(!l.driver.actions().run); // nothing more while the lab is busy
        l.answer();
        QCOMPARE(l.engine.sent.size(), 2);
        QCOMPARE(l.engine.sent.last(), walkStep(1));
        QCOMPARE(l.driver.shownStep(), -1); // steps still to come: the panel waits for the last
        l.answer();
        QCOMPARE(l.engine.sent.last(), walkStep(2));
        QCOMPARE(idle.size(), 0);
        l.answer();
        QCOMPARE(l.engine.sent.size(), 3);
        QVERIFY(l.driver.idle());
        QCOMPARE(idle.size(), 1);
        QCOMPARE(l.driver.shownStep(), 2);
        // The walkthrough done, Space goes on into the next lesson.
        QCOMPARE(l.driver.nextStepToRun(), 3);
        const LessonDriver::Actions can = l.driver.actions();
        QVERIFY(can.run && can.back && can.runTo && can.reset);
    }

    // Space after a lesson's last step keeps the lab as it is and shows the lesson's
    // summary; only Space on that summary (or Next lesson) starts the next lesson.
    void space_afterTheLessonsLastStep_showsItsSummary_thenTheNextLesson()
    {
        Live l;
        l.driver.runToStep(2);
        for (int i = 0; i < 3; ++i)
            l.answer();
        QCOMPARE(l.driver.shownStep(), 2);
        QVERIFY(l.driver.lessonDone());
        QCOMPARE(l.driver.nextLesson(), 1);
        QVERIFY(l.driver.actions().nextLesson);
        QSignalSpy told(&l.driver, &LessonDriver::message);
        l.driver.spaceKey();
        QCOMPARE(l.engine.sent.size(), 3); // nothing sent: the end state stays
        QCOMPARE(l.driver.overviewShown(), 0);
        QCOMPARE(told.size(), 1);
        QVERIFY(told[0][0].toString().contains(QLatin1String("Propagation")));
        l.driver.spaceKey(); // the next lesson's first step asks its prediction first
        QCOMPARE(l.engine.sent.size(), 3);
        QCOMPARE(l.driver.shownStep(), 3);
        l.driver.spaceKey();
        QCOMPARE(l.engine.sent.last(), resetLab("prop"));
        l.answer();
        QCOMPARE(l.engine.sent.last(), lessonStep("prop", 0));
        l.answer();
        QVERIFY(!l.driver.lessonDone());
        QVERIFY(!l.driver.actions().nextLesson);
        // The last lesson done: Next lesson has nowhere to go.
        l.driver.runNextStep();
        l.answer();
        QVERIFY(l.driver.lessonDone());
        QCOMPARE(l.driver.nextLesson(), -1);
        QVERIFY(!l.driver.actions().nextLesson);
        const int sent = int(l.engine.sent.size());
        l.driver.startNextLesson();
        QCOMPARE(int(l.engine.sent.size()), sent);
    }

    void nextLesson_startsItInAFreshLab()
    {
        Live l;
        l.driver.runToStep(2);
        for (int i = 0; i < 3; ++i)
            l.answer();
        l.driver.startNextLesson();
        QCOMPARE(l.engine.sent.last(), resetLab("prop"));
        l.answer();
        QCOMPARE(l.engine.sent.last(), lessonStep("prop", 0));
    }

    // After a reset the panel shows the lesson from its top, not the step it showed
    // beside "not run yet".
    void reset_showsTheLessonsOverview()
    {
        Live l;
        l.driver.runToStep(1);
        l.answer();
        l.answer();
        QCOMPARE(l.driver.shownStep(), 1);
        l.driver.reset();
        QCOMPARE(l.engine.sent.last(), resetLab());
        l.answer();
        QCOMPARE(l.driver.shownStep(), -1);
        QCOMPARE(l.driver.overviewShown(), 0);
        QCOMPARE(l.driver.nextStepToRun(), 0);
    }

    void nothingRuns_beforeTheCatalogueIsComplete()
    {
        Session session;
        RecordingEngine engine;
        LessonDriver driver(session, engine);
        const QVector<QByteArray> lines = catalogue();
        session.handleLine(lines[0]);
        session.handleLine(lines[1]); // a lesson, the walkthrough not yet
        driver.spaceKey();
        driver.runNextStep();
        QVERIFY(engine.sent.isEmpty());
        session.handleLine(lines[2]);
        driver.runNextStep();
        QCOMPARE(engine.sent, (QVector<QJsonObject>{walkStep(0)})); // the walkthrough's first, not the lesson's
    }

    void aStepOfAnotherLesson_startsThatLessonInAFreshLab()
    {
        Live l;
        l.driver.runToStep(4); // the lesson's second step
        QCOMPARE(l.engine.sent, (QVector<QJsonObject>{resetLab("prop")}));
        l.answer();
        QCOMPARE(l.session.navigator()->active(), 1);
        QCOMPARE(l.engine.sent.last(), lessonStep("prop", 0));
        l.answer();
        QCOMPARE(l.engine.sent.last(), lessonStep("prop", 1));
        l.answer();
        QCOMPARE(l.engine.sent.size(), 3);
        QCOMPARE(l.driver.shownStep(), 4);
        // A step already run means the lesson from its start again.
        l.driver.runToStep(3);
        QCOMPARE(l.engine.sent.last(), resetLab("prop"));
        l.answer();
        QCOMPARE(l.engine.sent.last(), lessonStep("prop", 0));
    }

    void showingAnotherLesson_makesSpaceStartIt()
    {
        Live l;
        l.driver.showGroup(1);
        QCOMPARE(l.driver.shownGroup(), 1);
        QCOMPARE(l.driver.overviewShown(), 1);
        QCOMPARE(l.driver.shownStep(), -1);
        QCOMPARE(l.driver.nextStepToRun(), 3);
        l.driver.showGroup(7); // no such lesson: nothing changes
        QCOMPARE(l.driver.shownGroup(), 1);
        l.driver.showStep(1);
        QCOMPARE(l.driver.overviewShown(), -1);
        QCOMPARE(l.driver.nextStepToRun(), 0);
    }

    void back_runsTheLessonAgainUpToTheStepBeforeTheLast()
    {
        Live l;
        QVERIFY(!l.driver.actions().back); // nothing run: nothing to undo
        l.driver.runToStep(1);
        l.answer();
        l.answer();
        QCOMPARE(l.session.navigator()->current(), 2);
        l.driver.back();
        QCOMPARE(l.engine.sent.last(), resetLab());
        l.answer();
        QCOMPARE(l.engine.sent.last(), walkStep(0));
        l.answer();
        QCOMPARE(l.engine.sent.size(), 4);
        QCOMPARE(l.session.navigator()->current(), 1);
        QVERIFY(l.driver.idle());
        l.driver.reset();
        QCOMPARE(l.engine.sent.last(), resetLab());
    }

    void aTerminalsStep_doesNotMoveTheQueue()
    {
        Live l;
        l.driver.runToStep(1);
        QCOMPARE(l.engine.sent.size(), 1);
        // The shell's commands changed the tables: the engine's own pseudo-step.
        l.session.handleLine(terminalBegin(++l.n));
        l.session.handleLine(end(l.n));
        QCOMPARE(l.engine.sent.size(), 1);
        l.answer();
        QCOMPARE(l.engine.sent.last(), walkStep(1));
    }

    void theEngineStopping_dropsWhatWasQueued()
    {
        Live l;
        l.driver.runToStep(2);
        QVERIFY(!l.driver.idle());
        l.driver.engineStopped();
        QVERIFY(l.driver.idle());
        l.answer(); // a late answer sends nothing more
        QCOMPARE(l.engine.sent.size(), 1);
    }

    void space_asksThePredictionFirst_thenRunsTheStep()
    {
        Live l;
        l.driver.showGroup(1); // the lesson whose first step asks
        QSignalSpy asked(&l.driver, &LessonDriver::predictionAsked);
        QSignalSpy message(&l.driver, &LessonDriver::message);
        l.driver.spaceKey();
        QVERIFY(l.engine.sent.isEmpty());
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.front().front().toInt(), 3);
        QCOMPARE(l.driver.shownStep(), 3);
        QVERIFY(message.last().front().toString().startsWith(QStringLiteral("Predict first: press 1–2")));
        l.driver.choosePrediction(5); // no such choice
        QCOMPARE(l.driver.predictionOf(3), -1);
        l.driver.choosePrediction(1);
        QCOMPARE(l.driver.predictionOf(3), 1);
        QVERIFY(message.last().front().toString().startsWith(QLatin1String("Prediction 2 noted")));
        l.driver.spaceKey();
        QCOMPARE(asked.size(), 1);
        QCOMPARE(l.engine.sent, (QVector<QJsonObject>{resetLab("prop")}));
        l.answer();
        l.answer();
        QCOMPARE(l.session.navigator()->step(3).status, StepStatus::Passed);
        // The kernel has answered: the choice stays as it was, and is told once.
        l.driver.choosePrediction(0);
        QCOMPARE(l.driver.predictionOf(3), 1);
        QVERIFY(l.driver.takeAnswerTold(3));
        QVERIFY(!l.driver.takeAnswerTold(3));
        // A new session asks every question afresh.
        l.driver.clear();
        QCOMPARE(l.driver.predictionOf(3), -1);
        QVERIFY(l.driver.takeAnswerTold(3));
    }

    void space_twiceWithoutAChoice_runsTheStepAnyway()
    {
        Live l;
        l.driver.showStep(3);
        l.driver.spaceKey();
        QVERIFY(l.engine.sent.isEmpty());
        l.driver.spaceKey();
        QCOMPARE(l.engine.sent, (QVector<QJsonObject>{resetLab("prop")}));
        QCOMPARE(l.driver.predictionOf(3), -1);
    }

    void replay_runToStep_playsFramesUpToIt_backAndResetRewind()
    {
        QVector<QByteArray> lines = catalogue();
        for (int i = 0; i < 3; ++i)
            lines << begin(i + 1, "walkthrough", i) << end(i + 1);
        Session session;
        EngineClient client;
        QObject::connect(&client, &EngineClient::lineReceived, &session, &Session::handleLine);
        LessonDriver::ClientEngine engine(client);
        LessonDriver driver(session, engine);
        QSignalSpy rewinding(&driver, &LessonDriver::rewinding);
        client.openRecording(Recording::fromLines(lines));
        QCOMPARE(client.replayFrameCount(), 4);
        QCOMPARE(client.replayPosition(), 1);
        QVERIFY(driver.actions().run);
        QVERIFY(!driver.actions().back);

        driver.runToStep(2);
        QTRY_COMPARE(client.replayPosition(), 4);
        QCOMPARE(session.navigator()->step(2).status, StepStatus::Passed);
        QCOMPARE(driver.shownStep(), 2);
        QVERIFY(!driver.actions().run); // the recording is over
        QCOMPARE(rewinding.size(), 0);

        driver.back();
        QCOMPARE(rewinding.size(), 1);
        QTRY_COMPARE(client.replayPosition(), 3);
        QTest::qWait(20); // and no further
        QCOMPARE(client.replayPosition(), 3);
        QCOMPARE(session.navigator()->step(1).status, StepStatus::Passed);
        QCOMPARE(session.navigator()->step(2).status, StepStatus::NotRun);

        // A step behind the position: from the start again, up to it.
        driver.runToStep(0);
        QCOMPARE(rewinding.size(), 2);
        QTRY_COMPARE(client.replayPosition(), 2);
        QCOMPARE(session.navigator()->step(1).status, StepStatus::NotRun);

        driver.reset();
        QCOMPARE(rewinding.size(), 3);
        QCOMPARE(client.replayPosition(), 1);
        QCOMPARE(session.navigator()->step(0).status, StepStatus::NotRun);

        driver.runNextStep();
        QCOMPARE(client.replayPosition(), 2);
    }

    // A new session mid-way through "Run to here" (another recording opened) does not
    // go on playing the new recording toward the old target.
    void replay_aNewSession_forgetsTheOldTarget()
    {
        QVector<QByteArray> lines = catalogue();
        for (int i = 0; i < 3; ++i)
            lines << begin(i + 1, "walkthrough", i) << end(i + 1);
        Session session;
        EngineClient client;
        QObject::connect(&client, &EngineClient::lineReceived, &session, &Session::handleLine);
        LessonDriver::ClientEngine engine(client);
        LessonDriver driver(session, engine);
        client.openRecording(Recording::fromLines(lines));
        driver.runToStep(2);
        QVERIFY(client.replayPosition() < 4); // still playing toward it
        driver.clear();
        client.openRecording(Recording::fromLines(lines));
        QCOMPARE(client.replayPosition(), 1);
        QTest::qWait(100);
        QCOMPARE(client.replayPosition(), 1);
    }

    void replay_aStepTheRecordingNeverRan_isSaidSo()
    {
        QVector<QByteArray> lines = catalogue();
        lines << begin(1, "walkthrough", 0) << end(1);
        Session session;
        EngineClient client;
        QObject::connect(&client, &EngineClient::lineReceived, &session, &Session::handleLine);
        LessonDriver::ClientEngine engine(client);
        LessonDriver driver(session, engine);
        QSignalSpy message(&driver, &LessonDriver::message);
        client.openRecording(Recording::fromLines(lines));
        driver.runToStep(4);
        QCOMPARE(message.size(), 1);
        QCOMPARE(message.front().front().toString(), QStringLiteral("This recording never ran that step."));
        QCOMPARE(client.replayPosition(), 1);
    }
};

QTEST_GUILESS_MAIN(TestGuiLessonDriver)
#include "tst_gui_lessondriver.moc"
