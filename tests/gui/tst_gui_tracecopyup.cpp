// The trace's and the copy-ups' table models, without a display (each under
// QAbstractItemModelTester), fed the event stream's JSON as the agent writes it.
#include "copyupmodel.h"
#include "modelevents.h"
#include "tracemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QtTest>

using namespace mountlab::gui;
using namespace mountlab::gui::test;

class TestGuiTraceCopyUp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void traceModel_showsCallsInTheirArgumentOrder_withErrnoNames()
    {
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QByteArray ok =
            "{\"kind\":\"syscall\",\"name\":\"mount\",\"args\":{\"source\":\"leak\",\"target\":\"/mnt/leak\",\"filesystemtype\":\"tmpfs\",\"mountflags\":\"0\",\"data\":null},\"ret\":0,\"errno\":null,\"pid\":7,\"tid\":7,\"comm\":\"container\",\"mntns_before\":4026532250,\"mntns_after\":4026532250,\"ts_ns\":1000000,\"latency_ns\":34900,\"step\":2}";
        const QByteArray bad =
            "{\"kind\":\"syscall\",\"name\":\"pivot_root\",\"args\":{\"new_root\":\"/c2\",\"put_old\":\"/c2/old\"},\"ret\":-1,\"errno\":\"EBUSY\",\"pid\":7,\"tid\":7,\"comm\":\"container\",\"mntns_before\":4026532250,\"mntns_after\":4026532250,\"ts_ns\":3000000,\"latency_ns\":1200,\"step\":22}";
        model.setNamespaceName(4026532250, QStringLiteral("container"));
        model.addRow(traceRowFromEvent(QJsonDocument::fromJson(ok).object(), ok));
        model.addRow(traceRowFromEvent(QJsonDocument::fromJson(bad).object(), bad));
        QCOMPARE(model.index(0, TraceModel::CallColumn).data().toString(),
                 QStringLiteral("mount(\"leak\", \"/mnt/leak\", \"tmpfs\", 0, NULL)"));
        QCOMPARE(model.index(1, TraceModel::ResultColumn).data().toString(), QStringLiteral("-1 EBUSY"));
        // Times count from the step's start (its first call), not from the session's.
        QCOMPARE(model.index(0, TraceModel::TimeColumn).data().toString(), QStringLiteral("+0.00 ms"));
        QCOMPARE(model.index(1, TraceModel::TimeColumn).data().toString(), QStringLiteral("+0.00 ms"));
        QByteArray later = bad;
        later.replace("\"ts_ns\":3000000", "\"ts_ns\":3500000");
        model.addRow(traceRowFromEvent(QJsonDocument::fromJson(later).object(), later));
        QCOMPARE(model.index(2, TraceModel::TimeColumn).data().toString(), QStringLiteral("+0.50 ms"));
        QVERIFY(model.index(2, TraceModel::TimeColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("2.500 ms into the session")));
        QCOMPARE(model.index(0, TraceModel::LatencyColumn).data().toString(), QStringLiteral("34.9 µs"));
        QVERIFY(model.index(0, TraceModel::MntNsColumn).data().toString().contains(QLatin1String("container")));
        QCOMPARE(model.index(0, 0).data(TraceModel::TargetPathRole).toString(), QStringLiteral("/mnt/leak"));
        QCOMPARE(model.index(1, 0).data(TraceModel::TargetPathRole).toString(), QStringLiteral("/c2"));
        QVERIFY(model.index(1, 0).data(TraceModel::IsErrorRole).toBool());
    }

    void copyUpModel_putsLayersInColumns_bottomFirst_upperLast()
    {
        CopyUpModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":8,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\",\"/l/tools\",\"/l/base\"], "
            "            \"changes\":[{\"path\":\"/etc\",\"kind\":\"copied-up-dir\",\"upper_path\":\"/c1/upper/etc\"},{\"path\":\"/etc/motd\",\"kind\":\"copied-up\",\"upper_path\":\"/c1/upper/etc/motd\"}], "
            "            \"lower\":{\"layer\":\"/l/tools\",\"path\":\"/l/tools/etc/motd\",\"unchanged\":true}}"));
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":9,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\",\"/l/tools\",\"/l/base\"], "
            "            \"changes\":[{\"path\":\"/var/log/base.log\",\"kind\":\"whiteout\",\"upper_path\":\"/c1/upper/var/log/base.log\"}], "
            "            \"lower\":{\"layer\":\"/l/base\",\"path\":\"/l/base/var/log/base.log\",\"unchanged\":true}}"));
        QCOMPARE(model.layers(), (QStringList{"/l/base", "/l/tools", "/l/app", "/c1/upper"}));
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("/etc/motd"));
        QCOMPARE(model.index(1, 4).data(CopyUpModel::KindRole).toString(), QStringLiteral("copied-up"));
        QCOMPARE(model.index(1, 2).data().toString(), QStringLiteral("original, untouched")); // tools
        QVERIFY(model.index(1, 1).data().toString().isEmpty());                               // base
        QVERIFY(model.index(2, 4).data().toString().contains(QLatin1String("whiteout")));
        QVERIFY(model.index(2, 0).data(CopyUpModel::IsLatestRole).toBool());
        QVERIFY(!model.index(1, 0).data(CopyUpModel::IsLatestRole).toBool());
    }

    void copyUpModel_showsEachPathsCurrentState_andTheHistoryOnDemand()
    {
        CopyUpModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // /app/config deleted (a whiteout), then made again as a directory (opaque).
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":8,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\"], "
            "\"changes\":[{\"path\":\"/app/config\",\"kind\":\"whiteout\",\"upper_path\":\"/c1/upper/app/config\"},"
            "{\"path\":\"/etc/motd\",\"kind\":\"copied-up\",\"upper_path\":\"/c1/upper/etc/motd\"}],\"lower\":null}"));
        model.addEvent(json(
            "{\"kind\":\"copyup\",\"step\":9,\"upperdir\":\"/c1/upper\",\"lowerdirs\":[\"/l/app\"], "
            "\"changes\":[{\"path\":\"/app/config\",\"kind\":\"opaque-dir\",\"upper_path\":\"/c1/upper/app/config\"}],"
            "\"lower\":null}"));
        QVERIFY(!model.showsHistory());
        QCOMPARE(model.describe(), (QStringList{"8 /etc/motd copied-up", "9 /app/config opaque-dir"}));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("/app/config"));
        QVERIFY(model.index(1, 2).data().toString().contains(QLatin1String("opaque")));
        model.setShowHistory(true);
        QCOMPARE(model.describe(),
                 (QStringList{"8 /app/config whiteout", "8 /etc/motd copied-up", "9 /app/config opaque-dir"}));
        model.setShowHistory(false);
        QCOMPARE(model.rowCount(), 2);
    }

    void traceModel_anEmptyTableSaysWhy()
    {
        TraceModel::EmptyState off{false, QStringLiteral("no BPF and not root"), true, {}, false};
        QVERIFY(TraceModel::emptyText(off).contains(QLatin1String("tracing is off (no BPF and not root)")));
        TraceModel::EmptyState quiet{true, {}, true, {}, true};
        QVERIFY(TraceModel::emptyText(quiet).contains(QLatin1String("This step made no mount-family call")));
        TraceModel::EmptyState filtered{true, {}, true, QStringLiteral("pivot"), true};
        QVERIFY(TraceModel::emptyText(filtered).contains(QLatin1String("No traced call matches \"pivot\"")));
    }
};

QTEST_GUILESS_MAIN(TestGuiTraceCopyUp)
#include "tst_gui_tracecopyup.moc"
