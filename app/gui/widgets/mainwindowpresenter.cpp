// MainWindow: the theme, the font size, presenter mode, and the room the splitters give.
#include "mainwindow.h"

#include "legendwidget.h"
#include "mountinfopanel.h"
#include "mounttreeitem.h"
#include "navigatorview.h"
#include "practicepanel.h"
#include "steppanel.h"
#include "styledmodels.h"
#include "terminalpane.h"
#include "tracetab.h"

#include <QApplication>
#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

#include <numeric>

namespace mountlab::gui {

void MainWindow::applyTheme()
{
    const Theme t = m_presenter ? Theme::presenter(m_presenterFontSize) : Theme::normal(m_fontSize);
    m_theme = t;
    QPalette pal = QApplication::palette();
    if (t.dark) {
        pal.setColor(QPalette::Window, t.paletteWindow);
        pal.setColor(QPalette::Base, t.paletteBase);
        pal.setColor(QPalette::AlternateBase, t.paletteAlternateBase);
        pal.setColor(QPalette::Text, t.paletteText);
        pal.setColor(QPalette::WindowText, t.paletteText);
        pal.setColor(QPalette::Button, t.paletteButton);
        pal.setColor(QPalette::ButtonText, t.paletteText);
        pal.setColor(QPalette::Highlight, t.paletteHighlight);
        pal.setColor(QPalette::HighlightedText, t.paletteHighlightedText);
    }
    setPalette(pal);
    setFont(t.uiFont());
    m_banner->setFont(t.uiFont(1.05));
    m_banner->setWordWrap(true); // never wider than the window: a projector's may be small
    m_banner->setStyleSheet(QStringLiteral("QLabel#banner{background:%1;color:%2;padding:6px;border-radius:4px}")
                                .arg(t.bannerBackground.name(), t.bannerText.name()));
    m_stepPanel->setTheme(t);
    m_practicePanel->setTheme(t);
    m_navigator->setFont(t.uiFont());
    static_cast<NavigatorDelegate*>(m_navigator->itemDelegate())->theme = t;
    static_cast<TraceProxyModel*>(m_traceProxy)->theme = t;
    static_cast<CopyUpProxyModel*>(m_copyUpTable->model())->theme = t;
    // Presenter mode's trace: a few lines under the tree, in smaller type than it.
    const double traceScale = m_presenter ? 0.75 : 0.95;
    m_traceTable->setFont(t.uiFont(traceScale));
    m_traceTable->horizontalHeader()->setFont(t.uiFont(m_presenter ? traceScale : 1.0));
    m_traceTable->verticalHeader()->setDefaultSectionSize(QFontMetrics(t.monoFont(traceScale)).height() + 8);
    setTraceColumnWidths(m_traceTable, t, traceScale);
    m_copyUpTable->setFont(t.uiFont(0.95));
    // Practising in presenter mode: the terminal's type as large as 60 columns allow
    // beside the Practice panel's column (fitPresenterPractice() again once laid out).
    m_terminalPane->setTheme(m_presenter && practicePanelShown()
                                 ? Theme::presenter(presenterTerminalPoints(m_mainSplit->width() -
                                                                            practiceColumnWidth(m_mainSplit->width())))
                                 : t);
    m_legend->setTheme(t);
    m_mountinfo->setTheme(t);
    m_scene->setBackgroundBrush(t.background);
    m_scene->tree()->setTheme(t);
    m_scene->refresh(false);
    m_navigator->viewport()->update();
    m_traceTable->viewport()->update();
    if (m_presenter) // the text, the legend and the trace took another height
        QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit);
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

// Presenter mode: the tree takes most of the height (its view at least 52 % of the
// window's), the step's text a strip above it (it scrolls beyond), and below it the
// trace's last calls when there is room left, none otherwise. Again whenever the text
// or the window's size changes.
void MainWindow::fitPresenterSplit()
{
    if (!m_presenter)
        return;
    if (practicePanelShown()) {
        fitPresenterPractice();
        return;
    }
    const QList<int> now = m_rightSplit->sizes();
    const int h = std::accumulate(now.begin(), now.end(), 0);
    // Trying a step by typing: the room sees the command typed, so the terminal takes up to
    // 10 lines (down to 6) while the tree keeps a third of the height, the step its title
    // and the checks' marks.
    if (m_driver.tryingShown() && m_tabs->currentWidget() == m_terminalPane) {
        const int marks = m_stepPanel->presenterHeight(m_rightSplit->width() - 4, 0) + 8;
        const int chrome = m_terminalPane->barHeight() + 24, cell = m_terminalPane->cellSize().height();
        int rows = 10;
        while (rows > 6 && h - marks - (rows * cell + chrome) < h / 3)
            --rows;
        const int terminal = std::max(0, std::min(h - marks, rows * cell + chrome));
        m_tabs->setMaximumHeight(QWIDGETSIZE_MAX);
        m_rightSplit->setSizes({marks, std::max(0, h - marks - terminal), terminal});
        return;
    }
    const int treeLeast = height() * 52 / 100 + m_legend->minimumHeight() + 4;
    const int spare = std::max(0, h - treeLeast);
    // Wrapped text: its height at the width it has; at least its title's first lines.
    const int want = m_stepPanel->textHeightForWidth(m_rightSplit->width() - 4) + 8;
    // The step's title line and its marks always, and two lines of its prose before the trace.
    const int stepLeast = std::min(want, m_stepPanel->presenterHeight(m_rightSplit->width() - 4, 2) + 8);
    int trace = 0;
    if (m_tabs->currentWidget() == m_terminalPane) {
        trace = std::min(m_tabs->maximumHeight(), std::max(0, spare - stepLeast));
    } else {
        const int chrome = m_traceTable->horizontalHeader()->sizeHint().height() + 2 * m_traceTable->frameWidth() + 12;
        for (int rows : {3, 1})
            if (trace == 0 && spare - stepLeast >= chrome + rows * m_traceTable->verticalHeader()->defaultSectionSize())
                trace = chrome + rows * m_traceTable->verticalHeader()->defaultSectionSize();
        // The call and where it ran first: the time and the latency when there is room.
        m_traceTable->setColumnHidden(TraceModel::TimeColumn, m_rightSplit->width() < 1500);
        m_traceTable->setColumnHidden(TraceModel::LatencyColumn, m_rightSplit->width() < 1300);
    }
    // The title and the marks before the trace; the tree's least before them (the panel's
    // own minimum is its title line).
    const int marks = std::min(spare, m_stepPanel->presenterHeight(m_rightSplit->width() - 4, 0) + 4);
    const int step = std::max(marks, std::min(want, spare - trace));
    m_rightSplit->setSizes({step, h - step - trace, trace});
}

// The terminal's type in presenter mode beside the Practice panel: the room's, or as large
// as keeps 60 columns in `width` (the tab's frame and the pane's margins off), 12 pt at least.
int MainWindow::presenterTerminalPoints(int width) const
{
    int points = m_presenterFontSize;
    for (; points > 12; --points)
        if (60 * QFontMetrics(Theme::presenter(points).monoFont()).horizontalAdvance(QLatin1Char('M')) <= width - 40)
            break;
    return points;
}

// Presenter mode while practising: the Practice panel a column of a third of the window
// at the room's type (its checks and buttons never scroll), the terminal beside it at
// least 60 columns and 12 lines (its type smaller than the room's when the width asks,
// never below 12 pt), and the tree above the terminal with what height is left.
void MainWindow::fitPresenterPractice()
{
    // The terminal's type from the window's width, before the columns: at the room's type
    // its least width would keep the panel's column from its share.
    const int inner = m_mainSplit->width();
    const Theme terminalTheme = Theme::presenter(presenterTerminalPoints(inner - practiceColumnWidth(inner)));
    if (m_terminalPane->cellSize().width() !=
        QFontMetrics(terminalTheme.monoFont()).horizontalAdvance(QLatin1Char('M')))
        m_terminalPane->setTheme(terminalTheme);
    fitPracticeColumn();
    const QList<int> now = m_rightSplit->sizes();
    const int h = std::accumulate(now.begin(), now.end(), 0);
    const int chrome = m_terminalPane->barHeight() + 24;
    const int cell = m_terminalPane->cellSize().height();
    // Sixteen lines when the tree keeps 40 % of the height, else down to twelve.
    int rows = 16;
    while (rows > 12 && rows * cell + chrome > h * 60 / 100)
        --rows;
    const int terminal = std::min(h, rows * cell + chrome);
    m_tabs->setMaximumHeight(QWIDGETSIZE_MAX);
    m_rightSplit->setSizes({0, h - terminal, terminal});
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    if (m_presenter)
        QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit);
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
    m_traceTable->setColumnHidden(TraceModel::TimeColumn, false); // presenter mode's split hides them when narrow
    m_traceTable->setColumnHidden(TraceModel::LatencyColumn, false);
    // A teacher typing in the terminal keeps it on the projector; otherwise the trace.
    const bool keepTerminal = on && (m_tabs->currentWidget() == m_terminalPane || practicePanelShown());
    m_practicePanel->setPresenter(on); // the task first, the buttons whole at the room's type
    if (keepTerminal)
        m_tabs->setCurrentWidget(m_terminalPane);
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
        // The tree gets the room: the step text above it, a few trace lines below (the
        // tabs' pages would keep a dozen lines of their own at this size).
        m_tabs->setMinimumHeight(1);
        m_tabs->setMaximumHeight(keepTerminal
                                     ? m_terminalPane->cellSize().height() * 10 + m_terminalPane->barHeight() + 24
                                     : QWIDGETSIZE_MAX);
        QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit);
    } else {
        m_tabs->setMaximumHeight(QWIDGETSIZE_MAX);
        m_tabs->setMinimumHeight(140); // as buildUi leaves it
        if (!m_normalSizes.isEmpty())
            m_rightSplit->setSizes(m_normalSizes);
        if (m_tabs->currentWidget() == m_terminalPane)
            QTimer::singleShot(0, this, &MainWindow::giveTerminalRoom);
        fitPracticeColumn();
        restoreNavigatorWidth(); // a practice ended in presenter mode left it at 0
    }
}

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
