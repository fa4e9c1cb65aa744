// The safety model, proved: whatever happens to the engine, this machine's mount table
// is the same before and after, no lab process survives, no file is left behind.
#include "testutil.h"

#include <QDir>
#include <QProcess>

#include <csignal>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <thread>

using namespace mountlab;
using PlainJson = nlohmann::json;

namespace {

bool alive(pid_t pid) { return pid > 0 && kill(pid, 0) == 0; }

// Waits up to ~2 s for a process to be gone (it may be a zombie of someone else's
// for a moment: look at its state too).
bool gone(pid_t pid)
{
    for (int i = 0; i < 1000; ++i) { // 10 s: a loaded machine may take a while to tear a namespace down
        QFile stat(QString("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            return true;
        const QByteArray s = stat.readAll();
        const int close = s.lastIndexOf(')');
        if (close > 0 && s.size() > close + 2 && s[close + 2] == 'Z')
            return true;
        QThread::msleep(10);
    }
    return false;
}

// What the engine could leave behind in this machine's shared scratch places: entries
// named for MountLab or for the lab's own files. (Other programs may come and go there
// while the test runs; only ours must not.)
QStringList tmp_entries()
{
    QStringList all;
    for (const char* d : {"/tmp", "/var/tmp", "/run", "/dev/shm", "/"})
        for (const QString& e : QDir(d).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            if ((e.contains("mountlab", Qt::CaseInsensitive) || e.contains("labhost") || e == "HOST_SECRET" ||
                 e == "oldroot" || e == "submission.sh") &&
                !e.startsWith("tst_"))
                all << QString(d) + "/" + e;
    all.sort();
    return all;
}

// Reads events until the session line (for the lab host's PID) or a timeout.
PlainJson read_session(QProcess& p)
{
    for (int i = 0; i < 100; ++i) {
        while (p.canReadLine()) {
            PlainJson e = PlainJson::parse(p.readLine().toStdString(), nullptr, false);
            if (!e.is_discarded() && e.value("kind", "") == "session")
                return e;
        }
        p.waitForReadyRead(100);
    }
    return PlainJson();
}

// Reads until a step's end line.
bool read_step_end(QProcess& p)
{
    for (int i = 0; i < 100; ++i) {
        while (p.canReadLine()) {
            PlainJson e = PlainJson::parse(p.readLine().toStdString(), nullptr, false);
            if (!e.is_discarded() && e.value("kind", "") == "step" && e.value("phase", "") == "end")
                return true;
        }
        p.waitForReadyRead(100);
    }
    return false;
}

} // namespace

class TestLabSafety : public QObject {
    Q_OBJECT
    QByteArray host_;
    QStringList files_;

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        host_ = test::host_mountinfo();
        files_ = tmp_entries();
    }

    void init() { QCOMPARE(test::host_mountinfo(), host_); }

    void fullWalkthrough_leavesHostTableAndFilesUnchanged()
    {
        auto r = test::run_cli({"run", "--json"});
        QCOMPARE(r.exit_code, 0);
        QCOMPARE(test::host_mountinfo(), host_);
        const PlainJson session = PlainJson::parse(r.out.left(r.out.indexOf('\n')).toStdString());
        QVERIFY(gone(session["lab_host_pid"].get<pid_t>()));
        QCOMPARE(tmp_entries(), files_);
    }

    void sigkillOfEngine_atEveryStep_leavesNothing()
    {
        const int steps = 27;
        for (int k = 0; k <= steps; ++k) {
            QProcess agent;
            // Traced once (the tracer's probes go with the engine too), untraced the rest: faster.
            agent.start(MOUNTLAB_CLI, k == steps / 2 ? QStringList{"agent"} : QStringList{"agent", "--no-trace"});
            QVERIFY(agent.waitForStarted());
            const PlainJson session = read_session(agent);
            QVERIFY2(session.is_object(), "no session line from the agent");
            const pid_t lab = session["lab_host_pid"].get<pid_t>();
            QVERIFY(alive(lab));
            for (int i = 0; i < k; ++i) {
                agent.write(QString("{\"cmd\":\"step\",\"index\":%1}\n").arg(i).toUtf8());
                QVERIFY(read_step_end(agent));
            }
            // Mid-step: send the next step and kill at once, without waiting for it.
            agent.write(QString("{\"cmd\":\"step\",\"index\":%1}\n").arg(k).toUtf8());
            agent.waitForBytesWritten();
            if (k % 2)
                QThread::usleep(300); // sometimes a little into the step
            kill(static_cast<pid_t>(agent.processId()), SIGKILL);
            agent.waitForFinished();
            QVERIFY2(gone(lab), qPrintable(QString("lab host %1 survived the engine at step %2").arg(lab).arg(k)));
            QCOMPARE(test::host_mountinfo(), host_);
        }
        QCOMPARE(tmp_entries(), files_);
    }

    void sigkillOfEnginesParent_endsEngineAndLab()
    {
        // sh starts the agent; killing sh must end the agent (PR_SET_PDEATHSIG) and the
        // lab. This test holds the agent's stdin open itself, so the agent cannot just
        // see end-of-file: only the death signal can end it.
        int in[2], out[2];
        QVERIFY(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0);
        const QByteArray script = QString("exec 3<&0; '%1' agent <&3 & wait").arg(MOUNTLAB_CLI).toUtf8();
        const pid_t sh = fork();
        if (sh == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            execl("/bin/sh", "sh", "-c", script.constData(), nullptr);
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        std::string first;
        char c;
        while (read(out[0], &c, 1) == 1 && c != '\n')
            first += c;
        const PlainJson session = PlainJson::parse(first, nullptr, false);
        QVERIFY2(!session.is_discarded() && session.value("kind", "") == "session", first.c_str());
        const pid_t lab = session["lab_host_pid"].get<pid_t>();
        QFile stat(QString("/proc/%1/stat").arg(lab));
        QVERIFY(stat.open(QIODevice::ReadOnly));
        const QByteArray s = stat.readAll();
        const pid_t agent = s.mid(s.lastIndexOf(')') + 4).split(' ')[0].toInt(); // the lab host's parent
        QVERIFY(alive(agent));
        kill(sh, SIGKILL);
        waitpid(sh, nullptr, 0);
        const bool agent_gone = gone(agent);
        const bool lab_gone = gone(lab);
        if (!agent_gone)
            kill(agent, SIGKILL); // ours to clean up: we started it
        close(in[1]);
        close(out[0]);
        QVERIFY2(agent_gone, "the agent outlived its parent");
        QVERIFY2(lab_gone, "the lab host outlived the agent");
        QCOMPARE(test::host_mountinfo(), host_);
    }

    void cleanupTestCase()
    {
        if (!host_.isEmpty())
            QCOMPARE(test::host_mountinfo(), host_);
    }
};

QTEST_GUILESS_MAIN(TestLabSafety)
#include "tst_lab_safety.moc"
