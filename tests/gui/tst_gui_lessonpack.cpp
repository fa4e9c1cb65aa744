// File ▸ Open lessons (issue #16, "for a teacher"): a folder or a .tar.gz pack replaces
// the catalogue with a fresh engine on it; a pack with a member outside it is refused and
// the old catalogue stays. Real engine.
#include "mainwindow.h"
#include "navigatormodel.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace mountlab::gui;

class TestLessonPack : public QObject {
    Q_OBJECT

    static QString source(const QString& f) { return QStringLiteral(MOUNTLAB_SOURCE_DIR "/lessons/") + f; }

    static bool makeFolder(const QString& dir)
    {
        return QFile::copy(source(QStringLiteral("01-mount-namespaces.yaml")), dir + QStringLiteral("/a.yaml")) &&
               QFile::copy(source(QStringLiteral("03-bind-mounts.yaml")), dir + QStringLiteral("/b.yaml"));
    }

    static bool hasLesson(MainWindow& w, const char* id)
    {
        return w.session()->navigator()->groupIndex(QLatin1String(id)) >= 0;
    }

    static bool onlyTheTwo(MainWindow& w)
    {
        return hasLesson(w, "mount-namespaces") && hasLesson(w, "bind-mounts") && !hasLesson(w, "propagation") &&
               !hasLesson(w, "overlay");
    }

private Q_SLOTS:
    void initTestCase() { qputenv("MOUNTLAB_NO_DIALOGS", "1"); }

    void openFolder_listsExactlyItsLessons()
    {
        QTemporaryDir dir;
        QVERIFY(makeFolder(dir.path()));
        MainWindow w;
        w.show();
        QVERIFY(w.openLessons(dir.path()));
        QTRY_VERIFY_WITH_TIMEOUT(onlyTheTwo(w), 30000);
        QVERIFY(w.windowTitle().contains(QFileInfo(dir.path()).fileName()));
        QVERIFY(w.openBuiltinLessons());
        QTRY_VERIFY_WITH_TIMEOUT(hasLesson(w, "propagation"), 30000);
    }

    void openTarGz_listsItsLessons()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("pack")));
        QVERIFY(makeFolder(dir.filePath(QStringLiteral("pack"))));
        const QString archive = dir.filePath(QStringLiteral("pack.tar.gz"));
        QCOMPARE(QProcess::execute(QStringLiteral("/bin/tar"), {QStringLiteral("-czf"), archive, QStringLiteral("-C"),
                                                                dir.path(), QStringLiteral("pack")}),
                 0);
        MainWindow w;
        w.show();
        QVERIFY(w.openLessons(archive));
        QTRY_VERIFY_WITH_TIMEOUT(onlyTheTwo(w), 30000);
    }

    // A lesson the engine cannot read is named as the pack names it (the archive and the
    // member, with line and column), never by the staged copy's temporary path; the
    // pack's other lessons open.
    void brokenLessonInAPack_isNamedByItsMember_theOthersOpen()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("pack")));
        QVERIFY(makeFolder(dir.filePath(QStringLiteral("pack"))));
        QFile broken(dir.filePath(QStringLiteral("pack/c.yaml")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("id: broken\ntitle: Broken\nsteps:\n  - id: x\n    title: [unclosed\n");
        broken.close();
        const QString archive = dir.filePath(QStringLiteral("pack.tgz"));
        QCOMPARE(QProcess::execute(QStringLiteral("/bin/tar"), {QStringLiteral("-czf"), archive, QStringLiteral("-C"),
                                                                dir.path(), QStringLiteral("pack")}),
                 0);
        MainWindow w;
        w.show();
        QVERIFY(w.openLessons(archive));
        QTRY_VERIFY_WITH_TIMEOUT(onlyTheTwo(w) && w.session()->catalogueComplete(), 30000);
        QTRY_VERIFY(!w.lessonWarnings().isEmpty());
        const QString said = w.lessonWarnings().join(QLatin1Char('\n'));
        QVERIFY2(said.contains(archive + QStringLiteral(": pack/c.yaml:6:1:")) && said.contains(QLatin1String("YAML")),
                 qPrintable(said));
        QVERIFY2(!said.contains(QLatin1String("/lessons/")), qPrintable(said));
        QVERIFY2(w.statusBar()->currentMessage().contains(QLatin1String("could not read")) &&
                     w.statusBar()->currentMessage().contains(QLatin1String("pack/c.yaml")),
                 qPrintable(w.statusBar()->currentMessage()));
        QVERIFY(w.windowTitle().contains(QLatin1String("pack.tgz")));
    }

    void packWithDotDot_isRefused_oldCatalogueStays()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("a/b")));
        QVERIFY(makeFolder(dir.filePath(QStringLiteral("a/b"))));
        QVERIFY(
            QFile::copy(source(QStringLiteral("04-propagation.yaml")), dir.filePath(QStringLiteral("a/evil.yaml"))));
        const QString archive = dir.filePath(QStringLiteral("evil.tar.gz"));
        // -P keeps the `../evil.yaml` name as written.
        QCOMPARE(
            QProcess::execute(QStringLiteral("/bin/tar"), {QStringLiteral("-czPf"), archive, QStringLiteral("-C"),
                                                           dir.filePath(QStringLiteral("a/b")),
                                                           QStringLiteral("a.yaml"), QStringLiteral("../evil.yaml")}),
            0);
        QTemporaryDir folder;
        QVERIFY(makeFolder(folder.path()));
        MainWindow w;
        w.show();
        QVERIFY(w.openLessons(folder.path()));
        QTRY_VERIFY_WITH_TIMEOUT(onlyTheTwo(w), 30000);
        QVERIFY(!w.openLessons(archive));
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("../evil.yaml")));
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("outside the pack")));
        QTest::qWait(500);
        QVERIFY(onlyTheTwo(w));
    }
};

QTEST_MAIN(TestLessonPack)
#include "tst_gui_lessonpack.moc"
