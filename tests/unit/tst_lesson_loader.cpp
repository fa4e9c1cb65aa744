// Lesson files: every problem reported at once, each at its line and column.
#include "lesson/loader.h"
#include "testutil.h"

using namespace mountlab::lesson;

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
        LoadResult r = load_lesson_file(QString(MOUNTLAB_TEST_DATA "/../../lessons/02-propagation.yaml").toStdString());
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
        LoadResult r = load_lesson_text("id: p\ntitle: P\nsteps: []\nexercises:\n  - id: e\n    title: E\n    task: T\n    points: 5\n"
                                        "    checks:\n      - check: host_unchanged\n        points: 3\n",
                                        "p.yaml");
        QVERIFY2(has(r, 8, 13, "the checks add up to 3"), qPrintable(all(r)));
    }

    void operationsBecomeEngineRequests()
    {
        LoadResult r = load_lesson_text("id: o\ntitle: O\nsteps:\n  - id: s\n    title: S\n    do:\n      - op: mount\n"
                                        "        source: a\n        target: /mnt\n        flags: [bind, rec]\n        mkdir: true\n",
                                        "o.yaml");
        QVERIFY2(r.ok(), qPrintable(all(r)));
        const Json& op = r.lesson.steps[0].ops[0];
        QCOMPARE(op["op"].get<std::string>(), std::string("mount"));
        QCOMPARE(op["flags"].size(), size_t(2));
        QCOMPARE(op["mkdir"].get<bool>(), true);
    }
};

QTEST_GUILESS_MAIN(TestLessonLoader)
#include "tst_lesson_loader.moc"
