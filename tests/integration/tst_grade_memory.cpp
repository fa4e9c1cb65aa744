// Memory of graded scripts, tmpfs included (security review M5). Root of a lab's user
// namespace can mount a tmpfs of any size, and its pages escape RLIMIT_AS and
// RLIMIT_FSIZE: tests/data/submissions/memory/tmpfs-bomb.sh mounts a 4g tmpfs and writes
// 960 MiB into it. Graded with a memory cgroup per sandbox (this machine: cgroup v1 under
// the test's own memory cgroup), and with the machine-wide watchdog that stands in where
// no cgroup is usable (forced with MOUNTLAB_GRADE_NO_CGROUP=1), it must end graded, with
// the memory message, while this machine's Shmem stays near the bound; an honest
// reference submission graded in the same run still passes; no cgroup directory and no
// mount is left behind.
//
// Shmem is the whole machine's: another process's tmpfs use while a test runs shows in
// it too, hence a generous margin. Without any bound (the grader before M5) the bomb
// adds its whole 960 MiB.
#include "testutil.h"

#include "lab/cgroup.h"
#include "lab/shmemwatchdog.h"
#include "lesson/grader.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <chrono>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace mountlab;

namespace {

constexpr long long kMiB = 1 << 20;
// Others' shared memory and the watchdog's reaction time (it looks every 20 ms, while
// the bomb writes some 700 MB/s here).
constexpr long long kShmemMarginMiB = 256;

// The machine's Shmem, sampled from a thread while a grade runs: its peak above the
// value at the start.
class ShmemSampler {
public:
    ShmemSampler() : start_(shmem()), thread_([this] { run(); }) {}
    ~ShmemSampler() { stop(); }
    long long stop()
    {
        if (thread_.joinable()) {
            done_ = true;
            thread_.join();
        }
        return (peak_.load() - start_) / kMiB;
    }

private:
    static long long shmem()
    {
        auto m = lab::read_meminfo();
        return m ? m->shmem : 0;
    }
    void run()
    {
        while (!done_) {
            const long long s = shmem();
            if (s > peak_)
                peak_ = s;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    long long start_;
    std::atomic<long long> peak_{0};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

QString bomb() { return test::data_path("submissions/memory/tmpfs-bomb.sh"); }
QString honest() { return test::data_path("submissions/pivot-root/pivot/good.sh"); }

struct Graded {
    test::ProcessResult process;
    QJsonObject report;
    QMap<QString, QJsonObject> by_name;
    long long shmem_peak_mib = 0;
};

Graded grade(const QStringList& files, const QStringList& extra = {})
{
    Graded g;
    ShmemSampler sampler;
    g.process = test::run(QStringLiteral(MOUNTLAB_CLI),
                          QStringList{"grade", "pivot-root", "-e", "pivot"} + files + QStringList{"-f", "json"} + extra,
                          {}, 120000);
    g.shmem_peak_mib = sampler.stop();
    g.report = QJsonDocument::fromJson(g.process.out).object();
    for (const auto& v : g.report["submissions"].toArray())
        g.by_name.insert(v.toObject()["name"].toString(), v.toObject());
    return g;
}

// The report's bound per sandbox; the grader's own figure when the report has none (a
// grader without it), so the Shmem check still measures something.
long long sandbox_limit_mb(const QJsonObject& report)
{
    const long long limit = report["memory"].toObject()["limit_mb"].toInteger();
    return limit > 0 ? limit : lesson::sandbox_memory_limit_mb({});
}

QString dump(const QJsonObject& o) { return QString::fromUtf8(QJsonDocument(o).toJson()); }

// The sandbox cgroups in the directories sandboxes are made in.
QStringList sandbox_cgroups()
{
    QStringList out;
    auto place = lab::find_cgroup_place();
    if (!place)
        return out;
    for (const std::string& dir : {place->memory_dir, place->pids_dir})
        if (!dir.empty())
            for (const QString& n : QDir(QString::fromStdString(dir)).entryList({"mountlab-grade-*"}, QDir::Dirs))
                out << QString::fromStdString(dir) + "/" + n;
    return out;
}

// The bomb ended graded, for memory, and the grader went on to the honest submission.
void verify_bomb_and_honest(const Graded& g)
{
    QVERIFY2(g.process.err != "timed out", "the grader hung");
    QVERIFY2(g.process.exit_code == 1,
             qPrintable(QString::number(g.process.exit_code) + " " + g.process.err)); // 2: the grader failed
    const QJsonObject b = g.by_name["tmpfs-bomb.sh"];
    const QString status = b["status"].toString();
    QVERIFY2(status == "failed" || status == "timeout", qPrintable(dump(b)));
    QVERIFY2(b["error"].toString().contains(
                 QRegularExpression("^the script used more than \\d+ MiB of memory \\(tmpfs included\\)")),
             qPrintable(dump(b)));
    QVERIFY2(b["score"].toInt() < b["max_score"].toInt(), qPrintable(dump(b)));
    const QJsonObject h = g.by_name["good.sh"];
    QVERIFY2(h["status"].toString() == "passed", qPrintable(dump(h)));
    QCOMPARE(h["score"].toInt(), h["max_score"].toInt());
    QVERIFY2(h["error"].toString().isEmpty(), qPrintable(dump(h)));
}

} // namespace

class TestGradeMemory : public QObject {
    Q_OBJECT

private slots:
    void tmpfsBomb_inItsCgroup_failsForMemoryAndShmemStaysBounded()
    {
        MOUNTLAB_REQUIRE_ROOT();
        auto place = lab::find_cgroup_place();
        if (!place)
            QSKIP(qPrintable("no usable memory cgroup here: " + QString::fromStdString(place.error().message)));
        const QByteArray mountinfo_before = test::host_mountinfo();
        const Graded g = grade({bomb(), honest()});
        QCOMPARE(g.report["memory"].toObject()["bound"].toString(),
                 QString(place->version == lab::CgroupVersion::V1 ? "cgroup v1" : "cgroup v2"));
        const long long limit = sandbox_limit_mb(g.report);
        const QJsonObject b = g.by_name["tmpfs-bomb.sh"];
        qInfo(
            "cgroup limit %lld MiB; bomb's cgroup peak %.1f MiB; machine's Shmem peak +%lld MiB; honest peak %.1f MiB",
            limit, b["memory_peak_mb"].toDouble(), g.shmem_peak_mib, g.by_name["good.sh"]["memory_peak_mb"].toDouble());
        QVERIFY2(
            g.shmem_peak_mib <= limit + kShmemMarginMiB,
            qPrintable(QStringLiteral("Shmem grew by %1 MiB; the limit is %2 MiB").arg(g.shmem_peak_mib).arg(limit)));
        verify_bomb_and_honest(g);
        QCOMPARE(b["memory"].toString(), g.report["memory"].toObject()["bound"].toString());
        // The cgroup's own peak is its limit (at most).
        QVERIFY2(b["memory_peak_mb"].toDouble() <= static_cast<double>(limit), qPrintable(dump(b)));
        QVERIFY2(sandbox_cgroups().isEmpty(), qPrintable(sandbox_cgroups().join(", ")));
        QCOMPARE(test::host_mountinfo(), mountinfo_before);
    }

    // Reference solutions of two lessons, in parallel, each in its cgroup: a normal lab
    // uses a few MiB of the limit.
    void referenceSubmissions_inTheirCgroups_pass()
    {
        MOUNTLAB_REQUIRE_ROOT();
        if (!lab::find_cgroup_place())
            QSKIP("no usable memory cgroup here");
        for (const auto& [lesson, exercise] : {std::pair{"pivot-root", "pivot"}, std::pair{"propagation", "rslave"}}) {
            const QString dir = test::data_path(QStringLiteral("submissions/%1/%2").arg(lesson, exercise));
            QStringList files;
            for (const QString& f : QDir(dir).entryList({"good*.sh"}, QDir::Files, QDir::Name))
                files << dir + "/" + f;
            QVERIFY(!files.isEmpty());
            const test::ProcessResult r =
                test::run(QStringLiteral(MOUNTLAB_CLI),
                          QStringList{"grade", lesson, "-e", exercise} + files + QStringList{"-f", "json", "-j", "2"},
                          {}, 120000);
            QVERIFY2(r.exit_code == 0, r.out.constData());
            const QJsonObject rep = QJsonDocument::fromJson(r.out).object();
            const long long limit = rep["memory"].toObject()["limit_mb"].toInteger();
            QVERIFY(rep["memory"].toObject()["bound"].toString().startsWith("cgroup"));
            for (const auto& v : rep["submissions"].toArray()) {
                const QJsonObject s = v.toObject();
                QVERIFY2(s["status"].toString() == "passed", qPrintable(dump(s)));
                QVERIFY2(s["memory_peak_mb"].toDouble() > 0, qPrintable(dump(s)));
                QVERIFY2(s["memory_peak_mb"].toDouble() < static_cast<double>(limit) / 4, qPrintable(dump(s)));
                qInfo("%s/%s %s: peak %.1f MiB of %lld", lesson, exercise, qPrintable(s["name"].toString()),
                      s["memory_peak_mb"].toDouble(), limit);
            }
        }
        QVERIFY2(sandbox_cgroups().isEmpty(), qPrintable(sandbox_cgroups().join(", ")));
    }

    void tmpfsBomb_withoutCgroup_isEndedByTheWatchdog()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray mountinfo_before = test::host_mountinfo();
        qputenv("MOUNTLAB_GRADE_NO_CGROUP", "1");
        const Graded g = grade({bomb(), honest()});
        qunsetenv("MOUNTLAB_GRADE_NO_CGROUP");
        const long long budget = sandbox_limit_mb(g.report); // times 1 worker
        qInfo("watchdog budget %lld MiB; machine's Shmem peak +%lld MiB", budget, g.shmem_peak_mib);
        QVERIFY2(
            g.shmem_peak_mib <= budget + kShmemMarginMiB,
            qPrintable(QStringLiteral("Shmem grew by %1 MiB; the budget is %2 MiB").arg(g.shmem_peak_mib).arg(budget)));
        const QJsonObject memory = g.report["memory"].toObject();
        QCOMPARE(memory["bound"].toString(), QStringLiteral("watchdog"));
        // The report says there is no cgroup, and why.
        QVERIFY2(memory["note"].toString().startsWith(
                     "no memory cgroup (turned off by --no-cgroup or MOUNTLAB_GRADE_NO_CGROUP=1)"),
                 qPrintable(dump(memory)));
        verify_bomb_and_honest(g);
        const QJsonObject b = g.by_name["tmpfs-bomb.sh"];
        QCOMPARE(b["memory"].toString(), QStringLiteral("watchdog"));
        QVERIFY2(b["error"].toString().contains("watchdog"), qPrintable(dump(b)));
        QVERIFY2(sandbox_cgroups().isEmpty(), qPrintable(sandbox_cgroups().join(", ")));
        QCOMPARE(test::host_mountinfo(), mountinfo_before);
    }

    // A grader killed mid-run leaves its empty cgroups: the next one removes those whose
    // PID is gone, and only those.
    void staleCgroups_ofGoneGraders_areRemovedAtStart()
    {
        MOUNTLAB_REQUIRE_ROOT();
        auto place = lab::find_cgroup_place();
        if (!place)
            QSKIP("no usable memory cgroup here");
        const pid_t gone = fork();
        if (gone == 0)
            _exit(0);
        QVERIFY(gone > 0);
        QCOMPARE(waitpid(gone, nullptr, 0), gone);
        const QString dir = QString::fromStdString(place->memory_dir);
        const QString stale = dir + "/" + QString::fromStdString(lab::sandbox_cgroup_name(gone));
        const QString alive = dir + "/" + QString::fromStdString(lab::sandbox_cgroup_name(getpid()));
        QVERIFY2(QDir().mkdir(stale), qPrintable(stale));
        QVERIFY2(QDir().mkdir(alive), qPrintable(alive));
        const test::ProcessResult r = test::run(
            QStringLiteral(MOUNTLAB_CLI), {"grade", "pivot-root", "-e", "pivot", honest(), "-f", "json"}, {}, 120000);
        const bool stale_gone = !QDir(stale).exists();
        const bool alive_kept = QDir(alive).exists();
        QDir().rmdir(alive);
        QDir().rmdir(stale);
        QCOMPARE(r.exit_code, 0);
        QVERIFY2(stale_gone, qPrintable(stale));
        QVERIFY2(alive_kept, qPrintable(alive));
        QVERIFY2(sandbox_cgroups().isEmpty(), qPrintable(sandbox_cgroups().join(", ")));
    }
};

QTEST_GUILESS_MAIN(TestGradeMemory)
#include "tst_grade_memory.moc"
