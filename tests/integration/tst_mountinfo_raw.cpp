// Mounts whose names hold raw bytes, made for real in a private mount namespace. The
// kernel escapes only space, tab, newline and backslash in mountinfo (and '#' in a
// source, as \043), so a CR, an ESC, 0x01, DEL, '#', invalid UTF-8 (0xff, a lone
// 0xc3) or "ü" stands raw in a mount point, root, source, FUSE subtype or super
// option, and a source can be empty. Every such line must parse, and `mountlab-cli
// tree` must print it as findmnt does, field by field, in the same namespace.
// (tests/data/mountinfo/raw-bytes.mountinfo is such a table, saved from a namespace
// set up the same way on /mnt.)
#include "testutil.h"

#include "mount/mountinfo.h"
#include "mount/overlayoptions.h"

#include <QFile>
#include <QTemporaryDir>

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mountlab;
using nlohmann::json;

namespace {
const QStringList kColumns = {"id",      "parent",     "target", "source",      "fstype",     "propagation",
                              "options", "opt-fields", "fsroot", "vfs-options", "fs-options", "maj:min"};

// Mount points (under the test's tmpfs) and the source of the tmpfs mounted there.
struct OddMount {
    const char* dir;
    const char* source;
};
constexpr OddMount kOddMounts[] = {
    {"cr\rx", "t"},   {"esc\x1bx", "t"}, {"one\x01x", "t"}, {"del\x7fx", "t"},
    {"hash#x", "t#"}, {"ff\xffx", "t"},  {"c3\xc3x", "t"},  {"uml\xc3\xbcx", "t\xc3\xbc"},
    {"emptysrc", ""}, {"crsrc", "s\rc"}, {"spsrc", "s p"},  {"ffsrc", "s\xff"},
};

bool make_dir(const std::string& p) { return mkdir(p.c_str(), 0755) == 0 || errno == EEXIST; }

// A bind of a subdirectory whose name holds a CR, from a tmpfs with an empty source:
// fsroot "/sub\rd", and findmnt's SOURCE "[/sub\rd]".
int mount_bind_with_odd_root(const std::string& base)
{
    if (!make_dir(base + "/e") || !make_dir(base + "/eb"))
        return 30;
    if (mount("", (base + "/e").c_str(), "tmpfs", 0, nullptr) != 0 || !make_dir(base + "/e/sub\rd"))
        return 31;
    if (mount((base + "/e/sub\rd").c_str(), (base + "/eb").c_str(), nullptr, MS_BIND, nullptr) != 0)
        return 32;
    return 0;
}

// An overlay whose lower layer has a CR in its name: overlayfs writes its options with
// seq_show_option, which escapes ",= \t\n\\" and nothing else.
int mount_overlay_with_odd_layer(const std::string& base)
{
    for (const char* d : {"l1", "l\r2", "u", "w", "ov"})
        if (!make_dir(base + "/" + d))
            return 40;
    const std::string opts = fmt::format("lowerdir={0}/l1:{0}/l\r2,upperdir={0}/u,workdir={0}/w", base);
    return mount("ov", (base + "/ov").c_str(), "overlay", 0, opts.c_str()) == 0 ? 0 : 41;
}

// A FUSE mount with no daemon behind it (nothing ever looks inside it): its fstype is
// "fuse." plus a subtype the mounter chose, written raw but for the four escapes. The
// connection dies with this process's /dev/fuse descriptor when the child exits.
int mount_fuse_with_odd_subtype(const std::string& base)
{
    const int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0; // no FUSE here: the other mounts still say what this test checks
    if (!make_dir(base + "/f"))
        return 50;
    const std::string opts = fmt::format("fd={},rootmode=40000,user_id=0,group_id=0,subtype=x\ry", fd);
    if (mount("fsrc\x01", (base + "/f").c_str(), "fuse", 0, opts.c_str()) != 0)
        return 51;
    return 0;
}

struct Outputs {
    std::string findmnt_json, ours_json, findmnt_text, ours_text, ours_err, mountinfo;
};

int run_both(const std::string& cli, const Outputs& o)
{
    // findmnt escapes by locale: in C it would write "ü" as \xc3\xbc. We assume UTF-8.
    setenv("LC_ALL", "C.UTF-8", 1);
    const std::string cols = kColumns.join(',').toUpper().toStdString();
    if (system(fmt::format("cp /proc/self/mountinfo '{}'", o.mountinfo).c_str()) != 0)
        return 60;
    if (system(fmt::format("findmnt -J --list -o {} > '{}'", cols, o.findmnt_json).c_str()) != 0)
        return 61;
    if (system(fmt::format("findmnt --list --noheadings -o TARGET,SOURCE > '{}'", o.findmnt_text).c_str()) != 0)
        return 62;
    // Exit status 1 would mean a line was refused: the test reads the error text.
    if (system(fmt::format("'{}' tree --json --list > '{}' 2> '{}'", cli, o.ours_json, o.ours_err).c_str()) != 0)
        return 63;
    if (system(fmt::format("'{}' tree --list > '{}'", cli, o.ours_text).c_str()) != 0)
        return 64;
    return 0;
}

QByteArray slurp(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// findmnt -J writes invalid UTF-8 raw (so its output is not JSON for a strict reader);
// we write each such byte as U+FFFD, as Qt's decoder does: compare on that basis.
json parse_lossy(const QByteArray& text) { return json::parse(QString::fromUtf8(text).toUtf8().toStdString()); }

QString compare(const json& fm, const json& us)
{
    const auto& fa = fm["filesystems"];
    const auto& fb = us["filesystems"];
    if (fa.size() != fb.size())
        return QString("findmnt lists %1 mounts, we list %2").arg(fa.size()).arg(fb.size());
    for (size_t i = 0; i < fa.size(); ++i)
        for (const QString& c : kColumns) {
            const std::string k = c.toStdString();
            const json& x = fa[i].contains(k) ? fa[i][k] : json();
            const json& y = fb[i].contains(k) ? fb[i][k] : json("(missing)");
            if (x.dump() != y.dump() && !(x.is_string() && y.is_number() && x.get<std::string>() == y.dump()))
                return QString("row %1 (%2): %3 findmnt=%4 ours=%5")
                    .arg(i)
                    .arg(QString::fromStdString(fa[i].value("target", json("?")).dump()), c,
                         QString::fromStdString(x.dump()), QString::fromStdString(y.dump()));
        }
    return {};
}
} // namespace

class TestMountinfoRaw : public QObject {
    Q_OBJECT
private slots:
    void rawBytesInEveryField_parseAndPrintAsFindmnt()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray host_before = test::host_mountinfo();
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const std::string base = work.filePath("ns").toStdString();
        auto file = [&](const char* name) { return work.filePath(name).toStdString(); };
        const Outputs o{file("findmnt.json"), file("ours.json"), file("findmnt.txt"),
                        file("ours.txt"),     file("ours.err"),  file("mountinfo")};
        QVERIFY(make_dir(base));
        // (The child's memory is its own: decide here whether it can make a FUSE mount.)
        const bool fuse = access("/dev/fuse", R_OK | W_OK) == 0;
        QString why;
        const int rc = test::in_private_mount_namespace(
            [&]() -> int {
                if (mount("rawroot", base.c_str(), "tmpfs", 0, nullptr) != 0)
                    return 10;
                for (const OddMount& m : kOddMounts) {
                    const std::string dir = base + "/" + m.dir;
                    if (!make_dir(dir) || mount(m.source, dir.c_str(), "tmpfs", 0, nullptr) != 0)
                        return 20;
                }
                if (int r = mount_bind_with_odd_root(base))
                    return r;
                if (int r = mount_overlay_with_odd_layer(base))
                    return r;
                if (int r = mount_fuse_with_odd_subtype(base))
                    return r;
                return run_both(MOUNTLAB_CLI, o);
            },
            &why);
        const QByteArray err = slurp(o.ours_err);
        QVERIFY2(
            rc == 0,
            qPrintable(QString("the namespace failed at step %1 %2; mountlab-cli said: %3").arg(rc).arg(why, err)));
        QVERIFY2(err.isEmpty(), err.constData());
        // The namespace's own table holds every odd line.
        const QByteArray table = slurp(o.mountinfo);
        for (const char* raw : {"/cr\rx ", "/ff\xffx ", "/c3\xc3x ", " - tmpfs  rw", " - tmpfs s\rc ",
                                " - tmpfs s\\040p ", " - tmpfs t\\043 ", "/sub\rd ", "l\r2"})
            QVERIFY2(table.contains(raw), raw);
        if (fuse)
            QVERIFY(table.contains(" - fuse.x\ry fsrc\x01 "));
        else
            qWarning("no /dev/fuse: the FUSE subtype case was not made");

        // JSON: the same mounts, field by field; ours is valid UTF-8 without help.
        const QByteArray fm = slurp(o.findmnt_json), us = slurp(o.ours_json);
        QVERIFY2(fm.contains("/ff\xffx\""), "findmnt -J no longer writes invalid UTF-8 raw: revisit parse_lossy");
        QVERIFY(us.contains("/ff\xef\xbf\xbdx\""));
        QVERIFY(us.contains("/cr\\rx\"") && us.contains("/esc\\u001bx\"") && us.contains("/one\\u0001x\""));
        QVERIFY(us.contains("\"source\": null"));
        json ours;
        try {
            ours = json::parse(us.toStdString());
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        const QString diff = compare(parse_lossy(fm), ours);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));

        // Text: every TARGET and SOURCE findmnt prints (\x0d for a CR) is in our rows.
        const QString ours_text = QString::fromUtf8(slurp(o.ours_text));
        QVERIFY(ours_text.contains(QString::fromStdString(base) + "/cr\\x0dx "));
        for (QString line : QString::fromUtf8(slurp(o.findmnt_text)).split('\n', Qt::SkipEmptyParts)) {
            const QStringList cols = line.split(' ', Qt::SkipEmptyParts);
            for (const QString& c : cols)
                QVERIFY2(ours_text.contains(c), qPrintable("findmnt prints `" + c + "`, we do not"));
        }
        // Everything was mounted in the child's namespace: the real table is unchanged.
        QCOMPARE(test::host_mountinfo(), host_before);
    }

    // Layers whose names hold ',', ':' and ' ', in both ways of naming them: overlayfs
    // writes "\," and "\:" inside lowerdir= (mountinfo then escapes the backslash and
    // the space as octal), and each lowerdir+= path as it is. overlay_layers, the one
    // reading of them (the copy-up report and the GUI's layer view), gives the paths back.
    void overlayLayers_pathsWithCommaColonSpace_readBackFromTheKernelsTable()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray host_before = test::host_mountinfo();
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const std::string base = work.filePath("ov").toStdString(), saved = work.filePath("mountinfo").toStdString();
        QVERIFY(make_dir(base));
        QString why;
        const int rc = test::in_private_mount_namespace(
            [&]() -> int {
                if (mount("ovroot", base.c_str(), "tmpfs", 0, nullptr) != 0)
                    return 10;
                for (const char* d : {"l,1", "l:2", "l 3", "u", "w", "m", "u2", "w2", "m2"})
                    if (!make_dir(base + "/" + d))
                        return 11;
                const std::string list =
                    fmt::format("lowerdir={0}/l\\,1:{0}/l\\:2:{0}/l 3,upperdir={0}/u,workdir={0}/w", base);
                if (mount("ov", (base + "/m").c_str(), "overlay", 0, list.c_str()) != 0)
                    return 12;
                const std::string each =
                    fmt::format("lowerdir+={0}/l:2,lowerdir+={0}/l 3,upperdir={0}/u2,workdir={0}/w2", base);
                if (mount("ov", (base + "/m2").c_str(), "overlay", 0, each.c_str()) != 0)
                    return 13;
                return system(fmt::format("cp /proc/self/mountinfo '{}'", saved).c_str()) == 0 ? 0 : 14;
            },
            &why);
        QVERIFY2(rc == 0, qPrintable(QString("the namespace failed at step %1 %2").arg(rc).arg(why)));
        auto table = read_mountinfo_file(saved);
        QVERIFY(static_cast<bool>(table));
        std::vector<OverlayLayers> found;
        for (const Mount& m : table->mounts)
            if (m.fstype == "overlay" && m.target.rfind(base, 0) == 0)
                found.push_back(overlay_layers(m.super_options));
        QCOMPARE(found.size(), size_t{2});
        QCOMPARE(found[0].lowers, (std::vector<std::string>{base + "/l,1", base + "/l:2", base + "/l 3"}));
        QCOMPARE(found[0].upper, base + "/u");
        QCOMPARE(found[0].work, base + "/w");
        QCOMPARE(found[1].lowers, (std::vector<std::string>{base + "/l:2", base + "/l 3"}));
        QCOMPARE(found[1].upper, base + "/u2");
        QCOMPARE(test::host_mountinfo(), host_before);
    }
};

QTEST_GUILESS_MAIN(TestMountinfoRaw)
#include "tst_mountinfo_raw.moc"
