// The Terminal tab: a real shell on a PTY in the container and one on the lab host (the
// agent's terminal-* commands, answered through the event stream), one shown at a time.
// A shell opens when the tab is first shown, and again after a reset replaced the
// process it ran in; a shell the container left in an old mount namespace says so.
#pragma once

#include "theme.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace mountlab::gui {

class EngineClient;
class LessonDriver;
class Session;
class TerminalWidget;

class TerminalPane : public QWidget {
    Q_OBJECT
public:
    // The pane is a tab of `tabs` (the caller adds it); the others must outlive it.
    TerminalPane(Session& session, EngineClient& engine, LessonDriver& driver, QTabWidget* tabs);

    // Shows the shell of "container" or "lab host" (the tab too); it opens once laid out.
    void showTerminal(const QString& where);
    void restartShell();
    // A shell for the shown place, when the lab is up and someone looks.
    void ensureTerminal();
    // After a reset, once the commands queued with it ran.
    void reopenTerminals();
    // A new session: no shells, empty screens.
    void clearTerminals();
    // The container may have moved to another mount namespace: shells started before say so.
    void noticeStaleTerminals();
    // The engine refused a terminal-open: the shell that was opening says why.
    void refuseOpening(const QString& message);
    // Old recordings' console output, into the container's terminal.
    void feedConsole(const QByteArray& bytes);
    void updateBar();
    void setTheme(const Theme& theme);

    [[nodiscard]] TerminalWidget* terminal(); // the one shown
    [[nodiscard]] TerminalWidget* terminalIn(const QString& where);
    [[nodiscard]] QString terminalWhere() const;
    [[nodiscard]] int terminalId(const QString& where) const; // -1: none open
    [[nodiscard]] bool shown() const;                         // the tab is the current one, on screen
    [[nodiscard]] QPushButton* restartShellButton() { return m_restartShell; }
    [[nodiscard]] QToolButton* terminalPlaceButton(const QString& where);
    [[nodiscard]] QString terminalStatusText() const;
    // A cell of the terminal's grid, and the height of the bar above it.
    [[nodiscard]] QSize cellSize() const;
    [[nodiscard]] int barHeight() const;

private:
    struct Terminal {
        QString where; // "container" or "lab host", as the engine says it
        TerminalWidget* view = nullptr;
        QToolButton* button = nullptr;
        int id = -1;
        bool opening = false;
        bool everOpened = false;
        bool reopenWhenIdle = false; // a reset closed it while it was being used
        QString shell;
        int pid = -1;
        int openedRows = 0, openedCols = 0;
        quint64 mntns = 0;      // the namespace its shell started in (as the trees said then)
        bool stale = false;     // the container has moved to another namespace since
        bool replacing = false; // closed by "New shell": open the next one when it is gone
    };
    void buildUi();
    void connectView(int i);
    Terminal* terminalState(const QString& where);
    Terminal* terminalById(int id);
    Terminal& shownTerminal();
    void openTerminal(Terminal& t);
    [[nodiscard]] quint64 namespaceOf(const Terminal& t) const;
    void onTerminalOpened(int id, const QString& where, const QString& shell, int pid);
    void onTerminalClosed(int id, int exitStatus, const QString& reason);
    [[nodiscard]] bool live() const;
    [[nodiscard]] bool replay() const;

    Session& m_session;
    EngineClient& m_engine;
    LessonDriver& m_driver;
    QTabWidget* m_tabs;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_restartShell = nullptr;
    Terminal m_terminals[2];
};

} // namespace mountlab::gui
