// MainWindow: building its parts (the navigator, the step panel, the trees, the tabs).
#include "mainwindow.h"

#include "exploremode.h"
#include "legendwidget.h"
#include "linkopener.h"
#include "mountinfopanel.h"
#include "mounttreeitem.h"
#include "mounttreeview.h"
#include "navigatorview.h"
#include "steppanel.h"
#include "styledmodels.h"
#include "terminalpane.h"
#include "terminalwidget.h"
#include "tracetab.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace mountlab::gui {

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
    buildPractice(); // a column right of the trees, while a practice lasts

    m_rightSplit->addWidget(m_stepPanel);
    m_rightSplit->addWidget(treeArea);
    m_rightSplit->addWidget(m_tabs);
    // A small screen's height goes to the trees first: the tabs may shrink to a few
    // trace lines (the pages' own minimum sizes would keep them at ~220 px), and a
    // taller window grows the trees, not the tabs.
    m_tabs->setMinimumHeight(140);
    m_rightSplit->setStretchFactor(0, 0);
    m_rightSplit->setStretchFactor(1, 1);
    m_rightSplit->setStretchFactor(2, 0);
    m_mainSplit->setStretchFactor(0, 0);
    m_mainSplit->setStretchFactor(1, 1);
    m_mainSplit->setSizes({340, 1260});
    m_rightSplit->setSizes({240, 690, 170});
    setCentralWidget(central);
    buildKeys();
    resize(1600, 1000);
}

// The navigator: lessons (the walkthrough first) and their steps.
void MainWindow::buildNavigator()
{
    m_navigator = new NavigatorView(m_mainSplit);
    m_navigator->setModel(m_session.navigator());
    m_navigator->setItemDelegate(new NavigatorDelegate(m_navigator));
    m_navigator->header()->setSectionResizeMode(NavigatorModel::TitleColumn, QHeaderView::Stretch);
    m_navigator->header()->hide();
    m_navigator->setColumnHidden(NavigatorModel::StatusColumn, true);
    m_navigator->setWordWrap(true);
    m_navigator->setUniformRowHeights(false);
    m_navigator->setAccessibleName(tr("lesson steps"));
    m_navigator->setMinimumWidth(260);
    connect(m_navigator, &NavigatorView::typedText, this, [this] {
        statusBar()->showMessage(tr("The lesson list takes no typing: commands go in the Terminal tab (Ctrl+T)"), 8000);
    });
    connect(m_navigator->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& idx) {
        if (m_syncingNavigator)
            return;
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
    addTraceDetail(m_traceTable, tl);
    auto* empty = new TraceEmptyState(m_traceTable, [this] {
        return TraceModel::EmptyState{
            m_session.traceSource() != QLatin1String("none") || m_engine.tracerRunning() ||
                m_session.trace()->rowCount() > 0,
            m_session.sessionInfo().value(QLatin1String("trace_unavailable")).toString(m_traceNote->text()),
            m_traceStepOnly->isChecked(), m_traceFilter->text(), m_session.trace()->rowCount() > 0};
    });
    tl->insertWidget(tl->indexOf(m_traceTable), empty);
    connect(&m_session, &Session::stepEnded, empty, &TraceEmptyState::refresh);
    connect(&m_session, &Session::sessionStarted, empty, &TraceEmptyState::refresh);
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
    auto* noteRow = new QHBoxLayout;
    noteRow->addWidget(m_copyUpNote, 1);
    auto* history = new QCheckBox(tr("History"), copyTab);
    history->setObjectName(QStringLiteral("copyUpHistory"));
    history->setToolTip(tr("Off: each path as upper holds it now. On: every change, in the order the steps made them "
                           "(a file deleted, then a directory made there: whiteout, then opaque)"));
    connect(history, &QCheckBox::toggled, m_session.copyUp(), &CopyUpModel::setShowHistory);
    noteRow->addWidget(history);
    cl->addLayout(noteRow);
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

} // namespace mountlab::gui
