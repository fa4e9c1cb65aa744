// The Session, without a display: the views it builds from the event stream, where it
// places steps and the lab, the lab's calls kept from a machine-wide trace, a
// recording cut into frames, and the caps on what a recording may bring.
#include "engineclient.h"
#include "modelevents.h"
#include "navigatormodel.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace mountlab::gui;
using namespace mountlab::gui::test;

class TestGuiSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void session_buildsTheViewsFromTheStream_andMarksTheNavigator()
    {
        Session s;
        QAbstractItemModelTester t1(s.hostModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(s.containerModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(s.navigator(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        s.handleLine("{\"kind\":\"session\",\"v\":1,\"rootless\":false,\"host_mntns\":4026532177,\"trace\":\"bpf\"}");
        s.handleLine(QByteArray(kWalkthrough).replace('\n', ' '));
        const QList<QByteArray> base = {mountJson(64, 42, "/", "tmpfs", 1)};
        s.handleLine(tableLine(0, "host", base));
        s.handleLine(tableLine(0, "container", base));
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":1,\"stage\":\"propagation\",\"id\":\"leak\",\"title\":\"t\",\"where\":\"container\"}");
        QCOMPARE(StepStatus(s.navigator()->indexOfStep(1).data(NavigatorModel::StatusRole).toInt()),
                 StepStatus::Running);
        const QList<QByteArray> after = {mountJson(64, 42, "/", "tmpfs", 1),
                                         mountJson(62, 64, "/mnt/leak", "tmpfs", 11)};
        s.handleLine(tableLine(1, "host", after));
        s.handleLine("{\"kind\":\"diff\",\"step\":1,\"view\":\"host\",\"added\":[" +
                     mountJson(62, 64, "/mnt/leak", "tmpfs", 11) + "],\"removed\":[],\"changed\":[]}");
        s.handleLine("{\"kind\":\"step\",\"phase\":\"end\",\"step\":1,\"ok\":true,\"passed\":true,\"data\":{}}");
        QCOMPARE(StepStatus(s.navigator()->indexOfStep(1).data(NavigatorModel::StatusRole).toInt()),
                 StepStatus::Passed);
        QCOMPARE(s.navigator()->current(), 2);
        const int leak = s.host().indexOfTarget(QStringLiteral("/mnt/leak"));
        QVERIFY(leak >= 0);
        QCOMPARE(s.host().nodes()[leak].change, Change::Added);
        QCOMPARE(s.recorded().size(), 8);
        // A console command's output.
        QSignalSpy console(&s, &Session::consoleOutput);
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":2,\"stage\":\"console\",\"id\":\"exec\",\"where\":\"container\"}");
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"end\",\"step\":2,\"ok\":true,\"passed\":true,\"data\":{\"stdout\":\"hi\\n\",\"stderr\":\"\",\"exit_code\":0}}");
        QCOMPARE(console.size(), 1);
        QCOMPARE(console.front().front().toString(), QStringLiteral("hi\n"));
        // A fresh lab starts the walkthrough over.
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":3,\"stage\":\"lab\",\"id\":\"reset-lab\",\"where\":\"lab\"}");
        QCOMPARE(s.navigator()->current(), 0);
    }

    void session_placesStepsByLessonAndIndex_andMovesTheLabBetweenLessons()
    {
        Session s;
        QAbstractItemModelTester t(s.navigator(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy catalog(&s, &Session::catalogChanged);
        QSignalSpy loaded(&s, &Session::walkthroughLoaded);
        s.handleLine(QByteArray(kLessonPropagation));
        s.handleLine(QByteArray(kLessonOverlay));
        s.handleLine(QByteArray(kWalkthrough));
        QCOMPARE(catalog.size(), 3);
        QCOMPARE(loaded.size(), 1);
        NavigatorModel* nav = s.navigator();
        auto begin = [&](int step, const char* stage, const char* id, const char* lesson, int index) {
            QByteArray line = "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":" + QByteArray::number(step) +
                              ",\"stage\":\"" + stage + "\",\"id\":\"" + id + "\",\"where\":\"" +
                              (qstrcmp(stage, "lab") == 0 ? "lab" : "container") + "\"";
            if (lesson)
                line += ",\"lesson\":\"" + QByteArray(lesson) + "\",\"index\":" + QByteArray::number(index);
            s.handleLine(line + "}");
        };
        auto end = [&](int step, bool passed) {
            s.handleLine("{\"kind\":\"step\",\"phase\":\"end\",\"step\":" + QByteArray::number(step) +
                         ",\"ok\":true,\"passed\":" + (passed ? "true" : "false") + ",\"data\":{}}");
        };
        // The walkthrough's "leak" (stage propagation) is not the lesson propagation's "leak".
        begin(1, "unshare", "unshare-mount", "walkthrough", 0);
        end(1, true);
        begin(2, "propagation", "leak", "walkthrough", 1);
        QCOMPARE(s.lastFlat(), 1);
        end(2, true);
        QCOMPARE(nav->active(), 0);
        QCOMPARE(nav->current(), 2);
        // The lab moves to the lesson: a reset first (it resets the walkthrough), then its steps.
        begin(3, "lab", "reset-lab", nullptr, 0);
        end(3, true);
        QCOMPARE(nav->current(), 0);
        QCOMPARE(nav->step(1).status, StepStatus::NotRun);
        begin(4, "propagation", "leak", "propagation", 0);
        QCOMPARE(s.lastFlat(), 3);
        QCOMPARE(nav->active(), 1);
        QCOMPARE(nav->step(3).status, StepStatus::Running);
        QCOMPARE(nav->step(1).status, StepStatus::NotRun);
        end(4, false);
        QCOMPARE(nav->step(3).status, StepStatus::Failed);
        QCOMPARE(nav->current(), 4);
        // A reset now starts the lesson over, not the walkthrough.
        begin(5, "lab", "reset-lab", nullptr, 0);
        end(5, true);
        QCOMPARE(nav->active(), 1);
        QCOMPARE(nav->current(), 3);
        QCOMPARE(nav->step(3).status, StepStatus::NotRun);
        // A recording made before steps said their lesson: matched by stage and id.
        begin(6, "overlay", "mount", nullptr, 0);
        QCOMPARE(s.lastFlat(), 5);
        QCOMPARE(nav->active(), 2);
        end(6, true);
        QCOMPARE(nav->current(), 6);
        // A fresh lab for another lesson: that lesson starts; the one left keeps its marks.
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":8,\"stage\":\"lab\",\"id\":\"reset-lab\",\"where\":\"lab\","
            "\"op\":{\"op\":\"reset_lab\",\"lesson\":\"walkthrough\"}}");
        end(8, true);
        QCOMPARE(nav->active(), 0);
        QCOMPARE(nav->current(), 0);
        QCOMPARE(nav->step(5).status, StepStatus::Passed);
        // A console command is not a navigator step.
        begin(9, "console", "exec", nullptr, 0);
        QCOMPARE(s.lastFlat(), -1);
        end(9, true);
        QCOMPARE(nav->current(), 0);
    }

    void session_keepsOnlyTheLabsCalls_fromAMachineWideTrace()
    {
        Session s;
        s.handleLine("{\"kind\":\"session\",\"v\":1,\"host_mntns\":100,\"trace\":\"none\"}");
        s.handleTraceLine(
            "{\"kind\":\"syscall\",\"name\":\"mount\",\"args\":{\"target\":\"/elsewhere\"},\"ret\":0,\"errno\":null,\"pid\":1,\"comm\":\"other\",\"mntns_before\":5,\"mntns_after\":5,\"ts_ns\":1,\"latency_ns\":1}");
        s.handleTraceLine(
            "{\"kind\":\"syscall\",\"name\":\"unshare\",\"args\":{\"flags\":\"CLONE_NEWNS\"},\"ret\":0,\"errno\":null,\"pid\":2,\"comm\":\"container\",\"mntns_before\":100,\"mntns_after\":200,\"ts_ns\":2,\"latency_ns\":1}");
        s.handleTraceLine(
            "{\"kind\":\"syscall\",\"name\":\"mount\",\"args\":{\"target\":\"/mnt/x\"},\"ret\":0,\"errno\":null,\"pid\":2,\"comm\":\"container\",\"mntns_before\":200,\"mntns_after\":200,\"ts_ns\":3,\"latency_ns\":1}");
        QCOMPARE(s.trace()->rowCount(), 2);
        QCOMPARE(s.trace()->row(1).targetPath(), QStringLiteral("/mnt/x"));
        // Both views start in the lab host's namespace: it keeps its name.
        s.handleLine(tableLine(0, "container", {mountJson(1, 0, "/", "tmpfs", 1)}).replace("4026532177", "100"));
        QCOMPARE(s.trace()->namespaceName(100), QStringLiteral("lab host"));
    }

    void recording_isCutIntoOneFramePerStep()
    {
        const QVector<QByteArray> lines = {"{\"kind\":\"session\",\"v\":1}",
                                           "{\"kind\":\"walkthrough\"}",
                                           "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":1}",
                                           "{\"kind\":\"step\",\"phase\":\"end\",\"step\":1}",
                                           "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":2}",
                                           "{\"kind\":\"summary\"}"};
        const Recording r = Recording::fromLines(lines);
        QCOMPARE(r.frameCount(), 3);
        QCOMPARE(r.frameStarts, (QVector<int>{0, 2, 4}));
        QTemporaryFile bad;
        QVERIFY(bad.open());
        bad.write("{\"kind\":\"table\"}\n");
        bad.close();
        Recording out;
        QString error;
        QVERIFY(!Recording::load(bad.fileName(), &out, &error));
        QVERIFY(error.contains(QLatin1String("not a MountLab recording")));
    }

    void session_takesAtMostkMaxLessonsFromARecording_andSaysSo()
    {
        Session s;
        QSignalSpy log(&s, &Session::logMessage);
        s.handleLine("{\"kind\":\"session\",\"v\":1}");
        const int n = 20000;
        for (int i = 0; i < n; ++i)
            s.handleLine(
                QStringLiteral(
                    "{\"kind\":\"lesson\",\"id\":\"l%1\",\"title\":\"L\",\"steps\":[{\"id\":\"a\",\"title\":\"A\"}]}")
                    .arg(i)
                    .toUtf8());
        QCOMPARE(s.navigator()->groupCount(), Session::kMaxLessons);
        QCOMPARE(s.navigator()->group(Session::kMaxLessons - 1).id,
                 QStringLiteral("l%1").arg(Session::kMaxLessons - 1));
        QCOMPARE(log.size(), 1); // once, not per dropped lesson
        QCOMPARE(log.at(0).at(0).toString(), QStringLiteral("warning"));
        QVERIFY2(
            log.at(0).at(1).toString().contains(QStringLiteral("only the first %1 lessons").arg(Session::kMaxLessons)),
            qPrintable(log.at(0).at(1).toString()));
        // The rest of the recording still plays: a step of a kept lesson runs.
        s.handleLine(
            "{\"kind\":\"step\",\"phase\":\"begin\",\"step\":1,\"stage\":\"l7\",\"id\":\"a\",\"lesson\":\"l7\",\"index\":0,\"where\":\"container\"}");
        QCOMPARE(s.lastFlat(), 7);
        // An event past the size cap is skipped, with its own warning; a new session starts afresh.
        s.handleLine("{\"kind\":\"log\",\"level\":\"info\",\"message\":\"" + QByteArray(Session::kMaxLineBytes, 'x') +
                     "\"}");
        QCOMPARE(log.size(), 2);
        QVERIFY(log.at(1).at(1).toString().contains(QLatin1String("skipped")));
        s.clear();
        s.handleLine("{\"kind\":\"lesson\",\"id\":\"again\",\"title\":\"L\",\"steps\":[]}");
        QCOMPARE(s.navigator()->groupCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestGuiSession)
#include "tst_gui_session.moc"
