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

void MountTreeItem::select(int pane, int node)
{
    m_selPane = pane;
    m_selNode = node;
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
