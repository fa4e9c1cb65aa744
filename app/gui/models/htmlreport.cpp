#include "htmlreport.h"

#include "mountrow.h"
#include "tracemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mountlab::gui {

static QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QString htmlReport(const QVector<QByteArray>& events, const QString& treeSvg)
{
    QString body;
    QJsonObject session;
    int passed = 0, failed = 0;
    bool open = false;
    int currentStep = -1;
    for (const QByteArray& line : events) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        const QString kind = e.value(QLatin1String("kind")).toString();
        if (kind == QLatin1String("session")) {
            session = e;
        } else if (kind == QLatin1String("step") && e.value(QLatin1String("phase")).toString() == QLatin1String("begin")) {
            if (open)
                body += QStringLiteral("</section>\n");
            open = true;
            currentStep = e.value(QLatin1String("step")).toInt();
            body += QStringLiteral("<section><h2>[%1] %2 <small>(%3, %4)</small></h2>\n")
                        .arg(e.value(QLatin1String("step")).toInt())
                        .arg(esc(e.value(QLatin1String("title")).toString()), esc(e.value(QLatin1String("stage")).toString()),
                             esc(e.value(QLatin1String("where")).toString()));
            const QString shell = e.value(QLatin1String("shell")).toString();
            const QString syscall = e.value(QLatin1String("syscall")).toString();
            const QString explain = e.value(QLatin1String("explain")).toString();
            if (!shell.isEmpty())
                body += QStringLiteral("<pre class='shell'>$ %1</pre>\n").arg(esc(shell));
            if (!syscall.isEmpty())
                body += QStringLiteral("<pre class='syscall'>%1</pre>\n").arg(esc(syscall));
            if (!explain.isEmpty())
                body += QStringLiteral("<p>%1</p>\n").arg(esc(explain));
        } else if (kind == QLatin1String("step")) {
            const bool ok = e.value(QLatin1String("passed")).toBool();
            ok ? ++passed : ++failed;
            QString result = e.value(QLatin1String("ok")).toBool()
                                 ? QStringLiteral("ok")
                                 : QStringLiteral("%1 %2").arg(e.value(QLatin1String("errno")).toString(), e.value(QLatin1String("error")).toString());
            const QString cause = e.value(QLatin1String("cause")).toString();
            if (!cause.isEmpty())
                result += QStringLiteral(" — cause: ") + cause;
            body += QStringLiteral("<p class='%1'>→ %2 (%3 ms) · step %4</p>\n")
                        .arg(ok ? QStringLiteral("pass") : QStringLiteral("fail"), esc(result))
                        .arg(e.value(QLatin1String("duration_us")).toDouble() / 1000.0, 0, 'f', 2)
                        .arg(ok ? QStringLiteral("passed") : QStringLiteral("FAILED"));
        } else if (kind == QLatin1String("check")) {
            const bool ok = e.value(QLatin1String("passed")).toBool();
            body += QStringLiteral("<div class='%1'>%2 %3 %4</div>\n")
                        .arg(ok ? QStringLiteral("pass") : QStringLiteral("fail"), ok ? QStringLiteral("✓") : QStringLiteral("✗"),
                             esc(e.value(QLatin1String("name")).toString()), esc(e.value(QLatin1String("message")).toString()));
        } else if (kind == QLatin1String("diff")) {
            const MountDiffRows d = diffFromJson(e);
            if (d.isEmpty())
                continue;
            const QString view = e.value(QLatin1String("view")).toString() == QLatin1String("host") ? QStringLiteral("lab host") : QStringLiteral("container");
            QStringList lines;
            for (const MountRow& m : d.added)
                // A normalised diff renumbers peer groups: name the propagation instead.
                lines << QStringLiteral("<span class='add'>+ %1 %2 [%3]</span>")
                             .arg(esc(m.target), esc(m.fstype), esc(d.normalised ? m.propagationText() : m.groupText()));
            for (const MountRow& m : d.removed)
                lines << QStringLiteral("<span class='rm'>− %1 %2</span>").arg(esc(m.target), esc(m.fstype));
            for (const auto& c : d.changed)
                lines << QStringLiteral("<span class='ch'>~ %1: %2</span>").arg(esc(c.after.target), esc(c.fields.join(QStringLiteral(", "))));
            body += QStringLiteral("<div class='diff'><b>%1</b><br>%2</div>\n").arg(view, lines.join(QStringLiteral("<br>")));
        } else if (kind == QLatin1String("syscall")) {
            // The calls the step made (the lab's own set-up is not the learner's business).
            if (!open || e.value(QLatin1String("step")).toInt() != currentStep)
                continue;
            const TraceRow row = traceRowFromEvent(e, line);
            body += QStringLiteral("<div class='sys'>%1 = %2</div>\n").arg(esc(row.call()), esc(row.result()));
        }
    }
    if (open)
        body += QStringLiteral("</section>\n");
    const QString head = QStringLiteral(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>MountLab report</title><style>"
        "body{font-family:DejaVu Sans,sans-serif;max-width:70em;margin:2em auto;color:#1a1a1a}"
        "pre{background:#f2f2ee;padding:.4em .8em;border-radius:4px}.syscall{color:#444}"
        ".pass{color:#007a4d}.fail{color:#c01c1c;font-weight:bold}.diff{font-family:monospace;margin:.4em 0}"
        ".add{background:#fff3a0}.rm{text-decoration:line-through;color:#777}.ch{color:#d55e00}"
        ".sys{font-family:monospace;color:#555}section{border-top:1px solid #ddd;margin-top:1em}"
        "</style></head><body>");
    QString summary = QStringLiteral("<h1>MountLab report</h1><p>kernel %1 · %2 · %3 steps passed, %4 failed</p>")
                          .arg(esc(session.value(QLatin1String("kernel")).toString()),
                               session.value(QLatin1String("rootless")).toBool() ? QStringLiteral("rootless") : QStringLiteral("root"))
                          .arg(passed)
                          .arg(failed);
    if (!treeSvg.isEmpty())
        summary += QStringLiteral("<h2>The mount trees at the end</h2><div>%1</div>").arg(treeSvg);
    return head + summary + body + QStringLiteral("</body></html>\n");
}

} // namespace mountlab::gui
