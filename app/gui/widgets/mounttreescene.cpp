#include "mounttreescene.h"

#include "mountinfofields.h"

#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

namespace mountlab::gui {

static constexpr int kMaxLanes = 32;
static constexpr int kMaxIndentDepth = 40;

MountTreeItem::MountTreeItem(QGraphicsItem* parent) : QGraphicsObject(parent)
{
    setFlag(ItemUsesExtendedStyleOption);
    setAcceptHoverEvents(true);
    m_anim.setStartValue(0.0);
    m_anim.setEndValue(1.0);
    m_anim.setDuration(1400);
    m_anim.setEasingCurve(QEasingCurve::OutCubic);
    connect(&m_anim, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        m_glow = v.toDouble();
        update();
    });
    m_glow = 1;
}

void MountTreeItem::setForests(const MountForest* host, const MountForest* container)
{
    m_forest[HostPane] = host;
    m_forest[ContainerPane] = container;
}

void MountTreeItem::setTitles(const QString& host, const QString& container)
{
    m_title[HostPane] = host;
    m_title[ContainerPane] = container;
    update();
}

void MountTreeItem::setTheme(const Theme& theme)
{
    m_theme = theme;
    const QFontMetricsF mono(m_theme.monoFont());
    m_charW = mono.horizontalAdvance(QLatin1Char('m'));
    m_rowH = std::round(mono.height() * 1.9);
    m_subH = std::round(QFontMetricsF(m_theme.monoFont(0.85)).height() * 1.25);
    m_indent = std::round(m_charW * 2.6);
    m_headerH = std::round(QFontMetricsF(m_theme.uiFont(1.2, true)).height() * 2.0);
    m_laneGap = std::round(m_charW * 2.6);
}

// The diff's field names in a learner's words, each once: a propagation change moves
// the peer group too, and two option fields are "options" (the tooltip lists them all).
static QString changeWords(const QStringList& fields)
{
    QStringList words;
    for (const QString& f : fields) {
        QString w = f;
        if (f == QLatin1String("peer_group") || f == QLatin1String("master"))
            w = QStringLiteral("propagation");
        else if (f == QLatin1String("vfs_options") || f == QLatin1String("super_options") ||
                 f.endsWith(QLatin1String("options")))
            w = QStringLiteral("options");
        else if (f == QLatin1String("root") || f == QLatin1String("fsroot"))
            w = QStringLiteral("root");
        if (!words.contains(w))
            words << w;
    }
    if (words.isEmpty())
        return QStringLiteral("changed");
    if (words.size() > 3)
        return QStringLiteral("%1, %2 and %3 more").arg(words[0], words[1]).arg(words.size() - 2);
    return words.join(QStringLiteral(", "));
}

void MountTreeItem::refresh(bool animate)
{
    prepareGeometryChange();
    layoutPane(HostPane);
    layoutPane(ContainerPane);
    layoutLanes();
    const PaneLayout& h = m_layout[HostPane];
    m_gutterX = h.x + h.width;
    m_gutterW = std::max(m_laneGap * 3, m_laneGap * (m_laneGroups.size() + 1.5));
    PaneLayout& c = m_layout[ContainerPane];
    c.x = m_gutterX + m_gutterW;
    const double bottom = std::max(h.y.isEmpty() ? m_headerH : h.y.last(), c.y.isEmpty() ? m_headerH : c.y.last());
    const double right = m_forest[ContainerPane] ? c.x + c.width : m_gutterX + m_gutterW;
    m_bounds = QRectF(0, 0, right, bottom + m_rowH);
    if (m_selPane >= 0 && (!m_forest[m_selPane] || m_selNode >= m_forest[m_selPane]->size()))
        m_selPane = m_selNode = -1;
    if (animate) {
        m_anim.stop();
        m_glow = 0;
        m_anim.start();
    } else {
        m_glow = 1;
    }
    update();
}

// How many layer lines an overlay shows (lowerdirs, upper, work), without building them.
static int overlayLineCount(const MountRow& m)
{
    if (!m.isOverlay())
        return 0;
    const QStringView o(m.fsOptions);
    int lines = 0;
    const qsizetype lower = o.indexOf(u"lowerdir=");
    if (lower >= 0) {
        lines = 1;
        for (qsizetype i = lower + 9; i < o.size() && o[i] != u','; ++i)
            lines += o[i] == u':';
    }
    lines += o.contains(u"upperdir=");
    lines += o.contains(u"workdir=");
    return lines;
}

static QStringList overlayLines(const MountRow& m)
{
    const OverlayLayers o = m.overlay();
    QStringList lines;
    for (int k = 0; k < o.lowerdirs.size(); ++k)
        lines << QStringLiteral("lower %1%2  %3")
                     .arg(k + 1)
                     .arg(k == 0 ? QStringLiteral(" (top)") : QString(), o.lowerdirs[k]);
    if (!o.upperdir.isEmpty())
        lines << QStringLiteral("upper  %1").arg(o.upperdir);
    if (!o.workdir.isEmpty())
        lines << QStringLiteral("work   %1").arg(o.workdir);
    return lines;
}

void MountTreeItem::layoutPane(int pane)
{
    PaneLayout& L = m_layout[pane];
    L.y.clear();
    L.x = 0;
    const MountForest* f = m_forest[pane];
    if (!f) {
        L.width = 0;
        return;
    }
    const auto& nodes = f->nodes();
    const int n = int(nodes.size());
    L.y.resize(n + 1);
    double y = m_headerH;
    int maxChars = 40;
    for (int i = 0; i < n; ++i) {
        const MountForest::Node& nd = nodes[i];
        const MountRow& m = nd.mount();
        L.y[i] = y;
        y += m_rowH;
        const int indentChars = int(std::min(nd.depth, kMaxIndentDepth) * 2.6);
        if (const int lines = overlayLineCount(m)) {
            y += m_subH * lines + 4;
            maxChars = std::max(maxChars, indentChars + int(m.fsOptions.size() / std::max(1, lines)) + 8);
        }
        // target, fstype, source and badges: an estimate, without measuring 10,000 strings
        const int chars = indentChars +
                          int(m.target.size() + m.fstype.size() + std::min<qsizetype>(m.source.size(), 12)) + 22 +
                          (nd.change != Change::None ? 12 : 0);
        maxChars = std::max(maxChars, chars);
    }
    L.y[n] = y;
    L.width = std::min(maxChars, 110) * m_charW + 24;
}

void MountTreeItem::layoutLanes()
{
    m_laneGroups.clear();
    m_laneOf.clear();
    m_laneMembers.clear();
    // Count first: in a big table most groups have one member and get no lane.
    QHash<int, int> count;
    QVector<int> order;
    QSet<int> masters;
    // Before the container unshares, both panes show the lab host's one table: a mount is
    // not its own peer, so the lanes come from one pane only.
    const bool oneTable = m_forest[HostPane] && m_forest[ContainerPane] && m_forest[HostPane]->mntns &&
                          m_forest[HostPane]->mntns == m_forest[ContainerPane]->mntns;
    for (int pane = 0; pane < NUM_PANES; ++pane) {
        const MountForest* f = m_forest[pane];
        if (!f || (oneTable && pane == ContainerPane))
            continue;
        for (const MountForest::Node& nd : f->nodes()) {
            if (nd.change == Change::Removed)
                continue;
            const MountRow& m = nd.mount();
            if (m.master)
                masters.insert(m.master);
            if (m.peerGroup && count[m.peerGroup]++ == 0)
                order.push_back(m.peerGroup);
        }
    }
    for (int g : order) {
        if (count.value(g) < 2 && !masters.contains(g))
            continue;
        if (m_laneGroups.size() >= kMaxLanes)
            break;
        m_laneOf.insert(g, int(m_laneGroups.size()));
        m_laneGroups.push_back(g);
    }
    m_laneMembers.resize(m_laneGroups.size());
    m_laneAddedSlaves.clear();
    m_laneAddedSlaves.resize(m_laneGroups.size());
    if (m_laneGroups.isEmpty())
        return;
    for (int pane = 0; pane < NUM_PANES; ++pane) {
        const MountForest* f = m_forest[pane];
        if (!f || (oneTable && pane == ContainerPane))
            continue;
        const auto& nodes = f->nodes();
        for (int i = 0; i < nodes.size(); ++i) {
            // A slave this step added: propagation travels to it (once per layout, not per paint).
            if (nodes[i].change == Change::Added && nodes[i].mount().master) {
                const int from = m_laneOf.value(nodes[i].mount().master, -1);
                if (from >= 0)
                    m_laneAddedSlaves[from].push_back({pane, i});
            }
            if (nodes[i].change == Change::Removed || !nodes[i].mount().peerGroup)
                continue;
            const int lane = m_laneOf.value(nodes[i].mount().peerGroup, -1);
            if (lane >= 0)
                m_laneMembers[lane].push_back({pane, i});
        }
    }
}

QVector<MountTreeItem::Travel> MountTreeItem::travels(int lane) const
{
    QVector<Travel> out;
    if (lane < 0 || lane >= m_laneGroups.size())
        return out;
    // The lane's mounts this step added, the ones where the step ran first: the source.
    QVector<QPair<int, int>> added;
    for (const auto& member : m_laneMembers[lane])
        if (m_forest[member.first]->nodes()[member.second].change == Change::Added)
            added.push_back(member);
    std::stable_sort(added.begin(), added.end(), [this](const auto& a, const auto& b) {
        return (a.first == m_sourcePane) > (b.first == m_sourcePane);
    });
    if (added.isEmpty())
        return out;
    // Slaves of the group received it too (never the other way round).
    added += m_laneAddedSlaves.value(lane);
    for (int k = 1; k < added.size(); ++k)
        out.push_back(Travel{added[0].first, added[0].second, added[k].first, added[k].second});
    return out;
}

double MountTreeItem::laneX(int lane) const { return m_gutterX + m_laneGap * (lane + 1); }

QRectF MountTreeItem::boundingRect() const { return m_bounds; }

QRectF MountTreeItem::nodeRect(int pane, int node) const
{
    const PaneLayout& L = m_layout[pane];
    if (node < 0 || node + 1 >= L.y.size())
        return {};
    const int depth = std::min(m_forest[pane]->nodes()[node].depth, kMaxIndentDepth);
    const double x = L.x + 8 + depth * m_indent;
    return QRectF(x, L.y[node] + 3, L.x + L.width - 8 - x, L.y[node + 1] - L.y[node] - 6);
}

int MountTreeItem::nodeAt(int pane, double y) const
{
    const PaneLayout& L = m_layout[pane];
    if (L.y.size() < 2 || y < L.y.front() || y >= L.y.last())
        return -1;
    const auto it = std::upper_bound(L.y.begin(), L.y.end(), y);
    return int(it - L.y.begin()) - 1;
}

int MountTreeItem::paneAt(double x) const
{
    for (int pane = 0; pane < NUM_PANES; ++pane)
        if (m_forest[pane] && x >= m_layout[pane].x && x < m_layout[pane].x + m_layout[pane].width)
            return pane;
    return -1;
}

void MountTreeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*)
{
    QRectF exposed = option->exposedRect.isValid() ? option->exposedRect : m_bounds;
    // QGraphicsScene::render() exposes the whole item; its clip says what is drawn.
    if (p->hasClipping())
        exposed = exposed.intersected(p->clipBoundingRect());
    // The forests changed since the last layout (a session cleared, a replay rewound)
    // and the refresh is still queued: paint nothing stale, lay out first.
    for (int pane = 0; pane < NUM_PANES; ++pane) {
        const int rows = m_forest[pane] ? m_forest[pane]->size() + 1 : 0;
        if (m_forest[pane] && m_layout[pane].y.size() != rows) {
            QMetaObject::invokeMethod(
                this, [this] { refresh(false); }, Qt::QueuedConnection);
            return;
        }
    }
    p->setRenderHint(QPainter::Antialiasing);
    p->setRenderHint(QPainter::TextAntialiasing);
    paintLanes(p, exposed);
    for (int pane = 0; pane < NUM_PANES; ++pane)
        if (m_forest[pane])
            paintPane(p, pane, exposed);
}

void MountTreeItem::paintPane(QPainter* p, int pane, const QRectF& exposed)
{
    const PaneLayout& L = m_layout[pane];
    // Header: whose table this is.
    const QRectF header(L.x, 0, L.width, m_headerH - 6);
    if (header.intersects(exposed)) {
        p->setPen(Qt::NoPen);
        p->setBrush(m_theme.dark ? QColor(0x22, 0x22, 0x22) : QColor(0xE8, 0xE8, 0xE2));
        p->drawRoundedRect(header, 6, 6);
        p->setPen(m_theme.text);
        p->setFont(m_theme.uiFont(1.2, true));
        p->drawText(header.adjusted(12, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, m_title[pane]);
    }
    if (L.y.size() < 2)
        return;
    auto first = std::upper_bound(L.y.begin(), L.y.end(), exposed.top());
    int i = std::max(0, int(first - L.y.begin()) - 1);
    const int n = int(L.y.size()) - 1;
    // Tree lines first, then the nodes over them.
    p->setPen(QPen(m_theme.gridLine, 1.5));
    const auto& nodes = m_forest[pane]->nodes();
    for (int k = i; k < n && L.y[k] < exposed.bottom() + m_rowH; ++k) {
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
    for (; i < n && L.y[i] < exposed.bottom(); ++i)
        paintNode(p, pane, i, nodeRect(pane, i));
}

void MountTreeItem::paintNode(QPainter* p, int pane, int node, const QRectF& rowRect)
{
    const MountForest::Node& nd = m_forest[pane]->nodes()[node];
    const MountRow& m = nd.mount();
    const Propagation prop = m.propagation();
    const QColor colour = Theme::propagationColor(prop);
    const QRectF r(rowRect.left(), rowRect.top(), rowRect.width(), m_rowH - 6);

    p->save();
    double opacity = 1.0;
    if (nd.change == Change::Removed)
        opacity = 1.0 - 0.65 * m_glow; // fades out
    else if (nd.change == Change::Added)
        opacity = std::min(1.0, 0.15 + m_glow * 3); // glows in
    p->setOpacity(opacity);

    // The diff's glow: a halo that is bright at first and settles.
    if (nd.change == Change::Added || nd.change == Change::Changed) {
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
    p->setBrush(m_theme.propagationFill(prop));
    p->setPen(QPen(colour, 2));
    p->drawRoundedRect(r, 6, 6);
    const double stripeW = std::max(6.0, m_charW * 0.8);
    QPainterPath stripe;
    stripe.addRoundedRect(QRectF(r.left(), r.top(), stripeW * 2, r.height()), 6, 6);
    QPainterPath clip;
    clip.addRect(QRectF(r.left(), r.top(), stripeW, r.height()));
    p->setPen(Qt::NoPen);
    p->setBrush(prop == Propagation::SharedSlave ? Theme::propagationColor(Propagation::Slave) : colour);
    p->drawPath(stripe.intersected(clip));

    if (nd.change == Change::Changed) {
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(m_theme.changed, 2.5, Qt::DashLine));
        p->drawRoundedRect(r.adjusted(-2, -2, 2, 2), 7, 7);
    }
    if (pane == m_selPane && node == m_selNode) {
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(m_theme.selection, 3));
        p->drawRoundedRect(r.adjusted(-3, -3, 3, 3), 8, 8);
    }

    // Text: target (bold), fstype, source; the group badge on the right.
    const QFont targetFont = m_theme.monoFont(1.0, true);
    const QFont plain = m_theme.monoFont(0.9);
    const QFontMetricsF tfm(targetFont), pfm(plain);
    double x = r.left() + stripeW + 8;
    const double baseline = r.top() + (r.height() + tfm.ascent() - tfm.descent()) / 2;
    const QColor ink = m_theme.text;

    QString badge = m.groupText();
    QString changeBadge;
    if (nd.change == Change::Added)
        changeBadge = QStringLiteral("+ new");
    else if (nd.change == Change::Removed)
        changeBadge = QStringLiteral("− gone");
    else if (nd.change == Change::Changed)
        changeBadge = QStringLiteral("~ ") + changeWords(nd.changedFields());
    const QFont badgeFont = m_theme.uiFont(0.85, true);
    const QFontMetricsF bfm(badgeFont);
    double right = r.right() - 8;
    if (!changeBadge.isEmpty()) {
        const double w = bfm.horizontalAdvance(changeBadge) + 12;
        const QRectF br(right - w, r.top() + 4, w, r.height() - 8);
        p->setPen(Qt::NoPen);
        p->setBrush(nd.change == Change::Added     ? m_theme.added
                    : nd.change == Change::Removed ? m_theme.removed
                                                   : m_theme.changed);
        p->drawRoundedRect(br, 4, 4);
        p->setPen(nd.change == Change::Added ? QColor(Qt::black) : QColor(Qt::white));
        p->setFont(badgeFont);
        p->drawText(br, Qt::AlignCenter, changeBadge);
        right = br.left() - 6;
    }
    {
        const double w = bfm.horizontalAdvance(badge) + 12;
        const QRectF br(right - w, r.top() + 4, w, r.height() - 8);
        p->setPen(QPen(colour, 1.5));
        p->setBrush(m_theme.dark ? QColor(0, 0, 0) : QColor(255, 255, 255));
        p->drawRoundedRect(br, 4, 4);
        p->setPen(m_theme.dark ? colour.lighter(130) : colour.darker(150));
        p->setFont(badgeFont);
        p->drawText(br, Qt::AlignCenter, badge);
        right = br.left() - 6;
    }

    p->setPen(ink);
    p->setFont(targetFont);
    const QString target = tfm.elidedText(m.target, Qt::ElideMiddle, std::max(40.0, right - x - 40));
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

    // An overlay's layers under it.
    const QStringList layers = overlayLines(m);
    if (!layers.isEmpty()) {
        const QFont sub = m_theme.monoFont(0.85);
        p->setFont(sub);
        const QFontMetricsF sfm(sub);
        double y = r.bottom() + 4;
        for (int k = 0; k < layers.size(); ++k) {
            const QRectF lr(r.left() + m_indent, y, r.width() - m_indent, m_subH - 2);
            const bool upper = layers[k].startsWith(QLatin1String("upper"));
            const bool work = layers[k].startsWith(QLatin1String("work"));
            p->setPen(Qt::NoPen);
            p->setBrush(upper  ? (m_theme.dark ? QColor(0x3A, 0x33, 0x00) : QColor(0xFF, 0xF6, 0xC8))
                        : work ? Qt::transparent
                               : (m_theme.dark ? QColor(0x20, 0x20, 0x28) : QColor(0xEC, 0xEE, 0xF4)));
            p->drawRoundedRect(lr, 3, 3);
            p->setPen(work ? m_theme.dimText : ink);
            p->drawText(
                lr.adjusted(8, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
                sfm.elidedText(QString(k + 1 < layers.size() ? QStringLiteral("├ ") : QStringLiteral("└ ")) + layers[k],
                               Qt::ElideMiddle, lr.width() - 12));
            y += m_subH;
        }
    }
    p->restore();
}

void MountTreeItem::paintLanes(QPainter* p, const QRectF& exposed)
{
    const QColor shared = Theme::propagationColor(Propagation::Shared);
    const QColor slave = Theme::propagationColor(Propagation::Slave);
    const QFont numFont = m_theme.uiFont(0.75, true);
    auto centreY = [this](int pane, int node) { return m_layout[pane].y[node] + (m_rowH) / 2; };
    auto nodeEdgeX = [this](int pane, int node) {
        const QRectF r = nodeRect(pane, node);
        return pane == HostPane ? r.right() : r.left();
    };

    for (int lane = 0; lane < m_laneGroups.size(); ++lane) {
        const auto& mem = m_laneMembers[lane];
        const double x = laneX(lane);
        double top = 1e18, bottom = -1e18;
        for (const auto& [pane, node] : mem) {
            top = std::min(top, centreY(pane, node));
            bottom = std::max(bottom, centreY(pane, node));
        }
        if (mem.isEmpty() || bottom < exposed.top() || top > exposed.bottom() + m_rowH)
            continue;
        QPen dashed(shared, 2.2, Qt::DashLine);
        p->setPen(dashed);
        p->drawLine(QPointF(x, top), QPointF(x, bottom));
        for (const auto& [pane, node] : mem) {
            const double y = centreY(pane, node);
            if (y < exposed.top() - m_rowH || y > exposed.bottom() + m_rowH)
                continue;
            p->setPen(dashed);
            p->drawLine(QPointF(nodeEdgeX(pane, node), y), QPointF(x, y));
            p->setPen(Qt::NoPen);
            p->setBrush(shared);
            p->drawEllipse(QPointF(x, y), 3.5, 3.5);
        }
        // Propagation travelling, from the mount made where the step ran to the peers and
        // slaves that received it.
        if (m_glow < 1.0) {
            for (const Travel& t : travels(lane)) {
                const int sp = t.fromPane, sn = t.fromNode, dp = t.toPane, dn = t.toNode;
                const QPolygonF path({QPointF(nodeEdgeX(sp, sn), centreY(sp, sn)), QPointF(x, centreY(sp, sn)),
                                      QPointF(x, centreY(dp, dn)), QPointF(nodeEdgeX(dp, dn), centreY(dp, dn))});
                double total = 0;
                for (int i = 1; i < path.size(); ++i)
                    total += QLineF(path[i - 1], path[i]).length();
                double along = std::min(1.0, m_glow * 1.6) * total;
                QPointF at = path.last();
                for (int i = 1; i < path.size(); ++i) {
                    const QLineF seg(path[i - 1], path[i]);
                    if (along <= seg.length()) {
                        at = seg.pointAt(seg.length() > 0 ? along / seg.length() : 0);
                        break;
                    }
                    along -= seg.length();
                }
                p->setPen(QPen(m_theme.dark ? QColor(Qt::white) : QColor(Qt::black), 1.5));
                p->setBrush(m_theme.added);
                p->drawEllipse(at, 7, 7);
            }
        }
        // The group number on the lane, at its top.
        const QString label = QString::number(m_laneGroups[lane]);
        const double d = std::max(QFontMetricsF(numFont).horizontalAdvance(label) + 8, m_laneGap * 0.9);
        const QRectF disc(x - d / 2, top - d / 2 - m_rowH * 0.5, d, d);
        p->setPen(QPen(m_theme.dark ? QColor(Qt::black) : QColor(Qt::white), 1.5));
        p->setBrush(shared);
        p->drawEllipse(disc);
        p->setPen(Qt::black);
        p->setFont(numFont);
        p->drawText(disc, Qt::AlignCenter, label);
    }

    // master → slave: an arrow from the master's lane into the slave.
    for (int pane = 0; pane < NUM_PANES; ++pane) {
        const MountForest* f = m_forest[pane];
        if (!f)
            continue;
        const PaneLayout& L = m_layout[pane];
        if (L.y.size() < 2)
            continue;
        auto first = std::upper_bound(L.y.begin(), L.y.end(), exposed.top());
        const int n = int(L.y.size()) - 1;
        for (int i = std::max(0, int(first - L.y.begin()) - 1); i < n && L.y[i] < exposed.bottom(); ++i) {
            const MountRow& m = f->nodes()[i].mount();
            if (!m.master)
                continue;
            const double y = centreY(pane, i) + 5; // below a peer stub of the same node
            const double to = nodeEdgeX(pane, i);
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
                p->drawText(QPointF(std::min(from, to) - (pane == HostPane ? 0 : 0), y - 6),
                            QStringLiteral("master:%1").arg(m.master));
            }
        }
    }
}

void MountTreeItem::select(int pane, int node)
{
    m_selPane = pane;
    m_selNode = node;
    update();
    Q_EMIT nodeSelected(pane, node);
}

QVector<QPair<int, int>> MountTreeItem::findMounts(const QString& text) const
{
    QVector<QPair<int, int>> out;
    if (text.isEmpty())
        return out;
    for (int pane = 0; pane < NUM_PANES; ++pane) {
        const MountForest* f = m_forest[pane];
        if (!f)
            continue;
        for (int i = 0; i < f->size(); ++i) {
            const MountForest::Node& n = f->nodes()[i];
            if (n.change == Change::Removed)
                continue;
            const MountRow& m = n.mount();
            if (m.target.contains(text, Qt::CaseInsensitive) || m.fstype.contains(text, Qt::CaseInsensitive) ||
                m.source.contains(text, Qt::CaseInsensitive))
                out.push_back({pane, i});
        }
    }
    return out;
}

bool MountTreeItem::selectTarget(const QString& target, int preferPane)
{
    for (int pane : {preferPane, 1 - preferPane}) {
        if (!m_forest[pane])
            continue;
        int node = m_forest[pane]->indexOfTarget(target);
        if (node < 0) // an unmount: its ghost
            for (int i = 0; i < m_forest[pane]->size() && node < 0; ++i)
                if (m_forest[pane]->nodes()[i].mount().target == target)
                    node = i;
        if (node >= 0) {
            select(pane, node);
            return true;
        }
    }
    return false;
}

void MountTreeItem::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    const int pane = paneAt(event->pos().x());
    if (pane < 0)
        return;
    const int node = nodeAt(pane, event->pos().y());
    if (node >= 0) {
        select(pane, node);
        Q_EMIT nodeClicked(pane, node);
    }
}

QString MountTreeItem::toolTipAt(const QPointF& pos) const
{
    // On a lane: what a peer group is.
    for (int lane = 0; lane < m_laneGroups.size(); ++lane)
        if (std::abs(pos.x() - laneX(lane)) < m_laneGap * 0.45 && pos.x() >= m_gutterX)
            return explainOptionalField(QStringLiteral("shared:%1").arg(m_laneGroups[lane]));
    const int pane = paneAt(pos.x());
    if (pane < 0)
        return {};
    const int node = nodeAt(pane, pos.y());
    if (node < 0)
        return {};
    const MountForest::Node& nd = m_forest[pane]->nodes()[node];
    const MountRow& m = nd.mount();
    const QRectF r = nodeRect(pane, node);
    // Over the badge (the right third): each optional field explained.
    if (pos.x() > r.right() - r.width() / 3 && pos.y() < r.top() + m_rowH) {
        QStringList lines;
        for (const QString& tag : m.optFields.split(QLatin1Char(' '), Qt::SkipEmptyParts))
            lines << QStringLiteral("<b>%1</b>: %2").arg(tag, explainOptionalField(tag));
        if (lines.isEmpty())
            lines << QStringLiteral("<b>private</b>: no optional fields, so nothing propagates to or from this mount");
        return lines.join(QStringLiteral("<br>"));
    }
    QString tip =
        QStringLiteral("<b>%1</b> (%2)<br>%3<br><tt>%4</tt>")
            .arg(m.target.toHtmlEscaped(), m.fstype, Theme::propagationTeach(m.propagation()), m.raw.toHtmlEscaped());
    if (nd.change != Change::None)
        tip += QStringLiteral("<br><i>this step: %1</i>")
                   .arg(nd.change == Change::Added ? QStringLiteral("mounted")
                        : nd.change == Change::Removed
                            ? QStringLiteral("unmounted")
                            : QStringLiteral("changed: ") + nd.changedFields().join(QStringLiteral(", ")));
    return tip;
}

void MountTreeItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) { setToolTip(toolTipAt(event->pos())); }

MountTreeScene::MountTreeScene(QObject* parent) : QGraphicsScene(parent), m_tree(new MountTreeItem)
{
    setItemIndexMethod(NoIndex); // one item: nothing to index
    addItem(m_tree);
}

void MountTreeScene::refresh(bool animate)
{
    m_tree->refresh(animate);
    setSceneRect(m_tree->boundingRect().adjusted(-8, -8, 8, 8));
}

} // namespace mountlab::gui
