// The GUI's "explore this machine" with 10,000 mounts: building the drawn tree, and
// updating it after a diff. An update must fit in one frame (< 16 ms): apply the diff
// to the forest, lay the tree out again, and paint what a 1600x900 view shows.
#include "mountforest.h"
#include "mounttreeitem.h"

#include "mount/mountdiff.h"
#include "mount/mountinfo.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QtTest>

#include <algorithm>

using namespace mountlab;
using namespace mountlab::gui;

namespace {

// A container host's table: / and system mounts, then per container an overlay with
// its /proc, /dev, /sys and binds, shared, slave and private mixed like Docker's.
std::string machineTable(int count, int extraId = 0)
{
    std::string text = "1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n";
    int id = 2;
    int group = 2;
    while (id <= count) {
        const int overlay = id++;
        const std::string c = std::to_string(overlay);
        text += c + " 1 0:" + c + " / /var/lib/docker/overlay2/" + c +
                "/merged rw,relatime shared:" + std::to_string(group++) +
                " - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A" + c + ":/var/lib/docker/overlay2/l/B" +
                c + ",upperdir=/var/lib/docker/overlay2/" + c + "/diff,workdir=/var/lib/docker/overlay2/" + c +
                "/work\n";
        const char* subs[] = {"proc", "dev",     "sys",     "etc/hosts",  "etc/resolv.conf",
                              "data", "dev/shm", "dev/pts", "run/secrets"};
        for (const char* s : subs) {
            if (id > count)
                break;
            const std::string opt = (id % 3 == 0)   ? "master:1"
                                    : (id % 3 == 1) ? "shared:" + std::to_string(group++)
                                                    : "";
            text += std::to_string(id) + " " + c + " 0:" + std::to_string(id) + " / /var/lib/docker/overlay2/" + c +
                    "/merged/" + s + " rw,nosuid " + opt + (opt.empty() ? "" : " ") + "- tmpfs tmpfs rw\n";
            ++id;
        }
    }
    if (extraId) // what the diff adds: a mount under /
        for (int k = 0; k < 5; ++k)
            text += std::to_string(extraId + k) + " 1 0:999 / /mnt/new" + std::to_string(k) +
                    " rw shared:" + std::to_string(9000 + k) + " - tmpfs new rw\n";
    return text;
}

QVector<MountRow> rowsOf(const MountTable& t)
{
    QVector<MountRow> rows;
    rows.reserve(int(t.mounts.size()));
    for (const Mount& m : t.mounts)
        rows << mountFromCore(m);
    return rows;
}

// Paints the part of the scene a 1600x900 view shows around a node.
void paintView(MountTreeScene& scene, double centreY, QImage& image)
{
    QPainter p(&image);
    const QRectF source(0, std::max(0.0, centreY - 450), 1600, 900);
    scene.render(&p, QRectF(0, 0, 1600, 900), source);
}

} // namespace

class BenchGuiTree : public QObject {
    Q_OBJECT
    MountTable m_base, m_more;
    MountDiffRows m_add, m_remove;

private Q_SLOTS:
    void initTestCase()
    {
        m_base = parse_mountinfo(machineTable(10000));
        m_more = parse_mountinfo(machineTable(10000, 20000));
        QCOMPARE(int(m_base.mounts.size()), 10000);
        QVERIFY(m_base.issues.empty());
        m_add = diffFromCore(diff(m_base.mounts, m_more.mounts));
        m_remove = diffFromCore(diff(m_more.mounts, m_base.mounts));
        QCOMPARE(m_add.added.size(), 5);
        QCOMPARE(m_remove.removed.size(), 5);
    }

    void buildScene_10000Mounts()
    {
        const QVector<MountRow> rows = rowsOf(m_base);
        QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
        QBENCHMARK
        {
            MountForest forest;
            forest.setMounts(rows);
            MountTreeScene scene;
            scene.tree()->setForests(&forest, nullptr);
            scene.refresh(false);
            paintView(scene, 0, image);
        }
    }

    void updateAfterDiff_10000Mounts()
    {
        MountForest forest;
        forest.setMounts(rowsOf(m_base));
        MountTreeScene scene;
        scene.tree()->setForests(&forest, nullptr);
        scene.refresh(false);
        QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
        bool adding = true;
        QBENCHMARK { update(forest, scene, image, adding); }
    }

    // The figure the requirement is about: the median and worst of 40 updates.
    void updateAfterDiff_10000Mounts_fitsInOneFrame()
    {
        MountForest forest;
        forest.setMounts(rowsOf(m_base));
        MountTreeScene scene;
        scene.tree()->setForests(&forest, nullptr);
        scene.refresh(false);
        QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
        bool adding = true;
        QVector<double> ms;
        for (int i = 0; i < 40; ++i) {
            QElapsedTimer t;
            t.start();
            update(forest, scene, image, adding);
            ms << t.nsecsElapsed() / 1e6;
        }
        std::sort(ms.begin(), ms.end());
        const double median = ms[ms.size() / 2];
        qInfo(
            "10,000 mounts, update after a diff (apply + layout + paint a 1600x900 view): median %.2f ms, worst %.2f ms (budget 16 ms)",
            median, ms.last());
        QVERIFY2(median < 16.0, qPrintable(QStringLiteral("median %1 ms").arg(median)));
        QCOMPARE(forest.size(), 10000 + 5); // the last diff's ghosts (or new mounts) are shown
    }

private:
    // Apply the diff, lay the tree out again, paint what a 1600x900 view shows of it.
    void update(MountForest& forest, MountTreeScene& scene, QImage& image, bool& adding)
    {
        static const bool phases = qEnvironmentVariableIsSet("BENCH_PHASES");
        QElapsedTimer t;
        t.start();
        forest.applyDiff(adding ? m_add : m_remove);
        const qint64 a = t.nsecsElapsed();
        scene.refresh(true);
        const qint64 b = t.nsecsElapsed();
        const int node = forest.indexOfId(20000);
        paintView(scene, node >= 0 ? scene.tree()->nodeRect(0, node).center().y() : 0, image);
        if (phases)
            qInfo("diff %.2f layout %.2f paint %.2f ms", a / 1e6, (b - a) / 1e6, (t.nsecsElapsed() - b) / 1e6);
        adding = !adding;
    }
};

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    BenchGuiTree bench;
    return QTest::qExec(&bench, argc, argv);
}
#include "bench_gui_tree.moc"
