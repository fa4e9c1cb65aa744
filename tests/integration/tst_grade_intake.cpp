// The submissions students really send, graded for real in ONE run of `mountlab-cli
// grade` that writes every report format at once (-f text,json,junit,csv,html,classroom,
// gradescope -o STEM): CRLF line endings (graded with them removed, and said), bash
// scripts (#!/bin/bash, #!/usr/bin/env bash, #!/bin/bash -e: run under the lab's bash
// with the shebang's options), a shebang naming what the lab lacks (python3), an ELF
// binary, a script saved as Latin-1 (it runs with its bytes as they are, and the report
// says it is not UTF-8), an empty file, a directory, a missing path, a file root cannot read, a name
// that is not UTF-8, a file over the size limit. Each gets its one-line reason in every
// format, read as its reader would (JSON parsed, JUnit parsed with QXmlStreamReader, CSV
// parsed, HTML escaped), and the other files are graded all the same.
//
// Then the class summary (--summary text,json,csv,html) of a real class, the pivot
// exercise's submissions: graded twice, the same bytes; its counts those of the report.
//
// The lesson is tests/data/lessons/intake.yaml (write /tmp/ok, exit 0: 2 points); the
// text files are in tests/data/submissions/intake/, the others made here.
#include "lesson/grader.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <fcntl.h>
#include <unistd.h>

using namespace mountlab;

namespace {

// The name every report shows for the file `caf\xe9.sh` (Latin-1, not UTF-8): escaped.
const QString kLatin1Name = QStringLiteral("caf\\xe9.sh");

QByteArray file_bytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString html_escaped(QString s)
{
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;");
    return s;
}

// RFC 4180: fields separated by commas, quoted with "" for a quote; rows by newlines.
QList<QStringList> parse_csv(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row << field;
            field.clear();
        } else if (c == '\n') {
            row << field;
            rows << row;
            row.clear();
            field.clear();
        } else {
            field += c;
        }
    }
    return rows;
}

struct Case {
    QString name;   // as every report shows it
    QString status; // passed, failed, error
    int score;
    QStringList why; // what the reason (error or note) says, in every format
};

} // namespace

class TestGradeIntake : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString stem_;
    int exit_code_ = -1;
    QString text_;
    QJsonObject json_;
    QMap<QString, QString> junit_; // submission -> everything its testsuite says
    QMap<QString, QJsonObject> junit_props_;
    QList<QStringList> csv_;
    QString html_;
    QJsonArray classroom_, gradescope_;
    QList<Case> cases_;

    QJsonObject submission(const QString& name) const
    {
        for (const auto& sv : json_["submissions"].toArray())
            if (sv.toObject()["name"].toString() == name)
                return sv.toObject();
        return {};
    }

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(dir_.isValid());
        const QString d = dir_.path();
        const QString data = test::data_path("submissions/intake");
        QStringList files;
        for (const QString& f : QDir(data).entryList(QDir::Files, QDir::Name))
            files << data + "/" + f;
        QCOMPARE(files.size(), 7);
        // Made here: what git or a test runner's arguments could not carry well.
        QVERIFY(QFile::copy(QStringLiteral("/bin/true"), d + "/a.out")); // an ELF executable
        files << d + "/a.out";
        QVERIFY(QDir().mkpath(d + "/dir.sh"));
        files << d + "/dir.sh" << d + "/missing.sh";
        // Unreadable even by root: a write-only sysctl (0200) gives EACCES to a reader.
        files << QStringLiteral("/proc/sys/vm/drop_caches");
        {
            QFile huge(d + "/huge.sh");
            QVERIFY(huge.open(QIODevice::WriteOnly));
            huge.write("#!/bin/sh\n");
            huge.write(QByteArray(2 * 1024 * 1024 - 10, '#'));
        }
        files << d + "/huge.sh";
        {
            const std::string latin1 = d.toStdString() + "/caf\xe9.sh"; // not UTF-8
            const int fd = open(latin1.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            QVERIFY(fd >= 0);
            const char body[] = "#!/bin/sh\necho ok > /tmp/ok\n";
            QVERIFY(write(fd, body, sizeof body - 1) == static_cast<ssize_t>(sizeof body - 1));
            close(fd);
        }

        cases_ = {
            {"crlf.sh", "passed", 2, {"this script has CRLF line endings (4 lines); graded with them removed"}},
            {"bash.sh", "passed", 2, {}},
            {"env-bash.sh", "passed", 2, {}},
            {"bash-e.sh", "failed", 0, {}},
            {"python.sh", "failed", 0, {"names python3, which the lab does not have", "(not run)"}},
            {"latin1.sh",
             "passed",
             2,
             {"the script is not UTF-8 (the first such byte, 0xe9, at byte 15); it ran as it is"}},
            {"empty.sh", "failed", 1, {"the script is empty (0 bytes)"}},
            {"a.out", "failed", 0, {"this is a binary (ELF executable), not a shell script (not run)"}},
            {"dir.sh", "error", 0, {d + "/dir.sh`: it is a directory, not a file (Is a directory)"}},
            {"missing.sh", "error", 0, {d + "/missing.sh`: No such file or directory"}},
            {"drop_caches", "error", 0, {"cannot read `/proc/sys/vm/drop_caches`: Permission denied"}},
            {"huge.sh",
             "failed",
             0,
             {"the file is 2097152 bytes (2.0 MiB); the limit is 1048576 bytes (1.0 MiB) (not run)"}},
            {kLatin1Name, "passed", 2, {}},
        };

        // The Latin-1 name goes through a shell's glob: a QString argument cannot carry it.
        stem_ = d + "/report";
        QStringList args{QStringLiteral("-c"),    QStringLiteral("exec \"$@\" ") + d + "/caf*.sh",
                         QStringLiteral("sh"),    QStringLiteral(MOUNTLAB_CLI),
                         QStringLiteral("grade"), test::data_path("lessons/intake.yaml"),
                         QStringLiteral("-e"),    QStringLiteral("write-ok"),
                         QStringLiteral("-j"),    QStringLiteral("2"),
                         QStringLiteral("-f"),    QStringLiteral("text,json,junit,csv,html,classroom,gradescope"),
                         QStringLiteral("-o"),    stem_};
        args << files;
        QElapsedTimer t;
        t.start();
        const test::ProcessResult r = test::run(QStringLiteral("/bin/sh"), args, {}, 300000);
        qInfo("%d submissions graded in %.2f s (-j 2), 7 formats", static_cast<int>(files.size() + 1),
              t.elapsed() / 1000.0);
        exit_code_ = r.exit_code;
        QVERIFY2(r.exit_code == 1, r.err.constData()); // some failed; not 2: the grader ran

        text_ = QString::fromUtf8(file_bytes(stem_ + ".txt"));
        QJsonParseError perr{};
        json_ = QJsonDocument::fromJson(file_bytes(stem_ + ".json"), &perr).object();
        QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString()));
        QCOMPARE(json_["submissions"].toArray().size(), cases_.size());

        QXmlStreamReader xml(file_bytes(stem_ + ".xml"));
        QString suite;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                const auto a = xml.attributes();
                if (xml.name() == u"testsuite")
                    suite = a.value("name").toString();
                else if (xml.name() == u"property")
                    junit_props_[suite][a.value("name").toString()] = a.value("value").toString();
                else if (xml.name() == u"failure" || xml.name() == u"error")
                    junit_[suite] += a.value("message").toString() + "\n";
                else if (xml.name() == u"system-out")
                    junit_[suite] += xml.readElementText() + "\n";
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));

        csv_ = parse_csv(QString::fromUtf8(file_bytes(stem_ + ".csv")));
        QCOMPARE(csv_.size(), cases_.size() + 1);
        QCOMPARE(csv_[0],
                 (QStringList{"submission", "file", "status", "score", "max_score", "reason", "failed_checks"}));
        html_ = QString::fromUtf8(file_bytes(stem_ + ".html"));
        classroom_ = QJsonDocument::fromJson(file_bytes(stem_ + ".classroom.json"), &perr).array();
        QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString()));
        gradescope_ = QJsonDocument::fromJson(file_bytes(stem_ + ".gradescope.json"), &perr).array();
        QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString()));
    }

    void cleanupTestCase()
    {
        // QDir cannot remove a name that is not UTF-8: by its bytes.
        (void)unlink((dir_.path().toStdString() + "/caf\xe9.sh").c_str());
    }

    // Score and status: the bash scripts ran under bash (busybox sh fails them with
    // "syntax error"), the shebang's -e counted, the CRLF script passed, nothing stopped
    // the grading of the files after a bad one.
    void each_file_is_graded_as_it_should()
    {
        for (const Case& c : cases_) {
            const QJsonObject s = submission(c.name);
            const QString what = c.name + ": " + QString::fromUtf8(QJsonDocument(s).toJson());
            QVERIFY2(!s.isEmpty(), qPrintable(what));
            QVERIFY2(s["status"].toString() == c.status, qPrintable(what));
            QVERIFY2(s["score"].toInt() == c.score, qPrintable(what));
            QVERIFY2(!s["output"].toString().contains("syntax error"), qPrintable(what));
            QVERIFY2(!s["output"].toString().contains("\r"), qPrintable(what));
        }
        QCOMPARE(submission("bash-e.sh")["exit_code"].toInt(), 1);
        // Not run: no check was evaluated, nothing was printed.
        for (const char* n : {"python.sh", "a.out", "huge.sh"}) {
            QVERIFY(submission(n)["checks"].toArray().isEmpty());
            QCOMPARE(submission(n)["output"].toString(), QString());
        }
    }

    void reason_in_every_format_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < cases_.size(); ++i)
            QTest::newRow(qPrintable(cases_[i].name)) << i;
    }

    void reason_in_every_format()
    {
        QFETCH(int, index);
        const Case& c = cases_[index];
        // text: the submission's block, from its name line to the next blank line.
        const qsizetype at = text_.indexOf("\n" + c.name + "  ");
        QVERIFY2(at >= 0, qPrintable(text_));
        const QString block = text_.mid(at, text_.indexOf("\n\n", at + 1) - at);
        QVERIFY2(block.contains(QStringLiteral("%1/2  %2").arg(c.score).arg(c.status)), qPrintable(block));
        // JSON
        const QJsonObject s = submission(c.name);
        const QString json_reason = s["error"].toString() + "\n" + s["note"].toString();
        // JUnit: the submission's failure/error messages, properties and system-out.
        QVERIFY2(junit_props_.contains(c.name), qPrintable(c.name));
        QCOMPARE(junit_props_[c.name]["status"].toString(), c.status);
        const QString junit = junit_[c.name] + "\n" + junit_props_[c.name]["note"].toString();
        // CSV
        QStringList row;
        for (const QStringList& r : csv_)
            if (!r.isEmpty() && r[0] == c.name)
                row = r;
        QCOMPARE(row.size(), 7);
        QCOMPARE(row[2], c.status);
        QCOMPARE(row[3].toInt(), c.score);
        // HTML: the row of the submission.
        const qsizetype hat = html_.indexOf("<td>" + html_escaped(c.name) + "</td>");
        QVERIFY2(hat >= 0, qPrintable(html_));
        const QString hrow = html_.mid(hat, html_.indexOf("</tr>", hat) - hat);
        // Classroom and Gradescope: the submission's entry.
        QString classroom, gradescope;
        for (const auto& v : classroom_)
            if (v.toObject()["submission"].toString() == c.name)
                for (const auto& t : v.toObject()["tests"].toArray())
                    classroom += t.toObject()["message"].toString() + "\n";
        for (const auto& v : gradescope_)
            if (v.toObject()["submission"].toString() == c.name)
                gradescope = v.toObject()["output"].toString();
        for (const QString& why : c.why) {
            QVERIFY2(block.contains(why), qPrintable(why + " not in text:\n" + block));
            QVERIFY2(json_reason.contains(why), qPrintable(why + " not in JSON: " + json_reason));
            QVERIFY2(junit.contains(why), qPrintable(why + " not in JUnit: " + junit));
            QVERIFY2(row[5].contains(why), qPrintable(why + " not in CSV: " + row[5]));
            QVERIFY2(hrow.contains(html_escaped(why)), qPrintable(why + " not in HTML: " + hrow));
            QVERIFY2(classroom.contains(why), qPrintable(why + " not in classroom: " + classroom));
            QVERIFY2(gradescope.contains(why), qPrintable(why + " not in gradescope: " + gradescope));
        }
        if (c.why.isEmpty()) {
            QCOMPARE(s["error"].toString(), QString());
            QCOMPARE(s["note"].toString(), QString());
            QCOMPARE(row[5], QString());
        }
    }

    // A name that is not UTF-8: escaped (\xe9) the same way in every format, the JSON valid
    // (parsed above), the JUnit XML well-formed (parsed above), the path whole in `file`.
    void a_name_that_is_not_utf8_is_escaped_everywhere()
    {
        const QJsonObject s = submission(kLatin1Name);
        QVERIFY(s["file"].toString().endsWith("/" + kLatin1Name));
        QVERIFY(text_.contains("\n" + kLatin1Name + "  2/2  passed"));
        QVERIFY(junit_props_.contains(kLatin1Name));
        QVERIFY(html_.contains("<td>" + kLatin1Name + "</td>"));
        for (const QByteArray& f :
             {QByteArray(".txt"), QByteArray(".json"), QByteArray(".xml"), QByteArray(".csv"), QByteArray(".html"),
              QByteArray(".classroom.json"), QByteArray(".gradescope.json")}) {
            const QByteArray bytes = file_bytes(stem_ + QString::fromLatin1(f));
            QVERIFY2(!bytes.isEmpty(), f.constData());
            QVERIFY2(QString::fromUtf8(bytes).toUtf8() == bytes, f.constData()); // valid UTF-8 throughout
            QVERIFY2(!bytes.contains("\xe9.sh"), f.constData());
        }
        QVERIFY(!html_.contains("<script", Qt::CaseInsensitive));
    }

    // The interpreter each shebang gets (read_submission, before anything runs).
    void shebangs_data()
    {
        QTest::addColumn<QByteArray>("first_line");
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<QString>("said"); // in the note or the refusal
        QTest::newRow("none") << QByteArray("echo hi") << QStringList{"sh"} << QString();
        QTest::newRow("sh") << QByteArray("#!/bin/sh") << QStringList{"/bin/sh"} << QString();
        QTest::newRow("space") << QByteArray("#! /bin/sh -eu") << QStringList{"/bin/sh", "-eu"} << QString();
        QTest::newRow("bash") << QByteArray("#!/usr/bin/bash") << QStringList{"/bin/bash"} << QString();
        QTest::newRow("bash -e -u") << QByteArray("#!/bin/bash -e -u") << QStringList{"/bin/bash", "-e", "-u"}
                                    << QString();
        QTest::newRow("env bash") << QByteArray("#!/usr/bin/env bash") << QStringList{"/bin/bash"} << QString();
        QTest::newRow("env -S bash -e") << QByteArray("#!/usr/bin/env -S bash -e") << QStringList{"/bin/bash", "-e"}
                                        << QString();
        QTest::newRow("homebrew bash")
            << QByteArray("#!/opt/homebrew/bin/bash") << QStringList{"/bin/bash"}
            << QStringLiteral("the shebang names /opt/homebrew/bin/bash; the lab has /bin/bash, which ran it");
        QTest::newRow("zsh") << QByteArray("#!/bin/zsh") << QStringList{}
                             << QStringLiteral("names zsh, which the lab does not have");
        QTest::newRow("env -i") << QByteArray("#!/usr/bin/env -i bash") << QStringList{}
                                << QStringLiteral("runs env with `-i`, which the grader does not follow");
        QTest::newRow("crlf bash") << QByteArray("#!/bin/bash\r") << QStringList{"/bin/bash"}
                                   << QStringLiteral("CRLF line endings");
    }

    void shebangs()
    {
        QFETCH(QByteArray, first_line);
        QFETCH(QStringList, argv);
        QFETCH(QString, said);
        QTemporaryDir d;
        QFile f(d.path() + "/s.sh");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(first_line + "\n" + (first_line.endsWith('\r') ? "echo hi\r\n" : "echo hi\n"));
        f.close();
        const lesson::Intake in = lesson::read_submission(f.fileName().toStdString());
        QStringList got;
        for (const std::string& a : in.argv)
            got << QString::fromStdString(a);
        QVERIFY(in.error.empty());
        if (argv.isEmpty()) {
            QVERIFY2(QString::fromStdString(in.refused).contains(said), in.refused.c_str());
            return;
        }
        QVERIFY2(in.refused.empty(), in.refused.c_str());
        QCOMPARE(got, argv);
        if (said.isEmpty())
            QCOMPARE(QString::fromStdString(in.note), QString());
        else
            QVERIFY2(QString::fromStdString(in.note).contains(said), in.note.c_str());
        QVERIFY(in.script.find('\r') == std::string::npos);
    }

    // The teacher's summary of tests/data/submissions/pivot-root/pivot/*.sh, graded twice.
    void class_summary_of_the_pivot_exercise()
    {
        const QString pivot = test::data_path("submissions/pivot-root/pivot");
        QStringList files;
        for (const QString& f : QDir(pivot).entryList({QStringLiteral("*.sh")}, QDir::Files, QDir::Name))
            files << pivot + "/" + f;
        QVERIFY(files.size() >= 3);
        QMap<QString, QByteArray> first;
        for (int round = 0; round < 2; ++round) {
            const QString stem = dir_.path() + QStringLiteral("/pivot-%1").arg(round);
            QElapsedTimer t;
            t.start();
            const test::ProcessResult r = test::run(
                QStringLiteral(MOUNTLAB_CLI),
                QStringList{"grade", "pivot-root", "-e", "pivot", "-j", "2", "-f", "json", "-o", stem + ".json",
                            "--summary", "text,json,csv,html", "--summary-out", stem + ".summary"} +
                    files,
                {}, 300000);
            qInfo("round %d: %lld submissions graded, the report and 4 summaries written in %.2f s", round + 1,
                  static_cast<long long>(files.size()), t.elapsed() / 1000.0);
            QVERIFY2(r.exit_code == 0 || r.exit_code == 1, r.err.constData());
            QMap<QString, QByteArray> now;
            for (const char* ext : {"txt", "json", "csv", "html"})
                now[ext] = file_bytes(stem + ".summary." + ext);
            if (round == 0) {
                first = now;
                continue;
            }
            for (const auto& [ext, bytes] : now.asKeyValueRange()) {
                QVERIFY2(!bytes.isEmpty(), qPrintable(ext));
                QVERIFY2(bytes == first[ext], qPrintable("the " + ext + " summary differs between two gradings"));
            }
            // Its counts are the report's.
            const QJsonObject rep = QJsonDocument::fromJson(file_bytes(stem + ".json")).object();
            const QJsonObject sum = QJsonDocument::fromJson(now["json"]).object();
            const QJsonArray subs = rep["submissions"].toArray();
            QCOMPARE(sum["submissions"].toInt(), subs.size());
            int passed = 0, hist = 0;
            QMap<QString, int> failed;
            for (const auto& sv : subs) {
                passed += sv.toObject()["status"].toString() == "passed";
                for (const auto& cv : sv.toObject()["checks"].toArray())
                    failed[cv.toObject()["name"].toString()] += !cv.toObject()["passed"].toBool();
            }
            QCOMPARE(sum["status"].toObject()["passed"].toInt(), passed);
            for (const auto& b : sum["distribution"].toArray())
                hist += b.toObject()["count"].toInt();
            QCOMPARE(hist, sum["score"].toObject()["graded"].toInt());
            QCOMPARE(sum["checks"].toArray().size(), failed.size());
            int last = 1 << 30;
            for (const auto& cv : sum["checks"].toArray()) {
                const QJsonObject c = cv.toObject();
                QCOMPARE(c["failed"].toInt(), failed[c["name"].toString()]);
                QVERIFY(c["failed"].toInt() <= last); // most failed first
                last = c["failed"].toInt();
                if (c["failed"].toInt() > 0) {
                    QVERIFY(!c["messages"].toArray().isEmpty());
                    QVERIFY(!c["feedback"].toString().isEmpty());
                }
            }
            // The page: a histogram with a bar per score, no script, nothing external.
            const QString page = QString::fromUtf8(now["html"]);
            QCOMPARE(page.count("<rect "), sum["distribution"].toArray().size());
            QVERIFY(!page.contains("<script", Qt::CaseInsensitive));
            QVERIFY(!page.contains("src=") && !page.contains("href="));
            const QList<QStringList> csv = parse_csv(QString::fromUtf8(now["csv"]));
            QCOMPARE(csv[0], (QStringList{"section", "item", "count", "of", "percent", "most_common", "feedback"}));
            int check_rows = 0;
            for (const QStringList& row : csv)
                check_rows += row.value(0) == "check";
            QCOMPARE(check_rows, failed.size());
            QVERIFY(QString::fromUtf8(now["txt"]).contains("score distribution"));
        }
    }
};

QTEST_GUILESS_MAIN(TestGradeIntake)
#include "tst_grade_intake.moc"
