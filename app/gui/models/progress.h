// What the learner did, kept across restarts: the lessons' steps tried and passed, each
// exercise's graded attempts, the hints revealed and the commands typed. One JSON file
// (docs/progress.md), written atomically (a temp file renamed over it) at most every
// 500 ms after a change, and when the store goes away. Fed from the event stream (step
// ends, `command` events during a practice, `practice-grade`); QtCore only.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace mountlab::gui {

class Progress : public QObject {
    Q_OBJECT
public:
    static constexpr int kFormatVersion = 1;
    static constexpr int kSaveDelayMs = 500;
    // Bounds: the oldest go first.
    static constexpr int kMaxCommands = 200; // per exercise
    static constexpr int kMaxAttempts = 50;  // per exercise
    static constexpr qsizetype kMaxScriptChars = 64 * 1024;
    static constexpr qsizetype kMaxCommandChars = 4096;

    // The store at `path` (empty: defaultPath()). Nothing is read until load().
    explicit Progress(const QString& path = {}, QObject* parent = nullptr);
    ~Progress() override; // a change not yet written is written now

    // $MOUNTLAB_PROGRESS_FILE, else $XDG_DATA_HOME/mountlab/progress.json.
    [[nodiscard]] static QString defaultPath();
    [[nodiscard]] QString path() const { return m_path; }

    // Reads the file. One that is not valid JSON or has another version is moved aside
    // (progress.json.bad-<time>), warning() says so, and the store starts empty.
    void load();
    // Writes a pending change now (on quit).
    void flush();

    // One event of the live stream.
    void handleEvent(const QJsonObject& e);
    // The practice panel revealed `count` hints of an exercise (the most ever is kept).
    void recordHint(const QString& lesson, const QString& exercise, int count);
    // The learner's answer to a step's prediction (the last one is kept, with its time).
    void recordPrediction(const QString& lesson, int index, const QString& stepId, const QString& choice, bool correct);
    // {"choice", "correct", "time"} of the step's last answer; {} when none.
    [[nodiscard]] QJsonObject prediction(const QString& lesson, int index) const;

    // {"steps": {"<index>": {"id", "tried", "passed"}}, "finished": bool, ...}; {} when none.
    [[nodiscard]] QJsonObject lessonState(const QString& lesson) const;
    [[nodiscard]] bool lessonFinished(const QString& lesson) const;
    // The best graded score (-1: never graded).
    [[nodiscard]] int exerciseBest(const QString& lesson, const QString& exercise) const;
    [[nodiscard]] QJsonArray attempts(const QString& lesson, const QString& exercise) const;
    [[nodiscard]] QJsonObject exerciseState(const QString& lesson, const QString& exercise) const;
    // "lesson/exercise" of every exercise with something kept.
    [[nodiscard]] QStringList exerciseKeys() const;
    // What to hand in for an exercise: its last graded script, else the commands typed
    // (in the container's top-level shell) as a bash script; empty when neither.
    [[nodiscard]] QString scriptFor(const QString& lesson, const QString& exercise) const;
    // Writes each exercise's scriptFor() as DIR/LESSON-EXERCISE.sh; the count written
    // (-1 with *error when one could not be written).
    int exportScripts(const QString& dir, QString* error = nullptr) const;

    [[nodiscard]] QJsonObject toJson() const;

Q_SIGNALS:
    void warning(const QString& message);
    void changed();
    void saved(const QString& path);

private:
    void onStepEnd(const QJsonObject& end);
    void onCommand(const QJsonObject& e);
    void onGrade(const QJsonObject& e);
    void onPractice(const QJsonObject& e);
    void markChanged();
    bool save();
    void moveAside(const QString& why);
    [[nodiscard]] static QString now();
    [[nodiscard]] static QString key(const QString& lesson, const QString& exercise);

    QString m_path;
    QJsonObject m_lessons;   // lesson id -> state
    QJsonObject m_exercises; // "lesson/exercise" -> state
    QTimer m_saveTimer;
    bool m_dirty = false;

    // From the stream, not kept: the lessons' step counts, the running step's begin,
    // the steps passed in the current lab, the practice running.
    QHash<QString, int> m_stepCounts;
    QJsonObject m_begin;
    QString m_labLesson;
    QSet<int> m_labPassed;
    QString m_practiceLesson, m_practiceExercise;
};

} // namespace mountlab::gui
