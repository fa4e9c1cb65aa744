#include "steppanel.h"

#include "lessondriver.h"
#include "linkopener.h"
#include "session.h"
#include "stepmarks.h"
#include "stepoutcome.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
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
        md += QStringLiteral("\n\n**Exercises** (double-click one under the lesson's steps to practise it in the lab; "
                             "or grade a script: `mountlab-cli grade %1 EXERCISE script.sh`):\n")
                  .arg(g.id);
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

// The step text's HTML drawn in the label's font: Markdown's code spans and blocks come
// with the system's fixed font at its own point size, which no theme or presenter size
// would scale. The family stays; the size is the label's.
QString scaledCodeHtml(QString html)
{
    static const QRegularExpression pointSize(QStringLiteral(R"(font-size:\s*[0-9.]+pt;?)"));
    return html.remove(pointSize);
}

} // namespace

StepPanel::StepPanel(Session& session, LessonDriver& driver, LinkOpener* links, QWidget* parent)
    : QWidget(parent), m_session(session), m_driver(driver)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 4);
    outer->setSpacing(4);
    // The title from a lesson or recording: shown as the text it is.
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setContentsMargins(8, 4, 8, 0);
    m_title->setObjectName(QStringLiteral("stepTitle"));
    outer->addWidget(m_title);
    // Presenter mode's result and checks, always in view above the prose.
    m_marks = new StepMarks(this);
    m_marks->setContentsMargins(0, 0, 0, 0);
    m_marks->hide();
    auto* marksRow = new QHBoxLayout;
    marksRow->setContentsMargins(8, 0, 8, 0);
    marksRow->addWidget(m_marks);
    outer->addLayout(marksRow);
    // The prose scrolls when a step says a lot; the outcome beside it never does.
    m_body = new QBoxLayout(QBoxLayout::LeftToRight);
    m_body->setSpacing(0);
    buildProse();
    connect(m_explain, &QLabel::linkActivated, links, &LinkOpener::activate);
    m_rule = new QFrame(this);
    m_rule->setFrameShape(QFrame::VLine);
    m_rule->setFrameShadow(QFrame::Sunken);
    m_outcome = new StepOutcome(this);
    connect(m_outcome, &StepOutcome::widthChanged, this, &StepPanel::fitOutcome);
    m_body->addWidget(m_scroll, 1);
    m_body->addWidget(m_rule);
    m_body->addWidget(m_outcome, 1);
    outer->addLayout(m_body, 1);
    // The buttons stay put below.
    buildButtons();
    outer->addWidget(m_buttonsRow);
    // The height the learner drags the panel to is theirs (fitOutcome gives back only
    // what it took); a drag below the tree keeps the panel as it is.
    if (auto* split = qobject_cast<QSplitter*>(parent))
        connect(split, &QSplitter::splitterMoved, this, [this, split](int, int handle) {
            if (handle == split->indexOf(this) + 1)
                m_restHeight = -1;
        });
}

// The text, the shell line, the syscall and the prediction, in a scroll area.
void StepPanel::buildProse()
{
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_text = new QWidget(m_scroll);
    m_text->setAutoFillBackground(false);
    m_scroll->viewport()->setAutoFillBackground(false);
    m_scroll->setWidget(m_text);
    auto* sp = new QVBoxLayout(m_text);
    sp->setContentsMargins(8, 4, 8, 4);
    m_explain = new QLabel(this);
    m_explain->setWordWrap(true);
    m_explain->setTextInteractionFlags(Qt::TextBrowserInteraction);
    // No setOpenExternalLinks: it would open any scheme.
    // Shell and syscall come from lessons and recordings: shown as the text they are.
    m_shell = new QLabel(this);
    m_shell->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_shell->setWordWrap(true);
    m_syscall = new QLabel(this);
    m_syscall->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_syscall->setWordWrap(true);
    for (QLabel* l : {m_shell, m_syscall})
        l->setTextFormat(Qt::PlainText);
    m_predict = new QLabel(this);
    m_predict->setWordWrap(true);
    m_predict->setTextFormat(Qt::RichText);
    m_predict->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
    // The prediction's links are its choices (predict:N), nothing else.
    connect(m_predict, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link.startsWith(QLatin1String("predict:")))
            m_driver.choosePrediction(link.mid(8).toInt());
    });
    for (QLabel* l : {m_explain, m_shell, m_syscall, m_predict})
        sp->addWidget(l);
    m_explain->setObjectName(QStringLiteral("stepExplain"));
    m_shell->setObjectName(QStringLiteral("stepShell"));
    m_syscall->setObjectName(QStringLiteral("stepSyscall"));
    m_predict->setObjectName(QStringLiteral("stepPrediction"));
    sp->addStretch(1);
}

void StepPanel::buildButtons()
{
    m_buttonsRow = new QWidget(this);
    auto* buttons = new QHBoxLayout(m_buttonsRow);
    buttons->setContentsMargins(8, 0, 8, 0);
    m_backButton = new QPushButton(tr("◀ Back  (←)"), this);
    m_runButton = new QPushButton(tr("▶ Run step  (Space)"), this);
    m_runToButton = new QPushButton(tr("▶▶ Run to here"), this);
    m_tryButton = new QPushButton(this);
    m_tryButton->setObjectName(QStringLiteral("tryStep"));
    m_resetButton = new QPushButton(tr("⟲ Reset  (Ctrl+R)"), this);
    m_nextLessonButton = new QPushButton(tr("Next lesson ▶"), this);
    m_nextLessonButton->setObjectName(QStringLiteral("nextLesson"));
    m_nextLessonButton->setToolTip(tr("The next lesson's first step, in a fresh lab (this lab's end state is left)"));
    m_backButton->setToolTip(tr("A fresh lab, then every step up to the previous one again"));
    m_runButton->setToolTip(tr("Run the next step for real in the lab"));
    m_runToButton->setToolTip(tr("Run every step of the lesson up to the one selected in the navigator"));
    m_resetButton->setToolTip(tr("A fresh lab host and container; nothing run"));
    for (QPushButton* b : {m_backButton, m_runButton, m_tryButton, m_runToButton, m_resetButton, m_nextLessonButton}) {
        b->setFocusPolicy(Qt::NoFocus); // Space must reach the shortcut, not press a button
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    connect(m_backButton, &QPushButton::clicked, &m_driver, &LessonDriver::back);
    connect(m_runButton, &QPushButton::clicked, &m_driver, &LessonDriver::spaceKey);
    connect(m_runToButton, &QPushButton::clicked, this, [this] { m_driver.runToStep(m_driver.shownStep()); });
    connect(m_tryButton, &QPushButton::clicked, this, &StepPanel::tryToggled);
    connect(m_resetButton, &QPushButton::clicked, &m_driver, &LessonDriver::reset);
    connect(m_nextLessonButton, &QPushButton::clicked, &m_driver, &LessonDriver::startNextLesson);
}

void StepPanel::refresh(bool exploring)
{
    m_refreshed = true;
    m_exploring = exploring;
    const NavigatorModel* nav = m_session.navigator();
    const int overview = m_driver.overviewShown();
    const int shown = m_driver.shownStep();
    int key = -1;
    m_predict->clear();
    if (!exploring && overview >= 0 && overview < nav->groupCount()) {
        showOverview(overview);
        key = nav->stepCount() + overview;
    } else if (shown < 0 || shown >= nav->stepCount()) {
        showPlaceholder(exploring);
    } else {
        showStep(shown);
        key = shown;
    }
    m_marks->setVisible(m_presenter && !m_marks->isEmpty());
    m_explain->setVisible(!m_explain->text().isEmpty()); // a step without text leaves no gap
    m_predict->setVisible(!m_predict->text().isEmpty());
    // Another step: its heading first, not where the last one was scrolled to.
    if (key != m_shownKey)
        m_scroll->verticalScrollBar()->setValue(0);
    m_shownKey = key;
    updateButtons();
    fitOutcome();
}

void StepPanel::showOverview(int group)
{
    const NavigatorModel* nav = m_session.navigator();
    const int next = m_driver.nextStepToRun();
    const NavGroup& g = nav->group(group);
    setTitle(g.walkthrough ? g.title : tr("Lesson · %1").arg(g.title), {}, g.file);
    m_explain->setTextFormat(Qt::RichText);
    m_explain->setText(scaledCodeHtml(m_explainHtml.html(capStepText(lessonOverview(g)))));
    m_shell->clear();
    m_syscall->clear();
    const int n = int(g.steps.size());
    const int start = nav->groupStart(group);
    const QString count = n == 1 ? tr("1 step") : tr("%1 steps").arg(n);
    if (g.steps.isEmpty())
        showLine({});
    else if (group == nav->active() && next >= start + n)
        showLine(lessonDoneHtml(group));
    else if (group == nav->active() && next > start)
        showLine(tr("%1; the lab is in this lesson — Space runs step %2").arg(count).arg(next - start + 1));
    else if (group == nav->active() && next == start)
        showLine(tr("%1; a fresh lab, nothing run — Space runs step 1").arg(count));
    else
        showLine(tr("%1 — Space starts this lesson in a fresh lab").arg(count));
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
    const QString title = next >= 0 ? nav->group(next).title.left(200).toHtmlEscaped() : QString();
    QString go;
    if (next >= 0 && m_driver.actions().nextLesson) // live: the button, or Space in presenter mode
        go = m_presenter ? tr("Space starts “%1” in a fresh lab.").arg(title)
                         : tr("Space or <b>Next lesson ▶</b> starts “%1” in a fresh lab.").arg(title);
    else if (next >= 0)
        go = tr("Space plays the recording on.");
    else
        go = tr("This was the last lesson.");
    return html + QStringLiteral("<br><br>") + go + QLatin1Char(' ') +
           tr("Back (←) undoes the last step, Reset (Ctrl+R) starts over.");
}

void StepPanel::showPlaceholder(bool exploring)
{
    setTitle(exploring ? tr("Exploring this machine's mount table") : tr("MountLab"));
    m_explain->setTextFormat(Qt::PlainText);
    m_explain->setText(exploring ? tr("Every mount of this machine, refreshed every second; changes glow.")
                                 : tr("Start the lab (File ▸ Start the lab) or open a recording."));
    m_shell->clear();
    m_syscall->clear();
    showLine({});
}

void StepPanel::showStep(int flat)
{
    const NavigatorModel* nav = m_session.navigator();
    const NavStep& s = nav->step(flat);
    const int gi = nav->groupOf(flat);
    const NavGroup& g = nav->group(gi);
    const int pos = flat - nav->groupStart(gi);
    const QString where = g.walkthrough ? s.stageTitle : g.title;
    setTitle(tr("%1 · step %2 of %3 · %4").arg(where).arg(pos + 1).arg(g.steps.size()).arg(s.title),
             tr("Step %1 of %2 · %3").arg(pos + 1).arg(g.steps.size()).arg(s.title), g.title);
    m_explain->setTextFormat(s.markdown ? Qt::RichText : Qt::PlainText);
    const QString text = capStepText(s.explain.trimmed());
    m_explain->setText(s.markdown && !text.isEmpty() ? scaledCodeHtml(m_explainHtml.html(text)) : text);
    m_shell->setText(s.shell.isEmpty() ? QString() : QStringLiteral("$ ") + s.shell);
    m_syscall->setText(s.syscall.isEmpty() ? QString() : tr("syscall: ") + s.syscall);
    m_predict->setText(predictionHtml(flat));
    const Session::StepResult ran = m_session.resultOf(flat);
    if (m_driver.tryingShown()) {
        showTry();
    } else if (s.status != StepStatus::NotRun && s.status != StepStatus::Running && !ran.end.isEmpty()) {
        m_outcome->showRan(ran, verdictHtml(flat));
        const Verdict v = verdictOf(flat);
        m_marks->showRan(ran, v.asked
                                  ? StepMarks::Mark{(v.right ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + v.text,
                                                    v.text, v.right ? StepMarks::Mark::Pass : StepMarks::Mark::Fail}
                                  : StepMarks::Mark{});
    } else {
        showLine(resultLine(flat));
    }
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

// The prediction against what the kernel did, first in the outcome (the question and
// why are with the prose).
StepPanel::Verdict StepPanel::verdictOf(int flat) const
{
    const NavStep& s = m_session.navigator()->step(flat);
    const int mine = m_driver.predictionOf(flat);
    if (!LessonDriver::asksPrediction(s) || mine < 0)
        return {};
    const int answer = s.predict.value(QLatin1String("answer")).toInt(-1);
    return mine == answer
               ? Verdict{true, true, tr("as you predicted (%1)").arg(answer + 1)}
               : Verdict{true, false,
                         tr("not as you predicted: the kernel did %1, not %2").arg(answer + 1).arg(mine + 1)};
}

QString StepPanel::verdictHtml(int flat) const
{
    const Verdict v = verdictOf(flat);
    if (!v.asked)
        return {};
    return QStringLiteral("<span style='color:%1'>%2 %3</span>")
        .arg((v.right ? m_theme.passText : m_theme.failText).name(),
             v.right ? QStringLiteral("✓") : QStringLiteral("✗"), v.text.toHtmlEscaped());
}

// A step not run yet (or running): what Space does.
QString StepPanel::resultLine(int flat) const
{
    QString line = runLine(flat);
    const QString typedIn = m_driver.typedIn();
    if (!typedIn.isEmpty() && m_session.navigator()->step(flat).status == StepStatus::NotRun)
        line += QStringLiteral("<br>") +
                tr("<i>Your last step ran in %1, a program your terminal's shell started: what it changed in its own "
                   "namespaces or root is not the lab's container process's, which Run works in. Go on by typing "
                   "(Ctrl+Shift+T), or Reset to run from a fresh lab.</i>")
                    .arg(typedIn.left(200).toHtmlEscaped());
    return line;
}

QString StepPanel::runLine(int flat) const
{
    const NavigatorModel* nav = m_session.navigator();
    const NavStep& s = nav->step(flat);
    if (s.status == StepStatus::Running)
        return tr("running…");
    const int next = m_driver.nextStepToRun();
    const int gi = nav->groupOf(flat);
    if (next == flat && LessonDriver::asksPrediction(s) && m_driver.predictionOf(flat) < 0)
        return tr("not run yet — predict first (a key 1–%1 or a click on a choice), then Space")
            .arg(s.predict.value(QLatin1String("choices")).toArray().size());
    if (next < nav->stepCount() && nav->groupOf(next) == gi)
        return next == nav->groupStart(gi) && gi != nav->active()
                   ? tr("not run yet — Space starts this lesson in a fresh lab")
                   : tr("not run yet — Space runs step %1").arg(next - nav->groupStart(gi) + 1);
    return tr("not run yet");
}

// Try it yourself: where to type the step's line, and the step's checks as the engine
// judged the learner's state last (after the last command, or a change of the tables).
void StepPanel::showTry()
{
    m_outcome->showLine(tryHtml());
    QVector<StepMarks::Mark> marks;
    const TryModel* t = m_session.tryModel();
    marks.push_back({tr("✎ typing: %1 of %2 hold").arg(t->checksHolding()).arg(t->checks().size()),
                     tr("Type the step's line in the %1 terminal; each command is judged").arg(t->where()),
                     StepMarks::Mark::Plain});
    for (const TryCheck& c : t->checks())
        marks.push_back({(c.passed ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + StepMarks::shortName(c.name),
                         c.message.isEmpty() ? c.name : c.name + QLatin1Char('\n') + c.message,
                         c.passed ? StepMarks::Mark::Pass : StepMarks::Mark::Fail});
    m_marks->showMarks(marks);
}

QString StepPanel::tryHtml() const
{
    const TryModel* t = m_session.tryModel();
    const QString where = t->where() == QLatin1String("container") ? tr("Container") : tr("Lab host");
    const int n = int(t->checks().size()), holding = t->checksHolding();
    QString judged;
    if (t->commands() == 0)
        judged = tr("nothing typed yet");
    else if (t->commands() == 1)
        judged = tr("after 1 command");
    else
        judged = tr("after %1 commands").arg(t->commands());
    // Short: the trees and the terminal keep their room while the learner types.
    QString html = tr("<b>✎ Try it yourself</b> in the <b>%1</b> terminal (Ctrl+Shift+I types the step's line): "
                      "<b>%2 of %3 checks hold</b>, %4.")
                       .arg(where)
                       .arg(holding)
                       .arg(n)
                       .arg(judged);
    // A step that only looks: its checks cannot tell the learner's command from another.
    if (n > 0 && holding == n && t->active())
        html += QStringLiteral("<br>") + tr("<i>Every check holds already: this step changes nothing they can see. Run "
                                            "its line to see what it shows; any command ticks it.</i>");
    // What a failing check found; a check that holds needs no more than its name.
    for (const TryCheck& c : t->checks())
        html += QStringLiteral("<br><span style='color:%1'>%2 %3</span>%4")
                    .arg((c.passed ? m_theme.passText : m_theme.failText).name(),
                         c.passed ? QStringLiteral("✓") : QStringLiteral("✗"), c.name.left(500).toHtmlEscaped(),
                         c.passed || c.message.isEmpty() ? QString()
                                                         : QStringLiteral(": ") + c.message.left(1000).toHtmlEscaped());
    if (!t->view().isEmpty())
        html += QStringLiteral("<br>") +
                tr("Judged in %1, your terminal's program").arg(t->view().left(200).toHtmlEscaped());
    return html;
}

void StepPanel::updateButtons()
{
    const LessonDriver::Actions can = m_driver.actions();
    const bool trying = m_driver.tryingShown();
    m_tryButton->setText(trying ? tr("■ Stop trying  (Ctrl+Shift+T)") : tr("✎ Try it yourself  (Ctrl+Shift+T)"));
    m_tryButton->setToolTip(trying ? tr("Stop judging what you type; the lab stays as you left it")
                                   : tr("Type this step's command yourself in the terminal instead of Run: the step's "
                                        "checks judge your lab after each command"));
    m_tryButton->setEnabled(trying || can.tryIt);
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
    m_predict->setFont(t.uiFont(1.0));
    // On black the command needs no box of its own.
    m_shell->setStyleSheet(
        t.shellBackground.isValid()
            ? QStringLiteral("color:%1;background:%2;padding:3px").arg(t.shellText.name(), t.shellBackground.name())
            : QStringLiteral("color:%1").arg(t.shellText.name()));
    m_syscall->setStyleSheet(QStringLiteral("color:%1").arg(t.syscallText.name()));
    m_outcome->setTheme(t);
    m_marks->setTheme(t);
    // What is shown, again in the new colours and sizes (the HTML carries them).
    if (m_refreshed)
        refresh(m_exploring);
    else
        fitOutcome();
}

// The prediction's question and choices in view, however much the step says first.
void StepPanel::scrollToResult() { m_scroll->verticalScrollBar()->setValue(m_predict->y()); }

QString StepPanel::titleText() const { return m_titleFull; }

QString StepPanel::explainText() const
{
    if (m_explain->textFormat() != Qt::RichText)
        return m_explain->text();
    QTextDocument shown; // what the reader reads, without the markup
    shown.setHtml(m_explain->text());
    return shown.toPlainText();
}

QString StepPanel::resultText() const { return m_predict->text() + m_outcome->html(); }

} // namespace mountlab::gui
