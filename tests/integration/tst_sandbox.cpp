// Every lab is a sandbox: from everything that runs inside one (a console command sent
// to the agent, a lesson's op, a graded script, and the agent run as an ordinary user
// with a same-uid process injecting commands into its stdin), each route out of the
// lab that a container runtime guards is tried for real by escape_probe, a static
// program carried into the lab, and each must be closed: the machine's root and files,
// its processes and namespaces, global sysctls, device nodes, devtmpfs, sysfs and
// cgroupfs, kernel addresses and log, modules, kexec, port I/O, BPF, reboot, the
// engine's own processes and descriptors. The machine's mount table is the same after.
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <nlohmann/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mountlab;
using PlainJson = nlohmann::json;

namespace {

// The routes the probe reports; every one must be there and blocked.
const QStringList kRoutes = {"user-namespace",
                             "engine-processes",
                             "inherited-descriptors",
                             "open-by-handle",
                             "machine-files",
                             "machine-processes",
                             "machine-namespaces",
                             "global-sysctl",
                             "global-sysctl-fresh-proc",
                             "device-nodes",
                             "devtmpfs",
                             "sysfs",
                             "cgroupfs",
                             "kernel-addresses",
                             "kernel-log",
                             "load-module",
                             "kexec",
                             "port-io",
                             "bpf",
                             "session-keyring",
                             "controlling-terminal",
                             "reboot"};

QByteArray probe_base64()
{
    QFile f(QStringLiteral(MOUNTLAB_ESCAPE_PROBE));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    // gzip (not zlib): busybox's gunzip reads it in the lab.
    auto r = test::run("gzip", {"-9c", QStringLiteral(MOUNTLAB_ESCAPE_PROBE)});
    return r.exit_code == 0 ? r.out.toBase64() : QByteArray();
}

// Machine facts the probe checks against: marker files, a sentinel process, namespaces.
struct Machine {
    QTemporaryDir checkout_like; // a directory of the machine's, like the checkout
    QStringList markers;
    QString sentinel = QStringLiteral("mountlab-machine-sentinel-%1").arg(getpid());
    pid_t sentinel_pid = -1;
    QStringList ns_args;
    long keyring = 0;

    Machine()
    {
        for (const QString& p :
             {QStringLiteral("/root/.mountlab-escape-marker"), QStringLiteral("/etc/mountlab-escape-marker"),
              checkout_like.filePath(QStringLiteral("marker"))}) {
            QFile f(p);
            if (f.open(QIODevice::WriteOnly)) {
                f.write("MACHINE MARKER: outside every lab\n");
                f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
                markers << p;
            }
        }
        // Files every Debian machine has that no lab may show.
        markers << QStringLiteral("/etc/shadow") << QStringLiteral("/etc/machine-id") << QStringLiteral("/home")
                << QStringLiteral(MOUNTLAB_SOURCE_DIR "/README.md");
        sentinel_pid = fork();
        if (sentinel_pid == 0) {
            const QByteArray name = sentinel.toUtf8();
            execlp("sleep", name.constData(), "300", nullptr);
            _exit(127);
        }
        // The engine inherits this process's session keyring: the lab must not.
        keyring = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* KEY_SPEC_SESSION_KEYRING */, 1 /* create */);
        for (const char* t : {"mnt", "net", "pid", "ipc", "uts", "cgroup", "user"}) {
            struct stat st {};
            if (stat(QStringLiteral("/proc/self/ns/%1").arg(t).toUtf8().constData(), &st) == 0)
                ns_args << QStringLiteral("--ns") << QStringLiteral("%1:%2").arg(t).arg(st.st_ino);
        }
    }
    ~Machine()
    {
        if (sentinel_pid > 0) {
            kill(sentinel_pid, SIGKILL);
            waitpid(sentinel_pid, nullptr, 0);
        }
        QFile::remove(QStringLiteral("/root/.mountlab-escape-marker"));
        QFile::remove(QStringLiteral("/etc/mountlab-escape-marker"));
    }
    [[nodiscard]] QString probe_args() const
    {
        QStringList a;
        for (const QString& m : markers)
            a << QStringLiteral("--marker") << m;
        a << QStringLiteral("--sentinel-hex") << QString::fromLatin1(sentinel.toUtf8().toHex());
        a << ns_args << QStringLiteral("--keyring") << QString::number(keyring);
        return a.join(QLatin1Char(' '));
    }
};

// The shell line that unpacks the probe from stdin (or a file) and runs it.
QString unpack_and_run(const Machine& m, const QString& from)
{
    return QStringLiteral(
               "base64 -d %1 | gunzip > /tmp/escape_probe && chmod +x /tmp/escape_probe && /tmp/escape_probe %2")
        .arg(from, m.probe_args());
}

// `command` run with a pty as its controlling terminal (script(1)), as a learner's or a
// teacher's shell would run it; its stdout (sent to `out_file`) in out.
test::ProcessResult under_a_terminal(const QString& command, const QString& out_file)
{
    auto r = test::run("script", {"-qec", QStringLiteral("%1 > %2").arg(command, out_file), "/dev/null"}, {}, 120000);
    QFile f(out_file);
    r.out = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    return r;
}

// Every route present and blocked; the report in the failure message.
void verify_all_blocked(const QString& mode, const QString& output)
{
    for (const QString& route : kRoutes) {
        const QRegularExpression line(QStringLiteral("^%1\\t(\\w+)\\t(.*)$").arg(QRegularExpression::escape(route)),
                                      QRegularExpression::MultilineOption);
        const auto m = line.match(output);
        QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("%1: route %2 not tried:\n%3").arg(mode, route, output)));
        QVERIFY2(m.captured(1) == QLatin1String("blocked"),
                 qPrintable(QStringLiteral("%1: route %2 is OPEN: %3").arg(mode, route, m.captured(2))));
    }
    QVERIFY2(output.contains(QStringLiteral("routes=%1 open=0").arg(kRoutes.size())), qPrintable(output));
}

// What the last command of an event stream printed (stdout, then stderr).
QString exec_stdout(const QByteArray& events)
{
    QString output;
    for (const QByteArray& l : events.split('\n')) {
        PlainJson e = PlainJson::parse(l.toStdString(), nullptr, false);
        if (!e.is_discarded() && e.value("kind", "") == "step" && e.value("phase", "") == "end" && e.contains("data") &&
            e["data"].contains("stdout"))
            output = QString::fromStdString(e["data"]["stdout"].get<std::string>() + e["data"].value("stderr", ""));
    }
    return output;
}

} // namespace

class TestSandbox : public QObject {
    Q_OBJECT
    QByteArray before_;
    QByteArray probe_;

private Q_SLOTS:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT(); // root: the engine at its most privileged, and markers in /root
        before_ = test::host_mountinfo();
        probe_ = probe_base64();
        QVERIFY2(!probe_.isEmpty(), "escape_probe was not built or gzip is missing");
    }

    void cleanupTestCase()
    {
        if (!before_.isEmpty())
            QCOMPARE(test::host_mountinfo(), before_);
    }

    // The probe sees an open route when there is one: in a root sandbox without a user
    // namespace (what a root lab was before), most of them are open.
    void theProbe_findsOpenRoutes_inARootSandboxWithoutUserNamespace()
    {
        // Under a terminal (script(1)), so the terminal route has one to find.
        auto r =
            test::run("script", {"-qec",
                                 QStringLiteral("unshare --mount --pid --fork --propagation private --mount-proc %1 "
                                                "--marker /etc/shadow; echo exit=$?")
                                     .arg(QStringLiteral(MOUNTLAB_ESCAPE_PROBE)),
                                 "/dev/null"});
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QLatin1String("exit=1")), qPrintable(out));
        for (const char* route : {"user-namespace", "machine-files", "global-sysctl", "device-nodes", "devtmpfs",
                                  "sysfs", "controlling-terminal"})
            QVERIFY2(out.contains(QRegularExpression(QStringLiteral("(^|\\W)%1\tOPEN\t").arg(QLatin1String(route)),
                                                     QRegularExpression::MultilineOption)),
                     qPrintable(QStringLiteral("%1 not found open:\n%2").arg(QLatin1String(route), out)));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/.probe-sda"))); // what it made by mknod it removed
    }

    // The console: the GUI sends each line as an agent `exec` (argv only, no stdin), so
    // the probe arrives in chunks, as a learner could paste it.
    void fromConsoleCommands_ofARootEngine()
    {
        Machine m;
        QByteArray commands;
        const int chunk = 100000; // under the kernel's 128 KiB limit for one argument
        for (int i = 0; i < probe_.size(); i += chunk) {
            PlainJson c{
                {"cmd", "exec"},
                {"argv", {"sh", "-c", "printf %s '" + probe_.mid(i, chunk).toStdString() + "' >> /tmp/probe.b64"}}};
            commands += QByteArray::fromStdString(c.dump()) + '\n';
        }
        PlainJson run{{"cmd", "exec"},
                      {"argv", {"sh", "-c", unpack_and_run(m, "/tmp/probe.b64").toStdString()}},
                      {"timeout_ms", 60000}};
        commands += QByteArray::fromStdString(run.dump()) + '\n';
        // Under a terminal, as a learner's or teacher's shell would start it: the lab
        // must not reach it (script(1) makes the pty the engine's controlling terminal).
        QTemporaryDir dir;
        const QString in = dir.filePath(QStringLiteral("commands.jsonl"));
        {
            QFile f(in);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(commands);
        }
        auto r = under_a_terminal(QStringLiteral("%1 agent --tracer none < %2").arg(MOUNTLAB_CLI, in),
                                  dir.filePath(QStringLiteral("out.jsonl")));
        QCOMPARE(r.exit_code, 0);
        // The last exec's output is the probe's.
        const QString output = exec_stdout(r.out);
        verify_all_blocked(QStringLiteral("console (root engine)"), output);
    }

    // A lesson's operations: what a lesson file may do is what any op may do.
    void fromALessonsOps()
    {
        Machine m;
        QTemporaryDir dir;
        const QString lesson = dir.filePath(QStringLiteral("escape.yaml"));
        QFile f(lesson);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id: escape\ntitle: Try every way out\nsummary: The sandbox test's lesson.\nsteps:\n"
                "  - id: carry\n    title: Carry the probe in\n    text: It arrives as a file.\n    do:\n"
                "      - op: write\n        path: /tmp/probe.b64\n        content: \"");
        f.write(probe_);
        f.write("\"\n  - id: run\n    title: Run it\n    text: Every route.\n    do:\n      - op: exec\n"
                "        timeout_ms: 60000\n        argv: [sh, -c, \"");
        f.write(unpack_and_run(m, QStringLiteral("/tmp/probe.b64")).toUtf8());
        f.write("\"]\n");
        f.close();
        auto r = test::run(MOUNTLAB_CLI, {"run", "--json", "--tracer", "none", lesson}, {}, 120000);
        QVERIFY2(r.exit_code == 0 || r.exit_code == 1, (r.err + r.out.right(2000)).constData());
        const QString output = exec_stdout(r.out);
        verify_all_blocked(QStringLiteral("lesson op"), output);
    }

    // A student's script, graded: the probe in a heredoc.
    void fromAGradedScript()
    {
        Machine m;
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("escape.sh"));
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\ncat > /tmp/probe.b64 <<'EOF'\n");
        for (int i = 0; i < probe_.size(); i += 76)
            f.write(probe_.mid(i, 76) + '\n');
        f.write("EOF\n");
        f.write(unpack_and_run(m, QStringLiteral("/tmp/probe.b64")).toUtf8() + '\n');
        f.close();
        auto r = under_a_terminal(
            QStringLiteral("%1 grade mount-namespaces -e private-scratch %2 -f json").arg(MOUNTLAB_CLI, script),
            dir.filePath(QStringLiteral("report.json")));
        QVERIFY2(r.exit_code == 0 || r.exit_code == 1, (r.err + r.out.right(2000)).constData());
        PlainJson report = PlainJson::parse(r.out.toStdString(), nullptr, false);
        QVERIFY2(!report.is_discarded(), r.out.left(2000).constData());
        const std::string output = report["submissions"][0].value("output", "");
        verify_all_blocked(QStringLiteral("graded script"), QString::fromStdString(output));
    }

    // The grader's command line names every submission of the class: no submission may
    // read it, however long it is (it was blanked only under 1 MiB).
    void aGradedScript_cannotReadTheClassList_evenWhenItIsHuge()
    {
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("0-look.sh"));
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // (The pattern is written so that grep's own command line does not match it.)
        f.write(
            "#!/bin/sh\nfor c in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $c; echo; done | grep -c 'classmate[-]0' || true\n"
            "tr -d '\\0' < /proc/1/cmdline | wc -c\n");
        f.close();
        QStringList args{"grade", "mount-namespaces", "-e", "private-scratch", "-f", "json", script};
        for (int i = 0; i < 22000; ++i) // ~1.3 MB of names
            args << dir.filePath(
                QStringLiteral("classmate-%1-with-a-long-name-for-the-test.sh").arg(i, 6, 10, QLatin1Char('0')));
        auto r = test::run(MOUNTLAB_CLI, args, {}, 300000);
        PlainJson report = PlainJson::parse(r.out.toStdString(), nullptr, false);
        QVERIFY2(!report.is_discarded() && report.contains("submissions"), (r.err + r.out.left(500)).constData());
        std::string output;
        for (const PlainJson& sub : report["submissions"])
            if (sub.value("name", "") == "0-look.sh")
                output = sub.value("output", "");
        QVERIFY2(!output.empty(), r.out.left(2000).constData());
        // No classmate's name in any process's command line; the lab host's says labhost.
        QVERIFY2(QString::fromStdString(output).startsWith(QLatin1String("0\n")), output.c_str());
        QVERIFY2(output.find("\n7\n") != std::string::npos, output.c_str());
    }

    // The agent as an ordinary user (as the GUI runs it), and another process of that
    // user that reopens the agent's stdin through /proc/PID/fd/0 and injects commands:
    // what runs gets that user's privileges inside a user namespace, nothing more.
    void fromCommandsInjectedIntoAnUnprivilegedAgent()
    {
        Machine m;
        QTemporaryDir dir;
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther |
                                              QFile::ExeOther | QFile::WriteOther);
        // As the GUI would: a pipe of the user's own (made by a shell of nobody's) into
        // the agent; sleep holds the write end open and writes nothing.
        const QString out_file = dir.filePath(QStringLiteral("out.jsonl"));
        const QString agent_pid_file = dir.filePath(QStringLiteral("agent.pid"));
        const QString sleep_pid_file = dir.filePath(QStringLiteral("sleep.pid"));
        QProcess shell;
        shell.start(
            QStringLiteral("runuser"),
            {"-u", "nobody", "--", "sh", "-c",
             QStringLiteral(
                 "(sleep 600 & echo $! > %3; wait) | %1 agent --tracer none > %2 2> %2.err & echo $! > %4; wait")
                 .arg(QStringLiteral(MOUNTLAB_CLI), out_file, sleep_pid_file, agent_pid_file)});
        QVERIFY(shell.waitForStarted());
        auto read_pid = [](const QString& file) {
            QFile f(file);
            return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toInt() : -1;
        };
        pid_t agent_pid = -1, sleep_pid = -1;
        for (int i = 0; i < 500 && (agent_pid <= 0 || sleep_pid <= 0); ++i) {
            agent_pid = read_pid(agent_pid_file);
            sleep_pid = read_pid(sleep_pid_file);
            QThread::msleep(20);
        }
        QVERIFY2(agent_pid > 0 && sleep_pid > 0, "the unprivileged agent did not start");
        // Wait for its lab: the session line.
        for (int i = 0; i < 500; ++i) {
            QFile o(out_file);
            if (o.open(QIODevice::ReadOnly) && o.readAll().contains("\"kind\":\"session\""))
                break;
            QThread::msleep(20);
        }
        // The injection, as nobody: the probe written through the agent's stdin.
        const QString payload = dir.filePath(QStringLiteral("inject.jsonl"));
        {
            QFile f(payload);
            QVERIFY(f.open(QIODevice::WriteOnly));
            PlainJson c{{"cmd", "op"},
                        {"op",
                         {{"op", "exec"},
                          {"argv", {"sh", "-c", unpack_and_run(m, QString()).toStdString()}},
                          {"stdin", probe_.toStdString()},
                          {"timeout_ms", 60000}}}};
            f.write(QByteArray::fromStdString(c.dump()) + '\n');
            f.write("{\"cmd\":\"quit\"}\n");
            f.close();
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        }
        auto inject = test::run("runuser", {"-u", "nobody", "--", "sh", "-c",
                                            QStringLiteral("cat %1 > /proc/%2/fd/0").arg(payload).arg(agent_pid)});
        if (inject.exit_code != 0) {
            QFile err(out_file + QStringLiteral(".err")), o(out_file);
            err.open(QIODevice::ReadOnly);
            o.open(QIODevice::ReadOnly);
            QFAIL(qPrintable(QStringLiteral("the injection failed: %1; the agent said: %2 %3")
                                 .arg(QString::fromUtf8(inject.err), QString::fromUtf8(err.readAll()),
                                      QString::fromUtf8(o.readAll().left(2000)))));
        }
        for (int i = 0; i < 6000 && kill(agent_pid, 0) == 0; ++i)
            QThread::msleep(20);
        kill(sleep_pid, SIGTERM); // ours: it holds the pipe open
        QVERIFY(shell.waitForFinished(30000));
        QFile o(out_file);
        QVERIFY(o.open(QIODevice::ReadOnly));
        const QByteArray out = o.readAll();
        const QString output = exec_stdout(out);
        verify_all_blocked(QStringLiteral("injected into an unprivileged agent"), output);
        // And it ran as nobody, mapped: root in the lab is uid 65534 outside.
        QVERIFY2(output.contains(QLatin1String("uid_map 0 65534 1")), qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
