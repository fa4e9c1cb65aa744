// The built-in lessons: they lint, they run (as root and rootless), `lessons --json` lists
// them, and every exercise grades its reference solution and typical wrong answers with the
// exact score and status written in each submission's header:
//
//   # expect: STATUS SCORE      (passed 14, failed 4, ...)
//   # feedback: WORD            (optional: some failed check's feedback mentions WORD)
//
// Submissions live in tests/data/submissions/<lesson>/<exercise>/*.sh.
#include "testutil.h"

#include "lesson/loader.h"
#include "lesson/runner.h"

#include <QTemporaryDir>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace mountlab;

namespace {

QString lessons_dir() { return QDir::cleanPath(test::data_path("../../lessons")); }
QString submissions_dir() { return test::data_path("submissions"); }

test::ProcessResult cli(const QStringList& args, int timeout_ms = 300000)
{
    return test::run(QStringLiteral(MOUNTLAB_CLI), args, {}, timeout_ms);
}

struct Expectation {
    QString status;
    int score = -1;
    QString feedback_word;
};

Expectation read_expectation(const QString& file)
{
    Expectation e;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return e;
    const QString text = QString::fromUtf8(f.read(4096));
    static const QRegularExpression expect(QStringLiteral("^# expect: (\\w+) (\\d+)$"),
                                           QRegularExpression::MultilineOption);
    static const QRegularExpression feedback(QStringLiteral("^# feedback: (.+)$"), QRegularExpression::MultilineOption);
    if (auto m = expect.match(text); m.hasMatch()) {
        e.status = m.captured(1);
        e.score = m.captured(2).toInt();
    }
    if (auto m = feedback.match(text); m.hasMatch())
        e.feedback_word = m.captured(1).trimmed();
    return e;
}

QJsonObject grade(const QString& lesson, const QString& exercise, const QStringList& files, int* exit_code,
                  double* wall_s)
{
    QElapsedTimer t;
    t.start();
    QStringList args{QStringLiteral("grade"), lesson, QStringLiteral("-e"), exercise};
    args << files << QStringLiteral("-f") << QStringLiteral("json") << QStringLiteral("-j") << QStringLiteral("2");
    const test::ProcessResult r = cli(args);
    if (wall_s)
        *wall_s = t.elapsed() / 1000.0;
    if (exit_code)
        *exit_code = r.exit_code;
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &err);
    if (err.error != QJsonParseError::NoError)
        qWarning("grade printed no JSON (%s); stderr: %s", qPrintable(err.errorString()), r.err.constData());
    return doc.object();
}

// The submissions of one exercise, sorted.
QStringList submissions(const QString& lesson, const QString& exercise)
{
    QDir d(submissions_dir() + "/" + lesson + "/" + exercise);
    QStringList out;
    for (const QString& f : d.entryList({QStringLiteral("*.sh")}, QDir::Files, QDir::Name))
        out << d.filePath(f);
    return out;
}

} // namespace

class TestLessons : public QObject {
    Q_OBJECT

private slots:
    void lint_builtin_lessons()
    {
        QDir d(lessons_dir());
        QStringList files;
        for (const QString& f : d.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name))
            files << d.filePath(f);
        QVERIFY(files.size() >= 8); // the walkthrough and the lessons
        QVERIFY(files.contains(d.filePath(QStringLiteral("00-walkthrough.yaml"))));
        static const QRegularExpression name(QStringLiteral("^\\d\\d-[a-z-]+\\.yaml$"));
        for (const QString& f : files)
            QVERIFY2(name.match(QFileInfo(f).fileName()).hasMatch(), qPrintable(f));
        const test::ProcessResult r = cli(QStringList{QStringLiteral("lint")} + files);
        QVERIFY2(r.exit_code == 0, r.err.constData());
        QCOMPARE(r.out.count(": ok ("), files.size());
    }

    // Every mistake of the broken file, each at its line and column, in one run.
    void lint_broken_reports_everything()
    {
        const QString file = test::data_path("lessons/broken.yaml");
        const test::ProcessResult r = cli({QStringLiteral("lint"), file});
        QCOMPARE(r.exit_code, 1);
        const QString err = QString::fromUtf8(r.err);
        const QStringList expected = {
            file + ":4:1: unknown key `summery` in the lesson (did you mean `summary`?)",
            file + ":9:13: unknown operation `mount_everything`",
            file + ":15:21: `expect_failure` in a step must be true or false",
            file + ":21:16: `mkdir` in operation `mount` must be true or false",
            file + ":23:16: unknown check `mounted` (did you mean `mount`?)",
            file + ":29:13: `points` is 3 but the checks add up to 0",
            file + ":33:17: `points` in check `mount` must be a whole number",
        };
        for (const QString& e : expected)
            QVERIFY2(err.contains(e), qPrintable("missing: " + e + "\nlint said:\n" + err));
        QVERIFY2(err.contains(QStringLiteral("7 problems")), qPrintable(err));
        QVERIFY(!r.out.contains(": ok ("));
    }

    void lessons_json_lists_all()
    {
        const test::ProcessResult r = cli({QStringLiteral("lessons"), QStringLiteral("--json")});
        QVERIFY2(r.exit_code == 0, r.err.constData());
        const QJsonArray lessons = QJsonDocument::fromJson(r.out).array();
        const QList<QPair<QString, QList<QPair<QString, int>>>> expected = {
            {"mount-namespaces", {{"private-scratch", 10}}},
            {"reading-the-table", {{"mountinfo-fields", 10}, {"which-mount", 10}}},
            {"bind-mounts", {{"leaky-volume", 10}, {"ro-volume", 10}}},
            {"propagation", {{"private-tmpfs", 10}, {"rslave", 10}}},
            {"overlay", {{"mount-image", 12}}},
            {"copy-on-write", {{"patch-image", 12}}},
            {"proc", {{"own-proc", 10}}},
            {"pivot-root", {{"pivot", 14}}},
            {"compose", {{"full-container", 10}, {"inspect-other", 10}}},
            {"runtime-propagation", {{"host-to-container", 10}, {"shared-parent", 10}}},
            {"user-namespaces", {{"rootless-pivot", 12}, {"writable-view", 10}}},
            {"new-mount-api", {{"new-api-tmpfs", 10}, {"readonly-copy", 10}}},
            {"hardening", {{"nested-proc", 10}, {"build-dev", 10}}},
            {"overlay-advanced", {{"rename-config", 10}, {"many-layers", 10}}},
            {"switch-root", {{"move-volume", 10}}},
        };
        QCOMPARE(lessons.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            const QJsonObject l = lessons[i].toObject();
            QCOMPARE(l["id"].toString(), expected[i].first);
            QVERIFY(!l["title"].toString().isEmpty());
            QVERIFY(l["steps"].toArray().size() >= 4);
            // The GUI shows each step's text to the learner: none may be silent.
            for (const QJsonValue& st : l["steps"].toArray())
                QVERIFY2(!st.toObject()["text"].toString().trimmed().isEmpty(),
                         qPrintable(l["id"].toString() + "/" + st.toObject()["id"].toString() + " has no text"));
            const QJsonArray ex = l["exercises"].toArray();
            QCOMPARE(ex.size(), expected[i].second.size());
            for (int k = 0; k < ex.size(); ++k) {
                QCOMPARE(ex[k].toObject()["id"].toString(), expected[i].second[k].first);
                QCOMPARE(ex[k].toObject()["points"].toInt(), expected[i].second[k].second);
                QVERIFY(!ex[k].toObject()["hints"].toArray().isEmpty());
            }
        }
    }

    // Each exercise has a reference solution and at least one typical wrong answer, each
    // with its expectation.
    void every_exercise_has_submissions()
    {
        const QJsonArray lessons =
            QJsonDocument::fromJson(cli({QStringLiteral("lessons"), QStringLiteral("--json")}).out).array();
        QVERIFY(!lessons.isEmpty());
        for (const auto& lv : lessons)
            for (const auto& ev : lv.toObject()["exercises"].toArray()) {
                const QString l = lv.toObject()["id"].toString(), e = ev.toObject()["id"].toString();
                const QStringList files = submissions(l, e);
                int good = 0, wrong = 0;
                for (const QString& f : files) {
                    const Expectation x = read_expectation(f);
                    QVERIFY2(x.score >= 0, qPrintable(f + " has no `# expect: STATUS SCORE` line"));
                    good += QFileInfo(f).fileName().startsWith("good") && x.status == "passed";
                    wrong += QFileInfo(f).fileName().startsWith("wrong-") && x.status == "failed";
                }
                QVERIFY2(good >= 1, qPrintable(l + "/" + e + ": no good*.sh that passes"));
                QVERIFY2(wrong >= 1, qPrintable(l + "/" + e + ": no wrong-*.sh"));
            }
    }

    void run_all_lessons_as_root()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const test::ProcessResult r = cli({QStringLiteral("run"), QStringLiteral("--all")});
        QVERIFY2(r.exit_code == 0, (r.out.right(3000) + r.err).constData());
    }

    // What the GUI's navigator relies on: the agent lists every lesson, runs a lesson's
    // step by lesson and index, says both in the step's begin event (so a walkthrough
    // stage and a lesson with the same id cannot be confused), and answers a bad request
    // with an error that says which and why, then goes on.
    void agent_runs_lesson_steps_and_names_them()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray input = "{\"cmd\":\"lessons\"}\n"
                                 "{\"cmd\":\"lesson-step\",\"lesson\":\"propagation\",\"index\":0}\n"
                                 "{\"cmd\":\"lesson-step\",\"lesson\":\"propagation\",\"index\":1}\n"
                                 "{\"cmd\":\"lesson-step\",\"lesson\":\"propagation\",\"index\":99}\n"
                                 "{\"cmd\":\"lesson-step\",\"lesson\":\"nope\",\"index\":0}\n"
                                 "{\"cmd\":\"reset-lab\"}\n"
                                 "{\"cmd\":\"step\",\"index\":0}\n"
                                 "{\"cmd\":\"quit\"}\n";
        const test::ProcessResult r = test::run(QStringLiteral(MOUNTLAB_CLI),
                                                {QStringLiteral("agent"), QStringLiteral("--no-trace")}, input, 60000);
        QVERIFY2(r.exit_code == 0, r.err.constData());
        QStringList lessonIds, errors;
        QVector<QJsonObject> begins, ends;
        for (const QByteArray& line : r.out.split('\n')) {
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            const QString kind = e.value(QLatin1String("kind")).toString();
            if (kind == QLatin1String("lesson"))
                lessonIds << e.value(QLatin1String("id")).toString();
            else if (kind == QLatin1String("error"))
                errors << e.value(QLatin1String("message")).toString();
            else if (kind == QLatin1String("step"))
                (e.value(QLatin1String("phase")).toString() == QLatin1String("begin") ? begins : ends) << e;
        }
        // Every lesson file's, but the walkthrough's: that one is the `list` command's.
        QCOMPARE(lessonIds.size(), QDir(lessons_dir()).entryList({QStringLiteral("*.yaml")}).size() - 1);
        QVERIFY(!lessonIds.contains(QStringLiteral("walkthrough")));
        QVERIFY(lessonIds.contains(QStringLiteral("propagation")));
        QCOMPARE(begins.size(), 4); // two lesson steps, the reset, the walkthrough's first
        QCOMPARE(ends.size(), 4);
        QCOMPARE(begins[0].value(QLatin1String("lesson")).toString(), QStringLiteral("propagation"));
        QCOMPARE(begins[0].value(QLatin1String("index")).toInt(-1), 0);
        QCOMPARE(begins[1].value(QLatin1String("lesson")).toString(), QStringLiteral("propagation"));
        QCOMPARE(begins[1].value(QLatin1String("index")).toInt(-1), 1);
        QCOMPARE(begins[1].value(QLatin1String("id")).toString(), QStringLiteral("leak"));
        QVERIFY2(ends[0].value(QLatin1String("passed")).toBool() && ends[1].value(QLatin1String("passed")).toBool(),
                 r.out.constData());
        QVERIFY(!begins[2].contains(QLatin1String("lesson"))); // a reset is no lesson's step
        QCOMPARE(begins[3].value(QLatin1String("lesson")).toString(), QStringLiteral("walkthrough"));
        QCOMPARE(begins[3].value(QLatin1String("index")).toInt(-1), 0);
        QCOMPARE(errors.size(), 2);
        const lesson::Loaded propagation = lesson::load_lessons({"propagation"});
        QCOMPARE(propagation.lessons.size(), size_t(1));
        const QString count = QStringLiteral("has no step 99 (it has %1)").arg(propagation.lessons[0].steps.size());
        QVERIFY2(errors[0].contains(QLatin1String("line 4")) && errors[0].contains(count), qPrintable(errors[0]));
        QVERIFY2(errors[1].contains(QLatin1String("line 5")) && errors[1].contains(QLatin1String("no lesson `nope`")),
                 qPrintable(errors[1]));
    }

    // A step's prediction is printed before what the step does, its answer after the result:
    // the leak's answer is what the step's checks then show (both tables have the tmpfs).
    void run_printsEachPredictionBeforeAndItsAnswerAfter()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const test::ProcessResult r =
            cli({QStringLiteral("run"), QStringLiteral("propagation"), QStringLiteral("--no-trace")});
        QCOMPARE(r.exit_code, 0);
        const QString out = QString::fromUtf8(r.out);
        const qsizetype ask = out.indexOf(QLatin1String("Predict first: The container's / is still a peer"));
        const qsizetype shell = out.indexOf(QLatin1String("$ mkdir -p /mnt/leak"), ask);
        const qsizetype answer = out.indexOf(QLatin1String("Answer: 2) In the container and in the lab host"), shell);
        const qsizetype shown = out.indexOf(QLatin1String("the mount leaked to the lab host"), answer);
        QVERIFY2(ask >= 0 && shell > ask && answer > shell && shown > answer, qPrintable(out.left(6000)));
    }

    void run_all_lessons_rootless()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QString runuser = QStandardPaths::findExecutable(QStringLiteral("runuser"));
        QVERIFY2(!runuser.isEmpty(), "runuser (util-linux) is needed to run the lessons as an unprivileged user");
        const test::ProcessResult r =
            test::run(runuser,
                      {QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--"),
                       QStringLiteral(MOUNTLAB_CLI), QStringLiteral("run"), QStringLiteral("--all")},
                      {}, 300000);
        // A rootless lab that cannot start is a failure: the lessons promise to work without root.
        QVERIFY2(r.exit_code == 0, (r.out.right(3000) + r.err).constData());
    }

    void grading_data()
    {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<QString>("exercise");
        QDir root(submissions_dir());
        for (const QString& l : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            for (const QString& e : QDir(root.filePath(l)).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                QTest::newRow(qPrintable(l + "/" + e)) << l << e;
    }

    // All of an exercise's submissions in one grading run: exact score and status for each,
    // feedback for every check that failed.
    void grading()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QFETCH(QString, lesson);
        QFETCH(QString, exercise);
        const QStringList files = submissions(lesson, exercise);
        QVERIFY(!files.isEmpty());
        int code = -1;
        double wall = 0;
        const QJsonObject rep = grade(lesson, exercise, files, &code, &wall);
        qInfo("%s/%s: %lld submissions graded in %.2f s (-j 2)", qPrintable(lesson), qPrintable(exercise),
              static_cast<long long>(files.size()), wall);
        const QJsonArray subs = rep["submissions"].toArray();
        QCOMPARE(subs.size(), files.size());
        bool all_passed = true;
        for (const auto& sv : subs) {
            const QJsonObject s = sv.toObject();
            const QString file = s["file"].toString();
            const Expectation x = read_expectation(file);
            const QString what = QFileInfo(file).fileName() + ": " + QString::fromUtf8(QJsonDocument(s).toJson());
            QVERIFY2(x.score >= 0, qPrintable(file + " has no expectation"));
            QVERIFY2(s["status"].toString() == x.status, qPrintable(what));
            QVERIFY2(s["score"].toInt() == x.score, qPrintable(what));
            QCOMPARE(s["max_score"].toInt(), rep["max_score"].toInt());
            all_passed = all_passed && x.status == "passed";
            if (x.status == "passed")
                QCOMPARE(s["score"].toInt(), s["max_score"].toInt());
            bool word_found = x.feedback_word.isEmpty();
            int lost = 0;
            for (const auto& cv : s["checks"].toArray()) {
                const QJsonObject c = cv.toObject();
                if (c["passed"].toBool())
                    continue;
                lost += c["max"].toInt();
                // A wrong answer is told what was found and why it is wrong.
                QVERIFY2(!c["message"].toString().isEmpty(), qPrintable(what));
                QVERIFY2(c["feedback"].toString().size() > 20, qPrintable(what));
                word_found = word_found || c["feedback"].toString().contains(x.feedback_word, Qt::CaseInsensitive);
            }
            QCOMPARE(lost, s["max_score"].toInt() - s["score"].toInt());
            QVERIFY2(word_found, qPrintable("no feedback mentions `" + x.feedback_word + "`: " + what));
        }
        QCOMPARE(code, all_passed ? 0 : 1);
    }

    // No points for doing nothing: an empty script, `exit 0`, and a script that only
    // prints what the output checks look for, against every exercise of every lesson:
    // each scores 0 on every check about state (only output checks may pass, for the
    // printing script) and none passes.
    void doing_nothing_earns_nothing()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        QDir d(lessons_dir());
        int graded = 0;
        for (const QString& f : d.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name)) {
            const lesson::LoadResult lr = lesson::load_lesson_file(d.filePath(f).toStdString());
            QVERIFY2(lr.ok(), qPrintable(f));
            for (const lesson::Exercise& ex : lr.lesson.exercises) {
                const QString id = QString::fromStdString(lr.lesson.id + "-" + ex.id);
                QString printing = QStringLiteral("#!/bin/sh\n");
                for (const lesson::CheckSpec& c : ex.checks)
                    if (c.type == "output" && c.params.contains("contains")) {
                        QString text = QString::fromStdString(c.params["contains"].get<std::string>());
                        text.replace('\'', QStringLiteral("'\\''"));
                        printing += QStringLiteral("printf '%s\\n' '") + text + "'\n";
                    }
                const QList<QPair<QString, QByteArray>> scripts = {
                    {id + "-empty.sh", QByteArray()},
                    {id + "-exit0.sh", QByteArrayLiteral("exit 0\n")},
                    {id + "-print.sh", printing.toUtf8()},
                };
                QStringList files;
                for (const auto& [name, body] : scripts) {
                    QFile out(tmp.filePath(name));
                    QVERIFY(out.open(QIODevice::WriteOnly));
                    out.write(body);
                    files << out.fileName();
                }
                int code = -1;
                const QJsonObject rep =
                    grade(QString::fromStdString(lr.lesson.id), QString::fromStdString(ex.id), files, &code, nullptr);
                const QJsonArray subs = rep["submissions"].toArray();
                QCOMPARE(subs.size(), files.size());
                QCOMPARE(code, 1);
                for (const auto& sv : subs) {
                    const QJsonObject s = sv.toObject();
                    const QString what =
                        id + " " + s["name"].toString() + ": " + QString::fromUtf8(QJsonDocument(s).toJson());
                    QVERIFY2(s["status"].toString() != QLatin1String("passed"), qPrintable(what));
                    const QJsonArray checks = s["checks"].toArray();
                    QCOMPARE(checks.size(), static_cast<qsizetype>(ex.checks.size()));
                    int state_points = 0;
                    for (qsizetype i = 0; i < checks.size(); ++i)
                        if (ex.checks[static_cast<size_t>(i)].type != "output")
                            state_points += checks[i].toObject()["points"].toInt();
                    QVERIFY2(state_points == 0, qPrintable("points for a state that nothing made: " + what));
                    if (!s["name"].toString().endsWith(QLatin1String("-print.sh")))
                        QVERIFY2(s["score"].toInt() == 0, qPrintable(what));
                }
                ++graded;
            }
        }
        QVERIFY(graded >= 21); // every exercise of every lesson file (a floor: lessons only get more)
    }

    // Each route `check: isolated` closes is real: steps open them one at a time (a fresh
    // proc of the lab's PID namespace kept in the new root, which no mount of the lab
    // host's is; the container process chrooted), and the check fails naming that route,
    // while the routes not open pass; `check: climb` says where the escape would land.
    void isolated_names_each_open_route()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const test::ProcessResult r = cli({QStringLiteral("run"), test::data_path("lessons/isolation-routes.yaml"),
                                           QStringLiteral("--json"), QStringLiteral("--no-trace")});
        QCOMPARE(r.exit_code, 1); // the checks that must fail did
        QMap<QString, QJsonObject> checks;
        for (const QByteArray& line : r.out.split('\n')) {
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            if (e["kind"].toString() == QLatin1String("check"))
                checks.insert(e["name"].toString(), e);
        }
        const QString all = QString::fromUtf8(r.out.right(4000));
        QVERIFY2(checks.size() == 5, qPrintable(all));
        QVERIFY2(checks["the container's root is overlay"]["passed"].toBool(), qPrintable(all));
        const QJsonObject procs = checks["procs route open"];
        QVERIFY2(!procs["passed"].toBool() &&
                     procs["message"].toString().startsWith("the lab host's processes: the proc on `/proc`"),
                 qPrintable(all));
        QVERIFY2(checks["climb and mounts closed"]["passed"].toBool(), qPrintable(all));
        const QJsonObject climb = checks["climb route open"];
        QVERIFY2(!climb["passed"].toBool() && climb["message"].toString().startsWith("the `..` climb:") &&
                     climb["message"].toString().endsWith("the lab host's root"),
                 qPrintable(all));
        QVERIFY2(checks["the escape would land on the lab host's root"]["passed"].toBool(), qPrintable(all));
    }

    // The exercise of pivot-root: chroot instead of pivot_root loses exactly the "no
    // escape" points (the namespace's root, every route to the lab host closed), and each
    // of those checks tells why, naming chroot.
    void chroot_loses_exactly_the_no_escape_points()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QString dir = submissions_dir() + "/pivot-root/pivot/";
        int code = -1;
        const QJsonObject rep = grade(QStringLiteral("pivot-root"), QStringLiteral("pivot"),
                                      {dir + "good.sh", dir + "wrong-chroot.sh"}, &code, nullptr);
        QCOMPARE(code, 1);
        const QJsonArray subs = rep["submissions"].toArray();
        QCOMPARE(subs.size(), 2);
        QJsonObject good, chroot;
        for (const auto& s : subs)
            (s.toObject()["name"].toString() == "good.sh" ? good : chroot) = s.toObject();
        QCOMPARE(good["status"].toString(), QStringLiteral("passed"));
        QCOMPARE(good["score"].toInt(), 14);
        int no_escape_points = 0;
        for (const auto& cv : good["checks"].toArray())
            if (cv.toObject()["name"].toString().startsWith("no escape"))
                no_escape_points += cv.toObject()["max"].toInt();
        QCOMPARE(no_escape_points, 12);
        QCOMPARE(chroot["status"].toString(), QStringLiteral("failed"));
        QCOMPARE(chroot["score"].toInt(), 14 - no_escape_points);
        for (const auto& cv : chroot["checks"].toArray()) {
            const QJsonObject c = cv.toObject();
            const bool no_escape = c["name"].toString().startsWith("no escape");
            QVERIFY2(c["passed"].toBool() == !no_escape, qPrintable(c["name"].toString()));
            if (no_escape)
                QVERIFY2(c["feedback"].toString().contains("chroot"), qPrintable(c["feedback"].toString()));
        }
    }
};

QTEST_GUILESS_MAIN(TestLessons)
#include "tst_lessons.moc"
