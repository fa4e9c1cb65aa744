// The terminal's part of the agent protocol: base64 that carries any bytes, and the
// terminal-* commands, parsed field by field without throwing.
#include "base/base64.h"
#include "stream/command.h"
#include "testutil.h"

using namespace mountlab;
using K = stream::Command::Kind;

class TestTerminalCommands : public QObject {
    Q_OBJECT
private slots:
    void base64_roundTripsEveryByte_likeQt()
    {
        std::string all;
        for (int i = 0; i < 256; ++i)
            all += static_cast<char>(i);
        for (size_t n = 0; n <= all.size(); n += 37) {
            const std::string part = all.substr(n > 3 ? n - 3 : 0, n);
            const std::string enc = base64_encode(part);
            QCOMPARE(QByteArray::fromStdString(enc), QByteArray::fromStdString(part).toBase64());
            QCOMPARE(base64_decode(enc).value(), part);
        }
        QCOMPARE(base64_encode("\033[31mred\033[0m\377\n"), std::string("G1szMW1yZWQbWzBt/wo="));
    }

    void base64_malformed_isRefused()
    {
        for (const char* bad : {"A", "AB=", "A===", "AB=C", "A B=", "AB\n=", "QQ==QQ==", "****"})
            QVERIFY2(!base64_decode(bad), bad);
        QCOMPARE(base64_decode("").value(), std::string());
    }

    void terminalOpen_defaultsAndChecksItsFields()
    {
        auto c = stream::parse_command(R"({"cmd":"terminal-open"})");
        QVERIFY(c.ok());
        QCOMPARE(c->kind, K::TerminalOpen);
        QCOMPARE(c->where, std::string("container"));
        QCOMPARE(c->rows, 24);
        QCOMPARE(c->cols, 80);
        c = stream::parse_command(R"({"cmd":"terminal-open","where":"lab host","rows":50,"cols":132})");
        QVERIFY(c.ok());
        QCOMPARE(c->where, std::string("lab host"));
        QCOMPARE(c->rows, 50);
        QCOMPARE(c->cols, 132);
        for (const char* bad : {R"({"cmd":"terminal-open","where":"machine"})", R"({"cmd":"terminal-open","rows":0})",
                                R"({"cmd":"terminal-open","cols":"80"})", R"({"cmd":"terminal-open","rows":100000})"}) {
            auto r = stream::parse_command(bad);
            QVERIFY2(!r.ok(), bad);
            QCOMPARE(r.error().errnum, EINVAL);
        }
    }

    void terminalInput_takesBase64OrText_exactly()
    {
        auto c = stream::parse_command(R"({"cmd":"terminal-input","id":3,"data":"G1szMW1yZWQbWzBt/wo="})");
        QVERIFY(c.ok());
        QCOMPARE(c->kind, K::TerminalInput);
        QCOMPARE(c->terminal, 3L);
        QCOMPARE(c->data, std::string("\033[31mred\033[0m\377\n"));
        c = stream::parse_command(R"({"cmd":"terminal-input","id":1,"text":"echo \u00e9\u0003"})");
        QVERIFY(c.ok());
        QCOMPARE(c->data, std::string("echo \xc3\xa9\x03"));
        for (const char* bad :
             {R"({"cmd":"terminal-input","data":"QQ=="})", R"({"cmd":"terminal-input","id":0,"data":"QQ=="})",
              R"({"cmd":"terminal-input","id":"1","data":"QQ=="})", R"({"cmd":"terminal-input","id":1})",
              R"({"cmd":"terminal-input","id":1,"data":"QQ==","text":"A"})",
              R"({"cmd":"terminal-input","id":1,"data":"Q"})", R"({"cmd":"terminal-input","id":1,"data":5})",
              R"({"cmd":"terminal-input","id":1,"text":["a"]})"})
            QVERIFY2(!stream::parse_command(bad).ok(), bad);
    }

    void terminalResizeAndClose_needAnIdAndASize()
    {
        auto c = stream::parse_command(R"({"cmd":"terminal-resize","id":2,"rows":40,"cols":120})");
        QVERIFY(c.ok());
        QCOMPARE(c->kind, K::TerminalResize);
        QCOMPARE(c->rows, 40);
        QCOMPARE(c->cols, 120);
        QVERIFY(!stream::parse_command(R"({"cmd":"terminal-resize","id":2,"rows":40})").ok());
        QVERIFY(!stream::parse_command(R"({"cmd":"terminal-resize","id":2,"rows":-1,"cols":80})").ok());
        c = stream::parse_command(R"({"cmd":"terminal-close","id":7})");
        QVERIFY(c.ok());
        QCOMPARE(c->kind, K::TerminalClose);
        QCOMPARE(c->terminal, 7L);
        QVERIFY(!stream::parse_command(R"({"cmd":"terminal-close"})").ok());
        QVERIFY(!stream::parse_command(R"({"cmd":"terminal-close","id":1.5})").ok());
    }
};

QTEST_GUILESS_MAIN(TestTerminalCommands)
#include "tst_terminal_commands.moc"
