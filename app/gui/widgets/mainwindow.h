// The walkthrough window: navigator, step panel, the two mount trees, the mountinfo
// explanation, and tabs for the trace, copy-ups and a terminal. It builds them and wires
// them together: mainwindow.cpp the wiring, mainwindowparts.cpp the parts,
// mainwindowmenus.cpp the menus and keys, mainwindowsession.cpp starting a session and
// the banner, mainwindowpresenter.cpp the theme and presenter mode. The lesson's state
// machine is LessonDriver's (models/), the step panel StepPanel's, the shells
// TerminalPane's, explore mode ExploreMode's, the exports exports.h's. It drives the
// engine only through EngineClient (commands) and Session (the event stream).
#pragma once

#include "engineclient.h"
#include "lessondriver.h"
#include "lessonpack.h"
#include "progress.h"
#include "session.h"
#include "theme.h"

#include <QMainWindow>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;
class QTreeView;

namespace mountlab::gui {

class ExploreMode;
class LegendWidget;
class MountTreeScene;
class MountTreeView;
class LinkOpener;
class MountinfoPanel;
class LessonPack;
class NavigatorView;
class PracticePanel;
class StepPanel;
class TerminalPane;
class TerminalWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Live: the agent, as the user (its tracer helper alone asks pkexec for root).
    // Returns false with a message shown when the engine cannot start.
    bool startLive(EngineClient::Tracing tracing = EngineClient::Tracing::Auto);
    bool startLiveInteractive();
    bool openRecording(const QString& path);
    // File ▸ Open lessons: a folder or a .tar/.tar.gz/.tgz pack replaces the catalogue
    // (a fresh engine on it); refused with the reason shown, the old catalogue stays.
    bool openLessons(const QString& path);
    // The engine started next reads these lessons (a folder or pack, staged as
    // openLessons does), nothing started yet (`mountlab --lessons PATH`).
    bool useLessons(const QString& path, QString* error);
    // The pack's lessons the engine could not read, each named as the pack names it
    // ("pack.tar.gz: pack/b.yaml:6:1: not valid YAML: ..."); told once the catalogue is in.
    [[nodiscard]] QStringList lessonWarnings() const { return m_lessonWarnings; }
    bool openBuiltinLessons(); // File ▸ Built-in lessons
    [[nodiscard]] QString lessonPackName() const { return m_pack ? m_pack->name() : QString(); }
    // Explore this machine's own table (or a mountinfo file), refreshed every second.
    bool startExplore(const QString& mountinfoFile = {});

    // The navigator's actions (keys: Space/Right, Left, R). The next step is the shown
    // lesson's: the active lesson's next step, or the first step of another lesson
    // (which starts in a fresh lab).
    void runNextStep() { m_driver.runNextStep(); }
    void runToStep(int flat) { m_driver.runToStep(flat); }
    // Space and Right: runNextStep(), but a step that asks a prediction asks it first.
    // The first press on it shows the question (when none is chosen); the second runs it.
    void spaceKey() { m_driver.spaceKey(); }
    // The learner's prediction for the step the panel shows (0-based choice; keys 1-6, or
    // a click on a choice). Only before the step has run.
    void choosePrediction(int choice) { m_driver.choosePrediction(choice); }
    // The choice made for a navigator step, -1 for none.
    [[nodiscard]] int predictionOf(int flat) const { return m_driver.predictionOf(flat); }
    void back() { m_driver.back(); }
    void reset() { m_driver.reset(); }

    // The Terminal tab: a shell on a PTY in the container or on the lab host (the
    // agent's terminal-* commands). It opens when the tab is first shown, and again
    // after a reset replaced the process it ran in.
    void showTerminal(const QString& where = QStringLiteral("container"));
    void restartShell();
    [[nodiscard]] TerminalWidget* terminal(); // the one shown
    [[nodiscard]] TerminalWidget* terminalIn(const QString& where);
    [[nodiscard]] QString terminalWhere() const;
    [[nodiscard]] int terminalId(const QString& where) const; // -1: none open
    [[nodiscard]] bool terminalTabShown() const;
    [[nodiscard]] QPushButton* restartShellButton();
    [[nodiscard]] QToolButton* terminalPlaceButton(const QString& where);
    [[nodiscard]] QString terminalStatusText() const;

    // Practice an exercise (a navigator exercise row, double-click or Enter): a fresh lab,
    // its set-up, the Practice panel beside the trees and a container terminal focused.
    bool startPractice(const QString& lesson, const QString& exercise);
    [[nodiscard]] PracticePanel* practicePanel() { return m_practicePanel; }
    [[nodiscard]] bool practicePanelShown() const;

    // Try it yourself (Ctrl+Shift+T, the step panel's button): the shown step's checks
    // judge what the learner types in its terminal; again, the try stops.
    void toggleTry();
    // Ctrl+Shift+I: the shown step's shell line typed into its terminal, without Enter.
    bool insertShellLine();
    [[nodiscard]] StepPanel* stepPanel() { return m_stepPanel; }

    void setPresenterMode(bool on, bool fullScreen = true);
    [[nodiscard]] bool presenterMode() const { return m_presenter; }
    void setFontSize(int points);

    // True when no command is waiting for the engine (the views show the last step).
    [[nodiscard]] bool idle() const { return m_driver.idle(); }
    [[nodiscard]] Session* session() { return &m_session; }
    [[nodiscard]] EngineClient* engine() { return &m_engine; }
    [[nodiscard]] MountTreeScene* treeScene() { return m_scene; }
    [[nodiscard]] MountTreeView* treeView() { return m_treeView; }
    [[nodiscard]] MountinfoPanel* mountinfoPanel() { return m_mountinfo; }
    [[nodiscard]] QSortFilterProxyModel* traceView() { return m_traceProxy; }
    [[nodiscard]] QTableView* traceTable() { return m_traceTable; }
    [[nodiscard]] QLineEdit* traceFilter() { return m_traceFilter; }
    [[nodiscard]] QCheckBox* traceStepOnly() { return m_traceStepOnly; }
    [[nodiscard]] QLineEdit* findMountBox() { return m_findMount; }
    [[nodiscard]] QString bannerText() const;
    [[nodiscard]] QString stepTitleText() const;
    [[nodiscard]] QString stepExplainText() const; // as the reader reads it (plain text)
    [[nodiscard]] QString stepResultText() const;
    [[nodiscard]] QTreeView* navigatorView();
    // Follows (or refuses) the links of the step text; tests replace how it asks and opens.
    [[nodiscard]] LinkOpener* linkOpener() { return m_links; }
    // The lesson the step panel shows (its overview, or one of its steps).
    [[nodiscard]] int shownGroup() const { return m_driver.shownGroup(); }
    // What Space runs now (a flat navigator index; stepCount() when nothing is left).
    [[nodiscard]] int nextStepToRun() const { return m_driver.nextStepToRun(); }
    // The lesson's overview in the step panel.
    void showGroup(int group) { m_driver.showGroup(group); }
    [[nodiscard]] LessonDriver* driver() { return &m_driver; }

    // The session's events as a recording; says so in the status bar (and why not).
    bool saveRecording(const QString& path);
    // A live session with steps run since it was last saved.
    [[nodiscard]] bool unsavedWork() const;

    // What the learner did, kept across restarts (fed by the live session's events).
    [[nodiscard]] Progress* progress() { return &m_progress; }
    // File ▸ Export my work: each exercise's last graded script (or the commands typed)
    // as DIR/LESSON-EXERCISE.sh; the status bar says how many were written where.
    int exportMyWork(const QString& dir);

    bool exportTreeSvg(const QString& path);
    bool exportTreePng(const QString& path);
    bool exportHtmlReport(const QString& path);

Q_SIGNALS:
    void idleChanged(bool idle);

protected:
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override; // presenter mode's split again

private:
    std::unique_ptr<LessonPack> m_pack;
    void clearSession();
    QString engineText(const QString& message);
    void tellLessonWarnings();
    QStringList m_lessonWarnings;
    void buildUi();
    void buildNavigator();
    void buildTreeArea(QWidget* treeArea);
    void buildTraceTab();
    void buildCopyUpTab();
    void buildTerminalTab();
    void buildKeys();
    void buildMenus();
    bool saveRecordingAs();
    void tellExported(bool ok, const QString& path);
    bool mayLeaveSession(const QString& why);
    bool exportAtFullWidth(const std::function<bool()>& write);
    void connectEngine();
    void connectDriver();
    void connectSession();
    void connectViews();
    void connectTerminals();
    void buildPractice();
    void connectPractice();
    void connectTry();
    void showPracticePanel(bool on);
    void restoreNavigatorWidth();
    void fitPracticeColumn(); // the Practice panel's width (presenter mode: wider, for its type)
    [[nodiscard]] int practiceColumnWidth(int total) const;
    [[nodiscard]] int presenterTerminalPoints(int width) const;
    void onPracticeStarted();
    void applyTheme();
    void updateBanner();
    [[nodiscard]] QStringList liveBannerParts();
    void updateTreeTitles();
    void updateStepPanel();
    void onShownChanged();
    void onTreesChanged();
    void onNodeSelected(int pane, int node);
    void onTraceSelected();
    void applyTraceScope();
    void findMount(bool next);
    void fitPresenterSplit();
    void fitPresenterPractice(); // fitPresenterSplit() while practising
    void giveTerminalRoom();
    [[nodiscard]] bool live() const { return m_engine.mode() == EngineClient::Mode::Live; }
    [[nodiscard]] bool replay() const { return m_engine.mode() == EngineClient::Mode::Replay; }

    Session m_session;
    Progress m_progress;
    EngineClient m_engine;
    LessonDriver::ClientEngine m_driverEngine{m_engine};
    LessonDriver m_driver{m_session, m_driverEngine};
    Theme m_theme;
    bool m_presenter = false;
    bool m_wasMaximized = false; // before presenter mode's full screen
    int m_fontSize = 11;
    int m_presenterFontSize = 20;

    qsizetype m_savedEvents = 0; // the session's events when it was last saved
    int m_openedActive = -1;     // the lesson the navigator opened because the lab was in it
    bool m_selectingFromTrace = false;
    bool m_redrawPending = false; // two tables and two diffs per step: one redraw
    QList<int> m_normalSizes;

    ExploreMode* m_explore = nullptr;

    QLabel* m_banner = nullptr;
    NavigatorView* m_navigator = nullptr;
    bool m_syncingNavigator = false; // the window moves the selection, not the learner
    StepPanel* m_stepPanel = nullptr;
    LinkOpener* m_links = nullptr;
    LegendWidget* m_legend = nullptr;
    MountTreeScene* m_scene = nullptr;
    MountTreeView* m_treeView = nullptr;
    MountinfoPanel* m_mountinfo = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLineEdit* m_traceFilter = nullptr;
    QCheckBox* m_traceStepOnly = nullptr;
    QLineEdit* m_findMount = nullptr;
    QLabel* m_findNote = nullptr;
    int m_findIndex = 0;
    int m_traceStep = -1; // the engine's number of the step whose calls the trace shows
    QTableView* m_traceTable = nullptr;
    QSortFilterProxyModel* m_traceProxy = nullptr;
    QLabel* m_traceNote = nullptr;
    QLabel* m_copyUpNote = nullptr;
    QTableView* m_copyUpTable = nullptr;
    TerminalPane* m_terminalPane = nullptr;
    PracticePanel* m_practicePanel = nullptr;
    QSplitter* m_mainSplit = nullptr;
    QSplitter* m_rightSplit = nullptr;
};

} // namespace mountlab::gui
