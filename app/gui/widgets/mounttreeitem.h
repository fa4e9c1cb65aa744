// The heart of the GUI: the lab host's and the container's mount trees drawn side by
// side. Nodes are labelled by target and fstype and coloured by propagation; peer
// groups are joined by dashed lanes in the gutter, labelled with the group number;
// master→slave arrows; overlay mounts list their layers; the last diff glows in
// (added), fades out struck through (removed) or is marked (changed).
//
// One item paints only the rows in view, so a 10,000-mount table stays smooth: an
// update after a diff recomputes row positions and lanes (O(n)) and repaints.
//
// The item's code, by what it does: mounttreeitem.cpp (state, refresh, the scene),
// treelayout.cpp (where rows, panes and lanes go), treepainter.cpp (drawing them),
// treehittest.cpp (what is under a point, finding mounts), treecaptions.cpp (the
// teaching text: badges, layer lines, tooltips).
#pragma once

#include "mountforest.h"
#include "theme.h"

#include <QGraphicsObject>
#include <QGraphicsScene>
#include <QVariantAnimation>

namespace mountlab::gui {

class MountTreeItem : public QGraphicsObject {
    Q_OBJECT
public:
    enum Pane { HostPane, ContainerPane, NUM_PANES };

    explicit MountTreeItem(QGraphicsItem* parent = nullptr);

    // The forests stay owned by the caller; a null container shows the host alone
    // (explore this machine).
    void setForests(const MountForest* host, const MountForest* container);
    void setTitles(const QString& host, const QString& container);
    // Where the step that made the changes ran: propagation is drawn from there.
    void setStepSource(int pane) { m_sourcePane = pane; }
    // The dots the last step's diff sends along a peer lane: from the mount made where
    // the step ran to each peer and slave that received a copy.
    struct Travel {
        int fromPane, fromNode, toPane, toNode;
    };
    [[nodiscard]] QVector<Travel> travels(int lane) const;
    void setTheme(const Theme& theme);
    // Recompute the layout after the forests changed; animate the diff marks.
    void refresh(bool animate);
    // The width the panes and the gutter fit in (the view's, at zoom 1; 0: as wide as
    // their text): the lanes close up and the panes narrow (their text elides) down to
    // a legible minimum. True when the layout changed.
    bool setFitWidth(double width);
    // The font of a node's mount point (the tree's main text).
    [[nodiscard]] QFont nodeFont() const { return m_theme.monoFont(1.0, true); }
    // Where the last step's mounts are (added or changed, not removed): the pane the step
    // ran in first, then the other, each in tree order.
    [[nodiscard]] QVector<QRectF> changedNodeRects() const;

    // The panes' headers again at `top` (a view scrolled down keeps them in sight),
    // over a strip of the background; nothing when top is within the real headers.
    void paintHeadersAt(QPainter* p, double top);
    [[nodiscard]] double headerHeight() const { return m_headerH; }

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    // The selection is kept as (namespace, mount ID, mount point): after the next diff it
    // is the mount with that ID while the table still has it (outside the root after a
    // chroot, or moved by one), else the mount at that point again (the top of its stack,
    // or its ghost once unmounted), never another mount that got the freed, reusable
    // mount ID (one the diff added) or node index.
    void select(int pane, int node);
    [[nodiscard]] int selectedPane() const { return m_selPane; }
    [[nodiscard]] int selectedNode() const { return m_selNode; }
    // Finds target (the container first) and selects it; false when not mounted.
    bool selectTarget(const QString& target, int preferPane = ContainerPane);
    // The mounts whose target, fstype or source contains text (any case), the lab host's
    // (or this machine's) first, in tree order; removed ones left out.
    [[nodiscard]] QVector<QPair<int, int>> findMounts(const QString& text) const;
    [[nodiscard]] QRectF nodeRect(int pane, int node) const;
    [[nodiscard]] int nodeAt(int pane, double y) const;
    [[nodiscard]] const MountForest* forest(int pane) const { return m_forest[pane]; }
    // What hovering there teaches (a node, its group badge, a peer lane).
    [[nodiscard]] QString toolTipAt(const QPointF& pos) const;
    // Peer-group lanes drawn (for tests).
    [[nodiscard]] QVector<int> laneGroups() const { return m_laneGroups; }

Q_SIGNALS:
    void nodeSelected(int pane, int node);
    void nodeClicked(int pane, int node); // by the user, with the mouse

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    struct PaneLayout {
        double x = 0;
        double width = 0;
        QVector<double> y; // top of each node's row; y[n] is the bottom
    };
    // treelayout.cpp: where each row, pane and lane goes.
    void relayout();
    void layoutPane(int pane);
    void layoutLanes();
    void placePanes();
    [[nodiscard]] double laneX(int lane) const;
    [[nodiscard]] double laneCentreY(int pane, int node) const;
    [[nodiscard]] double laneEdgeX(int pane, int node) const;
    // treepainter.cpp: a pane (its header, tree lines, nodes), then each node in steps.
    void paintPane(QPainter* p, int pane, const QRectF& exposed);
    void paintPaneHeader(QPainter* p, int pane, const QRectF& exposed);
    void drawPaneHeader(QPainter* p, int pane, const QRectF& header);
    void paintTreeLines(QPainter* p, int pane, int first, const QRectF& exposed);
    void paintNode(QPainter* p, int pane, int node, const QRectF& r);
    void paintDiffHalo(QPainter* p, const MountForest::Node& nd, const QRectF& r);
    void paintNodeBody(QPainter* p, Propagation prop, const QRectF& r, double stripeW);
    void paintNodeMarks(QPainter* p, int pane, int node, const QRectF& r);
    [[nodiscard]] double paintBadges(QPainter* p, const MountForest::Node& nd, const QRectF& r);
    void paintNodeText(QPainter* p, const MountForest::Node& nd, const QRectF& r, double stripeW, double right);
    void paintOverlayLayers(QPainter* p, const MountRow& m, const QRectF& r);
    // treepainter.cpp: the gutter between the panes.
    void paintLanes(QPainter* p, const QRectF& exposed);
    void paintLane(QPainter* p, int lane, const QRectF& exposed);
    void paintTravellingDots(QPainter* p, int lane);
    void paintLaneNumber(QPainter* p, int lane, double top);
    void paintMasterArrows(QPainter* p, int pane, const QRectF& exposed);
    // treehittest.cpp
    [[nodiscard]] int paneAt(double x) const;

    const MountForest* m_forest[NUM_PANES] = {nullptr, nullptr};
    QString m_title[NUM_PANES];
    PaneLayout m_layout[NUM_PANES];
    Theme m_theme = Theme::normal(11);
    double m_rowH = 30, m_subH = 20, m_indent = 22, m_headerH = 44, m_laneGap = 20, m_charW = 8;
    double m_fullLaneGap = 20; // the gap between lanes when there is room
    double m_fitWidth = 0;
    double m_gutterX = 0, m_gutterW = 0;
    QVector<int> m_laneGroups;                           // group per lane
    QVector<QVector<QPair<int, int>>> m_laneAddedSlaves; // per lane: the slaves of its group the last diff added
    QHash<int, int> m_laneOf;                            // group → lane
    QVector<QVector<QPair<int, int>>> m_laneMembers;     // (pane, node) per lane
    QRectF m_bounds;
    int m_selPane = -1, m_selNode = -1;
    quint64 m_selNs = 0; // what the selection is: the namespace, mount ID and mount point
    int m_selId = 0;
    QString m_selTarget;
    void reselect();
    double m_glow = 0; // 0..1, the diff animation
    int m_sourcePane = ContainerPane;
    QVariantAnimation m_anim;
};

class MountTreeScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit MountTreeScene(QObject* parent = nullptr);
    [[nodiscard]] MountTreeItem* tree() { return m_tree; }
    // After the forests changed: layout, scene rect, animation.
    void refresh(bool animate);
    // The tree laid out to fit `width` (MountTreeItem::setFitWidth), the scene rect with it.
    void fitTo(double width);

private:
    MountTreeItem* m_tree;
};

} // namespace mountlab::gui
