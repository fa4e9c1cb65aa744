// The drawn mount tree, off screen and without the engine: colours by propagation,
// peer lanes and master arrows, overlay layers, hit testing, and the mountinfo panel.
#include "forests.h"
#include "mainwindow.h"
#include "mountinfopanel.h"
#include "mounttreeitem.h"
#include "mounttreeview.h"

#include "mount/mountinfo.h"
#include "testutil.h"

#include <QApplication>
#include <QGraphicsView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>

using namespace mountlab::gui;
using mountlab::gui::test::forestOf;
using mountlab::gui::test::rowsOf;

namespace {

const char* kHost = "1 0 0:1 / / rw shared:1 - tmpfs root rw\n"
                    "2 1 0:2 / /shared rw shared:5 - tmpfs a rw\n"
                    "3 1 0:3 / /slave rw master:5 - tmpfs b rw\n"
                    "4 1 0:4 / /private rw - tmpfs c rw\n"
                    "5 1 0:5 / /unbindable rw unbindable - tmpfs d rw\n"
                    "6 1 0:6 / /merged rw - overlay overlay rw,lowerdir=/l/app:/l/base,upperdir=/u,workdir=/w\n";
const char* kContainer = "11 10 0:1 / / rw shared:1 - tmpfs root rw\n"
                         "12 11 0:2 / /shared rw shared:5 - tmpfs a rw\n";

bool near(QColor a, QColor b)
{
    return std::abs(a.red() - b.red()) < 24 && std::abs(a.green() - b.green()) < 24 &&
           std::abs(a.blue() - b.blue()) < 24;
}

} // namespace

class TestGuiTree : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nodesAreColouredByTheirPropagation()
    {
        MountForest host = forestOf(kHost);
        MountTreeScene scene;
        scene.tree()->setForests(&host, nullptr);
        scene.refresh(false);
        const QRectF r = scene.sceneRect();
        QImage img(r.size().toSize(), QImage::Format_ARGB32);
        img.fill(Qt::white);
        QPainter p(&img);
        scene.render(&p, QRectF(QPointF(0, 0), r.size()), r);
        p.end();
        auto stripe = [&](const char* target) {
            const QRectF n = scene.tree()->nodeRect(0, host.indexOfTarget(QLatin1String(target)));
            return img.pixelColor((n.topLeft() - r.topLeft() + QPointF(4, 14)).toPoint());
        };
        QVERIFY(near(stripe("/shared"), Theme::propagationColor(Propagation::Shared)));
        QVERIFY(near(stripe("/slave"), Theme::propagationColor(Propagation::Slave)));
        QVERIFY(near(stripe("/private"), Theme::propagationColor(Propagation::Private)));
        QVERIFY(near(stripe("/unbindable"), Theme::propagationColor(Propagation::Unbindable)));
        // The four colours are told apart.
        QVERIFY(!near(stripe("/shared"), stripe("/private")));
        QVERIFY(!near(stripe("/slave"), stripe("/unbindable")));
    }

    void propagationTravelsFromWhereTheStepRan_toItsPeersAndSlaves()
    {
        MountForest host = forestOf("1 0 0:1 / / rw shared:1 - tmpfs root rw\n");
        MountForest container = forestOf("11 10 0:1 / / rw shared:1 - tmpfs root rw\n");
        auto rows = [](const char* mountinfo) {
            QVector<MountRow> out;
            for (const auto& m : mountlab::parse_mountinfo(mountinfo).mounts)
                out << mountFromCore(m);
            return out;
        };
        // A mount in the container lands on its peer on the lab host and on a slave.
        MountDiffRows dh;
        dh.added = rows("2 1 0:7 / /mnt/x rw shared:7 - tmpfs x rw\n");
        host.applyDiff(dh);
        MountDiffRows dc;
        dc.added = rows("12 11 0:7 / /mnt/x rw shared:7 - tmpfs x rw\n13 11 0:7 / /mnt/s rw master:7 - tmpfs x rw\n");
        container.applyDiff(dc);
        MountTreeScene scene;
        MountTreeItem* t = scene.tree();
        t->setForests(&host, &container);
        t->setStepSource(MountTreeItem::ContainerPane);
        scene.refresh(true);
        const int lane = int(t->laneGroups().indexOf(7));
        QVERIFY(lane >= 0);
        auto where = [&](int pane, int node) {
            return QStringLiteral("%1:%2")
                .arg(pane == MountTreeItem::HostPane ? "host" : "container")
                .arg((pane == MountTreeItem::HostPane ? host : container).nodes()[node].mount().target);
        };
        QStringList seen;
        for (const MountTreeItem::Travel& tr : t->travels(lane))
            seen << where(tr.fromPane, tr.fromNode) + QStringLiteral(" -> ") + where(tr.toPane, tr.toNode);
        seen.sort();
        QCOMPARE(seen, (QStringList{"container:/mnt/x -> container:/mnt/s", "container:/mnt/x -> host:/mnt/x"}));
        // Made on the lab host: the dots leave from there.
        t->setStepSource(MountTreeItem::HostPane);
        QCOMPARE(where(t->travels(lane).front().fromPane, t->travels(lane).front().fromNode),
                 QStringLiteral("host:/mnt/x"));
        // Nothing travels on a lane where nothing was added.
        const int rootLane = int(t->laneGroups().indexOf(1));
        QVERIFY(rootLane >= 0);
        QVERIFY(t->travels(rootLane).isEmpty());
    }

    // Explore a machine's table (a fixture here) and find a mount in it by typing.
    void exploreMode_findsAMountByPartOfItsPath_andEnterGoesToTheNext()
    {
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        MainWindow w;
        QVERIFY(w.startExplore(mountlab::test::data_path(QStringLiteral("mountinfo/vm-host.mountinfo"))));
        MountTreeItem* t = w.treeScene()->tree();
        QLineEdit* find = w.findMountBox();
        QTest::keyClicks(find, QStringLiteral("CGROUP/CPU"));
        QVERIFY(t->selectedNode() >= 0);
        const MountForest* f = t->forest(t->selectedPane());
        const QString first = f->nodes()[t->selectedNode()].mount().target;
        QVERIFY2(first.contains(QLatin1String("/sys/fs/cgroup/cpu"), Qt::CaseInsensitive), qPrintable(first));
        const int hits = int(t->findMounts(QStringLiteral("cgroup/cpu")).size());
        QCOMPARE(hits, 3); // /sys/fs/cgroup/cpu, cpuacct and cpuset
        QTest::keyClick(find, Qt::Key_Return);
        const QString second = f->nodes()[t->selectedNode()].mount().target;
        QVERIFY(second != first && second.contains(QLatin1String("/sys/fs/cgroup/cpu")));
        // The mountinfo explanation follows the selection.
        QVERIFY(w.mountinfoPanel()->fieldNames().contains(QStringLiteral("mount point")));
        QTest::keyClick(find, Qt::Key_Return);
        QTest::keyClick(find, Qt::Key_Return); // wraps to the first
        QCOMPARE(f->nodes()[t->selectedNode()].mount().target, first);
        find->setText(QStringLiteral("no-such-mount"));
        QVERIFY(t->findMounts(find->text()).isEmpty());
    }

    void peerGroupsGetALaneAcrossBothSides_andAMasterGetsOneForItsSlaves()
    {
        MountForest host = forestOf(kHost);
        MountForest container = forestOf(kContainer);
        MountTreeScene scene;
        scene.tree()->setForests(&host, &container);
        scene.refresh(false);
        const QVector<int> lanes = scene.tree()->laneGroups();
        QVERIFY(lanes.contains(1)); // / on both sides
        QVERIFY(lanes.contains(5)); // /shared on both sides, master of /slave
        // Hovering a lane teaches what it is.
        const QRectF shared = scene.tree()->nodeRect(0, host.indexOfTarget(QStringLiteral("/shared")));
        bool taught = false;
        for (double x = shared.right(); x < scene.tree()->nodeRect(1, 0).left() && !taught; x += 2)
            taught = scene.tree()->toolTipAt(QPointF(x, shared.center().y())).contains(QLatin1String("peer group"));
        QVERIFY(taught);
    }

    void overlayNodesListTheirLayers()
    {
        MountForest host = forestOf(kHost);
        MountTreeScene scene;
        scene.tree()->setForests(&host, nullptr);
        scene.refresh(false);
        const double plain = scene.tree()->nodeRect(0, host.indexOfTarget(QStringLiteral("/private"))).height();
        const double overlay = scene.tree()->nodeRect(0, host.indexOfTarget(QStringLiteral("/merged"))).height();
        QVERIFY2(overlay > plain * 2, "two lowerdirs, upper and work take four more lines");
    }

    void clickingANodeSelectsIt()
    {
        MountForest host = forestOf(kHost);
        MountTreeScene scene;
        scene.tree()->setForests(&host, nullptr);
        scene.refresh(false);
        MountTreeView view(&scene);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy selected(scene.tree(), &MountTreeItem::nodeSelected);
        const int node = host.indexOfTarget(QStringLiteral("/slave"));
        const QPoint at = view.mapFromScene(scene.tree()->nodeRect(0, node).center());
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(selected.size(), 1);
        QCOMPARE(scene.tree()->selectedNode(), node);
        QVERIFY(scene.tree()->selectTarget(QStringLiteral("/merged")));
        QCOMPARE(host.nodes()[scene.tree()->selectedNode()].mount().target, QStringLiteral("/merged"));
        QVERIFY(!scene.tree()->selectTarget(QStringLiteral("/not/mounted")));
        // The keyboard reaches every mount too.
        const int merged = scene.tree()->selectedNode();
        QTest::keyClick(&view, Qt::Key_Up);
        QCOMPARE(scene.tree()->selectedNode(), merged - 1);
        QTest::keyClick(&view, Qt::Key_Home);
        QCOMPARE(scene.tree()->selectedNode(), 0);
        QTest::keyClick(&view, Qt::Key_Down);
        QCOMPARE(scene.tree()->selectedNode(), 1);
    }

    // Scrolled down a long table, the view still says whose table each pane is: the
    // panes' headers stay at its top (and the exported scene has them only once).
    void paneHeadersStayInSight_whenTheTreesScroll()
    {
        QByteArray table = "1 0 0:1 / / rw shared:1 - tmpfs root rw\n";
        for (int i = 2; i < 80; ++i)
            table += QByteArrayLiteral("%1 1 0:%1 / /mnt/m%1 rw - tmpfs t rw\n").replace("%1", QByteArray::number(i));
        MountForest host = forestOf(table.constData());
        MountTreeScene scene;
        const Theme theme = Theme::normal(11);
        scene.tree()->setTheme(theme);
        scene.tree()->setForests(&host, nullptr);
        scene.refresh(false);
        MountTreeView view(&scene);
        view.resize(700, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const double x = scene.tree()->nodeRect(0, 0).right() - 12;
        auto headerPixel = [&] {
            const double top = view.mapToScene(QPoint(0, 0)).y();
            const QPoint at = view.mapFromScene(QPointF(x, std::max(0.0, top) + scene.tree()->headerHeight() / 3));
            return view.viewport()->grab().toImage().pixelColor(at);
        };
        QVERIFY(near(headerPixel(), theme.paneHeader));
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum() / 2);
        QTest::qWait(20);
        QVERIFY2(near(headerPixel(), theme.paneHeader), qPrintable(headerPixel().name()));
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
        QTest::qWait(20);
        QVERIFY(near(headerPixel(), theme.paneHeader));
    }

    void removedMountsStayAsGhostsUntilTheNextStep()
    {
        MountForest host = forestOf(kHost);
        MountTreeScene scene;
        scene.tree()->setForests(&host, nullptr);
        MountDiffRows d;
        d.removed << host.nodes()[host.indexOfTarget(QStringLiteral("/private"))].mount();
        host.applyDiff(d);
        scene.refresh(true);
        const int n = host.size();
        QCOMPARE(n, 6);
        bool ghost = false;
        for (const auto& node : host.nodes())
            ghost |= node.mount().target == QLatin1String("/private") && node.change == Change::Removed;
        QVERIFY(ghost);
        QVERIFY(scene.tree()
                    ->toolTipAt(scene.tree()->nodeRect(0, 3).center() - QPointF(100, 0))
                    .contains(QLatin1String("unmounted")));
        host.applyDiff({});
        scene.refresh(false);
        QCOMPARE(host.size(), 5);
    }

    void theSelectionStaysOnItsMountPoint_whenAnUnmountFreesItsIdForAnother()
    {
        MountForest host = forestOf(kHost);
        MountTreeScene scene;
        scene.tree()->setForests(&host, nullptr);
        scene.refresh(false);
        MountTreeItem* t = scene.tree();
        QVERIFY(t->selectTarget(QStringLiteral("/private")));
        auto selected = [&] {
            return t->selectedPane() < 0 ? QString() : host.nodes()[t->selectedNode()].mount().target;
        };
        // /private (ID 4) is unmounted and the kernel gives its ID to a new mount at /newmnt.
        host.setMounts(
            rowsOf("1 0 0:1 / / rw shared:1 - tmpfs root rw\n"
                   "2 1 0:2 / /shared rw shared:5 - tmpfs a rw\n"
                   "3 1 0:3 / /slave rw master:5 - tmpfs b rw\n"
                   "4 1 0:9 / /newmnt rw - tmpfs n rw\n"
                   "5 1 0:5 / /unbindable rw unbindable - tmpfs d rw\n"
                   "6 1 0:6 / /merged rw - overlay overlay rw,lowerdir=/l/app:/l/base,upperdir=/u,workdir=/w\n"));
        MountDiffRows d;
        d.removed << rowsOf("4 1 0:4 / /private rw - tmpfs c rw\n");
        d.added << rowsOf("4 1 0:9 / /newmnt rw - tmpfs n rw\n");
        host.applyDiff(d);
        scene.refresh(true);
        // Still /private (its ghost: it shows what happened to it), not the mount that got ID 4.
        QCOMPARE(selected(), QStringLiteral("/private"));
        QCOMPARE(host.nodes()[t->selectedNode()].change, Change::Removed);
        // Mounted again (a new ID): the selection is the mount at /private again.
        QVector<MountRow> again;
        for (const auto& n : host.nodes())
            if (n.change != Change::Removed)
                again << n.mount();
        const MountRow back = rowsOf("7 1 0:10 / /private rw - tmpfs c2 rw\n").front();
        again << back;
        host.setMounts(again);
        MountDiffRows remount;
        remount.added << back;
        host.applyDiff(remount);
        scene.refresh(true);
        QCOMPARE(selected(), QStringLiteral("/private"));
        QCOMPARE(host.nodes()[t->selectedNode()].mount().id, 7);
    }

    // After `chroot /c1/merged` the table has "/" and "/proc" twice: the process's own
    // (moved under the new root) and the namespace's, outside the root and still mounted.
    // The selection stays on the mount selected, by its ID, not on the other one at its point.
    void theSelectionKeepsItsMount_whenAChrootGivesAnotherMountItsPath()
    {
        MountForest c = forestOf("1 0 0:1 / / rw - ext4 root rw\n"
                                 "2 1 0:2 / /proc rw - proc proc rw\n"
                                 "3 1 0:3 / /c1 rw - tmpfs c1 rw\n"
                                 "4 3 0:4 / /c1/merged rw - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n"
                                 "5 4 0:5 / /c1/merged/proc rw - proc proc rw\n");
        MountTreeScene scene;
        scene.tree()->setForests(&c, nullptr);
        scene.refresh(false);
        MountTreeItem* t = scene.tree();
        auto selectedId = [&] { return t->selectedPane() < 0 ? -1 : c.nodes()[t->selectedNode()].mount().id; };
        const char* inRoot = "4 3 0:4 / / rw - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n"
                             "5 4 0:5 / /proc rw - proc proc rw\n";
        // The chroot: the table event, then the diff (the process's mounts moved, the others left).
        t->select(MountTreeItem::HostPane, c.indexOfId(5)); // the container's future /proc
        c.setMounts(rowsOf(inRoot));
        MountDiffRows chroot;
        const auto before = rowsOf("4 3 0:4 / /c1/merged rw - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n"
                                   "5 4 0:5 / /c1/merged/proc rw - proc proc rw\n");
        const auto after = rowsOf(inRoot);
        for (int i = 0; i < 2; ++i)
            chroot.changed << MountDiffRows::Changed{before[i], after[i], {QStringLiteral("target")}};
        chroot.removed << rowsOf("1 0 0:1 / / rw - ext4 root rw\n"
                                 "2 1 0:2 / /proc rw - proc proc rw\n"
                                 "3 1 0:3 / /c1 rw - tmpfs c1 rw\n");
        c.applyDiff(chroot, /*rootMayMove=*/true);
        scene.refresh(true);
        QCOMPARE(c.outsideRootCount(), 3);
        QCOMPARE(selectedId(), 5); // moved to /proc by the chroot: the same mount
        QCOMPARE(c.nodes()[t->selectedNode()].mount().target, QStringLiteral("/proc"));
        // The learner selects the namespace's /proc, outside the root; the next step's table
        // (a mount in the root) has an in-root /proc too.
        t->select(MountTreeItem::HostPane, c.indexOfId(2));
        QCOMPARE(c.nodes()[t->selectedNode()].change, Change::OutsideRoot);
        const auto mnt = rowsOf("6 4 0:6 / /mnt rw - tmpfs m rw\n");
        c.setMounts(rowsOf(inRoot) + mnt);
        MountDiffRows next;
        next.added << mnt;
        c.applyDiff(next);
        scene.refresh(true);
        QCOMPARE(selectedId(), 2);
        QCOMPARE(c.nodes()[t->selectedNode()].change, Change::OutsideRoot);
        // The in-root /proc selected stays that one too.
        t->select(MountTreeItem::HostPane, c.indexOfId(5));
        c.setMounts(rowsOf(inRoot) + mnt);
        c.applyDiff({});
        scene.refresh(true);
        QCOMPARE(selectedId(), 5);
    }

    void theMountinfoPanelNamesEveryField_withItsMeaning()
    {
        MountinfoPanel panel;
        panel.setLine(QStringLiteral("container /"),
                      QStringLiteral("48 47 0:40 / / rw,nosuid,relatime shared:1 - tmpfs labhost rw,size=262144k"));
        QCOMPARE(panel.fieldNames(),
                 (QStringList{"mount ID", "parent ID", "major:minor", "root", "mount point", "mount options",
                              "optional fields", "separator", "filesystem type", "source", "super options"}));
        QVERIFY(panel.explanationOf(QStringLiteral("optional fields"))
                    .contains(QLatin1String("peer group 1: mounts and unmounts here propagate to every peer")));
        panel.setLine({}, QStringLiteral("garbage"));
        QVERIFY(panel.fieldNames().isEmpty());
    }
};

QTEST_MAIN(TestGuiTree)
#include "tst_gui_tree.moc"
