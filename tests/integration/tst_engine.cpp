// core/engine without a subprocess: the agent's commands handled on a real lab, each
// answered by the events the GUI relies on; its line reader against a pipe. The CLI's
// `agent` is this library serving stdin (tst_agent_input drives that process). The
// session's start (the trace, the session line) that `run`, `agent` and `shell` share.
#include "engine/agent.h"
#include "engine/labsession.h"
#include "stream/command.h"
#include "testutil.h"
#include "trace/tracer.h"

#include <sys/wait.h>
#include <unistd.h>

using namespace mountlab;

class TestEngine : public QObject {
    Q_OBJECT

    std::vector<Json> events_;
    std::unique_ptr<lab::Lab> lab_;
    QByteArray host_before_;

    [[nodiscard]] std::vector<Json> of(const std::string& kind) const
    {
        std::vector<Json> out;
        for (const Json& e : events_)
            if (e.value("kind", "") == kind)
                out.push_back(e);
        return out;
    }

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        host_before_ = test::host_mountinfo();
        auto lab = lab::Lab::start();
        QVERIFY2(lab, lab ? "" : lab.error().message.c_str());
        lab_ = std::move(*lab);
    }

    void cleanupTestCase()
    {
        lab_.reset();
        if (!host_before_.isEmpty())
            QCOMPARE(test::host_mountinfo(), host_before_);
    }

    // list, step, lessons, lesson-step, a bad command, quit: each answered as the GUI
    // expects, on the lab's real tables.
    void commands_areAnsweredByTheirEvents()
    {
        MOUNTLAB_REQUIRE_ROOT();
        events_.clear();
        engine::Agent agent(*lab_, [this](const Json& e) { events_.push_back(e); });
        QVERIFY(agent.begin());
        QVERIFY(agent.steps().size() >= 20); // the walkthrough, from lessons/00-walkthrough.yaml

        QVERIFY(agent.handle(R"({"cmd":"list"})", 1));
        const auto list = of("walkthrough");
        QCOMPARE(list.size(), size_t(1));
        QCOMPARE(list[0]["stages"].size(), size_t(7));
        QCOMPARE(list[0]["steps"].size(), agent.steps().size());

        QVERIFY(agent.handle(R"({"cmd":"step","index":0})", 2));
        QVERIFY(agent.handle(R"({"cmd":"step","index":1})", 3));
        std::vector<Json> ends;
        for (const Json& e : of("step"))
            if (e.value("phase", "") == "end")
                ends.push_back(e);
        QCOMPARE(ends.size(), size_t(2));
        QVERIFY(ends[0].value("passed", false));
        QVERIFY(ends[1].value("passed", false)); // the leak: on both sides
        bool leaked = false;
        for (const Json& t : of("table"))
            if (t.value("view", "") == "host" && t.value("step", 0) == 2)
                for (const Json& m : t["mounts"])
                    leaked |= m.value("target", "") == "/mnt/leak";
        QVERIFY2(leaked, "the lab host's table after the leak step has /mnt/leak");

        QVERIFY(agent.handle(R"({"cmd":"lessons"})", 4));
        const auto lessons = of("lesson");
        QVERIFY(lessons.size() >= 7);
        for (const Json& l : lessons)
            QVERIFY(l.value("id", "") != "walkthrough");

        QVERIFY(agent.handle(R"({"cmd":"step","index":999})", 5));
        QVERIFY(agent.handle(R"({"cmd":"lesson-step","lesson":"nope","index":0})", 6));
        QVERIFY(agent.handle("not json", 7));
        const auto errors = of("error");
        QCOMPARE(errors.size(), size_t(3));
        QVERIFY2(errors[0].value("message", "").find("command on line 5: no walkthrough step 999") == 0,
                 errors[0].dump().c_str());
        QVERIFY2(errors[1].value("message", "").find("no lesson `nope`") != std::string::npos,
                 errors[1].dump().c_str());
        QCOMPARE(errors[2].value("line", 0), 7);

        QVERIFY(agent.handle("   ", 8)); // a blank line is nothing
        QCOMPARE(of("error").size(), size_t(3));
        QVERIFY(!agent.handle(R"({"cmd":"quit"})", 9));
    }

    // serve(): commands from a descriptor until its end; the lab's state is the
    // commands' (a reset-lab, then the walkthrough's first step).
    void serve_readsCommandsUntilTheEnd()
    {
        MOUNTLAB_REQUIRE_ROOT();
        events_.clear();
        engine::Agent agent(*lab_, [this](const Json& e) { events_.push_back(e); });
        QVERIFY(agent.begin());
        int p[2];
        QCOMPARE(pipe(p), 0);
        const std::string input = "{\"cmd\":\"reset-lab\"}\n{\"cmd\":\"step\",\"index\":0}\n";
        QCOMPARE(write(p[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
        close(p[1]); // the end: serve returns
        QVERIFY(agent.serve(p[0]));
        close(p[0]);
        QCOMPARE(agent.runner().steps(), 2);
        QCOMPARE(agent.runner().failed(), 0);
    }

    // The line reader: lines as they come, a partial one kept for later, the last one at
    // the end, and a line over the command limit kept only to one byte over it.
    // Tracing off: the session line says so and why; on (root, eBPF), the probes run in
    // this process and the lab is followed from its first call.
    void sessionStart_saysHowItIsTraced()
    {
        MOUNTLAB_REQUIRE_ROOT();
        engine::Tracing off = engine::start_tracing("none");
        QCOMPARE(off.mode, std::string("none"));
        QVERIFY(!off.feed);
        lab::LabOptions opts;
        engine::follow_lab(off, opts);
        QVERIFY(!opts.on_spawn);
        const Json facts = engine::session_facts(*lab_, off, 1234);
        QCOMPARE(facts.value("trace", ""), std::string("none"));
        QCOMPARE(facts.value("trace_unavailable", ""), std::string("tracing turned off (--tracer none)"));
        QCOMPARE(facts.value("setup_us", 0LL), 1234LL);
        QCOMPARE(facts.value("lab_host_pid", 0), static_cast<int>(lab_->lab_host_pid()));
        QVERIFY(!facts.value("version", "").empty());
        QVERIFY(!facts.contains("ready") && !facts.contains("trace_via"));

        if (const std::string why = trace::bpf_unavailable_reason(); !why.empty()) {
            if (qEnvironmentVariableIntValue("MOUNTLAB_REQUIRE_PRIVILEGED"))
                QFAIL(qPrintable(QString::fromStdString("MOUNTLAB_REQUIRE_PRIVILEGED is set but eBPF is not: " + why)));
            QSKIP(qPrintable(QString::fromStdString("eBPF: " + why)));
        }
        engine::Tracing on = engine::start_tracing("engine");
        QVERIFY2(on.mode == "bpf", on.reason.c_str());
        QVERIFY(on.feed);
        engine::follow_lab(on, opts);
        QVERIFY(static_cast<bool>(opts.on_spawn));
        const Json traced = engine::session_facts(*lab_, on, 0);
        QCOMPARE(traced.value("trace", ""), std::string("bpf"));
        QCOMPARE(traced.value("trace_via", ""), std::string("engine"));
        QVERIFY(!traced.contains("trace_unavailable"));
    }

    void lineReader_splitsAndBoundsLines()
    {
        int p[2];
        QCOMPARE(pipe(p), 0);
        engine::LineReader r(p[0]);
        QCOMPARE(write(p[1], "one\ntw", 6), 6);
        QCOMPARE(r.read_lines(), std::vector<std::string>{"one"});
        QCOMPARE(write(p[1], "o\nthree", 7), 7);
        QCOMPARE(r.read_lines(), std::vector<std::string>{"two"});
        close(p[1]);
        QCOMPARE(r.read_lines(), std::vector<std::string>{"three"});
        QVERIFY(r.eof());
        close(p[0]);

        QCOMPARE(pipe(p), 0);
        engine::LineReader big(p[0]);
        const std::string huge(stream::kMaxCommandBytes + 5000, 'x');
        std::vector<std::string> lines;
        if (fork() == 0) {
            close(p[0]);
            const std::string all = huge + "\nok\n";
            size_t at = 0;
            while (at < all.size()) {
                const ssize_t n = write(p[1], all.data() + at, all.size() - at);
                if (n <= 0)
                    _exit(1);
                at += static_cast<size_t>(n);
            }
            _exit(0);
        }
        close(p[1]);
        while (!big.eof())
            for (std::string& l : big.read_lines())
                lines.push_back(std::move(l));
        close(p[0]);
        QCOMPARE(lines.size(), size_t(2));
        QCOMPARE(lines[0].size(), stream::kMaxCommandBytes + 1);
        QCOMPARE(lines[1], std::string("ok"));
        int status = 0;
        wait(&status);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
