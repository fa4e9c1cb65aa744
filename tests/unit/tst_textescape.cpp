// escape_text and friends: what reaches a terminal or a CI log from untrusted bytes.
#include "base/textescape.h"
#include "testutil.h"
#include "textcheck.h"

using namespace mountlab;

namespace {
QByteArray qb(const std::string& s) { return QByteArray::fromStdString(s); }
} // namespace

class TestTextEscape : public QObject {
    Q_OBJECT
private slots:
    void controls_becomeHexLikeFindmnt()
    {
        QCOMPARE(qb(escape_text("a\x1b[2Jb")), QByteArray("a\\x1b[2Jb"));
        QCOMPARE(qb(escape_text(std::string("nul\0x", 5))), QByteArray("nul\\x00x"));
        QCOMPARE(qb(escape_text("tab\there\nnl\r\x7f")), QByteArray("tab\\x09here\\x0anl\\x0d\\x7f"));
        QCOMPARE(qb(escape_text("bell\x07")), QByteArray("bell\\x07"));
    }

    void c1Controls_areEscapedByteByByte()
    {
        // U+009B (CSI) and U+0085 (NEL) in UTF-8.
        QCOMPARE(qb(escape_text("\xc2\x9b"
                                "31m")),
                 QByteArray("\\xc2\\x9b31m"));
        QCOMPARE(qb(escape_text("\xc2\x85")), QByteArray("\\xc2\\x85"));
        QCOMPARE(qb(escape_text("\xc2\xa0")), QByteArray("\xc2\xa0")); // U+00A0 is printable
    }

    void validUtf8_isKept() { QCOMPARE(qb(escape_text("/mnt/ünï → ✓ 日本 😀")), QByteArray("/mnt/ünï → ✓ 日本 😀")); }

    void invalidUtf8_isEscapedPerByte()
    {
        QCOMPARE(qb(escape_text("a\xff"
                                "b")),
                 QByteArray("a\\xffb"));
        QCOMPARE(qb(escape_text("\xc3")), QByteArray("\\xc3"));                            // truncated
        QCOMPARE(qb(escape_text("\xc0\xaf")), QByteArray("\\xc0\\xaf"));                   // overlong '/'
        QCOMPARE(qb(escape_text("\xed\xa0\x80")), QByteArray("\\xed\\xa0\\x80"));          // surrogate
        QCOMPARE(qb(escape_text("\xf4\x90\x80\x80")), QByteArray("\\xf4\\x90\\x80\\x80")); // > U+10FFFF
        QCOMPARE(qb(escape_text("\xe2\x86")), QByteArray("\\xe2\\x86"));
    }

    void backslashBeforeX_isEscapedSoOutputIsUnambiguous()
    {
        QCOMPARE(qb(escape_text("a\\x1b")), QByteArray("a\\x5cx1b"));
        QCOMPARE(qb(escape_text("back\\slash")), QByteArray("back\\slash"));
    }

    void multiline_keepsOnlyNewline()
    {
        QCOMPARE(qb(escape_multiline("one\ntwo\r\n\x1b]0;t\x07")), QByteArray("one\ntwo\\x0d\n\\x1b]0;t\\x07"));
    }

    void quoteLines_prefixesEveryLineButTheFirst()
    {
        QCOMPARE(qb(quote_lines("out\n::error::x\nend\n", "  | ")), QByteArray("out\n  | ::error::x\n  | end\n"));
        QCOMPARE(qb(quote_lines("one line", "  | ")), QByteArray("one line"));
    }

    void defuse_escapesTheColonOfWorkflowCommandsOnly()
    {
        QCOMPARE(qb(defuse_workflow_commands("::error::x\nok ::no\n  ::add-mask::s\n")),
                 QByteArray("\\x3a:error::x\nok ::no\n  \\x3a:add-mask::s\n"));
        // The runner trims Unicode whitespace too (U+2003 EM SPACE, U+3000).
        QCOMPARE(qb(defuse_workflow_commands("\xe2\x80\x83::stop-commands::t")),
                 QByteArray("\xe2\x80\x83\\x3a:stop-commands::t"));
        QCOMPARE(qb(defuse_workflow_commands("a:b\n:single")), QByteArray("a:b\n:single"));
    }

    void hostileBytes_comeOutClean()
    {
        std::string all;
        for (int c = 0; c < 256; ++c)
            all.push_back(static_cast<char>(c));
        all += "\xc2\x9b\xc2\x9d\n::error::x\n\xe2\x80\x83::warning::y";
        QCOMPARE(test::unclean_text(qb(escape_text(all))), QString());
        QCOMPARE(test::unclean_text(qb(defuse_workflow_commands(quote_lines(all, "| ")))), QString());
        QVERIFY(!test::unclean_text(qb(all)).isEmpty()); // the checker does see the raw bytes
    }
};

QTEST_GUILESS_MAIN(TestTextEscape)
#include "tst_textescape.moc"
