// When the GUI is not root it asks pkexec for the engine; when pkexec cannot give root,
// a dialog says why in words a learner can act on and offers the rootless lab, which
// then really runs. Driven through the real pkexec (installed by `make setup`): on a
// machine where polkit answers, the engine simply starts through it.
#include "engineclient.h"
#include "mainwindow.h"
#include "testutil.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>

using namespace mountlab::gui;

class TestGuiPrivilege : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pkexecFailures_sayTheCauseAndTheExitStatus()
    {
        const QString noPolkit = EngineClient::pkexecFailure(
            127, QStringLiteral("Error getting authority: Error initializing authority: Could not connect: No such file or directory\n"));
        QVERIFY2(noPolkit.contains(QLatin1String("no D-Bus system bus or polkit daemon")), qPrintable(noPolkit));
        QVERIFY(noPolkit.contains(QLatin1String("pkexec exit 127: Error getting authority")));
        QVERIFY(EngineClient::pkexecFailure(126, {}).contains(QLatin1String("dismissed")));
        QVERIFY(EngineClient::pkexecFailure(127, QStringLiteral("Error executing command as another user: Not authorized"))
                    .contains(QLatin1String("may not run programs as root")));
        QVERIFY(EngineClient::pkexecFailure(127, QStringLiteral("Error executing command as another user: No authentication agent found."))
                    .contains(QLatin1String("no polkit authentication agent")));
        const QString other = EngineClient::pkexecFailure(127, QStringLiteral("something new"));
        QVERIFY(other.contains(QLatin1String("(pkexec exit 127: something new)")));
    }

    void withoutRoot_theDialogSaysWhy_andTheRootlessLabRuns()
    {
        MOUNTLAB_REQUIRE_ROOT(); // the rootless lab is tried from here as it would be by a user
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("pkexec")).isEmpty(), "pkexec is not installed (make setup installs it)");
        qunsetenv("MOUNTLAB_NO_DIALOGS");
        qputenv("MOUNTLAB_NO_TRACE", "1");
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // Answer the dialog like a user: read it, then Yes.
        QString dialogTitle, dialogText;
        QTimer poll;
        poll.setInterval(50);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            dialogTitle = box->windowTitle();
            dialogText = box->text();
            box->button(QMessageBox::Yes) ? box->button(QMessageBox::Yes)->click() : box->accept();
        });
        poll.start();
        QVERIFY(w.startLive(EngineClient::Privilege::Pkexec));
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->navigator()->stepCount() > 0 && w.session()->host().size() > 0, 30000);
        poll.stop();
        if (dialogTitle.isEmpty()) {
            // polkit answered here: the engine runs as root through pkexec.
            QCOMPARE(w.engine()->privilege(), EngineClient::Privilege::Pkexec);
            QVERIFY2(w.bannerText().contains(QLatin1String("root via pkexec")), qPrintable(w.bannerText()));
        } else {
            QCOMPARE(dialogTitle, QStringLiteral("No root for the engine"));
            QVERIFY2(dialogText.contains(QLatin1String("pkexec exit")), qPrintable(dialogText));
            QVERIFY2(dialogText.contains(QLatin1String("rootless")), qPrintable(dialogText));
            QCOMPARE(w.engine()->privilege(), EngineClient::Privilege::Rootless);
            QVERIFY(w.session()->rootless());
            QVERIFY2(w.bannerText().contains(QLatin1String("rootless")), qPrintable(w.bannerText()));
        }
        // Either way the lab works: the first step runs and passes.
        w.runNextStep();
        QTRY_VERIFY_WITH_TIMEOUT(w.idle() && w.session()->navigator()->current() == 1, 30000);
        QCOMPARE(w.session()->navigator()->step(0).status, StepStatus::Passed);
        QVERIFY(w.session()->container().mntns != w.session()->host().mntns);
    }
};

QTEST_MAIN(TestGuiPrivilege)
#include "tst_gui_privilege.moc"
