// The desktop walkthrough, off screen, against a real agent: driven by its keys
// (Space, Left, R) like a learner would, checking after each step what the mount
// trees and the trace table show; then the session's recording replayed must give
// the same views, step by step.
#include "mainwindow.h"
#include "mountinfopanel.h"
#include "mounttreeitem.h"
#include "terminalwidget.h"
#include "testutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

using namespace mountlab::gui;

namespace {

struct Snapshot {
    QStringList host, container, trace, copyUp, statuses;
    bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(MainWindow& w)
{
    Snapshot s;
    Session* session = w.session();
    s.host = session->hostModel()->describe();
    s.container = session->containerModel()->describe();
    s.trace = session->trace()->describe();
    s.copyUp = session->copyUp()->describe();
    NavigatorModel* nav = session->navigator();
    for (int i = 0; i < nav->stepCount(); ++i)
        s.statuses << NavigatorModel::statusName(nav->step(i).status);
    return s;
}

// What a reader sees of a tree, without the numbers a fresh lab renumbers.
QStringList shape(const MountForest& f)
{
    QStringList out;
    for (const auto& n : f.nodes())
        out << QStringLiteral("%1 %2 %3 %4")
                   .arg(n.mount().target, n.mount().fstype, n.mount().propagationText(),
                        MountTreeModel::changeName(n.change));
    return out;
}

const MountForest::Node* mounted(const MountForest& f, const QString& target)
{
    const int i = f.indexOfTarget(target);
    return i < 0 ? nullptr : &f.nodes()[i];
}

bool traceShows(MainWindow& w, const QString& text)
{
    QSortFilterProxyModel* m = w.traceView();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, TraceModel::CallColumn).data().toString().contains(text))
            return true;
    return false;
}

} // namespace

class TestGuiWalkthrough : public QObject {
    Q_OBJECT
    MainWindow* m_live = nullptr;
    QVector<Snapshot> m_afterStep; // live views after each step, for the replay
    QVector<QPair<QStringList, QStringList>> m_shapes;
    QString m_recording;
    QTemporaryDir m_dir;

    static void press(MainWindow& w, int key, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        // Where a real key press goes: the focused widget (the navigator after a click).
        QWidget* focus = QApplication::focusWidget();
        QTest::keyClick(focus && w.isAncestorOf(focus) ? focus : static_cast<QWidget*>(&w), Qt::Key(key), mods);
    }

    void pressAndWait(MainWindow& w, Qt::Key key, int expectedCurrent, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        NavigatorModel* nav = w.session()->navigator();
        const int next = w.nextStepToRun();
        const bool asks = (key == Qt::Key_Space || key == Qt::Key_Right) && next < nav->stepCount() &&
                          !nav->step(next).predict.isEmpty() && w.predictionOf(next) < 0;
        if (asks) {
            // A step that asks a prediction asks it first: Space shows the question and
            // runs nothing; the learner answers with a digit (the right one here), then
            // Space runs the step, and the panel says whether the kernel agreed.
            const int current = nav->current();
            press(w, Qt::Key_Space);
            QTest::qWait(50);
            QCOMPARE(nav->current(), current);
            QCOMPARE(nav->step(next).status, StepStatus::NotRun);
            QVERIFY2(w.stepResultText().contains(QLatin1String("Predict first")) &&
                         w.stepResultText().contains(QLatin1String("href=\"predict:0\"")),
                     qPrintable(w.stepResultText()));
            const int answer = nav->step(next).predict.value(QLatin1String("answer")).toInt();
            press(w, Qt::Key_1 + answer);
            QCOMPARE(w.predictionOf(next), answer);
            QVERIFY2(w.stepResultText().contains(QLatin1String("your prediction")), qPrintable(w.stepResultText()));
        }
        press(w, key, mods);
        QTRY_VERIFY_WITH_TIMEOUT(w.idle() && nav->current() == expectedCurrent, 30000);
        QTest::qWait(20); // the coalesced redraw
        if (asks)
            QVERIFY2(w.stepResultText().contains(QLatin1String("You predicted it.")), qPrintable(w.stepResultText()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        QStandardPaths::setTestModeEnabled(true); // QSettings away from the user's
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase() { delete m_live; }

    void spaceRunsEachStep_andTheTreesAndTraceShowWhatItDid()
    {
        m_live = new MainWindow;
        MainWindow& w = *m_live;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.startLive(EngineClient::Tracing::Auto));
        NavigatorModel* nav = w.session()->navigator();
        QTRY_VERIFY_WITH_TIMEOUT(nav->groupCount() > 1 && nav->groupSize(0) > 20 && w.session()->host().size() > 0,
                                 20000);
        // The walkthrough first, then the lessons of lessons/ (the agent's catalogue).
        QVERIFY(nav->group(0).walkthrough);
        QVERIFY(nav->groupIndex(QStringLiteral("propagation")) > 0);
        QCOMPARE(nav->active(), 0);
        QVERIFY(w.bannerText().contains(QLatin1String("engine: root")));
        const MountForest& host = w.session()->host();
        const MountForest& container = w.session()->container();
        MountTreeItem* tree = w.treeScene()->tree();
        m_afterStep.clear();

        const int walkthroughSteps = nav->groupSize(0);
        for (int i = 0; i < walkthroughSteps; ++i) // the step panel has something to say for each
            QVERIFY2(!nav->step(i).explain.isEmpty(), qPrintable(nav->step(i).id + QStringLiteral(" has no text")));
        for (int i = 0; i < walkthroughSteps; ++i) {
            const QString id = nav->step(i).id;
            pressAndWait(w, Qt::Key_Space, i + 1);
            QVERIFY2(nav->step(i).status == StepStatus::Passed,
                     qPrintable(id + QStringLiteral(": ") + NavigatorModel::statusName(nav->step(i).status)));
            QVERIFY(w.stepTitleText().contains(nav->step(i).title));
            m_afterStep << snapshot(w);
            m_shapes << qMakePair(shape(host), shape(container));

            if (id == QLatin1String("unshare-mount")) {
                QVERIFY(container.mntns != host.mntns);
                QVERIFY(traceShows(w, QStringLiteral("unshare(CLONE_NEWNS)")));
                // What the Mount line says of field (1), on this kernel: the new namespace's
                // copies of the lab host's mounts have IDs of their own, none shared.
                QSet<int> hostIds;
                for (const auto& n : host.nodes())
                    hostIds.insert(n.mount().id);
                for (const auto& n : container.nodes())
                    QVERIFY2(!hostIds.contains(n.mount().id), qPrintable(n.mount().target));
                QVERIFY(hostIds.size() > 5 && container.size() >= hostIds.size());
            } else if (id == QLatin1String("leak")) {
                const auto* h = mounted(host, QStringLiteral("/mnt/leak"));
                const auto* c = mounted(container, QStringLiteral("/mnt/leak"));
                QVERIFY2(h, "the lab host's tree has /mnt/leak");
                QVERIFY(c);
                QCOMPARE(h->change, Change::Added);
                QCOMPARE(h->mount().fstype, QStringLiteral("tmpfs"));
                QCOMPARE(h->mount().propagation(), Propagation::Shared);
                QCOMPARE(h->mount().peerGroup, c->mount().peerGroup);
                // One peer lane joins the two sides.
                QVERIFY(tree->laneGroups().contains(h->mount().peerGroup));
                // Hovering the group badge teaches what the peer group does.
                const int hn = host.indexOfTarget(QStringLiteral("/mnt/leak"));
                const QRectF badge = tree->nodeRect(MountTreeItem::HostPane, hn);
                const QString tip = tree->toolTipAt(QPointF(badge.right() - 30, badge.top() + 8));
                QVERIFY2(tip.contains(QStringLiteral("peer group %1: mounts and unmounts here propagate to every peer")
                                          .arg(h->mount().peerGroup)),
                         qPrintable(tip));
                QVERIFY(traceShows(w, QStringLiteral("mount(\"leak\", \"/mnt/leak\", \"tmpfs\", 0, NULL)")));
            } else if (id == QLatin1String("unleak")) {
                QVERIFY(!mounted(host, QStringLiteral("/mnt/leak")));
                // The trace shows this step's calls; the whole session with the box unticked.
                QVERIFY(w.traceStepOnly()->isChecked());
                QVERIFY(!traceShows(w, QStringLiteral("mount(\"leak\"")));
                w.traceStepOnly()->setChecked(false);
                QVERIFY(traceShows(w, QStringLiteral("mount(\"leak\"")));
                QVERIFY(traceShows(w, QStringLiteral("unshare(CLONE_NEWNS)")));
                w.traceStepOnly()->setChecked(true);
                bool ghost = false;
                for (const auto& n : host.nodes())
                    ghost |= n.mount().target == QLatin1String("/mnt/leak") && n.change == Change::Removed;
                QVERIFY2(ghost, "the unmount shows struck through on the lab host");
                QVERIFY(traceShows(w, QStringLiteral("umount2(\"/mnt/leak\"")));
            } else if (id == QLatin1String("make-rprivate")) {
                QCOMPARE(mounted(container, QStringLiteral("/"))->mount().propagation(), Propagation::Private);
                QCOMPARE(mounted(container, QStringLiteral("/"))->change, Change::Changed);
                QCOMPARE(mounted(host, QStringLiteral("/"))->mount().propagation(), Propagation::Shared);
                QVERIFY(traceShows(w, QStringLiteral("MS_REC|MS_PRIVATE")));
            } else if (id == QLatin1String("no-leak")) {
                QVERIFY(mounted(container, QStringLiteral("/mnt/private")));
                QVERIFY(!mounted(host, QStringLiteral("/mnt/private")));
                // Selecting the call in the trace selects the mount it made.
                QSortFilterProxyModel* t = w.traceView();
                w.traceFilter()->setText(QStringLiteral("/mnt/private"));
                QVERIFY(t->rowCount() >= 1);
                QVERIFY(t->rowCount() < w.session()->trace()->rowCount());
                w.traceTable()->setCurrentIndex(t->index(t->rowCount() - 1, TraceModel::CallColumn));
                QCOMPARE(tree->selectedPane(), int(MountTreeItem::ContainerPane));
                QCOMPARE(container.nodes()[tree->selectedNode()].mount().target, QStringLiteral("/mnt/private"));
                QVERIFY(w.mountinfoPanel()->fieldNames().contains(QStringLiteral("optional fields")));
                QVERIFY(w.mountinfoPanel()
                            ->explanationOf(QStringLiteral("optional fields"))
                            .contains(QLatin1String("private")));
                w.traceFilter()->clear();
            } else if (id == QLatin1String("mount-overlay")) {
                const auto* o = mounted(container, QStringLiteral("/var/lib/mountlab/c1/merged"));
                QVERIFY(o);
                QCOMPARE(o->mount().fstype, QStringLiteral("overlay"));
                QCOMPARE(o->mount().overlay().lowerdirs.size(), 3);
                QVERIFY(o->mount().overlay().upperdir.endsWith(QLatin1String("/upper")));
            } else if (id == QLatin1String("ps")) {
                // What the step's command printed is part of the lesson: the container's ps.
                QVERIFY2(w.stepResultText().contains(QLatin1String("<pre")) &&
                             w.stepResultText().contains(QLatin1String("PID")),
                         qPrintable(w.stepResultText()));
            } else if (id == QLatin1String("write")) {
                // Writing a file makes no mount call: the trace says so instead of nothing.
                if (w.traceView()->rowCount() == 0) {
                    auto* why = w.findChild<QLabel*>(QStringLiteral("traceEmptyState"));
                    QVERIFY(why && !why->isHidden());
                    QVERIFY2(why->text().contains(QLatin1String("no mount-family call")) ||
                                 why->text().contains(QLatin1String("tracing is off")),
                             qPrintable(why->text()));
                }
                QVERIFY(w.session()
                            ->copyUp()
                            ->describe()
                            .join(QLatin1Char('\n'))
                            .contains(QLatin1String("/etc/motd copied-up")));
            } else if (id == QLatin1String("chroot")) {
                // The mounts outside the new root still exist: drawn as outside this
                // process's root, none as "gone".
                int outside = -1, removed = 0, outsideCount = 0;
                for (int n = 0; n < container.size(); ++n) {
                    const Change c = container.nodes()[n].change;
                    removed += c == Change::Removed;
                    outsideCount += c == Change::OutsideRoot;
                    if (c == Change::OutsideRoot && outside < 0)
                        outside = n;
                }
                QCOMPARE(removed, 0);
                QVERIFY2(outsideCount > 0, "the mounts outside the chroot are marked outside its root");
                QCOMPARE(container.rootPath(), QStringLiteral("/var/lib/mountlab/c1/merged"));
                QVERIFY(container.nodes()[container.indexOfTarget(QStringLiteral("/"))].mount().isOverlay());
                const QRectF r = tree->nodeRect(MountTreeItem::ContainerPane, outside);
                const QString tip = tree->toolTipAt(QPointF(r.left() + 40, r.top() + 8));
                QVERIFY2(tip.contains(QLatin1String("still exists in this mount namespace")) &&
                             tip.contains(QLatin1String("climb back")),
                         qPrintable(tip));
                // The step's calls count from its start, not from the session's.
                QSortFilterProxyModel* t = w.traceView();
                for (int r2 = 0; r2 < t->rowCount(); ++r2) {
                    const QString time = t->index(r2, TraceModel::TimeColumn).data().toString();
                    QVERIFY2(time.mid(1).section(QLatin1Char(' '), 0, 0).toDouble() < 1000, qPrintable(time));
                }
            } else if (id == QLatin1String("delete")) {
                QVERIFY(w.session()->copyUp()->describe().join(QLatin1Char('\n')).contains(QLatin1String("whiteout")));
            }
        }
        // Every step was checked by the engine and shown as passed.
        for (int i = 0; i < walkthroughSteps; ++i)
            QCOMPARE(nav->step(i).status, StepStatus::Passed);
        // Selecting an earlier step shows what it did then, its checks and its calls.
        QTreeView* navView = w.navigatorView();
        const QModelIndex leakRow =
            nav->indexOfStep(nav->flatIndexOf(QStringLiteral("propagation"), QStringLiteral("leak")));
        navView->scrollTo(leakRow);
        QTest::mouseClick(navView->viewport(), Qt::LeftButton, {}, navView->visualRect(leakRow).center());
        QVERIFY2(w.stepResultText().contains(QLatin1String("the lab host has tmpfs mounted on /mnt/leak")),
                 qPrintable(w.stepResultText()));
        QVERIFY(traceShows(w, QStringLiteral("mount(\"leak\", \"/mnt/leak\"")));
        QVERIFY(!traceShows(w, QStringLiteral("unshare(CLONE_NEWNS)")));
        w.activateWindow();
        QVERIFY(nav->group(0).completed);
    }

    void terminalCommands_runInTheContainer_andTheirMountsAppear()
    {
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        const int current = w.session()->navigator()->current();
        w.showTerminal(QStringLiteral("container"));
        TerminalWidget* term = w.terminal();
        QTRY_VERIFY_WITH_TIMEOUT(term->screenText().endsWith(QLatin1String("]#")), 20000);
        QSignalSpy ended(w.session(), &Session::stepEnded);
        QTest::keyClicks(
            term, QStringLiteral("mkdir -p /mnt/console && mount -t tmpfs fromconsole /mnt/console && echo mounted"));
        QTest::keyClick(term, Qt::Key_Return);
        // The command on its line, its output on the next.
        QTRY_VERIFY_WITH_TIMEOUT(term->screenText().contains(QLatin1String("&& echo mounted\nmounted\n")), 20000);
        // What it changed arrives as a step of the terminal's: the trace shows its calls.
        QTRY_VERIFY_WITH_TIMEOUT(!ended.isEmpty() && w.idle(), 10000);
        QCOMPARE(w.session()->lastBegin().value(QLatin1String("stage")).toString(), QStringLiteral("terminal"));
        QTRY_VERIFY_WITH_TIMEOUT(traceShows(w, QStringLiteral("mount(\"fromconsole\", \"/mnt/console\", \"tmpfs\"")),
                                 5000);
        QTest::qWait(20);
        QVERIFY(mounted(w.session()->container(), QStringLiteral("/mnt/console")));
        QCOMPARE(w.session()->navigator()->current(), current); // not a walkthrough step
        m_afterStep << snapshot(w);
        // The keys that follow drive the walkthrough again, not the shell.
        w.navigatorView()->setFocus();
    }

    // Ctrl+T from the navigator: the Terminal tab shown and its terminal has the keys; a
    // letter typed next goes to the shell, not to the navigator.
    void ctrlT_fromTheNavigator_givesTheTerminalTheKeys()
    {
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        auto* tabs = w.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(0); // the trace
        QTreeView* navigator = w.navigatorView();
        navigator->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), navigator);
        QVERIFY(!w.terminalTabShown());
        QTest::keyClick(navigator, Qt::Key_T, Qt::ControlModifier);
        QTRY_VERIFY(w.terminalTabShown());
        TerminalWidget* term = w.terminal();
        QVERIFY(term);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(term));
        QTRY_VERIFY_WITH_TIMEOUT(term->screenText().endsWith(QLatin1String("]#")), 20000);
        QSignalSpy toShell(term, &TerminalWidget::input);
        QSignalSpy toNavigator(w.navigatorView(), SIGNAL(typedText(QString)));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Q);
        QCOMPARE(toShell.size(), 1);
        QCOMPARE(toShell.first().first().toByteArray(), QByteArray("q"));
        QCOMPARE(toNavigator.size(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(term->screenText().endsWith(QLatin1String("]# q")), 5000); // the shell echoes it
        QTest::keyClick(term, Qt::Key_Backspace);
        QTRY_VERIFY_WITH_TIMEOUT(term->screenText().endsWith(QLatin1String("]#")), 5000);
        // The keys that follow drive the walkthrough again, not the shell.
        w.navigatorView()->setFocus();
    }

    void leftGoesBackOneStep_byReplayingTheLabFromScratch()
    {
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        NavigatorModel* nav = w.session()->navigator();
        const int n = nav->groupSize(0);
        pressAndWait(w, Qt::Key_Left, n - 1);
        QCOMPARE(nav->step(n - 1).status, StepStatus::NotRun);
        QCOMPARE(nav->step(n - 2).status, StepStatus::Passed);
        // A fresh lab numbers peer groups anew: compare what the trees show.
        QCOMPARE(shape(w.session()->host()), m_shapes[n - 2].first);
        QCOMPARE(shape(w.session()->container()), m_shapes[n - 2].second);
        QVERIFY(!mounted(w.session()->container(), QStringLiteral("/mnt/console")));
        m_afterStep << snapshot(w);
    }

    // A learner who thinks the terminal has the keys types into the navigator or a text
    // box: no letter resets the lab, jumps to another lesson or runs a step; the status
    // bar says where commands go. Reset needs Ctrl.
    void typing_inTheNavigatorOrATextBox_neverRunsOrResets()
    {
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        NavigatorModel* nav = w.session()->navigator();
        QVERIFY(w.idle());
        const int current = nav->current();
        QVERIFY(current > 0);
        const int shown = w.shownGroup();
        const int shownStep = w.driver()->shownStep();
        QTreeView* navigator = w.navigatorView();
        navigator->setFocus();
        QTest::keyClicks(navigator, QStringLiteral("cat /proc/self/mountinfo | grep -r tmpfs 1"));
        QTest::qWait(100);
        QVERIFY(w.idle());
        QCOMPARE(nav->current(), current);
        QCOMPARE(w.shownGroup(), shown);
        QCOMPARE(w.driver()->shownStep(), shownStep); // no type-ahead into another lesson
        QVERIFY2(w.statusBar()->currentMessage().contains(QLatin1String("Terminal tab")),
                 qPrintable(w.statusBar()->currentMessage()));
        QCOMPARE(navigator->selectionModel()->selectedRows().size(), 1);
        // R alone is a letter like any other.
        QTest::keyClick(&w, Qt::Key_R);
        QTest::qWait(100);
        QCOMPARE(nav->current(), current);
        // The text boxes take every key, Space and digits too.
        for (QLineEdit* box : {w.traceFilter(), w.findMountBox()}) {
            box->setFocus();
            QTest::keyClicks(box, QStringLiteral("cat /proc r 1 "));
            QTest::keyClick(box, Qt::Key_Right);
            QTest::keyClick(box, Qt::Key_Left);
            QTest::qWait(100);
            QVERIFY(w.idle());
            QCOMPARE(nav->current(), current);
            QCOMPARE(box->text(), QStringLiteral("cat /proc r 1 "));
            box->clear();
        }
        // Two seconds after the last letter typed in the navigator, Space is the
        // window's again (the next test runs steps with it from there).
        navigator->setFocus();
        QTest::qWait(2100);
    }

    void rResetsTheLab_andNothingIsRun()
    {
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        pressAndWait(w, Qt::Key_R, 0, Qt::ControlModifier);
        NavigatorModel* nav = w.session()->navigator();
        // The panel shows the lesson from its top, not the step it showed before.
        QCOMPARE(w.driver()->shownStep(), -1);
        QVERIFY2(w.stepResultText().contains(QLatin1String("Space starts")) ||
                     w.stepResultText().contains(QLatin1String("Space runs step 1")),
                 qPrintable(w.stepResultText()));
        for (int i = 0; i < nav->stepCount(); ++i)
            QCOMPARE(nav->step(i).status, StepStatus::NotRun);
        QVERIFY(!mounted(w.session()->host(), QStringLiteral("/mnt/leak")));
        QVERIFY(!mounted(w.session()->container(), QStringLiteral("/var/lib/mountlab/c1/merged")));
        // Run the first two steps again: the leak shows on the lab host again.
        pressAndWait(w, Qt::Key_Space, 1);
        pressAndWait(w, Qt::Key_Right, 2);
        QVERIFY(mounted(w.session()->host(), QStringLiteral("/mnt/leak")));
        m_recording = m_dir.filePath(QStringLiteral("session.jsonl"));
        // Steps run and not saved: quitting would ask. Saved: it says where, and asks no more.
        QVERIFY(w.unsavedWork());
        {
            // Quitting asks first; Cancel keeps the window and its lab.
            qunsetenv("MOUNTLAB_NO_DIALOGS");
            bool asked = false;
            // Looked for until it is there (a loaded machine shows it late); any other
            // modal after 10 s is closed, so that a wrong dialog fails the test, not hangs it.
            QTimer poll;
            QElapsedTimer since;
            since.start();
            connect(&poll, &QTimer::timeout, &w, [&] {
                QWidget* modal = QApplication::activeModalWidget();
                if (auto* box = qobject_cast<QMessageBox*>(modal); box && box->button(QMessageBox::Cancel)) {
                    asked = true;
                    box->button(QMessageBox::Cancel)->click();
                } else if (modal && since.elapsed() > 10000) {
                    modal->close();
                }
            });
            poll.start(50);
            const bool closed = w.close();
            poll.stop();
            qputenv("MOUNTLAB_NO_DIALOGS", "1");
            QVERIFY(asked);
            QVERIFY(!closed);
            QVERIFY(w.isVisible());
        }
        QVERIFY(w.saveRecording(m_recording));
        QVERIFY(!w.unsavedWork());
        QVERIFY2(w.statusBar()->currentMessage().contains(m_recording), qPrintable(w.statusBar()->currentMessage()));
        QVERIFY(!w.saveRecording(m_dir.filePath(QStringLiteral("no-such-dir/session.jsonl"))));
        QVERIFY2(w.statusBar()->currentMessage().startsWith(QLatin1String("Not saved")),
                 qPrintable(w.statusBar()->currentMessage()));
        QVERIFY(w.exportTreeSvg(m_dir.filePath(QStringLiteral("tree.svg"))));
        QVERIFY(w.exportTreePng(m_dir.filePath(QStringLiteral("tree.png"))));
        QVERIFY(w.exportHtmlReport(m_dir.filePath(QStringLiteral("report.html"))));
        QFile svg(m_dir.filePath(QStringLiteral("tree.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("/mnt/leak"));
        QFile html(m_dir.filePath(QStringLiteral("report.html")));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray report = html.readAll();
        QVERIFY(report.contains("Mount a tmpfs before making / private"));
        QVERIFY(report.contains("<svg"));
        QCOMPARE(QImage(m_dir.filePath(QStringLiteral("tree.png"))).isNull(), false);
    }

    // The learner predicts before the kernel answers: Space on a step with a question
    // shows it and runs nothing; Space again runs it anyway; a choice (key or click) is
    // marked, and once the step ran the panel says whether the kernel agreed.
    void aPrediction_isAskedFirst_aWrongOneIsTold_andSpaceTwiceSkipsIt()
    {
        MOUNTLAB_REQUIRE_ROOT();
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.startLive(EngineClient::Tracing::None));
        NavigatorModel* nav = w.session()->navigator();
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->catalogueComplete() && nav->groupSize(0) > 20 && w.idle(), 20000);
        auto spaceAndWait = [&](int current) {
            press(w, Qt::Key_Space);
            QTRY_VERIFY_WITH_TIMEOUT(w.idle() && nav->current() == current, 30000);
        };
        spaceAndWait(1); // unshare-mount asks nothing
        const int leak = nav->flatIndexOf(QStringLiteral("propagation"), QStringLiteral("leak"));
        QCOMPARE(leak, 1);
        press(w, Qt::Key_Space);
        QTest::qWait(100);
        QCOMPARE(nav->current(), 1);
        QCOMPARE(nav->step(leak).status, StepStatus::NotRun);
        QVERIFY2(w.stepResultText().contains(QLatin1String("Predict first")), qPrintable(w.stepResultText()));
        spaceAndWait(2); // the second Space runs it, unpredicted
        QVERIFY2(w.stepResultText().contains(QLatin1String("Prediction:")) &&
                     !w.stepResultText().contains(QLatin1String("your prediction")),
                 qPrintable(w.stepResultText()));
        press(w, Qt::Key_2); // too late: the kernel has answered
        QCOMPARE(w.predictionOf(leak), -1);

        const int del = nav->flatIndexOf(QStringLiteral("copy-up"), QStringLiteral("delete"));
        QVERIFY(del > leak);
        while (nav->current() < del)
            spaceAndWait(nav->current() + 1);
        press(w, Qt::Key_Space); // asks
        QTest::qWait(100);
        QCOMPARE(nav->current(), del);
        // A click on the first choice (a wrong one) chooses it, as the key 1 would.
        auto* result = w.findChild<QLabel*>(QStringLiteral("stepPrediction"));
        QVERIFY(result);
        QVERIFY(result->text().contains(QLatin1String("href=\"predict:0\"")));
        Q_EMIT result->linkActivated(QStringLiteral("predict:0"));
        QCOMPARE(w.predictionOf(del), 0);
        QVERIFY2(w.stepResultText().contains(QLatin1String("your prediction")), qPrintable(w.stepResultText()));
        spaceAndWait(del + 1);
        QCOMPARE(nav->step(del).status, StepStatus::Passed);
        QVERIFY2(w.stepResultText().contains(QLatin1String("Not what you predicted:</b> the kernel did 2.")),
                 qPrintable(w.stepResultText()));
        QVERIFY(w.stepResultText().contains(QLatin1String("Why:")));
    }

    void replayingTheRecording_givesTheSameViewsAsTheLiveRun()
    {
        QVERIFY(!m_recording.isEmpty());
        const Snapshot liveEnd = snapshot(*m_live);
        MainWindow r;
        r.resize(1400, 900);
        r.show();
        QVERIFY(QTest::qWaitForWindowActive(&r));
        QVERIFY(r.openRecording(m_recording));
        QVERIFY(r.bannerText().contains(QLatin1String("REPLAY")));
        QVERIFY(r.terminal()->readOnly()); // nothing runs in a replay
        // Frame by frame (Space), the views match the live ones after each step.
        int compared = 0;
        while (r.engine()->replayPosition() < r.engine()->replayFrameCount()) {
            QTest::keyClick(&r, Qt::Key_Space);
            QTRY_VERIFY_WITH_TIMEOUT(!r.session()->busy(), 5000);
            if (compared < m_afterStep.size() - 1 && r.session()->navigator()->current() == compared + 1 &&
                r.session()->lastBegin().value(QLatin1String("stage")).toString() != QLatin1String("terminal")) {
                const Snapshot s = snapshot(r);
                QCOMPARE(s.host, m_afterStep[compared].host);
                QCOMPARE(s.container, m_afterStep[compared].container);
                QCOMPARE(s.trace, m_afterStep[compared].trace);
                QCOMPARE(s.copyUp, m_afterStep[compared].copyUp);
                QCOMPARE(s.statuses, m_afterStep[compared].statuses);
                ++compared;
            }
        }
        QVERIFY2(compared >= 20, qPrintable(QStringLiteral("compared %1 steps").arg(compared)));
        const Snapshot replayEnd = snapshot(r);
        QCOMPARE(replayEnd.host, liveEnd.host);
        QCOMPARE(replayEnd.container, liveEnd.container);
        QCOMPARE(replayEnd.trace, liveEnd.trace);
        QCOMPARE(replayEnd.statuses, liveEnd.statuses);
        // Presenter mode: F11 hides the navigator; its font size is kept in QSettings.
        QTest::keyClick(&r, Qt::Key_F11);
        QVERIFY(r.presenterMode());
        QVERIFY(!r.findChild<QTreeView*>()->isVisible());
        r.setFontSize(23);
        QCOMPARE(QSettings().value(QStringLiteral("presenter/fontSize")).toInt(), 23);
        QTest::keyClick(&r, Qt::Key_F11);
        QVERIFY(!r.presenterMode());
        QVERIFY(r.findChild<QTreeView*>()->isVisible());
        // Back in a replay replays from the start, up to the previous step.
        const int current = r.session()->navigator()->current();
        QTest::keyClick(&r, Qt::Key_Left);
        (void)r.grab(); // painted at once, while the session was just emptied and refilled
        QTRY_COMPARE_WITH_TIMEOUT(r.session()->navigator()->current(), current - 1, 5000);
        QTest::keyClick(&r, Qt::Key_R, Qt::ControlModifier);
        (void)r.grab();
        QTRY_VERIFY_WITH_TIMEOUT(!r.session()->busy(), 5000);
        QCOMPARE(r.session()->navigator()->current(), 0);

        // Another recording, of one lesson, in the same window: its navigator is that lesson alone.
        const QString one = m_dir.filePath(QStringLiteral("propagation.jsonl"));
        const mountlab::test::ProcessResult run =
            mountlab::test::run(QStringLiteral(MOUNTLAB_CLI),
                                {QStringLiteral("run"), QStringLiteral("propagation"), QStringLiteral("--json"),
                                 QStringLiteral("--no-trace")},
                                {}, 60000);
        QVERIFY2(run.exit_code == 0, run.err.constData());
        QFile out(one);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(run.out);
        out.close();
        QVERIFY(r.openRecording(one));
        (void)r.grab();
        QCOMPARE(r.session()->navigator()->groupCount(), 1);
        QCOMPARE(r.session()->navigator()->group(0).id, QStringLiteral("propagation"));
    }

    // A lesson of lessons/ picked in the navigator with the mouse, then driven by keys:
    // it runs in a fresh lab, each step shows in the trees and the trace, and Space after
    // its last step goes on to the next lesson.
    void aLessonPickedInTheNavigator_runsInAFreshLab_drivenByKeys()
    {
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        NavigatorModel* nav = w.session()->navigator();
        const int g = nav->groupIndex(QStringLiteral("propagation"));
        QVERIFY(g > 0);
        w.activateWindow(); // the replay's window had the keys
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(nav->step(0).status == StepStatus::Passed); // the walkthrough's first steps ran
        QTreeView* navView = w.navigatorView();
        const QModelIndex lessonRow = nav->indexOfGroup(g);
        navView->scrollTo(lessonRow);
        QTest::mouseClick(navView->viewport(), Qt::LeftButton, {}, navView->visualRect(lessonRow).center());
        QCOMPARE(w.shownGroup(), g);
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget*>(navView)); // the keys below go to the navigator
        // The overview: the lesson, its summary and its graded exercises.
        QVERIFY2(w.stepTitleText().contains(QLatin1String("Propagation")), qPrintable(w.stepTitleText()));
        QVERIFY2(w.stepExplainText().contains(
                     nav->group(g).exercises.first().toObject().value(QLatin1String("title")).toString()),
                 qPrintable(w.stepExplainText()));
        QCOMPARE(w.nextStepToRun(), nav->groupStart(g));

        const MountForest& host = w.session()->host();
        const MountForest& container = w.session()->container();
        const int start = nav->groupStart(g);
        for (int i = start; i < start + nav->groupSize(g); ++i) {
            const QString id = nav->step(i).id;
            pressAndWait(w, Qt::Key_Space, i + 1);
            QCOMPARE(nav->active(), g);
            QVERIFY2(nav->step(i).status == StepStatus::Passed,
                     qPrintable(id + QStringLiteral(": ") + NavigatorModel::statusName(nav->step(i).status)));
            QVERIFY2(w.stepTitleText().contains(nav->step(i).title), qPrintable(w.stepTitleText()));
            if (i == start) {
                // A fresh lab: nothing of the walkthrough is left; the walkthrough keeps its marks.
                QVERIFY(!mounted(host, QStringLiteral("/mnt/leak")));
                QCOMPARE(nav->step(0).status, StepStatus::Passed);
                QVERIFY(!nav->index(0, 0).data(NavigatorModel::IsActiveRole).toBool());
                QVERIFY(container.mntns != host.mntns);
                QVERIFY(traceShows(w, QStringLiteral("unshare(CLONE_NEWNS)")));
            } else if (id == QLatin1String("leak")) {
                const auto* h = mounted(host, QStringLiteral("/mnt/leak"));
                const auto* c = mounted(container, QStringLiteral("/mnt/leak"));
                QVERIFY2(h && c, "the tmpfs shows on both sides");
                QCOMPARE(h->change, Change::Added);
                QCOMPARE(h->mount().peerGroup, c->mount().peerGroup);
            } else if (id == QLatin1String("make-rprivate")) {
                QCOMPARE(mounted(container, QStringLiteral("/"))->mount().propagation(), Propagation::Private);
                QCOMPARE(mounted(host, QStringLiteral("/"))->mount().propagation(), Propagation::Shared);
                QVERIFY(!mounted(host, QStringLiteral("/mnt/leak")));
                QVERIFY(traceShows(w, QStringLiteral("MS_REC|MS_PRIVATE")));
            } else if (id == QLatin1String("no-leak")) {
                QVERIFY(mounted(container, QStringLiteral("/mnt/private")));
                QVERIFY(!mounted(host, QStringLiteral("/mnt/private")));
            } else if (id == QLatin1String("slave")) {
                QCOMPARE(mounted(container, QStringLiteral("/mnt/slave"))->mount().propagation(), Propagation::Slave);
                QVERIFY(traceShows(w, QStringLiteral("MS_SLAVE")));
            } else if (id == QLatin1String("propagate-to-slave")) {
                QVERIFY(mounted(container, QStringLiteral("/mnt/peer/inner")));
                QVERIFY(mounted(container, QStringLiteral("/mnt/slave/inner")));
            } else if (id == QLatin1String("slave-sends-nothing")) {
                QVERIFY(mounted(container, QStringLiteral("/mnt/slave/back")));
                QVERIFY(!mounted(container, QStringLiteral("/mnt/private/back")));
            } else if (id == QLatin1String("unbindable")) {
                QCOMPARE(mounted(container, QStringLiteral("/mnt/private"))->mount().propagation(),
                         Propagation::Unbindable);
                QVERIFY(!mounted(container, QStringLiteral("/mnt/copy")));
                // The refused bind shows in the trace with its errno.
                bool refused = false;
                for (int r = 0; r < w.traceView()->rowCount(); ++r)
                    refused |= w.traceView()
                                   ->index(r, TraceModel::CallColumn)
                                   .data()
                                   .toString()
                                   .contains(QLatin1String("/mnt/copy")) &&
                               w.traceView()
                                   ->index(r, TraceModel::ResultColumn)
                                   .data()
                                   .toString()
                                   .contains(QLatin1String("EINVAL"));
                QVERIFY2(refused, "mount --bind of an unbindable mount fails with EINVAL in the trace");
            }
        }
        QVERIFY(nav->group(g).completed);
        // Space after the last step: the lesson's summary, the lab as the last step left it.
        const int next = g + 1;
        QVERIFY(next < nav->groupCount());
        press(w, Qt::Key_Space);
        QTest::qWait(100);
        QVERIFY(w.idle());
        QCOMPARE(nav->active(), g);
        QCOMPARE(w.driver()->overviewShown(), g);
        QVERIFY(mounted(w.session()->container(), QStringLiteral("/mnt/private")));
        QVERIFY2(w.stepResultText().contains(QLatin1String("Lesson done")) &&
                     w.stepResultText().contains(nav->group(next).title.toHtmlEscaped()),
                 qPrintable(w.stepResultText()));
        auto* nextButton = w.findChild<QPushButton*>(QStringLiteral("nextLesson"));
        QVERIFY(nextButton && nextButton->isVisible());
        // Space again: the next lesson, in a fresh lab.
        pressAndWait(w, Qt::Key_Space, nav->groupStart(next) + 1);
        QVERIFY(!nextButton->isVisible());
        QCOMPARE(nav->active(), next);
        QVERIFY(!mounted(w.session()->container(), QStringLiteral("/mnt/private")));
        QVERIFY(nav->group(g).completed); // what was done stays marked
        for (int i = start; i < start + nav->groupSize(g); ++i)
            QCOMPARE(nav->step(i).status, StepStatus::Passed);
        // Left undoes it: a fresh lab, still in that lesson.
        pressAndWait(w, Qt::Key_Left, nav->groupStart(next));
        QCOMPARE(nav->active(), next);
        QCOMPARE(nav->step(nav->groupStart(next)).status, StepStatus::NotRun);

        // The whole session replayed (walkthrough, lessons, resets) ends where the live one did,
        // with the same lesson active and the same marks.
        const QString recording = m_dir.filePath(QStringLiteral("lessons.jsonl"));
        QString error;
        QVERIFY2(w.session()->saveRecording(recording, &error), qPrintable(error));
        const Snapshot liveEnd = snapshot(w);
        MainWindow r;
        QVERIFY(r.openRecording(recording));
        while (r.engine()->replayPosition() < r.engine()->replayFrameCount()) {
            r.runNextStep();
            QTRY_VERIFY_WITH_TIMEOUT(!r.session()->busy(), 5000);
        }
        const Snapshot replayEnd = snapshot(r);
        QCOMPARE(replayEnd.host, liveEnd.host);
        QCOMPARE(replayEnd.container, liveEnd.container);
        QCOMPARE(replayEnd.trace, liveEnd.trace);
        QCOMPARE(replayEnd.statuses, liveEnd.statuses);
        QCOMPARE(r.session()->navigator()->active(), next);
        QVERIFY(r.session()->navigator()->group(g).completed);
        // In a replay of several lessons, Left steps back one frame of the recording, and
        // running to a step plays the recording up to where that step ran.
        const int frames = r.engine()->replayPosition();
        r.back();
        QTRY_VERIFY_WITH_TIMEOUT(!r.session()->busy() && r.engine()->replayPosition() == frames - 1, 10000);
        r.runToStep(start + 1);
        QTRY_VERIFY_WITH_TIMEOUT(!r.session()->busy() && r.session()->lastFlat() == start + 1, 10000);
        QCOMPARE(r.session()->lastBegin().value(QLatin1String("lesson")).toString(), QStringLiteral("propagation"));
        QCOMPARE(r.session()->navigator()->active(), g);

        // The teacher's report: the marks per lesson, then the steps under their lesson,
        // the lesson's Markdown rendered, resets as one line each.
        const QString reportPath = m_dir.filePath(QStringLiteral("lessons.html"));
        QVERIFY(w.exportHtmlReport(reportPath));
        QFile f(reportPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString report = QString::fromUtf8(f.readAll());
        QVERIFY(report.contains(QLatin1String("<h2>Lessons at the end of the session</h2>")));
        QVERIFY2(
            report.contains(
                QStringLiteral(
                    "<tr><td>Propagation</td><td>%1 of %1 passed</td><td><span class='pass'>✓ every step passed</span>")
                    .arg(nav->groupSize(g))),
            qPrintable(report.left(2000)));
        QVERIFY(report.contains(QLatin1String("<h2>Lesson: Propagation</h2>")));
        QVERIFY(report.contains(QStringLiteral("step 2 of %1 · %2")
                                    .arg(nav->groupSize(g))
                                    .arg(nav->step(start + 1).title.toHtmlEscaped())));
        QVERIFY2(report.contains(QStringLiteral("<p class='reset'>⟲ Start a fresh lab host</p>")),
                 qPrintable(report.mid(report.indexOf(QLatin1String("reset")) - 200, 400)));
        QVERIFY(!report.contains(QLatin1String("**"))); // Markdown rendered, not printed
    }
};

QTEST_MAIN(TestGuiWalkthrough)
#include "tst_gui_walkthrough.moc"
