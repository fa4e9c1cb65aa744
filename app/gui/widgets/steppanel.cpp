#include "steppanel.h"

#include "lessondriver.h"
#include "linkopener.h"
#include "session.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextDocument>
#include <QVBoxLayout>

namespace mountlab::gui {

namespace {

// A lesson's overview: what it teaches, what it needs, and the exercises a grader checks.
QString lessonOverview(const NavGroup& g)
{
    QString md = g.summary.trimmed();
    if (!g.prerequisites.isEmpty())
        md += QStringLiteral("\n\n**Before this:** ") + g.prerequisites.join(QStringLiteral(", "));
    if (!g.exercises.isEmpty()) {
        md += QStringLiteral("\n\n**Exercises** (graded with `mountlab-cli grade %1 EXERCISE script.sh`):\n").arg(g.id);
        for (const QJsonValue& v : g.exercises) {
            const QJsonObject e = v.toObject();
            const QString task = e.value(QLatin1String("task")).toString().simplified();
            md += QStringLiteral("\n- **%1** (`%2`, %3 points): %4")
                      .arg(e.value(QLatin1String("title")).toString(), e.value(QLatin1String("id")).toString())
                      .arg(e.value(QLatin1String("points")).toInt())
                      .arg(task);
        }
    }
    return md;
}

// What the step's commands printed (ip link, ps, a uid_map...): part of the lesson.
QString outputHtml(const QJsonObject& end, const Theme& theme)
{
    const QJsonObject data = end.value(QLatin1String("data")).toObject();
    const QString out = data.value(QLatin1String("stdout")).toString();
    if (out.trimmed().isEmpty())
        return {};
    QStringList lines = out.split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    if (lines.size() > 40)
        lines = lines.mid(0, 40) << StepPanel::tr("… (%1 more lines)").arg(lines.size() - 40);
    return QStringLiteral("<pre style='margin-top:6px;padding:4px;background:%1'>%2</pre>")
        .arg(theme.stepOutputBackground.name(), lines.join(QLatin1Char('\n')).toHtmlEscaped());
}

// How the step ended: ok or the errno, its cause, its checks, what it printed.
QString endHtml(const Session::StepResult& ran, const Theme& theme)
{
    const QJsonObject& end = ran.end;
    const bool ok = end.value(QLatin1String("ok")).toBool();
    QString result =
        ok ? StepPanel::tr("→ ok (%1 ms)").arg(end.value(QLatin1String("duration_us")).toDouble() / 1000.0, 0, 'f', 2)
           : StepPanel::tr("→ <b>%1</b> %2")
                 .arg(end.value(QLatin1String("errno")).toString().toHtmlEscaped(),
                      end.value(QLatin1String("error")).toString().toHtmlEscaped());
    const QString cause = end.value(QLatin1String("cause")).toString();
    if (!cause.isEmpty())
        result += QStringLiteral("<br>cause: ") + cause.toHtmlEscaped();
    for (const QJsonObject& c : ran.checks) {
        const bool passed = c.value(QLatin1String("passed")).toBool();
        result += QStringLiteral("<br><span style='color:%1'>%2 %3</span> %4")
                      .arg((passed ? theme.passText : theme.failText).name(),
                           passed ? QStringLiteral("✓") : QStringLiteral("✗"),
                           c.value(QLatin1String("name")).toString().toHtmlEscaped(),
                           c.value(QLatin1String("message")).toString().toHtmlEscaped());
    }
    return result + outputHtml(end, theme);
}

} // namespace

StepPanel::StepPanel(Session& session, LessonDriver& driver, LinkOpener* links, QWidget* parent)
    : QWidget(parent), m_session(session), m_driver(driver)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 4);
    // The text scrolls when a step says a lot; the buttons stay put below it.
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_text = new QWidget(m_scroll);
    m_text->setAutoFillBackground(false);
    m_scroll->viewport()->setAutoFillBackground(false);
    m_scroll->setWidget(m_text);
    outer->addWidget(m_scroll, 1);
    auto* sp = new QVBoxLayout(m_text);
    sp->setContentsMargins(8, 4, 8, 4);
    // Titles, shell and syscall come from lessons and recordings: shown as the text they are.
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_explain = new QLabel(this);
    m_explain->setWordWrap(true);
    m_explain->setTextInteractionFlags(Qt::TextBrowserInteraction);
    // No setOpenExternalLinks: it would open any scheme.
    connect(m_explain, &QLabel::linkActivated, links, &LinkOpener::activate);
    m_shell = new QLabel(this);
    m_shell->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_shell->setWordWrap(true);
    m_syscall = new QLabel(this);
    m_syscall->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_syscall->setWordWrap(true);
    for (QLabel* l : {m_title, m_shell, m_syscall})
        l->setTextFormat(Qt::PlainText);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
    // The step result's links are the prediction's choices (predict:N), nothing else.
    connect(m_result, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link.startsWith(QLatin1String("predict:")))
            m_driver.choosePrediction(link.mid(8).toInt());
    });
    for (QLabel* l : {m_title, m_explain, m_shell, m_syscall, m_result})
        sp->addWidget(l);
    m_title->setObjectName(QStringLiteral("stepTitle"));
    m_explain->setObjectName(QStringLiteral("stepExplain"));
    m_shell->setObjectName(QStringLiteral("stepShell"));
    m_syscall->setObjectName(QStringLiteral("stepSyscall"));
    m_result->setObjectName(QStringLiteral("stepResult"));
    sp->addStretch(1);
    buildButtons();
    outer->addWidget(m_buttonsRow);
}

void StepPanel::buildButtons()
{
    m_buttonsRow = new QWidget(this);
    auto* buttons = new QHBoxLayout(m_buttonsRow);
    buttons->setContentsMargins(8, 0, 8, 0);
    m_backButton = new QPushButton(tr("◀ Back  (←)"), this);
    m_runButton = new QPushButton(tr("▶ Run step  (Space)"), this);
    m_runToButton = new QPushButton(tr("▶▶ Run to here"), this);
    m_resetButton = new QPushButton(tr("⟲ Reset  (Ctrl+R)"), this);
    m_nextLessonButton = new QPushButton(tr("Next lesson ▶"), this);
    m_nextLessonButton->setObjectName(QStringLiteral("nextLesson"));
    m_nextLessonButton->setToolTip(tr("The next lesson's first step, in a fresh lab (this lab's end state is left)"));
    m_backButton->setToolTip(tr("A fresh lab, then every step up to the previous one again"));
    m_runButton->setToolTip(tr("Run the next step for real in the lab"));
    m_runToButton->setToolTip(tr("Run every step of the lesson up to the one selected in the navigator"));
    m_resetButton->setToolTip(tr("A fresh lab host and container; nothing run"));
    for (QPushButton* b : {m_backButton, m_runButton, m_runToButton, m_resetButton, m_nextLessonButton}) {
        b->setFocusPolicy(Qt::NoFocus); // Space must reach the shortcut, not press a button
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    connect(m_backButton, &QPushButton::clicked, &m_driver, &LessonDriver::back);
    connect(m_runButton, &QPushButton::clicked, &m_driver, &LessonDriver::spaceKey);
    connect(m_runToButton, &QPushButton::clicked, this, [this] { m_driver.runToStep(m_driver.shownStep()); });
    connect(m_resetButton, &QPushButton::clicked, &m_driver, &LessonDriver::reset);
    connect(m_nextLessonButton, &QPushButton::clicked, &m_driver, &LessonDriver::startNextLesson);
}

void StepPanel::refresh(bool exploring)
{
    const NavigatorModel* nav = m_session.navigator();
    const int overview = m_driver.overviewShown();
    const int shown = m_driver.shownStep();
    if (!exploring && overview >= 0 && overview < nav->groupCount())
        showOverview(overview);
    else if (shown < 0 || shown >= nav->stepCount())
        showPlaceholder(exploring);
    else
        showStep(shown);
    m_explain->setVisible(!m_explain->text().isEmpty()); // a step without text leaves no gap
    updateButtons();
}

void StepPanel::showOverview(int group)
{
    const NavigatorModel* nav = m_session.navigator();
    const int next = m_driver.nextStepToRun();
    const NavGroup& g = nav->group(group);
    m_title->setText(g.walkthrough ? g.title : tr("Lesson · %1").arg(g.title));
    m_title->setToolTip(plainToolTip(g.file));
    m_explain->setTextFormat(Qt::RichText);
    m_explain->setText(m_explainHtml.html(capStepText(lessonOverview(g))));
    m_shell->clear();
    m_syscall->clear();
    const int n = int(g.steps.size());
    const int start = nav->groupStart(group);
    const QString count = n == 1 ? tr("1 step") : tr("%1 steps").arg(n);
    if (g.steps.isEmpty())
        m_result->clear();
    else if (group == nav->active() && next >= start + n)
        m_result->setText(lessonDoneHtml(group));
    else if (group == nav->active() && next > start)
        m_result->setText(tr("%1; the lab is in this lesson — Space runs step %2").arg(count).arg(next - start + 1));
    else if (group == nav->active() && next == start)
        m_result->setText(tr("%1; a fresh lab, nothing run — Space runs step 1").arg(count));
    else
        m_result->setText(tr("%1 — Space starts this lesson in a fresh lab").arg(count));
}

// The end of a lesson: each step as it ended, and where Space goes from here. The lab
// stays as the last step left it until the learner moves on.
QString StepPanel::lessonDoneHtml(int group) const
{
    const NavigatorModel* nav = m_session.navigator();
    const int start = nav->groupStart(group), n = nav->groupSize(group);
    int passed = 0;
    QString steps;
    for (int i = start; i < start + n; ++i) {
        const NavStep& s = nav->step(i);
        const bool ok = s.status == StepStatus::Passed;
        passed += ok ? 1 : 0;
        steps +=
            QStringLiteral("<br><span style='color:%1'>%2</span> %3. %4")
                .arg((ok ? m_theme.passText : m_theme.failText).name(), ok ? QStringLiteral("✓") : QStringLiteral("✗"))
                .arg(i - start + 1)
                .arg(s.title.left(300).toHtmlEscaped());
    }
    QString html = tr("<b>Lesson done:</b> %1 of %2 steps as the lesson expects; the lab is as the last step left it "
                      "(look around in the Terminal tab).")
                       .arg(passed)
                       .arg(n) +
                   steps;
    const int next = m_driver.nextLesson();
    html += QStringLiteral("<br><br>") +
            (next >= 0 ? tr("Space or <b>Next lesson ▶</b> starts “%1” in a fresh lab; Back (←) undoes the last step, "
                            "Reset (Ctrl+R) starts this one over.")
                             .arg(nav->group(next).title.left(200).toHtmlEscaped())
                       : tr("This was the last lesson. Back (←) undoes the last step, Reset (Ctrl+R) starts over."));
    return html;
}

void StepPanel::showPlaceholder(bool exploring)
{
    m_title->setText(exploring ? tr("Exploring this machine's mount table") : tr("MountLab"));
    m_explain->setTextFormat(Qt::PlainText);
    m_explain->setText(exploring ? tr("Every mount of this machine, refreshed every second; changes glow.")
                                 : tr("Start the lab (File ▸ Start the lab) or open a recording."));
    m_shell->clear();
    m_syscall->clear();
    m_result->clear();
}

void StepPanel::showStep(int flat)
{
    const NavigatorModel* nav = m_session.navigator();
    const NavStep& s = nav->step(flat);
    const int gi = nav->groupOf(flat);
    const NavGroup& g = nav->group(gi);
    const int pos = flat - nav->groupStart(gi);
    const QString where = g.walkthrough ? s.stageTitle : g.title;
    m_title->setText(tr("%1 · step %2 of %3 · %4").arg(where).arg(pos + 1).arg(g.steps.size()).arg(s.title));
    m_title->setToolTip(plainToolTip(g.title));
    m_explain->setTextFormat(s.markdown ? Qt::RichText : Qt::PlainText);
    const QString text = capStepText(s.explain.trimmed());
    m_explain->setText(s.markdown && !text.isEmpty() ? m_explainHtml.html(text) : text);
    m_shell->setText(s.shell.isEmpty() ? QString() : QStringLiteral("$ ") + s.shell);
    m_syscall->setText(s.syscall.isEmpty() ? QString() : tr("syscall: ") + s.syscall);
    const QString predict = predictionHtml(flat);
    m_result->setText(predict + resultHtml(flat));
}

// A prediction: asked while the step has not run (a choice is a link, or its number a
// key), answered once it has: the learner's choice against the kernel's.
QString StepPanel::predictionHtml(int flat)
{
    const NavStep& s = m_session.navigator()->step(flat);
    if (!LessonDriver::asksPrediction(s))
        return {};
    const QJsonObject end = m_session.resultOf(flat).end;
    const QString question = s.predict.value(QLatin1String("question")).toString().left(2000);
    const QJsonArray choices = s.predict.value(QLatin1String("choices")).toArray();
    const bool answered = s.status != StepStatus::NotRun && s.status != StepStatus::Running && !end.isEmpty();
    const int answer = s.predict.value(QLatin1String("answer")).toInt(-1);
    const int mine = m_driver.predictionOf(flat);
    QString predict =
        (answered ? tr("<b>Prediction:</b> %1") : tr("<b>Predict first:</b> %1")).arg(question.toHtmlEscaped());
    for (int i = 0; i < choices.size(); ++i) {
        const QString c = choices[i].toString().left(500).toHtmlEscaped();
        QString line = answered || s.status == StepStatus::Running
                           ? QStringLiteral("%1) %2").arg(i + 1).arg(c)
                           : QStringLiteral("<a href=\"predict:%1\">%2) %3</a>").arg(i).arg(i + 1).arg(c);
        if (answered && i == answer)
            line = QStringLiteral("<b>%1 ✓</b>").arg(line);
        if (i == mine)
            line += tr(" ◀ your prediction");
        predict += QStringLiteral("<br>&nbsp;&nbsp;") + line;
    }
    if (answered && mine >= 0) {
        predict += QStringLiteral("<br>") +
                   (mine == answer ? tr("<b>You predicted it.</b>")
                                   : tr("<b>Not what you predicted:</b> the kernel did %1.").arg(answer + 1));
        // Said once in the status bar too, which is never scrolled away.
        if (m_driver.takeAnswerTold(flat))
            Q_EMIT message(mine == answer
                               ? tr("You predicted it: the kernel did %1.").arg(answer + 1)
                               : tr("Not what you predicted: the kernel did %1, not %2.").arg(answer + 1).arg(mine + 1),
                           10000);
    } else if (!answered && mine < 0) {
        predict += QStringLiteral("<br>") + tr("<i>Press 1–%1 or click a choice, then Space.</i>").arg(choices.size());
    }
    const QString why = s.predict.value(QLatin1String("why")).toString().left(2000);
    if (answered && !why.isEmpty())
        predict += QStringLiteral("<br>") + tr("Why: %1").arg(why.toHtmlEscaped());
    return predict + QStringLiteral("<br>");
}

QString StepPanel::resultHtml(int flat) const
{
    const NavigatorModel* nav = m_session.navigator();
    const NavStep& s = nav->step(flat);
    const Session::StepResult ran = m_session.resultOf(flat);
    if (s.status != StepStatus::NotRun && s.status != StepStatus::Running && !ran.end.isEmpty())
        return endHtml(ran, m_theme);
    if (s.status == StepStatus::Running)
        return tr("running…");
    const int next = m_driver.nextStepToRun();
    const int gi = nav->groupOf(flat);
    if (next < nav->stepCount() && nav->groupOf(next) == gi)
        return next == nav->groupStart(gi) && gi != nav->active()
                   ? tr("not run yet — Space starts this lesson in a fresh lab")
                   : tr("not run yet — Space runs step %1").arg(next - nav->groupStart(gi) + 1);
    return tr("not run yet");
}

void StepPanel::updateButtons()
{
    const LessonDriver::Actions can = m_driver.actions();
    m_runButton->setEnabled(can.run);
    m_backButton->setEnabled(can.back);
    m_runToButton->setEnabled(can.runTo);
    m_resetButton->setEnabled(can.reset);
    m_nextLessonButton->setVisible(can.nextLesson);
}

void StepPanel::setTheme(const Theme& t)
{
    m_theme = t;
    m_title->setFont(t.uiFont(1.45, true));
    m_explain->setFont(t.uiFont(1.1));
    m_shell->setFont(t.monoFont(1.1, true));
    m_syscall->setFont(t.monoFont(1.0));
    m_result->setFont(t.uiFont(1.0));
    // On black the command needs no box of its own.
    m_shell->setStyleSheet(
        t.shellBackground.isValid()
            ? QStringLiteral("color:%1;background:%2;padding:3px").arg(t.shellText.name(), t.shellBackground.name())
            : QStringLiteral("color:%1").arg(t.shellText.name()));
    m_syscall->setStyleSheet(QStringLiteral("color:%1").arg(t.syscallText.name()));
}

void StepPanel::setPresenter(bool on)
{
    m_buttonsRow->setVisible(!on);
    m_result->setVisible(true); // what the step did and printed: the room needs it too
}

int StepPanel::textHeightForWidth(int width) const
{
    return m_text->hasHeightForWidth() ? m_text->heightForWidth(width) : m_text->sizeHint().height();
}

int StepPanel::buttonsHeight() const { return m_buttonsRow->sizeHint().height(); }

void StepPanel::scrollToResult() { m_scroll->verticalScrollBar()->setValue(m_result->y()); }

QString StepPanel::titleText() const { return m_title->text(); }

QString StepPanel::explainText() const
{
    if (m_explain->textFormat() != Qt::RichText)
        return m_explain->text();
    QTextDocument shown; // what the reader reads, without the markup
    shown.setHtml(m_explain->text());
    return shown.toPlainText();
}

QString StepPanel::resultText() const { return m_result->text(); }

} // namespace mountlab::gui
