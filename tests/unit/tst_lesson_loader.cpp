// Lesson files: every problem reported at once, each at its line and column.
#include "lab/registry.h"
#include "lesson/checks.h"
#include "lesson/loader.h"
#include "testutil.h"

#include <QFile>
#include <algorithm>
#include <map>

using namespace mountlab::lesson;
using mountlab::Json;

namespace {
const char* kBroken = R"YAML(id: demo
title: Demo
colour: blue
steps:
  - id: one
    title: First
    do:
      - op: mount
        target: /mnt
        flagz: [bind]
      - op: levitate
    expect:
      - check: mount
        view: sideways
        target: /mnt
      - check: telepathy
  - id: one
    title: 42
    expect_failure: maybe
exercises:
  - id: ex
    title: Ex
    task: Do it
    points: 7
    time_limit: soon
    hints:
      - plain
      - look: here
    checks:
      - check: propagation
        target: /
        is: private
)YAML";

bool has(const LoadResult& r, int line, int column, const QString& text)
{
    for (const Diagnostic& d : r.diagnostics)
        if (d.place.line == line && d.place.column == column && QString::fromStdString(d.message).contains(text))
            return true;
    return false;
}

QString all(const LoadResult& r)
{
    QString s;
    for (const Diagnostic& d : r.diagnostics)
        s += QString::fromStdString(d.to_string()) + "\n";
    return s;
}
} // namespace

class TestLessonLoader : public QObject {
    Q_OBJECT
private slots:
    void builtinPropagationLesson_loads()
    {
        LoadResult r = load_lesson_file(QString(MOUNTLAB_TEST_DATA "/../../lessons/04-propagation.yaml").toStdString());
        QVERIFY2(r.ok(), qPrintable(all(r)));
        QCOMPARE(r.lesson.id, std::string("propagation"));
        QVERIFY(r.lesson.steps.size() >= 5);
        QVERIFY(!r.lesson.exercises.empty());
        const Exercise& e = r.lesson.exercises.front();
        int sum = 0;
        for (const CheckSpec& c : e.checks)
            sum += c.points;
        QCOMPARE(e.points, sum);
        QVERIFY(e.time_limit_ms > 0);
    }

    void brokenFile_everyProblemAtItsLineAndColumn()
    {
        LoadResult r = load_lesson_text(kBroken, "broken.yaml");
        QVERIFY(!r.ok());
        const QString text = all(r);
        QVERIFY2(has(r, 3, 1, "unknown key `colour` in the lesson"), qPrintable(text));
        QVERIFY2(has(r, 10, 9, "unknown key `flagz`"), qPrintable(text));
        QVERIFY2(has(r, 10, 9, "did you mean `flags`"), qPrintable(text));
        QVERIFY2(has(r, 11, 13, "unknown operation `levitate`"), qPrintable(text));
        QVERIFY2(has(r, 14, 15, "`view` must be one of: host, container"), qPrintable(text));
        QVERIFY2(has(r, 16, 16, "unknown check `telepathy`"), qPrintable(text));
        QVERIFY2(has(r, 17, 9, "duplicate step id `one`"), qPrintable(text));
        QVERIFY2(has(r, 19, 21, "`expect_failure` in a step must be true or false"), qPrintable(text));
        QVERIFY2(has(r, 25, 17, "`time_limit` must be a duration"), qPrintable(text));
        QVERIFY2(has(r, 28, 9, "item 2 is a mapping"), qPrintable(text));
        QVERIFY2(has(r, 30, 9, "an exercise's check needs `points`"), qPrintable(text));
        // Sorted by position, and the messages name the file.
        for (size_t i = 1; i < r.diagnostics.size(); ++i)
            QVERIFY(r.diagnostics[i - 1].place.line <= r.diagnostics[i].place.line);
        QVERIFY(text.startsWith("broken.yaml:3:1: "));
    }

    // M10: a list value with a mapping in it was read through a dead yaml-cpp proxy
    // (stack-use-after-scope under ASan). Now the item is named, at its place.
    void mappingInAStringList_namesTheItem()
    {
        LoadResult top = load_lesson_text("hints: [ok, {k: v}]\n", "h.yaml");
        QVERIFY(!top.ok());
        LoadResult r = load_lesson_text("id: x\ntitle: T\nsteps: []\nexercises:\n  - id: e\n    title: E\n    task: T\n"
                                        "    hints: [ok, {key: value}]\n",
                                        "h.yaml");
        bool found = false;
        for (const Diagnostic& d : r.diagnostics)
            if (d.message.find("item 2 is a mapping") != std::string::npos) {
                found = true;
                QCOMPARE(d.place.line, 8);
                QCOMPARE(d.place.column, 17);
            }
        QVERIFY2(found, r.diagnostics.empty() ? "no diagnostic" : r.diagnostics.front().to_string().c_str());
    }

    // The guards and the new checks: each mistake at its line and column, in one run.
    void guardsAndIsolation_everyMistakeAtItsPlace()
    {
        const std::string text = "id: g\n"                                 // 1
                                 "title: G\n"                              // 2
                                 "steps:\n"                                // 3
                                 "  - id: s\n"                             // 4
                                 "    title: S\n"                          // 5
                                 "    expect:\n"                           // 6
                                 "      - check: escape\n"                 // 7 (a step may)
                                 "        landed: container root\n"        // 8
                                 "      - check: isolated\n"               // 9
                                 "        requires: [x]\n"                 // 10
                                 "exercises:\n"                            // 11
                                 "  - id: e\n"                             // 12
                                 "    title: E\n"                          // 13
                                 "    task: T\n"                           // 14
                                 "    checks:\n"                           // 15
                                 "      - check: mount\n"                  // 16
                                 "        id: tmpfs\n"                     // 17
                                 "        target: /a\n"                    // 18
                                 "        points: 1\n"                     // 19
                                 "      - check: mount\n"                  // 20
                                 "        view: host\n"                    // 21
                                 "        target: /a\n"                    // 22
                                 "        present: false\n"                // 23
                                 "        points: 1\n"                     // 24
                                 "      - check: mount\n"                  // 25
                                 "        view: host\n"                    // 26
                                 "        target: /a\n"                    // 27
                                 "        present: false\n"                // 28
                                 "        requires: [tmpfz, later]\n"      // 29
                                 "        points: 1\n"                     // 30
                                 "      - check: escape\n"                 // 31
                                 "        points: 1\n"                     // 32
                                 "      - check: isolated\n"               // 33
                                 "        id: later\n"                     // 34
                                 "        routes: [climb, mounts, pids]\n" // 35
                                 "        points: 1\n"                     // 36
                                 "      - check: namespaces\n"             // 37
                                 "        differ: [ipc, network]\n"        // 38
                                 "        points: 1\n"                     // 39
                                 "      - check: propagation\n"            // 40
                                 "        target: /\n"                     // 41
                                 "        is: not shared\n"                // 42
                                 "        recursive: true\n"               // 43
                                 "        id: tmpfs\n"                     // 44
                                 "        points: 1\n";                    // 45
        LoadResult r = load_lesson_text(text, "g.yaml");
        const QString all_text = all(r);
        const QStringList expected = {
            "g.yaml:10:19: `requires` guards an exercise's check",
            "g.yaml:10:20: `requires` names `x`",
            "g.yaml:20:9: this `mount` check passes when the script does nothing: give it `requires:`",
            "g.yaml:29:20: `requires` names `tmpfz`, which is not the id of an earlier check of this exercise (did you mean `tmpfs`?)",
            "g.yaml:29:27: `requires` names `later`, which is not the id of an earlier check",
            "g.yaml:31:16: `check: escape` performs the chroot escape",
            "g.yaml:35:33: `routes` must be one of: climb, mounts, procs",
            "g.yaml:38:23: `differ` must be one of: mnt, uts, ipc, net",
            "g.yaml:44:13: duplicate check id `tmpfs`",
        };
        for (const QString& e : expected)
            QVERIFY2(all_text.contains(e), qPrintable("missing: " + e + "\nthe loader said:\n" + all_text));
        QCOMPARE(r.diagnostics.size(), static_cast<size_t>(expected.size()));
        // What is right loads: the guard and the parameters reach the check.
        const Exercise& ex = r.lesson.exercises.at(0);
        QCOMPARE(ex.checks.at(2).needs, (std::vector<std::string>{"tmpfz", "later"}));
        QCOMPARE(ex.checks.at(0).id, std::string("tmpfs"));
        QCOMPARE(ex.checks.at(6).params.value("is", ""), std::string("not shared"));
        QVERIFY(ex.checks.at(6).params.value("recursive", false));
    }

    // predict: a question, 2 to 6 choices, the answer one of them; each mistake at its place.
    void predictions_loadAndEveryMistakeAtItsPlace()
    {
        const char* good =
            "id: p\ntitle: P\nsteps:\n"
            "  - id: s\n    title: S\n    predict:\n      question: Where?\n      choices: [here, there]\n"
            "      answer: there\n      why: because\n    do:\n      - op: exec\n        argv: [true]\n";
        LoadResult ok = load_lesson_text(good, "p.yaml");
        QVERIFY2(ok.ok(), qPrintable(all(ok)));
        QVERIFY(ok.lesson.steps[0].predict);
        QCOMPARE(ok.lesson.steps[0].predict->answer, 1);
        QCOMPARE(ok.lesson.steps[0].predict->choices.size(), size_t(2));
        QCOMPARE(ok.lesson.steps[0].predict->why, std::string("because"));
        const char* bad =
            "id: p\ntitle: P\nsteps:\n"
            "  - id: s\n    title: S\n    predict:\n      question: Where?\n      choices: [here, there]\n"
            "      answer: nowhere\n    do:\n      - op: exec\n        argv: [true]\n"
            "  - id: t\n    title: T\n    predict:\n      question: Which?\n      choices: [one]\n      answer: one\n"
            "      hint: no\n    do:\n      - op: exec\n        argv: [true]\n";
        LoadResult r = load_lesson_text(bad, "bad.yaml");
        QVERIFY(!r.ok());
        const QString text = all(r);
        QVERIFY2(has(r, 9, 15, "the answer `nowhere` is not one of the choices"), qPrintable(text));
        QVERIFY2(has(r, 17, 16, "a prediction has 2 to 6 choices, not 1"), qPrintable(text));
        QVERIFY2(has(r, 19, 7, "unknown key `hint` in a prediction"), qPrintable(text));
    }

    // stages: the walkthrough's groups. Every step names one, in the declared order.
    void stages_loadAndEveryMistakeAtItsPlace()
    {
        const char* good = "id: w\ntitle: W\nstages:\n  - id: a\n    title: First\n  - id: b\n    title: Second\n"
                           "steps:\n  - id: s\n    stage: a\n    title: S\n  - id: t\n    stage: b\n    title: T\n";
        LoadResult ok = load_lesson_text(good, "w.yaml");
        QVERIFY2(ok.ok(), qPrintable(all(ok)));
        QCOMPARE(ok.lesson.stages.size(), size_t(2));
        QCOMPARE(ok.lesson.stages[1].title, std::string("Second"));
        QCOMPARE(ok.lesson.steps[1].stage, std::string("b"));
        const char* bad = "id: w\ntitle: W\nstages:\n  - id: a\n    title: First\n  - id: b\n    title: Second\n"
                          "steps:\n  - id: s\n    stage: b\n    title: S\n  - id: t\n    stage: a\n    title: T\n"
                          "  - id: u\n    stage: c\n    title: U\n  - id: v\n    title: V\n";
        LoadResult r = load_lesson_text(bad, "bad.yaml");
        const QString text = all(r);
        QVERIFY2(has(r, 13, 12, "step `t` is in stage `a`, which comes before `b`"), qPrintable(text));
        QVERIFY2(has(r, 16, 12, "no stage `c`"), qPrintable(text));
        QVERIFY2(has(r, 18, 5, "step `v` has no `stage`"), qPrintable(text));
        LoadResult none =
            load_lesson_text("id: l\ntitle: L\nsteps:\n  - id: s\n    stage: a\n    title: S\n", "l.yaml");
        QVERIFY2(has(none, 5, 12, "this lesson has none"), qPrintable(all(none)));
        // A step that is not a mapping, in a lesson with stages (found by fuzz_lesson: the
        // loader read `stage` out of a scalar and threw).
        LoadResult scalar =
            load_lesson_text("id: l\ntitle: L\nstages:\n  - {id: a, title: A}\nsteps:\n  - just words\n", "l.yaml");
        QVERIFY2(has(scalar, 6, 5, "a step must be a mapping"), qPrintable(all(scalar)));
    }

    // The walkthrough is a YAML lesson with the seven stages, every step in one.
    void walkthrough_isALessonWithStages()
    {
        LoadResult r = load_lesson_file(QString(MOUNTLAB_TEST_DATA "/../../lessons/00-walkthrough.yaml").toStdString());
        QVERIFY2(r.ok(), qPrintable(all(r)));
        QCOMPARE(r.lesson.id, std::string("walkthrough"));
        QCOMPARE(r.lesson.stages.size(), size_t(7));
        QVERIFY(r.lesson.steps.size() >= 20);
        for (const LessonStep& s : r.lesson.steps) {
            QVERIFY2(!s.stage.empty(), s.id.c_str());
            // Every step that does something says what must hold after it.
            QVERIFY2(!s.expect.empty(), s.id.c_str());
        }
    }

    // The new checks' parameters are checked where they are written.
    void newChecks_everyMistakeAtItsPlace()
    {
        const char* bad = "id: c\ntitle: C\nsteps:\n  - id: s\n    title: S\n    expect:\n"
                          "      - check: error\n        errno: EWHATEVER\n"
                          "      - check: error\n"
                          "      - check: container_ns\n        own: [mnt, galaxy]\n"
                          "      - check: container_ns\n"
                          "      - check: output\n        stream: stdout\n";
        LoadResult r = load_lesson_text(bad, "c.yaml");
        const QString text = all(r);
        QVERIFY2(has(r, 8, 16, "`EWHATEVER` is no errno name"), qPrintable(text));
        QVERIFY2(has(r, 9, 9, "check `error` needs `errno`"), qPrintable(text));
        QVERIFY2(has(r, 11, 20, "`own` must be one of"), qPrintable(text));
        QVERIFY2(has(r, 12, 9, "check `container_ns` needs `own` or `shared`"), qPrintable(text));
        QVERIFY2(has(r, 13, 9, "check `output` needs `contains`, `not_contains`, `equals` or `lines`"),
                 qPrintable(text));
    }

    // lessons/README.md documents every operation and every check with each of its
    // parameters, and nothing the loader does not know: its tables are held to the
    // loader's schemas.
    void readme_documentsEveryOperationAndCheck()
    {
        QFile f(MOUNTLAB_TEST_DATA "/../../lessons/README.md");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        auto table = [&](const QString& heading) {
            std::map<std::string, QString> rows; // name -> parameters cell
            const qsizetype from = text.indexOf(QStringLiteral("\n## ") + heading + QLatin1Char('\n'));
            const qsizetype to = text.indexOf(QStringLiteral("\n## "), from + 4);
            for (const QString& line : text.mid(from, to - from).split(QLatin1Char('\n'))) {
                if (!line.startsWith(QLatin1String("| `")))
                    continue;
                const QStringList cells = line.split(QLatin1String(" | "));
                rows[cells[0].mid(3, cells[0].indexOf(QLatin1Char('`'), 3) - 3).toStdString()] = cells.value(1);
            }
            return rows;
        };
        const auto ops = table(QStringLiteral("Operations"));
        const auto checks = table(QStringLiteral("Checks"));
        auto compare = [](const std::map<std::string, QString>& documented, const std::vector<std::string>& names,
                          std::vector<std::string> (*params)(const std::string&), const char* what) {
            QVERIFY2(!documented.empty(), what);
            for (const std::string& n : names) {
                auto it = documented.find(n);
                QVERIFY2(
                    it != documented.end(),
                    qPrintable(
                        QStringLiteral("%1 `%2` is not in lessons/README.md").arg(what, QString::fromStdString(n))));
                for (const std::string& p : params(n))
                    QVERIFY2(it->second.contains(QStringLiteral("`%1`").arg(QString::fromStdString(p))),
                             qPrintable(QStringLiteral("lessons/README.md: %1 `%2` does not document `%3`")
                                            .arg(what, QString::fromStdString(n), QString::fromStdString(p))));
            }
            for (const auto& [n, cell] : documented)
                QVERIFY2(
                    std::find(names.begin(), names.end(), n) != names.end(),
                    qPrintable(QStringLiteral("lessons/README.md documents %1 `%2`, which the loader does not know")
                                   .arg(what, QString::fromStdString(n))));
        };
        compare(ops, operation_names(), operation_parameters, "operation");
        compare(checks, check_names(), check_parameters, "check");

        // And every key of a lesson, stage, step, prediction, exercise and check, in "Keys".
        const qsizetype from = text.indexOf(QStringLiteral("\n## Keys\n"));
        const QString keys = text.mid(from, text.indexOf(QStringLiteral("\n## "), from + 4) - from);
        const KeySets k = lesson_keys();
        for (const auto* set : {&k.lesson, &k.stage, &k.step, &k.predict, &k.exercise, &k.check})
            for (const std::string& key : *set)
                QVERIFY2(keys.contains(QStringLiteral("`%1`").arg(QString::fromStdString(key))),
                         qPrintable(QStringLiteral("lessons/README.md's Keys do not document `%1`")
                                        .arg(QString::fromStdString(key))));
    }

    // The registries are the one source of names and parameters: the loader accepts what
    // a lesson may write and refuses the engine's own (an operation or a parameter that
    // only checks and the grader use), and every row can be dispatched and described.
    void registries_areTheLoadersSchemas()
    {
        auto lesson_with = [](const std::string& op_yaml) {
            return load_lesson_text(
                "id: l\ntitle: L\nsteps:\n  - id: s\n    title: S\n    do:\n      - " + op_yaml + "\n", "l.yaml");
        };
        for (const mountlab::lab::OperationDef& d : mountlab::lab::operation_registry()) {
            QVERIFY2(!d.doc.empty(), d.name.c_str());
            QVERIFY2(d.run || d.name == "reset_container",
                     qPrintable(QString::fromStdString(d.name) + " has no handler"));
            const LoadResult r = lesson_with("op: " + d.name);
            if (!d.lesson) {
                QVERIFY2(all(r).contains("unknown operation `" + QString::fromStdString(d.name) + "`"),
                         qPrintable(all(r)));
                continue;
            }
            QVERIFY2(r.ok(), qPrintable(QString::fromStdString(d.name) + ": " + all(r)));
            std::vector<std::string> lesson_params;
            for (const mountlab::lab::ParamDef& p : d.params)
                if (p.lesson)
                    lesson_params.push_back(p.name);
                else
                    QVERIFY2(all(lesson_with("op: " + d.name + "\n        " + p.name + ": x"))
                                 .contains("unknown key `" + QString::fromStdString(p.name) + "`"),
                             qPrintable(QString::fromStdString(d.name + "." + p.name) + " is the engine's own"));
            std::sort(lesson_params.begin(), lesson_params.end());
            std::vector<std::string> loader_params = operation_parameters(d.name);
            std::sort(loader_params.begin(), loader_params.end());
            QVERIFY2(lesson_params == loader_params, d.name.c_str());
        }
        QVERIFY(!mountlab::lab::find_operation("levitate"));
        mountlab::lab::ProcessState state;
        const mountlab::lab::OpResult unknown = mountlab::lab::perform(mountlab::Json{{"op", "levitate"}}, state);
        QVERIFY(!unknown.ok);
        QCOMPARE(unknown.err, EINVAL);

        for (const CheckDef& d : check_registry()) {
            QVERIFY2(!d.doc.empty() && d.describe && d.evaluate, d.name.c_str());
            QVERIFY2(!d.describe(mountlab::Json::object()).empty(), d.name.c_str());
            // Each required parameter is asked for by name when it is missing.
            std::string yaml =
                "id: l\ntitle: L\nsteps:\n  - id: s\n    title: S\n    expect:\n      - check: " + d.name + "\n";
            const LoadResult r = load_lesson_text(yaml, "l.yaml");
            for (const mountlab::lab::ParamDef& p : d.params)
                if (p.required)
                    QVERIFY2(all(r).contains("check `" + QString::fromStdString(d.name) + "` needs `" +
                                             QString::fromStdString(p.name) + "`"),
                             qPrintable(all(r)));
            // A step-only check is refused in an exercise.
            const std::string ex =
                "id: l\ntitle: L\nsteps: []\nexercises:\n  - id: e\n    title: E\n    task: T\n    points: 1\n"
                "    checks:\n      - check: " +
                d.name + "\n        points: 1\n";
            const QString exercise = all(load_lesson_text(ex, "l.yaml"));
            QVERIFY2(exercise.contains("judges a step's operation") == (d.step_only && d.name != "escape") &&
                         exercise.contains("performs the chroot escape") == (d.name == "escape"),
                     qPrintable(QString::fromStdString(d.name) + ": " + exercise));
        }
    }

    void hugeFile_isRefusedWithTheLimit()
    {
        LoadResult r = load_lesson_file("/dev/zero");
        QCOMPARE(r.diagnostics.size(), size_t(1));
        const QString m = QString::fromStdString(r.diagnostics[0].to_string());
        QVERIFY2(m.startsWith("/dev/zero:") && m.contains("4 MiB"), qPrintable(m));
    }

    void invalidYaml_saysWhere()
    {
        LoadResult r = load_lesson_text("id: x\ntitle: [unclosed\n", "bad.yaml");
        QCOMPARE(r.diagnostics.size(), size_t(1));
        QVERIFY(QString::fromStdString(r.diagnostics[0].message).contains("not valid YAML"));
        QVERIFY(r.diagnostics[0].place.line >= 2);
    }

    void missingRequiredFields_areNamed()
    {
        LoadResult r = load_lesson_text("summary: nothing else\n", "empty.yaml");
        const QString text = all(r);
        QVERIFY2(text.contains("the lesson has no `id`"), qPrintable(text));
        QVERIFY2(text.contains("the lesson has no `title`"), qPrintable(text));
        QVERIFY2(text.contains("the lesson has no `steps`"), qPrintable(text));
    }

    void pointsMustAddUp()
    {
        LoadResult r = load_lesson_text(
            "id: p\ntitle: P\nsteps: []\nexercises:\n  - id: e\n    title: E\n    task: T\n    points: 5\n"
            "    checks:\n      - check: host_unchanged\n        points: 3\n",
            "p.yaml");
        QVERIFY2(has(r, 8, 13, "the checks add up to 3"), qPrintable(all(r)));
    }

    void operationsBecomeEngineRequests()
    {
        LoadResult r = load_lesson_text(
            "id: o\ntitle: O\nsteps:\n  - id: s\n    title: S\n    do:\n      - op: mount\n"
            "        source: a\n        target: /mnt\n        flags: [bind, rec]\n        mkdir: true\n",
            "o.yaml");
        QVERIFY2(r.ok(), qPrintable(all(r)));
        const Json& op = r.lesson.steps[0].ops[0];
        QCOMPARE(op["op"].get<std::string>(), std::string("mount"));
        QCOMPARE(op["flags"].size(), size_t(2));
        QCOMPARE(op["mkdir"].get<bool>(), true);
    }
    // An exercise's `after:` operations: what the lab does once the script is done, each
    // with where it runs (container by default; host and lab host are the lab host).
    void afterOperations_loadWithWhereAndEveryMistakeAtItsPlace()
    {
        const char* good =
            "id: a\ntitle: A\nsteps: []\nexercises:\n  - id: e\n    title: E\n    task: T\n"
            "    after:\n"
            "      - op: mount\n        where: host\n        source: late\n        target: /srv/v/late\n        fstype: tmpfs\n"
            "      - op: mount\n        source: mine\n        target: /v/mine\n        fstype: tmpfs\n"
            "      - op: umount\n        where: lab host\n        target: /srv/v/late\n"
            "    checks:\n      - check: mount\n        target: /v/late\n        points: 1\n";
        LoadResult r = load_lesson_text(good, "a.yaml");
        QVERIFY2(r.ok(), qPrintable(all(r)));
        const Exercise& e = r.lesson.exercises.at(0);
        QCOMPARE(e.after.size(), size_t(3));
        QCOMPARE(e.after[0]["op"].get<std::string>(), std::string("mount"));
        QCOMPARE(e.after[0]["where"].get<std::string>(), std::string("lab host"));
        QCOMPARE(e.after[0]["target"].get<std::string>(), std::string("/srv/v/late"));
        QCOMPARE(e.after[1]["where"].get<std::string>(), std::string("container"));
        QCOMPARE(e.after[2]["where"].get<std::string>(), std::string("lab host"));
        QVERIFY(e.setup.empty());

        const char* bad =
            "id: a\ntitle: A\nsteps:\n  - id: s\n    title: S\n    do:\n      - op: mount\n        where: host\n"
            "        target: /x\nexercises:\n  - id: e\n    title: E\n    task: T\n"
            "    after:\n"
            "      - op: mount\n        where: sideways\n        target: /x\n"
            "      - op: levitate\n"
            "      - op: reset_container\n"
            "    setup:\n      - op: umount\n        where: host\n        target: /x\n"
            "    checks:\n      - check: mount\n        target: /x\n        points: 1\n";
        r = load_lesson_text(bad, "b.yaml");
        QVERIFY(!r.ok());
        // A step's operation takes no `where` of its own (the step has one).
        QVERIFY2(has(r, 8, 9, "unknown key `where` in operation `mount`"), qPrintable(all(r)));
        QVERIFY2(has(r, 16, 16, "`where` must be one of: container, host, lab host"), qPrintable(all(r)));
        QVERIFY2(has(r, 18, 13, "unknown operation `levitate`"), qPrintable(all(r)));
        QVERIFY2(has(r, 15, 7, "`reset_container` would throw it away"), qPrintable(all(r)));
        // Nor does a set-up's: it runs in the container.
        QVERIFY2(has(r, 22, 9, "unknown key `where` in operation `umount`"), qPrintable(all(r)));
    }

    // What an exercise may not say (review of the day's change): an `after` that runs a
    // command the script could have replaced, host_unchanged beside a host `after` (it
    // would compare with a table the grader changed), checks of a step's operation, and an
    // output check a silent script meets, without `requires`.
    void exerciseChecks_thatJudgeNothingTheScriptDid_areRefused()
    {
        const char* bad =
            "id: a\ntitle: A\nsteps: []\nexercises:\n  - id: e\n    title: E\n    task: T\n"
            "    after:\n"
            "      - op: exec\n        argv: [mount, -t, tmpfs, x, /x]\n"
            "      - op: mount\n        where: host\n        source: l\n        target: /srv/l\n        fstype: tmpfs\n"
            "    checks:\n"
            "      - check: mount\n        id: m\n        target: /x\n        points: 1\n"
            "      - check: host_unchanged\n        requires: [m]\n        points: 1\n"
            "      - check: container_ns\n        own: [mnt]\n        points: 1\n"
            "      - check: tables_equal\n        points: 1\n"
            "      - check: output\n        equals: \"\"\n        points: 1\n"
            "      - check: output\n        lines: 0\n        points: 1\n";
        LoadResult r = load_lesson_text(bad, "x.yaml");
        const QString text = all(r);
        QVERIFY2(has(r, 9, 7, "`after` may not `exec` a command"), qPrintable(text));
        QVERIFY2(has(r, 9, 7, "`host_unchanged` compares the lab host's table"), qPrintable(text));
        QVERIFY2(has(r, 24, 16, "`check: container_ns` judges a step's operation"), qPrintable(text));
        QVERIFY2(has(r, 27, 16, "`check: tables_equal` judges a step's operation"), qPrintable(text));
        QVERIFY2(has(r, 29, 9, "this `output` check passes when the script does nothing"), qPrintable(text));
        QVERIFY2(has(r, 32, 9, "this `output` check passes when the script does nothing"), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestLessonLoader)
#include "tst_lesson_loader.moc"
