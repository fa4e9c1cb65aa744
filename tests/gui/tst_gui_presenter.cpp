// Presenter mode at a projector's sizes (1280x720, 1366x768, 1600x1000), off screen,
// against a real agent, the walkthrough's steps run with Space: the window is as big as
// asked (nothing in it forces a wider one), the tree takes most of the height, the
// mounts a step makes are in the tree's view, and the tree's type is the size of the
// step's prose and grows with the presenter font (in normal mode with the UI font); for
// every walkthrough step, the step strip's title line and the mark of its result and of
// every check are inside the part of the window a room sees.
#include "mainwindow.h"
#include "mounttreeitem.h"
#include "mounttreeview.h"
#include "stepmarks.h"
#include "testutil.h"

#include <QApplication>
#include <QFontInfo>
#include <QLabel>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QtTest>

using namespace mountlab::gui;

namespace {

// The tree's node text as it reaches the screen: its font's pixels at the view's zoom.
double nodePixels(MainWindow& w)
{
    return QFontInfo(w.treeScene()->tree()->nodeFont()).pixelSize() * w.treeView()->zoom();
}

// The step text's prose in presenter mode (StepPanel's explanation font).
double prosePixels(int points) { return QFontInfo(Theme::presenter(points).uiFont(1.1)).pixelSize(); }

QRect inWindow(const QWidget* w) { return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size()); }

// The part of `w` that is drawn, in window coordinates.
QRect shownPart(const QWidget* w)
{
    QRect r = inWindow(w);
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        r &= inWindow(p);
    return r;
}

// A label whole in view, its text (one line) not wider than the label.
bool labelInView(const QLabel* l, const QString& what, QString* why)
{
    const QRect r = inWindow(l), shown = shownPart(l);
    const QRect text = l->contentsRect();
    const QFontMetrics fm(l->font());
    if (!l->isVisible() || shown != r || text.height() < fm.height() ||
        fm.horizontalAdvance(l->text()) > text.width() + 1) {
        *why = QStringLiteral("%1 \"%2\": %3x%4+%5+%6, in view %7x%8+%9+%10, text %11 px wide in %12x%13 (visible %14)")
                   .arg(what, l->text())
                   .arg(r.width())
                   .arg(r.height())
                   .arg(r.x())
                   .arg(r.y())
                   .arg(shown.width())
                   .arg(shown.height())
                   .arg(shown.x())
                   .arg(shown.y())
                   .arg(fm.horizontalAdvance(l->text()))
                   .arg(text.width())
                   .arg(text.height())
                   .arg(l->isVisible());
        return false;
    }
    return true;
}

// A mark shows the start of `want`: the whole, or a prefix of it and "…" (at least a
// few characters of the name).
bool markShows(const QLabel* l, const QString& want)
{
    QString t = l->text();
    if (t == want)
        return true;
    if (!t.endsWith(QChar(0x2026)))
        return false;
    t.chop(1);
    return t.size() >= 5 && want.startsWith(t);
}

int addedCount(const MountForest& f)
{
    int n = 0;
    for (const auto& node : f.nodes())
        n += node.change == Change::Added;
    return n;
}

} // namespace

class TestGuiPresenter : public QObject {
    Q_OBJECT
    MainWindow* m_w = nullptr;

    // Space on what has the focus, as a teacher presses it; a step that asks a prediction
    // gets its answer first. Waits until the step ran and the window settled.
    void runNextStep()
    {
        MainWindow& w = *m_w;
        NavigatorModel* nav = w.session()->navigator();
        const int next = w.nextStepToRun();
        QVERIFY(next < nav->stepCount());
        QWidget* focus = QApplication::focusWidget();
        QWidget* to = focus && w.isAncestorOf(focus) ? focus : static_cast<QWidget*>(&w);
        if (!nav->step(next).predict.isEmpty() && w.predictionOf(next) < 0) {
            // The first press asks the question; the teacher's class answers with a digit.
            QTest::keyClick(to, Qt::Key_Space);
            QTest::qWait(50);
            QTest::keyClick(to, Qt::Key(Qt::Key_1 + nav->step(next).predict.value(QLatin1String("answer")).toInt()));
            QVERIFY(w.predictionOf(next) >= 0);
        }
        QTest::keyClick(to, Qt::Key_Space);
        QTRY_VERIFY2_WITH_TIMEOUT(w.idle() && nav->current() == next + 1,
                                  qPrintable(QStringLiteral("focus %1 (%2), idle %3, current %4, next %5, active %6")
                                                 .arg(focus ? focus->metaObject()->className() : "none")
                                                 .arg(focus && focus->isVisible())
                                                 .arg(w.idle())
                                                 .arg(nav->current())
                                                 .arg(next)
                                                 .arg(w.isActiveWindow())),
                                  30000);
        QCOMPARE(nav->step(next).status, StepStatus::Passed);
        QTest::qWait(150); // the coalesced redraw, the split and the scroll that follow it
    }

    // Every mount the last step added, on both sides, inside the tree view's viewport.
    void verifyAddedMountsInView(const QByteArray& where)
    {
        MainWindow& w = *m_w;
        MountTreeItem* tree = w.treeScene()->tree();
        MountTreeView* view = w.treeView();
        const QRect viewport = view->viewport()->rect();
        int seen = 0;
        for (int pane : {int(MountTreeItem::HostPane), int(MountTreeItem::ContainerPane)}) {
            const MountForest* f = tree->forest(pane);
            for (int i = 0; i < f->size(); ++i) {
                if (f->nodes()[i].change != Change::Added)
                    continue;
                const QRect shown = view->mapFromScene(tree->nodeRect(pane, i)).boundingRect();
                QVERIFY2(viewport.contains(shown),
                         qPrintable(QStringLiteral("%1: %2 at %3,%4 %5x%6 outside the %7x%8 viewport")
                                        .arg(QString::fromLatin1(where), f->nodes()[i].mount().target)
                                        .arg(shown.x())
                                        .arg(shown.y())
                                        .arg(shown.width())
                                        .arg(shown.height())
                                        .arg(viewport.width())
                                        .arg(viewport.height())));
                ++seen;
            }
        }
        QVERIFY(seen > 0);
    }

    // The window as big as asked, the tree's view at least half its height.
    void verifyRoom(const QSize& size, const QByteArray& where)
    {
        MainWindow& w = *m_w;
        QVERIFY2(w.size() == size, qPrintable(QStringLiteral("%1: asked %2x%3, got %4x%5 (minimum %6x%7)")
                                                  .arg(QString::fromLatin1(where))
                                                  .arg(size.width())
                                                  .arg(size.height())
                                                  .arg(w.width())
                                                  .arg(w.height())
                                                  .arg(w.minimumSizeHint().width())
                                                  .arg(w.minimumSizeHint().height())));
        QString split;
        for (QSplitter* s : w.findChildren<QSplitter*>())
            if (s->orientation() == Qt::Vertical)
                for (int i = 0; i < s->count(); ++i)
                    split += QStringLiteral(" %1 (min %2)")
                                 .arg(s->sizes().value(i))
                                 .arg(s->widget(i)->minimumSizeHint().height());
        QVERIFY2(w.treeView()->height() * 2 >= w.height(),
                 qPrintable(QStringLiteral("%1: the tree's view is %2 px of %3; split%4")
                                .arg(QString::fromLatin1(where))
                                .arg(w.treeView()->height())
                                .arg(w.height())
                                .arg(split)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        QStandardPaths::setTestModeEnabled(true); // QSettings away from the user's
        QSettings().clear();
        m_w = new MainWindow;
        m_w->setPresenterMode(true, /*fullScreen=*/false);
        m_w->resize(1600, 1000);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowActive(m_w));
        QVERIFY(m_w->startLive(EngineClient::Tracing::None));
        NavigatorModel* nav = m_w->session()->navigator();
        QTRY_VERIFY_WITH_TIMEOUT(nav->groupCount() > 1 && nav->groupSize(0) > 20 && m_w->session()->host().size() > 0,
                                 20000);
        m_w->activateWindow();
    }

    void cleanupTestCase() { delete m_w; }

    void theTreeHasTheRoom_andTheStepsMountsAreInView_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x720") << QSize(1280, 720);
        QTest::newRow("1366x768") << QSize(1366, 768);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }

    void theTreeHasTheRoom_andTheStepsMountsAreInView()
    {
        QFETCH(QSize, size);
        QVERIFY(m_w);
        MainWindow& w = *m_w;
        QVERIFY(w.presenterMode());
        w.setFontSize(20);
        w.resize(size);
        QTest::qWait(50);
        verifyRoom(size, "before the step");
        if (QTest::currentTestFailed())
            return;
        // The walkthrough's next steps up to one that mounts something (leak, no-leak,
        // mount-overlay: one per size).
        for (int tries = 0; tries < 6; ++tries) {
            runNextStep();
            if (QTest::currentTestFailed())
                return;
            if (addedCount(w.session()->host()) + addedCount(w.session()->container()) > 0)
                break;
        }
        QVERIFY(addedCount(w.session()->host()) + addedCount(w.session()->container()) > 0);
        verifyRoom(size, "after the step");
        if (QTest::currentTestFailed())
            return;
        verifyAddedMountsInView("after the step");
        if (QTest::currentTestFailed())
            return;
        // The tree's text close to the prose's, from the back of the room.
        const double at20 = nodePixels(w);
        QVERIFY2(at20 >= 0.8 * prosePixels(20),
                 qPrintable(QStringLiteral("tree %1 px, prose %2 px").arg(at20).arg(prosePixels(20))));
        // A bigger presenter font: bigger tree text, still in a window of the asked size.
        w.setFontSize(26);
        QTest::qWait(150);
        const double at26 = nodePixels(w);
        QVERIFY2(at26 > at20 * 1.1, qPrintable(QStringLiteral("tree %1 px at 20 pt, %2 at 26").arg(at20).arg(at26)));
        QVERIFY2(at26 >= 0.8 * prosePixels(26),
                 qPrintable(QStringLiteral("tree %1 px, prose %2 px").arg(at26).arg(prosePixels(26))));
        verifyRoom(size, "at 26 pt");
        if (QTest::currentTestFailed())
            return;
        verifyAddedMountsInView("at 26 pt");
        if (QTest::currentTestFailed())
            return;
        w.setFontSize(20);
        QTest::qWait(50);
    }

    // Every walkthrough step, at each size: the strip's title on one line in view and the
    // mark of the result and of each check in view (no scrolling), the tree still half the window.
    void theStripShowsTheTitleAndEveryCheck_ofEveryStep()
    {
        QVERIFY(m_w);
        MainWindow& w = *m_w;
        QVERIFY(w.presenterMode());
        w.setFontSize(20);
        NavigatorModel* nav = w.session()->navigator();
        const int steps = nav->groupSize(0);
        while (w.nextStepToRun() < steps) {
            runNextStep();
            if (QTest::currentTestFailed())
                return;
        }
        auto* title = w.findChild<QLabel*>(QStringLiteral("stepTitle"));
        auto* marks = w.findChild<StepMarks*>(QStringLiteral("stepMarks"));
        QVERIFY(title && marks);
        int twoLines = 0;
        for (const QSize size : {QSize(1280, 720), QSize(1366, 768), QSize(1600, 1000)}) {
            w.resize(size);
            QTRY_COMPARE(w.size(), size);
            for (int i = 0; i < steps; ++i) {
                w.driver()->showStep(i);
                QTest::qWait(30); // the split follows the shown step
                const QByteArray where =
                    QStringLiteral("%1x%2 %3").arg(size.width()).arg(size.height()).arg(nav->step(i).id).toUtf8();
                verifyRoom(size, where);
                if (QTest::currentTestFailed())
                    return;
                QString why;
                QVERIFY2(labelInView(title, QStringLiteral("the title"), &why), qPrintable(where + ": " + why));
                QVERIFY2(title->height() < 2 * title->fontMetrics().lineSpacing(), where);
                QVERIFY2(w.stepTitleText().contains(nav->step(i).title), where);
                const Session::StepResult ran = w.session()->resultOf(i);
                const QList<QLabel*> shown = marks->markLabels();
                QVERIFY2(shown.size() >= ran.checks.size() + 1, where);
                const qsizetype first = shown.size() - ran.checks.size(); // the verdict and the result first
                const QString result = ran.end.value(QLatin1String("ok")).toBool()
                                           ? QStringLiteral("→ ok")
                                           : QStringLiteral("→ ") + ran.end.value(QLatin1String("errno")).toString();
                QVERIFY2(markShows(shown[first - 1], result), qPrintable(where + ": " + shown[first - 1]->text()));
                for (qsizetype c = 0; c < ran.checks.size(); ++c) {
                    const QJsonObject& check = ran.checks[c];
                    const QString want =
                        (check.value(QLatin1String("passed")).toBool() ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) +
                        StepMarks::shortName(check.value(QLatin1String("name")).toString());
                    QVERIFY2(markShows(shown[first + c], want),
                             qPrintable(where + ": " + shown[first + c]->text() + " for " + want));
                }
                for (const QLabel* l : shown)
                    QVERIFY2(labelInView(l, QStringLiteral("a mark"), &why), qPrintable(where + ": " + why));
                QVERIFY2(marks->linesAt(marks->width()) <= kMaxMarkLines, where);
                twoLines += marks->linesAt(marks->width()) == 2;
            }
        }
        qInfo("steps whose marks took two lines: %d", twoLines);
    }

    void normalMode_theTreeFollowsTheUiFontSize()
    {
        QVERIFY(m_w);
        MainWindow& w = *m_w;
        w.setPresenterMode(false);
        w.resize(1600, 1000);
        w.setFontSize(11);
        QTest::qWait(100);
        const double at11 = nodePixels(w);
        QVERIFY2(at11 >= QFontInfo(Theme::normal(11).monoFont()).pixelSize() * 0.95, qPrintable(QString::number(at11)));
        w.setFontSize(14);
        QTest::qWait(100);
        const double at14 = nodePixels(w);
        QVERIFY2(at14 > at11 * 1.2, qPrintable(QStringLiteral("tree %1 px at 11 pt, %2 at 14").arg(at11).arg(at14)));
        w.setFontSize(11);
    }
};

QTEST_MAIN(TestGuiPresenter)
#include "tst_gui_presenter.moc"
