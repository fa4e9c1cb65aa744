// mountlab-cli tree as a user runs it: output, and clear errors for bad input.
#include "testutil.h"

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
        auto r = test::run_cli({"tree", "--json", "--file", test::data_path("mountinfo/propagation-escapes-overlay.mountinfo")});
        QCOMPARE(r.exit_code, 0);
        auto j = nlohmann::json::parse(r.out.constData());
        const auto& root = j["filesystems"][0];
        QVERIFY(root.contains("children"));
        QVERIFY(root.contains("peer_group"));
        QVERIFY(root.contains("master"));
        QVERIFY(root.contains("propagate_from"));
        QVERIFY(root.contains("unbindable"));
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
        auto r = geteuid() == 0 ? test::run("runuser", {"-u", "nobody", "--", MOUNTLAB_CLI, "tree", "--file", f.fileName()})
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
        auto r = test::run_cli({"tree", "--file", "-", "--list"},
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
