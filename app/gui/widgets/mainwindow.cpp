#include "mainwindow.h"

#include "exploremode.h"
#include "exports.h"
#include "mountinfopanel.h"
#include "mounttreeitem.h"
#include "mounttreeview.h"
#include "navigatorview.h"
#include "steppanel.h"
#include "styledmodels.h"
#include "terminalpane.h"
#include "terminalwidget.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

#include <functional>

namespace mountlab::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    QSettings settings;
    m_fontSize = settings.value(QStringLiteral("ui/fontSize"), 11).toInt();
    m_presenterFontSize = settings.value(QStringLiteral("presenter/fontSize"), 20).toInt();
    m_theme = Theme::normal(m_fontSize);
    setWindowTitle(tr("MountLab"));
    buildUi();
    buildMenus();
    connectEngine();
    connectDriver();
    connectSession();
    connectViews();
    connectTerminals();
    connectPractice();
    connectTry();
    applyTheme();
    updateBanner();
    updateStepPanel();
}

MainWindow::~MainWindow() { m_engine.stop(); }

void MainWindow::connectEngine()
{
    connect(&m_engine, &EngineClient::lineReceived, &m_session, &Session::handleLine);
    connect(&m_engine, &EngineClient::traceLineReceived, &m_session, &Session::handleTraceLine);
    // Progress is the learner's own work: the live lab's events, not a replayed recording's.
    connect(&m_session, &Session::eventSeen, this, [this](const QJsonObject& e) {
        if (live())
            m_progress.handleEvent(e);
    });
    connect(&m_progress, &Progress::warning, this,
            [this](const QString& text) { statusBar()->showMessage(text, 15000); });
    m_progress.load();
    m_session.navigator()->setProgress(&m_progress);
    // A prediction is the learner's own answer, whatever the lab (live or a replay).
    connect(&m_driver, &LessonDriver::predictionChosen, &m_progress, &Progress::recordPrediction);
    connect(&m_engine, &EngineClient::agentFinished, this, [this](int code, const QString& why) {
        m_driver.engineStopped();
        updateBanner();
        statusBar()->showMessage(tr("engine exited (status %1): %2")
                                     .arg(code)
                                     .arg(QString(why).replace(QLatin1Char('\n'), QLatin1Char(' '))));
        if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::warning(this, tr("The engine stopped"),
                                 tr("The MountLab engine exited (status %1).\n\n%2")
                                     .arg(code)
                                     .arg(why.isEmpty() ? tr("No message.") : why));
        Q_EMIT idleChanged(true);
    });
    connect(&m_engine, &EngineClient::replayFinished, this, [this] { updateBanner(); });
}

// The driver decides what runs and what is shown; the window follows.
void MainWindow::connectDriver()
{
    connect(&m_driver, &LessonDriver::shownChanged, this, &MainWindow::onShownChanged);
    connect(&m_driver, &LessonDriver::stateChanged, this, &MainWindow::updateStepPanel);
    connect(&m_driver, &LessonDriver::stepSettled, this, [this] {
        updateStepPanel();
        updateBanner();
    });
    connect(&m_driver, &LessonDriver::liveStepDone, m_terminalPane, &TerminalPane::noticeStaleTerminals);
    connect(&m_driver, &LessonDriver::predictionAsked, this, [this] {
        // The question and its choices in view, once laid out.
        QTimer::singleShot(0, this, [this] { m_stepPanel->scrollToResult(); });
    });
    connect(&m_driver, &LessonDriver::rewinding, this, [this] {
        m_scene->refresh(false); // the tree's layout follows the emptied forests at once
        m_terminalPane->clearTerminals();
        m_traceStep = -1;
        applyTraceScope();
    });
    connect(&m_driver, &LessonDriver::message, this,
            [this](const QString& text, int ms) { statusBar()->showMessage(text, ms); });
    connect(&m_driver, &LessonDriver::idleChanged, this, &MainWindow::idleChanged);
}

void MainWindow::connectSession()
{
    connect(&m_session, &Session::sessionStarted, this, [this] {
        updateBanner();
        // The live lab is up: a shell for a learner already looking at the terminal.
        QTimer::singleShot(0, m_terminalPane, &TerminalPane::ensureTerminal);
        // The agent traces nothing itself yet: as root, trace the machine and keep the lab's calls.
        if (live() && m_session.traceSource() == QLatin1String("none") && EngineClient::isRoot() &&
            !qEnvironmentVariableIsSet("MOUNTLAB_NO_TRACE")) {
            QString why;
            if (!m_engine.startTracer(&why))
                m_traceNote->setText(tr("No trace: %1").arg(why));
        }
        updateBanner();
    });
    connect(&m_session, &Session::catalogChanged, this, [this] {
        // The lesson the lab is in stays open; the others are a click away.
        NavigatorModel* nav = m_session.navigator();
        m_navigator->expand(nav->indexOfGroup(nav->active()));
        m_openedActive = nav->active();
        if (m_driver.showsNothing() && nav->stepCount())
            m_driver.showStep(std::min(nav->current(), nav->stepCount() - 1));
        updateBanner();
        updateStepPanel();
    });
    connect(m_session.navigator(), &NavigatorModel::activeChanged, this, [this](int g) {
        // The lesson the lab left folds; the one it entered opens.
        NavigatorModel* nav = m_session.navigator();
        if (m_openedActive != g)
            m_navigator->collapse(nav->indexOfGroup(m_openedActive));
        m_navigator->expand(nav->indexOfGroup(g));
        m_openedActive = g;
    });
    connect(&m_session, &Session::stepBegan, this, [this](int flat, const QJsonObject& e) {
        m_traceStep = e.value(QLatin1String("step")).toInt(-1);
        applyTraceScope();
        m_scene->tree()->setStepSource(e.value(QLatin1String("where")).toString() == QLatin1String("lab host")
                                           ? MountTreeItem::HostPane
                                           : MountTreeItem::ContainerPane);
        if (flat >= 0)
            m_driver.showStep(flat);
        updateStepPanel();
    });
    connect(&m_session, &Session::treesChanged, this, &MainWindow::onTreesChanged);
}

// The trace, the copy-ups and the status bar follow the stream.
void MainWindow::connectViews()
{
    connect(&m_session, &Session::syscallAdded, this, [this] {
        if (m_traceTable->verticalScrollBar()->value() >= m_traceTable->verticalScrollBar()->maximum() - 2)
            QTimer::singleShot(0, m_traceTable, &QTableView::scrollToBottom);
    });
    connect(&m_session, &Session::copyUpAdded, this, [this] {
        m_copyUpNote->setText(tr("overlay upper layer: %1 — the lower layers are read-only; every write lands in upper")
                                  .arg(m_session.copyUp()->upperdir()));
        m_copyUpTable->resizeColumnsToContents();
        QTimer::singleShot(0, m_copyUpTable, &QTableView::scrollToBottom);
        if (!m_presenter && !m_terminalPane->shown()) // never pull the tab from under someone typing
            m_tabs->setCurrentIndex(1);
    });
    connect(m_session.copyUp(), &QAbstractItemModel::modelReset, this, [this] {
        if (m_session.copyUp()->rowCount() == 0)
            m_copyUpNote->setText(tr("Copy-ups appear here when a step writes to or deletes from the overlay."));
    });
    connect(&m_session, &Session::engineError, this, [this](const QString& raw, bool fatal) {
        const QString message = engineText(raw);
        statusBar()->showMessage(tr("engine: %1").arg(message), 10000);
        // A terminal-open the engine refused has no terminal event to end it: say why there.
        if (message.contains(QLatin1String("terminal")))
            m_terminalPane->refuseOpening(message);
        if (fatal && !qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::critical(this, tr("The lab cannot start"), message);
    });
    connect(&m_session, &Session::logMessage, this, [this](const QString& level, const QString& message) {
        statusBar()->showMessage(QStringLiteral("%1: %2").arg(level, engineText(message)), 8000);
    });
    connect(&m_session, &Session::walkthroughLoaded, this, &MainWindow::tellLessonWarnings);
}

void MainWindow::connectTerminals()
{
    // Recordings made before the terminal ran console commands one at a time: their
    // output shows in the container's terminal.
    connect(&m_session, &Session::consoleOutput, this, [this](const QString& text, bool isError) {
        QByteArray bytes = text.toUtf8().replace("\n", "\r\n");
        if (isError)
            bytes = "\x1b[31m" + bytes + "\x1b[0m";
        m_terminalPane->feedConsole(bytes);
    });
    connect(this, &MainWindow::idleChanged, this, [this](bool idle) {
        if (idle)
            m_terminalPane->reopenTerminals();
    });
}

void MainWindow::findMount(bool next)
{
    const QVector<QPair<int, int>> hits = m_scene->tree()->findMounts(m_findMount->text().trimmed());
    if (hits.isEmpty()) {
        m_findNote->setText(m_findMount->text().trimmed().isEmpty() ? QString() : tr("none"));
        m_findIndex = 0;
        return;
    }
    m_findIndex = next ? (m_findIndex + 1) % int(hits.size()) : 0;
    const auto [pane, node] = hits[m_findIndex];
    m_scene->tree()->select(pane, node);
    m_treeView->ensureVisible(m_scene->tree()->nodeRect(pane, node), 40, 80);
    m_findNote->setText(tr("%1 of %2").arg(m_findIndex + 1).arg(hits.size()));
}

void MainWindow::applyTraceScope()
{
    static_cast<TraceProxyModel*>(m_traceProxy)
        ->setOnlyStep(m_traceStepOnly->isChecked() && m_traceStep > 0 ? m_traceStep : -1);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!mayLeaveSession(tr("Quit MountLab"))) {
        event->ignore();
        return;
    }
    m_engine.stop();
    m_progress.flush();
    QMainWindow::closeEvent(event);
}

// The navigator selects what the step panel shows (without coming back as a click).
void MainWindow::onShownChanged()
{
    NavigatorModel* nav = m_session.navigator();
    const int flat = m_driver.shownStep();
    const QModelIndex idx = flat >= 0 ? nav->indexOfStep(flat) : nav->indexOfGroup(m_driver.overviewShown());
    // An exercise's row shows its lesson's overview and stays the selected row.
    const QModelIndex at = m_navigator->currentIndex();
    const bool onExercise = flat < 0 && nav->exerciseOf(at) >= 0 && nav->groupIndexOf(at) == m_driver.overviewShown();
    if (at != idx && !onExercise) {
        // Not by blocking the selection model's signals: the view would never hear that
        // the old row was deselected, and would paint every row it ever showed as selected.
        m_syncingNavigator = true;
        m_navigator->setCurrentIndex(idx);
        m_syncingNavigator = false;
    }
    if (flat >= 0)
        m_navigator->scrollTo(idx);
    updateStepPanel();
}

void MainWindow::updateStepPanel()
{
    m_stepPanel->refresh(m_explore->active());
    if (m_presenter)
        QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit);
    m_terminalPane->updateBar();
}

QTreeView* MainWindow::navigatorView() { return m_navigator; }

QString MainWindow::bannerText() const { return m_banner->text(); }

QString MainWindow::stepTitleText() const { return m_stepPanel->titleText(); }

QString MainWindow::stepExplainText() const { return m_stepPanel->explainText(); }

QString MainWindow::stepResultText() const { return m_stepPanel->resultText(); }

void MainWindow::onTreesChanged()
{
    // Two tables and two diffs arrive per step: redraw once they are all in.
    if (m_redrawPending)
        return;
    m_redrawPending = true;
    QTimer::singleShot(0, this, [this] {
        m_redrawPending = false;
        if (m_explore->active())
            return;
        updateBanner();
        const bool changed = m_session.host().changeCount() + m_session.container().changeCount() > 0;
        m_scene->refresh(changed);
        // Bring the step's mounts into view: that is what the step is about.
        if (changed)
            m_treeView->showChanges();
        // Keep the explanation in step with the selected mount.
        MountTreeItem* t = m_scene->tree();
        if (t->selectedPane() >= 0)
            onNodeSelected(t->selectedPane(), t->selectedNode());
        else
            m_mountinfo->setLine({}, {}); // the mount it explained is no longer in either tree
    });
}

void MainWindow::onNodeSelected(int pane, int node)
{
    const MountForest* f = m_scene->tree()->forest(pane);
    if (!f || node < 0 || node >= f->size())
        return;
    const MountRow& m = f->nodes()[node].mount();
    const QString whose = m_explore->active()               ? tr("this machine")
                          : pane == MountTreeItem::HostPane ? tr("lab host")
                                                            : tr("container");
    const Change change = f->nodes()[node].change;
    const QString state = change == Change::Removed       ? tr(" (unmounted)")
                          : change == Change::OutsideRoot ? tr(" (outside this process's root)")
                                                          : QString();
    m_mountinfo->setLine(QStringLiteral("%1 %2%3").arg(whose, m.target, state), m.raw);
}

void MainWindow::onTraceSelected()
{
    const QModelIndex idx = m_traceTable->currentIndex();
    if (!idx.isValid())
        return;
    const QString target = idx.data(TraceModel::TargetPathRole).toString();
    if (target.isEmpty())
        return;
    const int step = idx.data(TraceModel::StepRole).toInt();
    Q_UNUSED(step);
    m_selectingFromTrace = true;
    const bool found = m_scene->tree()->selectTarget(target);
    m_selectingFromTrace = false;
    if (!found)
        statusBar()->showMessage(tr("%1 is not mounted now").arg(target), 5000);
}

// The exports draw the trees as wide as their text, not as the window fits them.
// The trees as wide as their text for a file (the view fits them to itself again after).
bool MainWindow::exportAtFullWidth(const std::function<bool()>& write)
{
    bool ok = false;
    {
        const QSignalBlocker asWideAsTheText(m_scene); // the view would fit it again at once
        m_scene->fitTo(0);
        ok = write();
    }
    m_treeView->fitWidth();
    return ok;
}

bool MainWindow::exportTreeSvg(const QString& path)
{
    return exportAtFullWidth([&] { return gui::exportTreeSvg(*m_scene, path); });
}

bool MainWindow::exportTreePng(const QString& path)
{
    return exportAtFullWidth([&] { return gui::exportTreePng(*m_scene, m_theme.background, path); });
}

bool MainWindow::exportHtmlReport(const QString& path)
{
    return exportAtFullWidth([&] { return gui::exportHtmlReport(*m_scene, m_session.recorded(), path, &m_progress); });
}

// --- the terminal (TerminalPane's) ---------------------------------------------------

void MainWindow::showTerminal(const QString& where) { m_terminalPane->showTerminal(where); }

void MainWindow::restartShell() { m_terminalPane->restartShell(); }

TerminalWidget* MainWindow::terminal() { return m_terminalPane->terminal(); }

TerminalWidget* MainWindow::terminalIn(const QString& where) { return m_terminalPane->terminalIn(where); }

QString MainWindow::terminalWhere() const { return m_terminalPane->terminalWhere(); }

int MainWindow::terminalId(const QString& where) const { return m_terminalPane->terminalId(where); }

bool MainWindow::terminalTabShown() const { return m_terminalPane->shown(); }

QPushButton* MainWindow::restartShellButton() { return m_terminalPane->restartShellButton(); }

QToolButton* MainWindow::terminalPlaceButton(const QString& where)
{
    return m_terminalPane->terminalPlaceButton(where);
}

QString MainWindow::terminalStatusText() const { return m_terminalPane->terminalStatusText(); }

} // namespace mountlab::gui
