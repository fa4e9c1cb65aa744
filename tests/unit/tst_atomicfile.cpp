// write_file_atomically: a reader sees the old file or the whole new one, never a part;
// a full filesystem is an error, not a truncated report.
#include "base/atomicfile.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sys/mount.h>
#include <sys/stat.h>

using namespace mountlab;

namespace {
QByteArray read(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}
} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private slots:
    void write_replacesTheWholeFileAndLeavesNoTemporary()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("report.xml");
        QVERIFY(write_file_atomically(path.toStdString(), "first\n"));
        QCOMPARE(read(path), QByteArray("first\n"));
        QVERIFY(write_file_atomically(path.toStdString(), "second, longer\n"));
        QCOMPARE(read(path), QByteArray("second, longer\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"report.xml"});
        struct stat st {};
        QCOMPARE(stat(path.toUtf8().constData(), &st), 0);
        const mode_t mask = umask(0);
        umask(mask);
        QCOMPARE(st.st_mode & 0777, 0666 & ~mask); // as a plain fopen would make it
    }

    void missingDirectory_saysWhere()
    {
        Status s = write_file_atomically("/nonexistent-dir/report.json", "x");
        QVERIFY(!s);
        QCOMPARE(s.error().errnum, ENOENT);
        QVERIFY2(QString::fromStdString(s.error().message).contains("/nonexistent-dir"), s.error().message.c_str());
    }

    void targetIsADirectory_failsAndCleansUp()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("out"));
        Status s = write_file_atomically(dir.filePath("out").toStdString(), "x");
        QVERIFY(!s);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{"out"});
    }

    // M7: a 64 KiB tmpfs (mounted in a private namespace of a child), 100 KiB to
    // write over an existing report: the write fails with ENOSPC, the old report is
    // still whole, and no temporary file is left.
    void fullFilesystem_keepsTheOldFileWhole()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray before = test::host_mountinfo();
        QTemporaryDir dir;
        const std::string mnt = dir.filePath("small").toStdString();
        QVERIFY(QDir(dir.path()).mkdir("small"));
        QString why;
        const int rc = test::in_private_mount_namespace(
            [&]() -> int {
                if (mount("small", mnt.c_str(), "tmpfs", 0, "size=64k") != 0)
                    return 10;
                const std::string path = mnt + "/report.xml";
                if (!write_file_atomically(path, "<old/>\n"))
                    return 11;
                Status s = write_file_atomically(path, std::string(100 * 1024, 'x'));
                if (s || s.error().errnum != ENOSPC)
                    return 12;
                QFile f(QString::fromStdString(path));
                if (!f.open(QIODevice::ReadOnly) || f.readAll() != "<old/>\n")
                    return 13;
                if (QDir(QString::fromStdString(mnt)).entryList(QDir::Files | QDir::Hidden) !=
                    QStringList{"report.xml"})
                    return 14;
                return 0;
            },
            &why);
        QVERIFY2(rc == 0, qPrintable(QString("step %1 %2").arg(rc).arg(why)));
        QCOMPARE(test::host_mountinfo(), before);
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
