// The lab's terminal through the real agent: a PTY shell whose state persists, whose
// output streams as it comes, interleaved as a terminal shows it, that Ctrl+C
// interrupts, in the lab's namespaces; its mounts reach the stream as a step's do.
#include "agentdriver.h"
#include "base/base64.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <nlohmann/json.hpp>

using namespace mountlab;
using Json = nlohmann::ordered_json; // the agent driver speaks JSON of its own (tests/common)

namespace {

using test::Agent;
using test::Event;

QList<QByteArray> mount_namespaces(const QByteArray& out)
{
    QList<QByteArray> ns;
    static const QRegularExpression re(QStringLiteral("mnt:\\[(\\d+)\\]"));
    for (auto it = re.globalMatch(QString::fromLatin1(out)); it.hasNext();)
        ns.push_back(it.next().captured(1).toLatin1());
    return ns;
}

int descriptors_of(qint64 pid)
{
    return static_cast<int>(
        QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::System).size());
}

} // namespace

class TestTerminal : public QObject {
    Q_OBJECT

    QByteArray host_before_;
    std::unique_ptr<Agent> agent_;

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        host_before_ = test::host_mountinfo();
    }
    void init()
    {
        agent_ = std::make_unique<Agent>();
        QVERIFY2(agent_->start(), "the agent did not start");
    }
    void cleanup() { agent_.reset(); }
    void cleanupTestCase()
    {
        if (!host_before_.isEmpty())
            QCOMPARE(test::host_mountinfo(), host_before_);
    }

    void cwdAndVariables_persistFromLineToLine()
    {
        // Counted once the agent's start-up is over (a descriptor it holds for a moment
        // while it starts would make the count one too many).
        agent_->settle(300);
        const int before = descriptors_of(agent_->pid());
        const int id = agent_->open();
        QVERIFY(id > 0);
        // The PTY master is the one descriptor the engine gained.
        QCOMPARE(descriptors_of(agent_->pid()), before + 1);
        agent_->type(id, "cd /tmp; X=42; echo \"$PWD $X\"\n");
        QVERIFY2(agent_->wait_output(id, "/tmp 42\r\n", 3000), agent_->output(id).constData());
        agent_->type(id, "echo \"x$X in $(pwd)\"\n");
        QVERIFY2(agent_->wait_output(id, "x42 in /tmp\r\n", 3000), agent_->output(id).constData());
    }

    void backgroundJob_returnsAtOnce_andJobsListsIt()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        const qint64 t0 = agent_->now();
        agent_->type(id, "sleep 5 & echo sta\"\"rted\n");
        QVERIFY(agent_->wait_output(id, "started\r\n", 3000));
        const qint64 took = agent_->now() - t0;
        qInfo("`sleep 5 &` came back in %lld ms", took);
        QVERIFY2(took < 1000, qPrintable(QString::number(took)));
        const int from = agent_->text_of(id).size();
        agent_->type(id, "jobs\n");
        QVERIFY2(agent_->wait_output(id, "sleep 5", 3000, from + 5), agent_->output(id).constData());
    }

    void output_streamsAsItComes()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        agent_->type(id, "for i in 1 2 3; do echo L$i; sleep 0.3; done; echo e\"\"nd\n");
        QVERIFY(agent_->wait_output(id, "\nend\r\n", 5000)); // not the echo of what was typed
        // When each line arrived: in separate events spread over the loop's time.
        std::map<std::string, qint64> at;
        for (const Event& e : agent_->events()) {
            if (!e.json.contains("data") || e.json.value("id", 0) != id)
                continue;
            const std::string bytes = base64_decode(e.json["data"].get<std::string>()).value_or("");
            for (const char* l : {"L1\r\n", "L2\r\n", "L3\r\n"})
                if (bytes.find(l) != std::string::npos)
                    at[l] = e.ms;
        }
        QCOMPARE(at.size(), size_t(3));
        qInfo("L1 at %lld ms, L2 +%lld, L3 +%lld", at["L1\r\n"], at["L2\r\n"] - at["L1\r\n"],
              at["L3\r\n"] - at["L1\r\n"]);
        QVERIFY(at["L2\r\n"] - at["L1\r\n"] >= 200);
        QVERIFY(at["L3\r\n"] - at["L2\r\n"] >= 200);
    }

    void stdoutAndStderr_interleaveInOrder()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        agent_->type(id, "echo a; echo b >&2; echo c\n");
        QVERIFY2(agent_->wait_output(id, "a\r\nb\r\nc\r\n", 3000), agent_->output(id).constData());
    }

    void ctrlC_interruptsTheForegroundCommand()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        agent_->type(id, "sleep 30; echo not-\"\"interrupted\n");
        QVERIFY(agent_->wait_output(id, "sleep 30; echo not-\"\"interrupted\r\n", 3000));
        QTest::qWait(200); // sleep is running in the foreground
        const qint64 t0 = agent_->now();
        agent_->type(id, "\x03");
        agent_->type(id, "echo back$((40+2))\n");
        QVERIFY2(agent_->wait_output(id, "back42\r\n", 2000), agent_->output(id).constData());
        const qint64 took = agent_->now() - t0;
        qInfo("Ctrl+C to the next prompt's output: %lld ms", took);
        QVERIFY(took < 1000);
        QVERIFY(!agent_->output(id).contains("not-interrupted\r\n"));
    }

    void nestedShell_inANewMountNamespace_andBack()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        agent_->type(id, "readlink /proc/self/ns/mnt\n");
        QVERIFY(agent_->wait_output(id, "]\r\n", 3000));
        // busybox's unshare takes -m (util-linux's also --mount).
        agent_->type(id, "unshare -m sh\n");
        agent_->type(id, "readlink /proc/self/ns/mnt; echo nested-d\"\"one\n");
        QVERIFY(agent_->wait_output(id, "nested-done\r\n", 3000));
        agent_->type(id, "exit\n");
        agent_->type(id, "readlink /proc/self/ns/mnt; echo outer-d\"\"one\n");
        QVERIFY(agent_->wait_output(id, "outer-done\r\n", 3000));
        const QList<QByteArray> ns = mount_namespaces(agent_->output(id));
        QCOMPARE(ns.size(), 3);
        QVERIFY2(ns[1] != ns[0], "the nested shell is in the same mount namespace");
        QCOMPARE(ns[2], ns[0]);
    }

    // `unshare --mount bash` then a mount: the container view is the nested shell's (its
    // namespace, its new mount), not the container process's, which has neither; after
    // `exit` it is the container's again, without the mount.
    void containerView_followsTheTerminalsForegroundShell()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        const Json* first = agent_->last("table", "container");
        QVERIFY(first);
        const auto container_ns = first->value("mntns", 0ull);
        agent_->type(id, "unshare --mount --propagation private bash\n");
        agent_->type(id, "mkdir -p /mnt/nested; mount -t tmpfs nested /mnt/nested; echo mo\"\"unted\n");
        QVERIFY(agent_->wait_output(id, "mounted\r\n", 5000));
        agent_->settle(400);
        const Json* nested = agent_->last("table", "container");
        QVERIFY(nested);
        auto has_nested = [](const Json& t) {
            for (const Json& m : t["mounts"])
                if (m.value("target", "") == "/mnt/nested")
                    return true;
            return false;
        };
        QVERIFY2(has_nested(*nested), "the container view shows the nested shell's mount");
        QVERIFY(nested->value("mntns", 0ull) != container_ns);
        QCOMPARE(nested->value("comm", ""), std::string("bash"));
        QVERIFY(nested->value("pid", 0) > 0);
        QVERIFY2(!has_nested(*agent_->last("table", "host")), "the lab host has no such mount");
        agent_->type(id, "exit\n");
        agent_->settle(400);
        const Json* back = agent_->last("table", "container");
        QVERIFY(back);
        QCOMPARE(back->value("mntns", 0ull), container_ns);
        QVERIFY(!has_nested(*back));
        QVERIFY(!back->contains("pid"));
    }

    // The commands of a standard mount-namespace tutorial (../shared/reference/
    // mount-namespaces.md), typed as it writes them (a `mkdir -p` where mount(8) needs a
    // directory that the tutorial's machine has): each exits 0 and prints what the
    // tutorial says it prints.
    void tutorialCommands_runAsTheTutorialWritesThem()
    {
        const int id = agent_->open("container", 40, 160);
        QVERIFY(id > 0);
        int n = 0;
        auto run = [&](const std::string& line, const QByteArray& expect = {}) {
            const int from = static_cast<int>(agent_->text_of(id).size());
            const std::string mark = "rc" + std::to_string(++n) + "=";
            agent_->type(id, line + "\necho " + mark.substr(0, 2) + "\"\"" + mark.substr(2) + "$?\n");
            if (!agent_->wait_output(id, QByteArray::fromStdString(mark), 10000, from))
                return QString::fromStdString("no end of `" + line + "`: ") + agent_->text_of(id).mid(from);
            const QByteArray out = agent_->text_of(id).mid(from);
            if (!out.contains(QByteArray::fromStdString(mark + "0\r\n")))
                return QString::fromStdString("`" + line + "` failed: ") + out;
            if (!expect.isEmpty() && !out.contains(expect))
                return QString::fromStdString("`" + line + "` did not print `" + expect.toStdString() + "`: ") + out;
            return QString();
        };
        QString why;
        for (
            const auto& [line, expect] : std::vector<std::pair<std::string, QByteArray>>{
                {"unshare --mount bash", {}},
                {"mkdir -p /mytmp", {}},
                {"mount -t tmpfs tmpfs /mytmp", {}},
                {"df -h /mytmp", "tmpfs"},
                {"findmnt", "/mytmp"},
                {"findmnt -o PROPAGATION", "private"},
                {"cat /proc/self/mountinfo | head -20", " / / "},
                {"mkdir -p /lower1 /lower2 /lower3 /upper /work /merged", {}},
                {"mount -t overlay overlay \\\n  -o lowerdir=/lower1:/lower2:/lower3,\\\nupperdir=/upper,\\\nworkdir=/work \\\n  /merged",
                 {}},
                {"findmnt -o TARGET,FSTYPE,PROPAGATION /merged", "overlay"},
                {"sleep 600 &", {}},
                {"exit", {}},
                {"nsenter --target $(pidof sleep) --mount findmnt", "/mytmp"},
                {"chroot /images/layers/base bash -c 'echo inside the chroot'", "inside the chroot"},
                {"ps", "PID"},
                {"kill $(pidof sleep)", {}},
            }) {
            why = run(line, expect);
            if (!why.isEmpty())
                break;
        }
        QVERIFY2(why.isEmpty(), qPrintable(why));
        // The outer shell never saw the nested shell's tmpfs.
        QVERIFY(!agent_->text_of(id).contains("TARGET\r\n/mytmp"));
    }

    void mountTypedInTheTerminal_reachesTheStreamAsADiff()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        const qint64 t0 = agent_->now();
        agent_->type(id, "mount -t tmpfs t /mnt && echo mou\"\"nted\n");
        QVERIFY(agent_->wait_output(id, "mounted\r\n", 3000));
        const Json* begin = agent_->wait_for(
            [](const Json& e) { return e.value("kind", "") == "step" && e.value("stage", "") == "terminal"; }, 3000);
        QVERIFY(begin);
        QCOMPARE(begin->value("where", ""), std::string("container"));
        const int step = begin->value("step", 0);
        const Json* d = agent_->wait_for(
            [&](const Json& e) {
                return e.value("kind", "") == "diff" && e.value("view", "") == "container" &&
                       e.value("step", 0) == step;
            },
            3000);
        QVERIFY(d);
        qInfo("the mount's diff arrived %lld ms after it was typed", agent_->now() - t0);
        bool found = false;
        for (const Json& m : (*d)["added"])
            found = found || (m.value("target", "") == "/mnt" && m.value("fstype", "") == "tmpfs");
        QVERIFY2(found, d->dump().c_str());
        QVERIFY(agent_->wait_for(
            [&](const Json& e) {
                return e.value("kind", "") == "step" && e.value("phase", "") == "end" && e.value("step", 0) == step;
            },
            1000));
    }

    void tracedCalls_areTaggedToTheTerminalsStep_programsAlone_makeNone()
    {
        agent_ = std::make_unique<Agent>();
        QVERIFY(agent_->start(QStringLiteral("engine")));
        const Json& session = agent_->events().front().json;
        if (session.value("trace", "") != "bpf") {
            const QString why = QString::fromStdString("no eBPF here: " + session.value("trace_unavailable", ""));
            if (qEnvironmentVariableIntValue("MOUNTLAB_REQUIRE_PRIVILEGED"))
                QFAIL(qPrintable("MOUNTLAB_REQUIRE_PRIVILEGED is set but this test cannot run: " + why));
            QSKIP(qPrintable(why));
        }
        const int id = agent_->open();
        QVERIFY(id > 0);
        agent_->type(id, "ls / >/dev/null; echo o\"\"k\n");
        QVERIFY(agent_->wait_output(id, "\nok\r\n", 3000));
        agent_->type(id, "umount /nonexistent; echo d\"\"one\n");
        QVERIFY(agent_->wait_output(id, "\ndone\r\n", 3000));
        const Json* call = agent_->wait_for(
            [](const Json& e) {
                return e.value("kind", "") == "syscall" &&
                       e.value("text", "").find("/nonexistent") != std::string::npos;
            },
            3000);
        QVERIFY(call);
        QVERIFY(call->contains("step"));
        int terminal_steps = 0, tagged_step = (*call)["step"].get<int>(), step_of_it = 0;
        for (const Event& e : agent_->events())
            if (e.json.value("kind", "") == "step" && e.json.value("phase", "") == "begin" &&
                e.json.value("stage", "") == "terminal") {
                ++terminal_steps;
                step_of_it = e.json.value("step", 0);
            }
        // `ls` alone (an exec, no mount call, no change) made no step; the failed umount did.
        QCOMPARE(terminal_steps, 1);
        QCOMPARE(tagged_step, step_of_it);
    }

    void resize_changesSttySize()
    {
        const int id = agent_->open("container", 24, 80);
        QVERIFY(id > 0);
        agent_->type(id, "stty size\n");
        QVERIFY(agent_->wait_output(id, "24 80\r\n", 3000));
        agent_->send(Json{{"cmd", "terminal-resize"}, {"id", id}, {"rows", 40}, {"cols", 132}});
        agent_->type(id, "stty size\n");
        QVERIFY2(agent_->wait_output(id, "40 132\r\n", 3000), agent_->output(id).constData());
    }

    void escapesAndInvalidUtf8_roundTripExactly()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        agent_->type(id, "printf '\\033[31mred\\033[0m\\377\\n'\n");
        QVERIFY2(agent_->wait_output(id, QByteArray("\033[31mred\033[0m\377\r\n"), 3000),
                 agent_->output(id).toHex().constData());
    }

    void exit_closesWithTheShellsStatus_andResetClosesTheRest()
    {
        int id = agent_->open();
        QVERIFY(id > 0);
        agent_->type(id, "exit 7\n");
        const Json* closed = agent_->wait_for(
            [&](const Json& e) { return e.value("kind", "") == "terminal" && e.value("closed", false); }, 3000);
        QVERIFY(closed);
        QCOMPARE(closed->value("id", 0), id);
        QCOMPARE((*closed)["exit"].get<int>(), 7);
        QCOMPARE(closed->value("reason", ""), std::string("exit"));

        id = agent_->open();
        const int host = agent_->open("lab host");
        QVERIFY(id > 0 && host > 0);
        agent_->send(Json{{"cmd", "reset"}});
        closed = agent_->wait_for(
            [&](const Json& e) { return e.value("kind", "") == "terminal" && e.value("closed", false); }, 5000);
        QVERIFY(closed);
        QCOMPARE(closed->value("id", 0), id);
        QCOMPARE(closed->value("reason", ""), std::string("reset"));
        // The lab host's shell outlives a fresh container, and closing it is an answer.
        agent_->type(host, "echo still-$((6*7))\n");
        QVERIFY(agent_->wait_output(host, "still-42\r\n", 3000));
        agent_->send(Json{{"cmd", "terminal-close"}, {"id", host}});
        closed = agent_->wait_for(
            [&](const Json& e) { return e.value("kind", "") == "terminal" && e.value("closed", false); }, 5000);
        QVERIFY(closed);
        QCOMPARE(closed->value("id", 0), host);
        QCOMPARE(closed->value("reason", ""), std::string("closed"));
        agent_->type(host, "x");
        QVERIFY(agent_->wait_for([](const Json& e) { return e.value("kind", "") == "error"; }, 3000));
    }

    void labHostShell_isInTheLabsUserNamespace()
    {
        const int id = agent_->open("lab host");
        QVERIFY(id > 0);
        agent_->type(id, "hostname; cat /proc/self/uid_map; echo do\"\"ne\n");
        QVERIFY2(agent_->wait_output(id, "\ndone\r\n", 3000), agent_->output(id).constData());
        const QByteArray out = agent_->output(id);
        QVERIFY(out.contains("labhost\r\n"));
        // Root here is one unprivileged ID outside: "0 <id> 1", never "0 0 ...".
        static const QRegularExpression map(QStringLiteral("\\n\\s*0\\s+(\\d+)\\s+1\\r"));
        const auto m = map.match(QString::fromLatin1(out));
        QVERIFY2(m.hasMatch(), out.constData());
        QVERIFY(m.captured(1).toLongLong() != 0);
    }
};

QTEST_GUILESS_MAIN(TestTerminal)
#include "tst_terminal.moc"
