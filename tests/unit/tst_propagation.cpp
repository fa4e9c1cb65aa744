// Propagation: who receives what a mount sends.
#include "mount/propagation.h"
#include "testutil.h"

using namespace mountlab;

class TestPropagation : public QObject {
    Q_OBJECT
private slots:
    void fixturePeersAndSlave()
    {
        auto table =
            read_mountinfo_file(test::data_path("mountinfo/propagation-escapes-overlay.mountinfo").toStdString());
        QVERIFY(table.ok());
        MountTree t(std::move(*table));
        PropagationGraph g(t);
        const size_t p1 = t.find(69), p2 = t.find(70), slave = t.find(71), unb = t.find(72);
        QCOMPARE(g.peers(p1), std::vector<size_t>{p2});
        QCOMPARE(g.slaves(p1), std::vector<size_t>{slave});
        auto r = g.receivers(p1);
        std::sort(r.begin(), r.end());
        QCOMPARE(r, (std::vector<size_t>{p2, slave}));
        QVERIFY(g.receivers(slave).empty()); // a slave sends nothing back
        QVERIFY(g.receivers(unb).empty());
        QCOMPARE(to_string(propagation_type(t[slave])), "slave");
        QCOMPARE(to_string(propagation_type(t[unb])), "unbindable");
        QCOMPARE(to_string(propagation_type(t[p1])), "shared");
    }

    void sharedSlave_forwardsToItsOwnGroup()
    {
        // 1,2 in group 1; 3 is a slave of 1 and shared in group 2 with 4; 5 slave of 2.
        MountTree t(parse_mountinfo("1 0 0:1 / / rw shared:1 - tmpfs a rw\n"
                                    "2 1 0:1 / /b rw shared:1 - tmpfs a rw\n"
                                    "3 1 0:1 / /c rw shared:2 master:1 - tmpfs a rw\n"
                                    "4 1 0:1 / /d rw shared:2 - tmpfs a rw\n"
                                    "5 1 0:1 / /e rw master:2 - tmpfs a rw\n"
                                    "6 1 0:1 / /f rw - tmpfs a rw\n")
                        .mounts);
        PropagationGraph g(t);
        auto r = g.receivers(t.find(1));
        std::vector<int> ids;
        for (size_t i : r)
            ids.push_back(t[i].id);
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, (std::vector<int>{2, 3, 4, 5}));
        // From group 2, nothing goes back up to group 1.
        ids.clear();
        for (size_t i : g.receivers(t.find(4)))
            ids.push_back(t[i].id);
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, (std::vector<int>{3, 5}));
    }
};

QTEST_GUILESS_MAIN(TestPropagation)
#include "tst_propagation.moc"
