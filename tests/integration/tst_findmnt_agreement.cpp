// `mountlab-cli tree --json --list` agrees with `findmnt -J --list` on id, parent,
// target, source, fstype, propagation (and options, opt-fields), on every fixture,
// on random tables, on this machine's live table and on a namespace full of odd mounts.
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <random>
#include <sys/mount.h>
#include <sys/stat.h>

using namespace mountlab;
using nlohmann::json;

namespace {
const QStringList kColumns = {"id", "parent", "target", "source", "fstype", "propagation", "options", "opt-fields"};

QString compare(const QByteArray& findmnt_out, const QByteArray& ours_out)
{
    json a, b;
    try {
        // findmnt -J writes invalid UTF-8 raw (raw-bytes.mountinfo has a 0xff); we
        // write each such byte as U+FFFD, as Qt's decoder does: compare on that basis.
        a = json::parse(QString::fromUtf8(findmnt_out).toUtf8().toStdString());
        b = json::parse(ours_out.constData());
    } catch (const std::exception& e) {
        return QString("JSON: ") + e.what();
    }
    const auto& fa = a["filesystems"];
    const auto& fb = b["filesystems"];
    if (fa.size() != fb.size())
        return QString("findmnt lists %1 mounts, we list %2").arg(fa.size()).arg(fb.size());
    for (size_t i = 0; i < fa.size(); ++i)
        for (const QString& c : kColumns) {
            const std::string k = c.toStdString();
            const json& x = fa[i].contains(k) ? fa[i][k] : json();
            const json& y = fb[i][k];
            // findmnt 2.38 writes numbers as numbers; compare as text to be safe.
            if (x.dump() != y.dump() && !(x.is_string() && y.is_number() && x.get<std::string>() == y.dump()))
                return QString("row %1 (%2): %3 findmnt=%4 ours=%5")
                    .arg(i)
                    .arg(QString::fromStdString(fa[i].value("target", json("?")).dump()), c,
                         QString::fromStdString(x.dump()), QString::fromStdString(y.dump()));
        }
    return {};
}

QStringList findmnt_args() { return {"-J", "--list", "-o", kColumns.join(',').toUpper()}; }

QString agree_on_file(const QString& path)
{
    auto fm = test::run("findmnt", QStringList{"-F", path} + findmnt_args());
    auto us = test::run_cli({"tree", "--file", path, "--json", "--list"});
    if (fm.exit_code != 0)
        return "findmnt failed: " + QString(fm.err);
    if (us.exit_code != 0)
        return "mountlab-cli failed: " + QString(us.err);
    return compare(fm.out, us.out);
}

// A random but valid mountinfo table: escapes in paths and sources, bind subtrees,
// every kind of optional field, parents in any order.
std::string random_table(std::mt19937& rng, int n)
{
    static const char* words[] = {"a", "b\\040c", "tab\\011x", "back\\134s", "nl\\012y", "ünï", "x-y", "data"};
    static const char* fstypes[] = {"tmpfs", "proc", "overlay", "ext4", "fuse.sshfs", "squashfs"};
    std::vector<std::string> targets{"/"};
    std::string out = "1 0 0:1 / / rw,relatime shared:1 - tmpfs root rw\n";
    for (int i = 2; i <= n; ++i) {
        const int parent = 1 + static_cast<int>(rng() % static_cast<unsigned>(i - 1));
        std::string target = targets[static_cast<size_t>(parent - 1)];
        if (target != "/")
            target += "/";
        target += words[rng() % 8] + std::to_string(i);
        targets.push_back(target);
        std::string opt;
        switch (rng() % 6) {
        case 0:
            opt = fmt::format(" shared:{}", 1 + rng() % 5);
            break;
        case 1:
            opt = fmt::format(" master:{}", 1 + rng() % 5);
            break;
        case 2:
            opt = fmt::format(" shared:{} master:{}", 1 + rng() % 5, 1 + rng() % 5);
            break;
        case 3:
            opt = " unbindable";
            break;
        case 4:
            opt = fmt::format(" master:{} propagate_from:{}", 1 + rng() % 5, 1 + rng() % 5);
            break;
        default:
            break;
        }
        const std::string root = rng() % 4 == 0 ? std::string("/sub/") + words[rng() % 8] : "/";
        out += fmt::format("{} {} 0:{} {} {} {}{} - {} {} rw,size={}k\n", i, parent, 100 + i, root, target,
                           rng() % 2 ? "rw,nosuid" : "ro,relatime", opt, fstypes[rng() % 6],
                           std::string("src_") + words[rng() % 8], rng() % 1000);
    }
    // Shuffle the lines but the first, as a real table's order need not be the tree's.
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < out.size()) {
        size_t nl = out.find('\n', pos);
        lines.push_back(out.substr(pos, nl - pos + 1));
        pos = nl + 1;
    }
    std::shuffle(lines.begin() + 1, lines.end(), rng);
    std::string shuffled;
    for (auto& l : lines)
        shuffled += l;
    return shuffled;
}
} // namespace

class TestFindmntAgreement : public QObject {
    Q_OBJECT
private slots:
    void everyFixture()
    {
        for (const QString& f : test::mountinfo_fixtures()) {
            const QString why = agree_on_file(f);
            QVERIFY2(why.isEmpty(), qPrintable(f + ": " + why));
        }
    }

    void randomTables()
    {
        QTemporaryDir dir;
        std::mt19937 rng(20261127);
        for (int round = 0; round < 30; ++round) {
            const QString path = dir.filePath(QString("t%1.mountinfo").arg(round));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(random_table(rng, 5 + round * 7)));
            f.close();
            const QString why = agree_on_file(path);
            QVERIFY2(why.isEmpty(), qPrintable(path + ": " + why));
        }
    }

    void liveTable()
    {
        // Both read their own /proc/self/mountinfo: the same namespace as ours.
        auto fm = test::run("findmnt", findmnt_args());
        auto us = test::run_cli({"tree", "--json", "--list"});
        QCOMPARE(fm.exit_code, 0);
        QCOMPARE(us.exit_code, 0);
        const QString why = compare(fm.out, us.out);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    // Odd mounts made for real in a private namespace: escapes, peers, slaves,
    // unbindable, bind subtrees, an overmount stack, an overlay.
    void privateNamespaceFullOfOddMounts()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray host_before = test::host_mountinfo();
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const std::string base = work.filePath("ns").toStdString();
        const std::string out_fm = work.filePath("findmnt.json").toStdString();
        const std::string out_us = work.filePath("ours.json").toStdString();
        const std::string cli = MOUNTLAB_CLI;
        mkdir(base.c_str(), 0755);
        QString why;
        const int rc = test::in_private_mount_namespace(
            [&]() -> int {
                auto mk = [](const std::string& p) { return mkdir(p.c_str(), 0755) == 0 || errno == EEXIST; };
                if (mount("fxroot", base.c_str(), "tmpfs", 0, nullptr) != 0 ||
                    mount(nullptr, base.c_str(), nullptr, MS_SHARED, nullptr) != 0)
                    return 10;
                const char* dirs[] = {"with space", "tab\there", "back\\slash", "new\nline", "peer1",   "peer2",
                                      "slave",      "unb",       "over",        "src",       "src/sub", "l1",
                                      "l2",         "u",         "w",           "m"};
                for (const char* d : dirs)
                    if (!mk(base + "/" + d))
                        return 11;
                if (mount("src with space", (base + "/with space").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 12;
                if (mount("tabfs", (base + "/tab\there").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 13;
                if (mount("bs", (base + "/back\\slash").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 14;
                if (mount("nl", (base + "/new\nline").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 15;
                if (mount("shared1", (base + "/peer1").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 16;
                if (mount((base + "/peer1").c_str(), (base + "/peer2").c_str(), nullptr, MS_BIND, nullptr) != 0)
                    return 17;
                if (mount((base + "/peer1").c_str(), (base + "/slave").c_str(), nullptr, MS_BIND, nullptr) != 0)
                    return 18;
                if (mount(nullptr, (base + "/slave").c_str(), nullptr, MS_SLAVE, nullptr) != 0)
                    return 19;
                if (mount("unb", (base + "/unb").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 20;
                if (mount(nullptr, (base + "/unb").c_str(), nullptr, MS_UNBINDABLE, nullptr) != 0)
                    return 21;
                if (mount("first", (base + "/over").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 22;
                if (mount("second", (base + "/over").c_str(), "tmpfs", 0, nullptr) != 0)
                    return 23;
                if (mount((base + "/src/sub").c_str(), (base + "/over").c_str(), nullptr, MS_BIND, nullptr) != 0)
                    return 24;
                const std::string ov =
                    "lowerdir=" + base + "/l1:" + base + "/l2,upperdir=" + base + "/u,workdir=" + base + "/w";
                if (mount("overlay", (base + "/m").c_str(), "overlay", 0, ov.c_str()) != 0)
                    return 25;
                const std::string cols = kColumns.join(',').toUpper().toStdString();
                if (system(("findmnt -J --list -o " + cols + " > '" + out_fm + "'").c_str()) != 0)
                    return 26;
                if (system(("'" + cli + "' tree --json --list > '" + out_us + "'").c_str()) != 0)
                    return 27;
                return 0;
            },
            &why);
        QVERIFY2(rc == 0, qPrintable(QString("setting up the namespace failed at step %1 %2").arg(rc).arg(why)));
        QFile a(QString::fromStdString(out_fm)), b(QString::fromStdString(out_us));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray fm = a.readAll(), us = b.readAll();
        QVERIFY(us.contains("new\\nline"));
        QVERIFY(us.contains("\"propagation\": \"private,slave\""));
        QVERIFY(us.contains("\"propagation\": \"private,unbindable\""));
        const QString diff = compare(fm, us);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        // Everything was mounted in the child's namespace: the real table is unchanged.
        QCOMPARE(test::host_mountinfo(), host_before);
    }
};

QTEST_GUILESS_MAIN(TestFindmntAgreement)
#include "tst_findmnt_agreement.moc"
