// stream::parse_command, the agent's reading of a client's line (core/stream/command.h):
// every malformed command of the security review's M6 is an error that names the
// field, nothing throws, and timeouts are clamped to 1 ms .. 10 min.
#include "stream/command.h"
#include "testutil.h"

#include <string>

using namespace mountlab;
using stream::Command;
using stream::parse_command;

namespace {

// The error for a line, "" when it parsed; a throw fails the test here, not the suite.
std::string error_of(const std::string& line)
{
    try {
        auto r = parse_command(line);
        return r ? std::string() : r.error().message;
    } catch (const std::exception& e) {
        return std::string("THREW: ") + e.what();
    }
}

std::string nested(const std::string& open, const std::string& close, int depth, const std::string& inner = "1")
{
    std::string s;
    for (int i = 0; i < depth; ++i)
        s += open;
    s += inner;
    for (int i = 0; i < depth; ++i)
        s += close;
    return s;
}

} // namespace

class TestAgentCommand : public QObject {
    Q_OBJECT
private slots:
    void reviewM6Inputs_areErrorsThatNameTheField_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("field");
        QTest::newRow("cmd a number") << "{\"cmd\":1}"
                                      << "\"cmd\"";
        QTest::newRow("cmd missing") << "{\"index\":0}"
                                     << "\"cmd\"";
        QTest::newRow("index a string") << "{\"cmd\":\"step\",\"index\":\"x\"}"
                                        << "\"index\"";
        QTest::newRow("index a float") << "{\"cmd\":\"step\",\"index\":1.5}"
                                       << "\"index\"";
        QTest::newRow("index missing") << "{\"cmd\":\"step\"}"
                                       << "\"index\"";
        QTest::newRow("lesson a number") << "{\"cmd\":\"lesson-step\",\"lesson\":5,\"index\":0}"
                                         << "\"lesson\"";
        QTest::newRow("timeout a string") << "{\"cmd\":\"exec\",\"argv\":[\"ls\"],\"timeout_ms\":\"x\"}"
                                          << "\"timeout_ms\"";
        QTest::newRow("timeout a float") << "{\"cmd\":\"exec\",\"argv\":[\"ls\"],\"timeout_ms\":1e30}"
                                         << "\"timeout_ms\"";
        QTest::newRow("timeout beyond 64 bits")
            << "{\"cmd\":\"exec\",\"argv\":[\"ls\"],\"timeout_ms\":99999999999999999999999}"
            << "\"timeout_ms\"";
        QTest::newRow("argv a string") << "{\"cmd\":\"exec\",\"argv\":\"ls\"}"
                                       << "\"argv\"";
        QTest::newRow("argv of numbers") << "{\"cmd\":\"exec\",\"argv\":[1,2]}"
                                         << "\"argv\"";
        QTest::newRow("argv empty") << "{\"cmd\":\"exec\",\"argv\":[]}"
                                    << "\"argv\"";
        QTest::newRow("op's op a number") << "{\"cmd\":\"op\",\"op\":{\"op\":7}}"
                                          << "\"op\"";
        QTest::newRow("op a string") << "{\"cmd\":\"op\",\"op\":\"mount\"}"
                                     << "\"op\"";
        QTest::newRow("where a number") << "{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":[\"true\"]},\"where\":5}"
                                        << "\"where\"";
        QTest::newRow("where unknown") << "{\"cmd\":\"op\",\"op\":{\"op\":\"exec\"},\"where\":\"host\"}"
                                       << "\"where\"";
        QTest::newRow("title a number") << "{\"cmd\":\"op\",\"op\":{\"op\":\"escape\"},\"title\":3}"
                                        << "\"title\"";
        QTest::newRow("shell an object") << "{\"cmd\":\"op\",\"op\":{\"op\":\"escape\"},\"shell\":{}}"
                                         << "\"shell\"";
        QTest::newRow("stage null") << "{\"cmd\":\"list\",\"stage\":null}"
                                    << "\"stage\"";
        QTest::newRow("unknown command") << "{\"cmd\":\"format-disk\"}"
                                         << "`format-disk`";
    }

    void reviewM6Inputs_areErrorsThatNameTheField()
    {
        QFETCH(QString, line);
        QFETCH(QString, field);
        const std::string why = error_of(line.toStdString());
        QVERIFY2(!why.empty(), qPrintable("accepted: " + line));
        QVERIFY2(why.find("THREW") == std::string::npos, why.c_str());
        QVERIFY2(why.find(field.toStdString()) != std::string::npos,
                 qPrintable(QString::fromStdString(why) + " for " + line));
    }

    void notAnObject_orTooLong_isAnError()
    {
        for (const std::string& line :
             {std::string(""), std::string("[]"), std::string("1"), std::string("null"), std::string("\"cmd\""),
              std::string("{\"cmd\":\"list\""), std::string("{\"cmd\":\"\xff\"}"), std::string("{\"cmd\":\"list\"}{}")})
            QVERIFY2(error_of(line).find("not a JSON object") != std::string::npos, line.c_str());
        const std::string huge = "{\"cmd\":\"list\",\"pad\":\"" + std::string(stream::kMaxCommandBytes, 'x') + "\"}";
        QVERIFY(error_of(huge).find("limit") != std::string::npos);
    }

    // Deep nesting inside a command must not exhaust the stack (copying or printing a
    // JSON value is recursive): it is refused before it is parsed.
    void deepNesting_isRefused_notACrash()
    {
        const int depth = 400000; // fits the 1 MiB line limit
        for (const std::string& line :
             {"{\"cmd\":\"op\",\"op\":{\"op\":\"mount\",\"x\":" + nested("[", "]", depth) + "}}",
              "{\"cmd\":\"op\",\"op\":" + nested("{\"op\":\"mount\",\"x\":", "}", depth / 16, "1") + "}",
              "{\"cmd\":\"list\",\"x\":" + nested("[", "]", depth) + "}"}) {
            QVERIFY(line.size() < stream::kMaxCommandBytes);
            const std::string why = error_of(line);
            QVERIFY2(why.find("nested") != std::string::npos, why.substr(0, 200).c_str());
        }
        // The limit, exactly: the line's object, the op, then 30 arrays is 32 levels.
        const std::string at_limit = "{\"cmd\":\"op\",\"op\":{\"op\":\"mount\",\"x\":" + nested("[", "]", 30) + "}}";
        QCOMPARE(error_of(at_limit), std::string());
        const std::string past = "{\"cmd\":\"op\",\"op\":{\"op\":\"mount\",\"x\":" + nested("[", "]", 31) + "}}";
        QVERIFY(error_of(past).find("nested 33 deep; the limit is 32") != std::string::npos);
        // Brackets inside strings are text, not nesting.
        const std::string text = "{\"cmd\":\"exec\",\"argv\":[\"echo\",\"" + std::string(5000, '[') + "\\\"]\"]}";
        QCOMPARE(error_of(text), std::string());
        // A real op is a few levels deep at most.
        QCOMPARE(error_of("{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":[\"true\"],\"limits\":{\"nproc\":4}}}"),
                 std::string());
    }

    void timeout_isClampedTo1msAnd10Minutes_data()
    {
        QTest::addColumn<QString>("timeout");
        QTest::addColumn<int>("expected");
        QTest::newRow("absent") << "" << 10000;
        QTest::newRow("0") << "0" << 1;
        QTest::newRow("negative") << "-5" << 1;
        QTest::newRow("INT_MIN") << "-2147483648" << 1;
        QTest::newRow("INT64_MIN") << "-9223372036854775808" << 1;
        QTest::newRow("1") << "1" << 1;
        QTest::newRow("5000") << "5000" << 5000;
        QTest::newRow("10 min") << "600000" << 600000;
        QTest::newRow("10 min + 1") << "600001" << 600000;
        QTest::newRow("INT_MAX") << "2147483647" << 600000;
        QTest::newRow("INT_MAX - 3999 (the old + 4000 overflow)") << "2147479648" << 600000;
        QTest::newRow("UINT64_MAX") << "18446744073709551615" << 600000;
    }

    void timeout_isClampedTo1msAnd10Minutes()
    {
        QFETCH(QString, timeout);
        QFETCH(int, expected);
        const std::string line = "{\"cmd\":\"exec\",\"argv\":[\"ls\"]" +
                                 (timeout.isEmpty() ? std::string() : ",\"timeout_ms\":" + timeout.toStdString()) + "}";
        auto c = parse_command(line);
        QVERIFY2(c, c ? "" : c.error().message.c_str());
        QCOMPARE(c->timeout_ms, expected);
    }

    void index_isClampedToWhatAStepListCanHold()
    {
        auto huge = parse_command("{\"cmd\":\"step\",\"index\":18446744073709551615}");
        QVERIFY(huge);
        QCOMPARE(huge->index, 1L << 20);
        auto negative = parse_command("{\"cmd\":\"step\",\"index\":-9223372036854775808}");
        QVERIFY(negative);
        QCOMPARE(negative->index, -1L);
    }

    // The footer of `mountlab-cli agent --help` (app/cli/cmd_agent.cpp), command by command.
    void footerCommands_parse()
    {
        for (const char* line :
             {"{\"cmd\":\"list\"}", "{\"cmd\":\"step\",\"index\":3}", "{\"cmd\":\"lessons\"}",
              "{\"cmd\":\"lesson-step\",\"lesson\":\"propagation\",\"index\":0}",
              "{\"cmd\":\"op\",\"op\":{\"op\":\"mount\",\"source\":\"tmpfs\"},\"where\":\"lab host\",\"title\":\"t\"}",
              "{\"cmd\":\"exec\",\"argv\":[\"ls\",\"/\"]}", "{\"cmd\":\"snapshot\"}", "{\"cmd\":\"reset\"}",
              "{\"cmd\":\"reset-lab\",\"lesson\":\"overlay\"}", "{\"cmd\":\"quit\"}"})
            QVERIFY2(error_of(line).empty(), qPrintable(QString::fromStdString(error_of(line)) + " for " + line));
        auto exec = parse_command("{\"cmd\":\"exec\",\"argv\":[\"ls\",\"/\"]}");
        QCOMPARE(exec->kind, Command::Kind::Exec);
        QCOMPARE(exec->argv, (std::vector<std::string>{"ls", "/"}));
        QCOMPARE(exec->where, std::string("container"));
        auto op = parse_command("{\"cmd\":\"op\",\"op\":{\"op\":\"mount\"},\"where\":\"lab host\"}");
        QCOMPARE(op->where, std::string("lab host"));
        QCOMPARE(op->title, std::string("mount"));
    }

    // Bad limits pass through the parser (the container reads them, with fallbacks).
    void opLimitsOfTheWrongType_areLeftToTheContainer()
    {
        auto c =
            parse_command("{\"cmd\":\"op\",\"op\":{\"op\":\"exec\",\"argv\":[\"true\"],\"limits\":{\"nproc\":\"x\"}}}");
        QVERIFY2(c, c ? "" : c.error().message.c_str());
        QCOMPARE(c->op["limits"]["nproc"], Json("x"));
    }
};

QTEST_GUILESS_MAIN(TestAgentCommand)
#include "tst_agent_command.moc"
