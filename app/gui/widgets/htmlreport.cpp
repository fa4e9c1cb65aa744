#include "htmlreport.h"

#include "mountrow.h"
#include "safemarkdown.h"
#include "session.h"
#include "tracemodel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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

} // namespace

QString htmlReport(const QVector<QByteArray>& events, const QString& treeSvg)
{
    // The events through a session give each lesson's marks at the end.
    Session replayed;
    for (const QByteArray& line : events)
        replayed.handleLine(line);
    const NavigatorModel* nav = replayed.navigator();

    QString body;
    QJsonObject session;
    int passed = 0, failed = 0, resets = 0, console = 0;
    enum class Kind { None, Step, Reset, Console } kind = Kind::None;
    bool open = false;
    int currentStep = -1;
    QString currentLesson;
    auto close = [&] {
        if (open)
            body += QStringLiteral("</section>\n");
        open = false;
    };
    for (const QByteArray& line : events) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        const QString k = str(e, "kind");
        if (k == QLatin1String("session")) {
            session = e;
        } else if (k == QLatin1String("step") && str(e, "phase") == QLatin1String("begin")) {
            close();
            currentStep = e.value(QLatin1String("step")).toInt();
            // A reset the reader asked for (not a lesson's own "fresh container" step).
            if (str(e, "where") == QLatin1String("lab") && !e.contains(QLatin1String("lesson"))) {
                kind = Kind::Reset;
                ++resets;
                body += QStringLiteral("<p class='reset'>⟲ %1</p>\n").arg(esc(str(e, "title")));
                continue;
            }
            open = true;
            if (str(e, "stage") == QLatin1String("console")) {
                kind = Kind::Console;
                ++console;
                body += QStringLiteral(
                            "<section class='console'><h3>Console</h3>\n<pre class='shell'>container / # %1</pre>\n")
                            .arg(esc(str(e, "shell")));
                continue;
            }
            kind = Kind::Step;
            // The lesson it belongs to, and its place there.
            QString lesson = str(e, "lesson");
            if (lesson.isEmpty()) { // a recording from before steps named their lesson
                const int flat = nav->flatIndexOf(str(e, "stage"), str(e, "id"));
                lesson = flat >= 0 ? nav->group(nav->groupOf(flat)).id : str(e, "stage");
            }
            const int g = nav->groupIndex(lesson);
            const bool markdown = g >= 0 && !nav->group(g).walkthrough;
            if (lesson != currentLesson) {
                currentLesson = lesson;
                body +=
                    QStringLiteral("<h2>%1</h2>\n")
                        .arg(g >= 0 ? esc(nav->group(g).walkthrough ? nav->group(g).title
                                                                    : QStringLiteral("Lesson: ") + nav->group(g).title)
                                    : esc(lesson));
            }
            const int index = e.value(QLatin1String("index")).toInt(-1);
            const QString place = g >= 0 && index >= 0
                                      ? QStringLiteral("step %1 of %2 · ").arg(index + 1).arg(nav->groupSize(g))
                                      : QString();
            body += QStringLiteral("<section><h3>%1%2 <small>(%3)</small></h3>\n")
                        .arg(place, esc(str(e, "title")), esc(str(e, "where")));
            if (!str(e, "explain").isEmpty())
                body += markdown ? QStringLiteral("<div class='text'>%1</div>\n")
                                       .arg(safeMarkdownHtml(capStepText(str(e, "explain"))))
                                 : QStringLiteral("<p>%1</p>\n").arg(esc(capStepText(str(e, "explain"))));
            if (!str(e, "shell").isEmpty())
                body += QStringLiteral("<pre class='shell'>$ %1</pre>\n").arg(esc(str(e, "shell")));
            if (!str(e, "syscall").isEmpty())
                body += QStringLiteral("<pre class='syscall'>%1</pre>\n").arg(esc(str(e, "syscall")));
        } else if (kind == Kind::Reset) {
            continue; // a fresh lab's tables and calls are set-up, not the lesson
        } else if (k == QLatin1String("step")) {
            const bool ok = e.value(QLatin1String("passed")).toBool();
            const QJsonObject data = e.value(QLatin1String("data")).toObject();
            if (kind == Kind::Console) {
                body += outputBlock(str(data, "stdout"), "out") + outputBlock(str(data, "stderr"), "err");
                if (!e.value(QLatin1String("ok")).toBool())
                    body += QStringLiteral("<p class='fail'>%1</p>\n").arg(esc(str(e, "error")));
                else if (data.value(QLatin1String("exit_code")).toInt() != 0)
                    body += QStringLiteral("<p class='fail'>[exit status %1]</p>\n")
                                .arg(data.value(QLatin1String("exit_code")).toInt());
                continue;
            }
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
        } else if (k == QLatin1String("check")) {
            const bool ok = e.value(QLatin1String("passed")).toBool();
            body +=
                QStringLiteral("<div class='%1'>%2 %3 %4</div>\n")
                    .arg(ok ? QStringLiteral("pass") : QStringLiteral("fail"),
                         ok ? QStringLiteral("✓") : QStringLiteral("✗"), esc(str(e, "name")), esc(str(e, "message")));
        } else if (k == QLatin1String("diff")) {
            const MountDiffRows d = diffFromJson(e);
            if (d.isEmpty())
                continue;
            const QString view =
                str(e, "view") == QLatin1String("host") ? QStringLiteral("lab host") : QStringLiteral("container");
            QStringList lines;
            for (const MountRow& m : d.added)
                // A normalised diff renumbers peer groups: name the propagation instead.
                lines << QStringLiteral("<span class='add'>+ %1 %2 [%3]</span>")
                             .arg(esc(m.target), esc(m.fstype),
                                  esc(d.normalised ? m.propagationText() : m.groupText()));
            for (const MountRow& m : d.removed)
                lines << QStringLiteral("<span class='rm'>− %1 %2</span>").arg(esc(m.target), esc(m.fstype));
            for (const auto& c : d.changed)
                lines << QStringLiteral("<span class='ch'>~ %1: %2</span>")
                             .arg(esc(c.after.target), esc(c.fields.join(QStringLiteral(", "))));
            body += QStringLiteral("<div class='diff'><b>%1</b><br>%2</div>\n")
                        .arg(view, lines.join(QStringLiteral("<br>")));
        } else if (k == QLatin1String("syscall")) {
            // The calls the step made (the lab's own set-up is not the learner's business).
            if (!open || e.value(QLatin1String("step")).toInt() != currentStep)
                continue;
            const TraceRow row = traceRowFromEvent(e, line);
            body += QStringLiteral("<div class='sys'>%1 = %2</div>\n").arg(esc(row.call()), esc(row.result()));
        }
    }
    close();

    // Each lesson's marks as the session ended.
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
        marks +=
            QStringLiteral("<tr><td>%1</td><td>%2 of %3 passed%4</td><td>%5</td></tr>\n")
                .arg(esc(group.title))
                .arg(ok)
                .arg(group.steps.size())
                .arg(bad ? QStringLiteral(", <span class='fail'>%1 failed</span>").arg(bad) : QString())
                .arg(group.completed ? QStringLiteral("<span class='pass'>✓ every step passed</span>") : QString());
    }

    const QString head =
        QStringLiteral("<!DOCTYPE html><html><head><meta charset='utf-8'>"
                       // Nothing loads or runs: the text comes from a recording someone else made.
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"") +
        QLatin1String(kReportCsp) +
        QStringLiteral(
            "\"><title>MountLab report</title><style>"
            "body{font-family:DejaVu Sans,sans-serif;max-width:70em;margin:2em auto;color:#1a1a1a}"
            "pre{background:#f2f2ee;padding:.4em .8em;border-radius:4px;white-space:pre-wrap}.syscall{color:#444}"
            ".out{background:#fbfbf7;border-left:3px solid #bbb}.err{color:#c01c1c}"
            ".pass{color:#007a4d}.fail{color:#c01c1c;font-weight:bold}.diff{font-family:monospace;margin:.4em 0}"
            ".add{background:#fff3a0}.rm{text-decoration:line-through;color:#777}.ch{color:#d55e00}"
            ".sys{font-family:monospace;color:#555}section{border-top:1px solid #ddd;margin-top:1em}"
            ".reset{color:#777;font-style:italic;border-top:1px dashed #ccc;padding-top:.3em}"
            "table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}"
            "h2{margin-top:1.6em}</style></head><body>");
    QString summary =
        QStringLiteral("<h1>MountLab report</h1><p>%1 · kernel %2 · engine: %3 · trace: %4</p>")
            .arg(QDateTime::currentDateTime().toString(Qt::ISODate), esc(str(session, "kernel")),
                 session.value(QLatin1String("rootless")).toBool() ? QStringLiteral("rootless (user namespace)")
                                                                   : QStringLiteral("root"),
                 esc(session.value(QLatin1String("trace")).toString(QStringLiteral("none"))));
    summary += QStringLiteral(
                   "<p>%1 steps behaved as their lesson says, %2 did not; %3 fresh labs; %4 console commands.</p>\n")
                   .arg(passed)
                   .arg(failed)
                   .arg(resets)
                   .arg(console);
    if (!marks.isEmpty())
        summary +=
            QStringLiteral(
                "<h2>Lessons at the end of the session</h2><table><tr><th>lesson</th><th>steps</th><th></th></tr>\n%1</table>\n")
                .arg(marks);
    if (!treeSvg.isEmpty())
        summary += QStringLiteral("<h2>The mount trees at the end</h2><div>%1</div>").arg(treeSvg);
    summary += QStringLiteral("<h2 style='border-bottom:2px solid #333'>The session, step by step</h2>\n");
    return head + summary + body + QStringLiteral("</body></html>\n");
}

} // namespace mountlab::gui
