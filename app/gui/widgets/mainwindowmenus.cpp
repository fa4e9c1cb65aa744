// MainWindow: its menus and its keys.
#include "mainwindow.h"

#include "mounttreeview.h"

#include <QAction>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QShortcut>
#include <QStatusBar>

namespace mountlab::gui {

// Space or Right = next step, Left = back, Ctrl+R = reset (a modifier: a letter typed by
// a learner who thought the terminal had the keys must not throw the lab away), Ctrl+T =
// the terminal, F11 = presenter mode. Single keys only where they cannot cost work:
// Space and Right run forward, 1-6 answer the shown prediction.
void MainWindow::buildKeys()
{
    auto key = [this](QKeySequence seq, auto fn) {
        auto* s = new QShortcut(seq, this);
        s->setContext(Qt::WindowShortcut);
        connect(s, &QShortcut::activated, this, fn);
    };
    key(QKeySequence(Qt::Key_Space), [this] { spaceKey(); });
    key(QKeySequence(Qt::Key_Right), [this] { spaceKey(); });
    // 1-6: the answer to the shown step's prediction (the terminal and the text boxes
    // take their digits first, as they take Space).
    for (int i = 0; i < 6; ++i)
        key(QKeySequence(Qt::Key_1 + i), [this, i] { choosePrediction(i); });
    key(QKeySequence(Qt::Key_Left), [this] { back(); });
    key(QKeySequence(Qt::CTRL | Qt::Key_R), [this] { reset(); });
    key(QKeySequence(Qt::CTRL | Qt::Key_T), [this] { showTerminal(terminalWhere()); });
    key(QKeySequence(Qt::Key_F11), [this] { setPresenterMode(!m_presenter); });
    key(QKeySequence::Find, [this] {
        m_findMount->setFocus();
        m_findMount->selectAll();
    });
    key(QKeySequence(Qt::Key_Escape), [this] {
        if (m_presenter)
            setPresenterMode(false);
    });
    key(QKeySequence(QStringLiteral("Ctrl++")),
        [this] { setFontSize((m_presenter ? m_presenterFontSize : m_fontSize) + 1); });
    key(QKeySequence(QStringLiteral("Ctrl+=")),
        [this] { setFontSize((m_presenter ? m_presenterFontSize : m_fontSize) + 1); });
    key(QKeySequence(QStringLiteral("Ctrl+-")),
        [this] { setFontSize((m_presenter ? m_presenterFontSize : m_fontSize) - 1); });
}

bool MainWindow::saveRecordingAs()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save a recording"), QStringLiteral("mountlab-session.jsonl"), tr("MountLab recordings (*.jsonl)"));
    return !path.isEmpty() && saveRecording(path);
}

bool MainWindow::saveRecording(const QString& path)
{
    QString error;
    if (!m_session.saveRecording(path, &error)) {
        statusBar()->showMessage(tr("Not saved: %1").arg(error), 10000);
        if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::warning(this, tr("Not saved"), error);
        return false;
    }
    m_savedEvents = m_session.recorded().size();
    statusBar()->showMessage(
        tr("Saved %1 events to %2 (open it with File ▸ Open a recording)").arg(m_savedEvents).arg(path), 10000);
    return true;
}

void MainWindow::tellExported(bool ok, const QString& path)
{
    statusBar()->showMessage(
        ok ? tr("Exported to %1").arg(path) : tr("Not exported: %1 could not be written").arg(path), 10000);
}

int MainWindow::exportMyWork(const QString& dir)
{
    QString error;
    const int written = m_progress.exportScripts(dir, &error);
    if (written < 0)
        statusBar()->showMessage(tr("Not exported: %1").arg(error), 10000);
    else if (written == 0)
        statusBar()->showMessage(tr("Nothing to export yet: no exercise was practised"), 10000);
    else
        statusBar()->showMessage(
            tr("Exported %n script(s) to %1 (mountlab-cli grade LESSON -e EXERCISE FILE grades one)", nullptr, written)
                .arg(dir),
            10000);
    return written;
}

bool MainWindow::unsavedWork() const
{
    if (!live() || m_session.recorded().size() <= m_savedEvents)
        return false;
    const NavigatorModel* nav = m_session.navigator();
    for (int i = 0; i < nav->stepCount(); ++i)
        if (nav->step(i).status != StepStatus::NotRun)
            return true;
    return false;
}

// Leaving a live session with steps run and not saved (quitting, another session):
// Save, Discard or Cancel.
bool MainWindow::mayLeaveSession(const QString& why)
{
    if (!unsavedWork() || qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
        return true;
    const auto answer =
        QMessageBox::question(this, why, tr("The steps run in this session are not saved. Save them as a recording?"),
                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    return answer == QMessageBox::Discard || saveRecordingAs();
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Start the lab (live)"), this, [this] {
        if (mayLeaveSession(tr("Start a new lab")))
            startLiveInteractive();
    });
    file->addAction(tr("&Open a recording…"), QKeySequence::Open, this, [this] {
        if (!mayLeaveSession(tr("Open a recording")))
            return;
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open a recording"), {}, tr("MountLab recordings (*.jsonl)"));
        if (!path.isEmpty())
            openRecording(path);
    });
    file->addAction(tr("Open &lessons (a folder)…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of lessons"));
        if (!dir.isEmpty() && mayLeaveSession(tr("Open lessons")))
            openLessons(dir);
    });
    file->addAction(tr("Open a lesson &pack…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open a lesson pack"), {}, tr("Lesson packs (*.tar *.tar.gz *.tgz)"));
        if (!path.isEmpty() && mayLeaveSession(tr("Open lessons")))
            openLessons(path);
    });
    file->addAction(tr("Built-in lessons"), this, [this] {
        if (mayLeaveSession(tr("Built-in lessons")))
            openBuiltinLessons();
    });
    file->addAction(tr("Explore this machine"), this, [this] {
        if (mayLeaveSession(tr("Explore this machine")))
            startExplore();
    });
    file->addSeparator();
    file->addAction(tr("Save the session as a recording…"), QKeySequence::Save, this, [this] { saveRecordingAs(); });
    file->addAction(tr("Export the tree as SVG…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export SVG"), QStringLiteral("mount-tree.svg"), tr("SVG (*.svg)"));
        if (!path.isEmpty())
            tellExported(exportTreeSvg(path), path);
    });
    file->addAction(tr("Export the tree as PNG…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export PNG"), QStringLiteral("mount-tree.png"), tr("PNG (*.png)"));
        if (!path.isEmpty())
            tellExported(exportTreePng(path), path);
    });
    file->addAction(tr("Export the run as an HTML report…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export report"),
                                                          QStringLiteral("mountlab-report.html"), tr("HTML (*.html)"));
        if (!path.isEmpty())
            tellExported(exportHtmlReport(path), path);
    });
    file->addAction(tr("Export my work…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export my work to a directory"));
        if (!dir.isEmpty())
            exportMyWork(dir);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    auto* presenter = view->addAction(tr("Presenter mode (F11)"));
    connect(presenter, &QAction::triggered, this, [this] { setPresenterMode(!m_presenter); });
    view->addAction(tr("Font size…"), this, [this] {
        bool ok = false;
        const int size = QInputDialog::getInt(
            this, tr("Font size"), m_presenter ? tr("Presenter mode font size (points):") : tr("Font size (points):"),
            m_presenter ? m_presenterFontSize : m_fontSize, 7, 48, 1, &ok);
        if (ok)
            setFontSize(size);
    });
    view->addAction(tr("Zoom to fit the width"), QKeySequence(QStringLiteral("Ctrl+0")), this,
                    [this] { m_treeView->resetZoom(); });
}

} // namespace mountlab::gui
