// The view on MountTreeScene: scrolls, zooms (Ctrl+wheel, Ctrl+0), and keeps the
// selected mount in sight.
#pragma once

#include <QGraphicsView>

namespace mountlab::gui {

class MountTreeScene;

class MountTreeView : public QGraphicsView {
    Q_OBJECT
public:
    explicit MountTreeView(MountTreeScene* scene, QWidget* parent = nullptr);
    void ensureSelectedVisible();
    void setZoom(double zoom);
    // Scale the trees to the view's width (down to a legible minimum) until the user zooms.
    void fitWidth();
    void resetZoom();
    [[nodiscard]] double zoom() const { return m_zoom; }

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    // Up and Down move the selection through the tree (Tab switches sides).
    void keyPressEvent(QKeyEvent* event) override;
    bool focusNextPrevChild(bool next) override;

private:
    MountTreeScene* m_scene;
    double m_zoom = 1.0;
    bool m_autoFit = true;
};

} // namespace mountlab::gui
