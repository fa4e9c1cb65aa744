// StepPanel's layout: the title (one elided line in presenter mode), the outcome beside
// or below the prose, and the heights the panel asks for in both modes.
#include "steppanel.h"

#include "stepmarks.h"
#include "stepoutcome.h"

#include "safemarkdown.h"

#include <QBoxLayout>
#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>

namespace mountlab::gui {

void StepPanel::setTitle(const QString& full, const QString& brief, const QString& toolTip)
{
    m_titleFull = full;
    m_titleBrief = brief;
    m_titleTip = toolTip;
    showTitle();
}

void StepPanel::showLine(const QString& html)
{
    m_outcome->showLine(html);
    m_marks->showLine(html);
}

// Presenter mode: one line, the whole title when it fits, else the step's own part of
// it (without the stage or lesson), elided; all of it in the tooltip.
void StepPanel::showTitle()
{
    m_title->setToolTip(plainToolTip(m_presenter ? m_titleFull : m_titleTip));
    if (!m_presenter) {
        m_title->setText(m_titleFull);
        return;
    }
    const QMargins m = m_title->contentsMargins();
    const int room = std::max(1, width() - m.left() - m.right() - 2);
    const QFontMetrics fm(m_title->font());
    const QString text =
        fm.horizontalAdvance(m_titleFull) <= room || m_titleBrief.isEmpty() ? m_titleFull : m_titleBrief;
    m_title->setText(fm.elidedText(text, Qt::ElideRight, room));
}

void StepPanel::setPresenter(bool on)
{
    m_presenter = on;
    m_restHeight = -1; // presenter mode's split is the window's
    m_buttonsRow->setVisible(!on);
    m_outcome->setVisible(true); // what the step did and printed: the room needs it too
    // One line of title, never wider than the panel (it elides instead).
    m_title->setWordWrap(!on);
    m_title->setSizePolicy(on ? QSizePolicy::Ignored : QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_marks->setVisible(on && !m_marks->isEmpty());
    // The outcome below the prose, scrolling with it: the strip's part that stays is the
    // title and the marks, however little room the tree leaves.
    auto* prose = static_cast<QVBoxLayout*>(m_text->layout());
    if (on && m_outcome->parentWidget() != m_text) {
        m_body->removeWidget(m_outcome);
        prose->insertWidget(prose->count() - 1, m_outcome);
    } else if (!on && m_outcome->parentWidget() == m_text) {
        prose->removeWidget(m_outcome);
        m_body->addWidget(m_outcome, 1);
    }
    m_outcome->show();
    m_rule->setVisible(!on);
    m_scroll->setMinimumHeight(on ? 1 : 0);
    showTitle();
    fitOutcome();
}

void StepPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_presenter)
        showTitle();
    fitOutcome();
}

int StepPanel::presenterHeight(int width, int proseLines) const
{
    const auto* outer = static_cast<QVBoxLayout*>(layout());
    const QMargins m = outer->contentsMargins(), tm = m_title->contentsMargins();
    int h = m.top() + m.bottom() + tm.top() + tm.bottom() + QFontMetrics(m_title->font()).height();
    if (!m_marks->isEmpty())
        h += outer->spacing() + m_marks->heightForWidth(width - 16);
    const bool prose = !m_explain->text().isEmpty() || !m_shell->text().isEmpty();
    if (proseLines > 0 && prose)
        h += outer->spacing() + proseLines * QFontMetrics(m_theme.uiFont(1.1)).lineSpacing() + 8;
    return h;
}

// Side by side when both columns keep a readable measure (some 45 characters each) and
// what the step printed fits its column unwrapped (a wide table goes below the prose, at
// the panel's whole width).
bool StepPanel::besideAt(int width) const
{
    return !m_presenter && width >= 90 * QFontMetrics(m_theme.uiFont()).horizontalAdvance(QLatin1Char('n')) &&
           m_outcome->outputFitsUnwrapped(columnWidth(width));
}

int StepPanel::columnWidth(int width) const { return (width - m_rule->sizeHint().width()) / 2; }

// The outcome beside the prose on a wide panel, below it on a narrow one; the panel
// never lower than the title, the outcome (result, checks, the boxes' first lines) and
// the buttons take, so the splitter gives the room to the trees instead.
void StepPanel::fitOutcome()
{
    const bool side = besideAt(width());
    if (side != m_sideBySide) {
        m_sideBySide = side;
        m_body->setDirection(side ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
        m_rule->setFrameShape(side ? QFrame::VLine : QFrame::HLine);
    }
    const int prose = 3 * QFontMetrics(m_theme.uiFont(1.1)).lineSpacing() + 8; // a few lines of text at least
    const int outcomeWidth = side ? columnWidth(width()) : width();
    const int outcome = m_outcome->neededHeight(std::max(200, outcomeWidth));
    const int body = side ? std::max(prose, outcome) : prose + m_rule->sizeHint().height() + outcome;
    const auto* outer = static_cast<QVBoxLayout*>(layout());
    const QMargins m = outer->contentsMargins();
    int h = m.top() + m.bottom() + m_title->heightForWidth(width()) + outer->spacing() + body;
    if (!m_buttonsRow->isHidden())
        h += outer->spacing() + m_buttonsRow->sizeHint().height();
    // A lesson with more checks than a small window holds: not taller than most of the
    // window (the outcome then scrolls with the prose).
    if (const QWidget* p = parentWidget(); p && p->height() > 300)
        h = std::min(h, p->height() * 2 / 3);
    // Presenter mode: the window gives the panel its strip above the tree (the tree
    // first, for the room), never less than the title's line and the marks.
    if (m_presenter) {
        const QMargins tm = m_title->contentsMargins();
        h = m.top() + m.bottom() + tm.top() + tm.bottom() + QFontMetrics(m_title->font()).height();
    }
    const int was = minimumHeight();
    if (was == h)
        return;
    // Taller than the panel is: the splitter takes the room from the tree; remember what
    // the panel had, to give it back when a later step needs less.
    if (!m_presenter && h > height() && height() > 0 && m_restHeight < 0)
        m_restHeight = height();
    setMinimumHeight(h);
    if (h < was)
        giveBackHeight(was);
}

// The minimum came down: a panel the last minimum held taller than it was goes back to
// its height before (or the new minimum), and the room to the tree below it. One the
// learner dragged since is left as it is.
void StepPanel::giveBackHeight(int oldMinimum)
{
    auto* split = qobject_cast<QSplitter*>(parentWidget());
    if (m_presenter || !split || m_restHeight < 0)
        return;
    if (height() > oldMinimum + 2) { // made taller than it needed: by the learner
        m_restHeight = -1;
        return;
    }
    const int target = std::max(minimumHeight(), m_restHeight);
    if (target == m_restHeight)
        m_restHeight = -1;
    QList<int> sizes = split->sizes();
    const int i = split->indexOf(this);
    if (i < 0 || i + 1 >= sizes.size() || target >= sizes[i])
        return;
    sizes[i + 1] += sizes[i] - target;
    sizes[i] = target;
    split->setSizes(sizes);
}

int StepPanel::textHeightForWidth(int width) const
{
    const bool side = besideAt(width);
    const int textWidth = side ? columnWidth(width) : width;
    const int text = m_text->hasHeightForWidth() ? m_text->heightForWidth(textWidth) : m_text->sizeHint().height();
    if (m_presenter) // the outcome is in the text
        return presenterHeight(width, 0) + layout()->spacing() + text;
    const int outcome = m_outcome->fullHeight(textWidth);
    return m_title->heightForWidth(width) + 4 + (side ? std::max(text, outcome) : text + outcome);
}

int StepPanel::buttonsHeight() const { return m_buttonsRow->sizeHint().height(); }

} // namespace mountlab::gui
