#include "mounttreeview.h"

#include "mounttreeitem.h"

#include <QKeyEvent>
#include <QPainter>

#include <QScrollBar>
#include <QTimer>
#include <QWheelEvent>
#include <cmath>

namespace mountlab::gui {

MountTreeView::MountTreeView(MountTreeScene* scene, QWidget* parent) : QGraphicsView(scene, parent), m_scene(scene)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setAccessibleName(tr("mount trees: lab host and container"));
    connect(scene->tree(), &MountTreeItem::nodeSelected, this, [this] {
        m_followChanges = false;
        QTimer::singleShot(0, this, &MountTreeView::ensureSelectedVisible); // after a pending relayout
    });
    connect(scene, &QGraphicsScene::sceneRectChanged, this, [this] { fitWidth(); });
}

void MountTreeView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QGraphicsView::drawForeground(painter, rect);
    const double top = mapToScene(QPoint(0, 0)).y();
    if (rect.top() < top + m_scene->tree()->headerHeight())
        m_scene->tree()->paintHeadersAt(painter, top);
}

void MountTreeView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    // The pixels scrolled carry the old headers along: the strip they were drawn in,
    // and where they moved to, again.
    const int strip = int(std::ceil(m_scene->tree()->headerHeight() * transform().m22())) + std::abs(dy) + 2;
    viewport()->update(QRect(0, 0, viewport()->width(), strip));
}

void MountTreeView::ensureSelectedVisible()
{
    MountTreeItem* t = m_scene->tree();
    if (t->selectedPane() >= 0)
        ensureVisible(t->nodeRect(t->selectedPane(), t->selectedNode()), 40, 60);
}

void MountTreeView::showChanges()
{
    m_followChanges = true;
    ensureChangesVisible();
}

void MountTreeView::ensureChangesVisible()
{
    const QVector<QRectF> rects = m_scene->tree()->changedNodeRects();
    if (rects.isEmpty())
        return;
    const int margin = 12;
    const double room = (viewport()->height() - 2 * margin) / m_zoom;
    QRectF shown = rects.first();
    for (const QRectF& r : rects) {
        const QRectF both = shown.united(r);
        if (both.height() > room)
            break;
        shown = both;
    }
    ensureVisible(shown, margin, margin);
}

void MountTreeView::setZoom(double zoom)
{
    m_autoFit = false;
    m_zoom = std::clamp(zoom, 0.3, 3.0);
    m_scene->fitTo(0); // as wide as the text: the user zooms to read it
    setTransform(QTransform::fromScale(m_zoom, m_zoom));
}

void MountTreeView::resetZoom()
{
    m_autoFit = true;
    fitWidth();
}

void MountTreeView::fitWidth()
{
    if (!m_autoFit || m_fitting)
        return;
    // The width with the vertical scroll bar shown, whether it is or not: the layout does
    // not change when the bar comes and goes.
    const QScrollBar* bar = verticalScrollBar();
    const int width = viewport()->width() - (bar->isVisible() ? 0 : bar->sizeHint().width()) - 4;
    if (width <= 0)
        return;
    m_fitting = true;
    m_scene->fitTo(width - 16); // the scene rect's margins
    m_fitting = false;
    const double w = sceneRect().width();
    if (w <= 0)
        return;
    m_zoom = std::clamp(width / w, 0.62, 1.0);
    setTransform(QTransform::fromScale(m_zoom, m_zoom));
}

void MountTreeView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    fitWidth();
    if (m_followChanges)
        ensureChangesVisible();
}

void MountTreeView::keyPressEvent(QKeyEvent* event)
{
    MountTreeItem* t = m_scene->tree();
    int pane = std::max(0, t->selectedPane());
    const MountForest* f = t->forest(pane);
    if (!f || f->size() == 0) {
        QGraphicsView::keyPressEvent(event);
        return;
    }
    int node = t->selectedPane() < 0 ? -1 : t->selectedNode();
    switch (event->key()) {
    case Qt::Key_Down:
        node = std::min(f->size() - 1, node + 1);
        break;
    case Qt::Key_Up:
        node = std::max(0, node - 1);
        break;
    case Qt::Key_Home:
        node = 0;
        break;
    case Qt::Key_End:
        node = f->size() - 1;
        break;
    case Qt::Key_Tab: {
        const int other = 1 - pane;
        if (!t->forest(other) || t->forest(other)->size() == 0)
            break;
        pane = other;
        node = std::min(std::max(0, node), t->forest(other)->size() - 1);
        break;
    }
    default:
        QGraphicsView::keyPressEvent(event);
        return;
    }
    t->select(pane, std::max(0, node));
    event->accept();
}

bool MountTreeView::focusNextPrevChild(bool next)
{
    // Tab belongs to the tree (it switches sides) while it has a selection.
    if (next && m_scene->tree()->selectedPane() >= 0 && m_scene->tree()->forest(1))
        return false;
    return QGraphicsView::focusNextPrevChild(next);
}

void MountTreeView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        m_autoFit = false;
        setZoom(m_zoom * (event->angleDelta().y() > 0 ? 1.1 : 1 / 1.1));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

} // namespace mountlab::gui
