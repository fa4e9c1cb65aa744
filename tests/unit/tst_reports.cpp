// Grading reports in the shapes their readers expect.
#include "report/reports.h"
#include "testutil.h"
#include "textcheck.h"

#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

using namespace mountlab;
using nlohmann::json;

namespace {
lesson::GradeReport sample()
{
    lesson::GradeReport r;
    r.lesson = "pivot-root";
    r.exercise = "no-escape";
    r.title = "A root with nothing above it";
    r.max = 10;
    lesson::SubmissionResult good;
    good.name = "alice.sh";
    good.status = "passed";
    good.score = 10;
    good.max = 10;
    good.seconds = 0.05;
    good.checks = {{"the root is overlay", 4, 4, true, "", ""}, {"the escape fails", 6, 6, true, "", ""}};
    lesson::SubmissionResult bad;
    bad.name = "bob <&> \"x\".sh";
    bad.status = "failed";
    bad.score = 4;
    bad.max = 10;
    bad.output = "weird \x01 byte";
    bad.checks = {
        {"the root is overlay", 4, 4, true, "", ""},
        {"the escape fails", 0, 6, false, "the escape read /HOST_SECRET", "chroot only changes one process's root"}};
    r.submissions = {good, bad};
    return r;
}

// What a hostile script prints, and a hostile file name: terminal controls (clear,
// OSC title, OSC 52 clipboard), NUL, C1 CSI, invalid UTF-8, GitHub workflow commands.
const std::string kEvil = std::string("out\x1b[2J\x1b[H\x1b]0;evil-title\x07\x1b]52;c;ZXZpbA==\x07 NUL:[") + '\0' +
                          "] C1:[\xc2\x9b] bad:[\xff\xfe]\n::error::forged annotation\n  ::add-mask::x\r\n"
                          "\xe2\x80\x83::stop-commands::t\nü → ok";

lesson::GradeReport hostile()
{
    lesson::GradeReport r = sample();
    lesson::SubmissionResult& s = r.submissions[1];
    s.name = "::error::name\x1b[31m\xff.sh";
    s.file = "/subs/" + s.name;
    s.output = kEvil;
    s.checks[1].name = "::warning::check \x1b]0;t\x07";
    s.checks[1].message = "the output is `" + kEvil + "`";
    s.checks[1].feedback = "::notice::feedback\n::error::line two";
    lesson::SubmissionResult e = s;
    e.name = "\xe2\x80\x83::error::err.sh";
    e.status = "error";
    e.error = "::error::the sandbox said\n::error::" + kEvil;
    r.submissions.push_back(e);
    return r;
}
} // namespace

class TestReports : public QObject {
    Q_OBJECT
private slots:
    void junit_isWellFormedAndCounts()
    {
        const std::string xml = report::render(sample(), report::Format::Junit);
        QXmlStreamReader reader(QByteArray::fromStdString(xml));
        int testcases = 0, failures = 0, suites = 0;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement()) {
                suites += reader.name() == u"testsuite";
                testcases += reader.name() == u"testcase";
                failures += reader.name() == u"failure";
            }
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(suites, 2);
        QCOMPARE(testcases, 4);
        QCOMPARE(failures, 1);
        QVERIFY(xml.find("tests=\"4\" failures=\"1\"") != std::string::npos);
        QVERIFY(xml.find("bob &lt;&amp;&gt; &quot;x&quot;.sh") != std::string::npos);
    }

    void classroom_hasTestsAndMaxScore()
    {
        lesson::GradeReport r = sample();
        r.submissions.resize(1);
        const json j = json::parse(report::render(r, report::Format::Classroom));
        QCOMPARE(j["max_score"].get<int>(), 10);
        QCOMPARE(j["tests"].size(), size_t(2));
        for (const auto& t : j["tests"]) {
            QVERIFY(t.contains("name") && t.contains("status") && t.contains("score") && t.contains("message"));
            QCOMPARE(t["status"].get<std::string>(), std::string("pass"));
        }
        const json many = json::parse(report::render(sample(), report::Format::Classroom));
        QVERIFY(many.is_array());
        QCOMPARE(many[1]["tests"][1]["status"].get<std::string>(), std::string("fail"));
        QVERIFY(many[1]["tests"][1]["message"].get<std::string>().find("chroot only changes") != std::string::npos);
    }

    void gradescope_resultsJson()
    {
        lesson::GradeReport r = sample();
        r.submissions.erase(r.submissions.begin());
        const json j = json::parse(report::render(r, report::Format::Gradescope));
        QCOMPARE(j["score"].get<int>(), 4);
        QCOMPARE(j["tests"].size(), size_t(2));
        QCOMPARE(j["tests"][1]["max_score"].get<int>(), 6);
        QCOMPARE(j["tests"][1]["status"].get<std::string>(), std::string("failed"));
        QVERIFY(j.contains("execution_time"));
        QVERIFY(j["output"].get<std::string>().find("weird") != std::string::npos);
    }

    void text_showsPointsAndFeedback()
    {
        const std::string t = report::render(sample(), report::Format::Text);
        QVERIFY(t.find("alice.sh  10/10  passed") != std::string::npos);
        QVERIFY(t.find("0/6: the escape read /HOST_SECRET") != std::string::npos);
        QVERIFY(t.find("chroot only changes one process's root") != std::string::npos);
        QVERIFY(t.find("1 of 2 submissions passed") != std::string::npos);
    }

    void text_hostileOutputAndNames_areEscapedAndQuoted()
    {
        const QByteArray t = QByteArray::fromStdString(report::render(hostile(), report::Format::Text));
        QCOMPARE(test::unclean_text(t), QString());
        // Still readable: the escapes and the student's lines are there, behind "| ".
        QVERIFY2(t.contains("out\\x1b[2J\\x1b[H\\x1b]0;evil-title\\x07"), t.constData());
        QVERIFY(t.contains("NUL:[\\x00] C1:[\\xc2\\x9b] bad:[\\xff\\xfe]"));
        QVERIFY(t.contains("\n      | ::error::forged annotation\n"));
        QVERIFY(t.contains("ü → ok"));
        QVERIFY(t.contains("\\x3a:error::name\\x1b[31m\\xff.sh"));
        // The colour of a terminal is ours only.
        QVERIFY(!report::render(hostile(), report::Format::Text, true).empty());
        const QByteArray colored = QByteArray::fromStdString(report::render(hostile(), report::Format::Text, true));
        QVERIFY(!colored.contains("\x1b[2J") && !colored.contains("\x1b]"));
    }

    // What the grader noticed (note) and why a file was not run (a failed submission
    // without checks) reach every format, CSV and HTML included.
    void noteAndNotRun_inEveryFormat()
    {
        lesson::GradeReport r = sample();
        r.submissions[0].note = "this script has CRLF line endings (3 lines); graded with them removed";
        lesson::SubmissionResult bin;
        bin.name = "=cmd|' /C calc'!A0.sh";
        bin.status = "failed";
        bin.max = 10;
        bin.error = "this is a binary (ELF executable), not a shell script (not run)";
        r.submissions.push_back(bin);
        for (report::Format f : {report::Format::Text, report::Format::Json, report::Format::Junit, report::Format::Csv,
                                 report::Format::Html, report::Format::Classroom, report::Format::Gradescope}) {
            const std::string out = report::render(r, f);
            QVERIFY2(out.find("graded with them removed") != std::string::npos, out.c_str());
            QVERIFY2(out.find("this is a binary (ELF executable), not a shell script") != std::string::npos,
                     out.c_str());
        }
        const std::string csv = report::render(r, report::Format::Csv);
        QVERIFY2(csv.find("\n\"'=cmd|' /C calc'!A0.sh\",") != std::string::npos ||
                     csv.find("\n'=cmd|' /C calc'!A0.sh,") != std::string::npos,
                 csv.c_str()); // a formula is not one
        const std::string xml = report::render(r, report::Format::Junit);
        QXmlStreamReader reader(QByteArray::fromStdString(xml));
        int failures = 0;
        while (!reader.atEnd()) {
            reader.readNext();
            failures += reader.isStartElement() && reader.name() == u"failure";
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(failures, 2); // bob's check, and the binary that was not run
        const std::string page = report::render(hostile(), report::Format::Html);
        QVERIFY(page.find("<script") == std::string::npos);
        QVERIFY(page.find("\\xff.sh") != std::string::npos);
        QVERIFY(QString::fromUtf8(QByteArray::fromStdString(page)).toUtf8() == QByteArray::fromStdString(page));
    }

    void machineFormats_stayValidWithHostileBytes()
    {
        const lesson::GradeReport r = hostile();
        for (report::Format f : {report::Format::Json, report::Format::Classroom, report::Format::Gradescope}) {
            const std::string text = report::render(r, f);
            json j;
            try {
                j = json::parse(text);
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
            QVERIFY(!j.empty());
        }
        const json j = json::parse(report::render(r, report::Format::Json));
        QVERIFY(j["submissions"][1]["output"].get<std::string>().find("::error::forged") != std::string::npos);
        const std::string xml = report::render(r, report::Format::Junit);
        QXmlStreamReader reader(QByteArray::fromStdString(xml));
        while (!reader.atEnd())
            reader.readNext();
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
