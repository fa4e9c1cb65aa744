// The exports a teacher hands out: the HTML report of a session (its steps once each,
// a Back told as the rebuild it is, each traced call once, marks that agree with the
// steps, a tree that fits the page) and the tree as SVG/PNG (without the window's
// selection frame). The events are the stream's own kinds, as the agent writes them.
#include "exports.h"
#include "forests.h"
#include "htmlreport.h"
#include "mount/mountinfo.h"
#include "mounttreeitem.h"
#include "progress.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace mountlab::gui;
using mountlab::gui::test::forestOf;
using mountlab::gui::test::rowsOf;

namespace {

QByteArray line(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

// The walkthrough of three steps; the second says it calls umount2.
QVector<QByteArray> catalogue()
{
    QJsonArray walk;
    for (int i = 0; i < 3; ++i)
        walk.append(QJsonObject{{"index", i},
                                {"stage", "s"},
                                {"id", QStringLiteral("w%1").arg(i)},
                                {"title", QStringLiteral("Step number %1").arg(i + 1)},
                                {"explain", ""},
                                {"syscall", i == 1 ? "umount2(\"/mnt/leak\", 0)" : ""},
                                {"where", "container"}});
    return {line({{"kind", "session"}, {"v", 1}, {"host_mntns", 100}, {"trace", "bpf"}}),
            line({{"kind", "walkthrough"},
                  {"stages", QJsonArray{QJsonObject{{"id", "s"}, {"title", "Stage"}}}},
                  {"steps", walk}})};
}

struct Events {
    QVector<QByteArray> lines = catalogue();
    int n = 0;
    QJsonArray op; // the next steps' operations
    void step(int index, bool traced)
    {
        ++n;
        lines << line({{"kind", "step"},
                       {"phase", "begin"},
                       {"step", n},
                       {"stage", "s"},
                       {"id", QStringLiteral("w%1").arg(index)},
                       {"title", QStringLiteral("Step number %1").arg(index + 1)},
                       {"lesson", "walkthrough"},
                       {"index", index},
                       {"syscall", index == 1 ? "umount2(\"/mnt/leak\", 0)" : ""},
                       {"op", op},
                       {"where", "container"}});
        if (traced) // as the tracer writes it: the arguments in the call's order
            lines << QStringLiteral(
                         "{\"kind\":\"syscall\",\"name\":\"umount2\",\"args\":{\"target\":\"/mnt/leak\","
                         "\"flags\":0},\"ret\":0,\"errno\":null,\"pid\":7,\"tid\":7,\"comm\":\"container\","
                         "\"mntns_before\":100,\"mntns_after\":100,\"ts_ns\":%1,\"latency_ns\":10,\"step\":%2}")
                         .arg(1000 * n)
                         .arg(n)
                         .toUtf8();
        lines << line({{"kind", "step"},
                       {"phase", "end"},
                       {"step", n},
                       {"ok", true},
                       {"passed", true},
                       {"duration_us", 5},
                       {"data", QJsonObject{}}});
    }
    void reset()
    {
        ++n;
        lines << line({{"kind", "step"},
                       {"phase", "begin"},
                       {"step", n},
                       {"stage", "lab"},
                       {"id", "reset-lab"},
                       {"title", "A fresh lab host and container"},
                       {"where", "lab"}});
        lines << line({{"kind", "step"}, {"phase", "end"}, {"step", n}, {"ok", true}, {"passed", true}});
    }
};

const char* kHost = "1 0 0:1 / / rw shared:1 - tmpfs root rw\n"
                    "2 1 0:2 / /shared rw shared:5 - tmpfs a rw\n"
                    "3 1 0:3 / /slave rw master:5 - tmpfs b rw\n";

} // namespace

class TestGuiReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Three steps, then Back (a fresh lab and the first step again): each step is told
    // once, the rebuild in one line, the traced umount2 once (not again as the lesson's
    // "syscall:" line), and the marks are those of the lab at the end.
    void back_isToldAsARebuild_eachCallOnce_marksAsTheLabIs()
    {
        Events ev;
        ev.step(0, false);
        ev.step(1, true);
        ev.step(2, false);
        ev.reset();
        ev.step(0, false);
        ev.step(1, true);
        const QString html = htmlReport(ev.lines, {});
        QCOMPARE(html.count(QLatin1String("<section>")), 3);
        QCOMPARE(html.count(QLatin1String("Step number 2")), 1);
        QVERIFY(html.contains(QStringLiteral("then steps 1–2 of Walkthrough: every stage run again in it")));
        QVERIFY2(html.count(QLatin1String("umount2(&quot;/mnt/leak&quot;")) == 1, qPrintable(html));
        QVERIFY(html.contains(QLatin1String("2 steps run again")));
        QVERIFY(html.contains(QLatin1String("3 steps behaved as their lesson says")));
        // The lab ends with 2 of 3 run: not "every step passed".
        QVERIFY2(html.contains(QLatin1String("2 of 3 passed")), qPrintable(html));
        QVERIFY(!html.contains(QLatin1String("every step passed")));
        QVERIFY(html.contains(QLatin1String("finished earlier in the session")));
    }

    // After chroot the mounts the process's root no longer reaches are still mounted:
    // the report says so, not "− gone", and the moved ones are one line.
    void aChroot_isToldAsOutsideTheRoot_notAsUnmounts()
    {
        Events ev;
        ev.op = QJsonArray{QJsonObject{{"op", "chroot"}, {"path", "/var/lib/c1/merged"}}};
        ev.step(0, false);
        const auto m = [](int id, const char* target) {
            return QJsonObject{{"id", id}, {"parent", 1}, {"target", target}, {"fstype", "tmpfs"}, {"source", "t"}};
        };
        ev.lines.insert(ev.lines.size() - 1,
                        line({{"kind", "diff"},
                              {"view", "container"},
                              {"step", ev.n},
                              {"added", QJsonArray{}},
                              {"removed", QJsonArray{m(2, "/images"), m(3, "/mnt/leak")}},
                              {"changed", QJsonArray{QJsonObject{{"before", m(4, "/var/lib/c1/merged")},
                                                                 {"after", m(4, "/")},
                                                                 {"fields", QJsonArray{"target"}}},
                                                     QJsonObject{{"before", m(5, "/var/lib/c1/merged/proc")},
                                                                 {"after", m(5, "/proc")},
                                                                 {"fields", QJsonArray{"target"}}}}}}));
        const QString html = htmlReport(ev.lines, {});
        QVERIFY2(html.contains(QStringLiteral("⊘ /images tmpfs: outside this process's root, still mounted")),
                 qPrintable(html.right(900)));
        QVERIFY(html.contains(QStringLiteral("⊘ /mnt/leak tmpfs")));
        QVERIFY(!html.contains(QStringLiteral("− /images")));
        QVERIFY(
            html.contains(QStringLiteral("the process's root is now /var/lib/c1/merged: 2 mounts seen from there")));
        QVERIFY(!html.contains(QStringLiteral("~ /proc: target")));
        // The same diff after pivot_root . . and umount -l: those mounts are gone.
        QVector<QByteArray> pivoted = ev.lines;
        for (QByteArray& l : pivoted)
            l.replace("\"op\":\"chroot\"", "\"op\":\"pivot_root_runc\"");
        const QString pivot = htmlReport(pivoted, {});
        QVERIFY(pivot.contains(QStringLiteral("− /images tmpfs")));
        QVERIFY(!pivot.contains(QStringLiteral("outside this process's root")));
    }

    // Not traced: the lesson's word for the call stands, and says so.
    void anUntracedStep_showsTheCallTheLessonNames()
    {
        Events ev;
        ev.step(0, false);
        ev.step(1, false);
        const QString html = htmlReport(ev.lines, {});
        QVERIFY2(html.contains(QLatin1String("umount2(&quot;/mnt/leak&quot;, 0) (not traced)")), qPrintable(html));
        QVERIFY(html.contains(QLatin1String("every step passed")) == false);
        // A reset with nothing after it is a plain reset line.
        ev.reset();
        const QString reset = htmlReport(ev.lines, {});
        QVERIFY2(reset.contains(QStringLiteral("⟲ A fresh lab host and container</p>")), qPrintable(reset.right(600)));
    }

    // The tree in the report scales to the page; the exports draw no selection frame,
    // and the window's selection is as it was, without a signal.
    void exports_fitThePage_andDrawNoSelection()
    {
        MountForest host = forestOf(kHost);
        MountTreeScene scene;
        scene.tree()->setForests(&host, nullptr);
        scene.refresh(false);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString none = dir.filePath(QStringLiteral("none.png")), sel = dir.filePath(QStringLiteral("sel.png"));
        QVERIFY(exportTreePng(scene, Qt::white, none));
        const int node = host.indexOfTarget(QStringLiteral("/slave"));
        scene.tree()->select(0, node);
        QSignalSpy selected(scene.tree(), &MountTreeItem::nodeSelected);
        QVERIFY(exportTreePng(scene, Qt::white, sel));
        QCOMPARE(QImage(sel), QImage(none));
        QCOMPARE(scene.tree()->selectedNode(), node);
        QCOMPARE(selected.size(), 0);

        const QString report = dir.filePath(QStringLiteral("r.html"));
        QVERIFY(exportHtmlReport(scene, catalogue(), report));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        const qsizetype at = html.indexOf(QLatin1String("<svg"));
        QVERIFY(at > 0);
        const QString tag = html.mid(at, html.indexOf(QLatin1Char('>'), at) - at);
        QVERIFY2(tag.contains(QLatin1String("viewBox")), qPrintable(tag));
        QVERIFY2(!tag.contains(QLatin1String(" width=")) && !tag.contains(QLatin1String(" height=")), qPrintable(tag));
        QVERIFY(html.contains(QLatin1String(".tree svg{width:100%;height:auto}")));
    }
    // The learner's kept attempts: each exercise's best, a table of its attempts and each
    // script as text; a script that closes the <pre> and opens a <script> stays text.
    void theAttempts_areInTheReport_theirScriptsAsText()
    {
        QTemporaryDir dir;
        Progress p(dir.filePath("progress.json"));
        const auto graded = [&](const QString& script, int score, const QString& status) {
            p.handleEvent(
                QJsonObject{{"kind", "practice-grade"},
                            {"lesson", "bind-mounts"},
                            {"exercise", "leaky-volume"},
                            {"script", script},
                            {"result", QJsonObject{{"status", status}, {"score", score}, {"max_score", 10}}}});
        };
        graded("#!/bin/bash\necho '</pre><script>alert(1)</script>'\n", 3, "failed");
        graded("#!/bin/bash\numount /srv/data\n", 8, "failed");
        Events ev;
        ev.step(0, false);
        QVERIFY(!htmlReport(ev.lines, {}).contains(QLatin1String("Exercise attempts")));
        const QString html = htmlReport(ev.lines, {}, &p);
        QVERIFY(html.contains(QLatin1String("<h2>Exercise attempts</h2>")));
        QVERIFY2(html.contains(QLatin1String("bind-mounts / leaky-volume: best 8/10")), qPrintable(html.right(2000)));
        QVERIFY(html.contains(QLatin1String("<td>3/10</td><td>failed</td>")));
        QVERIFY(html.contains(QLatin1String("<td>8/10</td>")));
        QVERIFY(html.contains(QLatin1String("umount /srv/data")));
        QVERIFY(html.contains(QLatin1String("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;")));
        QVERIFY(!html.contains(QLatin1String("<script")));
    }
};

QTEST_MAIN(TestGuiReport)
#include "tst_gui_report.moc"
