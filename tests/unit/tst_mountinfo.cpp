// The mountinfo parser: every fixture, escapes, optional fields, and bad input.
#include "mount/mountinfo.h"
#include "testutil.h"

#include <QTemporaryFile>

#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mountlab;

namespace {
const Mount* by_target(const MountTable& t, std::string_view target)
{
    for (const Mount& m : t.mounts)
        if (m.target == target)
            return &m;
    return nullptr;
}
} // namespace

class TestMountinfo : public QObject {
    Q_OBJECT
private slots:
    void everyFixture_parsesWithoutIssues()
    {
        const QStringList files = test::mountinfo_fixtures();
        QVERIFY(files.size() >= 3);
        for (const QString& f : files) {
            auto t = read_mountinfo_file(f.toStdString());
            QVERIFY2(t.ok(), qPrintable(f));
            QVERIFY2(t->issues.empty(),
                     qPrintable(f + ": " + QString::fromStdString(t->issues.empty() ? "" : t->issues[0].message)));
            QVERIFY(!t->mounts.empty());
            // Every raw line is kept, numbered from 1.
            for (const Mount& m : t->mounts) {
                QVERIFY(!m.raw.empty());
                QVERIFY(m.line >= 1);
                QVERIFY(QString::fromStdString(m.raw).startsWith(QString::number(m.id) + " "));
            }
        }
    }

    void fixture_decodesEveryField()
    {
        auto t = read_mountinfo_file(test::data_path("mountinfo/propagation-escapes-overlay.mountinfo").toStdString());
        QVERIFY(t.ok());
        QCOMPARE(t->mounts.size(), size_t(33));
        const Mount& root = t->mounts.front();
        QCOMPARE(root.id, 44);
        QCOMPARE(root.parent_id, 43);
        QCOMPARE(root.major, 254u);
        QCOMPARE(root.minor, 0u);
        QCOMPARE(root.root, std::string("/"));
        QCOMPARE(root.target, std::string("/"));
        QCOMPARE(root.vfs_options, std::string("rw,relatime"));
        QCOMPARE(root.fstype, std::string("ext4"));
        QCOMPARE(root.source, std::string("/dev/vda"));
        QCOMPARE(root.super_options, std::string("rw,discard,resv_strict,resuid=65534,resgid=65534"));
        QCOMPARE(root.options, std::string("rw,relatime,discard,resv_strict,resuid=65534,resgid=65534"));
        QCOMPARE(root.line, 1);
        QVERIFY(root.is_private());
        QCOMPARE(root.propagation(), std::string("private"));
    }

    void escapedPaths_areDecoded()
    {
        auto t = read_mountinfo_file(test::data_path("mountinfo/propagation-escapes-overlay.mountinfo").toStdString());
        QVERIFY(t.ok());
        const Mount* space = by_target(*t, "/tmp/fx/with space");
        QVERIFY(space);
        QCOMPARE(space->source, std::string("src with space"));
        QVERIFY(space->raw.find("with\\040space") != std::string::npos);
        QVERIFY(by_target(*t, "/tmp/fx/tab\there"));
        QVERIFY(by_target(*t, "/tmp/fx/back\\slash"));

        // \012 (newline) is not in the fixtures: the kernel writes it for "\n" in a path.
        const MountTable nl = parse_mountinfo("80 65 0:48 / /tmp/new\\012line rw,relatime - tmpfs nl rw\n");
        QVERIFY(nl.issues.empty());
        QCOMPARE(nl.mounts.size(), size_t(1));
        QCOMPARE(nl.mounts[0].target, std::string("/tmp/new\nline"));
    }

    void optionalFields_givePeerGroupMasterAndUnbindable()
    {
        auto t = read_mountinfo_file(test::data_path("mountinfo/propagation-escapes-overlay.mountinfo").toStdString());
        QVERIFY(t.ok());
        const Mount* p1 = by_target(*t, "/tmp/fx/peer1");
        const Mount* p2 = by_target(*t, "/tmp/fx/peer2");
        const Mount* slave = by_target(*t, "/tmp/fx/slave");
        const Mount* unb = by_target(*t, "/tmp/fx/unb");
        QVERIFY(p1 && p2 && slave && unb);
        QCOMPARE(p1->shared, 5);
        QCOMPARE(p2->shared, 5);
        QCOMPARE(p1->propagation(), std::string("shared"));
        QCOMPARE(slave->master, 5);
        QCOMPARE(slave->shared, 0);
        QCOMPARE(slave->propagation(), std::string("private,slave"));
        QVERIFY(unb->unbindable);
        QCOMPARE(unb->propagation(), std::string("private,unbindable"));

        const MountTable both = parse_mountinfo("90 1 0:50 / /a rw shared:7 master:3 propagate_from:2 - tmpfs a rw\n");
        QVERIFY(both.issues.empty());
        QCOMPARE(both.mounts[0].shared, 7);
        QCOMPARE(both.mounts[0].master, 3);
        QCOMPARE(both.mounts[0].propagate_from, 2);
        QCOMPARE(both.mounts[0].propagation(), std::string("shared,slave"));
        QCOMPARE(both.mounts[0].optional_fields, std::string("shared:7 master:3 propagate_from:2"));
    }

    void overlay_keepsItsLayersInSuperOptions()
    {
        auto t = read_mountinfo_file(test::data_path("mountinfo/propagation-escapes-overlay.mountinfo").toStdString());
        QVERIFY(t.ok());
        const Mount* ov = by_target(*t, "/tmp/fx/m");
        QVERIFY(ov);
        QCOMPARE(ov->fstype, std::string("overlay"));
        QVERIFY(ov->super_options.find("lowerdir=/tmp/fx/l1:/tmp/fx/l2") != std::string::npos);
        QVERIFY(ov->super_options.find("upperdir=/tmp/fx/u") != std::string::npos);
        QVERIFY(ov->super_options.find("workdir=/tmp/fx/w") != std::string::npos);
    }

    void bindOfSubtree_showsRootAndFindmntSource()
    {
        auto t = read_mountinfo_file(test::data_path("mountinfo/propagation-escapes-overlay.mountinfo").toStdString());
        QVERIFY(t.ok());
        const Mount& m = t->mounts.back().id == 79 ? t->mounts[t->mounts.size() - 2] : t->mounts.back();
        QCOMPARE(m.id, 75);
        QCOMPARE(m.root, std::string("/src/sub"));
        QCOMPARE(m.source_with_root(), std::string("fxroot[/src/sub]"));
    }

    void malformedLines_areNamedAndTheRestKept_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated") << QByteArray("44 43 254:0 / /") << "line"
                                   << "truncated";
        QTest::newRow("no separator") << QByteArray("44 43 254:0 / / rw shared:1 ext4 /dev/vda rw") << "separator"
                                      << "missing the \" - \"";
        QTest::newRow("no super options") << QByteArray("44 43 254:0 / / rw - ext4 /dev/vda") << "super options"
                                          << "truncated";
        QTest::newRow("no fstype") << QByteArray("44 43 254:0 / / rw -") << "filesystem type"
                                   << "truncated";
        QTest::newRow("id not a number") << QByteArray("x4 43 254:0 / / rw - ext4 /dev/vda rw") << "mount ID"
                                         << "not a number";
        QTest::newRow("id too large") << QByteArray("99999999999 43 254:0 / / rw - ext4 /dev/vda rw") << "mount ID"
                                      << "not a number";
        QTest::newRow("bad major:minor") << QByteArray("44 43 254 / / rw - ext4 /dev/vda rw") << "major:minor"
                                         << "MAJOR:MINOR";
        QTest::newRow("relative target") << QByteArray("44 43 254:0 / mnt rw - ext4 /dev/vda rw") << "mount point"
                                         << "absolute";
        QTest::newRow("bad peer group") << QByteArray("44 43 254:0 / / rw shared:x - ext4 /dev/vda rw")
                                        << "optional field"
                                        << "peer group";
        QTest::newRow("extra field") << QByteArray("44 43 254:0 / / rw - ext4 /dev/vda rw extra") << "line"
                                     << "unexpected field";
        QTest::newRow("double space") << QByteArray("44 43  254:0 / / rw - ext4 /dev/vda rw") << "major:minor"
                                      << "empty field";
        // Only the source may be empty (mount -t tmpfs "" /mnt): the kernel always writes a type.
        QTest::newRow("empty fstype") << QByteArray("44 43 254:0 / / rw -  /dev/vda rw") << "filesystem type"
                                      << "empty";
        QTest::newRow("empty mount point") << QByteArray("44 43 254:0 /  rw - ext4 /dev/vda rw") << "mount point"
                                           << "empty";
        // The kernel writes a tab as \011; libmount would split the field at a raw one.
        QTest::newRow("raw tab") << QByteArray("44 43 254:0 / /a\tb rw - ext4 /dev/vda rw") << "line"
                                 << "tab";
        QTest::newRow("nul byte") << QByteArray("44 43 254:0 / /\0x rw - ext4 /dev/vda rw", 39) << "line"
                                  << "NUL";
        // libmount decodes \400..\777 to their low byte: "/\400x" would show as "/".
        QTest::newRow("octal above 377") << QByteArray("44 43 254:0 / /\\400x rw - ext4 /dev/vda rw") << "mount point"
                                         << "above \\377";
        QTest::newRow("octal 777 in source") << QByteArray("44 43 254:0 / /a rw - ext4 /dev/\\777 rw") << "source"
                                             << "above \\377";
        QTest::newRow("octal NUL in root") << QByteArray("44 43 254:0 /\\000 /a rw - ext4 /dev/vda rw") << "root"
                                           << "NUL";
    }
    void malformedLines_areNamedAndTheRestKept()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, field);
        QFETCH(QString, message);
        QByteArray text = "1 0 0:1 / / rw shared:1 - tmpfs root rw\n";
        text += line + "\n";
        text += "2 1 0:2 / /proc rw - proc proc rw\n";
        const MountTable t = parse_mountinfo(std::string_view(text.constData(), size_t(text.size())), "test");
        QCOMPARE(t.issues.size(), size_t(1));
        QCOMPARE(t.issues[0].line, 2);
        QVERIFY(t.issues[0].column >= 1);
        QCOMPARE(QString::fromStdString(t.issues[0].field), field);
        QVERIFY2(QString::fromStdString(t.issues[0].message).contains(message), t.issues[0].message.c_str());
        QVERIFY(QString::fromStdString(t.issues[0].to_string("test")).startsWith("test:2:"));
        // Nothing else is lost, and line numbers stay right.
        QCOMPARE(t.mounts.size(), size_t(2));
        QCOMPARE(t.mounts[0].id, 1);
        QCOMPARE(t.mounts[1].id, 2);
        QCOMPARE(t.mounts[1].line, 3);
        QCOMPARE(t.mounts[1].target, std::string("/proc"));
    }

    // The kernel (fs/proc_namespace.c, mangle()) escapes only space, tab, newline and
    // backslash, and '#' in the source (\043): every other byte stands raw in a mount
    // point, root, source, fstype (a FUSE subtype) or the super options, and a source
    // can be empty. Each of these lines is one the kernel writes (raw-bytes.mountinfo
    // has them from a real namespace); each must parse, its bytes as they were.
    void rawBytesTheKernelWrites_parse_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QByteArray>("expected");
        auto row = [](const char* name, QByteArray line, const char* field, QByteArray expected) {
            QTest::newRow(name) << line << QString(field) << expected;
        };
        row("CR in mount point", "70 1 0:40 / /a\rb rw,relatime - tmpfs t rw", "target", "/a\rb");
        row("ESC in mount point", "70 1 0:40 / /a\x1b[31mb rw - tmpfs t rw", "target", "/a\x1b[31mb");
        row("0x01 in mount point", "70 1 0:40 / /a\x01 rw - tmpfs t rw", "target", "/a\x01");
        row("DEL in mount point", "70 1 0:40 / /a\x7f rw - tmpfs t rw", "target", "/a\x7f");
        row("vertical tab, form feed", "70 1 0:40 / /a\v\fb rw - tmpfs t rw", "target", "/a\v\fb");
        row("# in mount point", "70 1 0:40 / /#a#b rw - tmpfs t rw", "target", "/#a#b");
        row("0xff in mount point", "70 1 0:40 / /ff\xffx rw - tmpfs t rw", "target", "/ff\xffx");
        row("lone 0xc3 in mount point", "70 1 0:40 / /c3\xc3x rw - tmpfs t rw", "target", "/c3\xc3x");
        row("UTF-8 in mount point", "70 1 0:40 / /\xc3\xbc rw - tmpfs t rw", "target", "/\xc3\xbc");
        row("empty source", "70 1 0:40 / /e rw,relatime - tmpfs  rw", "source", "");
        row("empty source, its super options", "70 1 0:40 / /e rw,relatime - tmpfs  rw,size=4k", "super options",
            "rw,size=4k");
        row("# in source, as the kernel writes it", "70 1 0:40 / /h rw - tmpfs t\\043 rw", "source", "t#");
        row("CR in source", "70 1 0:40 / /s rw - tmpfs s\rc rw", "source", "s\rc");
        row("source with spaces", "70 1 0:40 / /s rw - tmpfs s\\040p\\040q rw", "source", "s p q");
        row("CR in root", "70 1 0:40 /sub\rd /eb rw - tmpfs  rw", "root", "/sub\rd");
        row("CR in a FUSE subtype", "70 1 0:43 / /f rw - fuse.x\ry fsrc\x01 rw,user_id=0,group_id=0", "fstype",
            "fuse.x\ry");
        row("0x01 in a FUSE source", "70 1 0:43 / /f rw - fuse.x\ry fsrc\x01 rw,user_id=0,group_id=0", "source",
            "fsrc\x01");
        row("CR in super options", "70 1 0:41 / /ov rw - overlay ov rw,lowerdir=/l1:/l\r2,upperdir=/u", "super options",
            "rw,lowerdir=/l1:/l\r2,upperdir=/u");
    }
    void rawBytesTheKernelWrites_parse()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, field);
        QFETCH(QByteArray, expected);
        // Between two ordinary lines: the odd one must not cost its neighbours either.
        const QByteArray text =
            "1 0 0:1 / / rw shared:1 - tmpfs root rw\n" + line + "\n2 1 0:2 / /proc rw - proc proc rw\n";
        const MountTable t = parse_mountinfo(std::string_view(text.constData(), size_t(text.size())), "test");
        QVERIFY2(t.issues.empty(), t.issues.empty() ? "" : t.issues[0].to_string("test").c_str());
        QCOMPARE(t.mounts.size(), size_t(3));
        const Mount& m = t.mounts[1];
        QCOMPARE(m.id, 70);
        QCOMPARE(m.line, 2);
        QCOMPARE(QByteArray::fromStdString(m.raw), line);
        const std::string& got = field == "target"   ? m.target
                                 : field == "source" ? m.source
                                 : field == "root"   ? m.root
                                 : field == "fstype" ? m.fstype
                                                     : m.super_options;
        QCOMPARE(QByteArray::fromStdString(got), expected);
        QCOMPARE(t.mounts[2].target, std::string("/proc"));
    }

    void octalEscape_columnPointsAtTheBackslash()
    {
        const MountTable t = parse_mountinfo("1 0 0:1 / / rw - tmpfs t rw\n2 1 0:2 / /ok\\040\\400 rw - tmpfs a rw\n");
        QCOMPARE(t.issues.size(), size_t(1));
        QCOMPARE(QString::fromStdString(t.issues[0].to_string("f")),
                 QString("f:2:18: mount point: octal escape '\\400' is above \\377, not a byte"));
        QCOMPARE(t.mounts.size(), size_t(1)); // no second "/"
        // Valid escapes up to \377 still decode.
        const MountTable ok = parse_mountinfo("1 0 0:1 / /a\\040b\\377\\134 rw - tmpfs t rw\n");
        QVERIFY(ok.issues.empty());
        QCOMPARE(ok.mounts.at(0).target, std::string("/a b\xff\\"));
    }

    void fileOverTheLimit_isRefusedWithTheLimit()
    {
        auto big = read_whole_file("/dev/zero", 1024 * 1024);
        QVERIFY(!big);
        QCOMPARE(big.error().errnum, EFBIG);
        QVERIFY2(QString::fromStdString(big.error().message).contains("`/dev/zero`") &&
                     QString::fromStdString(big.error().message).contains("1 MiB"),
                 big.error().message.c_str());
        auto huge = read_mountinfo_file("/dev/zero"); // the default limit, 256 MiB
        QVERIFY(!huge);
        QVERIFY(QString::fromStdString(huge.error().message).contains("256 MiB"));
        // Exactly at the limit is fine; a /proc file (size 0) is read in full.
        QTemporaryFile f;
        QVERIFY(f.open());
        f.write(QByteArray(4096, 'x'));
        f.close();
        QVERIFY(read_whole_file(f.fileName().toStdString(), 4096));
        QVERIFY(!read_whole_file(f.fileName().toStdString(), 4095));
        QVERIFY(read_whole_file("/proc/self/mountinfo", 1 << 20));
        // A FIFO where a lab operation reads a file (a learner's mkfifo on a checked
        // path): refused at once, never waited on for a writer.
        const std::string fifo = f.fileName().toStdString() + ".fifo";
        QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
        auto piped = read_whole_file(fifo, 4096, true);
        QVERIFY(!piped);
        QVERIFY2(piped.error().message.find("FIFO") != std::string::npos, piped.error().message.c_str());
        // A path masked with /dev/null (a runtime's maskedPaths) reads as empty.
        auto device = read_whole_file("/dev/null", 4096, true);
        QVERIFY2(device && device->empty(), device ? device->c_str() : device.error().message.c_str());
        QVERIFY(read_whole_file(f.fileName().toStdString(), 4096, true));
        // Otherwise a pipe is read as any file (`mountlab-cli tree -F <(...)`).
        const pid_t writer = fork();
        if (writer == 0) {
            const int w = open(fifo.c_str(), O_WRONLY);
            _exit(w >= 0 && write(w, "1 0 0:1 / / rw - tmpfs t rw\n", 28) == 28 ? 0 : 1);
        }
        auto fed = read_whole_file(fifo, 4096);
        int status = 0;
        waitpid(writer, &status, 0);
        unlink(fifo.c_str());
        QVERIFY2(fed && *fed == "1 0 0:1 / / rw - tmpfs t rw\n", fed ? fed->c_str() : fed.error().message.c_str());
    }

    void blankAndCommentLines_areSkipped()
    {
        const MountTable t =
            parse_mountinfo("\n# comment\n1 0 0:1 / / rw - tmpfs r rw\n\n2 1 0:2 / /p rw - proc proc rw");
        QVERIFY(t.issues.empty());
        QCOMPARE(t.mounts.size(), size_t(2));
        QCOMPARE(t.mounts[0].line, 3);
        QCOMPARE(t.mounts[1].line, 5);
    }

    void hugeLine_isParsed()
    {
        const std::string dir(1 << 20, 'd');
        const std::string text = "1 0 0:1 / /" + dir + " rw - tmpfs r rw\n";
        const MountTable t = parse_mountinfo(text);
        QVERIFY(t.issues.empty());
        QCOMPARE(t.mounts.size(), size_t(1));
        QCOMPARE(t.mounts[0].target.size(), dir.size() + 1);
    }

    void binaryGarbage_givesIssuesNeverACrash()
    {
        std::mt19937 rng(42);
        for (int round = 0; round < 200; ++round) {
            std::string junk(static_cast<size_t>(rng() % 4096), '\0');
            for (char& c : junk)
                c = static_cast<char>(rng() % 256);
            if (round % 2)
                junk = "1 0 0:1 / / rw - tmpfs r rw\n" + junk; // a good line first
            const MountTable t = parse_mountinfo(junk);
            for (const ParseIssue& i : t.issues) {
                QVERIFY(i.line >= 1);
                QVERIFY(!i.message.empty());
            }
            if (round % 2) {
                QVERIFY(!t.mounts.empty());
                QCOMPARE(t.mounts[0].id, 1);
            }
        }
    }

    void emptyText_isAnEmptyTable()
    {
        const MountTable t = parse_mountinfo("");
        QVERIFY(t.mounts.empty());
        QVERIFY(t.issues.empty());
    }

    void missingFile_saysWhichAndWhy()
    {
        auto t = read_mountinfo_file("/nonexistent/mountinfo");
        QVERIFY(!t.ok());
        QCOMPARE(t.error().errnum, ENOENT);
        QVERIFY(QString::fromStdString(t.error().message).contains("/nonexistent/mountinfo"));
        QVERIFY(QString::fromStdString(t.error().message).contains("ENOENT"));
        auto d = read_mountinfo_file("/proc");
        QVERIFY(!d.ok());
        QCOMPARE(d.error().errnum, EISDIR);
    }

    void goneProcess_saysItExited()
    {
        const pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        int st = 0;
        waitpid(pid, &st, 0);
        auto t = read_mountinfo_pid(pid);
        QVERIFY(!t.ok());
        QVERIFY2(QString::fromStdString(t.error().message).contains("does not exist"), t.error().message.c_str());
    }

    void liveTable_parsesWithoutIssues()
    {
        auto t = read_mountinfo_pid(getpid());
        QVERIFY(t.ok());
        QVERIFY(t->issues.empty());
        QVERIFY(!t->mounts.empty());
    }
};

QTEST_GUILESS_MAIN(TestMountinfo)
#include "tst_mountinfo.moc"
