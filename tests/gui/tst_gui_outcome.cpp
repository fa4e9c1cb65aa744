// The step panel's outcome, off screen, against a real agent: at 1280x720, 1366x768 and
// 1600x1000, after every walkthrough step, the result line, every check, the whole output
// of the step's command and the file it read are inside the part of the window a user
// sees (each widget's rectangle clipped by everything that holds it: the scroll area's
// viewport, the splitter's pane, the window). A new step's prose starts at its heading, a
// prediction's question can be seen when it is asked, and a theme change redraws the
// panel in the new theme's colours and sizes.
#include "mainwindow.h"
#include "mounttreeview.h"
#include "stepoutcome.h"
#include "testutil.h"
#include "theme.h"

#include <QApplication>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextEdit>
#include <QtTest>

using namespace mountlab::gui;

namespace {

QRect inWindow(const QWidget* w) { return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size()); }

// The part of `w` that is drawn, in window coordinates.
QRect shownPart(const QWidget* w)
{
    QRect r = inWindow(w);
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        r &= inWindow(p);
    return r;
}

QString rectText(const QRect& r)
{
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

bool wholeInView(const QWidget* w, const QString& what, QString* why)
{
    if (!w || !w->isVisible()) {
        *why = what + QStringLiteral(" is not shown");
        return false;
    }
    if (shownPart(w) != inWindow(w)) {
        *why =
            QStringLiteral("%1 is %2, only %3 of it in view").arg(what, rectText(inWindow(w)), rectText(shownPart(w)));
        return false;
    }
    return true;
}

QString plain(const QString& html)
{
    QTextDocument doc;
    doc.setHtml(html);
    return doc.toPlainText();
}

QString chopped(QString s)
{
    while (s.endsWith(QLatin1Char('\n')))
        s.chop(1);
    return s;
}

// What the output box is meant to show: what the step's commands printed on stdout,
// then what they printed on stderr (a stream of blanks shows nothing).
QString printed(const QJsonObject& data)
{
    QStringList parts;
    for (const char* stream : {"stdout", "stderr"}) {
        const QString text = chopped(data.value(QLatin1String(stream)).toString());
        if (!text.trimmed().isEmpty())
            parts << text;
    }
    return parts.join(QLatin1Char('\n'));
}

// A box of the outcome (the output, the file read) shows `text`, all of it, in view.
bool boxShows(QWidget& w, const char* name, const QString& text, QString* why)
{
    auto* box = w.findChild<QTextEdit*>(QLatin1String(name));
    if (!wholeInView(box, QLatin1String(name), why))
        return false;
    if (box->toPlainText() != chopped(text)) {
        *why = QStringLiteral("%1 shows \"%2\", not \"%3\"").arg(QLatin1String(name), box->toPlainText(), text);
        return false;
    }
    if (box->verticalScrollBar()->maximum() > 0 || box->horizontalScrollBar()->maximum() > 0) {
        *why = QStringLiteral("%1 shows only part of its %2 lines").arg(QLatin1String(name)).arg(text.count('\n') + 1);
        return false;
    }
    return true;
}

// What the step did, as the outcome area shows it: all of it in view.
bool outcomeInView(MainWindow& w, int flat, QString* why)
{
    const Session::StepResult ran = w.session()->resultOf(flat);
    auto* result = w.findChild<QLabel*>(QStringLiteral("stepResult"));
    if (!wholeInView(result, QStringLiteral("the result and checks"), why))
        return false;
    if (result->height() < result->heightForWidth(result->width())) {
        *why = QStringLiteral("the result and checks need %1 px, have %2")
                   .arg(result->heightForWidth(result->width()))
                   .arg(result->height());
        return false;
    }
    const QString shown = plain(result->text());
    const bool ok = ran.end.value(QLatin1String("ok")).toBool();
    if (!shown.contains(ok ? QStringLiteral("→ ok") : ran.end.value(QLatin1String("errno")).toString())) {
        *why = QStringLiteral("no result line in: ") + shown;
        return false;
    }
    for (const QJsonObject& c : ran.checks) {
        const QString line = (c.value(QLatin1String("passed")).toBool() ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) +
                             c.value(QLatin1String("name")).toString();
        if (!shown.contains(line) || !shown.contains(c.value(QLatin1String("message")).toString())) {
            *why = QStringLiteral("no check \"%1\" in: %2").arg(line, shown);
            return false;
        }
    }
    const QJsonObject data = ran.end.value(QLatin1String("data")).toObject();
    const QString out = printed(data);
    if (!out.isEmpty() && !boxShows(w, "stepOutputText", out, why))
        return false;
    if (data.contains(QLatin1String("content")) &&
        !boxShows(w, "stepContentText", data.value(QLatin1String("content")).toString(), why))
        return false;
    if (data.value(QLatin1String("secret_readable")).toBool() &&
        !boxShows(w, "stepContentText", data.value(QLatin1String("secret")).toString(), why))
        return false;
    return true;
}

QScrollArea* proseArea(MainWindow& w)
{
    QWidget* p = w.findChild<QLabel*>(QStringLiteral("stepExplain"));
    while (p && !qobject_cast<QScrollArea*>(p))
        p = p->parentWidget();
    return qobject_cast<QScrollArea*>(p);
}

// The size of a code span of the step text, and of the text around it.
QPair<qreal, qreal> codeAndTextSize(MainWindow& w)
{
    auto* explain = w.findChild<QLabel*>(QStringLiteral("stepExplain"));
    QTextDocument doc;
    doc.setDefaultFont(explain->font());
    doc.setHtml(explain->text());
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat f = it.fragment().charFormat();
            if (f.fontFixedPitch() ||
                f.fontFamilies().toStringList().join(' ').contains(QLatin1String("mono"), Qt::CaseInsensitive))
                return {f.font().resolve(doc.defaultFont()).pointSizeF(), explain->font().pointSizeF()};
        }
    return {-1, explain->font().pointSizeF()};
}

} // namespace

class TestGuiOutcome : public QObject {
    Q_OBJECT
    MainWindow* m_w = nullptr;

    static void press(MainWindow& w, int key)
    {
        QWidget* focus = QApplication::focusWidget();
        QTest::keyClick(focus && w.isAncestorOf(focus) ? focus : static_cast<QWidget*>(&w), Qt::Key(key));
    }

    // Space runs the next step; one that asks a prediction asks it first (answered right).
    void runNext(MainWindow& w)
    {
        NavigatorModel* nav = w.session()->navigator();
        const int next = w.nextStepToRun();
        if (!nav->step(next).predict.isEmpty() && w.predictionOf(next) < 0) {
            press(w, Qt::Key_Space);
            QTRY_VERIFY(w.stepResultText().contains(QLatin1String("Predict first")));
            // The question can be seen, however much the step says first.
            QLabel* asked = nullptr;
            for (QLabel* l : w.findChildren<QLabel*>())
                if (l->isVisible() && l->text().contains(QLatin1String("Predict first")))
                    asked = l;
            QVERIFY(asked);
            QTRY_VERIFY2(shownPart(asked).top() == inWindow(asked).top() &&
                             shownPart(asked).height() >= 2 * asked->fontMetrics().lineSpacing(),
                         qPrintable(rectText(shownPart(asked)) + QStringLiteral(" of ") + rectText(inWindow(asked))));
            press(w, Qt::Key_1 + nav->step(next).predict.value(QLatin1String("answer")).toInt());
        }
        press(w, Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(w.idle() && nav->current() == next + 1, 30000);
    }

    void showEveryStepAt(const QSize& size)
    {
        MainWindow& w = *m_w;
        w.resize(size);
        QTRY_COMPARE(w.size(), size);
        NavigatorModel* nav = w.session()->navigator();
        for (int i = 0; i < nav->groupSize(0); ++i) {
            w.driver()->showStep(i);
            QString why;
            const QString where =
                QStringLiteral("%1x%2, %3: ").arg(size.width()).arg(size.height()).arg(nav->step(i).id);
            QTRY_VERIFY2_WITH_TIMEOUT(outcomeInView(w, i, &why), qPrintable(where + why), 2000);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        qputenv("MOUNTLAB_NO_TRACE", "1"); // the outcome is the subject, not the trace
        QStandardPaths::setTestModeEnabled(true);
        m_w = new MainWindow;
        m_w->resize(1280, 720);
        m_w->show();
        QVERIFY(QTest::qWaitForWindowActive(m_w));
        QVERIFY(m_w->startLive(EngineClient::Tracing::None));
        NavigatorModel* nav = m_w->session()->navigator();
        QTRY_VERIFY_WITH_TIMEOUT(m_w->session()->catalogueComplete() && nav->groupSize(0) > 20 && m_w->idle(), 20000);
    }

    void cleanupTestCase() { delete m_w; }

    // At the smallest size, each step run with Space: its outcome whole in view, and a
    // step's prose from its heading.
    void everyWalkthroughStep_showsItsWholeOutcome_at1280x720()
    {
        MainWindow& w = *m_w;
        QTRY_COMPARE(w.size(), QSize(1280, 720));
        NavigatorModel* nav = w.session()->navigator();
        QScrollArea* prose = proseArea(w);
        QVERIFY(prose);
        bool sawOutput = false, sawContent = false, sawSecret = false;
        for (int i = 0; i < nav->groupSize(0); ++i) {
            const bool asks = !nav->step(i).predict.isEmpty();
            runNext(w);
            QCOMPARE(nav->step(i).status, StepStatus::Passed);
            QString why;
            QTRY_VERIFY2_WITH_TIMEOUT(outcomeInView(w, i, &why), qPrintable(nav->step(i).id + ": " + why), 2000);
            if (!asks) // one that asked shows its question, where the learner was
                QCOMPARE(prose->verticalScrollBar()->value(), 0);
            const QJsonObject data = w.session()->resultOf(i).end.value(QLatin1String("data")).toObject();
            sawOutput |= !data.value(QLatin1String("stdout")).toString().trimmed().isEmpty();
            sawContent |= data.value(QLatin1String("content")).toString().contains(QLatin1String("tools layer"));
            sawSecret |= data.value(QLatin1String("secret_readable")).toBool();
        }
        // The walkthrough has each kind: ps's output, the merged /etc/motd, the escape's secret.
        QVERIFY(sawOutput && sawContent && sawSecret);
    }

    void everyWalkthroughStep_showsItsWholeOutcome_at1366x768() { showEveryStepAt({1366, 768}); }
    void everyWalkthroughStep_showsItsWholeOutcome_at1600x1000() { showEveryStepAt({1600, 1000}); }

    // No walkthrough step prints on stderr: a step's end as the engine sends it, with both
    // streams (a command's complaint among its output), in an outcome area of its own.
    void theOutputBox_showsWhatTheStepPrintedOnStderrToo()
    {
        Session::StepResult ran;
        ran.end =
            QJsonObject{{QStringLiteral("ok"), true},
                        {QStringLiteral("duration_us"), 1200},
                        {QStringLiteral("data"),
                         QJsonObject{{QStringLiteral("stdout"), QStringLiteral("  PID TTY  CMD\n    1 ?    sh\n")},
                                     {QStringLiteral("stderr"), QStringLiteral("ps: no such option -Z\n")}}}};
        StepOutcome outcome;
        outcome.setTheme(Theme::normal(11));
        outcome.showRan(ran);
        outcome.resize(700, 500);
        outcome.show();
        QVERIFY(QTest::qWaitForWindowExposed(&outcome));
        const QJsonObject data = ran.end.value(QLatin1String("data")).toObject();
        QCOMPARE(printed(data), QStringLiteral("  PID TTY  CMD\n    1 ?    sh\nps: no such option -Z"));
        QString why;
        QTRY_VERIFY2(boxShows(outcome, "stepOutputText", printed(data), &why), qPrintable(why));
    }

    // After the step with the most checks made the panel taller (and the learner moved
    // the splitter below the tree meanwhile), a step with one check (and nothing printed)
    // gives the tree back the height it had.
    void aShortStepAfterATallOne_givesTheTreeBackItsHeight()
    {
        MainWindow& w = *m_w;
        w.resize(1280, 720);
        QTRY_COMPARE(w.size(), QSize(1280, 720));
        NavigatorModel* nav = w.session()->navigator();
        int most = -1, one = -1;
        for (int i = 0; i < nav->groupSize(0); ++i) {
            const Session::StepResult r = w.session()->resultOf(i);
            const QJsonObject data = r.end.value(QLatin1String("data")).toObject();
            if (most < 0 || r.checks.size() > w.session()->resultOf(most).checks.size())
                most = i;
            if (one < 0 && r.checks.size() == 1 && printed(data).isEmpty() &&
                !data.contains(QLatin1String("content")) && !data.contains(QLatin1String("secret_readable")) &&
                nav->step(i).predict.isEmpty())
                one = i;
        }
        QVERIFY(most >= 0 && one >= 0);
        QVERIFY(w.session()->resultOf(most).checks.size() > 1);
        // The short step in a panel as low as it may be (as a window opened on it has it).
        w.driver()->showStep(one);
        QTest::qWait(100);
        QWidget* panel = w.findChild<QLabel*>(QStringLiteral("stepTitle"))->parentWidget();
        auto* split = qobject_cast<QSplitter*>(panel->parentWidget());
        QVERIFY(split);
        QList<int> sizes = split->sizes();
        sizes[1] += sizes[0] - panel->minimumHeight();
        sizes[0] = panel->minimumHeight();
        split->setSizes(sizes);
        QTest::qWait(100);
        const int before = w.treeView()->height();
        w.driver()->showStep(most);
        QTRY_VERIFY2(w.treeView()->height() < before - 20,
                     qPrintable(QStringLiteral("%1 checks: the tree is %2 px, as with one (%3)")
                                    .arg(w.session()->resultOf(most).checks.size())
                                    .arg(w.treeView()->height())
                                    .arg(before)));
        // The learner gives the tree some of the tabs' room (the splitter keeps every
        // pane's height as it is then, the tall panel's too).
        QSplitterHandle* handle = split->handle(2);
        const QPoint from = handle->rect().center(), to = from + QPoint(0, 30);
        const int tabsBefore = split->sizes().value(2);
        for (const auto& [type, at, buttons] : {std::tuple{QEvent::MouseButtonPress, from, Qt::LeftButton},
                                                std::tuple{QEvent::MouseMove, to, Qt::LeftButton},
                                                std::tuple{QEvent::MouseButtonRelease, to, Qt::NoButton}}) {
            QMouseEvent e(type, at, handle->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
            QApplication::sendEvent(handle, &e);
        }
        const int dragged = tabsBefore - split->sizes().value(2);
        QVERIFY2(dragged >= 20, qPrintable(QString::number(dragged)));
        QTest::qWait(50);
        const int tall = w.treeView()->height();
        w.driver()->showStep(one);
        QTRY_VERIFY2(
            std::abs(w.treeView()->height() - (before + dragged)) <= 2,
            qPrintable(QStringLiteral("the tree: %1 px with one check, %2 with %3 (%4 px from the tabs), then %5 "
                                      "with one again")
                           .arg(before)
                           .arg(tall)
                           .arg(w.session()->resultOf(most).checks.size())
                           .arg(dragged)
                           .arg(w.treeView()->height())));
    }

    // A lesson's long Markdown: the next step shown starts at its heading, wherever the
    // last one was scrolled to.
    void aNewStep_showsItsProseFromTheTop()
    {
        MainWindow& w = *m_w;
        w.resize(1280, 720);
        NavigatorModel* nav = w.session()->navigator();
        const int g = nav->groupIndex(QStringLiteral("propagation"));
        QVERIFY(g > 0);
        const int first = nav->groupStart(g);
        w.driver()->showStep(first);
        QScrollArea* prose = proseArea(w);
        QTRY_VERIFY(prose->verticalScrollBar()->maximum() > 0); // it says more than the panel holds
        prose->verticalScrollBar()->setValue(prose->verticalScrollBar()->maximum());
        w.driver()->showStep(first + 1);
        QVERIFY(w.stepTitleText().contains(nav->step(first + 1).title));
        QTest::qWait(50);
        QCOMPARE(prose->verticalScrollBar()->value(), 0);
        auto* explain = w.findChild<QLabel*>(QStringLiteral("stepExplain"));
        QCOMPARE(shownPart(explain).top(), inWindow(explain).top());
    }

    // Presenter mode and back, a new font size: the panel is drawn again in the theme
    // shown (the checks' colours, the size of the text's code).
    void aThemeChange_redrawsThePanel()
    {
        MainWindow& w = *m_w;
        NavigatorModel* nav = w.session()->navigator();
        w.driver()->showStep(0);
        auto* result = w.findChild<QLabel*>(QStringLiteral("stepResult"));
        const QString normalPass = Theme::normal(11).passText.name(),
                      presenterPass = Theme::presenter(20).passText.name();
        QVERIFY(normalPass != presenterPass);
        QVERIFY2(result->text().contains(normalPass), qPrintable(result->text()));
        w.setPresenterMode(true, false);
        QVERIFY2(result->text().contains(presenterPass) && !result->text().contains(normalPass),
                 qPrintable(result->text()));
        w.setPresenterMode(false);
        QVERIFY2(result->text().contains(normalPass) && !result->text().contains(presenterPass),
                 qPrintable(result->text()));

        // Markdown's code spans grow with the text around them.
        const int g = nav->groupIndex(QStringLiteral("propagation"));
        w.driver()->showStep(nav->groupStart(g));
        const auto [codeBefore, textBefore] = codeAndTextSize(w);
        QVERIFY2(codeBefore > 0, "the step text has code");
        w.setFontSize(18);
        const auto [code, text] = codeAndTextSize(w);
        QVERIFY(text > textBefore);
        QVERIFY2(code >= 0.85 * text, qPrintable(QStringLiteral("code %1 pt in text of %2 pt").arg(code).arg(text)));
        w.setFontSize(11);
    }
};

QTEST_MAIN(TestGuiOutcome)
#include "tst_gui_outcome.moc"
