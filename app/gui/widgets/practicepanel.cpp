#include "practicepanel.h"

#include "engineclient.h"
#include "safemarkdown.h"
#include "session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

namespace mountlab::gui {

namespace {
// Text from a lesson or a recording, capped before it is laid out.
constexpr qsizetype kMaxField = 4096;

QString capped(const QString& s) { return s.size() > kMaxField ? s.left(kMaxField) + QStringLiteral("…") : s; }

QString esc(const QString& s) { return capped(s).toHtmlEscaped(); }

QLabel* wrappedLabel(QWidget* parent, Qt::TextFormat format, const char* name)
{
    auto* l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextFormat(format);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setObjectName(QLatin1String(name));
    return l;
}

QString plain(const QLabel* l)
{
    if (l->textFormat() == Qt::PlainText)
        return l->text();
    QTextDocument doc;
    doc.setHtml(l->text());
    return doc.toPlainText();
}
} // namespace

PracticePanel::PracticePanel(Session& session, EngineClient& engine, QWidget* parent)
    : QWidget(parent), m_engine(engine), m_model(*session.practice())
{
    setObjectName(QStringLiteral("practicePanel"));
    setAccessibleName(tr("practice"));
    setAutoFillBackground(true);
    m_confirmSolution = [this] {
        return QMessageBox::question(this, tr("Show the solution?"),
                                     tr("The solution gives the whole answer away. Try the hints first?\n\n"
                                        "Show the solution anyway?")) == QMessageBox::Yes;
    };
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(8, 6, 8, 6);
    col->setSpacing(6);
    buildHead(col);
    buildButtons(col);
    buildDetails(col);
    connect(&m_model, &PracticeModel::changed, this, &PracticePanel::refresh);
    // Presenter mode shows the task first: a grade that comes is scrolled into view.
    connect(&m_model, &PracticeModel::graded, this, [this] {
        if (m_presenter)
            QTimer::singleShot(0, this, [this] { m_scroll->ensureWidgetVisible(m_grade, 0, 0); });
    });
    refresh();
}

// The title, the score, what was judged, and the checklist: never scrolled away.
void PracticePanel::buildHead(QVBoxLayout* col)
{
    m_title = wrappedLabel(this, Qt::PlainText, "practiceTitle");
    m_titleRow = new QHBoxLayout;
    m_titleRow->addWidget(m_title, 1);
    col->addLayout(m_titleRow);
    auto* scoreRow = m_scoreRow = new QHBoxLayout;
    m_score = new QLabel(this);
    m_score->setObjectName(QStringLiteral("practiceScore"));
    m_score->setTextFormat(Qt::PlainText);
    m_state = wrappedLabel(this, Qt::PlainText, "practiceState");
    scoreRow->addWidget(m_score);
    scoreRow->addWidget(m_state, 1);
    col->addLayout(scoreRow);
    m_checklist = new QWidget(this);
    m_checklist->setObjectName(QStringLiteral("practiceChecklist"));
    m_checklist->setAccessibleName(tr("the exercise's checks"));
    m_checkLayout = new QVBoxLayout(m_checklist);
    m_checkLayout->setContentsMargins(0, 0, 0, 0);
    m_checkLayout->setSpacing(2);
    col->addWidget(m_checklist);
}

void PracticePanel::buildButtons(QVBoxLayout* col)
{
    auto* row1 = new QHBoxLayout;
    auto* row2 = new QHBoxLayout;
    m_check = new QPushButton(tr("Check"), this);
    m_submit = new QPushButton(tr("Submit"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setToolTip(tr("Leave practice (the lab stays as it is)"));
    m_hint = new QPushButton(this);
    m_solution = new QPushButton(tr("Solution…"), this);
    m_solution->setToolTip(tr("The lesson's own answer (asks first)"));
    m_hintsUsed = new QLabel(this);
    m_hintsUsed->setObjectName(QStringLiteral("practiceHintsUsed"));
    for (QPushButton* b : {m_check, m_submit, m_stop, m_hint, m_solution})
        b->setFocusPolicy(Qt::NoFocus); // the terminal keeps the keys
    row1->addWidget(m_check);
    row1->addWidget(m_submit);
    row1->addStretch(1);
    row1->addWidget(m_stop);
    row2->addWidget(m_hint);
    row2->addWidget(m_hintsUsed, 1);
    row2->addWidget(m_solution);
    col->addLayout(row1);
    col->addLayout(row2);
    connect(m_check, &QPushButton::clicked, this, [this] {
        m_engine.practiceCheck();
        Q_EMIT message(tr("Checking the lab…"), 3000);
    });
    connect(m_submit, &QPushButton::clicked, this, [this] {
        m_model.setGrading(true);
        m_engine.practiceSubmit();
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        m_engine.practiceStop();
        Q_EMIT stopRequested();
    });
    connect(m_hint, &QPushButton::clicked, this, [this] { m_model.revealNextHint(); });
    connect(m_solution, &QPushButton::clicked, this, &PracticePanel::showSolution);
}

// What scrolls: what Check found, the hints, the solution, the grade, the task.
void PracticePanel::buildDetails(QVBoxLayout* col)
{
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->viewport()->setAutoFillBackground(false);
    auto* inner = new QWidget(m_scroll);
    inner->setAutoFillBackground(false);
    auto* l = m_details = new QVBoxLayout(inner);
    l->setContentsMargins(0, 0, 4, 0);
    l->setSpacing(8);
    m_found = wrappedLabel(inner, Qt::RichText, "practiceFound");
    m_hints = wrappedLabel(inner, Qt::RichText, "practiceHints");
    m_solutionLabel = wrappedLabel(inner, Qt::PlainText, "practiceSolution");
    m_grade = wrappedLabel(inner, Qt::RichText, "practiceGrade");
    m_script = wrappedLabel(inner, Qt::PlainText, "practiceScript");
    m_task = wrappedLabel(inner, Qt::RichText, "practiceTask");
    m_task->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QLabel* s : {m_solutionLabel, m_script}) {
        s->setAutoFillBackground(true);
        s->setMargin(6);
    }
    for (QLabel* x : {m_found, m_hints, m_solutionLabel, m_grade, m_script, m_task})
        l->addWidget(x);
    l->addStretch(1);
    m_scroll->setWidget(inner);
    col->addWidget(m_scroll, 1);
}

void PracticePanel::setPresenter(bool on)
{
    m_presenter = on;
    (on ? m_scoreRow : m_titleRow)->removeWidget(m_score);
    if (on)
        m_titleRow->addWidget(m_score, 0, Qt::AlignTop);
    else
        m_scoreRow->insertWidget(0, m_score);
    m_state->setVisible(!on);
    // A projector's lines are few: the gaps between the parts smaller (the type is larger).
    layout()->setContentsMargins(8, on ? 3 : 6, 8, on ? 3 : 6);
    layout()->setSpacing(on ? 3 : 6);
    setTheme(m_theme); // the title's and the score's type
    m_details->removeWidget(m_task);
    m_details->insertWidget(on ? 0 : m_details->count() - 1, m_task);
    refresh();
}

void PracticePanel::setTheme(const Theme& theme)
{
    m_theme = theme;
    QPalette p = palette();
    p.setColor(QPalette::Window, theme.practiceBackground);
    p.setColor(QPalette::WindowText, theme.text);
    setPalette(p);
    setFont(theme.uiFont());
    m_title->setFont(theme.uiFont(m_presenter ? 1.0 : 1.2, true));
    m_score->setFont(theme.uiFont(m_presenter ? 1.3 : 1.6, true));
    for (QLabel* s : {m_solutionLabel, m_script}) {
        QPalette sp = s->palette();
        sp.setColor(QPalette::Window, theme.practiceScriptBackground);
        sp.setColor(QPalette::WindowText, theme.practiceScriptText);
        s->setPalette(sp);
        s->setFont(theme.monoFont(0.95));
    }
    refresh();
}

bool PracticePanel::live() const { return m_engine.mode() == EngineClient::Mode::Live; }

void PracticePanel::refresh()
{
    m_title->setText(m_model.title().isEmpty() ? tr("Practice")
                     : m_presenter             ? capped(m_model.title())
                                               : tr("Practice · %1").arg(capped(m_model.title())));
    m_score->setText(tr("%1 / %2").arg(m_model.score()).arg(m_model.max()));
    QPalette sp = m_score->palette();
    sp.setColor(QPalette::WindowText, m_model.fullMarks() ? m_theme.practiceDone : m_theme.text);
    m_score->setPalette(sp);
    const QString reason = m_model.reason();
    m_state->setText(m_model.grading()                    ? tr("Grading in a fresh sandbox…")
                     : !m_model.active()                  ? tr("Practice ended")
                     : reason == QLatin1String("check")   ? tr("Checked now")
                     : reason == QLatin1String("command") ? tr("Judged after your last command")
                     : reason == QLatin1String("mounts")  ? tr("Judged after the mount tables changed")
                     : m_model.fullMarks()                ? tr("Every check holds")
                                                          : tr("Type in the terminal: the checks follow"));
    // A recording is only shown: what was judged then, and no lab to ask.
    if (m_engine.mode() == EngineClient::Mode::Replay)
        m_state->setText(tr("Replay · %1").arg(m_state->text()));
    fillChecks();
    fillFound();
    fillHints();
    fillGrade();
    if (m_taskSource != m_model.task()) {
        m_taskSource = m_model.task();
        m_task->setText(safeMarkdownHtml(capStepText(m_taskSource)));
    }
    updateButtons();
}

QString PracticePanel::inkHtml(const QColor& c) const { return c.name(QColor::HexRgb); }

void PracticePanel::fillChecks()
{
    const QVector<PracticeCheck>& checks = m_model.checks();
    while (m_rows.size() > checks.size())
        delete m_rows.takeLast();
    while (m_rows.size() < checks.size()) {
        QLabel* row = wrappedLabel(m_checklist, Qt::PlainText, "practiceCheck");
        m_checkLayout->addWidget(row);
        m_rows << row;
    }
    for (int i = 0; i < checks.size(); ++i) {
        const PracticeCheck& c = checks[i];
        // Failed is what a Check said; before the first Check a check is only "not yet", and
        // one that only Submit can judge (the script's output) waits for it.
        const bool failed = !c.passed && c.live && m_model.checkAnswered();
        const QColor ink = c.passed ? m_theme.practiceDone : failed ? m_theme.practiceFailed : m_theme.practiceOpen;
        const QString mark = c.passed ? QStringLiteral("✓")
                             : failed ? QStringLiteral("✗")
                             : c.live ? QStringLiteral("○")
                                      : QStringLiteral("◌");
        QLabel* row = m_rows[i];
        // A check worth no points (what the others stand on) says no "0/0".
        const QString points = c.max > 0 ? QStringLiteral("   %1/%2").arg(c.points).arg(c.max) : QString();
        row->setText(
            QStringLiteral("%1  %2%3%4")
                .arg(mark, capped(c.name), points, c.live || c.passed ? QString() : tr("  (judged at Submit)")));
        row->setProperty("passed", c.passed);
        row->setToolTip(c.passed || c.message.isEmpty() ? QString() : plainToolTip(capped(c.message)));
        QPalette p = row->palette();
        p.setColor(QPalette::WindowText, ink);
        row->setPalette(p);
        row->setFont(m_theme.uiFont(1.0, c.passed));
    }
}

void PracticePanel::fillFound()
{
    if (!m_model.checkAnswered()) {
        m_found->clear();
        m_found->hide();
        return;
    }
    QString html = QStringLiteral("<b>%1</b>").arg(tr("What Check found"));
    int failing = 0;
    for (const PracticeCheck& c : m_model.checks()) {
        if (c.passed || !c.live)
            continue;
        ++failing;
        html += QStringLiteral("<p><span style='color:%1'>✗ <b>%2</b></span>")
                    .arg(inkHtml(m_theme.practiceFailed), esc(c.name));
        if (!c.message.isEmpty())
            html += QStringLiteral("<br>%1").arg(esc(c.message));
        if (!c.feedback.isEmpty())
            html += QStringLiteral("<br><i>%1</i>").arg(esc(c.feedback));
        html += QStringLiteral("</p>");
    }
    if (!failing)
        html += QStringLiteral("<p style='color:%1'>%2</p>")
                    .arg(inkHtml(m_theme.practiceDone), tr("Every check holds. Submit grades your commands."));
    m_found->setText(html);
    m_found->show();
}

void PracticePanel::fillHints()
{
    const QStringList hints = m_model.hints();
    const int shown = m_model.hintsShown();
    QString html;
    for (int i = 0; i < shown && i < hints.size(); ++i)
        html += QStringLiteral("<p><b>%1</b> %2</p>")
                    .arg(tr("Hint %1 of %2:").arg(i + 1).arg(hints.size()), safeMarkdownHtml(capped(hints[i])));
    m_hints->setText(html);
    m_hints->setVisible(!html.isEmpty());
    m_hintsUsed->setVisible(!m_presenter);
    m_hintsUsed->setText(hints.isEmpty() ? tr("no hints") : tr("hints used: %1 of %2").arg(shown).arg(hints.size()));
    m_hint->setText(shown < hints.size() ? tr("Hint %1 of %2").arg(shown + 1).arg(hints.size()) : tr("Hint"));
    m_solutionLabel->setText(m_model.solutionShown() ? capStepText(m_model.solution()) : QString());
    m_solutionLabel->setVisible(m_model.solutionShown());
}

void PracticePanel::fillGrade()
{
    const bool show = m_model.hasGrade() && !m_model.grading();
    m_grade->setVisible(show || m_model.grading());
    m_script->setVisible(show && !m_model.grade().script.isEmpty());
    if (m_model.grading()) {
        m_grade->setText(QStringLiteral("<b>%1</b>").arg(tr("Grading in a fresh sandbox…")));
        return;
    }
    if (!show)
        return;
    const PracticeGrade& g = m_model.grade();
    const bool passed = g.status == QLatin1String("passed");
    QString html =
        QStringLiteral("<b>%1</b> <span style='color:%2'><b>%3</b></span> · <b>%4 / %5</b> (%6 s)")
            .arg(tr("Graded:"), inkHtml(passed ? m_theme.practiceDone : m_theme.practiceFailed), esc(g.status))
            .arg(g.score)
            .arg(g.max)
            .arg(g.seconds, 0, 'f', 1);
    for (const PracticeCheck& c : g.checks) {
        html += QStringLiteral("<br><span style='color:%1'>%2 %3%4</span>")
                    .arg(inkHtml(c.passed ? m_theme.practiceDone : m_theme.practiceFailed),
                         c.passed ? QStringLiteral("✓") : QStringLiteral("✗"), esc(c.name),
                         c.max > 0 ? QStringLiteral(" %1/%2").arg(c.points).arg(c.max) : QString());
        if (!c.passed && !c.message.isEmpty())
            html += QStringLiteral(" — %1").arg(esc(c.message));
        if (!c.passed && !c.feedback.isEmpty())
            html += QStringLiteral("<br>&nbsp;&nbsp;<i>%1</i>").arg(esc(c.feedback));
    }
    for (const QString& extra : {g.note, g.error})
        if (!extra.isEmpty())
            html += QStringLiteral("<p>%1</p>").arg(esc(extra));
    html += QStringLiteral("<p>%1</p>").arg(tr("The script that was graded:"));
    m_grade->setText(html);
    m_script->setText(capStepText(g.script));
}

void PracticePanel::updateButtons()
{
    const bool can = live() && m_model.active() && !m_model.grading();
    m_check->setEnabled(can);
    m_submit->setEnabled(can);
    m_stop->setEnabled(live() && m_model.active());
    const bool replay = m_engine.mode() == EngineClient::Mode::Replay;
    m_check->setToolTip(replay ? tr("A recording: Check needs the live lab")
                               : tr("Judge the lab now: each failing check says what it found, and the "
                                    "teacher's advice"));
    m_submit->setToolTip(replay ? tr("A recording: its grade is shown below when it was graded")
                                : tr("Grade the commands you typed, as a script, in a fresh sandbox (as "
                                     "mountlab-cli grade does)"));
    m_hint->setEnabled(m_model.hintsShown() < m_model.hints().size());
    // No solution in the lesson: no button.
    m_solution->setVisible(m_model.hasSolution());
    m_solution->setEnabled(!m_model.solutionShown());
}

void PracticePanel::showSolution()
{
    if (!m_model.hasSolution() || m_model.solutionShown())
        return;
    if (m_confirmSolution && !m_confirmSolution())
        return;
    m_model.revealSolution();
}

QString PracticePanel::titleText() const { return m_title->text(); }

QString PracticePanel::scoreText() const { return m_score->text(); }

QString PracticePanel::foundText() const { return plain(m_found); }

QString PracticePanel::hintsText() const { return plain(m_hints); }

QString PracticePanel::solutionText() const { return m_model.solutionShown() ? m_solutionLabel->text() : QString(); }

QString PracticePanel::gradeText() const { return plain(m_grade) + QLatin1Char('\n') + m_script->text(); }

QString PracticePanel::taskText() const { return plain(m_task); }

} // namespace mountlab::gui
