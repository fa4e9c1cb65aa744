#include "htmlreport.h"

#include "mountforest.h"
#include "mountrow.h"
#include "progress.h"
#include "safemarkdown.h"
#include "session.h"
#include "theme.h"
#include "tracemodel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <utility>

namespace mountlab::gui {

namespace {

QString esc(const QString& s) { return s.toHtmlEscaped(); }

QString str(const QJsonObject& e, const char* key) { return e.value(QLatin1String(key)).toString(); }

QString outputBlock(const QString& out, const char* cls)
{
    QString text = out;
    while (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    return text.isEmpty() ? QString() : QStringLiteral("<pre class='%1'>%2</pre>\n").arg(QLatin1String(cls), esc(text));
}

// The page's styles, its colours the theme's report roles ($name$ below).
QString reportStyles(const Theme& t)
{
    QString css = QStringLiteral(
        "body{font-family:DejaVu Sans,sans-serif;max-width:70em;margin:2em auto;color:$text$}"
        "pre{background:$pre$;padding:.4em .8em;border-radius:4px;white-space:pre-wrap}.syscall{color:$syscall$}"
        ".out{background:$output$;border-left:3px solid $outputRule$}.err{color:$fail$}"
        ".pass{color:$pass$}.fail{color:$fail$;font-weight:bold}.diff{font-family:monospace;margin:.4em 0}"
        ".add{background:$added$}.rm{text-decoration:line-through;color:$removed$}.ch{color:$changed$}"
        ".outroot{color:$removed$;font-style:italic}"
        ".sys{font-family:monospace;color:$sys$}section{border-top:1px solid $rule$;margin-top:1em}"
        ".reset{color:$removed$;font-style:italic;border-top:1px dashed $resetRule$;padding-top:.3em}"
        "table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid $rule$;text-align:left}"
        "h2{margin-top:1.6em}.tree svg{width:100%;height:auto}");
    const std::pair<const char*, QColor> roles[] = {
        {"$text$", t.reportText},
        {"$pre$", t.reportPre},
        {"$syscall$", t.reportSyscall},
        {"$output$", t.reportOutput},
        {"$outputRule$", t.reportOutputRule},
        {"$fail$", t.reportFail},
        {"$pass$", t.reportPass},
        {"$added$", t.reportAdded},
        {"$removed$", t.reportRemoved},
        {"$changed$", t.reportChanged},
        {"$sys$", t.reportSys},
        {"$rule$", t.reportRule},
        {"$resetRule$", t.reportResetRule},
    };
    for (const auto& [name, colour] : roles)
        css.replace(QLatin1String(name), colour.name());
    return css;
}

QString reportHead(const Theme& t)
{
    return QStringLiteral("<!DOCTYPE html><html><head><meta charset='utf-8'>"
                          // Nothing loads or runs: the text comes from a recording someone else made.
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"") +
           QLatin1String(kReportCsp) + QStringLiteral("\"><title>MountLab report</title><style>") + reportStyles(t) +
           QStringLiteral("</style></head><body>");
}

// The body: one section per step the session ran, in the order of its events.
class StepList {
public:
    explicit StepList(const NavigatorModel* nav) : m_nav(nav) {}

    void add(const QByteArray& line)
    {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        const QString k = str(e, "kind");
        if (k == QLatin1String("session"))
            session = e;
        else if (k == QLatin1String("step") && str(e, "phase") == QLatin1String("begin"))
            beginStep(e);
        else if (m_kind == Kind::Replayed && k == QLatin1String("step"))
            endReplayed(e);
        else if (m_kind == Kind::Reset || m_kind == Kind::Replayed)
            return; // a fresh lab's tables and calls are set-up, not the lesson
        else if (k == QLatin1String("step"))
            m_kind == Kind::Console ? endConsole(e) : endStep(e);
        else if (k == QLatin1String("check"))
            addCheck(e);
        else if (k == QLatin1String("diff"))
            addDiff(e);
        else if (k == QLatin1String("syscall"))
            addSyscall(e, line);
    }

    void closeSection()
    {
        if (m_open) {
            // The lesson's word for the call only when the trace did not show it (inserted
            // where it belongs: only this section's text moves).
            if (m_declaredAt >= 0 && !m_callsTraced && !m_declaredCall.isEmpty())
                body.insert(m_declaredAt,
                            QStringLiteral("<pre class='syscall'>%1 (not traced)</pre>\n").arg(esc(m_declaredCall)));
            m_declaredAt = -1;
            body += QStringLiteral("</section>\n");
        }
        m_open = false;
    }

    // The end of the events: a fresh lab still to be told.
    void finish()
    {
        closeSection();
        flushReset();
    }

    QString body;
    QJsonObject session;
    int passed = 0, failed = 0, resets = 0, console = 0, replayed = 0;

private:
    void beginStep(const QJsonObject& e)
    {
        closeSection();
        m_begin = e;
        m_stepCalls.clear();
        m_currentStep = e.value(QLatin1String("step")).toInt();
        // A reset the reader asked for (not a lesson's own "fresh container" step).
        if (str(e, "where") == QLatin1String("lab") && !e.contains(QLatin1String("lesson"))) {
            flushReset();
            m_kind = Kind::Reset;
            ++resets;
            m_resetTitle = str(e, "title");
            m_afterReset = true;
            return;
        }
        // Back and Run to here: a fresh lab, then the steps already shown run again to
        // rebuild it. Told as that, in one line, not as new steps.
        const QString key = lessonOf(e) + QLatin1Char('/') + QString::number(e.value(QLatin1String("index")).toInt(-1));
        const bool placed = !str(e, "lesson").isEmpty() && e.value(QLatin1String("index")).toInt(-1) >= 0 &&
                            str(e, "stage") != QLatin1String("terminal") && str(e, "stage") != QLatin1String("console");
        if (m_afterReset && placed && m_reported.contains(key)) {
            m_kind = Kind::Replayed;
            ++replayed;
            m_replayLesson = lessonOf(e);
            m_replaySteps << e.value(QLatin1String("index")).toInt(-1) + 1;
            return;
        }
        flushReset();
        m_reported.insert(key);
        m_open = true;
        m_callsTraced = false;
        m_declaredCall.clear();
        if (str(e, "stage") == QLatin1String("console")) {
            m_kind = Kind::Console;
            ++console;
            body +=
                QStringLiteral("<section class='console'><h3>Console</h3>\n<pre class='shell'>container / # %1</pre>\n")
                    .arg(esc(str(e, "shell")));
            return;
        }
        m_kind = Kind::Step;
        beginLessonStep(e);
    }

    [[nodiscard]] QString lessonOf(const QJsonObject& e) const
    {
        const QString lesson = str(e, "lesson");
        if (!lesson.isEmpty())
            return lesson;
        // A recording from before steps named their lesson.
        const int flat = m_nav->flatIndexOf(str(e, "stage"), str(e, "id"));
        return flat >= 0 ? m_nav->group(m_nav->groupOf(flat)).id : str(e, "stage");
    }

    // The fresh lab, and the steps run again in it, once the lab moves on.
    void flushReset()
    {
        if (!m_afterReset)
            return;
        m_afterReset = false;
        if (m_replaySteps.isEmpty()) {
            body += QStringLiteral("<p class='reset'>⟲ %1</p>\n").arg(esc(m_resetTitle));
            return;
        }
        const int g = m_nav->groupIndex(m_replayLesson);
        const QString lesson = g >= 0 ? m_nav->group(g).title : m_replayLesson;
        const QString steps = m_replaySteps.size() == 1
                                  ? QStringLiteral("step %1").arg(m_replaySteps.first())
                                  : QStringLiteral("steps %1–%2").arg(m_replaySteps.first()).arg(m_replaySteps.last());
        body += QStringLiteral("<p class='reset'>⟲ %1; then %2 of %3 run again in it, as told above: %4</p>\n")
                    .arg(esc(m_resetTitle), steps, esc(lesson), m_replayMarks);
        m_replaySteps.clear();
        m_replayMarks.clear();
    }

    void endReplayed(const QJsonObject& e)
    {
        const bool ok = e.value(QLatin1String("passed")).toBool();
        m_replayMarks +=
            ok ? QStringLiteral("<span class='pass'>✓</span>") : QStringLiteral("<span class='fail'>✗</span>");
    }

    // The lesson's heading when it changes, the step's place there, its text and command.
    void beginLessonStep(const QJsonObject& e)
    {
        const QString lesson = lessonOf(e);
        const int g = m_nav->groupIndex(lesson);
        const bool markdown = g >= 0 && !m_nav->group(g).walkthrough;
        if (lesson != m_currentLesson) {
            m_currentLesson = lesson;
            body +=
                QStringLiteral("<h2>%1</h2>\n")
                    .arg(g >= 0 ? esc(m_nav->group(g).walkthrough ? m_nav->group(g).title
                                                                  : QStringLiteral("Lesson: ") + m_nav->group(g).title)
                                : esc(lesson));
        }
        const int index = e.value(QLatin1String("index")).toInt(-1);
        const QString place = g >= 0 && index >= 0
                                  ? QStringLiteral("step %1 of %2 · ").arg(index + 1).arg(m_nav->groupSize(g))
                                  : QString();
        body += QStringLiteral("<section><h3>%1%2 <small>(%3)</small></h3>\n")
                    .arg(place, esc(str(e, "title")), esc(str(e, "where")));
        if (!str(e, "explain").isEmpty())
            body += markdown ? QStringLiteral("<div class='text'>%1</div>\n")
                                   .arg(safeMarkdownHtml(capStepText(str(e, "explain"))))
                             : QStringLiteral("<p>%1</p>\n").arg(esc(capStepText(str(e, "explain"))));
        if (!str(e, "shell").isEmpty())
            body += QStringLiteral("<pre class='shell'>$ %1</pre>\n").arg(esc(str(e, "shell")));
        // The call the lesson says it makes: where the traced calls are, unless none come.
        m_declaredCall = str(e, "syscall");
        m_declaredAt = body.size();
    }

    void endConsole(const QJsonObject& e)
    {
        const QJsonObject data = e.value(QLatin1String("data")).toObject();
        body += outputBlock(str(data, "stdout"), "out") + outputBlock(str(data, "stderr"), "err");
        if (!e.value(QLatin1String("ok")).toBool())
            body += QStringLiteral("<p class='fail'>%1</p>\n").arg(esc(str(e, "error")));
        else if (data.value(QLatin1String("exit_code")).toInt() != 0)
            body += QStringLiteral("<p class='fail'>[exit status %1]</p>\n")
                        .arg(data.value(QLatin1String("exit_code")).toInt());
    }

    void endStep(const QJsonObject& e)
    {
        const bool ok = e.value(QLatin1String("passed")).toBool();
        const QJsonObject data = e.value(QLatin1String("data")).toObject();
        ok ? ++passed : ++failed;
        QString result = e.value(QLatin1String("ok")).toBool()
                             ? QStringLiteral("ok")
                             : QStringLiteral("%1 %2").arg(str(e, "errno"), str(e, "error"));
        if (!str(e, "cause").isEmpty())
            result += QStringLiteral(" — cause: ") + str(e, "cause");
        body += QStringLiteral("<p class='%1'>→ %2 (%3 ms) · %4</p>\n")
                    .arg(ok ? QStringLiteral("pass") : QStringLiteral("fail"), esc(result))
                    .arg(e.value(QLatin1String("duration_us")).toDouble() / 1000.0, 0, 'f', 2)
                    .arg(ok ? QStringLiteral("behaved as the lesson says")
                            : QStringLiteral("DID NOT behave as the lesson says"));
        body += outputBlock(str(data, "stdout"), "out");
    }

    void addCheck(const QJsonObject& e)
    {
        const bool ok = e.value(QLatin1String("passed")).toBool();
        body += QStringLiteral("<div class='%1'>%2 %3 %4</div>\n")
                    .arg(ok ? QStringLiteral("pass") : QStringLiteral("fail"),
                         ok ? QStringLiteral("✓") : QStringLiteral("✗"), esc(str(e, "name")), esc(str(e, "message")));
    }

    void addDiff(const QJsonObject& e)
    {
        const MountDiffRows d = diffFromJson(e);
        if (d.isEmpty())
            return;
        const QString view =
            str(e, "view") == QLatin1String("host") ? QStringLiteral("lab host") : QStringLiteral("container");
        QStringList lines;
        // chroot: the mounts left out are still mounted, outside the process's root; the
        // rest are the same mounts seen from the new root.
        const QString root = MountForest::stepMayMoveRoot(m_begin, m_stepCalls) ? MountForest::movedRoot(d) : QString();
        const auto outside = [&root](const QString& t) {
            return !root.isEmpty() && t != root && !t.startsWith(root + QLatin1Char('/'));
        };
        if (!root.isEmpty())
            lines << QStringLiteral("<span class='ch'>the process's root is now %1: %2 mounts seen from there</span>")
                         .arg(esc(root))
                         .arg(d.changed.size());
        for (const MountRow& m : d.added)
            // A normalised diff renumbers peer groups: name the propagation instead.
            lines << QStringLiteral("<span class='add'>+ %1 %2 [%3]</span>")
                         .arg(esc(m.target), esc(m.fstype), esc(d.normalised ? m.propagationText() : m.groupText()));
        for (const MountRow& m : d.removed)
            lines << (outside(m.target) ? QStringLiteral("<span class='outroot'>⊘ %1 %2: outside this process's root, "
                                                         "still mounted</span>")
                                        : QStringLiteral("<span class='rm'>− %1 %2</span>"))
                         .arg(esc(m.target), esc(m.fstype));
        if (root.isEmpty())
            for (const auto& c : d.changed)
                lines << QStringLiteral("<span class='ch'>~ %1: %2</span>")
                             .arg(esc(c.after.target), esc(c.fields.join(QStringLiteral(", "))));
        body +=
            QStringLiteral("<div class='diff'><b>%1</b><br>%2</div>\n").arg(view, lines.join(QStringLiteral("<br>")));
    }

    // The calls the step made (the lab's own set-up is not the learner's business).
    void addSyscall(const QJsonObject& e, const QByteArray& line)
    {
        if (!m_open || e.value(QLatin1String("step")).toInt() != m_currentStep)
            return;
        const TraceRow row = traceRowFromEvent(e, line);
        m_callsTraced = true;
        m_stepCalls.insert(row.name);
        body += QStringLiteral("<div class='sys'>%1 = %2</div>\n").arg(esc(row.call()), esc(row.result()));
    }

    enum class Kind { None, Step, Reset, Replayed, Console };
    const NavigatorModel* m_nav;
    QSet<QString> m_reported; // "lesson/index" of the steps told in full
    bool m_afterReset = false;
    QString m_resetTitle, m_replayLesson, m_replayMarks;
    QList<int> m_replaySteps;
    bool m_callsTraced = false;
    QJsonObject m_begin;       // the running step's begin event
    QSet<QString> m_stepCalls; // the names of its traced calls
    QString m_declaredCall;
    qsizetype m_declaredAt = -1; // where it goes in the body
    Kind m_kind = Kind::None;
    bool m_open = false;
    int m_currentStep = -1;
    QString m_currentLesson;
};

// Each lesson's marks as the session ended: table rows, none for a lesson not run.
QString lessonMarks(const NavigatorModel* nav)
{
    QString marks;
    for (int g = 0; g < nav->groupCount(); ++g) {
        const NavGroup& group = nav->group(g);
        int ok = 0, bad = 0;
        for (const NavStep& st : group.steps) {
            ok += st.status == StepStatus::Passed;
            bad += st.status == StepStatus::Failed;
        }
        if (!ok && !bad && !group.completed)
            continue;
        // What the lab is in at the end; a lesson finished before a Back or a reset says so.
        const QString mark = ok == group.steps.size() ? QStringLiteral("<span class='pass'>✓ every step passed</span>")
                             : group.completed        ? QStringLiteral("✓ finished earlier in the session")
                                                      : QString();
        marks += QStringLiteral("<tr><td>%1</td><td>%2 of %3 passed%4</td><td>%5</td></tr>\n")
                     .arg(esc(group.title))
                     .arg(ok)
                     .arg(group.steps.size())
                     .arg(bad ? QStringLiteral(", <span class='fail'>%1 failed</span>").arg(bad) : QString(), mark);
    }
    return marks;
}

// Above the steps: when and where, the counts, the lessons' marks, the trees at the end.
QString reportSummary(const StepList& steps, const QString& marks, const QString& treeSvg, const Theme& t)
{
    const QJsonObject& session = steps.session;
    QString summary =
        QStringLiteral("<h1>MountLab report</h1><p>%1 · kernel %2 · engine: %3 · trace: %4</p>")
            .arg(QDateTime::currentDateTime().toString(Qt::ISODate), esc(str(session, "kernel")),
                 session.value(QLatin1String("rootless")).toBool() ? QStringLiteral("rootless (user namespace)")
                                                                   : QStringLiteral("root"),
                 esc(session.value(QLatin1String("trace")).toString(QStringLiteral("none"))));
    summary += QStringLiteral("<p>%1 steps behaved as their lesson says, %2 did not; %3 fresh labs (%4 steps run "
                              "again in them to rebuild the lab); %5 console commands.</p>\n")
                   .arg(steps.passed)
                   .arg(steps.failed)
                   .arg(steps.resets)
                   .arg(steps.replayed)
                   .arg(steps.console);
    if (!marks.isEmpty())
        summary +=
            QStringLiteral(
                "<h2>Lessons at the end of the session</h2><table><tr><th>lesson</th><th>steps</th><th></th></tr>\n%1</table>\n")
                .arg(marks);
    if (!treeSvg.isEmpty())
        summary += QStringLiteral("<h2>The mount trees at the end</h2><div class='tree'>%1</div>").arg(treeSvg);
    summary += QStringLiteral("<h2 style='border-bottom:2px solid %1'>The session, step by step</h2>\n")
                   .arg(t.reportHeadingRule.name());
    return summary;
}

// One exercise's kept attempts: the best score, a table of them, each script as text.
QString exerciseAttempts(const Progress& p, const QString& lesson, const QString& exercise)
{
    const QJsonObject state = p.exerciseState(lesson, exercise);
    const QJsonArray tries = state.value(QLatin1String("attempts")).toArray();
    QString rows, scripts;
    for (int i = 0; i < tries.size(); ++i) {
        const QJsonObject a = tries.at(i).toObject();
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3/%4</td><td>%5</td></tr>\n")
                    .arg(i + 1)
                    .arg(esc(str(a, "time")))
                    .arg(a.value(QLatin1String("score")).toInt())
                    .arg(a.value(QLatin1String("max")).toInt())
                    .arg(esc(str(a, "status")));
        scripts += QStringLiteral("<p>Attempt %1's script:</p>\n<pre class='shell'>%2</pre>\n")
                       .arg(i + 1)
                       .arg(esc(str(a, "script")));
    }
    return QStringLiteral("<h3>%1 / %2: best %3/%4</h3>\n<table><tr><th>#</th><th>time</th><th>score</th>"
                          "<th>status</th></tr>\n%5</table>\n%6")
        .arg(esc(lesson), esc(exercise))
        .arg(state.value(QLatin1String("best")).toInt())
        .arg(state.value(QLatin1String("max")).toInt())
        .arg(rows, scripts);
}

QString attemptsSection(const Progress* p)
{
    if (!p)
        return {};
    QString body;
    for (const QString& key : p->exerciseKeys()) {
        const QString lesson = key.section(QLatin1Char('/'), 0, 0), exercise = key.section(QLatin1Char('/'), 1);
        if (!p->attempts(lesson, exercise).isEmpty())
            body += exerciseAttempts(*p, lesson, exercise);
    }
    return body.isEmpty() ? QString() : QStringLiteral("<h2>Exercise attempts</h2>\n") + body;
}

} // namespace

QString htmlReport(const QVector<QByteArray>& events, const QString& treeSvg, const Progress* progress)
{
    // The events through a session give each lesson's marks at the end.
    Session replayed;
    for (const QByteArray& line : events)
        replayed.handleLine(line);
    const NavigatorModel* nav = replayed.navigator();

    StepList steps(nav);
    for (const QByteArray& line : events)
        steps.add(line);
    steps.finish();

    const Theme theme = Theme::normal(11); // the report's colours (a light page)
    return reportHead(theme) + reportSummary(steps, lessonMarks(nav), treeSvg, theme) + steps.body +
           attemptsSection(progress) + QStringLiteral("</body></html>\n");
}

} // namespace mountlab::gui
