// What is where in the drawn tree: the pane and row under a point, a click selecting
// it, the mounts a search or a target names, and where the last step's are.
#include "mounttreeitem.h"

#include <QGraphicsSceneMouseEvent>

#include <algorithm>

namespace mountlab::gui {

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

QVector<QRectF> MountTreeItem::changedNodeRects() const
{
    QVector<QRectF> out;
    const int source = m_sourcePane == HostPane ? HostPane : ContainerPane;
    for (int pane : {source, 1 - source}) {
        const MountForest* f = m_forest[pane];
        if (!f || m_layout[pane].y.size() != f->size() + 1)
            continue;
        for (int i = 0; i < f->size(); ++i) {
            const Change c = f->nodes()[i].change;
            if (c == Change::Added || c == Change::Changed)
                out.push_back(nodeRect(pane, i));
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

} // namespace mountlab::gui
