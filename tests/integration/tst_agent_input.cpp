// The real agent (`mountlab-cli agent --tracer none`, a lab in a user namespace) fed
// the security review's M6 inputs: each bad command gets an "error" event that names
// the field, and the agent and its container go on: the console command sent after it
// still prints ALIVE, and the agent exits 0. Lines come in through its stdin, as from
// the GUI or any other client.
#include "testutil.h"

#include <QFile>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <string>
#include <vector>

using Json = nlohmann::json;

namespace {

const QByteArray kAlive = "{\"cmd\":\"exec\",\"argv\":[\"echo\",\"ALIVE\"]}";

struct AgentRun {
    int exit_code = -1;
    std::vector<Json> events;
    QByteArray err;
};

AgentRun run_agent(const QByteArray& input)
{
    const auto r = mountlab::test::run(MOUNTLAB_CLI, {"agent", "--tracer", "none"}, input, 120000);
    AgentRun out{r.exit_code, {}, r.err};
    for (const QByteArray& line : r.out.split('\n'))
        if (!line.trimmed().isEmpty())
            out.events.push_back(Json::parse(line.toStdString(), nullptr, false));
    return out;
}

std::string str(const Json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// The "error" event for input line `line`, or null.
Json error_for_line(const AgentRun& r, int line)
{
    for (const Json& e : r.events)
        if (str(e, "kind") == "error" && e.contains("line") && e["line"] == line)
            return e;
    return nullptr;
}

// The end event of the console command that printed ALIVE, or null.
Json alive(const AgentRun& r)
{
    for (const Json& e : r.events)
        if (str(e, "kind") == "step" && str(e, "phase") == "end" && e.contains("data") &&
            str(e["data"], "stdout") == "ALIVE\n")
            return e;
    return nullptr;
}

QString dump(const AgentRun& r)
{
    QString s = QString::fromUtf8(r.err.left(2000)) + "\n";
    for (const Json& e : r.events)
        if (str(e, "kind") != "table" && str(e, "kind") != "lesson")
            s += QString::fromStdString(e.dump().substr(0, 300)) + "\n";
    return s;
}

std::string deep_op(int depth)
{
    return "{\"cmd\":\"op\",\"op\":{\"op\":\"mount\",\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}}";
}

} // namespace

class TestAgentInput : public QObject {
    Q_OBJECT

    QByteArray host_before_;

private slots:
    void init() { host_before_ = mountlab::test::host_mountinfo(); }
    void cleanup() { QCOMPARE(mountlab::test::host_mountinfo(), host_before_); }

    void badCommand_isAnErrorEvent_andTheAgentGoesOn_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QString>("field");
        QTest::newRow("cmd a number") << QByteArray("{\"cmd\":1}") << "\"cmd\"";
        QTest::newRow("index a string") << QByteArray("{\"cmd\":\"step\",\"index\":\"x\"}") << "\"index\"";
        QTest::newRow("lesson a number") << QByteArray("{\"cmd\":\"lesson-step\",\"lesson\":5,\"index\":0}")
                                         << "\"lesson\"";
        QTest::newRow("timeout a string")
            << QByteArray("{\"cmd\":\"exec\",\"argv\":[\"ls\"],\"timeout_ms\":\"x\"}") << "\"timeout_ms\"";
        QTest::newRow("op's op a number") << QByteArray("{\"cmd\":\"op\",\"op\":{\"op\":7}}") << "\"op\"";
        QTest::newRow("where a number")
            << QByteArray("{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":[\"true\"]},\"where\":5}") << "\"where\"";
        QTest::newRow("title a number") << QByteArray("{\"cmd\":\"op\",\"op\":{\"op\":\"escape\"},\"title\":3}")
                                        << "\"title\"";
        QTest::newRow("no such step") << QByteArray("{\"cmd\":\"step\",\"index\":18446744073709551615}") << "step";
        QTest::newRow("not JSON") << QByteArray("{\"cmd\":\"exec\",") << "JSON";
        // Copying this op recursed 400,000 levels deep: SIGSEGV before the fix.
        QTest::newRow("op nested 400,000 deep") << QByteArray::fromStdString(deep_op(400000)) << "nested";
    }

    void badCommand_isAnErrorEvent_andTheAgentGoesOn()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QFETCH(QByteArray, command);
        QFETCH(QString, field);
        const AgentRun r = run_agent(command + "\n" + kAlive + "\n");
        QVERIFY2(r.exit_code == 0, qPrintable(QStringLiteral("exit %1\n").arg(r.exit_code) + dump(r)));
        const Json error = error_for_line(r, 1);
        QVERIFY2(!error.is_null(), qPrintable("no error event for line 1\n" + dump(r)));
        QVERIFY2(str(error, "message").find(field.toStdString()) != std::string::npos, qPrintable(dump(r)));
        QVERIFY2(!alive(r).is_null(), qPrintable("ALIVE never ran\n" + dump(r)));
    }

    // Limits of the wrong type reach the container, which must not die of them.
    void opWithBadLimits_doesNotKillTheContainer()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray bad[] = {
            "{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":[\"true\"],\"limits\":{\"nproc\":\"x\"}}}",
            "{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":[\"true\"],\"limits\":{\"memory_mb\":-1,\"cpu_s\":1e308,\"file_mb\":[],\"pid_namespace\":\"yes\"}}}",
            "{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":[\"true\"],\"limits\":\"none\"}}",
            "{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":\"true\",\"timeout_ms\":\"x\",\"stdin\":5}}",
        };
        for (const QByteArray& command : bad) {
            const AgentRun r = run_agent(command + "\n" + kAlive + "\n");
            QVERIFY2(r.exit_code == 0, qPrintable(QString::fromUtf8(command) + "\n" + dump(r)));
            QVERIFY2(!alive(r).is_null(),
                     qPrintable("ALIVE never ran after " + QString::fromUtf8(command) + "\n" + dump(r)));
        }
    }

    // A timeout near INT_MAX once overflowed (+ 4000 ms) into a wait that never ended;
    // clamped, a quick command returns at once, and a 1 ms one is cut short. (The 1 ms
    // one could time out before its child became a process group leader: it then ran
    // its 5 s, and its late answer became the ALIVE command's: 2 runs in 6 failed.)
    void extremeTimeouts_areClamped_andTheAgentGoesOn()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const AgentRun r = run_agent("{\"cmd\":\"exec\",\"argv\":[\"echo\",\"QUICK\"],\"timeout_ms\":2147483647}"
                                     "\n"
                                     "{\"cmd\":\"exec\",\"argv\":[\"sleep\",\"5\"],\"timeout_ms\":-2147483648}"
                                     "\n" +
                                     kAlive + "\n");
        QVERIFY2(r.exit_code == 0, qPrintable(dump(r)));
        int quick = 0, cut_short = 0;
        for (const Json& e : r.events) {
            if (str(e, "kind") != "step" || str(e, "phase") != "end" || !e.contains("data"))
                continue;
            quick += str(e["data"], "stdout") == "QUICK\n";
            cut_short += e["data"].contains("timed_out") && e["data"]["timed_out"] == true;
        }
        QCOMPARE(quick, 1);
        QCOMPARE(cut_short, 1);
        QVERIFY2(!alive(r).is_null(), qPrintable(dump(r)));
    }

    // A line with no end (here 256 MiB) costs the agent about the limit, not the line:
    // it is refused as too long, and the next command runs.
    void aHugeLine_isRefused_withoutHoldingIt()
    {
        MOUNTLAB_REQUIRE_ROOT();
        // The input is a file, written in pieces: this process stays small, so the peak
        // RSS of its children (a fork counts its parent's pages until it execs) is the
        // agent's.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("huge.jsonl"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QByteArray chunk(1 << 20, 'x');
            for (int i = 0; i < 256; ++i)
                f.write(chunk);
            f.write("\n" + kAlive + "\n");
        }
        const auto p = mountlab::test::run(
            "sh", {"-c", QStringLiteral("%1 agent --tracer none < %2").arg(MOUNTLAB_CLI, file)}, {}, 120000);
        rusage ru{};
        getrusage(RUSAGE_CHILDREN, &ru);
        AgentRun r{p.exit_code, {}, p.err};
        for (const QByteArray& line : p.out.split('\n'))
            if (!line.trimmed().isEmpty())
                r.events.push_back(Json::parse(line.toStdString(), nullptr, false));
        QVERIFY2(r.exit_code == 0, qPrintable(dump(r)));
        bool refused = false;
        for (const Json& e : r.events)
            refused =
                refused || (str(e, "kind") == "error" && str(e, "message").find("the limit is") != std::string::npos);
        QVERIFY2(refused, qPrintable(dump(r)));
        QVERIFY2(!alive(r).is_null(), qPrintable(dump(r)));
        QVERIFY2(ru.ru_maxrss < 128 * 1024,
                 qPrintable(QStringLiteral("peak RSS %1 kB for a 256 MiB line").arg(ru.ru_maxrss)));
    }
};

QTEST_GUILESS_MAIN(TestAgentInput)
#include "tst_agent_input.moc"
