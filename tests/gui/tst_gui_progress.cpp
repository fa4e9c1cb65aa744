// The progress store (app/gui/models/progress.h): what the learner did, kept across
// restarts in one JSON file. Fed events as the agent sends them; the file is read back
// as a second store (a restart) and as JSON; a corrupt file is moved aside and said; the
// file on disk is always whole; the bounds hold; an exported script is graded by
// mountlab-cli grade.
#include "agentdriver.h"
#include "mainwindow.h"
#include "navigatormodel.h"
#include "progress.h"
#include "session.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace mountlab::gui;

namespace {

const char* const kLesson = "{\"kind\":\"lesson\",\"id\":\"propagation\",\"title\":\"Propagation\",\"steps\":["
                            "{\"id\":\"leak\",\"title\":\"A mount leaks\"},{\"id\":\"private\",\"title\":\"Private\"}],"
                            "\"exercises\":[]}";

QJsonObject obj(const QByteArray& json) { return QJsonDocument::fromJson(json).object(); }

QJsonObject begin(int step, const QString& lesson, int index, const QString& id)
{
    return QJsonObject{{"kind", "step"}, {"phase", "begin"}, {"step", step},   {"stage", "propagation"},
                       {"id", id},       {"lesson", lesson}, {"index", index}, {"where", "container"}};
}
QJsonObject resetLab(int step)
{
    return QJsonObject{{"kind", "step"}, {"phase", "begin"},  {"step", step},
                       {"stage", "lab"}, {"id", "reset-lab"}, {"where", "lab"}};
}
QJsonObject end(int step, bool passed)
{
    return QJsonObject{{"kind", "step"}, {"phase", "end"}, {"step", step}, {"ok", true}, {"passed", passed}};
}
QJsonObject practice(bool active, const QString& lesson = "bind-mounts", const QString& exercise = "leaky-volume")
{
    QJsonObject e{{"kind", "practice"}, {"active", active}, {"reason", active ? "start" : "stop"}};
    if (active) {
        e.insert("lesson", lesson);
        e.insert("exercise", exercise);
    }
    return e;
}
QJsonObject command(const QString& text, int exit = 0, const QString& where = "container", bool nested = false)
{
    return QJsonObject{{"kind", "command"}, {"terminal", 1}, {"where", where},          {"n", 1},
                       {"text", text},      {"exit", exit},  {"level", nested ? 2 : 1}, {"nested", nested}};
}
QJsonObject grade(const QString& script, int score, const QString& status = "failed")
{
    return QJsonObject{{"kind", "practice-grade"},
                       {"lesson", "bind-mounts"},
                       {"exercise", "leaky-volume"},
                       {"script", script},
                       {"result", QJsonObject{{"status", status}, {"score", score}, {"max_score", 10}}}};
}

QJsonObject readFile(const QString& path, bool* ok = nullptr)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (ok)
            *ok = false;
        return {};
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (ok)
        *ok = error.error == QJsonParseError::NoError && doc.isObject();
    return doc.object();
}

// good.sh's commands (no shebang, no comments), as Submit sends them: a bash script.
QString goodScript()
{
    QFile f(mountlab::test::data_path("submissions/bind-mounts/leaky-volume/good.sh"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QString script = QStringLiteral("#!/bin/bash\n");
    for (const QString& line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty() && !line.startsWith(QLatin1Char('#')))
            script += line + QLatin1Char('\n');
    return script;
}

// A progress file as an earlier session left it: the lesson finished, its first step
// passed, its exercise graded 8/10 in two attempts with two hints.
void writeEarlierProgress(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(R"({"format":"mountlab-progress","version":1,"lessons":{"propagation":{"finished":true,
      "finished_at":"2026-11-30T10:00:00.000Z","steps":{"0":{"id":"leak","tried":2,"passed":true}}}},
      "exercises":{"propagation/stop-leak":{"lesson":"propagation","exercise":"stop-leak","best":8,"max":10,
      "hints":2,"attempts":[{"score":3,"max":10,"status":"failed","script":"true"},
      {"score":8,"max":10,"status":"failed","script":"true"}]}}})");
}

const char* const kLessonWithExercise =
    "{\"kind\":\"lesson\",\"id\":\"propagation\",\"title\":\"Propagation\",\"steps\":["
    "{\"id\":\"leak\",\"title\":\"A mount leaks\"},{\"id\":\"private\",\"title\":\"Private\"}],"
    "\"exercises\":[{\"id\":\"stop-leak\",\"title\":\"Stop the leak\",\"points\":10}]}";

} // namespace

class TestGuiProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void steps_areKeptByIndexAndId_andALessonIsFinishedWhenAllPassInOneLab()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("sub/progress.json");
        Progress p(path);
        p.load();
        p.handleEvent(obj(kLesson));
        p.handleEvent(resetLab(1));
        p.handleEvent(end(1, true)); // not a lesson's step: nothing kept
        p.handleEvent(begin(2, "propagation", 0, "leak"));
        p.handleEvent(end(2, false));
        p.handleEvent(begin(3, "propagation", 0, "leak"));
        p.handleEvent(end(3, true));
        // A fresh lab: step 1 passing there does not finish the lesson.
        p.handleEvent(resetLab(4));
        p.handleEvent(end(4, true));
        p.handleEvent(begin(5, "propagation", 1, "private"));
        p.handleEvent(end(5, true));
        QVERIFY(!p.lessonFinished("propagation"));
        p.flush();
        bool ok = false;
        QJsonObject file = readFile(path, &ok);
        QVERIFY(ok);
        QCOMPARE(file.value("format").toString(), QStringLiteral("mountlab-progress"));
        QCOMPARE(file.value("version").toInt(), Progress::kFormatVersion);
        QJsonObject lesson = file.value("lessons").toObject().value("propagation").toObject();
        QJsonObject steps = lesson.value("steps").toObject();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps.value("0").toObject().value("id").toString(), QStringLiteral("leak"));
        QCOMPARE(steps.value("0").toObject().value("tried").toInt(), 2);
        QVERIFY(steps.value("0").toObject().value("passed").toBool());
        QCOMPARE(steps.value("1").toObject().value("id").toString(), QStringLiteral("private"));
        QVERIFY(!lesson.value("finished").toBool());
        // Both steps in one lab: finished.
        p.handleEvent(begin(6, "propagation", 0, "leak"));
        p.handleEvent(end(6, true));
        QVERIFY(p.lessonFinished("propagation"));
        p.flush();
        lesson = readFile(path).value("lessons").toObject().value("propagation").toObject();
        QVERIFY(lesson.value("finished").toBool());
        QVERIFY(!lesson.value("finished_at").toString().isEmpty());
    }

    void practice_keepsCommandsAttemptsBestAndHints_andARestartSeesThem()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.json");
        {
            Progress p(path);
            p.load();
            p.handleEvent(command("ls /")); // no practice: a lesson's terminal, not kept
            p.handleEvent(practice(true));
            p.handleEvent(command("umount /srv/data"));
            p.handleEvent(command("bash", 0, "container", true));
            p.handleEvent(command("false", 1));
            p.handleEvent(grade("#!/bin/bash\numount /srv/data\n", 4));
            p.handleEvent(grade("#!/bin/bash\ntrue\n", 2));
            p.recordHint("bind-mounts", "leaky-volume", 2);
            p.recordHint("bind-mounts", "leaky-volume", 1); // fewer: the most stays
            p.handleEvent(practice(false));
            p.handleEvent(command("after the practice"));
            QCOMPARE(p.exerciseBest("bind-mounts", "leaky-volume"), 4);
        } // destroyed: the pending change is written
        bool ok = false;
        const QJsonObject file = readFile(path, &ok);
        QVERIFY(ok);
        const QJsonObject ex = file.value("exercises").toObject().value("bind-mounts/leaky-volume").toObject();
        const QJsonArray commands = ex.value("commands").toArray();
        QCOMPARE(commands.size(), 3);
        QCOMPARE(commands.at(0).toObject().value("text").toString(), QStringLiteral("umount /srv/data"));
        QCOMPARE(commands.at(2).toObject().value("exit").toInt(), 1);
        QVERIFY(!commands.at(2).toObject().value("time").toString().isEmpty());
        QCOMPARE(ex.value("attempts").toArray().size(), 2);
        QCOMPARE(ex.value("best").toInt(), 4);
        QCOMPARE(ex.value("hints").toInt(), 2);

        Progress restarted(path);
        restarted.load();
        QCOMPARE(restarted.exerciseBest("bind-mounts", "leaky-volume"), 4);
        const QJsonArray tries = restarted.attempts("bind-mounts", "leaky-volume");
        QCOMPARE(tries.size(), 2);
        QCOMPARE(tries.at(0).toObject().value("score").toInt(), 4);
        QCOMPARE(tries.at(0).toObject().value("max").toInt(), 10);
        QCOMPARE(tries.at(1).toObject().value("status").toString(), QStringLiteral("failed"));
        QCOMPARE(restarted.exerciseState("bind-mounts", "leaky-volume").value("hints").toInt(), 2);
        QCOMPARE(restarted.exerciseBest("bind-mounts", "other"), -1);
        // The last graded script is what is handed in.
        QCOMPARE(restarted.scriptFor("bind-mounts", "leaky-volume"), QStringLiteral("#!/bin/bash\ntrue\n"));
    }

    void ungraded_handsInTheTopLevelContainerCommands()
    {
        QTemporaryDir dir;
        Progress p(dir.filePath("progress.json"));
        p.handleEvent(practice(true, "overlay", "whiteout"));
        p.handleEvent(command("mkdir /x"));
        p.handleEvent(command("cat /etc/hostname", 0, "host"));
        p.handleEvent(command("exit", 0, "container", true));
        p.handleEvent(command("rm /x"));
        QCOMPARE(p.scriptFor("overlay", "whiteout"), QStringLiteral("#!/bin/bash\nmkdir /x\nrm /x\n"));
        QVERIFY(p.scriptFor("overlay", "none").isEmpty());
    }

    void theSessionFeedsIt_throughItsEventStream()
    {
        QTemporaryDir dir;
        Session s;
        Progress p(dir.filePath("progress.json"));
        connect(&s, &Session::eventSeen, &p, &Progress::handleEvent);
        s.handleLine(kLesson);
        s.handleLine(QJsonDocument(begin(1, "propagation", 1, "private")).toJson(QJsonDocument::Compact));
        s.handleLine(QJsonDocument(end(1, true)).toJson(QJsonDocument::Compact));
        QCOMPARE(p.lessonState("propagation").value("steps").toObject().value("1").toObject().value("id").toString(),
                 QStringLiteral("private"));
    }

    void aCorruptFile_isMovedAside_saidAndAFreshStoreStarts_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("not JSON") << QByteArray("{\"format\":\"mountlab-progress\",\"version\":1,\"lessons\":{");
        QTest::newRow("unknown version") << QByteArray("{\"format\":\"mountlab-progress\",\"version\":99}");
        QTest::newRow("not an object") << QByteArray("[1,2]");
    }
    void aCorruptFile_isMovedAside_saidAndAFreshStoreStarts()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        Progress p(path);
        QSignalSpy warned(&p, &Progress::warning);
        p.load();
        QCOMPARE(warned.size(), 1);
        const QStringList aside = QDir(dir.path()).entryList({"progress.json.bad-*"}, QDir::Files);
        QCOMPARE(aside.size(), 1);
        QVERIFY(warned.front().front().toString().contains(aside.front()));
        QFile bad(dir.filePath(aside.front()));
        QVERIFY(bad.open(QIODevice::ReadOnly));
        QCOMPARE(bad.readAll(), content); // nothing lost: the old file is kept whole
        QVERIFY(!QFile::exists(path));
        QVERIFY(p.exerciseKeys().isEmpty());
        p.recordHint("a", "b", 1);
        p.flush();
        bool ok = false;
        QCOMPARE(readFile(path, &ok).value("exercises").toObject().keys(), QStringList{"a/b"});
        QVERIFY(ok);
    }

    // Each save replaces the file by a rename (a new inode: never rewritten in place),
    // leaves no temp file, and coalesces a burst of changes into one write.
    void saves_areAtomicAndCoalesced()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.json");
        Progress p(path);
        p.load();
        QSignalSpy saved(&p, &Progress::saved);
        QVector<ino_t> inodes;
        int valid = 0;
        connect(&p, &Progress::saved, this, [&] {
            bool ok = false;
            readFile(path, &ok);
            valid += ok;
            struct stat st {};
            if (::stat(QFile::encodeName(path).constData(), &st) == 0)
                inodes << st.st_ino;
        });
        QElapsedTimer clock;
        clock.start();
        p.handleEvent(practice(true));
        for (int i = 0; i < 30; ++i)
            p.handleEvent(command(QStringLiteral("echo %1").arg(i)));
        QCOMPARE(saved.size(), 0); // not written per event
        QVERIFY(saved.wait(2000));
        QVERIFY(clock.elapsed() >= Progress::kSaveDelayMs - 50);
        QTest::qWait(Progress::kSaveDelayMs + 200);
        QCOMPARE(saved.size(), 1); // the burst: one write
        for (int round = 0; round < 3; ++round) {
            p.handleEvent(command(QStringLiteral("round %1").arg(round)));
            QVERIFY(saved.wait(2000));
        }
        QCOMPARE(valid, saved.size());
        QCOMPARE(inodes.size(), 4);
        for (int i = 1; i < inodes.size(); ++i)
            QVERIFY2(inodes[i] != inodes[i - 1], "the file was rewritten in place, not replaced");
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"progress.json"});
        QCOMPARE(readFile(path)
                     .value("exercises")
                     .toObject()
                     .value("bind-mounts/leaky-volume")
                     .toObject()
                     .value("commands")
                     .toArray()
                     .size(),
                 33);
    }

    void theBoundsHold()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.json");
        Progress p(path);
        p.handleEvent(practice(true));
        for (int i = 0; i < Progress::kMaxCommands + 50; ++i)
            p.handleEvent(command(QStringLiteral("echo %1").arg(i)));
        for (int i = 0; i < Progress::kMaxAttempts + 10; ++i)
            p.handleEvent(grade(QStringLiteral("#!/bin/bash\necho %1\n").arg(i), i % 10));
        p.handleEvent(command(QString(Progress::kMaxCommandChars * 2, QLatin1Char('x'))));
        p.handleEvent(grade(QString(Progress::kMaxScriptChars * 2, QLatin1Char('y')), 0));
        p.flush();
        const QJsonObject ex =
            readFile(path).value("exercises").toObject().value("bind-mounts/leaky-volume").toObject();
        const QJsonArray commands = ex.value("commands").toArray();
        QCOMPARE(commands.size(), Progress::kMaxCommands);
        QCOMPARE(commands.at(0).toObject().value("text").toString(), QStringLiteral("echo 51")); // the oldest went
        QCOMPARE(commands.last().toObject().value("text").toString().size(), Progress::kMaxCommandChars);
        const QJsonArray tries = ex.value("attempts").toArray();
        QCOMPARE(tries.size(), Progress::kMaxAttempts);
        QCOMPARE(tries.at(0).toObject().value("script").toString(), QStringLiteral("#!/bin/bash\necho 11\n"));
        QCOMPARE(tries.last().toObject().value("script").toString().size(), Progress::kMaxScriptChars);
        QCOMPARE(ex.value("best").toInt(), 9);
    }

    void export_writesScriptsThatGradeAccepts()
    {
        QTemporaryDir dir;
        Progress p(dir.filePath("progress.json"));
        const QString script = goodScript();
        QVERIFY(script.contains("mount --make-rprivate /"));
        p.handleEvent(practice(true));
        p.handleEvent(command("echo typed, then graded"));
        p.handleEvent(grade(script, 10, "passed"));
        p.handleEvent(practice(true, "overlay", "whiteout"));
        p.handleEvent(command("touch /x"));
        p.recordHint("pivot-root", "escape", 1); // nothing typed nor graded: nothing to export
        const QString out = dir.filePath("out");
        QVERIFY(QDir().mkpath(out));
        QString error;
        QCOMPARE(p.exportScripts(out, &error), 2);
        QVERIFY(error.isEmpty());
        QCOMPARE(QDir(out).entryList(QDir::Files, QDir::Name),
                 (QStringList{"bind-mounts-leaky-volume.sh", "overlay-whiteout.sh"}));
        QFile typed(QDir(out).filePath("overlay-whiteout.sh"));
        QVERIFY(typed.open(QIODevice::ReadOnly));
        QCOMPARE(typed.readAll(), QByteArray("#!/bin/bash\ntouch /x\n"));
        const QString exported = QDir(out).filePath("bind-mounts-leaky-volume.sh");
        QFile graded(exported);
        QVERIFY(graded.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(graded.readAll()), script);

        MOUNTLAB_REQUIRE_ROOT();
        const auto r =
            mountlab::test::run_cli({"grade", "bind-mounts", "-e", "leaky-volume", exported, "--format", "json"});
        QVERIFY2(r.exit_code == 0, r.err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        QJsonObject sub = doc.object();
        if (sub.contains("submissions"))
            sub = sub.value("submissions").toArray().at(0).toObject();
        QCOMPARE(sub.value("status").toString(), QStringLiteral("passed"));
        QCOMPARE(sub.value("score").toInt(), 10);
    }

    // The real agent: a practice typed in its terminal and submitted. The store keeps the
    // commands and the grade from the stream, and the exported script grades the same.
    void theRealAgentsPractice_isKept_andItsExportGradesTheSame()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QByteArray hostBefore = mountlab::test::host_mountinfo();
        QTemporaryDir dir;
        Progress p(dir.filePath("progress.json"));
        {
            mountlab::test::Agent agent;
            QVERIFY2(agent.start(), "the agent did not start");
            agent.send({{"cmd", "practice"}, {"lesson", "bind-mounts"}, {"exercise", "leaky-volume"}});
            QVERIFY(agent.wait_for([](const auto& e) { return e.value("kind", "") == "practice"; }, 20000));
            const int id = agent.open();
            QVERIFY(id > 0);
            const QStringList lines = goodScript().split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(1);
            QCOMPARE(lines.size(), 4);
            for (const QString& line : lines) {
                agent.skip_seen();
                agent.type(id, line.toStdString() + "\r");
                QVERIFY(agent.wait_for([](const auto& e) { return e.value("kind", "") == "command"; }, 15000));
            }
            agent.skip_seen();
            agent.send({{"cmd", "practice-submit"}});
            QVERIFY(agent.wait_for([](const auto& e) { return e.value("kind", "") == "practice-grade"; }, 120000));
            for (const auto& e : agent.events())
                p.handleEvent(QJsonDocument::fromJson(QByteArray::fromStdString(e.json.dump())).object());
        }
        const QJsonObject ex = p.exerciseState("bind-mounts", "leaky-volume");
        const QJsonArray commands = ex.value("commands").toArray();
        QCOMPARE(commands.size(), 4);
        QCOMPARE(commands.at(1).toObject().value("text").toString(), QStringLiteral("umount /srv/data"));
        QCOMPARE(p.attempts("bind-mounts", "leaky-volume").size(), 1);
        QCOMPARE(p.exerciseBest("bind-mounts", "leaky-volume"), 10);
        QCOMPARE(p.attempts("bind-mounts", "leaky-volume").at(0).toObject().value("status").toString(),
                 QStringLiteral("passed"));
        QVERIFY(QDir().mkpath(dir.filePath("out")));
        QCOMPARE(p.exportScripts(dir.filePath("out")), 1);
        const auto r = mountlab::test::run_cli({"grade", "bind-mounts", "-e", "leaky-volume",
                                                dir.filePath("out/bind-mounts-leaky-volume.sh"), "-f", "json"});
        QVERIFY2(r.exit_code == 0, r.err.constData());
        QJsonObject sub = QJsonDocument::fromJson(r.out).object();
        if (sub.contains("submissions"))
            sub = sub.value("submissions").toArray().at(0).toObject();
        QCOMPARE(sub.value("score").toInt(), 10);
        QCOMPARE(mountlab::test::host_mountinfo(), hostBefore);
    }

    // The window owns a store at MOUNTLAB_PROGRESS_FILE; File ▸ Export my work writes it
    // out and says how many where; a replayed recording is not the learner's work.
    void theWindow_exportsMyWork_andAReplayAddsNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.json");
        qputenv("MOUNTLAB_PROGRESS_FILE", QFile::encodeName(path));
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        MainWindow w;
        QCOMPARE(w.progress()->path(), path);
        QStringList fileMenu;
        for (QAction* menu : w.menuBar()->actions())
            if (menu->menu() && menu->text().contains("File"))
                for (QAction* a : menu->menu()->actions())
                    fileMenu << a->text();
        QVERIFY2(fileMenu.contains(QStringLiteral("Export my work…")), qPrintable(fileMenu.join(", ")));
        const QString out = dir.filePath("out");
        QVERIFY(QDir().mkpath(out));
        QCOMPARE(w.exportMyWork(out), 0);
        QVERIFY(w.statusBar()->currentMessage().contains("Nothing to export"));

        // A recording of someone's practice: replayed, it is not kept.
        const QString recording = dir.filePath("rec.jsonl");
        QFile rec(recording);
        QVERIFY(rec.open(QIODevice::WriteOnly));
        rec.write("{\"kind\":\"session\",\"v\":1,\"rootless\":false,\"trace\":\"none\"}\n");
        for (const QJsonObject& e : {practice(true), command("umount /srv/data"), grade("#!/bin/bash\ntrue\n", 3)})
            rec.write(QJsonDocument(e).toJson(QJsonDocument::Compact) + "\n");
        rec.close();
        QVERIFY(w.openRecording(recording));
        QVERIFY(w.session()->recorded().size() >= 4);
        QVERIFY(w.progress()->exerciseKeys().isEmpty());

        w.progress()->handleEvent(practice(true));
        w.progress()->handleEvent(grade("#!/bin/bash\ntrue\n", 3));
        QCOMPARE(w.exportMyWork(out), 1);
        QVERIFY(QFile::exists(QDir(out).filePath("bind-mounts-leaky-volume.sh")));
        const QString said = w.statusBar()->currentMessage();
        QVERIFY2(said.contains("1 script") && said.contains(out), qPrintable(said));
        qunsetenv("MOUNTLAB_PROGRESS_FILE");
    }
    // The navigator shows what the file kept: the lesson finished, the step passed before
    // (dim, "passed before", apart from this lab's live tick), the exercise's best score,
    // its attempts and hints; a live grade changes the row.
    void theNavigator_showsKeptProgress_andALiveGradeChangesIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.json");
        writeEarlierProgress(path);
        qputenv("MOUNTLAB_PROGRESS_FILE", QFile::encodeName(path));
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        MainWindow w;
        NavigatorModel* nav = w.session()->navigator();
        w.session()->handleLine(kLessonWithExercise);
        const int g = nav->groupIndex("propagation");
        QVERIFY(g >= 0);
        const QModelIndex lesson = nav->indexOfGroup(g);
        QVERIFY(lesson.data(NavigatorModel::FinishedRole).toBool());
        QVERIFY2(lesson.data().toString().startsWith(QStringLiteral("✓ ")), qPrintable(lesson.data().toString()));
        QVERIFY(lesson.data(Qt::ToolTipRole).toString().contains("Finished on 2026-11-30"));
        QVERIFY(lesson.data(Qt::AccessibleTextRole).toString().contains("finished"));

        const QModelIndex leak = nav->index(0, 0, lesson);
        const QModelIndex priv = nav->index(1, 0, lesson);
        QVERIFY(leak.data(NavigatorModel::PassedBeforeRole).toBool());
        QVERIFY(!priv.data(NavigatorModel::PassedBeforeRole).toBool());
        QCOMPARE(leak.siblingAtColumn(NavigatorModel::StatusColumn).data().toString(), QStringLiteral("passed before"));
        QVERIFY(leak.data().toString().startsWith(QStringLiteral("✓")));
        QVERIFY(priv.data().toString().startsWith(QStringLiteral("○")));
        QVERIFY(leak.data(Qt::ToolTipRole).toString().contains("Passed before"));
        QVERIFY(leak.data(Qt::AccessibleTextRole).toString().contains("passed before"));

        const QModelIndex ex = nav->indexOfExercise("propagation", "stop-leak");
        QVERIFY(ex.isValid());
        QVERIFY2(ex.data().toString().contains("best 8/10"), qPrintable(ex.data().toString()));
        QCOMPARE(ex.data(NavigatorModel::BestScoreRole).toInt(), 8);
        QCOMPARE(ex.data(NavigatorModel::AttemptsRole).toInt(), 2);
        QCOMPARE(ex.data(NavigatorModel::HintsRole).toInt(), 2);
        const QString tip = ex.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains("2 graded attempts") && tip.contains("2 hints used"), qPrintable(tip));

        // Live: a better grade refreshes the row (Progress::changed).
        QSignalSpy rows(nav, &QAbstractItemModel::dataChanged);
        w.progress()->handleEvent(
            QJsonObject{{"kind", "practice-grade"},
                        {"lesson", "propagation"},
                        {"exercise", "stop-leak"},
                        {"script", "true"},
                        {"result", QJsonObject{{"status", "passed"}, {"score", 10}, {"max_score", 10}}}});
        QVERIFY(!rows.isEmpty());
        QVERIFY2(ex.data().toString().contains("best 10/10"), qPrintable(ex.data().toString()));
        QCOMPARE(ex.data(NavigatorModel::AttemptsRole).toInt(), 3);

        // This lab's step running and passing: the live tick, no longer "passed before".
        nav->setStatus(nav->flatIndexOfStep("propagation", 0), StepStatus::Passed);
        QVERIFY(!leak.data(NavigatorModel::PassedBeforeRole).toBool());
        QCOMPARE(leak.siblingAtColumn(NavigatorModel::StatusColumn).data().toString(), QStringLiteral("passed"));
        qunsetenv("MOUNTLAB_PROGRESS_FILE");
    }
    // A prediction answered in the window goes to the file per step (choice text, right
    // or not, time); a restart reads it back and the step's tooltip shows it.
    void aPrediction_isKeptPerStep_andARestartShowsIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.json");
        qputenv("MOUNTLAB_PROGRESS_FILE", QFile::encodeName(path));
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        const QJsonObject predict{{"question", "Where does it show?"},
                                  {"choices", QJsonArray{"only in the container", "on the lab host too"}},
                                  {"answer", 1}};
        const QJsonObject lessonEvent{
            {"kind", "lesson"},
            {"id", "propagation"},
            {"title", "Propagation"},
            {"steps", QJsonArray{QJsonObject{{"id", "leak"}, {"title", "A mount leaks"}, {"predict", predict}}}}};
        {
            MainWindow w;
            w.session()->handleLine(QJsonDocument(lessonEvent).toJson(QJsonDocument::Compact));
            const int flat = w.session()->navigator()->flatIndexOfStep("propagation", 0);
            QVERIFY(flat >= 0);
            w.driver()->showStep(flat);
            w.driver()->choosePrediction(0);
            QCOMPARE(w.driver()->predictionOf(flat), 0);
            w.progress()->flush();
            const QJsonObject kept = readFile(path)
                                         .value("lessons")
                                         .toObject()
                                         .value("propagation")
                                         .toObject()
                                         .value("steps")
                                         .toObject()
                                         .value("0")
                                         .toObject();
            QCOMPARE(kept.value("id").toString(), QStringLiteral("leak"));
            const QJsonObject predicted = kept.value("predicted").toObject();
            QCOMPARE(predicted.value("choice").toString(), QStringLiteral("only in the container"));
            QCOMPARE(predicted.value("correct").toBool(), false);
            QVERIFY(!predicted.value("time").toString().isEmpty());
        }
        MainWindow again;
        QCOMPARE(again.progress()->prediction("propagation", 0).value("choice").toString(),
                 QStringLiteral("only in the container"));
        again.session()->handleLine(QJsonDocument(lessonEvent).toJson(QJsonDocument::Compact));
        NavigatorModel* nav = again.session()->navigator();
        const QString tip = nav->indexOfStep(nav->flatIndexOfStep("propagation", 0)).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains("Your earlier prediction: only in the container (not what the kernel did)"),
                 qPrintable(tip));
        qunsetenv("MOUNTLAB_PROGRESS_FILE");
    }
};

QTEST_MAIN(TestGuiProgress)
#include "tst_gui_progress.moc"
