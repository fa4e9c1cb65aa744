#include "legendwidget.h"

#include "mountinfofields.h"
#include "treecaptions.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace mountlab::gui {

LegendWidget::LegendWidget(QWidget* parent) : QWidget(parent)
{
    m_entries = {
        {QStringLiteral("shared"), Theme::propagationTeach(Propagation::Shared), int(Propagation::Shared), {}},
        {QStringLiteral("slave"), Theme::propagationTeach(Propagation::Slave), int(Propagation::Slave), {}},
        {QStringLiteral("private"), Theme::propagationTeach(Propagation::Private), int(Propagation::Private), {}},
        {QStringLiteral("unbindable"),
         Theme::propagationTeach(Propagation::Unbindable),
         int(Propagation::Unbindable),
         {}},
        {QStringLiteral("peer group"),
         explainOptionalField(QStringLiteral("shared:N"))
             .replace(QLatin1String("N:"), QLatin1String("N (the number on the lane):")),
         10,
         {}},
        {QStringLiteral("master → slave"), explainOptionalField(QStringLiteral("master:N")), 11, {}},
        {QStringLiteral("+ new"), QStringLiteral("mounted by the last step"), 20, {}},
        {QStringLiteral("− gone"), QStringLiteral("unmounted by the last step"), 21, {}},
        {QStringLiteral("~ changed"), QStringLiteral("a field changed in the last step (named on the badge)"), 22, {}},
        {QStringLiteral("outside root"), outsideRootTeach(), 23, {}},
    };
    setMouseTracking(true);
}

void LegendWidget::setTheme(const Theme& theme)
{
    m_theme = theme;
    layoutEntries();
    updateGeometry();
    update();
}

// One line when it fits; wrapped to the width otherwise (presenter mode's large type).
void LegendWidget::layoutEntries()
{
    const QFontMetricsF fm(m_theme.uiFont(0.95, true));
    const double h = fm.height() * 1.6;
    const double avail = width() > 50 ? width() : 1e9;
    double x = 6, y = 4;
    m_oneLineWidth = 6;
    for (Entry& e : m_entries) {
        const double w = fm.horizontalAdvance(e.label) + h * 1.6 + 14;
        m_oneLineWidth += w + 6;
        if (x > 6 && x + w > avail) {
            x = 6;
            y += h + 2;
        }
        e.rect = QRectF(x, y, w, h);
        x += w + 6;
    }
    const int needed = int(y + h + 4);
    if (needed != m_height) {
        m_height = needed;
        setMinimumHeight(needed);
        updateGeometry();
    }
}

void LegendWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layoutEntries();
}

QSize LegendWidget::sizeHint() const
{
    return QSize(int(m_oneLineWidth + 2),
                 m_height > 0 ? m_height : int(QFontMetricsF(m_theme.uiFont(0.95, true)).height() * 1.6 + 8));
}

void LegendWidget::paintEvent(QPaintEvent*)
{
    if (m_entries.first().rect.isNull())
        layoutEntries();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFont font = m_theme.uiFont(0.95, true);
    p.setFont(font);
    for (const Entry& e : m_entries) {
        const QRectF r = e.rect;
        const double h = r.height();
        const QRectF icon(r.left() + 4, r.top() + h * 0.2, h * 1.3, h * 0.6);
        if (e.kind < 10) {
            const Propagation prop = Propagation(e.kind);
            p.setPen(QPen(Theme::propagationColor(prop), 2));
            p.setBrush(m_theme.propagationFill(prop));
            p.drawRoundedRect(icon, 4, 4);
            p.setPen(Qt::NoPen);
            p.setBrush(Theme::propagationColor(prop));
            p.drawRect(QRectF(icon.left() + 1, icon.top() + 1, 6, icon.height() - 2));
        } else if (e.kind == 10) {
            p.setPen(QPen(Theme::propagationColor(Propagation::Shared), 2.2, Qt::DashLine));
            p.drawLine(QPointF(icon.left(), icon.center().y()), QPointF(icon.right(), icon.center().y()));
        } else if (e.kind == 11) {
            const QColor c = Theme::propagationColor(Propagation::Slave);
            p.setPen(QPen(c, 2.5));
            p.drawLine(QPointF(icon.left(), icon.center().y()), QPointF(icon.right() - 6, icon.center().y()));
            QPolygonF head;
            head << QPointF(icon.right(), icon.center().y()) << QPointF(icon.right() - 9, icon.center().y() - 5)
                 << QPointF(icon.right() - 9, icon.center().y() + 5);
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            p.drawPolygon(head);
        } else {
            const QColor c = e.kind == 20   ? m_theme.added
                             : e.kind == 21 ? m_theme.removed
                             : e.kind == 23 ? m_theme.outsideRoot
                                            : m_theme.changed;
            p.setPen(e.kind == 22 ? QPen(c, 2.5, Qt::DashLine) : e.kind == 23 ? QPen(c, 2.5, Qt::DotLine) : QPen(c, 2));
            p.setBrush(e.kind == 20 ? QBrush(c) : QBrush(Qt::NoBrush));
            p.drawRoundedRect(icon, 4, 4);
        }
        p.setPen(m_theme.text);
        p.drawText(QRectF(icon.right() + 6, r.top(), r.width(), h), Qt::AlignVCenter | Qt::AlignLeft, e.label);
    }
}

bool LegendWidget::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        for (const Entry& en : m_entries)
            if (en.rect.contains(he->pos())) {
                QToolTip::showText(he->globalPos(), en.tip, this);
                return true;
            }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

} // namespace mountlab::gui
