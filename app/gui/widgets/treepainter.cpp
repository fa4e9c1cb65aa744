// How the drawn tree looks: each pane's header, tree lines and nodes (coloured by
// propagation, marked by the last diff, badged with their peer group, an overlay's
// layers under it), and in the gutter the peer lanes, the propagation travelling along
// them, and master → slave arrows.
#include "mounttreeitem.h"
#include "treecaptions.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace mountlab::gui {

void MountTreeItem::paintPane(QPainter* p, int pane, const QRectF& exposed)
{
    paintPaneHeader(p, pane, exposed);
    const PaneLayout& L = m_layout[pane];
    if (L.y.size() < 2)
        return;
    auto first = std::upper_bound(L.y.begin(), L.y.end(), exposed.top());
    int i = std::max(0, int(first - L.y.begin()) - 1);
    const int n = int(L.y.size()) - 1;
    // Tree lines first, then the nodes over them.
    paintTreeLines(p, pane, i, exposed);
    for (; i < n && L.y[i] < exposed.bottom(); ++i)
        paintNode(p, pane, i, nodeRect(pane, i));
}

// Whose table this is.
void MountTreeItem::paintPaneHeader(QPainter* p, int pane, const QRectF& exposed)
{
    const PaneLayout& L = m_layout[pane];
    const QRectF header(L.x, 0, L.width, m_headerH - 6);
    if (header.intersects(exposed))
        drawPaneHeader(p, pane, header);
}

void MountTreeItem::paintHeadersAt(QPainter* p, double top)
{
    if (top <= 0)
        return;
    p->fillRect(QRectF(m_bounds.left(), top, m_bounds.width(), m_headerH), m_theme.background);
    for (int pane = 0; pane < NUM_PANES; ++pane)
        if (m_forest[pane])
            drawPaneHeader(p, pane, QRectF(m_layout[pane].x, top, m_layout[pane].width, m_headerH - 6));
}

void MountTreeItem::drawPaneHeader(QPainter* p, int pane, const QRectF& header)
{
    p->setPen(Qt::NoPen);
    p->setBrush(m_theme.paneHeader);
    p->drawRoundedRect(header, 6, 6);
    p->setPen(m_theme.text);
    const QFont titleFont = m_theme.uiFont(1.2, true);
    p->setFont(titleFont);
    const QRectF text = header.adjusted(12, 0, -8, 0);
    p->drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(titleFont).elidedText(m_title[pane], Qt::ElideRight, text.width()));
}

// From each parent down and across to its children, from the row `first` on.
void MountTreeItem::paintTreeLines(QPainter* p, int pane, int first, const QRectF& exposed)
{
    const PaneLayout& L = m_layout[pane];
    const int n = int(L.y.size()) - 1;
    p->setPen(QPen(m_theme.gridLine, 1.5));
    const auto& nodes = m_forest[pane]->nodes();
    for (int k = first; k < n && L.y[k] < exposed.bottom() + m_rowH; ++k) {
        const int parent = nodes[k].parent;
        if (parent < 0)
            continue;
        const QRectF pr = nodeRect(pane, parent);
        const QRectF r = nodeRect(pane, k);
        const double x = pr.left() + m_indent * 0.45;
        const double top = std::max(pr.top() + m_rowH - 6, exposed.top() - m_rowH);
        p->drawLine(QPointF(x, top), QPointF(x, r.top() + (m_rowH - 6) / 2));
        p->drawLine(QPointF(x, r.top() + (m_rowH - 6) / 2), QPointF(r.left(), r.top() + (m_rowH - 6) / 2));
    }
}

void MountTreeItem::paintNode(QPainter* p, int pane, int node, const QRectF& rowRect)
{
    const MountForest::Node& nd = m_forest[pane]->nodes()[node];
    const QRectF r(rowRect.left(), rowRect.top(), rowRect.width(), m_rowH - 6);
    const double stripeW = std::max(6.0, m_charW * 0.8);

    p->save();
    double opacity = 1.0;
    if (nd.change == Change::Removed)
        opacity = 1.0 - 0.65 * m_glow; // fades out
    else if (nd.change == Change::Added)
        opacity = std::min(1.0, 0.15 + m_glow * 3); // glows in
    p->setOpacity(opacity);
    paintDiffHalo(p, nd, r);
    paintNodeBody(p, nd.mount().propagation(), r, stripeW);
    paintNodeMarks(p, pane, node, r);
    const double textRight = paintBadges(p, nd, r);
    paintNodeText(p, nd, r, stripeW, textRight);
    paintOverlayLayers(p, nd.mount(), r);
    p->restore();
}

// The diff's glow: a halo that is bright at first and settles.
void MountTreeItem::paintDiffHalo(QPainter* p, const MountForest::Node& nd, const QRectF& r)
{
    if (nd.change != Change::Added && nd.change != Change::Changed)
        return;
    QColor halo = nd.change == Change::Added ? m_theme.added : m_theme.changed;
    const double strength = 1.0 - 0.6 * m_glow;
    for (int k = 4; k >= 1; --k) {
        halo.setAlphaF(0.22 * strength);
        p->setPen(Qt::NoPen);
        p->setBrush(halo);
        p->drawRoundedRect(r.adjusted(-k * 2.2, -k * 1.6, k * 2.2, k * 1.6), 8 + k, 8 + k);
    }
}

// The node: tinted fill, a stripe and a border in the propagation colour.
void MountTreeItem::paintNodeBody(QPainter* p, Propagation prop, const QRectF& r, double stripeW)
{
    const QColor colour = Theme::propagationColor(prop);
    p->setBrush(m_theme.propagationFill(prop));
    p->setPen(QPen(colour, 2));
    p->drawRoundedRect(r, 6, 6);
    QPainterPath stripe;
    stripe.addRoundedRect(QRectF(r.left(), r.top(), stripeW * 2, r.height()), 6, 6);
    QPainterPath clip;
    clip.addRect(QRectF(r.left(), r.top(), stripeW, r.height()));
    p->setPen(Qt::NoPen);
    p->setBrush(prop == Propagation::SharedSlave ? Theme::propagationColor(Propagation::Slave) : colour);
    p->drawPath(stripe.intersected(clip));
}

// Around the node: dashed when the last diff changed it, a frame when selected.
void MountTreeItem::paintNodeMarks(QPainter* p, int pane, int node, const QRectF& r)
{
    if (m_forest[pane]->nodes()[node].change == Change::Changed) {
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(m_theme.changed, 2.5, Qt::DashLine));
        p->drawRoundedRect(r.adjusted(-2, -2, 2, 2), 7, 7);
    }
    if (m_forest[pane]->nodes()[node].change == Change::OutsideRoot) { // still there, out of reach
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(m_theme.outsideRoot, 2.5, Qt::DotLine));
        p->drawRoundedRect(r.adjusted(-2, -2, 2, 2), 7, 7);
    }
    if (pane == m_selPane && node == m_selNode) {
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(m_theme.selection, 3));
        p->drawRoundedRect(r.adjusted(-3, -3, 3, 3), 8, 8);
    }
}

// On the right, from the edge in: what the diff did (+ new, − gone, ~ fields), then the
// peer group. Returns where the text must end.
double MountTreeItem::paintBadges(QPainter* p, const MountForest::Node& nd, const QRectF& r)
{
    const MountRow& m = nd.mount();
    const QColor colour = Theme::propagationColor(m.propagation());
    QString badge = m.groupText();
    QString changeBadge;
    if (nd.change == Change::Added)
        changeBadge = QStringLiteral("+ new");
    else if (nd.change == Change::Removed)
        changeBadge = QStringLiteral("− gone");
    else if (nd.change == Change::Changed)
        changeBadge = QStringLiteral("~ ") + changeWords(nd.changedFields());
    else if (nd.change == Change::OutsideRoot)
        changeBadge = QStringLiteral("outside root");
    const QFont badgeFont = m_theme.uiFont(m_theme.treeBadgeScale, true);
    const QFontMetricsF bfm(badgeFont);
    double right = r.right() - 8;
    if (!changeBadge.isEmpty()) {
        const double w = bfm.horizontalAdvance(changeBadge) + 12;
        const QRectF br(right - w, r.top() + 4, w, r.height() - 8);
        p->setPen(Qt::NoPen);
        p->setBrush(nd.change == Change::Added         ? m_theme.added
                    : nd.change == Change::Removed     ? m_theme.removed
                    : nd.change == Change::OutsideRoot ? m_theme.outsideRoot
                                                       : m_theme.changed);
        p->drawRoundedRect(br, 4, 4);
        p->setPen(nd.change == Change::Added ? m_theme.addedBadgeText : m_theme.markBadgeText);
        p->setFont(badgeFont);
        p->drawText(br, Qt::AlignCenter, changeBadge);
        right = br.left() - 6;
    }
    const double w = bfm.horizontalAdvance(badge) + 12;
    const QRectF br(right - w, r.top() + 4, w, r.height() - 8);
    p->setPen(QPen(colour, 1.5));
    p->setBrush(m_theme.groupBadgeFill);
    p->drawRoundedRect(br, 4, 4);
    p->setPen(m_theme.dark ? colour.lighter(130) : colour.darker(150));
    p->setFont(badgeFont);
    p->drawText(br, Qt::AlignCenter, badge);
    return br.left() - 6;
}

// Target (bold), then fstype, source and root dimmer, up to `right`; struck through
// when unmounted.
void MountTreeItem::paintNodeText(QPainter* p, const MountForest::Node& nd, const QRectF& r, double stripeW,
                                  double right)
{
    const MountRow& m = nd.mount();
    const QFont targetFont = nodeFont();
    const QFont plain = m_theme.monoFont(0.9);
    const QFontMetricsF tfm(targetFont), pfm(plain);
    double x = r.left() + stripeW + 8;
    const double baseline = r.top() + (r.height() + tfm.ascent() - tfm.descent()) / 2;
    const QColor ink = m_theme.text;

    p->setPen(ink);
    p->setFont(targetFont);
    const QString target = tfm.elidedText(m.target, Qt::ElideMiddle, std::max(40.0, right - x - 2 * m_charW));
    p->drawText(QPointF(x, baseline), target);
    const double targetEnd = x + tfm.horizontalAdvance(target);
    x = targetEnd + m_charW;
    p->setFont(plain);
    QString rest = m.fstype;
    if (!m.source.isEmpty() && m.source != m.fstype)
        rest += QStringLiteral(" · ") + m.source;
    if (m.fsroot.size() > 1 && !m.source.endsWith(QLatin1Char(']'))) // findmnt's source[root]
        rest += QLatin1Char('[') + m.fsroot + QLatin1Char(']');
    p->setPen(m_theme.dimText);
    p->drawText(QPointF(x, baseline), pfm.elidedText(rest, Qt::ElideRight, std::max(0.0, right - x)));
    if (nd.change == Change::Removed) {
        p->setPen(QPen(ink, 2));
        p->drawLine(QPointF(r.left() + stripeW + 4, r.center().y()),
                    QPointF(std::max(targetEnd, x + pfm.horizontalAdvance(rest)), r.center().y()));
    }
}

// An overlay's layers under it.
void MountTreeItem::paintOverlayLayers(QPainter* p, const MountRow& m, const QRectF& r)
{
    const QStringList layers = overlayLines(m);
    if (layers.isEmpty())
        return;
    const QFont sub = m_theme.monoFont(0.85);
    p->setFont(sub);
    const QFontMetricsF sfm(sub);
    double y = r.bottom() + 4;
    for (int k = 0; k < layers.size(); ++k) {
        const QRectF lr(r.left() + m_indent, y, r.width() - m_indent, m_subH - 2);
        const bool upper = layers[k].startsWith(QLatin1String("upper"));
        const bool work = layers[k].startsWith(QLatin1String("work"));
        p->setPen(Qt::NoPen);
        p->setBrush(upper ? m_theme.upperLayer : work ? m_theme.workLayer : m_theme.lowerLayer);
        p->drawRoundedRect(lr, 3, 3);
        p->setPen(work ? m_theme.dimText : m_theme.text);
        p->drawText(
            lr.adjusted(8, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
            sfm.elidedText(QString(k + 1 < layers.size() ? QStringLiteral("├ ") : QStringLiteral("└ ")) + layers[k],
                           Qt::ElideMiddle, lr.width() - 12));
        y += m_subH;
    }
}

void MountTreeItem::paintLanes(QPainter* p, const QRectF& exposed)
{
    for (int lane = 0; lane < m_laneGroups.size(); ++lane)
        paintLane(p, lane, exposed);
    for (int pane = 0; pane < NUM_PANES; ++pane)
        if (m_forest[pane])
            paintMasterArrows(p, pane, exposed);
}

// A peer group's lane: a dashed line down the gutter, a stub to each member, the
// propagation travelling while the diff animates, the group number at the top.
void MountTreeItem::paintLane(QPainter* p, int lane, const QRectF& exposed)
{
    const QColor shared = Theme::propagationColor(Propagation::Shared);
    const auto& mem = m_laneMembers[lane];
    const double x = laneX(lane);
    double top = 1e18, bottom = -1e18;
    for (const auto& [pane, node] : mem) {
        top = std::min(top, laneCentreY(pane, node));
        bottom = std::max(bottom, laneCentreY(pane, node));
    }
    if (mem.isEmpty() || bottom < exposed.top() || top > exposed.bottom() + m_rowH)
        return;
    QPen dashed(shared, 2.2, Qt::DashLine);
    p->setPen(dashed);
    p->drawLine(QPointF(x, top), QPointF(x, bottom));
    for (const auto& [pane, node] : mem) {
        const double y = laneCentreY(pane, node);
        if (y < exposed.top() - m_rowH || y > exposed.bottom() + m_rowH)
            continue;
        p->setPen(dashed);
        p->drawLine(QPointF(laneEdgeX(pane, node), y), QPointF(x, y));
        p->setPen(Qt::NoPen);
        p->setBrush(shared);
        p->drawEllipse(QPointF(x, y), 3.5, 3.5);
    }
    if (m_glow < 1.0)
        paintTravellingDots(p, lane);
    paintLaneNumber(p, lane, top);
}

// The point `along` (a length) down a polyline; its end when past it.
static QPointF pointAlong(const QPolygonF& path, double along)
{
    for (int i = 1; i < path.size(); ++i) {
        const QLineF seg(path[i - 1], path[i]);
        if (along <= seg.length())
            return seg.pointAt(seg.length() > 0 ? along / seg.length() : 0);
        along -= seg.length();
    }
    return path.last();
}

// Propagation travelling, from the mount made where the step ran to the peers and
// slaves that received it.
void MountTreeItem::paintTravellingDots(QPainter* p, int lane)
{
    const double x = laneX(lane);
    for (const Travel& t : travels(lane)) {
        const int sp = t.fromPane, sn = t.fromNode, dp = t.toPane, dn = t.toNode;
        const QPolygonF path({QPointF(laneEdgeX(sp, sn), laneCentreY(sp, sn)), QPointF(x, laneCentreY(sp, sn)),
                              QPointF(x, laneCentreY(dp, dn)), QPointF(laneEdgeX(dp, dn), laneCentreY(dp, dn))});
        double total = 0;
        for (int i = 1; i < path.size(); ++i)
            total += QLineF(path[i - 1], path[i]).length();
        const QPointF at = pointAlong(path, std::min(1.0, m_glow * 1.6) * total);
        p->setPen(QPen(m_theme.travelDotRing, 1.5));
        p->setBrush(m_theme.added);
        p->drawEllipse(at, 7, 7);
    }
}

// The group number on the lane, at its top.
void MountTreeItem::paintLaneNumber(QPainter* p, int lane, double top)
{
    const QFont numFont = m_theme.uiFont(0.75, true);
    const double x = laneX(lane);
    const QString label = QString::number(m_laneGroups[lane]);
    const double d = std::max(QFontMetricsF(numFont).horizontalAdvance(label) + 8, m_laneGap * 0.9);
    const QRectF disc(x - d / 2, top - d / 2 - m_rowH * 0.5, d, d);
    p->setPen(QPen(m_theme.laneDiscRing, 1.5));
    p->setBrush(Theme::propagationColor(Propagation::Shared));
    p->drawEllipse(disc);
    p->setPen(m_theme.laneNumber);
    p->setFont(numFont);
    p->drawText(disc, Qt::AlignCenter, label);
}

// master → slave: an arrow from the master's lane into the slave (from beside it, with
// the master's number, when the master group has no lane).
void MountTreeItem::paintMasterArrows(QPainter* p, int pane, const QRectF& exposed)
{
    const QColor slave = Theme::propagationColor(Propagation::Slave);
    const QFont numFont = m_theme.uiFont(0.75, true);
    const PaneLayout& L = m_layout[pane];
    if (L.y.size() < 2)
        return;
    auto first = std::upper_bound(L.y.begin(), L.y.end(), exposed.top());
    const int n = int(L.y.size()) - 1;
    for (int i = std::max(0, int(first - L.y.begin()) - 1); i < n && L.y[i] < exposed.bottom(); ++i) {
        const MountRow& m = m_forest[pane]->nodes()[i].mount();
        if (!m.master)
            continue;
        const double y = laneCentreY(pane, i) + 5; // below a peer stub of the same node
        const double to = laneEdgeX(pane, i);
        const int lane = m_laneOf.value(m.master, -1);
        const double from = lane >= 0 ? laneX(lane) : (pane == HostPane ? to + m_laneGap : to - m_laneGap);
        p->setPen(QPen(slave, 2.5));
        p->drawLine(QPointF(from, y), QPointF(to, y));
        const double dir = to > from ? 1 : -1;
        QPolygonF head;
        head << QPointF(to, y) << QPointF(to - dir * 10, y - 5) << QPointF(to - dir * 10, y + 5);
        p->setPen(Qt::NoPen);
        p->setBrush(slave);
        p->drawPolygon(head);
        if (lane < 0) {
            p->setPen(slave);
            p->setFont(numFont);
            p->drawText(QPointF(std::min(from, to), y - 6), QStringLiteral("master:%1").arg(m.master));
        }
    }
}

} // namespace mountlab::gui
