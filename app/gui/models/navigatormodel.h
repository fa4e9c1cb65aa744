// The navigator: lessons, then their steps, with status. The built-in walkthrough is
// the first "lesson" (its steps carry their stage, drawn as headings); the YAML lessons
// follow, from the agent's "lesson" events. The lab belongs to one lesson at a time (the
// active one): running a step of another lesson starts it over in a fresh lab. A lesson's
// exercises follow its steps, as rows of their own: activating one starts a practice.
#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QStringList>
#include <QVector>

namespace mountlab::gui {

class Progress;

enum class StepStatus { NotRun, Running, Passed, Failed };

struct NavStep {
    int index = 0; // the step's position in its lesson: what the engine runs
    QString group; // the lesson's id ("walkthrough" for the built-in one)
    QString id;
    QString title;
    QString shell;
    QString syscall;
    QString explain; // Markdown when `markdown`
    QString where;
    QString stage;      // walkthrough: the stage's id; a lesson: the lesson's id
    QString stageTitle; // walkthrough: the stage's title
    bool markdown = false;
    // A lesson's `predict:`: {question, choices, answer (index), why}; empty for none.
    QJsonObject predict;
    StepStatus status = StepStatus::NotRun;
};

struct NavGroup {
    QString id;
    QString title;
    QVector<NavStep> steps;
    bool walkthrough = false; // run with {"cmd":"step"}; a lesson with {"cmd":"lesson-step"}
    QString summary;          // Markdown
    QString file;
    QStringList prerequisites;
    QJsonArray exercises;   // [{id, title, points, task, hints}]
    bool completed = false; // every step passed at least once in this session
};

class NavigatorModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Columns { TitleColumn, StatusColumn, NUM_COLUMNS };
    enum Roles {
        FlatIndexRole = Qt::UserRole, // position in the whole list, -1 for a lesson
        StepIdRole,
        StatusRole, // int(StepStatus)
        ShellRole,
        SyscallRole,
        ExplainRole,
        WhereRole,
        IsGroupRole,
        IsCurrentRole,   // the next step to run
        StageTitleRole,  // a walkthrough step that opens a stage: the stage's title
        IsActiveRole,    // a lesson: the lab is in it
        PositionRole,    // a step: its number in its lesson, from 1
        IsExerciseRole,  // an exercise's row (after the lesson's steps)
        ExerciseIdRole,  // its id (StepIdRole too)
        PointsRole,      // its points
        IsPractisedRole, // the practice is on this exercise
        // From the progress file (setProgress()), kept across restarts:
        PassedBeforeRole, // a step not run in this lab that passed before (this session or an earlier one)
        FinishedRole,     // a lesson: finished, now or before
        BestScoreRole,    // an exercise: its best graded score (-1: never graded)
        MaxScoreRole,     // an exercise: its maximum, as last graded (or its points)
        AttemptsRole,     // an exercise: how many graded attempts are kept
        HintsRole,        // an exercise: the most hints revealed
    };
    // A recording is someone else's file: a lesson keeps at most this many exercises.
    static constexpr int kMaxExercises = 100;

    explicit NavigatorModel(QObject* parent = nullptr);

    // From the agent's "walkthrough" event: the first lesson, its steps under stages.
    void setWalkthrough(const QJsonObject& event);
    // From a "lesson" event: added after the others (or replacing one with its id).
    void addLesson(const QJsonObject& event);
    void setGroups(const QVector<NavGroup>& groups);
    // The active lesson's title ("walkthrough" for the walkthrough; empty when none).
    [[nodiscard]] QString name() const;

    [[nodiscard]] int stepCount() const { return int(m_flat.size()); }
    [[nodiscard]] const NavStep& step(int flat) const;
    // Old recordings (no "lesson" in step events): by stage and id.
    [[nodiscard]] int flatIndexOf(const QString& stage, const QString& id) const;
    [[nodiscard]] int flatIndexOfStep(const QString& lesson, int index) const;
    [[nodiscard]] int flatIndex(const QModelIndex& index) const;
    [[nodiscard]] QModelIndex indexOfStep(int flat, int column = 0) const;
    [[nodiscard]] QModelIndex indexOfGroup(int g, int column = 0) const;
    [[nodiscard]] int groupOf(int flat) const { return m_flat.value(flat, {-1, -1}).first; }
    [[nodiscard]] int groupIndex(const QString& id) const;
    [[nodiscard]] int groupIndexOf(const QModelIndex& index) const; // a lesson row or one of its steps
    [[nodiscard]] const NavGroup& group(int g) const { return m_groups[g]; }
    [[nodiscard]] int groupCount() const { return int(m_groups.size()); }
    [[nodiscard]] int groupStart(int g) const;
    [[nodiscard]] int groupSize(int g) const
    {
        return g >= 0 && g < m_groups.size() ? int(m_groups[g].steps.size()) : 0;
    }

    // An exercise's row: its lesson (a group) and its position among the exercises, or -1.
    [[nodiscard]] int exerciseOf(const QModelIndex& index) const;
    [[nodiscard]] QJsonObject exercise(int g, int e) const;
    [[nodiscard]] QModelIndex indexOfExercise(const QString& lesson, const QString& id) const;
    // The exercise the practice is on (none: empty ids).
    void setPractised(const QString& lesson, const QString& id);
    // The learner's kept progress: lessons finished, steps passed before, exercises' best
    // scores. Its changed() refreshes every row. Not owned; may go away first.
    void setProgress(Progress* progress);

    void setStatus(int flat, StepStatus status);
    void resetStatuses();
    // A fresh lab for lesson g: its steps not run, the next step its first.
    void resetGroup(int g);
    // The lesson the lab is in.
    void setActive(int g);
    [[nodiscard]] int active() const { return m_active; }
    // The next step to run (stepCount() when all ran). After a lesson's last step it is
    // the next lesson's first.
    void setCurrent(int flat);
    [[nodiscard]] int current() const { return m_current; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] static QString statusName(StepStatus s);

Q_SIGNALS:
    void activeChanged(int group);

private:
    [[nodiscard]] QVariant groupData(const QModelIndex& index, int role) const;
    [[nodiscard]] QVariant stepData(const QModelIndex& index, int role) const;
    [[nodiscard]] QVariant exerciseData(const QModelIndex& index, int role) const;
    [[nodiscard]] QString groupTitle(int row, int passed, int ran) const;
    // navigatorprogress.cpp: what the progress file says of a row.
    [[nodiscard]] QJsonObject keptStep(int g, int row) const;
    [[nodiscard]] bool passedBefore(int g, int row) const;
    [[nodiscard]] bool finished(int g) const;
    [[nodiscard]] QString stepProgressTip(int g, int row) const;
    [[nodiscard]] QString groupProgressTip(int g) const;
    [[nodiscard]] QString exerciseProgressTip(int g, const QString& id) const;
    [[nodiscard]] QString bestText(int g, const QString& id, int points) const;
    [[nodiscard]] QVariant exerciseProgressData(int g, const QString& id, int points, int role) const;
    void refreshAll();
    void rebuildFlat();
    void emitGroupChanged(int g);

    static constexpr quintptr kGroupTag = ~quintptr(0);
    QVector<NavGroup> m_groups;
    QVector<QPair<int, int>> m_flat; // (group, row) in list order
    QVector<int> m_starts;           // flat index of each group's first step
    QHash<QString, int> m_index;     // lesson id -> group
    int m_current = 0;
    int m_active = 0;
    QString m_practisedLesson, m_practisedId;
    QPointer<Progress> m_progress;
};

} // namespace mountlab::gui
