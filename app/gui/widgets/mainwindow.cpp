#include "mainwindow.h"

#include "exploremode.h"
#include "exports.h"
#include "legendwidget.h"
#include "linkopener.h"
#include "mountinfopanel.h"
#include "mounttreeitem.h"
#include "mounttreeview.h"
#include "steppanel.h"
#include "styledmodels.h"
#include "terminalpane.h"
#include "terminalwidget.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

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
    applyTheme();
    updateBanner();
    updateStepPanel();
}

MainWindow::~MainWindow() { m_engine.stop(); }

void MainWindow::connectEngine()
{
    connect(&m_engine, &EngineClient::lineReceived, &m_session, &Session::handleLine);
    connect(&m_engine, &EngineClient::traceLineReceived, &m_session, &Session::handleTraceLine);
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
    connect(&m_session, &Session::engineError, this, [this](const QString& message, bool fatal) {
        statusBar()->showMessage(tr("engine: %1").arg(message), 10000);
        // A terminal-open the engine refused has no terminal event to end it: say why there.
        if (message.contains(QLatin1String("terminal")))
            m_terminalPane->refuseOpening(message);
        if (fatal && !qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::critical(this, tr("The lab cannot start"), message);
    });
    connect(&m_session, &Session::logMessage, this, [this](const QString& level, const QString& message) {
        statusBar()->showMessage(QStringLiteral("%1: %2").arg(level, message), 8000);
    });
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

void MainWindow::buildUi()
{
    auto* central = new QWidget(this);
    auto* outer = new QVBoxLayout(central);
    outer->setContentsMargins(6, 6, 6, 6);
    outer->setSpacing(6);
    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setTextFormat(Qt::RichText);
    outer->addWidget(m_banner);

    m_mainSplit = new QSplitter(Qt::Horizontal, central);
    outer->addWidget(m_mainSplit, 1);
    buildNavigator();
    m_rightSplit = new QSplitter(Qt::Vertical, m_mainSplit);

    m_links = new LinkOpener(this);
    connect(m_links, &LinkOpener::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    m_stepPanel = new StepPanel(m_session, m_driver, m_links, m_rightSplit);
    connect(m_stepPanel, &StepPanel::message, this,
            [this](const QString& text, int ms) { statusBar()->showMessage(text, ms); });

    // The trees, the legend, and the mountinfo explanation.
    auto* treeArea = new QWidget(m_rightSplit);
    buildTreeArea(treeArea);

    // Tabs: trace, copy-up, terminal, mount line.
    m_tabs = new QTabWidget(m_rightSplit);
    buildTraceTab();
    buildCopyUpTab();
    buildTerminalTab();
    m_mountinfo = new MountinfoPanel(m_tabs);
    m_tabs->addTab(m_mountinfo, tr("Mount line"));

    m_rightSplit->addWidget(m_stepPanel);
    m_rightSplit->addWidget(treeArea);
    m_rightSplit->addWidget(m_tabs);
    m_rightSplit->setStretchFactor(0, 0);
    m_rightSplit->setStretchFactor(1, 3);
    m_rightSplit->setStretchFactor(2, 1);
    m_mainSplit->setStretchFactor(0, 0);
    m_mainSplit->setStretchFactor(1, 1);
    m_mainSplit->setSizes({340, 1260});
    m_rightSplit->setSizes({240, 620, 260});
    setCentralWidget(central);
    buildKeys();
    resize(1600, 1000);
}

// The navigator: lessons (the walkthrough first) and their steps.
void MainWindow::buildNavigator()
{
    m_navigator = new QTreeView(m_mainSplit);
    m_navigator->setModel(m_session.navigator());
    m_navigator->setItemDelegate(new NavigatorDelegate(m_navigator));
    m_navigator->header()->setSectionResizeMode(NavigatorModel::TitleColumn, QHeaderView::Stretch);
    m_navigator->header()->hide();
    m_navigator->setColumnHidden(NavigatorModel::StatusColumn, true);
    m_navigator->setWordWrap(true);
    m_navigator->setUniformRowHeights(false);
    m_navigator->setAccessibleName(tr("lesson steps"));
    m_navigator->setMinimumWidth(260);
    connect(m_navigator->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& idx) {
        const int flat = m_session.navigator()->flatIndex(idx);
        if (flat >= 0) {
            // A step that ran: the trace shows its calls.
            const StepStatus st = m_session.navigator()->step(flat).status;
            const Session::StepResult r = m_session.resultOf(flat);
            if ((st == StepStatus::Passed || st == StepStatus::Failed) && !r.begin.isEmpty()) {
                m_traceStep = r.begin.value(QLatin1String("step")).toInt(-1);
                applyTraceScope();
            }
            m_driver.showStep(flat);
        } else if (idx.isValid())
            m_driver.showGroup(m_session.navigator()->groupIndexOf(idx));
    });
    connect(m_navigator, &QTreeView::doubleClicked, this, [this](const QModelIndex& idx) {
        const int flat = m_session.navigator()->flatIndex(idx);
        if (flat >= 0)
            m_driver.runToStep(flat);
    });
}

void MainWindow::buildTreeArea(QWidget* treeArea)
{
    auto* ta = new QVBoxLayout(treeArea);
    ta->setContentsMargins(0, 0, 0, 0);
    ta->setSpacing(2);
    m_legend = new LegendWidget(treeArea);
    auto* legendRow = new QHBoxLayout;
    legendRow->addWidget(m_legend, 1);
    // Find a mount among thousands (explore this machine): Enter goes to the next match.
    m_findMount = new QLineEdit(treeArea);
    m_findMount->setPlaceholderText(tr("Find a mount (Ctrl+F)"));
    m_findMount->setToolTip(tr("A part of a mount point, fstype or source; Enter for the next match"));
    m_findMount->setClearButtonEnabled(true);
    m_findMount->setMaximumWidth(260);
    m_findNote = new QLabel(treeArea);
    legendRow->addWidget(m_findMount);
    legendRow->addWidget(m_findNote);
    ta->addLayout(legendRow);
    connect(m_findMount, &QLineEdit::textChanged, this, [this] { findMount(false); });
    connect(m_findMount, &QLineEdit::returnPressed, this, [this] { findMount(true); });
    m_scene = new MountTreeScene(this);
    m_scene->tree()->setForests(&m_session.host(), &m_session.container());
    m_explore = new ExploreMode(m_scene, this);
    m_treeView = new MountTreeView(m_scene, treeArea);
    ta->addWidget(m_treeView, 1);
    connect(m_scene->tree(), &MountTreeItem::nodeSelected, this, &MainWindow::onNodeSelected);
    connect(m_scene->tree(), &MountTreeItem::nodeClicked, this, [this] {
        if (!m_presenter)
            m_tabs->setCurrentWidget(m_mountinfo);
    });
}

void MainWindow::buildTraceTab()
{
    auto* traceTab = new QWidget(m_tabs);
    auto* tl = new QVBoxLayout(traceTab);
    tl->setContentsMargins(2, 2, 2, 2);
    auto* filterRow = new QHBoxLayout;
    m_traceFilter = new QLineEdit(traceTab);
    m_traceFilter->setPlaceholderText(tr("Filter the trace: a call, a path, an errno, a command…"));
    m_traceFilter->setClearButtonEnabled(true);
    m_traceNote = new QLabel(traceTab);
    m_traceStepOnly = new QCheckBox(tr("Only this step's calls"), traceTab);
    m_traceStepOnly->setChecked(true);
    m_traceStepOnly->setToolTip(tr("The calls of the step that ran last, or of the step selected in the navigator; "
                                   "off: every call of the session, the lab's set-up first"));
    connect(m_traceStepOnly, &QCheckBox::toggled, this, &MainWindow::applyTraceScope);
    filterRow->addWidget(m_traceFilter, 1);
    filterRow->addWidget(m_traceStepOnly);
    filterRow->addWidget(m_traceNote);
    tl->addLayout(filterRow);
    m_traceTable = new QTableView(traceTab);
    auto* traceProxy = new TraceProxyModel(this);
    traceProxy->setSourceModel(m_session.trace());
    m_traceProxy = traceProxy;
    m_traceTable->setModel(m_traceProxy);
    m_traceTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_traceTable->verticalHeader()->hide();
    m_traceTable->horizontalHeader()->setSectionResizeMode(TraceModel::CallColumn, QHeaderView::Stretch);
    m_traceTable->setWordWrap(false);
    m_traceTable->setAccessibleName(tr("traced system calls"));
    tl->addWidget(m_traceTable, 1);
    connect(m_traceFilter, &QLineEdit::textChanged, m_traceProxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_traceTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onTraceSelected);
    m_tabs->addTab(traceTab, tr("Trace"));
}

void MainWindow::buildCopyUpTab()
{
    auto* copyTab = new QWidget(m_tabs);
    auto* cl = new QVBoxLayout(copyTab);
    cl->setContentsMargins(2, 2, 2, 2);
    m_copyUpNote = new QLabel(tr("Copy-ups appear here when a step writes to or deletes from the overlay."), copyTab);
    m_copyUpNote->setWordWrap(true);
    cl->addWidget(m_copyUpNote);
    m_copyUpTable = new QTableView(copyTab);
    auto* copyProxy = new CopyUpProxyModel(this);
    copyProxy->setSourceModel(m_session.copyUp());
    m_copyUpTable->setModel(copyProxy);
    m_copyUpTable->verticalHeader()->hide();
    m_copyUpTable->horizontalHeader()->setStretchLastSection(true);
    m_copyUpTable->setAccessibleName(tr("overlay layers and copy-ups"));
    cl->addWidget(m_copyUpTable, 1);
    m_tabs->addTab(copyTab, tr("Copy-up"));
}

// The terminal: a real shell on a PTY in the lab, over the event stream.
void MainWindow::buildTerminalTab()
{
    m_terminalPane = new TerminalPane(m_session, m_engine, m_driver, m_tabs);
    m_tabs->addTab(m_terminalPane, tr("Terminal"));
    m_tabs->setTabToolTip(m_tabs->indexOf(m_terminalPane),
                          tr("A real shell in the lab: what you mount there shows in the trees"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int) {
        if (!m_terminalPane->shown())
            return;
        giveTerminalRoom();
        // Once laid out: the shell starts with the size it is shown at.
        QTimer::singleShot(0, this, [this] {
            m_terminalPane->ensureTerminal();
            if (m_terminalPane->shown())
                m_terminalPane->terminal()->setFocus(Qt::OtherFocusReason);
        });
    });
}

// Space or Right = next step, Left = back, R = reset, F11 = presenter mode.
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
    key(QKeySequence(Qt::Key_R), [this] { reset(); });
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

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Start the lab (live)"), this, [this] { startLiveInteractive(); });
    file->addAction(tr("&Open a recording…"), QKeySequence::Open, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open a recording"), {}, tr("MountLab recordings (*.jsonl)"));
        if (!path.isEmpty())
            openRecording(path);
    });
    file->addAction(tr("Explore this machine"), this, [this] { startExplore(); });
    file->addSeparator();
    file->addAction(tr("Save the session as a recording…"), QKeySequence::Save, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Save a recording"), QStringLiteral("mountlab-session.jsonl"),
                                         tr("MountLab recordings (*.jsonl)"));
        QString error;
        if (!path.isEmpty() && !m_session.saveRecording(path, &error))
            QMessageBox::warning(this, tr("Not saved"), error);
    });
    file->addAction(tr("Export the tree as SVG…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export SVG"), QStringLiteral("mount-tree.svg"), tr("SVG (*.svg)"));
        if (!path.isEmpty())
            exportTreeSvg(path);
    });
    file->addAction(tr("Export the tree as PNG…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export PNG"), QStringLiteral("mount-tree.png"), tr("PNG (*.png)"));
        if (!path.isEmpty())
            exportTreePng(path);
    });
    file->addAction(tr("Export the run as an HTML report…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export report"),
                                                          QStringLiteral("mountlab-report.html"), tr("HTML (*.html)"));
        if (!path.isEmpty())
            exportHtmlReport(path);
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

bool MainWindow::startLiveInteractive()
{
    // The engine runs as the user; it asks for root (pkexec) only for its tracer, and
    // says in the session how the trace went.
    return startLive(qEnvironmentVariableIsSet("MOUNTLAB_NO_TRACE") ? EngineClient::Tracing::None
                                                                    : EngineClient::Tracing::Auto);
}

// Back to an empty session, before a live engine or a recording feeds it.
// Back to an empty session, before a live engine or a recording feeds it.
void MainWindow::clearSession()
{
    m_explore->stop();
    m_scene->tree()->setForests(&m_session.host(), &m_session.container());
    m_session.clear();
    m_scene->refresh(false); // the tree's layout follows the emptied forests at once
    m_driver.clear();
    m_traceStep = -1;
    applyTraceScope();
    m_terminalPane->clearTerminals();
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

bool MainWindow::startLive(EngineClient::Tracing tracing)
{
    clearSession();
    QString error;
    if (!m_engine.startAgent(tracing, &error)) {
        if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::critical(this, tr("The engine cannot start"), error);
        statusBar()->showMessage(error);
        return false;
    }
    // The lessons first: the walkthrough event that answers "list" closes the catalogue.
    m_engine.send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("lessons")}});
    m_engine.send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("list")}});
    updateBanner();
    updateStepPanel();
    return true;
}

bool MainWindow::openRecording(const QString& path)
{
    clearSession();
    QString error;
    if (!m_engine.openRecording(path, &error)) {
        if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::warning(this, tr("Not a recording"), error);
        statusBar()->showMessage(error);
        return false;
    }
    updateBanner();
    updateStepPanel();
    return true;
}

bool MainWindow::startExplore(const QString& mountinfoFile)
{
    if (!m_explore->start(mountinfoFile)) {
        statusBar()->showMessage(tr("Cannot read the mount table"));
        return false;
    }
    m_driver.unshowStep();
    updateBanner();
    updateStepPanel();
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_engine.stop();
    QMainWindow::closeEvent(event);
}

// The navigator selects what the step panel shows (without coming back as a click).
void MainWindow::onShownChanged()
{
    NavigatorModel* nav = m_session.navigator();
    const int flat = m_driver.shownStep();
    const QModelIndex idx = flat >= 0 ? nav->indexOfStep(flat) : nav->indexOfGroup(m_driver.overviewShown());
    if (m_navigator->currentIndex() != idx) {
        QSignalBlocker block(m_navigator->selectionModel());
        m_navigator->setCurrentIndex(idx);
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

void MainWindow::updateBanner()
{
    NavigatorModel* nav = m_session.navigator();
    const int activeSize = nav->groupSize(nav->active());
    const int ranInActive = std::clamp(nav->current() - nav->groupStart(nav->active()), 0, activeSize);
    QStringList parts;
    parts << QStringLiteral("<b>MountLab</b>");
    if (m_explore->active()) {
        parts << tr("exploring this machine (read only)");
    } else {
        if (nav->stepCount())
            parts
                << tr("lesson: %1 · %2/%3 steps run").arg(nav->name().toHtmlEscaped()).arg(ranInActive).arg(activeSize);
        if (replay()) {
            parts
                << tr("<span style='background:#0072B2;color:white'>&nbsp;REPLAY&nbsp;</span> of %1 — a recording, nothing runs; no privilege needed")
                       .arg(m_engine.recordingPath().isEmpty() ? tr("a session")
                                                               : m_engine.recordingPath().toHtmlEscaped());
        } else if (live()) {
            const QJsonObject s = m_session.sessionInfo();
            // The engine is the user's; the lab is a user namespace; root, if any, is
            // only the tracer helper's.
            parts << (EngineClient::isRoot() ? tr("engine: root; lab: a user namespace")
                                             : tr("engine: you; lab: a user namespace"));
            const QString via = s.value(QLatin1String("trace_via")).toString();
            const QString unavailable = s.value(QLatin1String("trace_unavailable")).toString();
            QString trace;
            if (m_session.traceSource() == QLatin1String("bpf"))
                trace = via == QLatin1String("mountlab-tracer")
                            ? tr("eBPF live (mountlab-tracer, the only part run as root)")
                            : tr("eBPF live");
            else if (m_engine.tracerRunning())
                trace = tr("eBPF live (mountlab-cli trace)");
            else if (m_session.traceSource() == QLatin1String("mountinfo"))
                trace = tr("no eBPF: table changes only");
            else
                trace = tr("no trace");
            parts << tr("trace: %1").arg(trace.toHtmlEscaped());
            const bool traced = m_session.traceSource() == QLatin1String("bpf") || m_engine.tracerRunning();
            m_traceNote->setText(traced
                                     ? QString()
                                     : tr("No system calls here: %1. The trees still show every change.")
                                           .arg(unavailable.isEmpty() ? tr("eBPF tracing needs root") : unavailable));
            if (s.contains(QLatin1String("kernel")))
                parts << tr("kernel %1").arg(s.value(QLatin1String("kernel")).toString().toHtmlEscaped());
        } else {
            parts << tr("no engine running");
        }
    }
    m_banner->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    setWindowTitle(nav->stepCount() && !m_explore->active() ? tr("MountLab — %1 %2/%3%4")
                                                                  .arg(nav->name())
                                                                  .arg(ranInActive)
                                                                  .arg(activeSize)
                                                                  .arg(replay() ? tr(" (replay)") : QString())
                                                            : tr("MountLab"));
    const QJsonObject s = m_session.sessionInfo();
    if (!m_explore->active()) {
        const quint64 hostNs =
            m_session.host().mntns ? m_session.host().mntns : quint64(s.value(QLatin1String("host_mntns")).toDouble());
        const MountForest& c = m_session.container();
        const quint64 containerNs = c.mntns;
        // After `unshare --mount bash` or `chroot DIR` typed in the terminal, the container
        // tree is that shell's: say whose.
        const QString whose = c.viewPid > 0 ? tr("CONTAINER · %1 in the terminal").arg(c.viewComm) : tr("CONTAINER");
        m_scene->tree()->setTitles(tr("LAB HOST · mnt ns %1").arg(hostNs),
                                   containerNs && containerNs == hostNs
                                       ? tr("%1 · not unshared yet: the lab host's table").arg(whose)
                                       : tr("%1 · mnt ns %2").arg(whose).arg(containerNs));
    }
}

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
        // Bring the step's first change into view: that is what the step is about.
        if (changed)
            for (int pane : {int(MountTreeItem::ContainerPane), int(MountTreeItem::HostPane)}) {
                const MountForest& f = pane == MountTreeItem::HostPane ? m_session.host() : m_session.container();
                int first = -1;
                for (int i = 0; i < f.size() && first < 0; ++i)
                    if (f.nodes()[i].change != Change::None)
                        first = i;
                if (first >= 0) {
                    m_treeView->ensureVisible(m_scene->tree()->nodeRect(pane, first), 40, 80);
                    break;
                }
            }
        // Keep the explanation in step with the selected mount.
        MountTreeItem* t = m_scene->tree();
        if (t->selectedPane() >= 0)
            onNodeSelected(t->selectedPane(), t->selectedNode());
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
    m_mountinfo->setLine(QStringLiteral("%1 %2").arg(whose, m.target), m.raw);
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

void MainWindow::applyTheme()
{
    const Theme t = m_presenter ? Theme::presenter(m_presenterFontSize) : Theme::normal(m_fontSize);
    m_theme = t;
    QPalette pal = QApplication::palette();
    if (t.dark) {
        pal.setColor(QPalette::Window, QColor(0x08, 0x08, 0x08));
        pal.setColor(QPalette::Base, QColor(0, 0, 0));
        pal.setColor(QPalette::AlternateBase, QColor(0x18, 0x18, 0x18));
        pal.setColor(QPalette::Text, Qt::white);
        pal.setColor(QPalette::WindowText, Qt::white);
        pal.setColor(QPalette::Button, QColor(0x20, 0x20, 0x20));
        pal.setColor(QPalette::ButtonText, Qt::white);
        pal.setColor(QPalette::Highlight, QColor(0xE6, 0x9F, 0x00));
        pal.setColor(QPalette::HighlightedText, Qt::black);
    }
    setPalette(pal);
    setFont(t.uiFont());
    m_banner->setFont(t.uiFont(1.05));
    m_banner->setStyleSheet(
        t.dark ? QStringLiteral("QLabel#banner{background:#202020;color:white;padding:6px;border-radius:4px}")
               : QStringLiteral("QLabel#banner{background:#ECECE6;color:#111;padding:6px;border-radius:4px}"));
    m_stepPanel->setTheme(t);
    m_navigator->setFont(t.uiFont());
    static_cast<NavigatorDelegate*>(m_navigator->itemDelegate())->theme = t;
    static_cast<TraceProxyModel*>(m_traceProxy)->theme = t;
    static_cast<CopyUpProxyModel*>(m_copyUpTable->model())->theme = t;
    m_traceTable->setFont(t.uiFont(0.95));
    m_traceTable->verticalHeader()->setDefaultSectionSize(QFontMetrics(t.monoFont(0.95)).height() + 8);
    {
        const QFontMetrics fm(t.uiFont(0.95));
        const int ch = fm.horizontalAdvance(QLatin1Char('0'));
        const int widths[] = {11, 7, 11, 17, 0, 10, 10};
        for (int c = 0; c < TraceModel::NUM_COLUMNS; ++c)
            if (widths[c])
                m_traceTable->setColumnWidth(c, widths[c] * ch + 16);
    }
    m_copyUpTable->setFont(t.uiFont(0.95));
    m_terminalPane->setTheme(t);
    m_legend->setTheme(t);
    m_mountinfo->setTheme(t);
    m_scene->setBackgroundBrush(t.background);
    m_scene->tree()->setTheme(t);
    m_scene->refresh(false);
    m_navigator->viewport()->update();
    m_traceTable->viewport()->update();
}

void MainWindow::setFontSize(int points)
{
    points = std::clamp(points, 7, 48);
    QSettings settings;
    if (m_presenter) {
        m_presenterFontSize = points;
        settings.setValue(QStringLiteral("presenter/fontSize"), points);
    } else {
        m_fontSize = points;
        settings.setValue(QStringLiteral("ui/fontSize"), points);
    }
    applyTheme();
}

// Presenter mode: the step's text in full (up to 40 % of the height; it scrolls beyond),
// a few trace lines, and all the rest for the tree. Again whenever the text changes.
void MainWindow::fitPresenterSplit()
{
    if (!m_presenter)
        return;
    const int h = m_rightSplit->height();
    // Wrapped text: its height at the width it has.
    const int want = m_stepPanel->textHeightForWidth(m_rightSplit->width() - 4);
    const int step = std::min(want + 8, h * 2 / 5);
    const int tabs = m_tabs->maximumHeight();
    m_rightSplit->setSizes({step, std::max(200, h - step - tabs), tabs});
}

void MainWindow::setPresenterMode(bool on, bool fullScreen)
{
    m_presenter = on;
    // Only the step text, the tree and the trace.
    m_navigator->setVisible(!on);
    menuBar()->setVisible(!on);
    statusBar()->setVisible(!on);

    m_traceFilter->setVisible(!on);
    m_traceStepOnly->setVisible(!on); // the step's calls only: the room is the tree's
    m_findMount->setVisible(!on);
    m_findNote->setVisible(!on);
    m_traceNote->setVisible(!on);
    m_stepPanel->setPresenter(on); // the keys drive it; what the step did stays
    m_traceTable->setColumnHidden(TraceModel::PidColumn, on);
    m_traceTable->setColumnHidden(TraceModel::MntNsColumn, on);
    // A teacher typing in the terminal keeps it on the projector; otherwise the trace.
    const bool keepTerminal = on && m_tabs->currentWidget() == m_terminalPane;
    if (on) {
        m_normalSizes = m_rightSplit->sizes();
        if (!keepTerminal)
            m_tabs->setCurrentIndex(0);
        m_tabs->tabBar()->hide();
        if (fullScreen) {
            m_wasMaximized = isMaximized();
            showFullScreen();
        }
    } else {
        m_tabs->tabBar()->show();
        if (m_wasMaximized) // a small screen's window stays within it
            showMaximized();
        else
            showNormal();
    }
    applyTheme();
    if (on) {
        // The tree gets the room: the step text above it, a few trace lines below.
        m_tabs->setMaximumHeight(keepTerminal
                                     ? m_terminalPane->cellSize().height() * 10 + m_terminalPane->barHeight() + 24
                                     : QFontMetrics(m_theme.uiFont(0.95)).height() * 7);
        QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit);
    } else {
        m_tabs->setMaximumHeight(QWIDGETSIZE_MAX);
        if (!m_normalSizes.isEmpty())
            m_rightSplit->setSizes(m_normalSizes);
        if (m_tabs->currentWidget() == m_terminalPane)
            QTimer::singleShot(0, this, &MainWindow::giveTerminalRoom);
    }
}

bool MainWindow::exportTreeSvg(const QString& path) { return gui::exportTreeSvg(*m_scene, path); }

bool MainWindow::exportTreePng(const QString& path) { return gui::exportTreePng(*m_scene, m_theme.background, path); }

bool MainWindow::exportHtmlReport(const QString& path)
{
    return gui::exportHtmlReport(*m_scene, m_session.recorded(), path);
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

void MainWindow::giveTerminalRoom()
{
    // A terminal of fewer than a dozen lines is no use: take them from the tree (it
    // scrolls), sixteen when the tree keeps a fair share; then the splitter is the
    // learner's.
    if (m_presenter)
        return;
    const QSize cell = m_terminalPane->cellSize();
    const int chrome = m_tabs->tabBar()->sizeHint().height() + m_terminalPane->barHeight() + 24;
    QList<int> sizes = m_rightSplit->sizes();
    if (sizes.size() != 3)
        return;
    const int want16 = 16 * cell.height() + chrome, want12 = 12 * cell.height() + chrome;
    if (sizes[2] < want16 && sizes[1] - 300 >= want16 - sizes[2]) {
        sizes[1] -= want16 - sizes[2];
        sizes[2] = want16;
    } else if (sizes[2] < want12) {
        // A small screen: the tree down to a few rows, then the step text (it scrolls;
        // its title and buttons stay).
        int need = want12 - sizes[2];
        const int fromTree = std::min(need, std::max(0, sizes[1] - 160));
        need -= fromTree;
        const int stepKeeps = m_stepPanel->buttonsHeight() + 3 * QFontMetrics(m_theme.uiFont(1.45)).lineSpacing() + 12;
        const int fromStep = std::min(need, std::max(0, sizes[0] - stepKeeps));
        sizes[1] -= fromTree;
        sizes[0] -= fromStep;
        sizes[2] += fromTree + fromStep;
    } else {
        return;
    }
    m_rightSplit->setSizes(sizes);
}

} // namespace mountlab::gui
