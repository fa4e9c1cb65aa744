// What mountlab-cli writes when its output is hostile or cannot be written: the text
// report of a hostile script is clean (M8), a report that cannot be written is exit
// status 2 and never a truncated file (M7), and no command exits 0 or aborts when
// standard output is full (L16). Grading and `run` need root and a lab.
#include "testutil.h"

#include "textcheck.h"
#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sys/mount.h>
#include <sys/wait.h>

using namespace mountlab;

namespace {

// The script prints terminal controls, NUL, C1, invalid UTF-8 and workflow commands.
constexpr const char* kHostileScript =
    "#!/bin/sh\n"
    "printf 'out\\033[2J\\033[H\\033]0;evil-title\\007\\033]52;c;ZXZpbA==\\007 NUL:[\\000] C1:[\\302\\233] "
    "bad:[\\377]\\n::error::forged annotation\\n\\342\\200\\203::add-mask::x\\n'\n";

QString write_script(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    const QString path = dir.path() + "/" + name; // not filePath(): Qt reads a leading ":" as a resource
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    f.close();
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

// `sh -c "exec CLI ARGS > /dev/full"`: the exit status and standard error.
test::ProcessResult run_into_dev_full(const QString& args)
{
    return test::run("sh", {"-c", QString("exec \"$0\" %1 > /dev/full").arg(args), MOUNTLAB_CLI}, {}, 120000);
}

} // namespace

class TestCliOutput : public QObject {
    Q_OBJECT
private slots:
    void gradeText_hostileOutputAndFileName_areClean()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QTemporaryDir dir;
        const QString a = write_script(dir, "::error::evil\x1b[31m\xe2\x80\x83.sh", kHostileScript);
        const QString b = write_script(dir, "\xe2\x80\x83::warning::x.sh", kHostileScript);
        auto r = test::run_cli({"grade", "pivot-root", "-e", "pivot", "--no-trace", "-f", "text", a, b});
        QCOMPARE(r.exit_code, 1); // the scripts fail the checks
        QCOMPARE(test::unclean_text(r.out), QString());
        QVERIFY2(r.out.contains("\\x1b[2J\\x1b[H\\x1b]0;evil-title\\x07"), r.out.constData());
        QVERIFY(r.out.contains("| ::error::forged annotation"));
        QVERIFY2(r.out.contains("\\x3a:error::evil\\x1b[31m"), r.out.constData());
        // The machine formats keep every byte readable by their parsers.
        auto j = test::run_cli({"grade", "pivot-root", "-e", "pivot", "--no-trace", "-f", "json", a});
        QCOMPARE(j.exit_code, 1);
        QVERIFY(j.out.contains("::error::forged annotation"));
    }

    // Without a trace a syscall check cannot be judged: its message says why (the
    // grader's own reason), not a generic "not traced", and it gives no points.
    void gradeNoTrace_syscallChecksSayWhy()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QString good = test::data_path("submissions/new-mount-api/new-api-tmpfs/good.sh");
        auto j = test::run_cli({"grade", "new-mount-api", "-e", "new-api-tmpfs", "--no-trace", "-f", "json", good});
        QCOMPARE(j.exit_code, 1);
        const auto report = nlohmann::json::parse(j.out.toStdString());
        int syscall_checks = 0;
        for (const auto& c : report["submissions"][0]["checks"]) {
            const std::string name = c.value("name", "");
            if (name != "fsopen" && name != "move_mount" && name != "mount")
                continue;
            ++syscall_checks;
            QCOMPARE(c.value("passed", true), false);
            QCOMPARE(c.value("message", ""), std::string("system calls cannot be checked here: tracing turned off"));
        }
        QCOMPARE(syscall_checks, 3);
        QCOMPARE(report["submissions"][0].value("trace", ""), std::string("tracing turned off"));
    }

    void gradeOut_fullFilesystem_exitTwoAndTheOldReportIsWhole()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray host_before = test::host_mountinfo();
        QTemporaryDir dir;
        const QString script = write_script(dir, "good.sh", "#!/bin/sh\necho hello\n");
        const std::string small = dir.filePath("small").toStdString();
        const std::string err = dir.filePath("err.txt").toStdString();
        QVERIFY(QDir(dir.path()).mkdir("small"));
        const std::string cmd = "'" + std::string(MOUNTLAB_CLI) +
                                "' grade pivot-root -e pivot --no-trace -f junit -o '" + small + "/report.xml' '" +
                                script.toStdString() + "' 2> '" + err + "'";
        QString why;
        const int rc = test::in_private_mount_namespace(
            [&]() -> int {
                // One page: the old report fills it, so the new one cannot be written.
                if (mount("small", small.c_str(), "tmpfs", 0, "size=4k") != 0)
                    return 100;
                FILE* f = fopen((small + "/report.xml").c_str(), "w");
                if (!f || fputs("<old/>\n", f) < 0 || fclose(f) != 0)
                    return 101;
                const int st = system(cmd.c_str());
                if (!WIFEXITED(st))
                    return 102;
                QFile old(QString::fromStdString(small + "/report.xml"));
                if (!old.open(QIODevice::ReadOnly) || old.readAll() != "<old/>\n")
                    return 103;
                if (QDir(QString::fromStdString(small)).entryList(QDir::Files | QDir::Hidden) !=
                    QStringList{"report.xml"})
                    return 104;
                return WEXITSTATUS(st);
            },
            &why);
        QFile e(QString::fromStdString(err));
        e.open(QIODevice::ReadOnly);
        const QByteArray message = e.readAll();
        QVERIFY2(rc == 2, qPrintable(QString("rc %1 %2: %3").arg(rc).arg(why, QString::fromUtf8(message))));
        QVERIFY2(message.contains("report.xml") && message.contains("ENOSPC"), message.constData());
        QCOMPARE(test::host_mountinfo(), host_before);
    }

    void gradeIntoDevFull_exitTwo()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QTemporaryDir dir;
        const QString script = write_script(dir, "good.sh", "#!/bin/sh\necho hello\n");
        for (const char* format : {"text", "json", "junit"}) {
            auto r = run_into_dev_full(QString("grade pivot-root -e pivot --no-trace -f %1 '%2'").arg(format, script));
            QVERIFY2(r.exit_code == 2, qPrintable(QString("%1: rc %2: %3").arg(format).arg(r.exit_code).arg(r.err)));
            QVERIFY2(r.err.contains("ENOSPC"), r.err.constData());
        }
    }

    void runIntoDevFull_failsWithAMessage()
    {
        MOUNTLAB_REQUIRE_ROOT();
        for (const char* args : {"run --json --no-trace", "run --no-trace"}) {
            auto r = run_into_dev_full(args);
            QVERIFY2(r.exit_code != 0 && r.exit_code != -1 && r.exit_code != 134,
                     qPrintable(QString("%1: rc %2: %3").arg(args).arg(r.exit_code).arg(r.err)));
            QVERIFY2(r.err.contains("No space left on device"), r.err.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliOutput)
#include "tst_cli_output.moc"
