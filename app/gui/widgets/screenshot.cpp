#include "screenshot.h"

#include "mainwindow.h"
#include "mounttreeitem.h"

#include <QApplication>
#include <QPixmap>
#include <QScreen>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>

namespace mountlab::gui {

// Runs steps 0..N-1, waits for the diff animation to settle, grabs the window.
static void takeScreenshot(MainWindow* w, const StartOptions& o)
{
    auto started = std::make_shared<bool>(false);
    auto finish = [w, o] {
        if (!o.select.isEmpty())
            w->treeScene()->tree()->selectTarget(o.select);
        if (!o.tab.isEmpty())
            for (QTabWidget* tabs : w->findChildren<QTabWidget*>())
                for (int i = 0; i < tabs->count(); ++i)
                    if (tabs->tabText(i).compare(o.tab, Qt::CaseInsensitive) == 0)
                        tabs->setCurrentIndex(i);
        QTimer::singleShot(1800, w, [w, o] {
            if (!o.report.isEmpty() && !w->exportHtmlReport(o.report))
                std::fprintf(stderr, "mountlab: cannot write %s\n", qPrintable(o.report));
            const QPixmap pix = w->grab();
            if (!pix.save(o.screenshot)) {
                std::fprintf(stderr, "mountlab: cannot write %s\n", qPrintable(o.screenshot));
                QApplication::exit(1);
                return;
            }
            std::printf("%s: %dx%d, %d steps run\n", qPrintable(o.screenshot), pix.width(), pix.height(), o.step);
            QApplication::exit(0);
        });
    };
    // Live, the walkthrough arrives after the lessons: the catalogue is complete.
    QObject::connect(w->session(), &Session::walkthroughLoaded, w, [w, o, started, finish] {
        if (*started)
            return;
        *started = true;
        NavigatorModel* nav = w->session()->navigator();
        const int g = nav->groupIndex(o.lesson);
        if (g < 0) {
            QStringList known;
            for (int i = 0; i < nav->groupCount(); ++i)
                known << nav->group(i).id;
            std::fprintf(stderr, "mountlab: no lesson \"%s\" (the lessons: %s)\n", qPrintable(o.lesson),
                         qPrintable(known.join(QStringLiteral(", "))));
            QApplication::exit(2);
            return;
        }
        const int steps = std::min(o.step, nav->groupSize(g));
        if (o.step > nav->groupSize(g))
            std::fprintf(stderr, "mountlab: lesson \"%s\" has %d steps; running them all\n", qPrintable(o.lesson),
                         nav->groupSize(g));
        if (steps <= 0) {
            w->showGroup(g);
            finish();
            return;
        }
        const int last = nav->groupStart(g) + steps - 1;
        QObject::connect(w, &MainWindow::idleChanged, w, [w, last, finish](bool idle) {
            NavigatorModel* n = w->session()->navigator();
            if (idle && n->groupOf(last) == n->active() && n->current() > last)
                finish();
        });
        w->runToStep(last);
    });
    QTimer::singleShot(120000, w, [] {
        std::fprintf(stderr, "mountlab: the screenshot timed out\n");
        QApplication::exit(1);
    });
}

int runApplication(QApplication& app, const StartOptions& o)
{
    MainWindow w;
    QString error;
    if (!o.lessons.isEmpty() && !w.useLessons(o.lessons, &error)) {
        std::fprintf(stderr, "mountlab: --lessons: %s\n", qPrintable(error));
        return 2;
    }
    w.resize(o.size);
    // A screenshot of presenter mode has the size asked for (a projector's, say), not
    // the size of whatever screen renders it.
    if (o.presenter)
        w.setPresenterMode(true, o.screenshot.isEmpty());
    if (!o.screenshot.isEmpty()) {
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        takeScreenshot(&w, o);
    }
    // On a screen smaller than the window (a 1366x768 laptop), the window fills the
    // screen instead of hanging off its edges.
    const QScreen* screen = w.screen();
    const bool tooBig = screen && o.screenshot.isEmpty() &&
                        (screen->availableGeometry().width() < o.size.width() ||
                         screen->availableGeometry().height() < o.size.height());
    if (tooBig && !o.presenter)
        w.showMaximized();
    else if (!o.presenter || !o.screenshot.isEmpty())
        w.show();
    // The window manager's frame counts too: a window whose title bar or bottom edge
    // ends up off the screen (the terminal's input line below the edge) fills it instead.
    if (!tooBig && !o.presenter && o.screenshot.isEmpty())
        QTimer::singleShot(400, &w, [&w] {
            const QScreen* s = w.screen();
            if (s && !w.isMaximized() && !w.isFullScreen() && !s->availableGeometry().contains(w.frameGeometry()))
                w.showMaximized();
        });
    if (o.presenter && !o.screenshot.isEmpty())
        w.resize(o.size);

    bool ok = true;
    if (!o.replay.isEmpty())
        ok = w.openRecording(o.replay);
    else if (o.explore)
        ok = w.startExplore(o.mountinfo);
    else if (o.noTrace)
        ok = w.startLive(EngineClient::Tracing::None);
    else if (!o.screenshot.isEmpty())
        // A screenshot never waits for a password: traced only when root already.
        ok = w.startLive(EngineClient::isRoot() ? EngineClient::Tracing::Auto : EngineClient::Tracing::None);
    else
        ok = w.startLiveInteractive();
    if (!ok && !o.screenshot.isEmpty())
        return 2;
    if (!o.screenshot.isEmpty() && (o.explore || !o.replay.isEmpty())) {
        // Nothing to run: grab once drawn.
        QTimer::singleShot(1500, &w, [&w, o] {
            if (!o.select.isEmpty())
                w.treeScene()->tree()->selectTarget(o.select);
            QTimer::singleShot(300, &w, [&w, o] { QApplication::exit(w.grab().save(o.screenshot) ? 0 : 1); });
        });
    }
    return app.exec();
}

} // namespace mountlab::gui
