// Practice for a teacher (issue #16), against the real agent (root):
// - presenter mode at a projector's sizes (1280x720, 1600x1000): the Practice panel's
//   title, task, every check and its buttons are whole in the window at presenter type,
//   beside a terminal of at least 60x12 cells that it does not cover; the reference
//   typed into that terminal turns the checks green as the engine judges them.
// - a recording of a practice (commands typed, checks turning green, a Submit grade)
//   replayed a frame at a time: the panel is back, each frame one judgment, the
//   checklist after each frame as it was live at that point, the grade at the end, no
//   button that needs the live lab enabled; Back shows the frame before again.
#include "guiagents.h"
#include "mainwindow.h"
#include "mounttreeview.h"
#include "practicepanel.h"
#include "steppanel.h"
#include "terminalwidget.h"
#include "testutil.h"

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace mountlab::gui;

namespace {

constexpr int kPresenterPoints = 20;

QRect inWindow(const QWidget* w) { return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size()); }

// The part of `w` that is drawn, in window coordinates.
QRect shownPart(const QWidget* w)
{
    QRect r = inWindow(w);
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        r &= inWindow(p);
    return r;
}

QString geometry(const QRect& r)
{
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

// The reference's lines as a learner types them (no comments).
QStringList referenceLines()
{
    QFile f(mountlab::test::data_path(QStringLiteral("submissions/bind-mounts/leaky-volume/good.sh")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList out;
    for (const QString& l : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n')))
        if (!l.trimmed().isEmpty() && !l.trimmed().startsWith(QLatin1Char('#')))
            out << l;
    return out;
}

bool judgment(const QJsonObject& e)
{
    const QString kind = e.value(QLatin1String("kind")).toString();
    return (kind == QLatin1String("practice") && e.value(QLatin1String("active")).toBool()) ||
           kind == QLatin1String("practice-grade");
}

// What the panel shows of the checklist and the grade, as a learner reads it.
struct Shot {
    QStringList rows; // each check's row: its mark, name and points
    QString score;
    QString grade; // "" until a grade came
    bool operator==(const Shot& o) const = default;
};

Shot shotOf(PracticePanel* panel, const PracticeModel* model)
{
    Shot s;
    for (const QLabel* row : panel->checkRows())
        s.rows << row->text();
    s.score = panel->scoreText();
    if (model->hasGrade())
        s.grade = panel->gradeText();
    return s;
}

QString describe(const Shot& s)
{
    return s.score + QStringLiteral(" | ") + s.rows.join(QStringLiteral(" | ")) +
           (s.grade.isEmpty() ? QString() : QStringLiteral(" | graded"));
}

} // namespace

using gui_agents::liveWindow;

class TestGuiPracticeTeacher : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // bind-mounts/leaky-volume started as the navigator starts it, its shell's prompt up.
    static void startLeakyVolume(MainWindow& w)
    {
        QVERIFY2(w.session()->catalogueComplete(), qPrintable(w.engine()->stderrText()));
        QSignalSpy started(w.session()->practice(), &PracticeModel::started);
        QVERIFY(w.startPractice(QStringLiteral("bind-mounts"), QStringLiteral("leaky-volume")));
        QTRY_VERIFY2_WITH_TIMEOUT(started.size() == 1, qPrintable(w.engine()->stderrText()), 30000);
        QVERIFY(w.practicePanelShown());
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminalId(QStringLiteral("container")) >= 0 &&
                                      w.terminal()->screenText().endsWith(QLatin1String("]#")),
                                  qPrintable(w.terminal()->screenText()), 20000);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(w.terminal()));
    }

    // One line typed into the terminal; back once the engine judged the command.
    static void typeAndAwaitJudgment(MainWindow& w, const QString& line)
    {
        int judged = 0;
        const QMetaObject::Connection c = connect(w.session(), &Session::eventSeen, &w, [&](const QJsonObject& e) {
            judged += e.value(QLatin1String("kind")).toString() == QLatin1String("practice");
        });
        QTest::keyClicks(w.terminal(), line);
        QTest::keyClick(w.terminal(), Qt::Key_Return);
        (void)QTest::qWaitFor([&] { return judged > 0; }, 15000);
        disconnect(c);
        QVERIFY2(judged > 0, qPrintable(line + QLatin1Char('\n') + w.terminal()->screenText()));
    }

    // What a room would not see of the practice in presenter mode (empty: all of it).
    static QStringList presenterProblems(MainWindow& w, const QSize& size)
    {
        QStringList out;
        PracticePanel* panel = w.practicePanel();
        const QRect window = w.rect();
        if (w.size() != size)
            out << QStringLiteral("the window is %1x%2, not as asked").arg(w.width()).arg(w.height());
        if (!panel->isVisible())
            return out << QStringLiteral("the Practice panel is hidden");
        if (shownPart(panel) != inWindow(panel) || !window.contains(inWindow(panel)))
            out << QStringLiteral("the panel %1 is clipped to %2")
                       .arg(geometry(inWindow(panel)), geometry(shownPart(panel)));
        // A wrapped label whole in view: all of its lines drawn, at least presenter type.
        auto label = [&](const QLabel* l, const QString& what, double scale) {
            const QRect r = inWindow(l);
            if (!l->isVisible() || shownPart(l) != r || !window.contains(r) ||
                l->height() < l->heightForWidth(l->width()))
                out << QStringLiteral("%1 \"%2\" at %3 is cut (shown %4, needs %5 px high)")
                           .arg(what, l->text().left(60), geometry(r), geometry(shownPart(l)))
                           .arg(l->heightForWidth(l->width()));
            if (l->font().pointSizeF() < kPresenterPoints * scale - 0.01)
                out << QStringLiteral("%1 in %2 pt type").arg(what).arg(l->font().pointSizeF());
        };
        label(panel->findChild<QLabel*>(QStringLiteral("practiceTitle")), QStringLiteral("the title"), 1.0);
        for (const QLabel* row : panel->checkRows())
            label(row, QStringLiteral("the check"), 1.0);
        QVector<QPushButton*> buttons{panel->checkButton(), panel->submitButton(), panel->hintButton(),
                                      panel->stopButton()};
        if (panel->solutionButton()->isVisibleTo(panel))
            buttons << panel->solutionButton();
        for (QPushButton* b : buttons) {
            const QRect r = inWindow(b);
            if (!b->isVisible() || shownPart(b) != r || b->width() < b->sizeHint().width() ||
                b->height() < QFontMetrics(b->font()).height())
                out << QStringLiteral("the button \"%1\" at %2 is cut (shown %3, wants %4x%5)")
                           .arg(b->text(), geometry(r), geometry(shownPart(b)))
                           .arg(b->sizeHint().width())
                           .arg(b->sizeHint().height());
            if (b->font().pointSizeF() < kPresenterPoints - 0.01)
                out << QStringLiteral("the button \"%1\" in %2 pt type").arg(b->text()).arg(b->font().pointSizeF());
        }
        // The task: its first lines in the details' view, unscrolled.
        const QLabel* task = panel->findChild<QLabel*>(QStringLiteral("practiceTask"));
        const QRect view = inWindow(panel->detailsArea()->viewport()) & window;
        const int least = std::min(task->height(), 3 * QFontMetrics(task->font()).lineSpacing());
        const QRect taskShown = inWindow(task) & view;
        if (!task->isVisible() || taskShown.top() != inWindow(task).top() || taskShown.height() < least)
            out << QStringLiteral("the task at %1: %2 px of it in view %3 (wants %4)")
                       .arg(geometry(inWindow(task)))
                       .arg(taskShown.height())
                       .arg(geometry(view))
                       .arg(least);
        if (task->font().pointSizeF() < kPresenterPoints - 0.01)
            out << QStringLiteral("the task in %1 pt type").arg(task->font().pointSizeF());
        // The terminal beside it, a usable one, uncovered.
        TerminalWidget* t = w.terminal();
        if (!t || !t->isVisible())
            return out << QStringLiteral("no terminal in view");
        if (t->cols() < 60 || t->rows() < 12)
            out << QStringLiteral("the terminal is %1x%2 cells").arg(t->cols()).arg(t->rows());
        if (shownPart(t) != inWindow(t) || !window.contains(inWindow(t)))
            out << QStringLiteral("the terminal %1 is clipped to %2")
                       .arg(geometry(inWindow(t)), geometry(shownPart(t)));
        if (inWindow(t).intersects(inWindow(panel)))
            out << QStringLiteral("the panel %1 overlaps the terminal %2")
                       .arg(geometry(inWindow(panel)), geometry(inWindow(t)));
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        qunsetenv("MOUNTLAB_CLI"); // the real agent, next to the GUI
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void presenterMode_thePracticeInView_andTypingTicksTheChecks_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x720") << QSize(1280, 720);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }
    void presenterMode_thePracticeInView_andTypingTicksTheChecks()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QFETCH(QSize, size);
        const QStringList lines = referenceLines();
        QVERIFY(lines.size() >= 3);
        std::unique_ptr<MainWindow> w = liveWindow(size);
        startLeakyVolume(*w);
        if (QTest::currentTestFailed())
            return;
        w->setPresenterMode(true, /*fullScreen=*/false);
        w->setFontSize(kPresenterPoints);
        w->resize(size);
        QTest::qWait(300); // presenter mode's split is fitted after the layout
        PracticePanel* panel = w->practicePanel();
        PracticeModel* practice = w->session()->practice();
        QVERIFY(!practice->fullMarks());
        QStringList problems = presenterProblems(*w, size);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget*>(w->terminal()));
        // Typed in presenter mode: each judgment reaches the rows at once, and they stay in view.
        int greenSeen = 0;
        for (const QString& line : lines) {
            typeAndAwaitJudgment(*w, line);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(panel->checkRows().size(), practice->checks().size());
            int green = 0;
            for (int i = 0; i < practice->checks().size(); ++i) {
                const bool ticked = panel->checkRows()[i]->text().startsWith(QStringLiteral("✓"));
                QCOMPARE(ticked, practice->checks()[i].passed);
                if (ticked)
                    QCOMPARE(panel->checkRows()[i]->palette().color(QPalette::WindowText),
                             Theme::presenter(kPresenterPoints).practiceDone);
                green += ticked;
            }
            greenSeen = std::max(greenSeen, green);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(practice->fullMarks(), qPrintable(panel->scoreText()), 15000);
        QCOMPARE(panel->scoreText(), QStringLiteral("%1 / %1").arg(practice->max()));
        for (const QLabel* row : panel->checkRows())
            QVERIFY2(row->text().startsWith(QStringLiteral("✓")), qPrintable(row->text()));
        QTest::qWait(100);
        problems = presenterProblems(*w, size); // the ticked rows are bold: wider, maybe more lines
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        // F11 again: the navigator back at a usable width, the practice still beside the terminal.
        w->setPresenterMode(false, false);
        QTest::qWait(200);
        QVERIFY(w->practicePanelShown());
        QCOMPARE(w->size(), size);
        QVERIFY2(w->navigatorView()->isVisible() && w->navigatorView()->width() >= 150,
                 qPrintable(QString::number(w->navigatorView()->width())));
        QVERIFY2(inWindow(panel).right() <= w->width(), qPrintable(geometry(inWindow(panel))));
    }

    // Stop pressed in presenter mode: the presenter's own layout again (the step panel
    // and the tree back, the terminal at the room's type); F11 then: the navigator back.
    void stopInPresenterMode_givesTheLayoutBack()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QSize size(1280, 720);
        std::unique_ptr<MainWindow> w = liveWindow(size);
        startLeakyVolume(*w);
        if (QTest::currentTestFailed())
            return;
        w->setPresenterMode(true, /*fullScreen=*/false);
        w->setFontSize(kPresenterPoints);
        w->resize(size);
        QTest::qWait(300);
        const int practiceCell = w->terminal()->font().pointSize();
        QTest::mouseClick(w->practicePanel()->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w->practicePanelShown(), 10000);
        QTest::qWait(300);
        QVERIFY2(w->stepPanel()->isVisible() && w->stepPanel()->height() > 40,
                 qPrintable(QString::number(w->stepPanel()->height())));
        QVERIFY2(w->treeView()->height() >= 150, qPrintable(QString::number(w->treeView()->height())));
        QVERIFY2(w->terminal()->font().pointSize() >= practiceCell,
                 qPrintable(QStringLiteral("%1 < %2").arg(w->terminal()->font().pointSize()).arg(practiceCell)));
        w->setPresenterMode(false, false);
        QTest::qWait(200);
        QVERIFY2(w->navigatorView()->isVisible() && w->navigatorView()->width() >= 150,
                 qPrintable(QString::number(w->navigatorView()->width())));
    }

    void aRecordingOfAPractice_replaysItsChecks_aJudgmentAFrame()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QStringList lines = referenceLines();
        QVERIFY(lines.size() >= 3);
        const QString path = m_dir.filePath(QStringLiteral("practice.jsonl"));
        // Live: the checklist after each judgment, as the learner saw it.
        QVector<Shot> live;
        {
            std::unique_ptr<MainWindow> w = liveWindow(QSize(1366, 768));
            PracticePanel* panel = w->practicePanel();
            connect(w->session(), &Session::eventSeen, w.get(), [&](const QJsonObject& e) {
                if (judgment(e))
                    live << shotOf(panel, w->session()->practice());
            });
            startLeakyVolume(*w);
            if (QTest::currentTestFailed())
                return;
            for (const QString& line : lines) {
                typeAndAwaitJudgment(*w, line);
                if (QTest::currentTestFailed())
                    return;
            }
            QTRY_VERIFY_WITH_TIMEOUT(w->session()->practice()->fullMarks(), 15000);
            QTest::mouseClick(panel->submitButton(), Qt::LeftButton);
            QTRY_VERIFY2_WITH_TIMEOUT(w->session()->practice()->hasGrade() && !w->session()->practice()->grading(),
                                      qPrintable(w->engine()->stderrText()), 120000);
            QVERIFY2(panel->gradeText().contains(QLatin1String("passed")), qPrintable(panel->gradeText()));
            QVERIFY(w->saveRecording(path));
            w->engine()->stop();
        }
        // The start, one judgment per command typed, the grade.
        QCOMPARE(live.size(), lines.size() + 2);
        QVERIFY(live.first().score != live.last().score);
        QVERIFY(!live.last().grade.isEmpty());

        // Replayed: Space a frame at a time.
        MainWindow r;
        r.resize(1366, 768);
        r.show();
        QVERIFY(QTest::qWaitForWindowActive(&r));
        int judgedInFrame = 0;
        connect(r.session(), &Session::eventSeen, &r, [&](const QJsonObject& e) { judgedInFrame += judgment(e); });
        QVERIFY(r.openRecording(path));
        QCOMPARE(r.engine()->mode(), EngineClient::Mode::Replay);
        PracticePanel* panel = r.practicePanel();
        const PracticeModel* practice = r.session()->practice();
        QVector<Shot> replayed; // after each frame that judged
        // After each frame: the panel as the teacher sees it ([p]: the recording played up
        // to position p, frame 0 delivered on open).
        QVector<Shot> atPosition{Shot{}, shotOf(panel, practice)};
        QCOMPARE(r.engine()->replayPosition(), 1);
        while (r.engine()->replayPosition() < r.engine()->replayFrameCount()) {
            const int before = r.engine()->replayPosition();
            judgedInFrame = 0;
            r.runNextStep();
            QTRY_VERIFY(!r.session()->busy());
            QCOMPARE(r.engine()->replayPosition(), before + 1);
            // One judgment a frame: no state of the checklist is skipped.
            QVERIFY2(judgedInFrame <= 1,
                     qPrintable(QStringLiteral("frame %1 judged %2 times").arg(before).arg(judgedInFrame)));
            atPosition << shotOf(panel, practice);
            if (judgedInFrame) {
                replayed << atPosition.last();
                QVERIFY(r.practicePanelShown());
                // Nothing that needs the live lab: the recording is only shown.
                for (QPushButton* b : {panel->checkButton(), panel->submitButton(), panel->stopButton()})
                    QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
                QVERIFY2(panel->findChild<QLabel*>(QStringLiteral("practiceState"))
                             ->text()
                             .contains(QLatin1String("replay"), Qt::CaseInsensitive),
                         qPrintable(panel->findChild<QLabel*>(QStringLiteral("practiceState"))->text()));
            }
        }
        QCOMPARE(replayed.size(), live.size());
        for (int i = 0; i < live.size(); ++i)
            QVERIFY2(replayed[i] == live[i], qPrintable(QStringLiteral("judgment %1: replayed %2\nlive %3")
                                                            .arg(i)
                                                            .arg(describe(replayed[i]), describe(live[i]))));
        QVERIFY2(panel->gradeText().contains(QLatin1String("passed")) &&
                     panel->gradeText().contains(QStringLiteral("%1 / %1").arg(practice->max())),
                 qPrintable(panel->gradeText()));
        // Back: the frame before, as it was then (the recording played again up to it).
        const int last = r.engine()->replayPosition();
        r.back();
        QTRY_COMPARE_WITH_TIMEOUT(r.engine()->replayPosition(), last - 1, 10000);
        QTest::qWait(100);
        QVERIFY(r.practicePanelShown());
        const Shot back = shotOf(panel, practice);
        QVERIFY2(back == atPosition[last - 1],
                 qPrintable(describe(back) + QStringLiteral("\nwanted ") + describe(atPosition[last - 1])));
        QVERIFY(!(back == atPosition[last])); // the grade is gone again
    }
};

QTEST_MAIN(TestGuiPracticeTeacher)
#include "tst_gui_practice_teacher.moc"
