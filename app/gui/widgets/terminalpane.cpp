#include "terminalpane.h"

#include "engineclient.h"
#include "lessondriver.h"
#include "session.h"
#include "terminalwidget.h"

#include <QButtonGroup>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace mountlab::gui {

TerminalPane::TerminalPane(Session& session, EngineClient& engine, LessonDriver& driver, QTabWidget* tabs)
    : QWidget(tabs), m_session(session), m_engine(engine), m_driver(driver), m_tabs(tabs)
{
    buildUi();
    connect(&m_session, &Session::terminalOpened, this, &TerminalPane::onTerminalOpened);
    connect(&m_session, &Session::terminalData, this, [this](int id, const QByteArray& bytes) {
        if (Terminal* t = terminalById(id))
            t->view->feed(bytes);
    });
    connect(&m_session, &Session::terminalClosed, this, &TerminalPane::onTerminalClosed);
}

bool TerminalPane::live() const { return m_engine.mode() == EngineClient::Mode::Live; }

bool TerminalPane::replay() const { return m_engine.mode() == EngineClient::Mode::Replay; }

void TerminalPane::buildUi()
{
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(2, 2, 2, 2);
    col->setSpacing(2);
    auto* termBar = new QHBoxLayout;
    termBar->setContentsMargins(0, 0, 0, 0);
    auto* whereLabel = new QLabel(tr("Shell in:"), this);
    termBar->addWidget(whereLabel);
    auto* places = new QButtonGroup(this);
    m_stack = new QStackedWidget(this);
    const QString wheres[2] = {QStringLiteral("container"), QStringLiteral("lab host")};
    const QString names[2] = {tr("Container"), tr("Lab host")};
    const QString tips[2] = {tr("A shell in the container: in its namespaces and its root, as the steps left them"),
                             tr("A shell on the lab host: the \"machine\" the container runs on (still inside the lab, "
                                "never the real one)")};
    for (int i = 0; i < 2; ++i) {
        Terminal& t = m_terminals[i];
        t.where = wheres[i];
        t.view = new TerminalWidget(m_stack);
        t.view->setObjectName(i == 0 ? QStringLiteral("containerTerminal") : QStringLiteral("labHostTerminal"));
        t.view->setAccessibleName(tr("terminal: %1").arg(names[i]));
        m_stack->addWidget(t.view);
        t.button = new QToolButton(this);
        t.button->setText(names[i]);
        t.button->setToolTip(tips[i]);
        t.button->setCheckable(true);
        t.button->setAutoRaise(false);
        places->addButton(t.button, i);
        termBar->addWidget(t.button);
        connectView(i);
        connect(t.button, &QToolButton::clicked, this, [this, where = t.where] { showTerminal(where); });
    }
    m_terminals[0].button->setChecked(true);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setObjectName(QStringLiteral("terminalStatus"));
    termBar->addWidget(m_status, 1);
    m_restartShell = new QPushButton(tr("Restart shell"), this);
    m_restartShell->setToolTip(tr("A new shell where this one ran (Enter in the terminal does the same)"));
    m_restartShell->setVisible(false);
    connect(m_restartShell, &QPushButton::clicked, this, &TerminalPane::restartShell);
    termBar->addWidget(m_restartShell);
    col->addLayout(termBar);
    col->addWidget(m_stack, 1);
}

// Keys and size go to the shell; Enter on an ended one asks for a new one.
void TerminalPane::connectView(int i)
{
    TerminalWidget* view = m_terminals[i].view;
    connect(view, &TerminalWidget::input, this, [this, i](const QByteArray& bytes) {
        const Terminal& term = m_terminals[i];
        if (live() && term.id >= 0)
            m_engine.terminalInput(term.id, bytes);
    });
    connect(view, &TerminalWidget::sizeChanged, this, [this, i](int rows, int cols) {
        const Terminal& term = m_terminals[i];
        if (live() && term.id >= 0)
            m_engine.terminalResize(term.id, rows, cols);
        updateBar(); // the size it says
    });
    connect(view, &TerminalWidget::restartRequested, this, [this, i] {
        if (m_stack->currentIndex() == i)
            restartShell();
    });
}

void TerminalPane::refuseOpening(const QString& message)
{
    for (Terminal& t : m_terminals)
        if (t.opening) {
            t.opening = false;
            t.everOpened = true; // Restart shell / Enter try again
            t.view->showNotice(tr("[no shell: %1; press Enter to try again]").arg(message));
            updateBar();
        }
}

void TerminalPane::feedConsole(const QByteArray& bytes) { m_terminals[0].view->feed(bytes); }

void TerminalPane::setTheme(const Theme& theme)
{
    for (Terminal& term : m_terminals)
        term.view->setTheme(theme);
}

QSize TerminalPane::cellSize() const { return m_terminals[0].view->cellSize(); }

int TerminalPane::barHeight() const { return m_restartShell->sizeHint().height(); }

TerminalPane::Terminal* TerminalPane::terminalState(const QString& where)
{
    for (Terminal& t : m_terminals)
        if (t.where == where)
            return &t;
    return nullptr;
}

TerminalPane::Terminal* TerminalPane::terminalById(int id)
{
    for (Terminal& t : m_terminals)
        if (t.id == id && id >= 0)
            return &t;
    return nullptr;
}

TerminalPane::Terminal& TerminalPane::shownTerminal() { return m_terminals[std::clamp(m_stack->currentIndex(), 0, 1)]; }

TerminalWidget* TerminalPane::terminal() { return shownTerminal().view; }

TerminalWidget* TerminalPane::terminalIn(const QString& where)
{
    Terminal* t = terminalState(where);
    return t ? t->view : nullptr;
}

QString TerminalPane::terminalWhere() const { return m_terminals[std::clamp(m_stack->currentIndex(), 0, 1)].where; }

int TerminalPane::terminalId(const QString& where) const
{
    for (const Terminal& t : m_terminals)
        if (t.where == where)
            return t.id;
    return -1;
}

QToolButton* TerminalPane::terminalPlaceButton(const QString& where)
{
    Terminal* t = terminalState(where);
    return t ? t->button : nullptr;
}

bool TerminalPane::shown() const { return m_tabs->currentWidget() == this && this->isVisible(); }

QString TerminalPane::terminalStatusText() const { return m_status->text(); }

void TerminalPane::showTerminal(const QString& where)
{
    Terminal* t = terminalState(where);
    if (!t)
        return;
    m_stack->setCurrentWidget(t->view);
    t->button->setChecked(true);
    if (m_tabs->currentWidget() != this)
        m_tabs->setCurrentWidget(this); // opens it, once laid out
    else
        QTimer::singleShot(0, this, &TerminalPane::ensureTerminal);
    t->view->setFocus(Qt::OtherFocusReason);
    updateBar();
}

void TerminalPane::openTerminal(Terminal& t)
{
    if (!live() || t.opening || t.id >= 0)
        return;
    t.opening = true;
    t.reopenWhenIdle = false;
    t.openedRows = t.view->rows();
    t.openedCols = t.view->cols();
    m_engine.terminalOpen(t.where, t.openedRows, t.openedCols);
    updateBar();
}

void TerminalPane::ensureTerminal()
{
    // Only once the lab is there (the session line came) and someone looks.
    if (!live() || m_session.sessionInfo().isEmpty() || !shown())
        return;
    Terminal& t = shownTerminal();
    if (t.id < 0 && !t.opening && (!t.everOpened || t.reopenWhenIdle))
        openTerminal(t);
}

void TerminalPane::restartShell()
{
    Terminal& t = shownTerminal();
    if (t.id >= 0 && t.stale && live()) {
        t.replacing = true; // the closed event opens the new one
        m_engine.terminalClose(t.id);
    } else if (t.id < 0) {
        openTerminal(t);
    }
    t.view->setFocus(Qt::OtherFocusReason);
}

void TerminalPane::reopenTerminals()
{
    // After a reset, once the commands queued with it ran: the new shell starts in the
    // container as those steps left it.
    if (!live() || !m_driver.idle())
        return;
    for (Terminal& t : m_terminals)
        if (t.reopenWhenIdle && t.id < 0)
            openTerminal(t);
}

void TerminalPane::clearTerminals()
{
    for (Terminal& t : m_terminals) {
        t.id = -1;
        t.opening = t.everOpened = t.reopenWhenIdle = t.stale = t.replacing = false;
        t.mntns = 0;
        t.shell.clear();
        t.pid = -1;
        t.view->clear();
        t.view->setAttached(false);
    }
    updateBar();
}

void TerminalPane::onTerminalOpened(int id, const QString& where, const QString& shell, int pid)
{
    Terminal* t = terminalState(where);
    if (!t)
        return;
    if (t->id >= 0 && t->id != id && live()) {
        m_engine.terminalClose(id); // one shell per place: a second one is not ours
        return;
    }
    t->id = id;
    t->opening = false;
    t->everOpened = true;
    t->reopenWhenIdle = false;
    t->shell = shell;
    t->pid = pid;
    t->mntns = namespaceOf(*t);
    t->stale = false;
    t->view->setAttached(live());
    m_driver.frameWithoutStepDelivered(); // a frame of its own, with no step to end it
    // The view may have changed size while the shell started.
    if (live() && (t->view->rows() != t->openedRows || t->view->cols() != t->openedCols))
        m_engine.terminalResize(id, t->view->rows(), t->view->cols());
    updateBar();
}

void TerminalPane::onTerminalClosed(int id, int exitStatus, const QString& reason)
{
    Terminal* t = terminalById(id);
    if (!t)
        return;
    t->id = -1;
    t->opening = false;
    t->view->setAttached(false);
    const bool container = t->where == QLatin1String("container");
    if (reason == QLatin1String("reset")) {
        // Its process is gone with the container (or the whole lab host) it ran in.
        const bool watching = live() && shown() && &shownTerminal() == t;
        t->reopenWhenIdle = watching;
        t->view->showNotice(watching ? (container ? tr("[the container was reset: a new shell in the new container]")
                                                  : tr("[the lab was reset: a new shell on the new lab host]"))
                                     : (container ? tr("[the container was reset; press Enter for a new shell]")
                                                  : tr("[the lab was reset; press Enter for a new shell]")));
        if (watching)
            QTimer::singleShot(0, this, &TerminalPane::reopenTerminals);
    } else if (reason == QLatin1String("exit")) {
        t->view->showNotice(exitStatus >= 0
                                ? tr("[shell exited with status %1; press Enter for a new shell]").arg(exitStatus)
                                : tr("[shell exited; press Enter for a new shell]"));
    } else if (t->replacing) {
        t->replacing = false;
        t->view->showNotice(tr("[a new shell in the %1's namespaces]").arg(t->where));
        openTerminal(*t);
    } else {
        t->view->showNotice(tr("[shell closed; press Enter for a new shell]"));
    }
    updateBar();
}

quint64 TerminalPane::namespaceOf(const Terminal& t) const
{
    return t.where == QLatin1String("container") ? m_session.container().mntns : m_session.host().mntns;
}

void TerminalPane::noticeStaleTerminals()
{
    // A shell keeps the mount namespace it started in: after the step that gave the
    // container a new one, this shell no longer shows what the container's tree shows.
    for (Terminal& t : m_terminals) {
        const quint64 now = namespaceOf(t);
        if (t.id < 0 || t.stale || !t.mntns || !now || now == t.mntns)
            continue;
        t.stale = true;
        t.view->showNotice(tr("[the %1 is now in mount namespace %2; this shell is still in %3, the one it started in. "
                              "\"New shell\" gives one in the new namespace]")
                               .arg(t.where)
                               .arg(now)
                               .arg(t.mntns));
    }
    updateBar();
}

void TerminalPane::updateBar()
{
    if (!m_status)
        return;
    const Terminal& t = shownTerminal();
    for (Terminal& term : m_terminals) {
        term.view->setReadOnly(!live());
        term.view->setAttached(live() && term.id >= 0);
        term.view->setPlaceholderText(
            replay() ? tr("Replay: the terminal of the recorded session shows here, read-only, as the recording plays.")
            : live() ? tr("Starting a shell in the %1… Type commands as in any terminal: what they mount shows in the "
                          "trees. "
                          "Tab completes; Ctrl+Tab leaves the terminal.")
                           .arg(term.where == QLatin1String("container") ? tr("container") : tr("lab host"))
                     : tr("The terminal needs the live lab (File ▸ Start the lab)."));
    }
    QString status;
    if (replay())
        status = tr("REPLAY · the recorded terminal, read-only");
    else if (!live())
        status = tr("no live lab");
    else if (t.id >= 0)
        status = tr("%1 · pid %2 in the lab · %3×%4 · Ctrl+Tab leaves the terminal")
                     .arg(QFileInfo(t.shell).fileName().isEmpty() ? tr("shell") : QFileInfo(t.shell).fileName())
                     .arg(t.pid)
                     .arg(t.view->cols())
                     .arg(t.view->rows());
    else if (t.opening)
        status = tr("starting a shell…");
    else if (t.everOpened)
        status = t.pid < 0 ? tr("no shell") : tr("the shell has ended");
    m_status->setText(status);
    m_restartShell->setText(t.stale && t.id >= 0 ? tr("New shell") : tr("Restart shell"));
    m_restartShell->setToolTip(
        t.stale && t.id >= 0 ? tr("Ends this shell and starts one in the %1's namespaces as they are now").arg(t.where)
                             : tr("A new shell where this one ran (Enter in the terminal does the same)"));
    m_restartShell->setVisible(live() && !t.opening && ((t.id < 0 && t.everOpened) || (t.id >= 0 && t.stale)));
}

} // namespace mountlab::gui
