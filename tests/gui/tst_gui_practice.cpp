// Practice (issue #16): an exercise opened from the navigator, worked in the lab's
// terminal with its checklist beside it. First with the events fed as the agent writes
// them (the commands the GUI sends go to a stand-in agent that only writes them down);
// then (root) against the real agent: the reference submission typed into the terminal
// reaches full marks, and Submit grades it as `mountlab-cli grade` does.
#include "guiagents.h"
#include "mainwindow.h"
#include "mounttreeview.h"
#include "practiceevents.h"
#include "practicepanel.h"
#include "terminalwidget.h"
#include "testutil.h"

#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTreeView>
#include <QtTest>

using namespace mountlab::gui;

namespace {

using namespace practice_events;

bool insideVisiblePart(QWidget* row, QWidget* panel)
{
    const QRect r(row->mapTo(panel, QPoint(0, 0)), row->size());
    return row->isVisible() && row->height() > 0 && panel->rect().contains(r) &&
           row->visibleRegion().boundingRect() == row->rect();
}

} // namespace

class TestGuiPractice : public QObject {
    Q_OBJECT
    gui_agents::StandInAgent m_agent;

    [[nodiscard]] QVector<QJsonObject> sent() const { return m_agent.sent(); }
    [[nodiscard]] int sentCount(const QString& cmd) const { return m_agent.sentCount(cmd); }

    // A window whose "agent" writes down what it is sent and says nothing: the events are fed.
    MainWindow* standInWindow()
    {
        auto* w = new MainWindow;
        w->resize(1366, 768);
        w->show();
        w->activateWindow();
        if (!QTest::qWaitForWindowActive(w))
            return w;
        w->startLive(EngineClient::Tracing::None);
        return w;
    }

    static void feed(MainWindow& w, const QJsonObject& e) { w.session()->handleLine(compact(e)); }

    struct Graded {
        int gui = -1, cli = -2, max = 0;
    };

    // The lines a learner types: the script's commands, without its comments.
    static QStringList commandLines(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QStringList out;
        for (const QString& l : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n')))
            if (!l.trimmed().isEmpty() && !l.trimmed().startsWith(QLatin1Char('#')))
                out << l;
        return out;
    }

    // `mountlab-cli grade` on the same script: its one submission's score.
    static int cliScore(const QString& path)
    {
        const mountlab::test::ProcessResult r = mountlab::test::run_cli(
            {QStringLiteral("grade"), QStringLiteral("bind-mounts"), QStringLiteral("--exercise"),
             QStringLiteral("leaky-volume"), path, QStringLiteral("--format"), QStringLiteral("json")});
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonArray subs = doc.object().value(QLatin1String("submissions")).toArray();
        if (subs.size() != 1)
            qWarning("grade said: %s %s", r.out.left(400).constData(), r.err.left(400).constData());
        return subs.size() == 1 ? subs.first().toObject().value(QLatin1String("score")).toInt(-2) : -2;
    }

    // The exercise from its navigator row; the script's lines typed into the terminal
    // one at a time, each awaited as the engine's "command" event; then Submit.
    Graded practiseAndSubmit(MainWindow& w, const QString& file, bool expectFullMarks)
    {
        Graded g;
        const QString path = mountlab::test::data_path(QStringLiteral("submissions/bind-mounts/leaky-volume/") + file);
        const QStringList lines = commandLines(path);
        PracticeModel* practice = w.session()->practice();
        NavigatorModel* nav = w.session()->navigator();
        const QModelIndex row = nav->indexOfExercise(QStringLiteral("bind-mounts"), QStringLiteral("leaky-volume"));
        [&] {
            QVERIFY(lines.size() >= 3);
            QVERIFY(row.isValid());
            QSignalSpy started(practice, &PracticeModel::started);
            w.navigatorView()->expand(row.parent());
            w.navigatorView()->scrollTo(row);
            const QPoint where = w.navigatorView()->visualRect(row).center();
            QTest::mouseClick(w.navigatorView()->viewport(), Qt::LeftButton, {}, where);
            QTest::mouseDClick(w.navigatorView()->viewport(), Qt::LeftButton, {}, where);
            QTRY_VERIFY2_WITH_TIMEOUT(started.size() == 1, qPrintable(w.engine()->stderrText()), 30000);
            QVERIFY(w.practicePanelShown());
            QVERIFY(!practice->fullMarks());
            QTRY_VERIFY2_WITH_TIMEOUT(w.terminalId(QStringLiteral("container")) >= 0 &&
                                          w.terminal()->screenText().endsWith(QLatin1String("]#")),
                                      qPrintable(w.terminal()->screenText()), 20000);
            QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(w.terminal()));
            for (const QString& line : lines) {
                QSignalSpy commands(practice, &PracticeModel::commandReported);
                QTest::keyClicks(w.terminal(), line);
                QTest::keyClick(w.terminal(), Qt::Key_Return);
                QTRY_VERIFY2_WITH_TIMEOUT(!commands.isEmpty(),
                                          qPrintable(line + QLatin1Char('\n') + w.terminal()->screenText()), 15000);
                const PracticeCommand c = commands.first().first().value<PracticeCommand>();
                QCOMPARE(c.text, line);
            }
            if (expectFullMarks)
                QTRY_VERIFY2_WITH_TIMEOUT(practice->fullMarks(), qPrintable(w.practicePanel()->scoreText()), 15000);
            // Every check on screen as the engine judged it.
            QCOMPARE(w.practicePanel()->checkRows().size(), practice->checks().size());
            QTest::mouseClick(w.practicePanel()->submitButton(), Qt::LeftButton);
            QVERIFY(w.practicePanel()->gradeText().contains(QLatin1String("Grading in a fresh sandbox")));
            QTRY_VERIFY2_WITH_TIMEOUT(practice->hasGrade() && !practice->grading(),
                                      qPrintable(w.engine()->stderrText()), 120000);
            g.gui = practice->grade().score;
            g.max = practice->grade().max;
            QVERIFY(w.practicePanel()->gradeText().contains(QStringLiteral("%1 / %2").arg(g.gui).arg(g.max)));
            QVERIFY(g.max > 0);
            // The graded script holds the lines typed, in order.
            const QString script = practice->grade().script;
            int at = 0;
            for (const QString& line : lines) {
                at = int(script.indexOf(line, at));
                QVERIFY2(at >= 0, qPrintable(script));
            }
            g.cli = cliScore(path);
        }();
        return g;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_agent.install());
    }

    void cleanup() { m_agent.forget(); }

    void navigator_listsEachLessonsExercises_underItsSteps()
    {
        NavigatorModel nav;
        QAbstractItemModelTester tester(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        nav.addLesson(QJsonDocument::fromJson(kLesson).object());
        const QModelIndex lesson = nav.index(0, 0);
        QCOMPARE(nav.rowCount(lesson), 3); // one step, two exercises
        QCOMPARE(nav.stepCount(), 1);
        const QModelIndex ex = nav.index(1, 0, lesson);
        QVERIFY(ex.data(NavigatorModel::IsExerciseRole).toBool());
        QCOMPARE(ex.data(NavigatorModel::ExerciseIdRole).toString(), QStringLiteral("leaky-volume"));
        QCOMPARE(ex.data(NavigatorModel::PointsRole).toInt(), 10);
        QVERIFY2(ex.data().toString().contains(QLatin1String("Why does this volume leak to the lab host?")) &&
                     ex.data().toString().contains(QLatin1String("10 points")),
                 qPrintable(ex.data().toString()));
        QCOMPARE(nav.flatIndex(ex), -1); // not a step: Space never runs it
        QCOMPARE(nav.exerciseOf(nav.index(2, 0, lesson)), 1);
        QCOMPARE(nav.exerciseOf(nav.index(0, 0, lesson)), -1);
        QCOMPARE(nav.indexOfExercise(QStringLiteral("bind-mounts"), QStringLiteral("ro-volume")),
                 nav.index(2, 0, lesson));
        nav.setPractised(QStringLiteral("bind-mounts"), QStringLiteral("leaky-volume"));
        QVERIFY(ex.data(NavigatorModel::IsPractisedRole).toBool());
        QVERIFY(ex.data().toString().startsWith(QStringLiteral("▶")));
    }

    void enterOrDoubleClick_onAnExercise_startsThePractice_butEnterWhileTypingDoesNot()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        QVERIFY(w->engine()->mode() == EngineClient::Mode::Live);
        w->session()->handleLine(kLesson);
        NavigatorModel* nav = w->session()->navigator();
        QTreeView* view = w->navigatorView();
        const QModelIndex lesson = nav->indexOfGroup(nav->groupIndex(QStringLiteral("bind-mounts")));
        view->expand(lesson);
        const QModelIndex ex = nav->index(1, 0, lesson);
        view->setFocus();
        view->setCurrentIndex(ex);
        // A learner who thought the terminal had the keys: "ls" and Enter start nothing.
        QTest::keyClicks(view, QStringLiteral("ls"));
        QTest::keyClick(view, Qt::Key_Return);
        QTest::qWait(300);
        QCOMPARE(sentCount(QStringLiteral("practice")), 0);
        QTest::qWait(2100); // typing is over
        QTest::keyClick(view, Qt::Key_Return);
        QTRY_VERIFY2(
            sentCount(QStringLiteral("practice")) == 1,
            qPrintable(w->statusBar()->currentMessage() + QLatin1Char(' ') + view->currentIndex().data().toString()));
        QJsonObject cmd;
        for (const QJsonObject& o : sent())
            if (o.value(QLatin1String("cmd")).toString() == QLatin1String("practice"))
                cmd = o;
        QCOMPARE(cmd.value(QLatin1String("lesson")).toString(), QStringLiteral("bind-mounts"));
        QCOMPARE(cmd.value(QLatin1String("exercise")).toString(), QStringLiteral("leaky-volume"));
        // A double-click on the other one.
        const QModelIndex ro = nav->index(2, 0, lesson);
        const QRect r = view->visualRect(ro);
        QVERIFY(r.isValid() && view->viewport()->rect().contains(r.center()));
        QSignalSpy doubleClicked(view, &QTreeView::doubleClicked);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, r.center()); // a single click starts nothing
        QTest::qWait(300);
        QCOMPARE(sentCount(QStringLiteral("practice")), 1);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, r.center());
        QTRY_VERIFY2(sentCount(QStringLiteral("practice")) == 2,
                     qPrintable(w->statusBar()->currentMessage() + QString::number(doubleClicked.size())));
        QCOMPARE(sent().last().value(QLatin1String("exercise")).toString(), QStringLiteral("ro-volume"));
        // A step's row is no exercise: Enter there sends nothing.
        view->setCurrentIndex(nav->index(0, 0, lesson));
        QTest::keyClick(view, Qt::Key_Return);
        QTest::qWait(200);
        QCOMPARE(sentCount(QStringLiteral("practice")), 2);
    }

    void thePanel_followsTheEvents_checksTurnGreen_hintsOneAtATime()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        PracticePanel* panel = w->practicePanel();
        QVERIFY(!w->practicePanelShown());
        feed(*w, leakyVolume(QStringLiteral("start"), leakyChecks(false), 2));
        QVERIFY(w->practicePanelShown());
        QVERIFY(w->terminalTabShown()); // the terminal to work in, beside it
        QCOMPARE(panel->titleText(), QStringLiteral("Practice · Why does this volume leak to the lab host?"));
        QCOMPARE(panel->scoreText(), QStringLiteral("2 / 10"));
        QVERIFY(panel->taskText().contains(QLatin1String("the volume leaked")));
        QCOMPARE(panel->checkRows().size(), 5);
        const Theme normal = Theme::normal(11);
        QLabel* first = panel->checkRows()[0];
        QVERIFY2(first->text().startsWith(QStringLiteral("○")) &&
                     first->text().contains(QLatin1String("the lab host has no /srv/data mount")) &&
                     first->text().contains(QLatin1String("0/4")),
                 qPrintable(first->text()));
        QCOMPARE(first->palette().color(QPalette::WindowText), normal.practiceOpen);
        QVERIFY(panel->checkRows()[1]->text().startsWith(QStringLiteral("✓")));
        QCOMPARE(panel->checkRows()[1]->palette().color(QPalette::WindowText), normal.practiceDone);
        // A command later the first check holds: its tick turns green, the score follows.
        feed(*w, leakyVolume(QStringLiteral("command"), leakyChecks(true), 6));
        QCOMPARE(panel->checkRows().size(), 5);
        QVERIFY2(first->text().startsWith(QStringLiteral("✓")) && first->text().contains(QLatin1String("4/4")),
                 qPrintable(first->text()));
        QCOMPARE(first->palette().color(QPalette::WindowText), normal.practiceDone);
        QCOMPARE(panel->scoreText(), QStringLiteral("6 / 10"));
        // Hints: one at a time, counted.
        QCOMPARE(panel->hintsText(), QString());
        QCOMPARE(panel->hintButton()->text(), QStringLiteral("Hint 1 of 3"));
        QTest::mouseClick(panel->hintButton(), Qt::LeftButton);
        QVERIFY2(panel->hintsText().contains(QLatin1String("Hint 1 of 3")) &&
                     panel->hintsText().contains(QLatin1String("field 7")) &&
                     !panel->hintsText().contains(QLatin1String("Hint 2")),
                 qPrintable(panel->hintsText()));
        QCOMPARE(panel->findChild<QLabel*>(QStringLiteral("practiceHintsUsed"))->text(),
                 QStringLiteral("hints used: 1 of 3"));
        QTest::mouseClick(panel->hintButton(), Qt::LeftButton);
        QVERIFY(panel->hintsText().contains(QLatin1String("Hint 2 of 3")));
        QVERIFY(!panel->hintsText().contains(QLatin1String("Hint 3")));
        // A later event keeps the hints shown.
        feed(*w, leakyVolume(QStringLiteral("mounts"), leakyChecks(true), 6));
        QVERIFY(panel->hintsText().contains(QLatin1String("Hint 2 of 3")));
        // No solution in the event: no button.
        QVERIFY(!panel->solutionButton()->isVisibleTo(panel));
    }

    void solution_onlyWhenTheEventCarriesOne_behindAConfirm()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        PracticePanel* panel = w->practicePanel();
        feed(*w, leakyVolume(QStringLiteral("start"), leakyChecks(false), 2, true));
        QVERIFY(panel->solutionButton()->isVisibleTo(panel));
        bool answer = false;
        int asked = 0;
        panel->setConfirmSolution([&] {
            ++asked;
            return answer;
        });
        QTest::mouseClick(panel->solutionButton(), Qt::LeftButton);
        QCOMPARE(asked, 1);
        QCOMPARE(panel->solutionText(), QString()); // "no": nothing given away
        answer = true;
        QTest::mouseClick(panel->solutionButton(), Qt::LeftButton);
        QCOMPARE(asked, 2);
        QVERIFY(panel->solutionText().contains(QLatin1String("mount --make-rprivate /")));
    }

    void check_submit_stop_sendTheirCommands_andShowWhatCameBack()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        PracticePanel* panel = w->practicePanel();
        feed(*w, leakyVolume(QStringLiteral("start"), leakyChecks(false), 2));
        QTest::mouseClick(panel->checkButton(), Qt::LeftButton);
        QTRY_COMPARE(sentCount(QStringLiteral("practice-check")), 1);
        QCOMPARE(panel->foundText(), QString()); // nothing until the engine answers
        feed(*w, leakyVolume(QStringLiteral("check"), leakyChecks(false), 2));
        const QString found = panel->foundText();
        QVERIFY2(found.contains(QLatin1String("nothing propagates to the lab host")) &&
                     found.contains(QLatin1String("/srv is shared:12 with the lab host")) &&
                     found.contains(QLatin1String("use --make-rprivate")) &&
                     !found.contains(QLatin1String("the container has the volume")),
                 qPrintable(found));
        QVERIFY(panel->checkRows()[0]->text().startsWith(QStringLiteral("✗")));
        // A check only Submit can judge (the script's output) is not failed by Check.
        QJsonArray withOutput = leakyChecks(false);
        QJsonObject output = check(QStringLiteral("the script says why"), 0, 1, false,
                                   QStringLiteral("judged at Submit"), QStringLiteral("echo the cause"));
        output.insert(QStringLiteral("live"), false);
        withOutput.append(output);
        feed(*w, leakyVolume(QStringLiteral("check"), withOutput, 2));
        QVERIFY2(panel->checkRows()[5]->text().startsWith(QStringLiteral("◌")) &&
                     panel->checkRows()[5]->text().contains(QLatin1String("(judged at Submit)")),
                 qPrintable(panel->checkRows()[5]->text()));
        QVERIFY(!panel->foundText().contains(QLatin1String("the script says why")));
        QCOMPARE(panel->checkRows()[0]->palette().color(QPalette::WindowText), Theme::normal(11).practiceFailed);
        // Submit: graded in a fresh sandbox, then the result and the script.
        QTest::mouseClick(panel->submitButton(), Qt::LeftButton);
        QTRY_COMPARE(sentCount(QStringLiteral("practice-submit")), 1);
        QVERIFY(panel->gradeText().contains(QStringLiteral("Grading in a fresh sandbox…")));
        QVERIFY(!panel->submitButton()->isEnabled());
        QJsonObject result{{QStringLiteral("status"), QStringLiteral("failed")},
                           {QStringLiteral("score"), 3},
                           {QStringLiteral("max_score"), 10}, // as mountlab-cli grade --format json says it
                           {QStringLiteral("seconds"), 0.8},
                           {QStringLiteral("note"), QStringLiteral("the grader mounted tmpfs on /srv/data/late")},
                           {QStringLiteral("checks"), leakyChecks(false)}};
        feed(*w, QJsonObject{{QStringLiteral("kind"), QStringLiteral("practice-grade")},
                             {QStringLiteral("lesson"), QStringLiteral("bind-mounts")},
                             {QStringLiteral("exercise"), QStringLiteral("leaky-volume")},
                             {QStringLiteral("script"), QStringLiteral("#!/bin/bash\numount /srv/data\n")},
                             {QStringLiteral("result"), result}});
        const QString grade = panel->gradeText();
        QVERIFY2(grade.contains(QLatin1String("failed")) && grade.contains(QLatin1String("3 / 10")) &&
                     grade.contains(QLatin1String("nothing propagates to the lab host")) &&
                     grade.contains(QLatin1String("/srv/data/late")) &&
                     grade.contains(QLatin1String("umount /srv/data")),
                 qPrintable(grade));
        QVERIFY(!grade.contains(QLatin1String("Grading in a fresh sandbox")));
        QVERIFY(panel->submitButton()->isEnabled());
        QCOMPARE(w->session()->practice()->grade().score, 3);
        // Stop: the engine says so, the panel goes.
        QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
        QTRY_COMPARE(sentCount(QStringLiteral("practice-stop")), 1);
        QVERIFY(w->practicePanelShown());
        feed(*w, QJsonObject{{QStringLiteral("kind"), QStringLiteral("practice")}, {QStringLiteral("active"), false}});
        QVERIFY(!w->practicePanelShown());
    }

    void everyCheckRow_ofTheLongestExercise_isInView_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x720") << QSize(1280, 720);
        QTest::newRow("1366x768") << QSize(1366, 768);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }
    void everyCheckRow_ofTheLongestExercise_isInView()
    {
        QFETCH(QSize, size);
        std::unique_ptr<MainWindow> w(standInWindow());
        w->resize(size);
        QTest::qWait(50);
        feed(*w, longestExercise());
        QJsonObject checked = longestExercise();
        checked.insert(QStringLiteral("reason"), QStringLiteral("check")); // every failing check's advice shown too
        feed(*w, checked);
        PracticePanel* panel = w->practicePanel();
        QTRY_VERIFY(panel->isVisible() && panel->width() >= 300);
        QTest::qWait(50);
        QCOMPARE(panel->checkRows().size(), 8);
        for (QLabel* row : panel->checkRows())
            QVERIFY2(insideVisiblePart(row, panel), qPrintable(QStringLiteral("%1 at %2,%3 %4x%5 in a panel of %6x%7")
                                                                   .arg(row->text())
                                                                   .arg(row->mapTo(panel, QPoint(0, 0)).x())
                                                                   .arg(row->mapTo(panel, QPoint(0, 0)).y())
                                                                   .arg(row->width())
                                                                   .arg(row->height())
                                                                   .arg(panel->width())
                                                                   .arg(panel->height())));
        // And the buttons, and some of what Check found below them.
        for (QPushButton* b : {panel->checkButton(), panel->submitButton(), panel->hintButton(), panel->stopButton()})
            QVERIFY2(insideVisiblePart(b, panel), qPrintable(b->text()));
        QVERIFY(panel->detailsArea()->viewport()->height() >= 60);
        // The panel stands in for the step panel: the trees keep room beside the terminal.
        QVERIFY2(w->treeView()->isVisible() && w->treeView()->height() >= 150,
                 qPrintable(QString::number(w->treeView()->height())));
        // A check worth no points says no "0/0".
        QVERIFY2(!panel->checkRows()[4]->text().contains(QLatin1String("0/0")),
                 qPrintable(panel->checkRows()[4]->text()));
        // The terminal beside it stays a terminal: 12 lines and 60 columns at least.
        TerminalWidget* t = w->terminal();
        QVERIFY2(t->isVisible() && t->rows() >= 12 && t->cols() >= 60,
                 qPrintable(QStringLiteral("%1x%2").arg(t->cols()).arg(t->rows())));
    }

    void presenterMode_drawsThePanelInTheThemesType()
    {
        std::unique_ptr<MainWindow> w(standInWindow());
        feed(*w, leakyVolume(QStringLiteral("start"), leakyChecks(false), 2));
        w->setPresenterMode(true, false);
        PracticePanel* panel = w->practicePanel();
        QVERIFY(panel->isVisible());
        const Theme p = Theme::presenter(20);
        QCOMPARE(panel->checkRows()[0]->font().pointSizeF(), p.uiFont().pointSizeF());
        QCOMPARE(panel->checkRows()[1]->palette().color(QPalette::WindowText), p.practiceDone);
        QCOMPARE(panel->palette().color(QPalette::Window), p.practiceBackground);
        w->setPresenterMode(false, false);
        QCOMPARE(panel->checkRows()[1]->palette().color(QPalette::WindowText), Theme::normal(11).practiceDone);
    }

    // --- against the real agent (root) -----------------------------------------------

    void live_theReferenceTyped_reachesFullMarks_andSubmitGradesAsTheCliDoes()
    {
        MOUNTLAB_REQUIRE_ROOT();
        qunsetenv("MOUNTLAB_CLI"); // the real agent, next to the GUI
        MainWindow w;
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.startLive(EngineClient::Tracing::None));
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->catalogueComplete() && w.session()->host().size() > 0, 30000);
        const Graded good = practiseAndSubmit(w, QStringLiteral("good.sh"), true);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(good.gui, good.max);
        QCOMPARE(good.gui, good.cli);
        const Graded wrong = practiseAndSubmit(w, QStringLiteral("wrong-nonrecursive.sh"), false);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(wrong.gui < wrong.max, qPrintable(QString::number(wrong.gui)));
        QCOMPARE(wrong.gui, wrong.cli);
    }
};

QTEST_MAIN(TestGuiPractice)
#include "tst_gui_practice.moc"
