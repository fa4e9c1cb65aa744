// The GUI never runs its engine through pkexec: the agent is the user's, its lab a user
// namespace, and only the tracer helper (mountlab-tracer) is root. When pkexec cannot
// give the helper root, the lab still runs and the window says why there is no trace
// in words a learner can act on. Driven through the real pkexec (installed by `make
// setup`): on a machine where polkit answers, the trace simply runs through it.
#include "engineclient.h"
#include "mainwindow.h"
#include "testutil.h"

#include <QAbstractItemModel>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QtTest>

using namespace mountlab::gui;

class TestGuiPrivilege : public QObject {
    Q_OBJECT
private:
    void runFirstStep(MainWindow& w)
    {
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->catalogueComplete() && w.session()->host().size() > 0, 30000);
        w.runNextStep();
        QTRY_VERIFY2_WITH_TIMEOUT(w.idle() && w.session()->navigator()->current() == 1,
                                  qPrintable(QStringLiteral("the first step did not end; the engine said: %1")
                                                 .arg(w.engine()->stderrText().right(2000))),
                                  30000);
        QCOMPARE(w.session()->navigator()->step(0).status, StepStatus::Passed);
        QVERIFY(w.session()->container().mntns != w.session()->host().mntns);
    }

    static QString traceText(MainWindow& w)
    {
        QString text;
        QAbstractItemModel* m = w.traceView();
        for (int r = 0; r < m->rowCount(); ++r)
            for (int c = 0; c < m->columnCount(); ++c)
                text += m->index(r, c).data().toString() + QLatin1Char(' ');
        return text;
    }

private Q_SLOTS:
    void init() { qputenv("MOUNTLAB_NO_DIALOGS", "1"); }

    void theHelperThroughPkexec_orTheReasonItIsMissing()
    {
        MOUNTLAB_REQUIRE_ROOT(); // the agent then tries the helper as a user's would
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("pkexec")).isEmpty(),
                 "pkexec is not installed (make setup installs it)");
        // As root the agent would load the probes itself; make it take the user's path.
        qputenv("MOUNTLAB_AGENT_TRACER", "helper");
        qunsetenv("MOUNTLAB_TRACER_LAUNCHER");
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(w.startLive());
        runFirstStep(w);
        const QJsonObject s = w.session()->sessionInfo();
        if (w.session()->traceSource() == QLatin1String("bpf")) {
            // polkit answered here: the trace runs through the helper.
            QCOMPARE(s.value(QLatin1String("trace_via")).toString(), QStringLiteral("mountlab-tracer"));
            QVERIFY2(w.bannerText().contains(QLatin1String("mountlab-tracer")), qPrintable(w.bannerText()));
        } else {
            QCOMPARE(w.session()->traceSource(), QStringLiteral("mountinfo"));
            const QString why = s.value(QLatin1String("trace_unavailable")).toString();
            // pkexec's own failure, named: no polkit daemon / dismissed / not authorised / no agent.
            QVERIFY2(why.contains(QLatin1String("pkexec")) || why.contains(QLatin1String("polkit")), qPrintable(why));
            QVERIFY2(why.contains(QLatin1String("exit ")), qPrintable(why));
            QVERIFY2(w.bannerText().contains(QLatin1String("table changes only")), qPrintable(w.bannerText()));
        }
        QVERIFY2(w.bannerText().contains(QLatin1String("lab: a user namespace")), qPrintable(w.bannerText()));
        qunsetenv("MOUNTLAB_AGENT_TRACER");
    }

    void theHelperStartedDirectly_tracesTheLab()
    {
        MOUNTLAB_REQUIRE_ROOT(); // the helper loads eBPF probes
        qputenv("MOUNTLAB_AGENT_TRACER", "helper");
        qputenv("MOUNTLAB_TRACER_LAUNCHER", ""); // root already: no pkexec in between
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(w.startLive());
        runFirstStep(w);
        QCOMPARE(w.session()->traceSource(), QStringLiteral("bpf"));
        QCOMPARE(w.session()->sessionInfo().value(QLatin1String("trace_via")).toString(),
                 QStringLiteral("mountlab-tracer"));
        // The first step's call came through the helper: unshare(CLONE_NEWNS).
        QTRY_VERIFY_WITH_TIMEOUT(traceText(w).contains(QLatin1String("unshare(CLONE_NEWNS)")), 5000);
        qunsetenv("MOUNTLAB_AGENT_TRACER");
        qunsetenv("MOUNTLAB_TRACER_LAUNCHER");
    }
};

QTEST_MAIN(TestGuiPrivilege)
#include "tst_gui_privilege.moc"
