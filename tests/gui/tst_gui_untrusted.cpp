// Recordings and lessons are someone else's text: the GUI and its HTML report must show
// it, never obey it. A hostile recording (links to javascript:, remote images, raw
// <script>, titles and an errno that look like a passing grade, a 10,000-row table) is
// replayed in the real window, off screen and without the engine.
#include "copyupmodel.h"
#include "htmlreport.h"
#include "linkopener.h"
#include "mainwindow.h"
#include "safemarkdown.h"

#include <QDesktopServices>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTextDocument>
#include <QtTest>

using namespace mountlab::gui;

namespace {

const QString kHostileMarkdown = QStringLiteral(
    "Read [x](javascript:alert(1)) and [the docs](https://example.org/docs) or go [up](#top).\n\n"
    "![i](http://attacker.example/p.png)\n\n"
    "<script>alert(document.cookie)</script>\n\n"
    "<a href=\"JaVaScRiPt:alert(2)\">y</a> [d](data:text/html;base64,PHNjcmlwdD4=) [f](file:///etc/passwd) [r](notes.html)\n\n"
    "<table background=\"http://attacker.example/bg.png\"><tr><td background=\"http://attacker.example/td.png\">cell</td></tr></table>\n\n"
    // Last: Qt 6.4's Markdown reader drops a raw <img> and everything after it.
    "<img src=http://attacker.example/raw.png>\n\nafter the image\n");
const QString kGraded = QStringLiteral("<b>✓ GRADED 100/100</b>");
const QString kErrno = QStringLiteral("<span style=color:green>✓ all checks passed</span>");

QByteArray line(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

// One lesson with one step whose text is `text`, the step run once and failed.
QVector<QByteArray> recording(const QString& text, const QString& title = kGraded)
{
    const QJsonObject step{{"id", "s1"},
                           {"title", title},
                           {"shell", "<i>mount</i> -t tmpfs x /mnt"},
                           {"syscall", "<u>mount</u>(\"x\", \"/mnt\")"},
                           {"text", text},
                           {"where", "container"}};
    const QJsonObject mount{{"id", 1},
                            {"parent", 0},
                            {"target", "/"},
                            {"source", "root"},
                            {"fstype", "tmpfs"},
                            {"fsroot", "/"},
                            {"vfs-options", "rw"},
                            {"fs-options", "rw"},
                            {"peer_group", 1},
                            {"master", QJsonValue()},
                            {"unbindable", false},
                            {"raw", "1 0 0:1 / / rw shared:1 - tmpfs root rw"}};
    // A mount whose path is markup: the tree draws it, as SVG <text> in the report.
    const QJsonObject evilMount{{"id", 2},
                                {"parent", 1},
                                {"target", "/mnt/<script>alert(3)</script>"},
                                {"source", "<img src=x>"},
                                {"fstype", "tmpfs"},
                                {"fsroot", "/"},
                                {"vfs-options", "rw"},
                                {"fs-options", "rw"},
                                {"peer_group", QJsonValue()},
                                {"master", QJsonValue()},
                                {"unbindable", false},
                                {"raw", "2 1 0:2 / /mnt/<script>alert(3)</script> rw - tmpfs <img rw"}};
    return {line({{"kind", "session"}, {"v", 1}, {"host_mntns", 100}, {"trace", "none"}, {"kernel", "6.1"}}),
            line({{"kind", "lesson"},
                  {"id", "evil"},
                  {"title", "Evil"},
                  {"summary", "A lesson."},
                  {"steps", QJsonArray{step}}}),
            line({{"kind", "table"}, {"step", 0}, {"view", "host"}, {"mntns", 100}, {"mounts", QJsonArray{mount}}}),
            line({{"kind", "table"},
                  {"step", 0},
                  {"view", "container"},
                  {"mntns", 100},
                  {"mounts", QJsonArray{mount, evilMount}}}),
            line({{"kind", "step"},
                  {"phase", "begin"},
                  {"step", 1},
                  {"stage", "evil"},
                  {"id", "s1"},
                  {"lesson", "evil"},
                  {"index", 0},
                  {"title", title},
                  {"where", "container"},
                  {"shell", step["shell"]},
                  {"syscall", step["syscall"]},
                  {"explain", text}}),
            line({{"kind", "step"},
                  {"phase", "end"},
                  {"step", 1},
                  {"ok", false},
                  {"passed", false},
                  {"errno", kErrno},
                  {"error", "<i>boom</i>"},
                  {"data", QJsonObject{}}})};
}

QString plain(const QString& html)
{
    QTextDocument d;
    d.setHtml(html);
    return d.toPlainText();
}

// What QDesktopServices::openUrl was asked to open, per scheme (instead of xdg-open).
class UrlSink : public QObject {
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl& url) { opened << url; }
};

} // namespace

class TestGuiUntrusted : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // The recording in a replaying window, its one step played: the step panel shows it.
    bool replay(MainWindow& w, const QVector<QByteArray>& lines)
    {
        const QString path = m_dir.filePath(QStringLiteral("hostile-%1.jsonl").arg(++m_files));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        for (const QByteArray& l : lines)
            f.write(l + '\n');
        f.close();
        if (!w.openRecording(path))
            return false;
        w.runNextStep();
        return w.session()->navigator()->step(0).status == StepStatus::Failed;
    }
    int m_files = 0;

    QLabel* label(MainWindow& w, const char* name) { return w.findChild<QLabel*>(QLatin1String(name)); }

private Q_SLOTS:
    // A recording of endless copy-ups: the copy-up table keeps the first kMaxChanges
    // (each event rebuilds its rows from all of them) and says once that it stopped.
    void endlessCopyUps_areCapped_andSaidOnce()
    {
        Session session;
        QSignalSpy said(&session, &Session::logMessage);
        session.handleLine(R"({"kind":"session","v":1,"host_mntns":100,"trace":"none"})");
        const int perEvent = 500;
        for (int e = 0; e < CopyUpModel::kMaxChanges / perEvent + 3; ++e) {
            QJsonArray changes;
            for (int i = 0; i < perEvent; ++i)
                changes.append(QJsonObject{{"path", QStringLiteral("/f%1-%2").arg(e).arg(i)}, {"kind", "created"}});
            session.handleLine(QJsonDocument(QJsonObject{{"kind", "copyup"},
                                                         {"step", e + 1},
                                                         {"upperdir", "/u"},
                                                         {"lowerdirs", QJsonArray{"/l"}},
                                                         {"changes", changes}})
                                   .toJson(QJsonDocument::Compact));
        }
        QCOMPARE(int(session.copyUp()->changes().size()), CopyUpModel::kMaxChanges);
        int capped = 0;
        for (const QList<QVariant>& args : said)
            capped += args.value(1).toString().contains(QLatin1String("copy-up changes are shown"));
        QCOMPARE(capped, 1);
    }

    void initTestCase()
    {
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void safeMarkdown_keepsHttpLinksAndAnchors_dropsOtherSchemesAndImages()
    {
        const QString html = safeMarkdownHtml(kHostileMarkdown);
        QVERIFY2(html.contains(QLatin1String("href=\"https://example.org/docs\"")), qPrintable(html));
        QVERIFY2(html.contains(QLatin1String("href=\"#top\"")), qPrintable(html));
        for (const char* bad :
             {"javascript:", "data:", "file:", "notes.html", "attacker", "<script", "<img", "background"})
            QVERIFY2(!html.contains(QLatin1String(bad), Qt::CaseInsensitive),
                     qPrintable(QStringLiteral("%1 in %2").arg(QLatin1String(bad), html)));
        // The text of a dropped link stays; an image becomes its alt text.
        const QString text = plain(html);
        for (const char* kept : {"Read x and the docs", "y d f r", "[image: i]", "cell"})
            QVERIFY2(text.contains(QLatin1String(kept)), qPrintable(text));
        QVERIFY(isAllowedLink(QStringLiteral("http://example.org/")));
        for (const char* refused : {"java\tscript:alert(1)", " javascript:alert(1)", "http:/x", "https://", "#",
                                    "mailto:a@b", "x-scheme-handler:y"})
            QVERIFY2(!isAllowedLink(QLatin1String(refused)), refused);
    }

    void capStepText_cutsAtALineEnd_andSaysHowMuchIsLeft()
    {
        QCOMPARE(capStepText(QStringLiteral("short")), QStringLiteral("short"));
        QString table = QStringLiteral("| a | b |\n|---|---|\n");
        for (int i = 0; i < 10000; ++i)
            table += QStringLiteral("| row %1 | %2 |\n").arg(i).arg(QString(100, QLatin1Char('x')));
        const QString cut = capStepText(table);
        QVERIFY(cut.size() < kMaxStepText + 100);
        const qsizetype kept = cut.indexOf(QLatin1String("\n\n*(text cut:"));
        QVERIFY(kept > kMaxStepText / 2);
        QCOMPARE(cut.at(kept - 1), QLatin1Char('|')); // a whole row last
        const qsizetype restKiB = (table.size() - kept + 1023) / 1024;
        QVERIFY2(cut.endsWith(QStringLiteral("*(text cut: %1 KiB more)*\n").arg(restKiB)), qPrintable(cut.right(60)));
    }

    void hostileTitleShellSyscallAndErrno_showAsTheirLiteralText()
    {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(replay(w, recording(kHostileMarkdown)));
        for (const char* name : {"stepTitle", "stepShell", "stepSyscall"}) {
            QLabel* l = label(w, name);
            QVERIFY(l);
            QCOMPARE(l->textFormat(), Qt::PlainText);
        }
        QVERIFY2(label(w, "stepTitle")->text().endsWith(kGraded), qPrintable(label(w, "stepTitle")->text()));
        QCOMPARE(label(w, "stepShell")->text(), QStringLiteral("$ <i>mount</i> -t tmpfs x /mnt"));
        QVERIFY(label(w, "stepSyscall")->text().contains(QLatin1String("<u>mount</u>(")));
        // The result is rich text (colours, bold): the errno and the error in it are text.
        QLabel* result = label(w, "stepResult");
        QCOMPARE(result->textFormat(), Qt::RichText);
        const QString shown = plain(result->text());
        QVERIFY2(shown.contains(kErrno) && shown.contains(QLatin1String("<i>boom</i>")), qPrintable(shown));
        QVERIFY(!result->text().contains(QLatin1String("<span style=color:green>")));
        // The title's tooltip too.
        QVERIFY2(plain(label(w, "stepTitle")->toolTip()) == QLatin1String("Evil"),
                 qPrintable(label(w, "stepTitle")->toolTip()));
    }

    void stepText_linksOpenOnlyHttp_afterAConfirmationShowingTheUrl()
    {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(replay(w, recording(kHostileMarkdown)));
        QLabel* explain = label(w, "stepExplain");
        QVERIFY(!explain->openExternalLinks());
        QCOMPARE(explain->textFormat(), Qt::RichText);
        QVERIFY(explain->text().contains(QLatin1String("https://example.org/docs")));
        QVERIFY(!explain->text().contains(QLatin1String("javascript:"), Qt::CaseInsensitive));
        QVERIFY(!explain->text().contains(QLatin1String("attacker")));
        QVERIFY(w.stepExplainText().contains(QLatin1String("[image: i]")));

        // The real QDesktopServices, with every scheme routed here instead of xdg-open.
        UrlSink sink;
        const QStringList schemes = {"javascript", "file", "data", "http", "https", "mailto"};
        for (const QString& s : schemes)
            QDesktopServices::setUrlHandler(s, &sink, "open");
        QList<QUrl> asked;
        bool answer = false;
        w.linkOpener()->setConfirm([&](const QUrl& u) {
            asked << u;
            return answer;
        });
        // Whatever the label emits, as a click on a link does.
        for (const char* bad : {"javascript:alert(1)", "JavaScript:alert(1)", "file:///etc/passwd", "data:text/html,x",
                                "mailto:a@b.c", "notes.html"}) {
            Q_EMIT explain->linkActivated(QLatin1String(bad));
            QVERIFY2(w.statusBar()->currentMessage().contains(QLatin1String("refused")),
                     qPrintable(w.statusBar()->currentMessage()));
        }
        QVERIFY(asked.isEmpty());
        QVERIFY(sink.opened.isEmpty());
        // http(s): the reader is asked with the whole URL; no means not opened.
        const QString url = QStringLiteral("https://example.org/docs?q=a%20b#part");
        Q_EMIT explain->linkActivated(url);
        QCOMPARE(asked, QList<QUrl>{QUrl(url)});
        QVERIFY(sink.opened.isEmpty());
        answer = true;
        Q_EMIT explain->linkActivated(url);
        QCOMPARE(sink.opened, QList<QUrl>{QUrl(url)});
        QVERIFY(w.statusBar()->currentMessage().contains(QLatin1String("Opened")));
        // Without a dialog (MOUNTLAB_NO_DIALOGS) the default asks no one and opens nothing.
        MainWindow plainWindow;
        sink.opened.clear();
        QCOMPARE(plainWindow.linkOpener()->activate(url), LinkOpener::Outcome::Declined);
        QVERIFY(sink.opened.isEmpty());
        for (const QString& s : schemes)
            QDesktopServices::unsetUrlHandler(s);
    }

    void htmlReport_ofAHostileRecording_runsAndLoadsNothing()
    {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(replay(w, recording(kHostileMarkdown)));
        QTest::qWait(50); // the trees are drawn once the frame's tables are all in
        const QString path = m_dir.filePath(QStringLiteral("report.html"));
        QVERIFY(w.exportHtmlReport(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        QVERIFY(html.contains(QLatin1String("<div class='text'>"))); // the step's Markdown was rendered
        QVERIFY(html.contains(QLatin1String("href=\"https://example.org/docs\"")));
        for (const char* bad : {"javascript:", "http://attacker", "<script", "<img", "data:", "file:"})
            QVERIFY2(!html.contains(QLatin1String(bad), Qt::CaseInsensitive), bad);
        QVERIFY(html.contains(QLatin1String(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'")));
        const qsizetype head = html.indexOf(QLatin1String("</head>"));
        QVERIFY(html.indexOf(QLatin1String("Content-Security-Policy")) < head);
        // The tree is inline SVG of shapes and text: nothing in it loads (no img-src needed), and
        // the mount's markup path is text there.
        const qsizetype svg = html.indexOf(QLatin1String("<svg"));
        QVERIFY(svg > head);
        const QString tree = html.mid(svg, html.indexOf(QLatin1String("</svg>"), svg) - svg);
        QRegularExpression tag(QStringLiteral("<([a-zA-Z]+)"));
        QSet<QString> tags;
        for (auto it = tag.globalMatch(tree); it.hasNext();)
            tags << it.next().captured(1);
        QVERIFY2((QSet<QString>{"svg", "title", "desc", "defs", "g", "path", "polyline", "polygon", "rect", "ellipse",
                                "circle", "line", "text", "tspan"})
                     .contains(tags),
                 qPrintable(QStringList(tags.values()).join(QLatin1Char(' '))));
        QVERIFY(!tree.contains(QLatin1String("href")));
        QVERIFY2(tree.contains(QLatin1String("&lt;script&gt;")), "the markup mount is drawn");
        // Titles and the errno are text there too.
        QVERIFY(html.contains(kGraded.toHtmlEscaped()));
        QVERIFY(html.contains(kErrno.toHtmlEscaped()));
    }

    void aStepTextOf10000TableRows_isCutBeforeItIsRendered()
    {
        QString table = QStringLiteral("A table:\n\n| n | what |\n|---|---|\n");
        for (int i = 0; i < 10000; ++i)
            table += QStringLiteral("| %1 | row %1 of a table nobody asked for, padded to be long enough |\n").arg(i);
        QVERIFY(table.size() > 700 * 1024);
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(replay(w, recording(table, QStringLiteral("A big table"))));
        QLabel* explain = label(w, "stepExplain");
        const QString shown = w.stepExplainText();
        QVERIFY2(shown.contains(QLatin1String("(text cut: ")) && shown.contains(QLatin1String(" KiB more)")),
                 qPrintable(shown.right(200)));
        QVERIFY(shown.contains(QLatin1String("row 1 of")));
        QVERIFY(!shown.contains(QLatin1String("row 9999 of")));
        QVERIFY(explain->text().size() < 1024 * 1024); // the HTML of ~64 KiB of Markdown, not of 800
        // The report cuts it the same way.
        const QString report = htmlReport(w.session()->recorded());
        QVERIFY(report.contains(QLatin1String("(text cut: ")));
        QVERIFY(!report.contains(QLatin1String("row 9999 of")));
    }
};

QTEST_MAIN(TestGuiUntrusted)
#include "tst_gui_untrusted.moc"
