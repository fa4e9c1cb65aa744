// A practice: one exercise of a lesson worked in the live lab (issue #16). Built from the
// agent's "practice", "practice-grade" and "command" events alone: the task, its hints
// and solution, the checklist as the engine last judged it, the commands typed, and
// the last grade of those commands in a fresh sandbox. QtCore only.
#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QObject>
#include <QStringList>
#include <QVector>

namespace mountlab::gui {

struct PracticeCheck {
    QString name;
    int points = 0, max = 0;
    bool passed = false;
    bool live = true; // false: only Submit judges it (the script's output or exit status)
    QString message;  // what was found when it fails
    QString feedback; // the teacher's advice for a failed check
    static PracticeCheck fromJson(const QJsonObject& o);
};

// One command a terminal's shell ran (a "command" event).
struct PracticeCommand {
    int terminal = -1;
    QString where;
    int n = 0; // bash's history number
    QString text;
    int exit = 0;
    bool nested = false; // typed in a shell started from the terminal's shell
};

// The "result" of a practice-grade: one submission as `mountlab-cli grade` judges it.
struct PracticeGrade {
    QString status; // passed, failed, timeout, error
    int score = 0, max = 0;
    double seconds = 0;
    int exitCode = 0;
    QString output, error, note;
    QVector<PracticeCheck> checks;
    QString script; // what was graded
};

class PracticeModel : public QObject {
    Q_OBJECT
public:
    explicit PracticeModel(QObject* parent = nullptr);

    // An event of a kind this model reads ("practice", "practice-grade", "command");
    // false for any other kind.
    bool handleEvent(const QJsonObject& e);
    // Forget everything (a new session).
    void clear();

    [[nodiscard]] bool active() const { return m_active; }
    [[nodiscard]] QString lesson() const { return m_lesson; }
    [[nodiscard]] QString exercise() const { return m_exercise; }
    [[nodiscard]] QString title() const { return m_title; }
    [[nodiscard]] QString task() const { return m_task; } // Markdown
    [[nodiscard]] QStringList hints() const { return m_hints; }
    [[nodiscard]] bool hasSolution() const { return !m_solution.isEmpty(); }
    [[nodiscard]] QString solution() const { return m_solution; }
    [[nodiscard]] QString reason() const { return m_reason; } // why the engine judged last
    [[nodiscard]] int score() const { return m_score; }
    [[nodiscard]] int max() const { return m_max; }
    [[nodiscard]] bool fullMarks() const { return m_max > 0 && m_score == m_max; }
    [[nodiscard]] QStringList after() const { return m_after; }
    [[nodiscard]] QString trace() const { return m_trace; }
    [[nodiscard]] const QVector<PracticeCheck>& checks() const { return m_checks; }
    // The commands the engine counted for this practice (its "commands"), and the ones
    // reported to the GUI while it was active, in order.
    [[nodiscard]] int commandCount() const { return m_commandCount; }
    [[nodiscard]] const QVector<PracticeCommand>& commands() const { return m_commands; }
    // A "check" was asked and its answer came: the failing checks' messages are for the reader.
    [[nodiscard]] bool checkAnswered() const { return m_checkAnswered; }

    // Hints are shown one at a time; the count is the learner's.
    [[nodiscard]] int hintsShown() const { return m_hintsShown; }
    bool revealNextHint();
    [[nodiscard]] bool solutionShown() const { return m_solutionShown; }
    void revealSolution();

    // Submit was sent and its grade has not come yet.
    [[nodiscard]] bool grading() const { return m_grading; }
    void setGrading(bool on);
    [[nodiscard]] bool hasGrade() const { return m_hasGrade; }
    [[nodiscard]] const PracticeGrade& grade() const { return m_grade; }

Q_SIGNALS:
    void started(); // a practice event with reason "start" (a fresh lab, the set-up done)
    void changed(); // anything shown changed
    void stopped(); // active went false
    void graded();  // a practice-grade came
    void commandReported(const PracticeCommand& command);

private:
    void handlePractice(const QJsonObject& e);
    void handleGrade(const QJsonObject& e);
    void handleCommand(const QJsonObject& e);
    void forgetExercise();

    bool m_active = false;
    QString m_lesson, m_exercise, m_title, m_task, m_solution, m_reason, m_trace;
    QStringList m_hints, m_after;
    int m_score = 0, m_max = 0, m_commandCount = 0;
    QVector<PracticeCheck> m_checks;
    QVector<PracticeCommand> m_commands;
    bool m_checkAnswered = false;
    int m_hintsShown = 0;
    bool m_solutionShown = false;
    bool m_grading = false;
    bool m_hasGrade = false;
    PracticeGrade m_grade;
};

} // namespace mountlab::gui

Q_DECLARE_METATYPE(mountlab::gui::PracticeCommand)
