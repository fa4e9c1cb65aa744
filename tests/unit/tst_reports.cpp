// Grading reports in the shapes their readers expect.
#include "report/reports.h"
#include "testutil.h"

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
    bad.checks = {{"the root is overlay", 4, 4, true, "", ""},
                  {"the escape fails", 0, 6, false, "the escape read /HOST_SECRET", "chroot only changes one process's root"}};
    r.submissions = {good, bad};
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
};

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
