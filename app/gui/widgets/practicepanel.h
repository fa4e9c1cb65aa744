// The Practice panel (issue #16): an exercise worked in the live lab. On top its title
// and score ("4 / 10") and the checklist, each check turning green (✓) as the engine
// judges that it holds; the buttons below them (Check, Hint, Solution, Submit, Stop)
// never scroll away. Below, scrolling: what Check found (each failing check's message
// and the teacher's feedback), the hints shown so far, the solution (behind a confirm,
// only when the lesson gives one), the grade of the last Submit with the script graded,
// and the task. Everything comes from Session's PracticeModel; the buttons send the
// practice-* commands through EngineClient.
#pragma once

#include "theme.h"

#include <QVector>
#include <QWidget>

#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace mountlab::gui {

class EngineClient;
class PracticeModel;
class Session;

class PracticePanel : public QWidget {
    Q_OBJECT
public:
    PracticePanel(Session& session, EngineClient& engine, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    // Presenter mode: the score beside the title (no "Practice ·", no line of what was
    // judged: the ticks say it), the task first below the buttons (a room reads it), no
    // "hints used" label (the Hint button counts): the column of a 720-line projector
    // holds the checks, the buttons and the task's first lines at the room's type.
    void setPresenter(bool on);
    // Again from the model.
    void refresh();

    // Asks before the solution is shown (tests replace it; the default is a dialog).
    void setConfirmSolution(std::function<bool()> ask) { m_confirmSolution = std::move(ask); }

    // What a test reads, as a learner sees it.
    [[nodiscard]] QString titleText() const;
    [[nodiscard]] QString scoreText() const;
    [[nodiscard]] const QVector<QLabel*>& checkRows() const { return m_rows; }
    [[nodiscard]] QString foundText() const; // what Check found (plain text)
    [[nodiscard]] QString hintsText() const;
    [[nodiscard]] QString solutionText() const;
    [[nodiscard]] QString gradeText() const;
    [[nodiscard]] QString taskText() const;
    [[nodiscard]] QPushButton* checkButton() const { return m_check; }
    [[nodiscard]] QPushButton* hintButton() const { return m_hint; }
    [[nodiscard]] QPushButton* solutionButton() const { return m_solution; }
    [[nodiscard]] QPushButton* submitButton() const { return m_submit; }
    [[nodiscard]] QPushButton* stopButton() const { return m_stop; }
    [[nodiscard]] QScrollArea* detailsArea() const { return m_scroll; }

Q_SIGNALS:
    void message(const QString& text, int timeoutMs);
    // Stop was pressed (the window leaves practice once the engine says so).
    void stopRequested();

private:
    void buildHead(QVBoxLayout* col);
    void buildButtons(QVBoxLayout* col);
    void buildDetails(QVBoxLayout* col);
    void fillChecks();
    void fillFound();
    void fillHints();
    void fillGrade();
    void updateButtons();
    void showSolution();
    [[nodiscard]] QString checkRowHtml(int i) const;
    [[nodiscard]] QString inkHtml(const QColor& c) const;
    [[nodiscard]] bool live() const;

    EngineClient& m_engine;
    PracticeModel& m_model;
    Theme m_theme = Theme::normal(11);
    std::function<bool()> m_confirmSolution;
    QLabel* m_title = nullptr;
    QLabel* m_score = nullptr;
    QLabel* m_state = nullptr; // what the engine judged last, or "Grading…"
    QWidget* m_checklist = nullptr;
    QVBoxLayout* m_checkLayout = nullptr;
    QVector<QLabel*> m_rows;
    QPushButton *m_check = nullptr, *m_hint = nullptr, *m_solution = nullptr, *m_submit = nullptr, *m_stop = nullptr;
    QLabel* m_hintsUsed = nullptr;
    QScrollArea* m_scroll = nullptr;
    QVBoxLayout* m_details = nullptr;
    QHBoxLayout *m_titleRow = nullptr, *m_scoreRow = nullptr;
    bool m_presenter = false;
    QLabel *m_found = nullptr, *m_hints = nullptr, *m_solutionLabel = nullptr, *m_grade = nullptr, *m_script = nullptr,
           *m_task = nullptr;
    QString m_taskSource; // the Markdown last rendered
};

} // namespace mountlab::gui
