// Diffs: one namespace over time (by mount ID), and runs against runs (normalised).
#include "mount/mountdiff.h"
#include "testutil.h"

using namespace mountlab;

namespace {
std::vector<Mount> table(const char* text)
{
    MountTable t = parse_mountinfo(text);
    if (!t.issues.empty())
        qFatal("%s", t.issues[0].message.c_str());
    return t.mounts;
}
} // namespace

class TestMountDiff : public QObject {
    Q_OBJECT
private slots:
    void addedRemovedChanged()
    {
        auto before = table("1 0 0:1 / / rw shared:1 - tmpfs r rw\n"
                            "2 1 0:2 / /a rw shared:2 - tmpfs a rw\n"
                            "3 1 0:3 / /b rw - tmpfs b rw\n");
        auto after = table("1 0 0:1 / / rw - tmpfs r rw\n"           // made private
                           "2 1 0:2 / /a ro shared:2 - tmpfs a rw\n" // remounted ro
                           "4 1 0:4 / /c rw - tmpfs c rw\n");        // 3 gone, 4 new
        MountDiff d = diff(before, after);
        QCOMPARE(d.added.size(), size_t(1));
        QCOMPARE(d.added[0].id, 4);
        QCOMPARE(d.removed.size(), size_t(1));
        QCOMPARE(d.removed[0].id, 3);
        QCOMPARE(d.changed.size(), size_t(2));
        QCOMPARE(d.changed[0].after.id, 1);
        QVERIFY(std::find(d.changed[0].fields.begin(), d.changed[0].fields.end(), "propagation") !=
                d.changed[0].fields.end());
        QCOMPARE(d.changed[1].fields, std::vector<std::string>{"vfs_options"});
        QVERIFY(diff(after, after).empty());
    }

    void reusedId_isAnotherMount()
    {
        auto before = table("1 0 0:1 / / rw - tmpfs r rw\n5 1 0:7 / /x rw - tmpfs x rw\n");
        auto after = table("1 0 0:1 / / rw - tmpfs r rw\n5 1 0:9 / /y rw - proc p rw\n");
        MountDiff d = diff(before, after);
        QCOMPARE(d.added.size(), size_t(1));
        QCOMPARE(d.removed.size(), size_t(1));
        QVERIFY(d.changed.empty());
    }

    void moveMount_keepsIdChangesTarget()
    {
        auto before = table("1 0 0:1 / / rw - tmpfs r rw\n5 1 0:7 / /x rw - tmpfs x rw\n");
        auto after = table("1 0 0:1 / / rw - tmpfs r rw\n5 1 0:7 / /moved rw - tmpfs x rw\n");
        MountDiff d = diff(before, after);
        QCOMPARE(d.changed.size(), size_t(1));
        QCOMPARE(d.changed[0].fields, std::vector<std::string>{"target"});
    }

    void normalised_ignoresIdsDevicesAndGroupNumbers()
    {
        MountTree run1(table("21 20 0:40 / / rw shared:4 - tmpfs r rw\n"
                             "22 21 0:41 / /a rw shared:9 - tmpfs a rw\n"
                             "23 21 0:41 / /b rw master:9 - tmpfs a rw\n"));
        MountTree run2(table("301 300 0:77 / / rw shared:12 - tmpfs r rw\n"
                             "302 301 0:78 / /a rw shared:13 - tmpfs a rw\n"
                             "305 301 0:78 / /b rw master:13 - tmpfs a rw\n"));
        QVERIFY(diff_normalised(normalise(run1), normalise(run2)).empty());
        // A real difference: /b is a slave of another group now.
        MountTree run3(table("301 300 0:77 / / rw shared:12 - tmpfs r rw\n"
                             "302 301 0:78 / /a rw shared:13 - tmpfs a rw\n"
                             "305 301 0:78 / /b rw master:12 - tmpfs a rw\n"));
        NormalDiff d = diff_normalised(normalise(run1), normalise(run3));
        QCOMPARE(d.changed.size(), size_t(1));
        QCOMPARE(d.changed[0].after.target, std::string("/b"));
        QCOMPARE(d.changed[0].fields, std::vector<std::string>{"master"});
    }

    void normalised_keepsOvermountsApart()
    {
        MountTree a(
            table("1 0 0:1 / / rw - tmpfs r rw\n2 1 0:2 / /x rw - tmpfs lower rw\n3 2 0:3 / /x rw - tmpfs upper rw\n"));
        auto n = normalise(a);
        QCOMPARE(n.size(), size_t(3));
        QCOMPARE(n[1].key(), std::string("/x"));
        QCOMPARE(n[1].source, std::string("lower"));
        QCOMPARE(n[2].key(), std::string("/x#1"));
        QCOMPARE(n[2].source, std::string("upper"));
        MountTree b(table("1 0 0:1 / / rw - tmpfs r rw\n2 1 0:2 / /x rw - tmpfs lower rw\n"));
        NormalDiff d = diff_normalised(normalise(b), n);
        QCOMPARE(d.added.size(), size_t(1));
        QCOMPARE(d.added[0].source, std::string("upper"));
    }
};

QTEST_GUILESS_MAIN(TestMountDiff)
#include "tst_mountdiff.moc"
