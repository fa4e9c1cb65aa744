// MountTree: structure, overmounts, roots outside the table, deep chains.
#include "mount/mountjson.h"
#include "mount/mounttree.h"
#include "mount/treeprinter.h"
#include "testutil.h"

#include <nlohmann/json.hpp>

using namespace mountlab;

namespace {
MountTree fixture(const char* name)
{
    auto t = read_mountinfo_file(test::data_path(QString("mountinfo/") + name).toStdString());
    if (!t)
        qFatal("%s", t.error().message.c_str());
    return MountTree(std::move(*t));
}

// A chain n deep: each mount the child of the one before. Stacked on one target (as
// repeated mounts on /stack make it) so the text stays small.
std::string chain(int n)
{
    std::string text;
    text.reserve(static_cast<size_t>(n) * 40);
    for (int i = 1; i <= n; ++i)
        text += fmt::format("{} {} 0:{} / {} rw - tmpfs t{} rw\n", i, i - 1, i, i == 1 ? "/" : "/stack", i);
    return text;
}
} // namespace

class TestMountTree : public QObject {
    Q_OBJECT
private slots:
    void vmHost_rootFoundWhateverTheLineOrder()
    {
        MountTree t = fixture("vm-host.mountinfo");
        QCOMPARE(t.roots().size(), size_t(1));
        const Mount& root = t[t.roots()[0]];
        QCOMPARE(root.target, std::string("/"));
        QCOMPARE(root.id, 27);
        QVERIFY(!t.parent_in_table(t.roots()[0]));
        QCOMPARE(t.preorder().size(), t.size());
        QCOMPARE(t.preorder().front().index, t.roots()[0]);
        // /dev/pts (29) sits on /dev/pts (26): same target, so 26 is covered.
        const size_t pts = t.find(26);
        QCOMPARE(t[t.covered_by(pts)].id, 29);
        QVERIFY(!t.visible(pts));
        QVERIFY(t.visible(t.find(29)));
        QCOMPARE(t.children(t.find(31)).size(), size_t(10)); // the cgroup controllers
    }

    void pivotedContainer_rootParentOutsideTable()
    {
        MountTree t = fixture("userns-container-after-pivot.mountinfo");
        QCOMPARE(t.roots().size(), size_t(1));
        const size_t r = t.roots()[0];
        QCOMPARE(t[r].id, 68);
        QCOMPARE(t[r].parent_id, 43);
        QVERIFY(!t.parent_in_table(r));
        QCOMPARE(t.children(r).size(), size_t(2));
    }

    void overmountStack_topIsVisible()
    {
        MountTree t = fixture("propagation-escapes-overlay.mountinfo");
        const size_t first = t.find(73), second = t.find(74), third = t.find(75);
        QCOMPARE(t.covered_by(first), second);
        QCOMPARE(t.covered_by(second), third);
        QCOMPARE(t.covered_by(third), MountTree::npos);
        QVERIFY(!t.visible(first));
        QVERIFY(!t.visible(second));
        QVERIFY(t.visible(third));
        QCOMPARE(t.stack(second), (std::vector<size_t>{first, second, third}));
        QCOMPARE(t.find_target("/tmp/fx/over"), third);
        // /dev/shm twice in this fixture too.
        QVERIFY(!t.visible(t.find(61)));
        QVERIFY(t.visible(t.find(62)));
    }

    void pathToRoot_goesUpToTheRoot()
    {
        MountTree t = fixture("propagation-escapes-overlay.mountinfo");
        std::vector<int> ids;
        for (size_t i : t.path_to_root(t.find(75)))
            ids.push_back(t[i].id);
        QCOMPARE(ids, (std::vector<int>{75, 74, 73, 65, 44}));
        QCOMPARE(t.depth(t.find(75)), 4);
    }

    void mountUnderCoveredPath_isShadowed()
    {
        // /a/b was mounted on the root filesystem; /a was mounted later on top of
        // the root's /a directory, hiding /a/b.
        MountTree t(parse_mountinfo("1 0 0:1 / / rw - tmpfs r rw\n"
                                    "2 1 0:2 / /a/b rw - tmpfs b rw\n"
                                    "3 1 0:3 / /a rw - tmpfs a rw\n")
                        .mounts);
        QVERIFY(t.visible(t.find(1)));
        QVERIFY(!t.visible(t.find(2)));
        QVERIFY(t.visible(t.find(3)));
    }

    void parentCycle_everyMountOnce()
    {
        MountTree t(
            parse_mountinfo("1 2 0:1 / /x rw - tmpfs r rw\n2 1 0:2 / /y rw - tmpfs b rw\n3 3 0:3 / / rw - tmpfs s rw\n")
                .mounts);
        QCOMPARE(t.preorder().size(), size_t(3));
        QCOMPARE(t.roots().size(), size_t(2)); // 3 (its own parent) and the cycle broken at 1
    }

    void deepChain_10000_noRecursion()
    {
        const int n = 10000;
        MountTree t(parse_mountinfo(chain(n)).mounts);
        QCOMPARE(t.size(), size_t(n));
        QCOMPARE(t.roots().size(), size_t(1));
        QCOMPARE(t.depth(t.find(n)), n - 1);
        QCOMPARE(t.path_to_root(t.find(n)).size(), size_t(n));
        QCOMPARE(t.preorder().size(), size_t(n));
        QVERIFY(t.visible(t.find(n)));
        QVERIFY(!t.visible(t.find(n / 2)));
        QCOMPARE(t.find_target("/stack"), t.find(n));
        // The nested JSON is as deep; it must be valid and hold every mount.
        const std::string json = mounts_to_json(t, false, -1);
        auto doc = nlohmann::json::parse(json);
        int count = 0;
        const nlohmann::json* node = &doc["filesystems"][0];
        while (true) {
            ++count;
            if (!node->contains("children"))
                break;
            node = &(*node)["children"][0];
        }
        QCOMPARE(count, n);
        QCOMPARE((*node)["id"].get<int>(), n);
        const std::string text = print_tree(t, {false, false});
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), long(n + 1));
    }

    void jsonTree_nestsLikeFindmnt()
    {
        MountTree t = fixture("propagation-escapes-overlay.mountinfo");
        auto doc = nlohmann::json::parse(mounts_to_json(t, false));
        QCOMPARE(doc["filesystems"].size(), size_t(1));
        const auto& root = doc["filesystems"][0];
        QCOMPARE(root["target"].get<std::string>(), std::string("/"));
        // Count every node.
        size_t count = 0;
        std::vector<const nlohmann::json*> todo{&root};
        while (!todo.empty()) {
            const auto* n = todo.back();
            todo.pop_back();
            ++count;
            if (n->contains("children"))
                for (const auto& c : (*n)["children"])
                    todo.push_back(&c);
        }
        QCOMPARE(count, t.size());
    }
};

QTEST_GUILESS_MAIN(TestMountTree)
#include "tst_mounttree.moc"
