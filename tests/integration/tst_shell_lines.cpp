// Every `shell:` line is true: typed verbatim into the lab's terminal, in a fresh lab
// brought to the state before its step, it leaves both mount tables as the step's
// operations leave them (normalised, as diffs across namespaces are: IDs, device numbers
// and peer-group numbers aside). Every step of every lesson, and of the walkthrough.
// The container view after the line is that of the terminal's foreground process (so a
// line that starts `unshare --mount` is compared in the shell it leaves behind).
//
// Each line is typed as a learner does it (`try`): before it, the step's checks must not
// all hold yet (else they could not tell the learner's work from none); after it, they
// all hold, judged on the learner's own state, and the step is recorded as done.
#include "agentdriver.h"
#include "lesson/loader.h"
#include "mount/mountdiff.h"
#include "mount/mountinfo.h"
#include "mount/mounttree.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <algorithm>
#include <map>

using namespace mountlab;
using test::Agent;
using test::Json;

namespace {

QString lessons_dir() { return QDir::cleanPath(test::data_path("../../lessons")); }

struct Step {
    std::string id;
    std::string shell;
    std::string where; // "container" or "lab host"
    Json run;          // the agent command that runs it
    Json try_it;       // the agent command that has the learner do it
};

struct Course {
    std::string name;
    Json reset;
    std::vector<Step> steps;
};

// A table event as the normalised form diffs use.
std::vector<NormalMount> normal_of(const Json* table)
{
    if (!table || !table->contains("mounts"))
        return {};
    std::string text;
    for (const Json& m : (*table)["mounts"])
        text += m.value("raw", "") + "\n";
    return normalise(MountTree(parse_mountinfo(text, "table event").mounts));
}

std::string describe(const NormalMount& m)
{
    return m.key() + " " + m.fstype + " " + m.source + " root=" + m.root + " " + m.vfs_options + " " + m.super_options +
           " " + m.propagation + (m.peer_group ? " peer " + std::to_string(m.peer_group) : "") +
           (m.master ? " master " + std::to_string(m.master) : "");
}

// What differs, a mount a line, for the failure message.
std::string difference(const std::vector<NormalMount>& ops, const std::vector<NormalMount>& shell)
{
    const NormalDiff d = diff_normalised(ops, shell);
    std::string out;
    for (const NormalMount& m : d.removed)
        out += "\n    only after the operations: " + describe(m);
    for (const NormalMount& m : d.added)
        out += "\n    only after the shell line: " + describe(m);
    for (const NormalChange& c : d.changed) {
        out += "\n    " + c.after.target + " differs in";
        for (const std::string& f : c.fields)
            out += " " + f;
        out += ": operations " + describe(c.before) + " / shell " + describe(c.after);
    }
    if (out.empty() && ops != shell)
        out = "\n    (the same mounts in another order)";
    return out;
}

// Runs an agent command and waits for the step it makes to end (and its tables).
const Json* run_step(Agent& a, const Json& command)
{
    a.skip_seen();
    a.send(command);
    // Its tables, diffs and checks come before its end.
    return a.wait_for([](const Json& e) { return e.value("kind", "") == "step" && e.value("phase", "") == "end"; },
                      20000);
}

// The steps a learner cannot yet complete by typing their `shell:` line, and why: the
// step's operation prints a verdict its shell line does not (an `awk` that compares, an
// `echo` after a test). Each must still fail when tried (a step that passes is taken off
// the list: the test says so).
const std::map<std::string, std::string>& not_by_typing_yet()
{
    static const std::map<std::string, std::string> steps = {
        // Each check compares two numbers of a table (no check type reads mount IDs, parent
        // IDs or peer-group numbers); the line shows the numbers, the operation compares them.
        {"reading-the-table/mount-ids", "the operation compares the IDs with awk; the line shows them"},
        {"reading-the-table/chrooted-view",
         "the operation counts the lines with wc and looks for the parent ID with awk; the line shows them"},
        {"reading-the-table/propagate-from",
         "the operation compares propagate_from:N with /d's peer group, and finds none in the container's line"},
    };
    return steps;
}

// Before the learner typed anything: a check that does not hold yet, else the step's
// checks cannot tell the learner's work from none.
std::string try_start_problem(const Json& started)
{
    for (const Json& c : started.value("checks", Json::array()))
        if (!c.value("passed", false))
            return {};
    return "\n  try: every check holds before anything was typed (the checks cannot tell the work from none)";
}

// After the line: the try passed (every check held on the learner's state), and the step
// was recorded as done; else which checks did not hold, and why.
std::string try_end_problem(const Agent& a, size_t from)
{
    const Json* last = nullptr;
    bool recorded = false;
    for (size_t i = from; i < a.events().size(); ++i) {
        const Json& e = a.events()[i].json;
        if (e.value("kind", "") == "try")
            last = &e;
        if (e.value("kind", "") == "step" && e.value("phase", "") == "begin" && e.contains("op") &&
            e["op"].is_object() && e["op"].value("op", "") == "typed")
            recorded = true;
    }
    if (!last)
        return "\n  try: no judgement after the line";
    if (last->value("passed", false))
        return recorded ? "" : "\n  try: it passed, but no step was recorded";
    std::string why = "\n  try: the typed line did not pass:";
    for (const Json& c : last->value("checks", Json::array()))
        if (!c.value("passed", false))
            why += "\n    " + c.value("name", "") + ": " + c.value("message", "");
    return why;
}

} // namespace

class TestShellLines : public QObject {
    Q_OBJECT

    QByteArray host_before_;

    void check(const Course& course)
    {
        Agent a;
        // Traced: a try judges an `error` check by the errno of the call that failed.
        QVERIFY2(a.start(QStringLiteral("engine")), "the agent starts");
        // The operations, every step in turn, and the tables each leaves.
        QVERIFY(run_step(a, course.reset));
        const auto fresh_host = normal_of(a.last("table", "host"));
        const auto fresh_container = normal_of(a.last("table", "container"));
        struct After {
            std::vector<NormalMount> host, container;
            Json data;
        };
        std::vector<After> after;
        for (const Step& s : course.steps) {
            const Json* end = run_step(a, s.run);
            QVERIFY2(end, qPrintable(QString::fromStdString(course.name + "/" + s.id + ": the step ends")));
            Json data = end->value("data", Json::object());
            after.push_back({normal_of(a.last("table", "host")), normal_of(a.last("table", "container")), data});
        }

        int lines = 0;
        int untried = 0; // listed in not_by_typing_yet(), and still so
        std::string failures;
        for (size_t k = 0; k < course.steps.size(); ++k) {
            const Step& s = course.steps[k];
            if (s.shell.empty())
                continue;
            ++lines;
            const std::string where = course.name + "/" + s.id;
            QVERIFY(run_step(a, course.reset));
            for (size_t i = 0; i < k; ++i)
                QVERIFY2(run_step(a, course.steps[i].run),
                         qPrintable(QString::fromStdString(where + ": step " + course.steps[i].id)));
            a.skip_seen();
            a.send(Json{{"cmd", "terminal-open"}, {"where", s.where}, {"rows", 40}, {"cols", 200}});
            const Json* opened = a.wait_for(
                [](const Json& e) { return e.value("kind", "") == "terminal" && e.value("opened", false); }, 5000);
            QVERIFY2(opened, qPrintable(QString::fromStdString(where + ": a terminal opens in the " + s.where)));
            const int id = opened->value("id", 0);
            QVERIFY2(a.wait_output(id, "]# ", 5000), qPrintable(QString::fromStdString(where + ": the shell prompts")));
            a.skip_seen();
            a.send(s.try_it);
            const Json* started = a.wait_for(
                [](const Json& e) { return e.value("kind", "") == "try" && e.value("reason", "") == "start"; }, 5000);
            QVERIFY2(started, qPrintable(QString::fromStdString(where + ": the try starts")));
            // A step whose operations change the tables must have a check that does not
            // hold before it (one that only looks may find its facts true already).
            const bool changes = after[k].host != (k ? after[k - 1].host : fresh_host) ||
                                 after[k].container != (k ? after[k - 1].container : fresh_container);
            std::string why = changes && !not_by_typing_yet().count(where) ? try_start_problem(*started) : "";
            const size_t events_before = a.events().size();
            const int from = static_cast<int>(a.text_of(id).size());
            std::string typed = s.shell;
            if (typed.back() != '\n')
                typed += '\n';
            a.type(id, typed);
            // A prompt after each line (a nested shell prompts too), then the terminal's
            // step, which comes once the output has been quiet for a while.
            const qsizetype prompts = std::count(typed.begin(), typed.end(), '\n');
            QElapsedTimer waited;
            waited.start();
            while (a.text_of(id).mid(from).count("]# ") < prompts && waited.elapsed() < 20000)
                a.settle(100, 200);
            a.settle(400);
            const QByteArray out = a.text_of(id).mid(from);
            const std::string try_problem = try_end_problem(a, events_before);
            if (not_by_typing_yet().count(where)) {
                if (try_problem.empty())
                    why += "\n  try: it passes by typing now: take it off not_by_typing_yet()";
                else
                    ++untried;
            } else {
                why += try_problem;
            }
            if (out.count("]# ") < prompts)
                why += "\n  the shell did not prompt again after each line";

            if (out.contains("command not found"))
                why += "\n    a command is not in the lab: " + out.toStdString();
            const auto host = normal_of(a.last("table", "host"));
            const auto container = normal_of(a.last("table", "container"));
            if (host != after[k].host)
                why += "\n  the lab host's table:" + difference(after[k].host, host);
            if (container != after[k].container)
                why += "\n  the container's table:" + difference(after[k].container, container);
            // The escape does what the operation found: the secret read, or not.
            if (after[k].data.contains("secret_readable")) {
                const bool readable = after[k].data.value("secret_readable", false);
                const std::string secret = after[k].data.value("secret", "LAB HOST SECRET");
                const bool shown = out.contains(QByteArray::fromStdString(secret.substr(0, secret.find('\n'))));
                if (readable != shown)
                    why += readable ? "\n  the operation read /HOST_SECRET, the shell line did not"
                                    : "\n  the shell line read /HOST_SECRET, the operation did not";
            }
            if (!why.empty()) {
                const std::string text = where + " [" + s.where + "]: `" + s.shell + "`" + why +
                                         "\n  terminal: " + out.right(600).toStdString();
                qWarning().noquote() << QString::fromStdString(text);
                failures += "\n" + where;
            }
        }
        QVERIFY2(lines > 0, "the course has shell lines");
        if (untried)
            qInfo().noquote() << QString::fromStdString(course.name) << ":" << untried
                              << "step(s) not yet done by typing (not_by_typing_yet())";
        QVERIFY2(failures.empty(),
                 qPrintable(QString::fromStdString(
                     "these shell lines do not do what their steps do (the warnings above say how):" + failures)));
    }

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        host_before_ = test::host_mountinfo();
    }
    void cleanupTestCase()
    {
        if (!host_before_.isEmpty())
            QCOMPARE(test::host_mountinfo(), host_before_);
    }

    void lesson_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList files = QDir(lessons_dir()).entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 7);
        for (const QString& f : files)
            if (f != QLatin1String("00-walkthrough.yaml")) // the agent runs it by `step`: walkthrough() below
                QTest::newRow(qPrintable(f)) << QDir(lessons_dir()).filePath(f);
    }
    // Each lesson's steps: a fresh lab host for each line (reset-lab), then the steps before it.
    void lesson()
    {
        QFETCH(QString, file);
        const lesson::LoadResult loaded = lesson::load_lesson_file(file.toStdString());
        QVERIFY2(loaded.ok(), qPrintable(file));
        Course c;
        c.name = loaded.lesson.id;
        c.reset = Json{{"cmd", "reset-lab"}, {"lesson", loaded.lesson.id}};
        int index = 0;
        for (const lesson::LessonStep& s : loaded.lesson.steps) {
            // A step that only starts afresh has nothing a shell could type.
            const bool reset = std::all_of(s.ops.begin(), s.ops.end(), [](const Json& o) {
                return o.value("op", "") == "reset_container" || o.value("op", "") == "reset_lab";
            });
            if (s.shell.empty() && !reset && !s.ops.empty())
                QFAIL(qPrintable(
                    QString::fromStdString(c.name + "/" + s.id + " changes the lab but shows no shell line")));
            c.steps.push_back({s.id, s.shell, s.where == "container" ? "container" : "lab host",
                               Json{{"cmd", "lesson-step"}, {"lesson", loaded.lesson.id}, {"index", index}},
                               Json{{"cmd", "try"}, {"lesson", loaded.lesson.id}, {"index", index}}});
            ++index;
        }
        check(c);
    }

    // The walkthrough's steps, from the agent's own list.
    void walkthrough()
    {
        Agent a;
        QVERIFY(a.start());
        a.send(Json{{"cmd", "list"}});
        const Json* list = a.wait_for([](const Json& e) { return e.value("kind", "") == "walkthrough"; }, 5000);
        QVERIFY(list);
        Course c;
        c.name = "walkthrough";
        c.reset = Json{{"cmd", "reset-lab"}};
        for (const Json& s : (*list)["steps"]) {
            const std::string where = s.value("where", "container");
            c.steps.push_back({s.value("id", ""), s.value("shell", ""), where == "container" ? "container" : "lab host",
                               Json{{"cmd", "step"}, {"index", s.value("index", 0)}},
                               Json{{"cmd", "try"}, {"lesson", "walkthrough"}, {"index", s.value("index", 0)}}});
        }
        QVERIFY(c.steps.size() >= 10);
        check(c);
    }
};

QTEST_GUILESS_MAIN(TestShellLines)
#include "tst_shell_lines.moc"
