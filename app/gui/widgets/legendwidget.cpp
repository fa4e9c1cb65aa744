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
    setFont(m_theme.uiFont(m_theme.legendScale, true));
    layoutEntries();
    updateGeometry();
    update();
}

// Where each line starts when `widths` (with `gap` between, `margin` before) are split
// into `lines` lines so that the widest is as narrow as can be; and that width.
static QPair<QVector<int>, double> evenSplit(const QVector<double>& widths, int lines, double gap, double margin)
{
    const int n = int(widths.size());
    QVector<double> prefix(n + 1, 0);
    for (int i = 0; i < n; ++i)
        prefix[i + 1] = prefix[i] + widths[i] + gap;
    const auto lineWidth = [&](int a, int b) { return margin + prefix[b] - prefix[a] - gap; };
    // best[k][j]: the narrowest widest line for the first j entries on k lines; from[k][j]
    // where the last of those lines starts.
    const double inf = 1e18;
    QVector<QVector<double>> best(lines + 1, QVector<double>(n + 1, inf));
    QVector<QVector<int>> from(lines + 1, QVector<int>(n + 1, 0));
    best[0][0] = 0;
    for (int k = 1; k <= lines; ++k)
        for (int j = k; j <= n; ++j)
            for (int a = k - 1; a < j; ++a) {
                const double w = std::max(best[k - 1][a], lineWidth(a, j));
                if (w < best[k][j]) {
                    best[k][j] = w;
                    from[k][j] = a;
                }
            }
    QVector<int> starts(lines);
    for (int k = lines, j = n; k >= 1; j = from[k][j], --k)
        starts[k - 1] = from[k][j];
    return {starts, best[lines][n]};
}

// One line when it fits; otherwise the fewest lines that hold it, the entries shared out
// evenly among them (presenter mode's large type on a small screen).
void LegendWidget::layoutEntries()
{
    const QFontMetricsF fm(font());
    const double h = fm.height() * m_theme.legendRowSpacing;
    const double avail = width() > 50 ? width() : 1e9;
    const int n = int(m_entries.size());
    QVector<double> widths;
    for (const Entry& e : m_entries)
        widths << fm.horizontalAdvance(e.label) + h * 1.4 + 14;
    m_oneLineWidth = evenSplit(widths, 1, 6, 6).second + 6;
    QVector<int> starts{0};
    for (int lines = 1; lines <= n; ++lines) {
        const auto [s, w] = evenSplit(widths, lines, 6, 6);
        starts = s;
        if (w <= avail)
            break;
    }
    double x = 6, y = 4;
    for (int i = 0; i < n; ++i) {
        if (i > 0 && starts.contains(i)) {
            x = 6;
            y += h + 2;
        }
        m_entries[i].rect = QRectF(x, y, widths[i], h);
        x += widths[i] + 6;
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
                 m_height > 0 ? m_height : int(QFontMetricsF(font()).height() * m_theme.legendRowSpacing + 8));
}

void LegendWidget::paintEvent(QPaintEvent*)
{
    if (m_entries.first().rect.isNull())
        layoutEntries();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(font());
    for (const Entry& e : m_entries) {
        const QRectF r = e.rect;
        const double h = r.height();
        const QRectF icon(r.left() + 4, r.top() + h * 0.2, h * 1.1, h * 0.6);
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
