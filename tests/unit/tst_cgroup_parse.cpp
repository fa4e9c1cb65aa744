// What the sandbox cgroups are found from: /proc/self/cgroup lines, a hierarchy's mount
// (its root and mount point), and /proc/meminfo for the watchdog. No cgroup is touched.
#include "testutil.h"

#include "lab/cgroup.h"
#include "lab/shmemwatchdog.h"

using namespace mountlab;
using namespace mountlab::lab;

namespace {

Mount hierarchy(const std::string& root, const std::string& target)
{
    Mount m;
    m.root = root;
    m.target = target;
    return m;
}

} // namespace

class TestCgroupParse : public QObject {
    Q_OBJECT

private slots:
    void procCgroup_hybrid_givesV1ControllersAndTheV2Line()
    {
        const auto m = parse_proc_cgroup("9:name=systemd:/\n4:memory:/process_api/19c8\n2:cpu,cpuacct:/x\n0::/\n");
        QCOMPARE(m.size(), size_t(4));
        QVERIFY(!m[1].v2);
        QCOMPARE(m[1].controllers, std::vector<std::string>{"memory"});
        QCOMPARE(m[1].path, std::string("/process_api/19c8"));
        QCOMPARE(m[2].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
        QVERIFY(m[3].v2);
        QVERIFY(m[3].controllers.empty());
        QCOMPARE(m[3].path, std::string("/"));
    }

    void procCgroup_pathWithColons_keepsThemAndSkipsBadLines()
    {
        const auto m = parse_proc_cgroup("garbage\n0::/a:b/c\n");
        QCOMPARE(m.size(), size_t(1));
        QCOMPARE(m[0].path, std::string("/a:b/c"));
    }

    void cgroupDir_underTheMountsRoot_isTheMountPointPlusTheRest()
    {
        QCOMPARE(cgroup_dir(hierarchy("/", "/sys/fs/cgroup/memory"), "/process_api/19c8"),
                 std::string("/sys/fs/cgroup/memory/process_api/19c8"));
        QCOMPARE(cgroup_dir(hierarchy("/", "/sys/fs/cgroup/pids"), "/"), std::string("/sys/fs/cgroup/pids"));
        // A hierarchy mounted from a sub-cgroup (a container's view).
        QCOMPARE(cgroup_dir(hierarchy("/docker/ab", "/sys/fs/cgroup"), "/docker/ab/x"),
                 std::string("/sys/fs/cgroup/x"));
        QCOMPARE(cgroup_dir(hierarchy("/docker/ab", "/sys/fs/cgroup"), "/docker/ab"), std::string("/sys/fs/cgroup"));
    }

    void cgroupDir_outsideTheMountsRoot_isNotShown()
    {
        QCOMPARE(cgroup_dir(hierarchy("/docker/ab", "/sys/fs/cgroup"), "/docker/abc"), std::string());
        QCOMPARE(cgroup_dir(hierarchy("/docker/ab", "/sys/fs/cgroup"), "/"), std::string());
    }

    void sandboxName_holdsThePid() { QCOMPARE(sandbox_cgroup_name(4242), std::string("mountlab-grade-4242")); }

    void meminfo_shmemAndAvailable_inBytes()
    {
        const MemInfo m =
            parse_meminfo("MemTotal:       24684084 kB\nMemAvailable:   23938308 kB\nShmemHugePages: 7 kB\n"
                          "Shmem:              8872 kB\n");
        QCOMPARE(m.shmem, 8872LL * 1024);
        QCOMPARE(m.available, 23938308LL * 1024);
        QCOMPARE(parse_meminfo("MemFree: 1 kB\n").shmem, -1LL);
    }
};

QTEST_GUILESS_MAIN(TestCgroupParse)
#include "tst_cgroup_parse.moc"
