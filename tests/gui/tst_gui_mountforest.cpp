// The mount tables as the GUI models them, without a display: MountForest's diffs (a
// chroot, a move, normalised diffs, 10,000 mounts), MountTreeModel under
// QAbstractItemModelTester, and a mountinfo line and overlay options explained.
#include "modelevents.h"
#include "mountforest.h"
#include "mountinfofields.h"
#include "mounttreemodel.h"

#include "mount/mountinfo.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QtTest>

using namespace mountlab::gui;
using namespace mountlab::gui::test;

class TestGuiMountForest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mountForest_marksAddedRemovedAndChangedMounts()
    {
        MountForest f;
        const QList<QByteArray> before = {mountJson(1, 0, "/", "tmpfs", 1), mountJson(2, 1, "/proc", "proc", 2),
                                          mountJson(3, 1, "/mnt/old", "tmpfs", 3)};
        f.setMounts(rowsOf(before));
        QCOMPARE(targets(f), (QStringList{"/", "/proc", "/mnt/old"}));
        MountDiffRows d;
        d.added << rowsOf({mountJson(4, 2, "/proc/sys", "proc", 0)});
        d.removed << rowsOf({mountJson(3, 1, "/mnt/old", "tmpfs", 3)});
        MountDiffRows::Changed c{rowsOf({mountJson(1, 0, "/", "tmpfs", 1)}).front(),
                                 rowsOf({mountJson(1, 0, "/", "tmpfs", 0)}).front(),
                                 {QStringLiteral("propagation")}};
        d.changed << c;
        f.applyDiff(d);
        QCOMPARE(targets(f), (QStringList{"/", "/proc", "/proc/sys", "/mnt/old"}));
        QCOMPARE(f.nodes()[0].change, Change::Changed);
        QCOMPARE(f.nodes()[0].mount().propagation(), Propagation::Private);
        QCOMPARE(f.nodes()[2].change, Change::Added);
        QCOMPARE(f.nodes()[2].depth, 2);
        QCOMPARE(f.nodes()[3].change, Change::Removed);
        QCOMPARE(f.indexOfTarget(QStringLiteral("/mnt/old")), -1); // a ghost is not mounted
        // The next diff clears the ghost and the marks.
        f.applyDiff({});
        QCOMPARE(targets(f), (QStringList{"/", "/proc", "/proc/sys"}));
        QCOMPARE(f.changeCount(), 0);
    }

    void mountForest_afterChroot_marksTheMountsOutsideTheRoot_notGone()
    {
        // The container's table before `chroot /c1/merged`, then as its mountinfo reads
        // after: the same IDs, paths from the new root, nothing outside it.
        MountForest f;
        f.setMounts(
            rowsOf({mountJson(1, 0, "/", "ext4", 0), mountJson(2, 1, "/proc", "proc", 0),
                    mountJson(3, 1, "/c1", "tmpfs", 0), mountJson(4, 3, "/c1/merged", "overlay", 0),
                    mountJson(5, 4, "/c1/merged/proc", "proc", 0), mountJson(6, 4, "/c1/merged/mnt", "tmpfs", 0)}));
        const auto after = rowsOf({mountJson(4, 3, "/", "overlay", 0), mountJson(5, 4, "/proc", "proc", 0),
                                   mountJson(6, 4, "/mnt", "tmpfs", 0)});
        const auto before =
            rowsOf({mountJson(4, 3, "/c1/merged", "overlay", 0), mountJson(5, 4, "/c1/merged/proc", "proc", 0),
                    mountJson(6, 4, "/c1/merged/mnt", "tmpfs", 0)});
        MountDiffRows d;
        for (int i = 0; i < 3; ++i)
            d.changed << MountDiffRows::Changed{before[i], after[i], {QStringLiteral("target")}};
        d.removed << rowsOf(
            {mountJson(1, 0, "/", "ext4", 0), mountJson(2, 1, "/proc", "proc", 0), mountJson(3, 1, "/c1", "tmpfs", 0)});
        // The same diff after pivot_root . . and umount -l: those mounts are really gone.
        MountForest pivoted;
        pivoted.setMounts(after);
        pivoted.applyDiff(d, /*rootMayMove=*/false);
        QCOMPARE(pivoted.outsideRootCount(), 0);
        QCOMPARE(pivoted.nodes().last().change, Change::Removed);
        // What tells the two apart: the step's operations or its traced calls.
        const auto begin = [](const char* op) { return QJsonObject{{"op", QJsonArray{QJsonObject{{"op", op}}}}}; };
        QVERIFY(MountForest::stepMayMoveRoot(begin("chroot"), {}));
        QVERIFY(!MountForest::stepMayMoveRoot(begin("pivot_root_runc"), {}));
        QVERIFY(!MountForest::stepMayMoveRoot(begin("terminal"), {}));
        QVERIFY(MountForest::stepMayMoveRoot(begin("terminal"), {QStringLiteral("chroot")}));
        QVERIFY(
            !MountForest::stepMayMoveRoot(begin("terminal"), {QStringLiteral("chroot"), QStringLiteral("umount2")}));
        f.setMounts(after); // the table event comes first, then the diff
        f.applyDiff(d, /*rootMayMove=*/true);
        // The process's own tree first, then what its root no longer reaches, as it hangs.
        QCOMPARE(targets(f), (QStringList{"/", "/proc", "/mnt", "/", "/proc", "/c1"}));
        int removed = 0;
        for (const auto& n : f.nodes())
            removed += n.change == Change::Removed;
        QCOMPARE(removed, 0);
        for (int i = 3; i < 6; ++i)
            QCOMPARE(f.nodes()[i].change, Change::OutsideRoot);
        QCOMPARE(f.nodes()[0].depth, 0);
        QCOMPARE(f.nodes()[5].parent, 3); // /c1 under the namespace's /: its real IDs kept
        QCOMPARE(f.rootPath(), QStringLiteral("/c1/merged"));
        QCOMPARE(f.indexOfTarget(QStringLiteral("/")), 0); // "/" is the process's root now
        QCOMPARE(MountTreeModel::changeName(f.nodes()[3].change), QStringLiteral("outside root"));
        // The next step unmounts /mnt inside the root: that one is gone; the outside ones stay.
        f.setMounts(rowsOf({mountJson(4, 3, "/", "overlay", 0), mountJson(5, 4, "/proc", "proc", 0)}));
        MountDiffRows unmount;
        unmount.removed << after[2];
        f.applyDiff(unmount);
        QCOMPARE(f.outsideRootCount(), 3);
        bool gone = false;
        for (const auto& n : f.nodes())
            gone |= n.mount().target == QLatin1String("/mnt") && n.change == Change::Removed;
        QVERIFY(gone);
        QCOMPARE(f.rootPath(), QStringLiteral("/c1/merged"));
        // Another namespace: none of that is its.
        f.forgetOutsideRoot();
        QCOMPARE(f.outsideRootCount(), 0);
        QVERIFY(f.rootPath().isEmpty());
    }

    void mountForest_aMoveIsNotAChroot()
    {
        // One mount moved (MS_MOVE) /a/b → /b, nothing left: an unmount stays "gone".
        MountForest f;
        f.setMounts(rowsOf(
            {mountJson(1, 0, "/", "ext4", 0), mountJson(2, 1, "/x", "tmpfs", 0), mountJson(3, 1, "/b", "tmpfs", 0)}));
        MountDiffRows d;
        d.changed << MountDiffRows::Changed{rowsOf({mountJson(3, 1, "/a/b", "tmpfs", 0)}).front(),
                                            rowsOf({mountJson(3, 1, "/b", "tmpfs", 0)}).front(),
                                            {QStringLiteral("target")}};
        d.removed << rowsOf({mountJson(4, 1, "/gone", "tmpfs", 0)});
        f.applyDiff(d);
        QCOMPARE(f.outsideRootCount(), 0);
        QCOMPARE(f.nodes().last().change, Change::Removed);
    }

    void mountForest_matchesNormalisedDiffsByTarget()
    {
        MountForest f;
        f.setMounts(rowsOf({mountJson(48, 47, "/", "tmpfs", 1), mountJson(49, 48, "/mnt/leak", "tmpfs", 11)}));
        const QJsonObject diff = json(
            "{\"kind\":\"diff\",\"basis\":\"normalised\",\"added\":[],\"changed\":[], "
            "            \"removed\":[{\"target\":\"/mnt/gone\",\"stack\":0,\"parent_target\":\"/\",\"fstype\":\"tmpfs\",\"source\":\"x\",\"propagation\":\"private\"}]}");
        f.applyDiff(diffFromJson(diff));
        QCOMPARE(f.size(), 3);
        const auto& ghost = f.nodes()[2];
        QCOMPARE(ghost.mount().target, QStringLiteral("/mnt/gone"));
        QCOMPARE(ghost.change, Change::Removed);
        QCOMPARE(ghost.parent, 0); // hung under "/" by parent_target
    }

    void mountTreeModel_passesTheModelTester_throughTableAndDiff()
    {
        MountTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        MountForest f;
        f.setMounts(rowsOf({mountJson(1, 0, "/", "tmpfs", 1), mountJson(2, 1, "/a", "tmpfs", 0),
                            mountJson(3, 2, "/a/b", "tmpfs", 0, 1), mountJson(4, 1, "/c", "tmpfs", 1)}));
        model.setForest(f);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.rowCount(root), 2);
        const QModelIndex b = model.index(0, 0, model.index(0, 0, root));
        QCOMPARE(b.data().toString(), QStringLiteral("/a/b"));
        QCOMPARE(b.siblingAtColumn(MountTreeModel::GroupColumn).data().toString(), QStringLiteral("master:1"));
        QCOMPARE(Propagation(b.data(MountTreeModel::PropagationRole).toInt()), Propagation::Slave);
        MountDiffRows d;
        d.removed << rowsOf({mountJson(2, 1, "/a", "tmpfs", 0)});
        f.applyDiff(d);
        model.setForest(f);
        QCOMPARE(model.describe().size(), 4);
    }

    void overlayOptions_listLowerdirsUpperAndWork()
    {
        const OverlayLayers o = parseOverlayOptions(
            QStringLiteral("rw,lowerdir=/l/app:/l/tools:/l/base,upperdir=/c1/upper,workdir=/c1/work,uuid=on"));
        QCOMPARE(o.lowerdirs, (QStringList{"/l/app", "/l/tools", "/l/base"}));
        QCOMPARE(o.upperdir, QStringLiteral("/c1/upper"));
        QCOMPARE(o.workdir, QStringLiteral("/c1/work"));
        QVERIFY(parseOverlayOptions(QStringLiteral("rw,size=64k")).isEmpty());
        // As overlayfs writes a ',' or ':' inside a path, after mountinfo's own unescaping;
        // data-only layers (after "::") are not layers of the view.
        const OverlayLayers e =
            parseOverlayOptions(QStringLiteral("rw,lowerdir=/l\\,1:/l\\:2::/data,upperdir=/u\\,p,workdir=/w"));
        QCOMPARE(e.lowerdirs, (QStringList{"/l,1", "/l:2"}));
        QCOMPARE(e.upperdir, QStringLiteral("/u,p"));
        const OverlayLayers each =
            parseOverlayOptions(QStringLiteral("rw,lowerdir+=/l:2,lowerdir+=/base,upperdir=/u,workdir=/w"));
        QCOMPARE(each.lowerdirs, (QStringList{"/l:2", "/base"}));
    }

    void mountinfoLine_isExplainedFieldByField()
    {
        const auto fields = explainMountinfoLine(
            QStringLiteral("36 35 98:0 /mnt1 /mnt2 rw,noatime shared:1 master:2 - ext3 /dev/root rw,errors=continue"));
        QStringList names;
        for (const auto& f : fields)
            names << f.name;
        QCOMPARE(names, (QStringList{"mount ID", "parent ID", "major:minor", "root", "mount point", "mount options",
                                     "optional fields", "separator", "filesystem type", "source", "super options"}));
        QCOMPARE(fields[6].text, QStringLiteral("shared:1 master:2"));
        QVERIFY(fields[6].explain.contains(
            QLatin1String("peer group 1: mounts and unmounts here propagate to every peer")));
        QVERIFY(fields[6].explain.contains(QLatin1String("slave of peer group 2")));
        QVERIFY(fields[3].explain.contains(QLatin1String("bind")));
        QVERIFY(explainMountinfoLine(QStringLiteral("not a mountinfo line")).isEmpty());
    }

    void mountForest_from10000ParsedMounts_keepsEveryMountOnce()
    {
        QString text;
        text += QStringLiteral("1 0 0:1 / / rw shared:1 - tmpfs root rw\n");
        for (int i = 2; i <= 10000; ++i)
            text += QStringLiteral("%1 %2 0:%1 / /m/%1 rw - tmpfs t%1 rw\n").arg(i).arg(i < 100 ? 1 : i / 100);
        const auto table = mountlab::parse_mountinfo(text.toStdString());
        QVector<MountRow> rows;
        for (const auto& m : table.mounts)
            rows << mountFromCore(m);
        MountForest f;
        f.setMounts(rows);
        QCOMPARE(f.size(), 10000);
        QCOMPARE(f.roots().size(), 1);
        QSet<int> ids;
        for (const auto& n : f.nodes())
            ids.insert(n.mount().id);
        QCOMPARE(ids.size(), 10000);
    }
};

QTEST_GUILESS_MAIN(TestGuiMountForest)
#include "tst_gui_mountforest.moc"
