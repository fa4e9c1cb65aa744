// MainWindow: Try it yourself (issue #16). Instead of Run, the learner types the shown
// step's command in the terminal the step runs in: Ctrl+Shift+T (or the step panel's
// button) starts the try, Ctrl+Shift+I types the step's line into that terminal without
// Enter. The engine judges the step's checks after each command (the "try" events); the
// step panel shows the checklist, and when every check holds the engine records the
// step as done, so the navigator ticks it as it ticks a step that ran.
#include "mainwindow.h"

#include "steppanel.h"
#include "terminalwidget.h"

#include <QApplication>
#include <QShortcut>
#include <QStatusBar>
#include <QTimer>

namespace mountlab::gui {

namespace {
// The terminal a step runs in: "container", or "lab host" for a step on the host.
QString terminalPlaceOf(const QString& stepWhere)
{
    return stepWhere == QLatin1String("container") ? QStringLiteral("container") : QStringLiteral("lab host");
}
} // namespace

void MainWindow::connectTry()
{
    // Ctrl+Shift: the chords no shell reads apart from their Ctrl alone (the terminal
    // lets exactly these two through; Ctrl+T and Ctrl+I stay the shell's).
    auto key = [this](const QKeySequence& seq, auto fn) {
        auto* s = new QShortcut(seq, this);
        s->setContext(Qt::WindowShortcut);
        connect(s, &QShortcut::activated, this, fn);
    };
    key(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), [this] { toggleTry(); });
    key(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), [this] { insertShellLine(); });
    connect(m_stepPanel, &StepPanel::tryToggled, this, &MainWindow::toggleTry);
    // A prediction asked while typing: its digits must reach the window, not the shell.
    connect(&m_driver, &LessonDriver::predictionAsked, this, [this] {
        if (qobject_cast<TerminalWidget*>(QApplication::focusWidget()))
            m_stepPanel->setFocus(Qt::OtherFocusReason);
    });

    TryModel* t = m_session.tryModel();
    connect(t, &TryModel::changed, this, &MainWindow::updateStepPanel);
    // Presenter mode makes room for the terminal while a try lasts, and gives it back.
    connect(t, &TryModel::started, this, [this] { QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit); });
    connect(t, &TryModel::ended, this, [this] { QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit); });
    connect(t, &TryModel::started, this, [this] {
        if (!live())
            return; // a recording's try: its checklist shows, nothing is typed here
        // The learner moved on before the engine began the try: it ends unseen.
        if (!m_driver.tryingShown()) {
            m_driver.stopTry();
            return;
        }
        const QString where = m_session.tryModel()->where(); // "container" or "lab host", the terminals' names
        showTerminal(where);
        if (TerminalWidget* term = terminalIn(where))
            term->setFocus(Qt::OtherFocusReason);
        statusBar()->showMessage(
            tr("Try it yourself: type the step's command in the %1 terminal (Ctrl+Shift+I types it for you)")
                .arg(where),
            10000);
    });
    connect(t, &TryModel::ended, this, [this] {
        const TryModel* t = m_session.tryModel();
        if (t->passed() && live())
            statusBar()->showMessage(tr("Done by typing: every check of “%1” holds, and the step is ticked (Ctrl+Tab "
                                        "leaves the terminal, then Space runs the next step)")
                                         .arg(t->title().left(200)),
                                     10000);
        else if (live() && m_driver.takeStopAsked())
            statusBar()->showMessage(
                tr("No longer trying “%1”: the lab stays as you left it").arg(t->title().left(200)), 6000);
        updateStepPanel();
    });
}

void MainWindow::toggleTry()
{
    if (m_driver.tryingShown()) {
        m_driver.stopTry();
        return;
    }
    m_driver.tryShownStep();
}

bool MainWindow::insertShellLine()
{
    const NavigatorModel* nav = m_session.navigator();
    const int flat = m_driver.shownStep();
    if (!live() || flat < 0 || flat >= nav->stepCount() || nav->step(flat).shell.isEmpty()) {
        statusBar()->showMessage(tr("No step line to type: show a step that has one (in the live lab)"), 6000);
        return false;
    }
    const NavStep& s = nav->step(flat);
    // The try's terminal ("container" or "lab host", as the engine said), else the step's.
    const QString where = m_driver.tryingShown() ? m_session.tryModel()->where() : terminalPlaceOf(s.where);
    showTerminal(where);
    const int id = terminalId(where);
    TerminalWidget* term = terminalIn(where);
    if (id < 0 || !term) {
        statusBar()->showMessage(tr("The %1 shell is starting: press Ctrl+Shift+I again once it prompts").arg(where),
                                 6000);
        return false;
    }
    term->setFocus(Qt::OtherFocusReason);
    // As a paste, without Enter: the learner reads it, may change it, and runs it (a line
    // of several lines too: the shell's bracketed paste keeps them until Enter).
    QString line = s.shell;
    while (line.endsWith(QLatin1Char('\n')))
        line.chop(1);
    term->insertText(line);
    statusBar()->showMessage(tr("The step's line is typed in the %1 terminal: Enter runs it").arg(where), 6000);
    return true;
}

} // namespace mountlab::gui
