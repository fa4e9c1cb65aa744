// Try it yourself (issue #16): instead of Run, the learner types the shown step's command
// in its terminal; the step's checks judge the learner's state after each command and
// the navigator ticks the step when they all hold. First with the events fed as the
// agent writes them (the commands the GUI sends go to a stand-in agent that writes them
// down); then (root) against the real agent: a command that does not do the step leaves
// its checks red, the step's line typed with Ctrl+Shift+I and Enter ticks it.
#include "guiagents.h"
#include "mainwindow.h"
#include "modelevents.h"
#include "mounttreeview.h"
#include "practiceevents.h"
#include "stepmarks.h"
#include "steppanel.h"
#include "terminalwidget.h"
#include "testutil.h"

#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTreeView>
#include <QtTest>

using namespace mountlab::gui;
using namespace mountlab::gui::test;

namespace {

QJsonObject tryEvent(bool active, const QString& reason, int commands, bool firstHolds, bool passed = false)
{
    const QJsonArray checks{
        QJsonObject{{QStringLiteral("name"), QStringLiteral("the container has tmpfs on /mnt/leak")},
                    {QStringLiteral("passed"), firstHolds},
                    {QStringLiteral("live"), true},
                    {QStringLiteral("message"), firstHolds ? QStringLiteral("tmpfs on /mnt/leak")
                                                           : QStringLiteral("nothing is mounted on /mnt/leak")}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("the lab host's table is unchanged")},
                    {QStringLiteral("passed"), true},
                    {QStringLiteral("live"), true},
                    {QStringLiteral("message"), QStringLiteral("holds already")}}};
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("try")},
                       {QStringLiteral("active"), active},
                       {QStringLiteral("lesson"), QStringLiteral("propagation")},
                       {QStringLiteral("index"), 0},
                       {QStringLiteral("id"), QStringLiteral("leak")},
                       {QStringLiteral("title"), QStringLiteral("A mount leaks")},
                       {QStringLiteral("shell"), QStringLiteral("mount -t tmpfs leak /mnt/leak")},
                       {QStringLiteral("where"), QStringLiteral("container")},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("passed"), passed},
                       {QStringLiteral("commands"), commands},
                       {QStringLiteral("view"), QString()},
                       {QStringLiteral("checks"), active || passed ? checks : QJsonArray{}}};
}

// The step the engine records when every check held: as a step of its own.
QList<QByteArray> typedStep(int step)
{
    const QJsonObject begin{
        {QStringLiteral("kind"), QStringLiteral("step")},
        {QStringLiteral("phase"), QStringLiteral("begin")},
        {QStringLiteral("step"), step},
        {QStringLiteral("stage"), QStringLiteral("propagation")},
        {QStringLiteral("lesson"), QStringLiteral("propagation")},
        {QStringLiteral("index"), 0},
        {QStringLiteral("id"), QStringLiteral("leak")},
        {QStringLiteral("title"), QStringLiteral("A mount leaks")},
        {QStringLiteral("where"), QStringLiteral("container")},
        {QStringLiteral("op"),
         QJsonObject{{QStringLiteral("op"), QStringLiteral("typed")},
                     {QStringLiteral("commands"), QJsonArray{QStringLiteral("mount -t tmpfs leak /mnt/leak")}}}}};
    const QJsonObject check{{QStringLiteral("kind"), QStringLiteral("check")},
                            {QStringLiteral("step"), step},
                            {QStringLiteral("name"), QStringLiteral("the container has tmpfs on /mnt/leak")},
                            {QStringLiteral("passed"), true},
                            {QStringLiteral("message"), QStringLiteral("tmpfs on /mnt/leak")}};
    const QJsonObject end{{QStringLiteral("kind"), QStringLiteral("step")},
                          {QStringLiteral("phase"), QStringLiteral("end")},
                          {QStringLiteral("step"), step},
                          {QStringLiteral("ok"), true},
                          {QStringLiteral("passed"), true},
                          {QStringLiteral("duration_us"), 1200}};
    return {practice_events::compact(begin), practice_events::compact(check), practice_events::compact(end)};
}

} // namespace

class TestGuiTry : public QObject {
    Q_OBJECT
    gui_agents::StandInAgent m_agent;

    [[nodiscard]] QVector<QJsonObject> sent() const { return m_agent.sent(); }
    [[nodiscard]] int sentCount(const QString& cmd) const { return m_agent.sentCount(cmd); }

    MainWindow* standInWindow()
    {
        auto* w = new MainWindow;
        w->resize(1366, 768);
        w->show();
        w->activateWindow();
        if (!QTest::qWaitForWindowActive(w))
            return w;
        w->startLive(EngineClient::Tracing::None);
        w->session()->handleLine(kLessonPropagation);
        w->session()->handleLine(kWalkthrough); // the catalogue is complete
        // The lab is in the propagation lesson, nothing run: its first step comes next.
        w->session()->handleLine(practice_events::compact(QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("step")},
            {QStringLiteral("phase"), QStringLiteral("begin")},
            {QStringLiteral("step"), 1},
            {QStringLiteral("stage"), QStringLiteral("lab")},
            {QStringLiteral("id"), QStringLiteral("reset-lab")},
            {QStringLiteral("where"), QStringLiteral("lab")},
            {QStringLiteral("op"), QJsonObject{{QStringLiteral("op"), QStringLiteral("reset_lab")},
                                               {QStringLiteral("lesson"), QStringLiteral("propagation")}}}}));
        w->session()->handleLine(practice_events::compact(QJsonObject{{QStringLiteral("kind"), QStringLiteral("step")},
                                                                      {QStringLiteral("phase"), QStringLiteral("end")},
                                                                      {QStringLiteral("step"), 1},
                                                                      {QStringLiteral("ok"), true},
                                                                      {QStringLiteral("passed"), true}}));
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_agent.install());
        qputenv("MOUNTLAB_PROGRESS_FILE", (m_agent.dir() + QStringLiteral("/progress.json")).toUtf8());
    }

    void cleanup() { m_agent.forget(); }

    // Typing in the terminal: Ctrl+Shift+T reaches the window (the try), Ctrl+T and
    // Ctrl+I (Tab) stay the shell's.
    void inTheTerminal_ctrlShiftT_isTheWindows_ctrlTAndI_theShells()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        w->driver()->showStep(w->session()->navigator()->flatIndexOfStep(QStringLiteral("propagation"), 0));
        w->showTerminal(QStringLiteral("container"));
        TerminalWidget* term = w->terminalIn(QStringLiteral("container"));
        QVERIFY(term);
        term->setAttached(true);
        term->setFocus(Qt::OtherFocusReason);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(term));
        QSignalSpy input(term, &TerminalWidget::input);
        QTest::keyClick(term, Qt::Key_T, Qt::ControlModifier);
        QTest::keyClick(term, Qt::Key_I, Qt::ControlModifier);
        QCOMPARE(input.size(), 2);
        QCOMPARE(input[0].first().toByteArray(), QByteArray("\x14"));
        QCOMPARE(input[1].first().toByteArray(), QByteArray("\t"));
        QCOMPARE(sentCount(QStringLiteral("try")), 0);
        QTest::keyClick(term, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(sentCount(QStringLiteral("try")), 1);
        QCOMPARE(input.size(), 2); // nothing went to the shell
    }

    void tryButton_sendsTheShownStep_andTheChecklistFollowsTheEvents_untilTheStepIsTicked()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        NavigatorModel* nav = w->session()->navigator();
        const int flat = nav->flatIndexOfStep(QStringLiteral("propagation"), 0);
        QVERIFY(flat >= 0);
        w->driver()->showStep(flat);
        QPushButton* button = w->stepPanel()->tryButton();
        QVERIFY(button->isVisible());
        QTRY_VERIFY(button->isEnabled());
        QVERIFY2(button->text().contains(QLatin1String("Try it yourself")), qPrintable(button->text()));
        // Ctrl+Shift+T (the window's key) sends the try of the shown step.
        QTest::keyClick(w.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(sentCount(QStringLiteral("try")), 1);
        QJsonObject cmd;
        for (const QJsonObject& o : sent())
            if (o.value(QLatin1String("cmd")).toString() == QLatin1String("try"))
                cmd = o;
        QCOMPARE(cmd.value(QLatin1String("lesson")).toString(), QStringLiteral("propagation"));
        QCOMPARE(cmd.value(QLatin1String("index")).toInt(), 0);

        // The try's start: the checklist, red where it does not hold.
        QSignalSpy started(w->session()->tryModel(), &TryModel::started);
        w->session()->handleLine(practice_events::compact(tryEvent(true, QStringLiteral("start"), 0, false)));
        QCOMPARE(started.size(), 1);
        QVERIFY(w->driver()->tryingShown());
        QVERIFY2(button->text().contains(QLatin1String("Stop trying")), qPrintable(button->text()));
        QString result = w->stepResultText();
        QVERIFY2(result.contains(QLatin1String("Try it yourself")) && result.contains(QLatin1String("Container")) &&
                     result.contains(QLatin1String("1 of 2 checks hold</b>, nothing typed yet")) &&
                     result.contains(QStringLiteral("✗ the container has tmpfs on /mnt/leak")) &&
                     result.contains(QLatin1String("nothing is mounted on /mnt/leak")),
                 qPrintable(result));
        QCOMPARE(nav->step(flat).status, StepStatus::NotRun);
        // The terminal the step runs in is the one shown.
        QCOMPARE(w->terminalWhere(), QStringLiteral("container"));

        // A command that did not do it: still red, and counted.
        w->session()->handleLine(practice_events::compact(tryEvent(true, QStringLiteral("command"), 1, false)));
        result = w->stepResultText();
        QVERIFY2(result.contains(QLatin1String("1 of 2 checks hold</b>, after 1 command")), qPrintable(result));
        QCOMPARE(nav->step(flat).status, StepStatus::NotRun);

        // Every check holds: the engine records the step, then ends the try.
        QSignalSpy ended(w->session()->tryModel(), &TryModel::ended);
        for (const QByteArray& line : typedStep(3))
            w->session()->handleLine(line);
        w->session()->handleLine(practice_events::compact(tryEvent(false, QStringLiteral("passed"), 2, true, true)));
        QCOMPARE(ended.size(), 1);
        QCOMPARE(nav->step(flat).status, StepStatus::Passed);
        QCOMPARE(nav->current(), flat + 1); // Space goes on with the next step
        QVERIFY(!w->driver()->tryingShown());
        result = w->stepResultText();
        QVERIFY2(!result.contains(QLatin1String("Try it yourself")) && result.contains(QStringLiteral("✓")),
                 qPrintable(result));
        QVERIFY2(w->statusBar()->currentMessage().contains(QLatin1String("Done by typing")),
                 qPrintable(w->statusBar()->currentMessage()));
        QVERIFY2(button->text().contains(QLatin1String("Try it yourself")), qPrintable(button->text()));
        // Kept across restarts as the learner's own work.
        const QJsonObject step = w->progress()
                                     ->lessonState(QStringLiteral("propagation"))
                                     .value(QLatin1String("steps"))
                                     .toObject()
                                     .value(QLatin1String("0"))
                                     .toObject();
        QVERIFY2(step.value(QLatin1String("passed")).toBool() && step.value(QLatin1String("typed")).toBool(),
                 qPrintable(QJsonDocument(step).toJson()));
    }

    void showingAnotherStep_stopsTheTry_andTheButtonStopsIt_too()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        NavigatorModel* nav = w->session()->navigator();
        const int flat = nav->flatIndexOfStep(QStringLiteral("propagation"), 0);
        w->driver()->showStep(flat);
        QTRY_VERIFY(w->stepPanel()->tryButton()->isEnabled());
        QTest::mouseClick(w->stepPanel()->tryButton(), Qt::LeftButton);
        QTRY_COMPARE(sentCount(QStringLiteral("try")), 1);
        w->session()->handleLine(practice_events::compact(tryEvent(true, QStringLiteral("start"), 0, false)));
        // The button again: the try stops.
        QTest::mouseClick(w->stepPanel()->tryButton(), Qt::LeftButton);
        QTRY_COMPARE(sentCount(QStringLiteral("try-stop")), 1);
        w->session()->handleLine(practice_events::compact(tryEvent(false, QStringLiteral("stop"), 0, false)));
        QVERIFY(!w->driver()->tryingShown());
        QVERIFY(!w->stepResultText().contains(QLatin1String("Try it yourself")));
        // A new try; then the learner looks at the next step: that try ends.
        QTest::keyClick(w.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(sentCount(QStringLiteral("try")), 2);
        w->session()->handleLine(practice_events::compact(tryEvent(true, QStringLiteral("start"), 0, false)));
        w->driver()->showStep(flat + 1);
        QTRY_COMPARE(sentCount(QStringLiteral("try-stop")), 2);
        QCOMPARE(nav->step(flat).status, StepStatus::NotRun);
    }

    // A step that is not the next one: the lab is brought there first (a fresh lab for
    // its lesson, the steps before it), and the try goes out only after them.
    void tryingAStepNotNext_bringsTheLabThereFirst_thenTheTry()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        NavigatorModel* nav = w->session()->navigator();
        const int flat = nav->flatIndexOfStep(QStringLiteral("propagation"), 1);
        QVERIFY(flat >= 0 && nav->groupOf(flat) == nav->active() && nav->current() == flat - 1);
        w->driver()->showStep(flat);
        QTest::keyClick(w.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        // The step before it first; the try not before it ended.
        QTRY_COMPARE(sentCount(QStringLiteral("lesson-step")), 1);
        QCOMPARE(sent().last().value(QLatin1String("index")).toInt(), 0);
        QTest::qWait(100);
        QCOMPARE(sentCount(QStringLiteral("try")), 0);
        for (const QByteArray& line : typedStep(2)) { // a step of index 0 ends (as Run's would)
            QJsonObject e = QJsonDocument::fromJson(line).object();
            if (e.value(QLatin1String("phase")).toString() == QLatin1String("begin"))
                e.insert(QStringLiteral("op"), QJsonObject{{QStringLiteral("op"), QStringLiteral("mount")}});
            w->session()->handleLine(practice_events::compact(e));
        }
        QTRY_COMPARE(sentCount(QStringLiteral("try")), 1);
        QCOMPARE(sent().last().value(QLatin1String("index")).toInt(), 1);
        QCOMPARE(nav->current(), flat); // the tried step comes next
        QCOMPARE(w->driver()->shownStep(), flat);
        QVERIFY(w->idle());
        // Another lesson's step: a fresh lab for it first.
        const int walk = nav->flatIndexOfStep(QStringLiteral("walkthrough"), 1);
        QVERIFY(walk >= 0);
        w->session()->handleLine(practice_events::compact(tryEvent(false, QStringLiteral("stop"), 0, false)));
        w->driver()->showStep(walk);
        QTest::keyClick(w.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(sentCount(QStringLiteral("reset-lab")), 1);
        QCOMPARE(sent().last().value(QLatin1String("lesson")).toString(), QStringLiteral("walkthrough"));
        QCOMPARE(sentCount(QStringLiteral("try")), 1);
    }

    // At a projector's 1280x720: the marks, a terminal of at least 6 lines to type in, and
    // the tree keeps at least 150 px (a third of the height, its legend with it).
    void presenterMode_showsTheTrysChecks_asMarks_andMakesRoomForTheTerminal()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        w->resize(1280, 720);
        w->setPresenterMode(true, false);
        QTest::qWait(100);
        const int flat = w->session()->navigator()->flatIndexOfStep(QStringLiteral("propagation"), 0);
        w->driver()->showStep(flat);
        QTest::keyClick(w.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(sentCount(QStringLiteral("try")), 1);
        w->session()->handleLine(practice_events::compact(tryEvent(true, QStringLiteral("start"), 0, false)));
        StepMarks* marks = w->stepPanel()->marks();
        QTRY_VERIFY(marks->isVisible());
        QStringList texts;
        for (QLabel* l : marks->markLabels())
            texts << l->text();
        QVERIFY2(texts.size() == 3 && texts[0].contains(QLatin1String("1 of 2 hold")) && texts[1].startsWith(u'✗') &&
                     texts[2].startsWith(u'✓'),
                 qPrintable(texts.join(QLatin1String(" | "))));
        TerminalWidget* term = w->terminalIn(QStringLiteral("container"));
        QVERIFY(term);
        QTRY_VERIFY2(term->isVisible() && term->rows() >= 6, qPrintable(QString::number(term->rows())));
        const QRect inWindow(term->mapTo(w.get(), QPoint(0, 0)), term->size());
        QVERIFY2(w->rect().contains(inWindow), "the terminal is inside the window");
        QVERIFY2(w->treeView()->height() >= 150, qPrintable(QString::number(w->treeView()->height())));
        for (QLabel* l : marks->markLabels()) // every mark whole, none under the tree
            QVERIFY2(marks->rect().contains(QRect(l->pos(), l->size())), qPrintable(l->text()));
    }

    void replay_offersNoTry()
    {
        MainWindow w;
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        Recording rec = Recording::fromLines({kLessonPropagation, kWalkthrough});
        w.engine()->openRecording(rec);
        const int flat = w.session()->navigator()->flatIndexOfStep(QStringLiteral("propagation"), 0);
        QVERIFY(flat >= 0);
        w.driver()->showStep(flat);
        QVERIFY(!w.stepPanel()->tryButton()->isEnabled());
        QTest::keyClick(&w, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(w.statusBar()->currentMessage().contains(QLatin1String("live lab")));
    }

    // The real agent: steps 1-2 of mount-namespaces run, step 3 (make / private) tried.
    void live_aWrongCommandStaysRed_theStepsLineTicksIt()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const std::unique_ptr<MainWindow> live = gui_agents::liveWindow(QSize(1366, 768));
        MainWindow& w = *live;
        QVERIFY2(w.session()->catalogueComplete() && w.session()->host().size() > 0,
                 qPrintable(w.engine()->stderrText()));
        NavigatorModel* nav = w.session()->navigator();
        const int flat = nav->flatIndexOfStep(QStringLiteral("mount-namespaces"), 2);
        QVERIFY(flat >= 0);
        QCOMPARE(nav->step(flat).shell, QStringLiteral("mount --make-rprivate /"));
        w.runToStep(flat - 1);
        QTRY_VERIFY_WITH_TIMEOUT(w.idle() && nav->step(flat - 1).status == StepStatus::Passed, 30000);
        w.driver()->showStep(flat);
        TryModel* t = w.session()->tryModel();
        QSignalSpy started(t, &TryModel::started);
        QTest::keyClick(&w, Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY2_WITH_TIMEOUT(started.size() == 1, qPrintable(w.engine()->stderrText()), 10000);
        QVERIFY(t->isStep(QStringLiteral("mount-namespaces"), 2));
        QVERIFY2(t->checksHolding() < int(t->checks().size()), "a check must not hold before anything was typed");
        QCOMPARE(w.terminalWhere(), QStringLiteral("container"));
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminalId(QStringLiteral("container")) >= 0 &&
                                      w.terminal()->screenText().endsWith(QLatin1String("]#")),
                                  qPrintable(w.terminal()->screenText()), 20000);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(w.terminal()));

        // A command that is not the step: judged, still red.
        QTest::keyClicks(w.terminal(), QStringLiteral("mount --make-private /tmp"));
        QTest::keyClick(w.terminal(), Qt::Key_Return);
        QTRY_VERIFY2_WITH_TIMEOUT(t->commands() == 1, qPrintable(w.terminal()->screenText()), 15000);
        QVERIFY(t->active() && !t->passed());
        QCOMPARE(nav->step(flat).status, StepStatus::NotRun);
        QVERIFY2(w.stepResultText().contains(QStringLiteral("✗")), qPrintable(w.stepResultText()));

        // Ctrl+Shift+I, in the terminal: the step's line typed there, not run.
        QTest::keyClick(w.terminal(), Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminal()->screenText().endsWith(QLatin1String("]# mount --make-rprivate /")),
                                  qPrintable(w.terminal()->screenText()), 10000);
        QTest::qWait(300);
        QCOMPARE(t->commands(), 1);
        // Enter runs it: every check holds, the step is ticked as done.
        QSignalSpy ended(t, &TryModel::ended);
        QTest::keyClick(w.terminal(), Qt::Key_Return);
        QTRY_VERIFY2_WITH_TIMEOUT(ended.size() == 1, qPrintable(w.stepResultText()), 15000);
        QVERIFY2(t->passed(), qPrintable(w.stepResultText()));
        QCOMPARE(nav->step(flat).status, StepStatus::Passed);
        QCOMPARE(nav->current(), flat + 1);
        const QJsonObject begin = w.session()->resultOf(flat).begin;
        QCOMPARE(begin.value(QLatin1String("op")).toObject().value(QLatin1String("op")).toString(),
                 QStringLiteral("typed"));
        // The kernel agrees: the container's / is private now.
        QVERIFY2(w.stepResultText().contains(QStringLiteral("✓")) &&
                     w.stepResultText().contains(QStringLiteral("done by typing (2 commands)")),
                 qPrintable(w.stepResultText()));
        QVERIFY(w.stepPanel()->tryButton()->isEnabled());
        QVERIFY(w.driver()->typedIn().isEmpty()); // typed in the terminal's own shell
    }

    // Ctrl+Shift+I with a step line of several lines: pasted, none of them run until Enter.
    void live_aLineOfSeveralLines_isPasted_notRun()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const std::unique_ptr<MainWindow> live = gui_agents::liveWindow(QSize(1366, 768));
        MainWindow& w = *live;
        QVERIFY2(w.session()->catalogueComplete() && w.session()->host().size() > 0,
                 qPrintable(w.engine()->stderrText()));
        NavigatorModel* nav = w.session()->navigator();
        int flat = -1;
        for (int i = 0; i < nav->stepCount() && flat < 0; ++i)
            if (nav->step(i).group == QLatin1String("walkthrough") && nav->step(i).shell.trimmed().contains(u'\n'))
                flat = i;
        QVERIFY2(flat >= 0, "the walkthrough has a step line of several lines");
        const QStringList lines = nav->step(flat).shell.trimmed().split(u'\n');
        w.driver()->showStep(flat);
        w.showTerminal(QStringLiteral("container"));
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminalId(QStringLiteral("container")) >= 0 &&
                                      w.terminal()->screenText().endsWith(QLatin1String("]#")),
                                  qPrintable(w.terminal()->screenText()), 20000);
        QVERIFY(w.insertShellLine());
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminal()->screenText().contains(lines.last().left(40)),
                                  qPrintable(w.terminal()->screenText()), 10000);
        QTest::qWait(500);
        const QString screen = w.terminal()->screenText();
        QVERIFY2(screen.contains(lines.first().left(40)), qPrintable(screen));
        QCOMPARE(screen.count(QLatin1String("]# ")), 1); // one prompt: nothing ran
    }

    // The walkthrough's first step typed: `unshare` starts a shell of its own, in a new
    // mount namespace. The step is ticked; the terminal does not call itself stale (its
    // foreground is in the new namespace), and the next step says Run works in the
    // container process, which did not unshare.
    void live_unshareTyped_isJudgedInTheNewShell_andTheNextStepSaysWhereRunWorks()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const std::unique_ptr<MainWindow> live = gui_agents::liveWindow(QSize(1366, 768));
        MainWindow& w = *live;
        QVERIFY2(w.session()->catalogueComplete() && w.session()->host().size() > 0,
                 qPrintable(w.engine()->stderrText()));
        NavigatorModel* nav = w.session()->navigator();
        const int flat = nav->flatIndexOfStep(QStringLiteral("walkthrough"), 0);
        QVERIFY(flat >= 0);
        QVERIFY2(nav->step(flat).shell.startsWith(QLatin1String("unshare --mount")), qPrintable(nav->step(flat).shell));
        w.driver()->showStep(flat);
        TryModel* t = w.session()->tryModel();
        QSignalSpy started(t, &TryModel::started);
        QTest::mouseClick(w.stepPanel()->tryButton(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(started.size() == 1, qPrintable(w.engine()->stderrText()), 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminalId(QStringLiteral("container")) >= 0 &&
                                      w.terminal()->screenText().endsWith(QLatin1String("]#")),
                                  qPrintable(w.terminal()->screenText()), 20000);
        QSignalSpy ended(t, &TryModel::ended);
        QVERIFY(w.insertShellLine());
        QTest::keyClick(w.terminal(), Qt::Key_Return);
        QTRY_VERIFY2_WITH_TIMEOUT(ended.size() == 1, qPrintable(w.stepResultText()), 15000);
        QVERIFY2(t->passed(), qPrintable(w.stepResultText()));
        QCOMPARE(nav->step(flat).status, StepStatus::Passed);
        QVERIFY2(!t->view().isEmpty(), "judged in the shell unshare started");
        QCOMPARE(w.driver()->typedIn(), t->view());
        QTest::qWait(300);
        QVERIFY2(!w.terminal()->screenText().contains(QLatin1String("this shell is still in")),
                 qPrintable(w.terminal()->screenText()));
        w.driver()->showStep(flat + 1);
        QVERIFY2(w.stepResultText().contains(QLatin1String("not the lab's container process's")),
                 qPrintable(w.stepResultText()));
        // A fresh lab: the learner's programs are gone, and so is the note.
        w.reset();
        QTRY_VERIFY_WITH_TIMEOUT(w.idle() && w.driver()->typedIn().isEmpty(), 30000);
    }
};

QTEST_MAIN(TestGuiTry)
#include "tst_gui_try.moc"
