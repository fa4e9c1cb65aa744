// The class summary (core/report/summary.h): counts, statistics, the distribution, what
// the class failed most and why, the submissions not graded; every format valid and
// escaped, the same bytes for the same results in any order.
#include "report/reports.h"
#include "report/summary.h"
#include "testutil.h"
#include "textcheck.h"

#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace mountlab;
using nlohmann::json;

namespace {

lesson::SubmissionResult sub(const std::string& name, const std::string& status, int score,
                             std::vector<lesson::CheckResult> checks, const std::string& error = {})
{
    lesson::SubmissionResult s;
    s.name = name;
    s.file = "/class/" + name;
    s.status = status;
    s.score = score;
    s.max = 10;
    s.seconds = name.size() * 0.37; // durations never reach the summary
    s.checks = std::move(checks);
    s.error = error;
    return s;
}

lesson::CheckResult pass(const std::string& n, int p) { return {n, p, p, true, "", ""}; }
lesson::CheckResult fail(const std::string& n, int p, const std::string& msg)
{
    return {n, 0, p, false, msg, "feedback for " + n};
}

lesson::GradeReport klass()
{
    lesson::GradeReport r;
    r.lesson = "pivot-root";
    r.exercise = "pivot";
    r.title = "A root with nothing above it";
    r.max = 10;
    r.submissions = {
        sub("alice.sh", "passed", 10, {pass("root is overlay", 4), pass("escape fails", 6)}),
        sub("bob.sh", "failed", 4,
            {pass("root is overlay", 4), fail("escape fails", 6, "the escape read /HOST_SECRET")}),
        sub("carol.sh", "failed", 4,
            {pass("root is overlay", 4), fail("escape fails", 6, "the escape read /HOST_SECRET")}),
        sub("dan.sh", "failed", 0,
            {fail("root is overlay", 4, "the root is ext4"), fail("escape fails", 6, "the escape landed on /")}),
        sub("erin.sh", "timeout", 4,
            {pass("root is overlay", 4), fail("escape fails", 6, "the escape read /HOST_SECRET")},
            "the script did not finish"),
        sub("frank.sh", "error", 0, {}, "cannot read `/class/frank.sh`: Is a directory"),
        sub("gina.bin", "failed", 0, {}, "this is a binary (ELF executable), not a shell script (not run)"),
    };
    return r;
}

// Hostile names and findings: controls, invalid UTF-8, markup, formulas, workflow commands.
lesson::GradeReport hostile()
{
    lesson::GradeReport r = klass();
    r.submissions[1].name = "<script>alert(1)</script>\xff\x1b[2J.sh";
    r.submissions[1].checks[1].message = "=HYPERLINK(\"http://x\") </td><script>\n::error::forged \xc3\x28";
    r.submissions[5].name = "::error::\xe9.sh";
    r.submissions[5].error = "cannot read `/class/\xe9.sh`: <b>\"&'";
    return r;
}

} // namespace

class TestClassSummary : public QObject {
    Q_OBJECT
private slots:
    void counts_statistics_and_distribution()
    {
        const report::ClassSummary c = report::summarize(klass());
        QCOMPARE(c.submissions, 7);
        QCOMPARE(c.passed, 1);
        QCOMPARE(c.failed, 4);
        QCOMPARE(c.timeout, 1);
        QCOMPARE(c.error, 1);
        QCOMPARE(c.not_run, 1);
        QCOMPARE(c.graded, 5); // not the error, not the binary
        QCOMPARE(c.mean, 22.0 / 5);
        QCOMPARE(c.median, 4.0);
        QCOMPARE(c.min, 0);
        QCOMPARE(c.max_seen, 10);
        QCOMPARE(c.distribution.size(), size_t(11)); // 0..10, a bar each
        QCOMPARE(c.distribution[0].count, 1);
        QCOMPARE(c.distribution[4].count, 3);
        QCOMPARE(c.distribution[10].count, 1);
        int total = 0;
        for (const auto& b : c.distribution)
            total += b.count;
        QCOMPARE(total, c.graded);
    }

    void wide_scores_are_binned()
    {
        lesson::GradeReport r = klass();
        r.max = 100;
        r.submissions[0].score = 100;
        const report::ClassSummary c = report::summarize(r);
        QCOMPARE(c.distribution.size(), size_t(10));
        QCOMPARE(c.distribution.front().from, 0);
        QCOMPARE(c.distribution.front().to, 10);
        QCOMPARE(c.distribution.back().to, 100);
        QCOMPARE(c.distribution.back().count, 1);
    }

    void checks_most_failed_first_with_what_was_found()
    {
        const report::ClassSummary c = report::summarize(klass());
        QCOMPARE(c.checks.size(), size_t(2));
        QCOMPARE(c.checks[0].name, std::string("escape fails"));
        QCOMPARE(c.checks[0].failed, 4);
        QCOMPARE(c.checks[0].graded, 5);
        QCOMPARE(c.checks[0].messages.size(), size_t(2));
        QCOMPARE(c.checks[0].messages[0].text, std::string("the escape read /HOST_SECRET"));
        QCOMPARE(c.checks[0].messages[0].count, 3);
        QCOMPARE(c.checks[0].feedback, std::string("feedback for escape fails"));
        QCOMPARE(c.checks[1].name, std::string("root is overlay"));
        QCOMPARE(c.checks[1].failed, 1);
        QCOMPARE(c.ungraded.size(), size_t(2));
        QCOMPARE(c.ungraded[0].name, std::string("frank.sh"));
        QCOMPARE(c.ungraded[1].name, std::string("gina.bin"));
    }

    void every_format_says_it()
    {
        const report::ClassSummary c = report::summarize(klass());
        const std::string text = report::render_summary(c, report::SummaryFormat::Text);
        QVERIFY2(text.find("7 submissions: 1 passed, 4 failed, 1 timeout, 1 error; 1 not run") != std::string::npos,
                 text.c_str());
        QVERIFY(text.find("mean 4.4, median 4, lowest 0, highest 10") != std::string::npos);
        QVERIFY(text.find("4 of 5 failed (80%)  escape fails (6 points)") != std::string::npos);
        QVERIFY(text.find("3 × the escape read /HOST_SECRET") != std::string::npos);
        QVERIFY(text.find("feedback: feedback for escape fails") != std::string::npos);
        QVERIFY(text.find("gina.bin  failed: this is a binary (ELF executable)") != std::string::npos);

        const json j = json::parse(report::render_summary(c, report::SummaryFormat::Json));
        QCOMPARE(j["status"]["not_run"].get<int>(), 1);
        QCOMPARE(j["distribution"].size(), size_t(11));
        QCOMPARE(j["checks"][0]["messages"][0]["count"].get<int>(), 3);
        QCOMPARE(j["not_graded"][0]["reason"].get<std::string>(),
                 std::string("cannot read `/class/frank.sh`: Is a directory"));

        const std::string csv = report::render_summary(c, report::SummaryFormat::Csv);
        QVERIFY2(csv.rfind("section,item,count,of,percent,most_common,feedback\n", 0) == 0, csv.c_str());
        QVERIFY(csv.find("\nscore,4,3,5,60%,,\n") != std::string::npos);
        QVERIFY(csv.find("\ncheck,escape fails,4,5,80%,3 × the escape read /HOST_SECRET,feedback for escape fails\n") !=
                std::string::npos);
        QVERIFY(csv.find("\nnot_graded,frank.sh,,,,error: cannot read `/class/frank.sh`: Is a directory,\n") !=
                std::string::npos);

        const std::string page = report::render_summary(c, report::SummaryFormat::Html);
        QVERIFY(page.find("<svg ") != std::string::npos);
        size_t rects = 0;
        for (size_t at = 0; (at = page.find("<rect ", at)) != std::string::npos; ++at)
            ++rects;
        QCOMPARE(rects, size_t(11));
        QVERIFY(page.find("<title>score 4: 3 submissions</title>") != std::string::npos);
        // No script, nothing fetched: the page is self-contained.
        QVERIFY(page.find("<script") == std::string::npos);
        auto count = [&](const std::string& needle) {
            size_t n = 0;
            for (size_t at = 0; (at = page.find(needle, at)) != std::string::npos; ++at)
                ++n;
            return n;
        };
        QCOMPARE(count("http:") + count("https:"),
                 count("http://www.w3.org/2000/svg")); // the SVG namespace, never fetched
        QVERIFY(page.find("src=") == std::string::npos && page.find("href=") == std::string::npos);
        QVERIFY(page.find("default-src 'none'") != std::string::npos);
    }

    void reproducible_whatever_the_order_and_durations()
    {
        lesson::GradeReport a = klass(), b = klass();
        std::reverse(b.submissions.begin(), b.submissions.end());
        for (auto& s : b.submissions) {
            s.seconds *= 7;
            s.memory_peak_mb = 99;
            s.trace = "bpf unavailable";
        }
        for (report::SummaryFormat f : {report::SummaryFormat::Text, report::SummaryFormat::Json,
                                        report::SummaryFormat::Csv, report::SummaryFormat::Html})
            QCOMPARE(report::render_summary(report::summarize(a), f), report::render_summary(report::summarize(b), f));
    }

    void hostile_names_and_findings_are_escaped()
    {
        const report::ClassSummary c = report::summarize(hostile());
        const QByteArray text = QByteArray::fromStdString(report::render_summary(c, report::SummaryFormat::Text));
        QCOMPARE(test::unclean_text(text), QString());
        QVERIFY(text.contains("\\xe9.sh"));
        QVERIFY(!text.contains("\n::error::"));

        const std::string js = report::render_summary(c, report::SummaryFormat::Json);
        json j;
        try {
            j = json::parse(js);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        QCOMPARE(j["not_graded"][0]["name"].get<std::string>(), std::string("::error::\\xe9.sh"));
        QVERIFY(QString::fromUtf8(QByteArray::fromStdString(js)).toUtf8() == QByteArray::fromStdString(js));

        const std::string csv = report::render_summary(c, report::SummaryFormat::Csv);
        QVERIFY(QString::fromUtf8(QByteArray::fromStdString(csv)).toUtf8() == QByteArray::fromStdString(csv));
        // A finding that starts a formula is not one: "1 × =HYPERLINK" starts with a digit,
        // and a cell of its own starting with = is quoted behind a '.
        QCOMPARE(report::csv_field("=1+1"), std::string("'=1+1"));
        QCOMPARE(report::csv_field("a,\"b\""), std::string("\"a,\"\"b\"\"\""));
        QCOMPARE(report::csv_field("two\nlines"), std::string("two\\x0alines"));

        const std::string page = report::render_summary(c, report::SummaryFormat::Html);
        QVERIFY(page.find("<script") == std::string::npos);
        QVERIFY(page.find("</td><script>") == std::string::npos);
        QVERIFY(page.find("&lt;b&gt;&quot;&amp;&#39;") != std::string::npos);
        QVERIFY(QString::fromUtf8(QByteArray::fromStdString(page)).toUtf8() == QByteArray::fromStdString(page));
        // The SVG alone is well-formed XML.
        const size_t s0 = page.find("<svg "), s1 = page.find("</svg>");
        QXmlStreamReader svg(QByteArray::fromStdString(page.substr(s0, s1 + 6 - s0)));
        while (!svg.atEnd())
            svg.readNext();
        QVERIFY2(!svg.hasError(), qPrintable(svg.errorString()));
    }

    void empty_class()
    {
        lesson::GradeReport r = klass();
        r.submissions.clear();
        const report::ClassSummary c = report::summarize(r);
        QCOMPARE(c.graded, 0);
        for (report::SummaryFormat f : {report::SummaryFormat::Text, report::SummaryFormat::Json,
                                        report::SummaryFormat::Csv, report::SummaryFormat::Html})
            QVERIFY(!report::render_summary(c, f).empty());
    }
};

QTEST_GUILESS_MAIN(TestClassSummary)
#include "tst_class_summary.moc"
