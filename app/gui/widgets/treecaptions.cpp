// What the drawn tree teaches in words: a changed mount's badge, an overlay's layer
// lines, and what hovering a node, its group badge or a peer lane explains.
#include "treecaptions.h"

#include "mountinfofields.h"
#include "mounttreeitem.h"

#include <QGraphicsSceneHoverEvent>

namespace mountlab::gui {

// The diff's field names in a learner's words, each once: a propagation change moves
// the peer group too, and two option fields are "options" (the tooltip lists them all).
QString changeWords(const QStringList& fields)
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

QString outsideRootTeach()
{
    return QStringLiteral("the mount still exists in this mount namespace; this process's root no longer reaches "
                          "it (chroot moved where its path lookup starts), so its /proc/self/mountinfo leaves it "
                          "out. Nothing was unmounted. chroot changes only where lookups start: a process that "
                          "holds a directory outside its root can climb back to these mounts with \"..\", unless "
                          "something mounted over them (mount --move . / before chroot .) covers the way; pivot_root "
                          "and detaching the old root is what takes them out of the namespace");
}

QStringList overlayLines(const MountRow& m)
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

// Over a node's group badge: each of its optional fields explained.
static QString optionalFieldsTip(const MountRow& m)
{
    QStringList lines;
    for (const QString& tag : m.optFields.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        lines << QStringLiteral("<b>%1</b>: %2").arg(tag, explainOptionalField(tag));
    if (lines.isEmpty())
        lines << QStringLiteral("<b>private</b>: no optional fields, so nothing propagates to or from this mount");
    return lines.join(QStringLiteral("<br>"));
}

// Over the rest of a node: the mount, its propagation, its mountinfo line, and what the
// last step did to it.
static QString nodeTip(const MountForest::Node& nd, const QString& rootPath)
{
    const MountRow& m = nd.mount();
    QString tip =
        QStringLiteral("<b>%1</b> (%2)<br>%3<br><tt>%4</tt>")
            .arg(m.target.toHtmlEscaped(), m.fstype, Theme::propagationTeach(m.propagation()), m.raw.toHtmlEscaped());
    if (nd.change == Change::OutsideRoot)
        return tip + QStringLiteral("<br><i>outside this process's root%1</i>: %2")
                         .arg(rootPath.isEmpty() ? QString() : QStringLiteral(" (") + rootPath.toHtmlEscaped() + ')',
                              outsideRootTeach().toHtmlEscaped());
    if (nd.change != Change::None)
        tip += QStringLiteral("<br><i>this step: %1</i>")
                   .arg(nd.change == Change::Added ? QStringLiteral("mounted")
                        : nd.change == Change::Removed
                            ? QStringLiteral("unmounted")
                            : QStringLiteral("changed: ") + nd.changedFields().join(QStringLiteral(", ")));
    return tip;
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
    const QRectF r = nodeRect(pane, node);
    // Over the badge (the right third): each optional field explained.
    if (pos.x() > r.right() - r.width() / 3 && pos.y() < r.top() + m_rowH)
        return optionalFieldsTip(nd.mount());
    return nodeTip(nd, m_forest[pane]->rootPath());
}

void MountTreeItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) { setToolTip(toolTipAt(event->pos())); }

} // namespace mountlab::gui
