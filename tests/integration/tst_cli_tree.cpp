// mountlab-cli tree as a user runs it: output, and clear errors for bad input.
#include "testutil.h"
#include "textcheck.h"

#include <QElapsedTimer>

#include <QTemporaryFile>

#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

using namespace mountlab;

class TestCliTree : public QObject {
    Q_OBJECT
private slots:
    void text_showsPropagationAndGroups()
    {
        auto r = test::run_cli({"tree", "--file", test::data_path("mountinfo/propagation-escapes-overlay.mountinfo")});
        QCOMPARE(r.exit_code, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.startsWith("TARGET"));
        QVERIFY(out.contains("PROPAGATION"));
        QVERIFY(out.contains("GROUP"));
        QVERIFY(out.contains(QRegularExpression(R"(└─/tmp/fx\s+fxroot\s+tmpfs\s+shared\s+shared:1)")));
        QVERIFY(out.contains(QRegularExpression(R"(/tmp/fx/slave\s+shared1\s+tmpfs\s+private,slave\s+master:5)")));
        QVERIFY(out.contains("/tmp/fx/with space"));
        QVERIFY(r.err.isEmpty());
    }

    void list_hasIdAndParentColumns()
    {
        auto r = test::run_cli({"tree", "--list", "--file", test::data_path("mountinfo/vm-host.mountinfo")});
        QCOMPARE(r.exit_code, 0);
        QVERIFY(QString::fromUtf8(r.out).contains(QRegularExpression(R"(^\s*ID\s+PARENT\s+TARGET)")));
        QCOMPARE(r.out.count('\n'), 22);
    }

    void jsonTree_hasOurKeys()
    {
        auto r = test::run_cli(
            {"tree", "--json", "--file", test::data_path("mountinfo/propagation-escapes-overlay.mountinfo")});
        QCOMPARE(r.exit_code, 0);
        auto j = nlohmann::json::parse(r.out.constData());
        const auto& root = j["filesystems"][0];
        QVERIFY(root.contains("children"));
        QVERIFY(root.contains("peer_group"));
        QVERIFY(root.contains("master"));
        QVERIFY(root.contains("propagate_from"));
        QVERIFY(root.contains("unbindable"));
    }

    // A table the kernel wrote with raw bytes in its fields (saved from a namespace):
    // every line kept, each byte printed as findmnt prints it.
    void rawBytes_everyLineKept_printedAsFindmnt()
    {
        const QString f = test::data_path("mountinfo/raw-bytes.mountinfo");
        auto text = test::run_cli({"tree", "--list", "--file", f});
        QCOMPARE(text.exit_code, 0);
        QVERIFY2(text.err.isEmpty(), text.err.constData());
        QCOMPARE(text.out.count('\n'), 18); // the header and 17 mounts
        for (const char* shown :
             {"/mnt/cr\\x0dx ", "/mnt/esc\\x1bx ", "/mnt/one\\x01x ", "/mnt/del\\x7fx ", "/mnt/hash#x ",
              "/mnt/ff\\xffx ", "/mnt/c3\\xc3x ", "/mnt/uml\xc3\xbcx ", " t# ", " s\\x0dc ", " s p ", " [/sub\\x0dd] ",
              " fuse.x\\x0dy ", " fsrc\\x01 ", "/mnt/l\\x0d2,"})
            QVERIFY2(text.out.contains(shown), shown);
        auto js = test::run_cli({"tree", "--list", "--json", "--file", f});
        QCOMPARE(js.exit_code, 0);
        const auto j = nlohmann::json::parse(js.out.constData()); // valid UTF-8: 0xff is U+FFFD
        QCOMPARE(j["filesystems"].size(), size_t(17));
        for (const auto& m : j["filesystems"]) {
            if (m["target"] == "/mnt/emptysrc")
                QVERIFY(m["source"].is_null()); // as findmnt -J
            if (m["target"] == "/mnt/ff\xef\xbf\xbdx")
                QCOMPARE(m["source"].get<std::string>(), std::string("t"));
        }
        QVERIFY(js.out.contains("\"target\": \"/mnt/cr\\rx\""));
    }

    void stdin_isReadWithDash()
    {
        auto r = test::run_cli({"tree", "--file", "-", "--json", "--list"}, "1 0 0:1 / / rw shared:3 - tmpfs r rw\n");
        QCOMPARE(r.exit_code, 0);
        auto j = nlohmann::json::parse(r.out.constData());
        QCOMPARE(j["filesystems"][0]["peer_group"].get<int>(), 3);
    }

    void missingFile_clearErrorNonZero()
    {
        auto r = test::run_cli({"tree", "--file", "/nonexistent/file"});
        QCOMPARE(r.exit_code, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("/nonexistent/file") && r.err.contains("ENOENT"), r.err.constData());
    }

    void unreadableFile_clearError()
    {
        QTemporaryFile f;
        QVERIFY(f.open());
        f.setPermissions(QFileDevice::Permissions());
        // Root reads any file whatever its mode: as root, ask as nobody.
        auto r = geteuid() == 0
                     ? test::run("runuser", {"-u", "nobody", "--", MOUNTLAB_CLI, "tree", "--file", f.fileName()})
                     : test::run_cli({"tree", "--file", f.fileName()});
        QCOMPARE(r.exit_code, 1);
        QVERIFY(r.err.contains("EACCES"));
    }

    void directory_clearError()
    {
        auto r = test::run_cli({"tree", "--file", "/proc"});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("EISDIR"), r.err.constData());
    }

    void goneProcess_clearError()
    {
        const pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        int st = 0;
        waitpid(pid, &st, 0);
        auto r = test::run_cli({"tree", "--pid", QString::number(pid)});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains(QString("process %1 does not exist").arg(pid).toUtf8()), r.err.constData());
    }

    void malformedLine_namesLineAndKeepsTheRest()
    {
        auto r =
            test::run_cli({"tree", "--file", "-", "--list"},
                          "1 0 0:1 / / rw - tmpfs r rw\n2 1 0:2 / /a rw tmpfs a rw\n3 1 0:3 / /b rw - tmpfs b rw\n");
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("<stdin>:2:") && r.err.contains("separator"), r.err.constData());
        QVERIFY(r.out.contains("/b"));
        QVERIFY(!r.out.contains("/a "));
    }

    void binaryGarbage_noCrash()
    {
        QByteArray junk;
        for (int i = 0; i < 65536; ++i)
            junk.append(char((i * 7919) % 256));
        auto r = test::run_cli({"tree", "--file", "-", "--json"}, junk);
        QCOMPARE(r.exit_code, 1);
        QVERIFY(!r.err.isEmpty());
        QVERIFY(nlohmann::json::parse(r.out.constData()).is_object()); // still valid JSON
    }

    // M8: mount paths and sources are the mounter's bytes; the terminal sees escapes.
    void hostileTargetAndSource_areEscapedAsFindmntDoes()
    {
        auto r = test::run_cli(
            {"tree", "--file", "-"},
            "1 0 0:1 / / rw - tmpfs t rw\n"
            "27 1 254:0 / /tmp/\\033[2J\\033]0;pwned\\007\\011\\012ü rw - ext4 /dev/\\033[5mvda\\302\\233 rw\n");
        QCOMPARE(r.exit_code, 0);
        QCOMPARE(test::unclean_text(r.out), QString());
        QVERIFY2(r.out.contains("/tmp/\\x1b[2J\\x1b]0;pwned\\x07\\x09\\x0aü"), r.out.constData());
        QVERIFY(r.out.contains("/dev/\\x1b[5mvda\\xc2\\x9b"));
        auto list = test::run_cli({"tree", "--list", "--file", "-"}, "1 0 0:1 / /\\377 rw - tmpfs \\033 rw\n");
        QCOMPARE(test::unclean_text(list.out), QString());
        QVERIFY(list.out.contains("/\\xff") && list.out.contains("\\x1b"));
    }

    // libmount would decode \400 to NUL and show a second "/": a malformed line instead.
    void octalEscapeAbove377_isAMalformedLine()
    {
        auto r = test::run_cli({"tree", "--file", "-", "--list"},
                               "1 0 0:1 / / rw - tmpfs t rw\n2 1 0:2 / /\\400x rw - tmpfs a rw\n");
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("<stdin>:2:12: mount point: octal escape '\\400' is above \\377"), r.err.constData());
        QCOMPARE(r.out.count('\n'), 2); // the header and "/"
    }

    // L14: /dev/zero is not a mount table; under a 3 GB address-space limit and a
    // timeout, so that a regression fails here instead of hanging or eating the machine.
    void devZero_isRefusedWithTheLimit()
    {
        for (const QString& args :
             {QString("tree --file /dev/zero"), QString("tree --file - < /dev/zero"), QString("lint /dev/zero")}) {
            auto r = test::run("sh",
                               {"-c", QString("ulimit -v 3000000; exec timeout 60 \"$0\" %1").arg(args), MOUNTLAB_CLI});
            QVERIFY2(r.exit_code == 1, qPrintable(QString("%1: rc %2: %3").arg(args).arg(r.exit_code).arg(r.err)));
            const bool lint = args.startsWith("lint");
            QVERIFY2(r.err.contains(lint                 ? "`/dev/zero`"
                                    : args.contains('<') ? "`<stdin>`"
                                                         : "`/dev/zero`"),
                     r.err.constData());
            QVERIFY2(r.err.contains(lint ? "4 MiB" : "256 MiB"), r.err.constData());
        }
    }

    // L16: output that cannot be written is an error, not exit 0 (nor an abort).
    void outputIntoDevFull_exitsNonZeroWithAMessage()
    {
        const QString fixture = test::data_path("mountinfo/vm-host.mountinfo");
        for (const QString& args : {"tree --file " + fixture, "tree --json --file " + fixture, QString("tree --json"),
                                    QString("lessons"), QString("lessons --json")}) {
            auto r = test::run("sh", {"-c", QString("exec \"$0\" %1 > /dev/full").arg(args), MOUNTLAB_CLI});
            QVERIFY2(r.exit_code == 2, qPrintable(QString("%1: rc %2: %3").arg(args).arg(r.exit_code).arg(r.err)));
            QVERIFY2(r.err.contains("ENOSPC") || r.err.contains("No space left"), r.err.constData());
        }
    }

    // L12: a 20,000-deep chain (1.1 MB of input) printed 800 MB and took 1.6 GB.
    void deepChain_outputIsLinear()
    {
        QByteArray table = "1 0 0:1 / / rw - tmpfs t rw\n";
        const int n = 20000;
        for (int i = 0; i < n; ++i)
            table += QByteArray::number(i + 2) + " " + QByteArray::number(i + 1) + " 0:1 / /x rw - tmpfs t rw\n";
        QElapsedTimer timer;
        timer.start();
        auto text =
            test::run("sh", {"-c", "ulimit -v 3000000; exec timeout 60 \"$0\" tree --file -", MOUNTLAB_CLI}, table);
        QCOMPARE(text.exit_code, 0);
        QVERIFY2(text.out.size() < 10 * 1000 * 1000, qPrintable(QString::number(text.out.size())));
        QCOMPARE(text.out.count('\n'), n + 2);
        QVERIFY(text.out.contains("…(depth 65)└─/x"));
        QVERIFY(text.out.contains(QString("…(depth %1)└─/x").arg(n).toUtf8()));

        auto json = test::run(
            "sh", {"-c", "ulimit -v 3000000; exec timeout 60 \"$0\" tree --json --file -", MOUNTLAB_CLI}, table);
        QCOMPARE(json.exit_code, 0);
        QVERIFY2(json.out.size() < 30 * 1000 * 1000, qPrintable(QString::number(json.out.size())));
        const auto j = nlohmann::json::parse(json.out.constData());
        int depth = 0;
        for (const nlohmann::json* m = &j["filesystems"][0]; m->contains("children"); m = &(*m)["children"][0])
            ++depth;
        QCOMPARE(depth, n);

        auto flat = test::run_cli({"tree", "--json", "--list", "--file", "-"}, table);
        QCOMPARE(flat.exit_code, 0);
        const auto l = nlohmann::json::parse(flat.out.constData());
        QCOMPARE(l["filesystems"].size(), size_t(n + 1));
        QVERIFY(!l["filesystems"][size_t(n)].contains("children"));
        QCOMPARE(flat.out.count('\n'), qsizetype(18 * (n + 1) + 4)); // pretty, one key a line, as before
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
    }

    void badUsage_exitsTwoWithHelp()
    {
        auto r = test::run_cli({"tree", "--pid", "1", "--file", "x"});
        QCOMPARE(r.exit_code, 2);
        QVERIFY(r.err.contains("excludes"));
        auto h = test::run_cli({"--help"});
        QCOMPARE(h.exit_code, 0);
        QVERIFY(h.out.contains("tree"));
    }
};

QTEST_GUILESS_MAIN(TestCliTree)
#include "tst_cli_tree.moc"
