// The GUI reads what the engine writes: events made by core/stream's builders (the very
// ones every producer uses), written by the agent's own sink (stream::json_lines), cut
// into frames and replayed by EngineClient, parsed by Session. A key renamed on either
// side (builder or parser) changes a status, a check, a copy-up row, a terminal's bytes
// or a log line asserted here.
#include "engineclient.h"
#include "session.h"
#include "stream/events.h"
#include "stream/traceevents.h"

#include <QSignalSpy>
#include <QtTest>
#include <cerrno>
#include <cstdio>

using namespace mountlab;
using namespace mountlab::gui;

namespace {

// The lines exactly as `mountlab-cli agent` writes them.
QVector<QByteArray> agentLines(const std::vector<Json>& events)
{
    char* buf = nullptr;
    size_t size = 0;
    FILE* out = open_memstream(&buf, &size);
    const stream::Sink sink = stream::json_lines(out);
    for (const Json& e : events)
        sink(e);
    fclose(out);
    QVector<QByteArray> lines;
    for (const QByteArray& l : QByteArray(buf, qsizetype(size)).split('\n'))
        if (!l.isEmpty())
            lines.push_back(l);
    free(buf);
    return lines;
}

Mount tmpfsAt(int id, int parent, const std::string& target)
{
    Mount m;
    m.id = id;
    m.parent_id = parent;
    m.target = target;
    m.fstype = "tmpfs";
    m.source = "t";
    m.root = "/";
    return m;
}

stream::StepBegin beginOf(int step, int index, const std::string& id)
{
    stream::StepBegin b;
    b.step = step;
    b.stage = "propagation";
    b.id = id;
    b.title = "Step " + id;
    b.where = "container";
    b.op = Json{{"op", "mount"}};
    b.lesson = "walkthrough";
    b.index = index;
    return b;
}

trace::SyscallEvent failedPivot()
{
    trace::SyscallEvent e;
    e.name = "pivot_root";
    e.args = {{"new_root", trace::SyscallArg::Kind::String, "/c2"},
              {"put_old", trace::SyscallArg::Kind::String, "/c2/old"}};
    e.err = EBUSY;
    e.pid = e.tid = 7;
    e.comm = "container";
    e.mntns_before = e.mntns_after = 4026532250u;
    return e;
}

// A session of two walkthrough steps (the first passes with a copy-up, the second fails
// a check), a terminal's life, and the log, error and summary lines.
std::vector<Json> sessionEvents()
{
    std::vector<Json> ev;
    ev.push_back(stream::session(Json{{"rootless", true}, {"host_mntns", 4026532177u}, {"trace", "bpf"}}));
    ev.push_back(
        stream::walkthrough({{"propagation", "Propagation"}},
                            {{0, "propagation", "leak", "Step leak", "mount", "mount(...)", "x", "container", Json()},
                             {1, "propagation", "private", "Step private", "", "", "", "container", Json()}}));
    const std::vector<Mount> base{tmpfsAt(64, 42, "/")};
    ev.push_back(stream::table(0, "host", 4026532177u, base));
    ev.push_back(stream::table(0, "container", 4026532250u, base, stream::ViewProcess{9, "bash"}));

    ev.push_back(stream::step_begin(beginOf(1, 0, "leak")));
    ev.push_back(stream::copyup({1,
                                 "/merged",
                                 "/upper",
                                 {"/l/tools", "/l/base"},
                                 {{"/etc/motd", "copied-up", "/upper/etc/motd"}},
                                 stream::LowerFile{"/l/base", "/l/base/etc/motd", true}}));
    ev.push_back(stream::check({1, "the lab host has tmpfs mounted on /mnt/leak", true, ""}));
    stream::StepEnd ok;
    ok.step = 1;
    ev.push_back(stream::step_end(ok));

    ev.push_back(stream::step_begin(beginOf(2, 1, "private")));
    Json call = stream::syscall(failedPivot());
    call["step"] = 2; // as the engine tags a step's calls
    ev.push_back(call);
    ev.push_back(stream::check({2, "the lab host does not see /mnt/x", false, "/mnt/x is on the lab host"}));
    stream::StepEnd bad;
    bad.step = 2;
    bad.ok = false;
    bad.err = EBUSY;
    bad.error = "pivot_root `/c2`: busy";
    bad.passed = false;
    ev.push_back(stream::step_end(bad));

    ev.push_back(stream::terminal_opened({1, "container", "/bin/bash", 3, 24, 80}));
    ev.push_back(stream::terminal_data(1, std::string("\x1b[31mred\x1b[0m\xff\n")));
    ev.push_back(stream::terminal_closed({1, std::nullopt, "reset"}));
    ev.push_back(stream::log("warning", "the trace lost 3 calls here"));
    ev.push_back(stream::error({.line = 4, .message = "command on line 4: no"}));
    ev.push_back(stream::summary({2, 1}));
    return ev;
}

} // namespace

class TestGuiStream : public QObject {
    Q_OBJECT
private slots:
    void replayedBuilderEvents_giveTheGuiItsState()
    {
        Session s;
        EngineClient client;
        connect(&client, &EngineClient::lineReceived, &s, &Session::handleLine);
        QSignalSpy opened(&s, &Session::terminalOpened);
        QSignalSpy data(&s, &Session::terminalData);
        QSignalSpy closed(&s, &Session::terminalClosed);
        QSignalSpy logs(&s, &Session::logMessage);
        QSignalSpy errors(&s, &Session::engineError);
        QSignalSpy summaries(&s, &Session::summaryReceived);

        const Recording rec = Recording::fromLines(agentLines(sessionEvents()));
        QCOMPARE(rec.frameCount(), 4); // before the steps, two steps, the terminal
        client.openRecording(rec);
        QVERIFY(s.rootless());
        QCOMPARE(s.navigator()->stepCount(), 2);
        QCOMPARE(s.container().viewPid, 9);
        QCOMPARE(s.container().viewComm, QStringLiteral("bash"));

        client.replayNext(); // step 1: passes, with a copy-up
        QCOMPARE(s.navigator()->step(0).status, StepStatus::Passed);
        const Session::StepResult first = s.resultOf(0);
        QCOMPARE(first.checks.size(), 1);
        QCOMPARE(first.checks[0].value("passed").toBool(), true);
        QCOMPARE(first.checks[0].value("name").toString(),
                 QStringLiteral("the lab host has tmpfs mounted on /mnt/leak"));
        QCOMPARE(s.copyUp()->changes().size(), 1);
        const CopyUpChange row = s.copyUp()->changes()[0];
        QCOMPARE(row.step, 1);
        QCOMPARE(row.path, QStringLiteral("/etc/motd"));
        QCOMPARE(row.kind, QStringLiteral("copied-up"));
        QCOMPARE(row.upperPath, QStringLiteral("/upper/etc/motd"));
        QCOMPARE(row.lowerLayer, QStringLiteral("/l/base"));
        QCOMPARE(s.copyUp()->layers(), (QStringList{"/l/base", "/l/tools", "/upper"}));

        client.replayNext(); // step 2: a failed check and a failed call
        QCOMPARE(s.navigator()->step(1).status, StepStatus::Failed);
        const Session::StepResult second = s.resultOf(1);
        QCOMPARE(second.checks.size(), 1);
        QCOMPARE(second.checks[0].value("passed").toBool(), false);
        QCOMPARE(second.checks[0].value("message").toString(), QStringLiteral("/mnt/x is on the lab host"));
        QCOMPARE(second.end.value("errno").toString(), QStringLiteral("EBUSY"));
        QCOMPARE(second.end.value("ok").toBool(), false);
        QCOMPARE(s.trace()->rowCount(), 1);
        QCOMPARE(s.trace()->row(0).name, QStringLiteral("pivot_root"));
        QCOMPARE(s.trace()->row(0).step, 2);
        QCOMPARE(s.trace()->row(0).result(), QStringLiteral("-1 EBUSY"));
        QCOMPARE(s.trace()->row(0).call(), QStringLiteral("pivot_root(\"/c2\", \"/c2/old\")"));

        client.replayNext(); // the terminal, then the rest
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened[0][0].toInt(), 1);
        QCOMPARE(opened[0][1].toString(), QStringLiteral("container"));
        QCOMPARE(opened[0][2].toString(), QStringLiteral("/bin/bash"));
        QCOMPARE(opened[0][3].toInt(), 3);
        QCOMPARE(data.size(), 1);
        QCOMPARE(data[0][1].toByteArray(), QByteArray("\x1b[31mred\x1b[0m\xff\n"));
        QCOMPARE(closed.size(), 1);
        QCOMPARE(closed[0][1].toInt(), -1); // no exit status: a reset
        QCOMPARE(closed[0][2].toString(), QStringLiteral("reset"));
        QCOMPARE(logs.size(), 1);
        QCOMPARE(logs[0][0].toString(), QStringLiteral("warning"));
        QCOMPARE(logs[0][1].toString(), QStringLiteral("the trace lost 3 calls here"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors[0][0].toString(), QStringLiteral("command on line 4: no"));
        QCOMPARE(errors[0][1].toBool(), false);
        QCOMPARE(summaries.size(), 1);
        QCOMPARE(summaries[0][0].toJsonObject().value("failed").toInt(), 1);
    }

    void lessonEvent_fillsTheNavigator()
    {
        Session s;
        stream::LessonInfo l{
            "overlay",
            "Overlay filesystems",
            "Layers.",
            "lessons/30-overlay.yaml",
            {"unshare"},
            {{"mount-overlay", "Mount the overlay", "mount -t overlay", "mount(...)", "*Why*", "lab host",
              Json{{"question", "Which layer?"}, {"choices", {"upper", "lower"}}, {"answer", 0}, {"why", "w"}}}},
            {{"ex1", "Exercise", 3, "Do it.", {"a hint"}}}};
        for (const QByteArray& line : agentLines({stream::lesson(l)}))
            s.handleLine(line);
        const int g = s.navigator()->groupIndex(QStringLiteral("overlay"));
        QVERIFY(g >= 0);
        const NavGroup& group = s.navigator()->group(g);
        QCOMPARE(group.title, QStringLiteral("Overlay filesystems"));
        QCOMPARE(group.prerequisites, QStringList{"unshare"});
        QCOMPARE(group.exercises.size(), 1);
        QCOMPARE(group.steps.size(), 1);
        QCOMPARE(group.steps[0].id, QStringLiteral("mount-overlay"));
        QCOMPARE(group.steps[0].where, QStringLiteral("lab host"));
        QCOMPARE(group.steps[0].explain, QStringLiteral("*Why*"));
        QCOMPARE(group.steps[0].predict.value("question").toString(), QStringLiteral("Which layer?"));
    }
};

QTEST_GUILESS_MAIN(TestGuiStream)
#include "tst_gui_stream.moc"
