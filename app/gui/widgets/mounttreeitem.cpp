// The drawn mount tree's state: its forests and titles, the diff animation, the
// selection, and the one-item scene that holds it. Layout, painting, hit testing and
// captions are in tree*.cpp (see the header).
#include "mounttreeitem.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

namespace mountlab::gui {

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

void MountTreeItem::refresh(bool animate)
{
    relayout();
    reselect();
    if (animate) {
        m_anim.stop();
        m_glow = 0;
        m_anim.start();
    } else {
        m_glow = 1;
    }
    update();
}

bool MountTreeItem::setFitWidth(double width)
{
    width = std::max(0.0, std::round(width));
    if (width == m_fitWidth)
        return false;
    m_fitWidth = width;
    relayout();
    update();
    return true;
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

// The selected mount in the forest as it is now: the mount with its ID (unless the diff
// just gave that ID to a new mount), else the mount at its mount point, else its ghost;
// nothing when none is there or the pane shows another namespace.
void MountTreeItem::reselect()
{
    if (m_selPane < 0)
        return;
    const MountForest* f = m_forest[m_selPane];
    int node = -1;
    if (f && f->mntns == m_selNs) {
        node = f->indexOfId(m_selId);
        if (node >= 0 && (f->nodes()[node].change == Change::Added || f->nodes()[node].change == Change::Removed))
            node = -1;
        if (node < 0)
            node = f->indexOfTarget(m_selTarget);
        for (int i = 0; i < f->size() && node < 0; ++i)
            if (f->nodes()[i].change == Change::Removed && f->nodes()[i].mount().target == m_selTarget)
                node = i;
    }
    if (node < 0)
        m_selPane = -1;
    m_selNode = node;
    if (node >= 0) { // what it is now (a ghost's ID is its own; a chroot moves the point)
        m_selId = f->nodes()[node].mount().id;
        m_selTarget = f->nodes()[node].mount().target;
    }
}

void MountTreeItem::select(int pane, int node)
{
    m_selPane = pane;
    m_selNode = node;
    const MountForest* f = pane >= 0 && pane < NUM_PANES ? m_forest[pane] : nullptr;
    const bool valid = f && node >= 0 && node < f->size();
    m_selNs = valid ? f->mntns : 0;
    m_selTarget = valid ? f->nodes()[node].mount().target : QString();
    m_selId = valid ? f->nodes()[node].mount().id : 0;
    update();
    Q_EMIT nodeSelected(pane, node);
}

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

void MountTreeScene::fitTo(double width)
{
    if (m_tree->setFitWidth(width))
        setSceneRect(m_tree->boundingRect().adjusted(-8, -8, 8, 8));
}

} // namespace mountlab::gui
