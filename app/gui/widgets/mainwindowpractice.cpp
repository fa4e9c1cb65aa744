// MainWindow: practice (issue #16). A navigator exercise row starts it; the Practice
// panel is a column of its own right of the trees while it lasts and stands in for the
// step panel above them (hidden meanwhile), so the trees keep their height beside the
// terminal below them.
#include "mainwindow.h"

#include "navigatorview.h"
#include "practicepanel.h"
#include "steppanel.h"
#include "terminalpane.h"
#include "terminalwidget.h"

#include <QLabel>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>

namespace mountlab::gui {

void MainWindow::buildPractice()
{
    m_practicePanel = new PracticePanel(m_session, m_engine, m_mainSplit);
    m_mainSplit->addWidget(m_practicePanel);
    m_mainSplit->setStretchFactor(2, 0);
    m_mainSplit->setCollapsible(2, false);
    m_practicePanel->setMinimumWidth(300);
    m_practicePanel->hide();
    // Its column takes room from the terminal's: the terminal's status line (wider than a
    // 1280-pixel screen at the presenter's type) is cut at the right rather than widen the
    // window past the screen.
    if (auto* status = m_terminalPane->findChild<QLabel*>(QStringLiteral("terminalStatus")))
        status->setMinimumWidth(1);
    connect(m_practicePanel, &PracticePanel::message, this,
            [this](const QString& text, int ms) { statusBar()->showMessage(text, ms); });
}

void MainWindow::connectPractice()
{
    PracticeModel* practice = m_session.practice();
    connect(practice, &PracticeModel::started, this, &MainWindow::onPracticeStarted);
    connect(practice, &PracticeModel::stopped, this, [this] {
        showPracticePanel(false);
        statusBar()->showMessage(tr("Practice ended: the lab stays as you left it"), 6000);
    });
    // The hints revealed last across restarts (docs/progress.md); a replay is not the learner's.
    connect(practice, &PracticeModel::changed, this, [this] {
        const PracticeModel* p = m_session.practice();
        if (p->hintsShown() > 0 && live())
            m_progress.recordHint(p->lesson(), p->exercise(), p->hintsShown());
    });
    // A replay's judgment ends its frame (Recording::fromLines): Back and Run to here
    // play on past it, as past a step.
    connect(&m_session, &Session::eventSeen, this, [this](const QJsonObject& e) {
        const QString kind = e.value(QLatin1String("kind")).toString();
        if (replay() && !m_session.busy() &&
            (kind == QLatin1String("practice") || kind == QLatin1String("practice-grade")))
            m_driver.frameWithoutStepDelivered();
    });
    connect(practice, &PracticeModel::graded, this, [this] {
        const PracticeGrade& g = m_session.practice()->grade();
        statusBar()->showMessage(tr("Graded in a fresh sandbox: %1, %2 / %3").arg(g.status).arg(g.score).arg(g.max),
                                 10000);
    });
    // Double-click or Enter on an exercise's row (never a key while typing: the view
    // takes those as text).
    auto activate = [this](const QModelIndex& idx) {
        const NavigatorModel* nav = m_session.navigator();
        const int e = nav->exerciseOf(idx);
        if (e < 0)
            return;
        const int g = nav->groupIndexOf(idx);
        startPractice(nav->group(g).id, nav->exercise(g, e).value(QLatin1String("id")).toString());
    };
    connect(m_navigator, &QTreeView::doubleClicked, this, activate);
    connect(m_navigator, &NavigatorView::enterPressed, this, activate);
}

bool MainWindow::startPractice(const QString& lesson, const QString& exercise)
{
    if (!live()) {
        statusBar()->showMessage(tr("Practice needs the live lab (File ▸ Start the lab)"), 8000);
        return false;
    }
    if (!m_driver.idle() || m_session.practice()->grading()) {
        statusBar()->showMessage(tr("The lab is busy: practise once the step has run"), 6000);
        return false;
    }
    m_engine.practice(lesson, exercise);
    statusBar()->showMessage(tr("A fresh lab for the exercise, and its set-up…"), 8000);
    return true;
}

// A fresh lab with the exercise set up: the panel, and a shell in the container to work in.
void MainWindow::onPracticeStarted()
{
    showPracticePanel(true);
    showTerminal(QStringLiteral("container"));
    // The reset closed the shell: a new one in the set-up container when none is opening.
    QTimer::singleShot(0, this, [this] {
        if (terminalId(QStringLiteral("container")) < 0 && terminalWhere() == QLatin1String("container"))
            restartShell();
        terminal()->setFocus(Qt::OtherFocusReason);
    });
}

void MainWindow::showPracticePanel(bool on)
{
    if (on == m_practicePanel->isVisible())
        return;
    m_practicePanel->setVisible(on);
    // The panel stands in for the step panel while it lasts: its height goes to the trees.
    m_stepPanel->setVisible(!on);
    // The tabs' other pages (the trace's notes at their length) would keep the terminal's
    // column wider than a 1280-pixel screen leaves beside the panel: they give way.
    m_tabs->setMinimumWidth(on ? 1 : 0);
    if (on)
        fitPracticeColumn();
    else if (!m_presenter)
        restoreNavigatorWidth();
    // In presenter mode the layout and the terminal's type are the practice's, or again
    // the presenter's own.
    if (m_presenter) {
        applyTheme();
        if (!on)
            m_tabs->setMaximumHeight(m_tabs->currentWidget() == m_terminalPane
                                         ? m_terminalPane->cellSize().height() * 10 + m_terminalPane->barHeight() + 24
                                         : QWIDGETSIZE_MAX);
        QTimer::singleShot(0, this, &MainWindow::fitPresenterSplit);
    }
}

// The navigator's width back after presenter mode's practice column took it (a splitter
// keeps a child given 0 collapsed).
void MainWindow::restoreNavigatorWidth()
{
    QList<int> sizes = m_mainSplit->sizes();
    if (sizes.size() < 2 || sizes[0] > 0)
        return;
    int total = 0;
    for (int v : sizes)
        total += std::max(0, v);
    sizes[0] = std::min(340, total / 4);
    sizes[1] = std::max(0, sizes[1] - sizes[0]);
    m_mainSplit->setSizes(sizes);
}

void MainWindow::fitPracticeColumn()
{
    // Its column from the trees' (the navigator keeps its width): the checklist unwrapped
    // on a wide screen, at least 320 px on a small one. In presenter mode (no navigator)
    // the room's type needs more: a third of the window, the terminal keeping the rest.
    QList<int> sizes = m_mainSplit->sizes();
    if (sizes.size() != 3 || !practicePanelShown())
        return;
    if (m_presenter) {
        sizes[0] = 0;           // the navigator is hidden
    } else if (sizes[0] <= 0) { // shown again after presenter mode: its width back
        sizes[0] = std::min(340, (sizes[1] + std::max(0, sizes[2])) / 4);
        sizes[1] -= sizes[0];
    }
    const int total = sizes[0] + sizes[1] + std::max(0, sizes[2]);
    const int want = practiceColumnWidth(total);
    sizes[1] = std::max(0, total - sizes[0] - want);
    sizes[2] = want;
    // The terminal below the trees keeps 60 columns: a small screen's navigator gives way
    // first (to 220 px), then the panel (to 320 px).
    const int terminalLeast = 60 * m_terminalPane->cellSize().width() + 40;
    if (!m_presenter && sizes[1] < terminalLeast) {
        const int fromNavigator = std::min(terminalLeast - sizes[1], std::max(0, sizes[0] - 220));
        sizes[0] -= fromNavigator;
        sizes[1] += fromNavigator;
        const int fromPanel = std::min(terminalLeast - sizes[1], std::max(0, sizes[2] - 320));
        sizes[2] -= std::max(0, fromPanel);
        sizes[1] += std::max(0, fromPanel);
    }
    m_mainSplit->setSizes(sizes);
}

int MainWindow::practiceColumnWidth(int total) const
{
    return m_presenter ? std::clamp(total * 36 / 100, 400, 620) : std::clamp(total * 28 / 100, 320, 480);
}

bool MainWindow::practicePanelShown() const { return m_practicePanel && m_practicePanel->isVisible(); }

} // namespace mountlab::gui
