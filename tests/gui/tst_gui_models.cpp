// The GUI's models, without a display: each one under QAbstractItemModelTester, fed
// the event stream's JSON as the agent writes it.
#include "copyupmodel.h"
#include "engineclient.h"
#include "mountforest.h"
#include "mountinfofields.h"
#include "mounttreemodel.h"
#include "navigatormodel.h"
#include "session.h"
#include "tracemodel.h"

#include "mount/mountinfo.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QtTest>

using namespace mountlab::gui;

namespace {

QJsonObject json(const char* text) { return QJsonDocument::fromJson(QByteArray(text)).object(); }

const char* kWalkthrough =
    "{\"kind\":\"walkthrough\",\"stages\":[{\"id\":\"unshare\",\"title\":\"A mount namespace of its own\"},"
    "{\"id\":\"propagation\",\"title\":\"Propagation\"}],\"steps\":["
    "{\"index\":0,\"stage\":\"unshare\",\"id\":\"unshare-mount\",\"title\":\"Give the container its own mount namespace\","
    "\"shell\":\"unshare --mount\",\"syscall\":\"unshare(CLONE_NEWNS)\",\"explain\":\"copy\",\"where\":\"container\"},"
    "{\"index\":1,\"stage\":\"propagation\",\"id\":\"leak\",\"title\":\"Mount a tmpfs: it leaks\","
    "\"shell\":\"mount -t tmpfs leak /mnt/leak\",\"syscall\":\"mount(...)\",\"explain\":\"\",\"where\":\"container\"},"
    "{\"index\":2,\"stage\":\"propagation\",\"id\":\"unleak\",\"title\":\"Unmount it\","
    "\"shell\":\"umount /mnt/leak\",\"syscall\":\"umount2(...)\",\"explain\":\"\",\"where\":\"container\"}]}";

const char* kLessonPropagation =
    "{\"kind\":\"lesson\",\"id\":\"propagation\",\"title\":\"Propagation\",\"summary\":\"Peer groups.\","
    "\"file\":\"lessons/04-propagation.yaml\",\"prerequisites\":[\"mount-namespaces\"],\"steps\":["
    "{\"id\":\"leak\",\"title\":\"A mount leaks\",\"shell\":\"mount -t tmpfs leak /mnt/leak\",\"syscall\":\"mount(...)\","
    "\"text\":\"The lab host **sees** it.\",\"where\":\"container\"},"
    "{\"id\":\"private\",\"title\":\"Make / private\",\"shell\":\"mount --make-rprivate /\",\"syscall\":\"mount(...)\","
    "\"text\":\"Nothing propagates.\",\"where\":\"container\"}],"
    "\"exercises\":[{\"id\":\"private-tmpfs\",\"title\":\"A private tmpfs\",\"points\":10,\"task\":\"Mount it.\",\"hints\":[]}]}";

const char* kLessonOverlay =
    "{\"kind\":\"lesson\",\"id\":\"overlay\",\"title\":\"Overlay filesystems\",\"summary\":\"Layers.\",\"steps\":["
    "{\"id\":\"mount\",\"title\":\"Mount the layers\",\"shell\":\"mount -t overlay ...\",\"text\":\"Merged.\"}],"
    "\"exercises\":[]}";

QByteArray mountJson(int id, int parent, const char* target, const char* fstype, int peer, int master = 0,
                     const char* fsopts = "rw")
{
    const QString raw = QStringLiteral("%1 %2 0:40 / %3 rw,relatime %4 - %5 src %6")
                            .arg(id)
                            .arg(parent)
                            .arg(QLatin1String(target))
                            .arg(peer     ? QStringLiteral("shared:%1").arg(peer)
                                 : master ? QStringLiteral("master:%1").arg(master)
                                          : QString())
                            .arg(QLatin1String(fstype), QLatin1String(fsopts));
    return QStringLiteral(
               "{\"id\":%1,\"parent\":%2,\"target\":\"%3\",\"source\":\"src\",\"fstype\":\"%4\",\"fsroot\":\"/\",\"vfs-options\":\"rw,relatime\",\"fs-options\":\"%5\",\"peer_group\":%6,\"master\":%7,\"unbindable\":false,\"raw\":\"%8\"}")
        .arg(id)
        .arg(parent)
        .arg(QLatin1String(target), QLatin1String(fstype), QLatin1String(fsopts))
        .arg(peer ? QString::number(peer) : QStringLiteral("null"))
        .arg(master ? QString::number(master) : QStringLiteral("null"))
        .arg(raw.simplified())
        .toUtf8();
}

QByteArray tableLine(int step, const char* view, const QList<QByteArray>& mounts)
{
    return "{\"kind\":\"table\",\"step\":" + QByteArray::number(step) + ",\"view\":\"" + view +
           "\",\"mntns\":4026532177,\"mounts\":[" + mounts.join(',') + "]}";
}

QVector<MountRow> rowsOf(const QList<QByteArray>& mounts)
{
    QVector<MountRow> rows;
    for (const QByteArray& m : mounts)
        rows << mountFromJson(QJsonDocument::fromJson(m).object());
    return rows;
}

QStringList targets(const MountForest& f)
{
    QStringList out;
    for (const auto& n : f.nodes())
        out << n.mount().target;
    return out;
}

} // namespace

class TestGuiModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void navigator_walkthroughIsOneLesson_withStageHeadings()
    {
        NavigatorModel nav;
        QAbstractItemModelTester tester(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        nav.setWalkthrough(json(kWalkthrough));
        QCOMPARE(nav.rowCount(), 1);
        QCOMPARE(nav.rowCount(nav.index(0, 0)), 3);
        QCOMPARE(nav.stepCount(), 3);
        QCOMPARE(nav.flatIndexOf(QStringLiteral("propagation"), QStringLiteral("unleak")), 2);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("walkthrough"), 1), 1);
        const QModelIndex leak = nav.indexOfStep(1);
        QCOMPARE(leak.data(NavigatorModel::ShellRole).toString(), QStringLiteral("mount -t tmpfs leak /mnt/leak"));
        QCOMPARE(nav.flatIndex(leak), 1);
        QCOMPARE(nav.parent(leak), nav.index(0, 0));
        // A heading where a stage begins, none inside it.
        QCOMPARE(nav.indexOfStep(0).data(NavigatorModel::StageTitleRole).toString(),
                 QStringLiteral("A mount namespace of its own"));
        QCOMPARE(leak.data(NavigatorModel::StageTitleRole).toString(), QStringLiteral("Propagation"));
        QVERIFY(nav.indexOfStep(2).data(NavigatorModel::StageTitleRole).toString().isEmpty());
        nav.setStatus(1, StepStatus::Failed);
        QCOMPARE(StepStatus(leak.data(NavigatorModel::StatusRole).toInt()), StepStatus::Failed);
        QCOMPARE(StepStatus(nav.index(0, 0).data(NavigatorModel::StatusRole).toInt()), StepStatus::Failed);
        nav.resetStatuses();
        QCOMPARE(StepStatus(leak.data(NavigatorModel::StatusRole).toInt()), StepStatus::NotRun);
    }

    void navigator_lessonsFollowTheWalkthrough_andEachHasItsOwnLab()
    {
        NavigatorModel nav;
        QAbstractItemModelTester tester(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The agent sends the lessons before the walkthrough; the walkthrough still comes first.
        nav.addLesson(json(kLessonPropagation));
        nav.addLesson(json(kLessonOverlay));
        nav.setWalkthrough(json(kWalkthrough));
        QCOMPARE(nav.groupCount(), 3);
        QCOMPARE(nav.group(0).id, QStringLiteral("walkthrough"));
        QCOMPARE(nav.group(1).id, QStringLiteral("propagation"));
        QCOMPARE(nav.index(1, 0).data().toString(), QStringLiteral("1. Propagation"));
        QCOMPARE(nav.active(), 0);
        QCOMPARE(nav.current(), 0);
        QCOMPARE(nav.groupStart(1), 3);
        QCOMPARE(nav.groupStart(2), 5);
        QCOMPARE(nav.stepCount(), 6);
        // The lesson "propagation" and the walkthrough's stage "propagation" both have a
        // step "leak": the lesson and index tell them apart.
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("propagation"), 0), 3);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("propagation"), 2), -1);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("nope"), 0), -1);
        QVERIFY(nav.step(3).markdown);
        QCOMPARE(nav.step(3).explain, QStringLiteral("The lab host **sees** it."));
        QCOMPARE(nav.group(1).exercises.size(), 1);
        QCOMPARE(nav.group(1).prerequisites, QStringList{QStringLiteral("mount-namespaces")});
        QCOMPARE(nav.indexOfStep(4).data(NavigatorModel::PositionRole).toInt(), 2);
        QVERIFY(nav.indexOfStep(3).data(NavigatorModel::StageTitleRole).toString().isEmpty());
        // Running the lesson: it becomes the active one; its steps pass; it is completed.
        QSignalSpy active(&nav, &NavigatorModel::activeChanged);
        nav.setActive(1);
        QCOMPARE(active.size(), 1);
        QVERIFY(nav.index(1, 0).data(NavigatorModel::IsActiveRole).toBool());
        QVERIFY(!nav.index(0, 0).data(NavigatorModel::IsActiveRole).toBool());
        nav.setStatus(3, StepStatus::Passed);
        nav.setStatus(4, StepStatus::Passed);
        nav.setCurrent(5);
        QVERIFY(nav.group(1).completed);
        QCOMPARE(nav.index(1, 0).data().toString(), QStringLiteral("✓ 1. Propagation  2/2"));
        // A fresh lab for the lesson: its steps not run, the next its first; done stays.
        nav.resetGroup(1);
        QCOMPARE(nav.current(), 3);
        QCOMPARE(nav.step(4).status, StepStatus::NotRun);
        QVERIFY(nav.group(1).completed);
        QCOMPARE(nav.index(1, 0).data().toString(), QStringLiteral("✓ 1. Propagation"));
        // A lesson sent again replaces the old one.
        nav.addLesson(json(kLessonOverlay));
        QCOMPARE(nav.groupCount(), 3);
        QCOMPARE(nav.groupIndexOf(nav.indexOfStep(5)), 2);
        QCOMPARE(nav.groupIndexOf(nav.index(2, 0)), 2);
    }

    // A lesson step's prediction reaches the navigator whole (the step panel asks it).
    void navigator_keepsAStepsPrediction()
    {
        NavigatorModel nav;
        nav.setWalkthrough(json(kWalkthrough));
        const QJsonObject predict{
            {"question", "Where?"}, {"choices", QJsonArray{"here", "there"}}, {"answer", 1}, {"why", "peers"}};
        nav.addLesson(QJsonObject{{"kind", "lesson"},
                                  {"id", "p"},
                                  {"title", "P"},
                                  {"steps", QJsonArray{QJsonObject{{"id", "a"}, {"title", "A"}, {"predict", predict}},
                                                       QJsonObject{{"id", "b"}, {"title", "B"}}}}});
        const int g = nav.groupIndex(QStringLiteral("p"));
        QCOMPARE(nav.step(nav.groupStart(g)).predict, predict);
        QVERIFY(nav.step(nav.groupStart(g) + 1).predict.isEmpty());
    }

    void navigator_acceptsAnyLessonList()
    {
        NavigatorModel nav;
        QAbstractItemModelTester tester(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        NavStep a;
        a.index = 0;
        a.id = QStringLiteral("one");
        a.title = QStringLiteral("first");
        NavStep b = a;
        b.index = 1;
        b.id = QStringLiteral("two");
        nav.setGroups({NavGroup{QStringLiteral("lesson-a"), QStringLiteral("Lesson A"), {a, b}},
                       NavGroup{QStringLiteral("lesson-b"), QStringLiteral("Lesson B"), {a}}});
        QCOMPARE(nav.name(), QStringLiteral("Lesson A"));
        QCOMPARE(nav.stepCount(), 3);
        QCOMPARE(nav.groupOf(2), 1);
    }

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

    void traceModel_showsCallsInTheirArgumentOrder_withErrnoNames()
    {
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QByteArray ok =
            "{\"kind\":\"syscall\",\"name\":\"mount\",\"args\":{\"source\":\"leak\",\"target\":\"/mnt/leak\",\"filesystemtype\":\"tmpfs\",\"mountflags\":\"0\",\"data\":null},\"ret\":0,\"errno\":null,\"pid\":7,\"tid\":7,\"comm\":\"container\",\"mntns_before\":4026532250,\"mntns_after\":4026532250,\"ts_ns\":1000000,\"latency_ns\":34900,\"step\":2}";
        const QByteArray bad =
            "{\"kind\":\"syscall\",\"name\":\"pivot_root\",\"args\":{\"new_root\":\"/c2\",\"put_old\":\"/c2/old\"},\"ret\":-1,\"errno\":\"EBUSY\",\"pid\":7,\"tid\":7,\"comm\":\"container\",\"mntns_before\":4026532250,\"mntns_after\":4026532250,\"ts_ns\":3000000,\"latency_ns\":1200,\"step\":22}";
        model.setNamespaceName(4026532250, QStringLiteral("container"));
        model.addRow(traceRowFromEvent(QJsonDocument::fromJson(ok).object(), ok));
        model.addRow(traceRowFromEvent(QJsonDocument::fromJson(bad).object(), bad));
        QCOMPARE(model.index(0, TraceModel::CallColumn).data().toString(),
                 QStringLiteral("mount(\"leak\", \"/mnt/leak\", \"tmpfs\", 0, NULL)"));
        QCOMPARE(model.index(1, TraceModel::ResultColumn).data().toString(), QStringLiteral("-1 EBUSY"));
        // Times count from the step's start (its first call), not from the session's.
        QCOMPARE(model.index(0, TraceModel::TimeColumn).data().toString(), QStringLiteral("+0.00 ms"));
        QCOMPARE(model.index(1, TraceModel::TimeColumn).data().toString(), QStringLiteral("+0.00 ms"));
        QByteArray later = bad;
        later.replace("\"ts_ns\":3000000", "\"ts_ns\":3500000");
        model.addRow(traceRowFromEvent(QJsonDocument::fromJson(later).object(), later));
        QCOMPARE(model.index(2, TraceModel::TimeColumn).data().toString(), QStringLiteral("+0.50 ms"));
        QVERIFY(model.index(2, TraceModel::TimeColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("2.500 ms into the session")));
        QCOMPARE(model.index(0, TraceModel::LatencyColumn).data().toString(), QStringLiteral("34.9 µs"));
        QVERIFY(model.index(0, TraceModel::MntNsColumn).data().toString().contains(QLatin1String("container")));
        QCOMPARE(model.index(0, 0).data(TraceModel::TargetPathRole).toString(), QStringLiteral("/mnt/leak"));
        QCOMPARE(model.index(1, 0).data(TraceModel::TargetPathRole).toString(), QStringLiteral("/c2"));
        QVERIFY(model.index(1, 0).data(TraceModel::IsErrorRole).toBool());
    }

    void copyUpModel_putsLayersInColumns_bottomFirst_upperLast()
    {
        CopyUpModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":8,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\",\"/l/tools\",\"/l/base\"], "
            "            \"changes\":[{\"path\":\"/etc\",\"kind\":\"copied-up-dir\",\"upper_path\":\"/c1/upper/etc\"},{\"path\":\"/etc/motd\",\"kind\":\"copied-up\",\"upper_path\":\"/c1/upper/etc/motd\"}], "
            "            \"lower\":{\"layer\":\"/l/tools\",\"path\":\"/l/tools/etc/motd\",\"unchanged\":true}}"));
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":9,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\",\"/l/tools\",\"/l/base\"], "
            "            \"changes\":[{\"path\":\"/var/log/base.log\",\"kind\":\"whiteout\",\"upper_path\":\"/c1/upper/var/log/base.log\"}], "
            "            \"lower\":{\"layer\":\"/l/base\",\"path\":\"/l/base/var/log/base.log\",\"unchanged\":true}}"));
        QCOMPARE(model.layers(), (QStringList{"/l/base", "/l/tools", "/l/app", "/c1/upper"}));
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("/etc/motd"));
        QCOMPARE(model.index(1, 4).data(CopyUpModel::KindRole).toString(), QStringLiteral("copied-up"));
        QCOMPARE(model.index(1, 2).data().toString(), QStringLiteral("original, untouched")); // tools
        QVERIFY(model.index(1, 1).data().toString().isEmpty());                               // base
        QVERIFY(model.index(2, 4).data().toString().contains(QLatin1String("whiteout")));
        QVERIFY(model.index(2, 0).data(CopyUpModel::IsLatestRole).toBool());
        QVERIFY(!model.index(1, 0).data(CopyUpModel::IsLatestRole).toBool());
    }

    void copyUpModel_showsEachPathsCurrentState_andTheHistoryOnDemand()
    {
        CopyUpModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // /app/config deleted (a whiteout), then made again as a directory (opaque).
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":8,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\"], "
            "\"changes\":[{\"path\":\"/app/config\",\"kind\":\"whiteout\",\"upper_path\":\"/c1/upper/app/config\"},"
            "{\"path\":\"/etc/motd\",\"kind\":\"copied-up\",\"upper_path\":\"/c1/upper/etc/motd\"}],\"lower\":null}"));
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":9,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\"], "
            "\"changes\":[{\"path\":\"/app/config\",\"kind\":\"opaque-dir\",\"upper_path\":\"/c1/upper/app/config\"}],"
            "\"lower\":null}"));
        QVERIFY(!model.showsHistory());
        QCOMPARE(model.describe(), (QStringList{"8 /etc/motd copied-up", "9 /app/config opaque-dir"}));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("/app/config"));
        QVERIFY(model.index(1, 2).data().toString().contains(QLatin1String("opaque")));
        model.setShowHistory(true);
        QCOMPARE(model.describe(),
                 (QStringList{"8 /app/config whiteout", "8 /etc/motd copied-up", "9 /app/config opaque-dir"}));
        model.setShowHistory(false);
        QCOMPARE(model.rowCount(), 2);
    }

    void traceModel_anEmptyTableSaysWhy()
    {
        TraceModel::EmptyState off{false, QStringLiteral("no BPF and not root"), true, {}, false};
        QVERIFY(TraceModel::emptyText(off).contains(QLatin1String("tracing is off (no BPF and not root)")));
        TraceModel::EmptyState quiet{true, {}, true, {}, true};
        QVERIFY(TraceModel::emptyText(quiet).contains(QLatin1String("This step made no mount-family call")));
        TraceModel::EmptyState filtered{true, {}, true, QStringLiteral("pivot"), true};
        QVERIFY(TraceModel::emptyText(filtered).contains(QLatin1String("No traced call matches \"pivot\"")));
    }

    void session_buildsTheViewsFromTheStream_andMarksTheNavigator()
    {
        Session s;
        QAbstractItemModelTester t1(s.hostModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(s.containerModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(s.navigator(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        s.handleLine("{\"kind\":\"session\",\"v\":1,\"rootless\":false,\"host_mntns\":4026532177,\"trace\":\"bpf\"}");
        s.handleLine(QByteArray(kWalkthrough).replace('\n', ' '));
        const QList<QByteArray> base = {mountJson(64, 42, "/", "tmpfs", 1)};
        s.handleLine(tableLine(0, "host", base));
        s.handleLine(tableLine(0, "container", base));
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":1,\"stage\":\"propagation\",\"id\":\"leak\",\"title\":\"t\",\"where\":\"container\"}");
        QCOMPARE(StepStatus(s.navigator()->indexOfStep(1).data(NavigatorModel::StatusRole).toInt()),
                 StepStatus::Running);
        const QList<QByteArray> after = {mountJson(64, 42, "/", "tmpfs", 1),
                                         mountJson(62, 64, "/mnt/leak", "tmpfs", 11)};
        s.handleLine(tableLine(1, "host", after));
        s.handleLine("{\"kind\":\"diff\",\"step\":1,\"view\":\"host\",\"added\":[" +
                     mountJson(62, 64, "/mnt/leak", "tmpfs", 11) + "],\"removed\":[],\"changed\":[]}");
        s.handleLine("{\"kind\":\"step\",\"phase\":\"end\",\"step\":1,\"ok\":true,\"passed\":true,\"data\":{}}");
        QCOMPARE(StepStatus(s.navigator()->indexOfStep(1).data(NavigatorModel::StatusRole).toInt()),
                 StepStatus::Passed);
        QCOMPARE(s.navigator()->current(), 2);
        const int leak = s.host().indexOfTarget(QStringLiteral("/mnt/leak"));
        QVERIFY(leak >= 0);
        QCOMPARE(s.host().nodes()[leak].change, Change::Added);
        QCOMPARE(s.recorded().size(), 8);
        // A console command's output.
        QSignalSpy console(&s, &Session::consoleOutput);
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":2,\"stage\":\"console\",\"id\":\"exec\",\"where\":\"container\"}");
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"end\",\"step\":2,\"ok\":true,\"passed\":true,\"data\":{\"stdout\":\"hi\\n\",\"stderr\":\"\",\"exit_code\":0}}");
        QCOMPARE(console.size(), 1);
        QCOMPARE(console.front().front().toString(), QStringLiteral("hi\n"));
        // A fresh lab starts the walkthrough over.
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":3,\"stage\":\"lab\",\"id\":\"reset-lab\",\"where\":\"lab\"}");
        QCOMPARE(s.navigator()->current(), 0);
    }

    void session_placesStepsByLessonAndIndex_andMovesTheLabBetweenLessons()
    {
        Session s;
        QAbstractItemModelTester t(s.navigator(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy catalog(&s, &Session::catalogChanged);
        QSignalSpy loaded(&s, &Session::walkthroughLoaded);
        s.handleLine(QByteArray(kLessonPropagation));
        s.handleLine(QByteArray(kLessonOverlay));
        s.handleLine(QByteArray(kWalkthrough));
        QCOMPARE(catalog.size(), 3);
        QCOMPARE(loaded.size(), 1);
        NavigatorModel* nav = s.navigator();
        auto begin = [&](int step, const char* stage, const char* id, const char* lesson, int index) {
            QByteArray line = "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":" + QByteArray::number(step) +
                              ",\"stage\":\"" + stage + "\",\"id\":\"" + id + "\",\"where\":\"" +
                              (qstrcmp(stage, "lab") == 0 ? "lab" : "container") + "\"";
            if (lesson)
                line += ",\"lesson\":\"" + QByteArray(lesson) + "\",\"index\":" + QByteArray::number(index);
            s.handleLine(line + "}");
        };
        auto end = [&](int step, bool passed) {
            s.handleLine("{\"kind\":\"step\",\"phase\":\"end\",\"step\":" + QByteArray::number(step) +
                         ",\"ok\":true,\"passed\":" + (passed ? "true" : "false") + ",\"data\":{}}");
        };
        // The walkthrough's "leak" (stage propagation) is not the lesson propagation's "leak".
        begin(1, "unshare", "unshare-mount", "walkthrough", 0);
        end(1, true);
        begin(2, "propagation", "leak", "walkthrough", 1);
        QCOMPARE(s.lastFlat(), 1);
        end(2, true);
        QCOMPARE(nav->active(), 0);
        QCOMPARE(nav->current(), 2);
        // The lab moves to the lesson: a reset first (it resets the walkthrough), then its steps.
        begin(3, "lab", "reset-lab", nullptr, 0);
        end(3, true);
        QCOMPARE(nav->current(), 0);
        QCOMPARE(nav->step(1).status, StepStatus::NotRun);
        begin(4, "propagation", "leak", "propagation", 0);
        QCOMPARE(s.lastFlat(), 3);
        QCOMPARE(nav->active(), 1);
        QCOMPARE(nav->step(3).status, StepStatus::Running);
        QCOMPARE(nav->step(1).status, StepStatus::NotRun);
        end(4, false);
        QCOMPARE(nav->step(3).status, StepStatus::Failed);
        QCOMPARE(nav->current(), 4);
        // A reset now starts the lesson over, not the walkthrough.
        begin(5, "lab", "reset-lab", nullptr, 0);
        end(5, true);
        QCOMPARE(nav->active(), 1);
        QCOMPARE(nav->current(), 3);
        QCOMPARE(nav->step(3).status, StepStatus::NotRun);
        // A recording made before steps said their lesson: matched by stage and id.
        begin(6, "overlay", "mount", nullptr, 0);
        QCOMPARE(s.lastFlat(), 5);
        QCOMPARE(nav->active(), 2);
        end(6, true);
        QCOMPARE(nav->current(), 6);
        // A fresh lab for another lesson: that lesson starts; the one left keeps its marks.
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":8,\"stage\":\"lab\",\"id\":\"reset-lab\",\"where\":\"lab\","
            "\"op\":{\"op\":\"reset_lab\",\"lesson\":\"walkthrough\"}}");
        end(8, true);
        QCOMPARE(nav->active(), 0);
        QCOMPARE(nav->current(), 0);
        QCOMPARE(nav->step(5).status, StepStatus::Passed);
        // A console command is not a navigator step.
        begin(9, "console", "exec", nullptr, 0);
        QCOMPARE(s.lastFlat(), -1);
        end(9, true);
        QCOMPARE(nav->current(), 0);
    }

    void session_keepsOnlyTheLabsCalls_fromAMachineWideTrace()
    {
        Session s;
        s.handleLine("{\"kind\":\"session\",\"v\":1,\"host_mntns\":100,\"trace\":\"none\"}");
        s.handleTraceLine(
            "{\"kind\":\"syscall\",\"name\":\"mount\",\"args\":{\"target\":\"/elsewhere\"},\"ret\":0,\"errno\":null,\"pid\":1,\"comm\":\"other\",\"mntns_before\":5,\"mntns_after\":5,\"ts_ns\":1,\"latency_ns\":1}");
        s.handleTraceLine(
            "{\"kind\":\"syscall\",\"name\":\"unshare\",\"args\":{\"flags\":\"CLONE_NEWNS\"},\"ret\":0,\"errno\":null,\"pid\":2,\"comm\":\"container\",\"mntns_before\":100,\"mntns_after\":200,\"ts_ns\":2,\"latency_ns\":1}");
        s.handleTraceLine(
            "{\"kind\":\"syscall\",\"name\":\"mount\",\"args\":{\"target\":\"/mnt/x\"},\"ret\":0,\"errno\":null,\"pid\":2,\"comm\":\"container\",\"mntns_before\":200,\"mntns_after\":200,\"ts_ns\":3,\"latency_ns\":1}");
        QCOMPARE(s.trace()->rowCount(), 2);
        QCOMPARE(s.trace()->row(1).targetPath(), QStringLiteral("/mnt/x"));
        // Both views start in the lab host's namespace: it keeps its name.
        s.handleLine(tableLine(0, "container", {mountJson(1, 0, "/", "tmpfs", 1)}).replace("4026532177", "100"));
        QCOMPARE(s.trace()->namespaceName(100), QStringLiteral("lab host"));
    }

    void recording_isCutIntoOneFramePerStep()
    {
        const QVector<QByteArray> lines = {"{\"kind\":\"session\",\"v\":1}",
                                           "{\"kind\":\"walkthrough\"}",
                                           "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":1}",
                                           "{\"kind\":\"step\",\"phase\":\"end\",\"step\":1}",
                                           "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":2}",
                                           "{\"kind\":\"summary\"}"};
        const Recording r = Recording::fromLines(lines);
        QCOMPARE(r.frameCount(), 3);
        QCOMPARE(r.frameStarts, (QVector<int>{0, 2, 4}));
        QTemporaryFile bad;
        QVERIFY(bad.open());
        bad.write("{\"kind\":\"table\"}\n");
        bad.close();
        Recording out;
        QString error;
        QVERIFY(!Recording::load(bad.fileName(), &out, &error));
        QVERIFY(error.contains(QLatin1String("not a MountLab recording")));
    }

    void navigator_20000Lessons_areAddedRowByRow_eachFoundByItsId()
    {
        // A hostile catalogue: each lesson used to copy every lesson before it and reset
        // the model (37 s for 20,000). Now rows are inserted; the timing is bench_gui_lessons.
        NavigatorModel nav;
        QSignalSpy resets(&nav, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&nav, &QAbstractItemModel::rowsInserted);
        nav.setWalkthrough(json(kWalkthrough));
        const int n = 20000;
        for (int i = 0; i < n; ++i)
            nav.addLesson(QJsonObject{{"kind", "lesson"},
                                      {"id", QStringLiteral("l%1").arg(i)},
                                      {"title", QStringLiteral("Lesson %1").arg(i)},
                                      {"steps", QJsonArray{QJsonObject{{"id", "a"}, {"title", "A"}, {"text", "x"}},
                                                           QJsonObject{{"id", "b"}, {"title", "B"}, {"text", "y"}}}}});
        QCOMPARE(resets.size(), 1); // the walkthrough's; none per lesson
        QCOMPARE(inserted.size(), n);
        QCOMPARE(nav.groupCount(), n + 1);
        QCOMPARE(nav.stepCount(), 3 + 2 * n);
        QCOMPARE(nav.rowCount(), n + 1);
        for (int i : {0, 1, 9999, n - 1}) {
            const int g = nav.groupIndex(QStringLiteral("l%1").arg(i));
            QCOMPARE(g, i + 1);
            QCOMPARE(nav.groupStart(g), 3 + 2 * i);
            QCOMPARE(nav.flatIndexOfStep(QStringLiteral("l%1").arg(i), 1), 3 + 2 * i + 1);
            QCOMPARE(nav.step(3 + 2 * i + 1).title, QStringLiteral("B"));
            QCOMPARE(nav.groupOf(3 + 2 * i), g);
            QCOMPARE(nav.index(1, 0, nav.indexOfGroup(g)).data(NavigatorModel::FlatIndexRole).toInt(), 3 + 2 * i + 1);
        }
        QCOMPARE(nav.current(), 0);
        QCOMPARE(nav.active(), 0);
    }

    void navigator_lessonsAddedOneByOne_passTheModelTester_andAReplacedLessonKeepsItsPlace()
    {
        NavigatorModel nav;
        QAbstractItemModelTester t(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        nav.addLesson(json(kLessonPropagation));
        nav.setWalkthrough(json(kWalkthrough)); // first, whenever it comes
        nav.addLesson(json(kLessonOverlay));
        QCOMPARE(nav.groupIndex(QStringLiteral("walkthrough")), 0);
        QCOMPARE(nav.groupIndex(QStringLiteral("propagation")), 1);
        QCOMPARE(nav.groupIndex(QStringLiteral("overlay")), 2);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("overlay"), 0), 5);
        // Every step ran: "next" is past the end; a lesson that comes later is next.
        nav.setCurrent(nav.stepCount());
        nav.addLesson(json(
            "{\"kind\":\"lesson\",\"id\":\"late\",\"title\":\"Late\",\"steps\":[{\"id\":\"x\",\"title\":\"X\"}]}"));
        QCOMPARE(nav.current(), nav.groupStart(3));
        // The same id again replaces the lesson where it is.
        nav.addLesson(
            json("{\"kind\":\"lesson\",\"id\":\"propagation\",\"title\":\"Propagation again\",\"steps\":[]}"));
        QCOMPARE(nav.groupCount(), 4);
        QCOMPARE(nav.group(1).title, QStringLiteral("Propagation again"));
        QCOMPARE(nav.groupIndex(QStringLiteral("overlay")), 2);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("overlay"), 0), 3);
    }

    void navigator_toolTipsShowMarkupTitlesAsText()
    {
        NavigatorModel nav;
        nav.addLesson(json("{\"kind\":\"lesson\",\"id\":\"x\",\"title\":\"<img src=file:///etc/x.png>\",\"steps\":"
                           "[{\"id\":\"a\",\"title\":\"<b>GRADED</b>\",\"shell\":\"a && b\"}]}"));
        const QString lessonTip = nav.indexOfGroup(0).data(Qt::ToolTipRole).toString();
        const QString stepTip = nav.indexOfStep(0).data(Qt::ToolTipRole).toString();
        QVERIFY2(lessonTip.contains(QLatin1String("&lt;img src=file:///etc/x.png&gt;")) &&
                     !lessonTip.contains(QLatin1String("<img")),
                 qPrintable(lessonTip));
        QVERIFY2(stepTip.contains(QLatin1String("&lt;b&gt;GRADED&lt;/b&gt;\n$ a &amp;&amp; b")), qPrintable(stepTip));
        QVERIFY(stepTip.startsWith(QLatin1String("<p"))); // read as rich text: the escapes show as the characters
    }

    void session_takesAtMostkMaxLessonsFromARecording_andSaysSo()
    {
        Session s;
        QSignalSpy log(&s, &Session::logMessage);
        s.handleLine("{\"kind\":\"session\",\"v\":1}");
        const int n = 20000;
        for (int i = 0; i < n; ++i)
            s.handleLine(
                QStringLiteral(
                    "{\"kind\":\"lesson\",\"id\":\"l%1\",\"title\":\"L\",\"steps\":[{\"id\":\"a\",\"title\":\"A\"}]}")
                    .arg(i)
                    .toUtf8());
        QCOMPARE(s.navigator()->groupCount(), Session::kMaxLessons);
        QCOMPARE(s.navigator()->group(Session::kMaxLessons - 1).id,
                 QStringLiteral("l%1").arg(Session::kMaxLessons - 1));
        QCOMPARE(log.size(), 1); // once, not per dropped lesson
        QCOMPARE(log.at(0).at(0).toString(), QStringLiteral("warning"));
        QVERIFY2(
            log.at(0).at(1).toString().contains(QStringLiteral("only the first %1 lessons").arg(Session::kMaxLessons)),
            qPrintable(log.at(0).at(1).toString()));
        // The rest of the recording still plays: a step of a kept lesson runs.
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":1,\"stage\":\"l7\",\"id\":\"a\",\"lesson\":\"l7\",\"index\":0,\"where\":\"container\"}");
        QCOMPARE(s.lastFlat(), 7);
        // An event past the size cap is skipped, with its own warning; a new session starts afresh.
        s.handleLine("{\"kind\":\"log\",\"level\":\"info\",\"message\":\"" + QByteArray(Session::kMaxLineBytes, 'x') +
                     "\"}");
        QCOMPARE(log.size(), 2);
        QVERIFY(log.at(1).at(1).toString().contains(QLatin1String("skipped")));
        s.clear();
        s.handleLine("{\"kind\":\"lesson\",\"id\":\"again\",\"title\":\"L\",\"steps\":[]}");
        QCOMPARE(s.navigator()->groupCount(), 1);
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

QTEST_GUILESS_MAIN(TestGuiModels)
#include "tst_gui_models.moc"
