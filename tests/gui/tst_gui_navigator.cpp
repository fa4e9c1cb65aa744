// The navigator's model, without a display: the walkthrough as one lesson with its stages,
// the lessons after it, any number of them (each under QAbstractItemModelTester), fed
// the event stream's JSON as the agent writes it.
#include "modelevents.h"
#include "navigatormodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

using namespace mountlab::gui;
using namespace mountlab::gui::test;

class TestGuiNavigator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void navigator_walkthroughIsOneLesson_withStageHeadings()
    {
        NavigatorModel nav;
        QAbstractItemModelTester tester(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        nav.setWalkthrough(json(kWalkthrough));
        QCOMPARE(nav.rowCount(), 1);
        QCOMPARE(nav.rowCount(nav.index(0, 0)), 3);
        QCOMPARE(nav.stepCount(), 3);
        QCOMPARE(nav.flatIndexOf(QStringLiteral("propagation"), QStringLiteral("unleak")), 2);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("walkthrough"), 1), 1);
        const QModelIndex leak = nav.indexOfStep(1);
        QCOMPARE(leak.data(NavigatorModel::ShellRole).toString(), QStringLiteral("mount -t tmpfs leak /mnt/leak"));
        QCOMPARE(nav.flatIndex(leak), 1);
        QCOMPARE(nav.parent(leak), nav.index(0, 0));
        // A heading where a stage begins, none inside it.
        QCOMPARE(nav.indexOfStep(0).data(NavigatorModel::StageTitleRole).toString(),
                 QStringLiteral("A mount namespace of its own"));
        QCOMPARE(leak.data(NavigatorModel::StageTitleRole).toString(), QStringLiteral("Propagation"));
        QVERIFY(nav.indexOfStep(2).data(NavigatorModel::StageTitleRole).toString().isEmpty());
        nav.setStatus(1, StepStatus::Failed);
        QCOMPARE(StepStatus(leak.data(NavigatorModel::StatusRole).toInt()), StepStatus::Failed);
        QCOMPARE(StepStatus(nav.index(0, 0).data(NavigatorModel::StatusRole).toInt()), StepStatus::Failed);
        nav.resetStatuses();
        QCOMPARE(StepStatus(leak.data(NavigatorModel::StatusRole).toInt()), StepStatus::NotRun);
    }

    void navigator_lessonsFollowTheWalkthrough_andEachHasItsOwnLab()
    {
        NavigatorModel nav;
        QAbstractItemModelTester tester(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The agent sends the lessons before the walkthrough; the walkthrough still comes first.
        nav.addLesson(json(kLessonPropagation));
        nav.addLesson(json(kLessonOverlay));
        nav.setWalkthrough(json(kWalkthrough));
        QCOMPARE(nav.groupCount(), 3);
        QCOMPARE(nav.group(0).id, QStringLiteral("walkthrough"));
        QCOMPARE(nav.group(1).id, QStringLiteral("propagation"));
        QCOMPARE(nav.index(1, 0).data().toString(), QStringLiteral("1. Propagation"));
        QCOMPARE(nav.active(), 0);
        QCOMPARE(nav.current(), 0);
        QCOMPARE(nav.groupStart(1), 3);
        QCOMPARE(nav.groupStart(2), 5);
        QCOMPARE(nav.stepCount(), 6);
        // The lesson "propagation" and the walkthrough's stage "propagation" both have a
        // step "leak": the lesson and index tell them apart.
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("propagation"), 0), 3);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("propagation"), 2), -1);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("nope"), 0), -1);
        QVERIFY(nav.step(3).markdown);
        QCOMPARE(nav.step(3).explain, QStringLiteral("The lab host **sees** it."));
        QCOMPARE(nav.group(1).exercises.size(), 1);
        QCOMPARE(nav.group(1).prerequisites, QStringList{QStringLiteral("mount-namespaces")});
        QCOMPARE(nav.indexOfStep(4).data(NavigatorModel::PositionRole).toInt(), 2);
        QVERIFY(nav.indexOfStep(3).data(NavigatorModel::StageTitleRole).toString().isEmpty());
        // Running the lesson: it becomes the active one; its steps pass; it is completed.
        QSignalSpy active(&nav, &NavigatorModel::activeChanged);
        nav.setActive(1);
        QCOMPARE(active.size(), 1);
        QVERIFY(nav.index(1, 0).data(NavigatorModel::IsActiveRole).toBool());
        QVERIFY(!nav.index(0, 0).data(NavigatorModel::IsActiveRole).toBool());
        nav.setStatus(3, StepStatus::Passed);
        nav.setStatus(4, StepStatus::Passed);
        nav.setCurrent(5);
        QVERIFY(nav.group(1).completed);
        QCOMPARE(nav.index(1, 0).data().toString(), QStringLiteral("✓ 1. Propagation  2/2"));
        // A fresh lab for the lesson: its steps not run, the next its first; done stays.
        nav.resetGroup(1);
        QCOMPARE(nav.current(), 3);
        QCOMPARE(nav.step(4).status, StepStatus::NotRun);
        QVERIFY(nav.group(1).completed);
        QCOMPARE(nav.index(1, 0).data().toString(), QStringLiteral("✓ 1. Propagation"));
        // A lesson sent again replaces the old one.
        nav.addLesson(json(kLessonOverlay));
        QCOMPARE(nav.groupCount(), 3);
        QCOMPARE(nav.groupIndexOf(nav.indexOfStep(5)), 2);
        QCOMPARE(nav.groupIndexOf(nav.index(2, 0)), 2);
    }

    // A lesson step's prediction reaches the navigator whole (the step panel asks it).
    void navigator_keepsAStepsPrediction()
    {
        NavigatorModel nav;
        nav.setWalkthrough(json(kWalkthrough));
        const QJsonObject predict{
            {"question", "Where?"}, {"choices", QJsonArray{"here", "there"}}, {"answer", 1}, {"why", "peers"}};
        nav.addLesson(QJsonObject{{"kind", "lesson"},
                                  {"id", "p"},
                                  {"title", "P"},
                                  {"steps", QJsonArray{QJsonObject{{"id", "a"}, {"title", "A"}, {"predict", predict}},
                                                       QJsonObject{{"id", "b"}, {"title", "B"}}}}});
        const int g = nav.groupIndex(QStringLiteral("p"));
        QCOMPARE(nav.step(nav.groupStart(g)).predict, predict);
        QVERIFY(nav.step(nav.groupStart(g) + 1).predict.isEmpty());
    }

    void navigator_acceptsAnyLessonList()
    {
        NavigatorModel nav;
        QAbstractItemModelTester tester(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        NavStep a;
        a.index = 0;
        a.id = QStringLiteral("one");
        a.title = QStringLiteral("first");
        NavStep b = a;
        b.index = 1;
        b.id = QStringLiteral("two");
        nav.setGroups({NavGroup{QStringLiteral("lesson-a"), QStringLiteral("Lesson A"), {a, b}},
                       NavGroup{QStringLiteral("lesson-b"), QStringLiteral("Lesson B"), {a}}});
        QCOMPARE(nav.name(), QStringLiteral("Lesson A"));
        QCOMPARE(nav.stepCount(), 3);
        QCOMPARE(nav.groupOf(2), 1);
    }

    void navigator_20000Lessons_areAddedRowByRow_eachFoundByItsId()
    {
        // A hostile catalogue: each lesson used to copy every lesson before it and reset
        // the model (37 s for 20,000). Now rows are inserted; the timing is bench_gui_lessons.
        NavigatorModel nav;
        QSignalSpy resets(&nav, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&nav, &QAbstractItemModel::rowsInserted);
        nav.setWalkthrough(json(kWalkthrough));
        const int n = 20000;
        for (int i = 0; i < n; ++i)
            nav.addLesson(QJsonObject{{"kind", "lesson"},
                                      {"id", QStringLiteral("l%1").arg(i)},
                                      {"title", QStringLiteral("Lesson %1").arg(i)},
                                      {"steps", QJsonArray{QJsonObject{{"id", "a"}, {"title", "A"}, {"text", "x"}},
                                                           QJsonObject{{"id", "b"}, {"title", "B"}, {"text", "y"}}}}});
        QCOMPARE(resets.size(), 1); // the walkthrough's; none per lesson
        QCOMPARE(inserted.size(), n);
        QCOMPARE(nav.groupCount(), n + 1);
        QCOMPARE(nav.stepCount(), 3 + 2 * n);
        QCOMPARE(nav.rowCount(), n + 1);
        for (int i : {0, 1, 9999, n - 1}) {
            const int g = nav.groupIndex(QStringLiteral("l%1").arg(i));
            QCOMPARE(g, i + 1);
            QCOMPARE(nav.groupStart(g), 3 + 2 * i);
            QCOMPARE(nav.flatIndexOfStep(QStringLiteral("l%1").arg(i), 1), 3 + 2 * i + 1);
            QCOMPARE(nav.step(3 + 2 * i + 1).title, QStringLiteral("B"));
            QCOMPARE(nav.groupOf(3 + 2 * i), g);
            QCOMPARE(nav.index(1, 0, nav.indexOfGroup(g)).data(NavigatorModel::FlatIndexRole).toInt(), 3 + 2 * i + 1);
        }
        QCOMPARE(nav.current(), 0);
        QCOMPARE(nav.active(), 0);
    }

    void navigator_lessonsAddedOneByOne_passTheModelTester_andAReplacedLessonKeepsItsPlace()
    {
        NavigatorModel nav;
        QAbstractItemModelTester t(&nav, QAbstractItemModelTester::FailureReportingMode::QtTest);
        nav.addLesson(json(kLessonPropagation));
        nav.setWalkthrough(json(kWalkthrough)); // first, whenever it comes
        nav.addLesson(json(kLessonOverlay));
        QCOMPARE(nav.groupIndex(QStringLiteral("walkthrough")), 0);
        QCOMPARE(nav.groupIndex(QStringLiteral("propagation")), 1);
        QCOMPARE(nav.groupIndex(QStringLiteral("overlay")), 2);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("overlay"), 0), 5);
        // Every step ran: "next" is past the end; a lesson that comes later is next.
        nav.setCurrent(nav.stepCount());
        nav.addLesson(json(
            "{\"kind\":\"lesson\",\"id\":\"late\",\"title\":\"Late\",\"steps\":[{\"id\":\"x\",\"title\":\"X\"}]}"));
        QCOMPARE(nav.current(), nav.groupStart(3));
        // The same id again replaces the lesson where it is.
        nav.addLesson(
            json("{\"kind\":\"lesson\",\"id\":\"propagation\",\"title\":\"Propagation again\",\"steps\":[]}"));
        QCOMPARE(nav.groupCount(), 4);
        QCOMPARE(nav.group(1).title, QStringLiteral("Propagation again"));
        QCOMPARE(nav.groupIndex(QStringLiteral("overlay")), 2);
        QCOMPARE(nav.flatIndexOfStep(QStringLiteral("overlay"), 0), 3);
    }

    void navigator_toolTipsShowMarkupTitlesAsText()
    {
        NavigatorModel nav;
        nav.addLesson(json("{\"kind\":\"lesson\",\"id\":\"x\",\"title\":\"<img src=file:///etc/x.png>\",\"steps\":"
                           "[{\"id\":\"a\",\"title\":\"<b>GRADED</b>\",\"shell\":\"a && b\"}]}"));
        const QString lessonTip = nav.indexOfGroup(0).data(Qt::ToolTipRole).toString();
        const QString stepTip = nav.indexOfStep(0).data(Qt::ToolTipRole).toString();
        QVERIFY2(lessonTip.contains(QLatin1String("&lt;img src=file:///etc/x.png&gt;")) &&
                     !lessonTip.contains(QLatin1String("<img")),
                 qPrintable(lessonTip));
        QVERIFY2(stepTip.contains(QLatin1String("&lt;b&gt;GRADED&lt;/b&gt;\n$ a &amp;&amp; b")), qPrintable(stepTip));
        QVERIFY(stepTip.startsWith(QLatin1String("<p"))); // read as rich text: the escapes show as the characters
    }
};

QTEST_GUILESS_MAIN(TestGuiNavigator)
#include "tst_gui_navigator.moc"
