// Where the drawn tree puts things: each pane's rows (an overlay's taller, for its
// layers), the panes side by side, and one lane per peer group in the gutter between.
#include "mounttreeitem.h"

#include <QFontMetricsF>

#include <algorithm>

namespace mountlab::gui {

static constexpr int kMaxLanes = 32;
static constexpr int kMaxIndentDepth = 40;
static constexpr int kMinPaneChars = 24; // a pane narrower than that shows too little of a mount point

void MountTreeItem::setTheme(const Theme& theme)
{
    m_theme = theme;
    const QFontMetricsF mono(m_theme.monoFont());
    m_charW = mono.horizontalAdvance(QLatin1Char('m'));
    m_rowH = std::round(mono.height() * m_theme.treeRowSpacing);
    m_subH = std::round(QFontMetricsF(m_theme.monoFont(0.85)).height() * 1.25);
    m_indent = std::round(m_charW * m_theme.treeIndent);
    m_headerH = std::round(QFontMetricsF(m_theme.uiFont(1.2, true)).height() * m_theme.treeHeaderSpacing);
    m_fullLaneGap = m_laneGap = std::round(m_charW * 2.6);
}

void MountTreeItem::relayout()
{
    prepareGeometryChange();
    layoutPane(HostPane);
    layoutPane(ContainerPane);
    layoutLanes();
    placePanes();
    const PaneLayout& h = m_layout[HostPane];
    const PaneLayout& c = m_layout[ContainerPane];
    const double bottom = std::max(h.y.isEmpty() ? m_headerH : h.y.last(), c.y.isEmpty() ? m_headerH : c.y.last());
    const double right = m_forest[ContainerPane] ? c.x + c.width : m_gutterX + m_gutterW;
    m_bounds = QRectF(0, 0, right, bottom + m_rowH);
}

// The panes side by side with the gutter between, as wide as their text asks; within
// the fit width when one is set: the lanes closer together first (down to a few
// pixels), then the wider pane narrower, then both (down to a minimum).
void MountTreeItem::placePanes()
{
    PaneLayout& h = m_layout[HostPane];
    PaneLayout& c = m_layout[ContainerPane];
    const bool two = m_forest[ContainerPane] != nullptr;
    const double lanes = m_laneGroups.size() + 1.5;
    const auto gutterOf = [lanes](double gap) { return std::max(gap * 3, gap * lanes); };
    m_laneGap = m_fullLaneGap;
    const double panes = h.width + (two ? c.width : 0);
    if (m_fitWidth > 0 && panes + gutterOf(m_laneGap) > m_fitWidth) {
        const double minPane = kMinPaneChars * m_charW + 24;
        // The numbers on the lanes sit a row apart: the lanes can close up to a few pixels.
        const double minGap = std::max(7.0, std::round(m_charW * 0.6));
        m_laneGap = std::clamp(std::floor((m_fitWidth - panes) / std::max(3.0, lanes)), minGap, m_fullLaneGap);
        const double room = m_fitWidth - gutterOf(m_laneGap);
        if (panes > room) {
            const double half = room / 2;
            if (!two)
                h.width = std::max(std::min(h.width, minPane), room);
            else if (h.width <= half)
                c.width = std::max(std::min(c.width, minPane), room - h.width);
            else if (c.width <= half)
                h.width = std::max(std::min(h.width, minPane), room - c.width);
            else
                h.width = c.width = std::max(minPane, half);
        }
    }
    h.x = 0;
    m_gutterX = h.x + h.width;
    m_gutterW = gutterOf(m_laneGap);
    c.x = m_gutterX + m_gutterW;
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

// Where a lane's stub meets a node: the middle of its row, at the node's edge that
// faces the gutter.
double MountTreeItem::laneCentreY(int pane, int node) const { return m_layout[pane].y[node] + (m_rowH) / 2; }

double MountTreeItem::laneEdgeX(int pane, int node) const
{
    const QRectF r = nodeRect(pane, node);
    return pane == HostPane ? r.right() : r.left();
}

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

} // namespace mountlab::gui
