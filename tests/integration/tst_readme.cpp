// The README's commands work: every command of every command block is run (or, for
// make, dry-run) with the repo's lessons and submissions, and fails the test when it does
// not work. The rule, which the README's "Lessons and grading" section states:
//
// - A command block is a fenced block whose info string is empty, `sh` or `console`, or
//   `yaml` (the CI and Kubernetes examples). ```text, ```json etc. are not (synopses,
//   output, data).
// - In an sh/plain block: when some line starts with `$ `, those lines are the commands
//   (the rest is their output); otherwise each line starting with `mountlab-cli `,
//   `make ` or `sudo ` is. A line ending in `\` continues on the next.
// - In a yaml block: a `- run:` value, or an item that names `mountlab-cli`, with the
//   lines indented deeper that continue it (YAML folds them into one line).
// - Skipped, and listed with the reason: a block right after a line
//   `<!-- not run by tests: REASON -->`, a command line with `# not run by tests: REASON`.
//
// How they run: each by `sh -c` in a scratch directory holding `lessons/` (the repo's),
// `tests/` (the repo's), `submissions/` (tests/data/submissions/pivot-root/pivot/*.sh, the
// class the grading examples grade), `results/`, and `build/bin/` (this build's), with
// build/bin first in PATH. `sudo ` is dropped (the test runs as root), `/submissions/`
// and `/results/` (the Kubernetes Job's volumes) are those directories, `${{ matrix.shard }}`
// (the CI matrix) is 0 and JOB_COMPLETION_INDEX is 0. `make X` is checked with
// `make -n X` in the source tree (the target exists; nothing is built: this test runs on
// a build). A command works when its exit status is 0; `mountlab-cli grade` may also end
// with 1 (some submissions failed, as documented), and the file after its `-o` (and its
// class summary's, after `--summary-out`) must exist.
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace mountlab;

namespace {

struct Command {
    int line = 0;        // in the README, 1-based
    QString text;        // as written (continuations joined)
    QString skip_reason; // non-empty: not run
};

const QRegularExpression kLineSkip(QStringLiteral("#\\s*not run by tests:\\s*(.*)$"));
const QRegularExpression kBlockSkip(QStringLiteral("^<!--\\s*not run by tests:\\s*(.*?)\\s*-->\\s*$"));

int indent_of(const QString& s)
{
    int i = 0;
    while (i < s.size() && s[i] == ' ')
        ++i;
    return i;
}

QList<Command> readme_commands(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n');
    QList<Command> out;
    QString previous; // the last non-blank line before a fence
    for (int i = 0; i < lines.size(); ++i) {
        const QString& l = lines[i];
        if (!l.startsWith(QLatin1String("```"))) {
            if (!l.trimmed().isEmpty())
                previous = l.trimmed();
            continue;
        }
        const QString info = l.mid(3).trimmed();
        const int start = i + 1;
        int end = start;
        while (end < lines.size() && !lines[end].startsWith(QLatin1String("```")))
            ++end;
        const QStringList block = lines.mid(start, end - start);
        const auto block_skip = kBlockSkip.match(previous);
        previous.clear();
        i = end;
        auto add = [&](int index, QString text) {
            Command c;
            c.line = start + index + 1;
            c.text = text.trimmed();
            if (block_skip.hasMatch())
                c.skip_reason = block_skip.captured(1);
            else if (const auto m = kLineSkip.match(c.text); m.hasMatch())
                c.skip_reason = m.captured(1).trimmed();
            out << c;
        };
        if (info.isEmpty() || info == QLatin1String("sh") || info == QLatin1String("console")) {
            bool prompts = false;
            for (const QString& b : block)
                prompts = prompts || b.startsWith(QLatin1String("$ "));
            for (int k = 0; k < block.size(); ++k) {
                QString text;
                if (prompts && block[k].startsWith(QLatin1String("$ ")))
                    text = block[k].mid(2);
                else if (!prompts &&
                         (block[k].startsWith(QLatin1String("mountlab-cli ")) ||
                          block[k].startsWith(QLatin1String("make ")) || block[k].startsWith(QLatin1String("sudo "))))
                    text = block[k];
                else
                    continue;
                const int first = k;
                while (text.endsWith('\\') && k + 1 < block.size())
                    text = text.chopped(1) + " " + block[++k].trimmed();
                add(first, text);
            }
        } else if (info == QLatin1String("yaml")) {
            static const QRegularExpression item(QStringLiteral("^(\\s*)- (?:run: )?(.*)$"));
            for (int k = 0; k < block.size(); ++k) {
                const auto m = item.match(block[k]);
                if (!m.hasMatch() || !(block[k].contains(QLatin1String("- run: ")) ||
                                       m.captured(2).contains(QLatin1String("mountlab-cli "))))
                    continue;
                const int dash = m.capturedLength(1);
                QString text = m.captured(2);
                const int first = k;
                while (k + 1 < block.size() && indent_of(block[k + 1]) > dash &&
                       !block[k + 1].trimmed().startsWith(QLatin1String("- ")) && !block[k + 1].trimmed().isEmpty())
                    text += " " + block[++k].trimmed();
                add(first, text);
            }
        }
    }
    return out;
}

} // namespace

class TestReadme : public QObject {
    Q_OBJECT

    QList<Command> commands_;

private slots:
    void initTestCase()
    {
        commands_ = readme_commands(QStringLiteral(MOUNTLAB_SOURCE_DIR "/README.md"));
        int skipped = 0;
        for (const Command& c : commands_) {
            if (!c.skip_reason.isEmpty()) {
                ++skipped;
                qInfo("README.md:%d not run (%s): %s", c.line, qPrintable(c.skip_reason), qPrintable(c.text));
            }
        }
        qInfo("%lld commands in the README, %d of them not run", static_cast<long long>(commands_.size()), skipped);
        // The rule finds what the README says: a grading command, the CI matrix's, the Job's.
        int grading = 0;
        for (const Command& c : commands_)
            grading += c.text.contains(QLatin1String("mountlab-cli grade")) && c.skip_reason.isEmpty();
        QVERIFY2(grading >= 3, "the README's grading examples were not found");
        QVERIFY(commands_.size() - skipped >= 8);
    }

    // The extraction itself, on a README of its own.
    void the_rule()
    {
        QTemporaryDir d;
        QVERIFY(d.isValid());
        QFile f(d.path() + "/README.md");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "```sh\nmake run   # a comment\nnot a command\nmountlab-cli lessons \\\n  --json\n```\n"
            "<!-- not run by tests: needs a display -->\n```\nmountlab-cli gui\n```\n"
            "```text\nmountlab-cli tree [--json]\n```\n"
            "```\n$ mountlab-cli run\noutput line\nmountlab-cli not-a-prompt\n```\n"
            "```sh\nmountlab-cli shell   # not run by tests: interactive\n```\n"
            "```yaml\nsteps:\n  - uses: x\n  - run: sudo make build\n  - run: mountlab-cli grade a\n      -e b\n  - name: y\n"
            "args:\n  - mountlab-cli grade c\n    -f json\n```\n");
        f.close();
        const QList<Command> c = readme_commands(d.path() + "/README.md");
        QStringList texts, skips;
        for (const Command& x : c) {
            texts << x.text;
            skips << x.skip_reason;
        }
        QCOMPARE(texts, (QStringList{"make run   # a comment", "mountlab-cli lessons  --json", "mountlab-cli gui",
                                     "mountlab-cli run", "mountlab-cli shell   # not run by tests: interactive",
                                     "sudo make build", "mountlab-cli grade a -e b", "mountlab-cli grade c -f json"}));
        QCOMPARE(skips, (QStringList{"", "", "needs a display", "", "interactive", "", "", ""}));
        QCOMPARE(c[3].line, 15);
    }

    void every_command_works_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < commands_.size(); ++i)
            QTest::newRow(
                qPrintable(QStringLiteral("README.md:%1 %2").arg(commands_[i].line).arg(commands_[i].text.left(60))))
                << i;
    }

    void every_command_works()
    {
        QFETCH(int, index);
        const Command& c = commands_[index];
        if (!c.skip_reason.isEmpty())
            QSKIP(qPrintable("not run by tests: " + c.skip_reason));
        MOUNTLAB_REQUIRE_ROOT();
        QString cmd = c.text;
        if (cmd.startsWith(QLatin1String("sudo ")))
            cmd = cmd.mid(5);
        cmd.replace(QLatin1String("${{ matrix.shard }}"), QLatin1String("0"));
        cmd.replace(QRegularExpression(QStringLiteral("(^|\\s)/(submissions|results)/")), QStringLiteral("\\1\\2/"));

        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const QString s = scratch.path();
        const QString src = QStringLiteral(MOUNTLAB_SOURCE_DIR);
        const QString bin = QFileInfo(QStringLiteral(MOUNTLAB_CLI)).absolutePath();
        QVERIFY(QFile::link(src + "/lessons", s + "/lessons"));
        QVERIFY(QFile::link(src + "/tests", s + "/tests"));
        QVERIFY(QDir().mkpath(s + "/build"));
        QVERIFY(QFile::link(bin, s + "/build/bin"));
        QVERIFY(QDir().mkpath(s + "/results"));
        QVERIFY(QDir().mkpath(s + "/submissions"));
        const QString pivot = test::data_path("submissions/pivot-root/pivot");
        for (const QString& f : QDir(pivot).entryList({QStringLiteral("*.sh")}, QDir::Files))
            QVERIFY(QFile::copy(pivot + "/" + f, s + "/submissions/" + f));

        QString program = QStringLiteral("/bin/sh");
        QStringList args{QStringLiteral("-c"), cmd};
        QString cwd = s;
        const bool make = cmd.startsWith(QLatin1String("make "));
        if (make) { // the target exists and its recipe expands; nothing runs
            args =
                QStringList{QStringLiteral("-c"), QStringLiteral("make -n ") + cmd.mid(5).section('#', 0, 0).trimmed()};
            cwd = src;
        }
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), bin + ":" + env.value(QStringLiteral("PATH")));
        env.insert(QStringLiteral("JOB_COMPLETION_INDEX"), QStringLiteral("0"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(cwd);
        p.setStandardInputFile(QProcess::nullDevice());
        QElapsedTimer t;
        t.start();
        p.start(program, args);
        QVERIFY(p.waitForStarted());
        if (!p.waitForFinished(300000)) {
            p.kill();
            p.waitForFinished();
            QFAIL(qPrintable(QStringLiteral("README.md:%1 `%2` did not finish in 300 s").arg(c.line).arg(c.text)));
        }
        const QByteArray out = p.readAllStandardOutput(), err = p.readAllStandardError();
        qInfo("README.md:%d `%s`: exit %d in %.2f s", c.line, qPrintable(args.last()), p.exitCode(),
              t.elapsed() / 1000.0);
        const bool grade = cmd.contains(QLatin1String("mountlab-cli grade "));
        const bool works =
            p.exitStatus() == QProcess::NormalExit && (p.exitCode() == 0 || (grade && p.exitCode() == 1));
        QVERIFY2(works, qPrintable(QStringLiteral("README.md:%1 `%2` (run as `%3`) exited %4:\n%5\n%6")
                                       .arg(c.line)
                                       .arg(c.text, args.last())
                                       .arg(p.exitCode())
                                       .arg(QString::fromUtf8(out.right(2000)), QString::fromUtf8(err.right(3000)))));
        if (grade) {
            static const QRegularExpression o(QStringLiteral("(?:-o|--out)\\s+(\\S+)"));
            if (const auto m = o.match(cmd); m.hasMatch()) {
                const QFileInfo report(QDir(cwd).filePath(
                    m.captured(1).replace(QLatin1String("$JOB_COMPLETION_INDEX"), QLatin1String("0"))));
                QVERIFY2(report.exists() && report.size() > 0, qPrintable(report.filePath() + " was not written"));
            }
            // And the class summary: PATH, or with several formats PATH.EXT each.
            static const QRegularExpression sum(QStringLiteral("--summary\\s+(\\S+).*--summary-out\\s+(\\S+)"));
            if (const auto m = sum.match(cmd); m.hasMatch()) {
                const QStringList formats = m.captured(1).split(',');
                const QMap<QString, QString> ext{{"text", "txt"}, {"json", "json"}, {"csv", "csv"}, {"html", "html"}};
                for (const QString& f : formats) {
                    const QFileInfo out(
                        QDir(cwd).filePath(formats.size() > 1 ? m.captured(2) + "." + ext.value(f) : m.captured(2)));
                    QVERIFY2(out.exists() && out.size() > 0,
                             qPrintable(out.filePath() + " (the class summary) was not written"));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestReadme)
#include "tst_readme.moc"
