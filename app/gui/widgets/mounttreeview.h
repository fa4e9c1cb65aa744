// The view on MountTreeScene: scrolls, zooms (Ctrl+wheel, Ctrl+0), lays the trees out
// to its width, and keeps the last step's mounts (or the selected one) in sight.
#pragma once

#include <QGraphicsView>

namespace mountlab::gui {

class MountTreeScene;

class MountTreeView : public QGraphicsView {
    Q_OBJECT
public:
    explicit MountTreeView(MountTreeScene* scene, QWidget* parent = nullptr);
    void ensureSelectedVisible();
    // After a step: the mounts it made or changed in view (as many as the view holds,
    // those where it ran first), and again when the view's size changes (presenter
    // mode's split settles after the step) until a mount is selected.
    void showChanges();
    void setZoom(double zoom);
    // Lay the trees out to the view's width (their text elides), scaled down when even
    // their narrowest does not fit (to a legible minimum), until the user zooms.
    void fitWidth();
    void resetZoom();
    [[nodiscard]] double zoom() const { return m_zoom; }

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    // Up and Down move the selection through the tree (Tab switches sides).
    void keyPressEvent(QKeyEvent* event) override;
    bool focusNextPrevChild(bool next) override;
    // The panes' headers stay at the top while the trees scroll under them.
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void ensureChangesVisible();

    MountTreeScene* m_scene;
    double m_zoom = 1.0;
    bool m_autoFit = true;
    bool m_fitting = false;
    bool m_followChanges = false;
};

} // namespace mountlab::gui
