// Practice through the real agent: the terminal's shell reports each command it ran
// (and the report never reaches the screen); an exercise set up in a fresh lab is judged
// live after each command, by grade's own checks; Submit grades the commands typed as a
// script in a fresh sandbox. For every exercise's reference and wrong submissions of
// tests/data/submissions that can be typed line by line, typed into the terminal: each
// check the live checklist judges agrees with Submit's grade of the same commands, and
// Submit's grade is `mountlab-cli grade`'s for the script it says it graded.
#include "agentdriver.h"
#include "testutil.h"

#include "lesson/runner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace mountlab;
using Json = nlohmann::ordered_json;

namespace {

using test::Agent;

bool kind_is(const Json& e, const char* kind) { return e.value("kind", "") == kind; }

// The lines of a submission a learner would type: no shebang, comments or blank lines.
// Empty when it cannot be typed line by line into an interactive shell (it ends the
// shell, or has a command over several lines).
QStringList typable_lines(const QString& file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList lines;
    static const QRegularExpression whole_word_exit(QStringLiteral("(^|[;&|(\\s])exit(\\s|;|$)"));
    for (const QString& raw : QString::fromUtf8(f.readAll()).split('\n')) {
        const QString line = raw.trimmed();
        // `set -e` would end the terminal's shell at the first failing command: a learner
        // typing does not need it.
        if (line.isEmpty() || line.startsWith('#') || line == QLatin1String("set -e"))
            continue;
        if (line.count('\'') % 2 == 1 || line.contains(whole_word_exit) || line.startsWith(QLatin1String("set -e")) ||
            line.endsWith('\\') || line.contains(QLatin1String("<<")) || line.endsWith(QLatin1String("then")) ||
            line.endsWith(QLatin1String("do")) || line.endsWith('{') || line.endsWith('('))
            return {};
        lines << raw;
    }
    return lines;
}

// Every exercise with submissions: lesson, exercise, the submissions' files.
struct ExerciseDir {
    QString lesson, exercise;
    QStringList files;
};
std::vector<ExerciseDir> exercise_dirs()
{
    std::vector<ExerciseDir> out;
    const QDir root(test::data_path(QStringLiteral("submissions")));
    for (const QString& lesson : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        for (const QString& ex : QDir(root.filePath(lesson)).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            QDir d(root.filePath(lesson + '/' + ex));
            ExerciseDir e{lesson, ex, {}};
            for (const QString& f : d.entryList({QStringLiteral("*.sh")}, QDir::Files, QDir::Name))
                e.files << d.filePath(f);
            out.push_back(e);
        }
    return out;
}

} // namespace

class TestPractice : public QObject {
    Q_OBJECT

    QByteArray host_before_;
    std::unique_ptr<Agent> agent_;

    // Starts the practice and opens its terminal; the terminal's id (0 on failure).
    int start(const QString& lesson, const QString& exercise)
    {
        agent_->skip_seen();
        agent_->send(Json{{"cmd", "practice"}, {"lesson", lesson.toStdString()}, {"exercise", exercise.toStdString()}});
        const Json* p = agent_->wait_for(
            [](const Json& e) { return kind_is(e, "error") || (kind_is(e, "practice") && e.value("active", false)); },
            20000);
        if (!p || !kind_is(*p, "practice")) {
            qWarning("practice did not start: %s", p ? p->dump().c_str() : "no event");
            return 0;
        }
        return agent_->open();
    }
    // Types a line and waits for the practice's judgment after its command; null when none came.
    const Json* type_line(int id, const QString& line)
    {
        agent_->skip_seen();
        agent_->type(id, line.toStdString() + "\r");
        if (!agent_->wait_for([](const Json& e) { return kind_is(e, "command"); }, 15000))
            return nullptr;
        return agent_->wait_for([](const Json& e) { return kind_is(e, "practice"); }, 15000);
    }
    const Json* submit()
    {
        agent_->skip_seen();
        agent_->send(Json{{"cmd", "practice-submit"}});
        return agent_->wait_for([](const Json& e) { return kind_is(e, "practice-grade") || kind_is(e, "error"); },
                                120000);
    }

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        host_before_ = test::host_mountinfo();
    }
    void init()
    {
        agent_ = std::make_unique<Agent>();
        QVERIFY2(agent_->start(QStringLiteral("engine")), "the agent did not start");
    }
    void cleanup() { agent_.reset(); }
    void cleanupTestCase()
    {
        if (!host_before_.isEmpty())
            QCOMPARE(test::host_mountinfo(), host_before_);
    }

    void commands_areReportedInOrder_andNeverShown()
    {
        const int id = agent_->open();
        QVERIFY(id > 0);
        auto next_command = [&]() {
            return agent_->wait_for([](const Json& e) { return kind_is(e, "command"); }, 5000);
        };
        agent_->type(id, "echo one; (exit 3)\r");
        const Json* c = next_command();
        QVERIFY(c);
        QCOMPARE(c->value("text", ""), std::string("echo one; (exit 3)"));
        QCOMPARE(c->value("exit", -1), 3);
        QCOMPARE(c->value("nested", true), false);
        const long n = c->value("n", 0L);
        QVERIFY(n > 0);
        // An empty line and Ctrl+C at the prompt ran no command: nothing reported.
        int from = agent_->text_of(id).size();
        agent_->type(id, "\r");
        QVERIFY(agent_->wait_output(id, "]# ", 5000, from));
        from = agent_->text_of(id).size();
        agent_->type(id, "\x03");
        QVERIFY(agent_->wait_output(id, "]# ", 5000, from)); // readline's fresh line
        agent_->type(id, "true   # the next\r");
        c = next_command();
        QVERIFY(c);
        QVERIFY2(c->value("text", "") == "true   # the next", c->dump().c_str());
        QCOMPARE(c->value("n", 0L), n + 1);
        QCOMPARE(c->value("exit", -1), 0);
        // A shell started from the terminal's reports its own commands, nested.
        agent_->type(id, "bash\r");
        agent_->type(id, "echo in-nested\r");
        c = next_command();
        QVERIFY(c);
        QCOMPARE(c->value("text", ""), std::string("echo in-nested"));
        QCOMPARE(c->value("nested", false), true);
        QCOMPARE(c->value("level", 0), 2);
        agent_->type(id, "exit 7\r");
        c = next_command(); // the nested shell's `exit` is never reported (that shell is gone)...
        QVERIFY(c);
        QCOMPARE(c->value("text", ""), std::string("bash")); // ...but `bash` ended, with its status
        QCOMPARE(c->value("exit", -1), 7);
        QCOMPARE(c->value("level", 0), 1);
        // The reports never reach the screen, and $? is the command's for the next one.
        agent_->type(id, "(exit 5); echo \"status=$?\"\r");
        QVERIFY(agent_->wait_output(id, "status=5\r\n", 5000));
        agent_->type(id, "(exit 4)\r");
        QVERIFY(next_command());
        agent_->type(id, "echo \"after=$?\"\r");
        QVERIFY2(agent_->wait_output(id, "after=4\r\n", 5000), agent_->output(id).constData());
        QVERIFY2(!agent_->output(id).contains("\033]6973;"), agent_->output(id).constData());
        // What could have begun a report, with nothing after it, is shown once the shell is quiet.
        for (const char* tail : {"\\033", "\\033]", "\\033]6973;0"}) {
            const int at = agent_->output(id).size();
            agent_->skip_seen();
            agent_->type(id, std::string("printf 'held") + tail + "'; sleep 2\r");
            const QByteArray want = QByteArray("held") + QByteArray(tail).replace("\\033", "\033");
            QElapsedTimer t;
            t.start();
            while (agent_->output(id).indexOf(want, at + 20) < 0 && t.elapsed() < 1500)
                agent_->settle(50, 100);
            QVERIFY2(agent_->output(id).indexOf(want, at + 20) >= 0, agent_->output(id).mid(at).constData());
            QVERIFY(agent_->wait_for([](const Json& e) { return kind_is(e, "command"); }, 5000));
        }
    }

    // What a script cannot do as the terminal did is kept out of it: a line with a syntax
    // error (bash would stop there) as a comment, exec (its shell never reports it); and a
    // shell opened after another exited reports no command it did not run.
    void submit_scriptLeavesOutWhatWouldEndIt()
    {
        int id = start(QStringLiteral("mount-namespaces"), QStringLiteral("private-scratch"));
        QVERIFY(id > 0);
        QVERIFY(type_line(id, QStringLiteral("echo typo)")));
        const int from = agent_->text_of(id).size();
        agent_->type(id, "exec bash\r");
        QVERIFY(agent_->wait_output(id, "]# ", 5000, from + 10)); // the new bash's prompt
        agent_->type(id, "exit\r");                               // the terminal's shell is gone
        QVERIFY(
            agent_->wait_for([](const Json& e) { return kind_is(e, "terminal") && e.value("closed", false); }, 5000));
        id = agent_->open();
        QVERIFY(id > 0);
        const Json* c = nullptr;
        agent_->skip_seen();
        for (const char* line :
             {"mkdir -p /scratch", "mount -t tmpfs -o size=1m scratch /scratch", "echo hello > /scratch/hello.txt"}) {
            agent_->type(id, std::string(line) + "\r");
            c = agent_->wait_for([](const Json& e) { return kind_is(e, "command"); }, 5000);
            QVERIFY(c);
            QCOMPARE(c->value("text", ""), std::string(line)); // not the old shell's `exit`
        }
        const Json* g = submit();
        QVERIFY(g && kind_is(*g, "practice-grade"));
        const std::string script = g->value("script", "");
        QVERIFY2(script.find("# not run (a syntax error when it was typed): echo typo)\n") != std::string::npos,
                 script.c_str());
        // exec never returns to the prompt that would report it: the script never has it.
        QVERIFY2(script.find("exec bash") == std::string::npos, script.c_str());
        QVERIFY2((*g)["result"].value("status", "") == "passed", g->dump().c_str());
    }

    void practice_badCommands_sayWhy()
    {
        agent_->send(Json{{"cmd", "practice"}, {"lesson", "bind-mounts"}, {"exercise", "no-such"}});
        const Json* e = agent_->wait_for([](const Json& j) { return kind_is(j, "error"); }, 5000);
        QVERIFY(e);
        QVERIFY2(e->value("message", "").find("has no exercise `no-such` (it has leaky-volume, ro-volume)") !=
                     std::string::npos,
                 e->dump().c_str());
        agent_->send(Json{{"cmd", "practice-submit"}});
        e = agent_->wait_for([](const Json& j) { return kind_is(j, "error"); }, 5000);
        QVERIFY(e);
        QVERIFY2(e->value("message", "").find("no practice is running") != std::string::npos, e->dump().c_str());
    }

    void practice_emptySession_isNotGraded_andResetEndsIt()
    {
        const int id = start(QStringLiteral("bind-mounts"), QStringLiteral("leaky-volume"));
        QVERIFY(id > 0);
        // Nothing typed: nothing to grade, and Submit says so.
        const Json* g = submit();
        QVERIFY(g && kind_is(*g, "error"));
        QVERIFY2(g->value("message", "").find("no command was typed") != std::string::npos, g->dump().c_str());
        agent_->skip_seen();
        agent_->send(Json{{"cmd", "reset-lab"}});
        const Json* p = agent_->wait_for([](const Json& e) { return kind_is(e, "practice"); }, 10000);
        QVERIFY(p);
        QCOMPARE(p->value("active", true), false);
    }

    // A lesson's solution, shown to a learner who asks, earns full marks when typed.
    void solutions_typed_earnFullMarks()
    {
        int tried = 0;
        for (const lesson::Lesson& l : lesson::load_all_lessons().lessons)
            for (const lesson::Exercise& ex : l.exercises) {
                if (ex.solution.empty())
                    continue;
                const int id = start(QString::fromStdString(l.id), QString::fromStdString(ex.id));
                QVERIFY(id > 0);
                QCOMPARE(agent_->last("practice")->value("solution", ""), ex.solution);
                for (const QString& line : QString::fromStdString(ex.solution).split('\n', Qt::SkipEmptyParts))
                    QVERIFY2(type_line(id, line), qPrintable(line));
                const Json* live = agent_->last("practice");
                QCOMPARE(live->value("score", -1), live->value("max", -2));
                const Json* g = submit();
                QVERIFY(g && kind_is(*g, "practice-grade"));
                QVERIFY2((*g)["result"].value("status", "") == "passed", g->dump().c_str());
                ++tried;
            }
        QVERIFY(tried >= 3);
    }

    void typedSubmissions_liveChecksAgreeWithGrade_data()
    {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<QString>("exercise");
        QTest::addColumn<QString>("file");
        for (const ExerciseDir& d : exercise_dirs()) {
            // The reference and the first typable wrong answer of each exercise.
            int wrong = 0;
            for (const QString& f : d.files) {
                const QString name = QFileInfo(f).fileName();
                const bool good = name == QLatin1String("good.sh");
                if ((!good && (!name.startsWith(QLatin1String("wrong")) || wrong >= 1)) || typable_lines(f).isEmpty())
                    continue;
                wrong += good ? 0 : 1;
                QTest::newRow(qPrintable(d.lesson + '/' + d.exercise + '/' + name)) << d.lesson << d.exercise << f;
            }
        }
    }
    void typedSubmissions_liveChecksAgreeWithGrade()
    {
        QFETCH(QString, lesson);
        QFETCH(QString, exercise);
        QFETCH(QString, file);
        const int id = start(lesson, exercise);
        QVERIFY(id > 0);
        const Json* live = agent_->last("practice");
        QVERIFY(live);
        Json last_live = *live;
        for (const QString& line : typable_lines(file)) {
            const Json* p = type_line(id, line);
            QVERIFY2(p, qPrintable("no judgment after: " + line + "\n" + QString::fromUtf8(agent_->text_of(id))));
            last_live = *p;
        }
        const Json* g = submit();
        QVERIFY(g);
        QVERIFY2(kind_is(*g, "practice-grade"), g->dump().c_str());
        const Json& result = (*g)["result"];
        const Json& graded = result["checks"];
        QCOMPARE(last_live["checks"].size(), graded.size());
        // Each check judged live agrees with the grade of the same commands in a fresh
        // sandbox (but where the grader acts after the script: live judging is before that).
        int judged_live = 0; // a checklist that judged nothing live would agree with anything
        if (last_live["after"].empty())
            for (size_t i = 0; i < graded.size(); ++i) {
                const Json& l = last_live["checks"][i];
                if (!l.value("live", true))
                    continue;
                ++judged_live;
                QVERIFY2(l.value("passed", false) == graded[i].value("passed", false),
                         qPrintable(QStringLiteral("check %1 `%2`: live %3 (%4), graded %5 (%6)\nscript:\n%7")
                                        .arg(i)
                                        .arg(QString::fromStdString(l.value("name", "")))
                                        .arg(l.value("passed", false))
                                        .arg(QString::fromStdString(l.value("message", "")))
                                        .arg(graded[i].value("passed", false))
                                        .arg(QString::fromStdString(graded[i].value("message", "")))
                                        .arg(QString::fromStdString(g->value("script", "")))));
            }
        QVERIFY(judged_live > 0 || !last_live["after"].empty());
        // The score Submit gives is `mountlab-cli grade`'s for the script it graded.
        if (QFileInfo(file).fileName() == QLatin1String("good.sh")) {
            QTemporaryDir dir;
            const QString script = dir.filePath(QStringLiteral("typed.sh"));
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(g->value("script", "")));
            f.close();
            const test::ProcessResult r = test::run(QStringLiteral(MOUNTLAB_CLI),
                                                    {QStringLiteral("grade"), lesson, QStringLiteral("-e"), exercise,
                                                     script, QStringLiteral("-f"), QStringLiteral("json")},
                                                    {}, 120000);
            const Json cli = Json::parse(r.out.toStdString(), nullptr, false);
            QVERIFY2(cli.is_object() && cli.contains("submissions"), r.err.constData());
            QCOMPARE(result.value("score", -1), cli["submissions"][0].value("score", -2));
            QCOMPARE(result.value("status", ""), cli["submissions"][0].value("status", "?"));
        }
        qInfo("%s: live %d, graded %d of %d", qPrintable(QFileInfo(file).fileName()), last_live.value("score", -1),
              result.value("score", -1), result.value("max_score", -1));
    }
};

QTEST_GUILESS_MAIN(TestPractice)
#include "tst_practice.moc"
