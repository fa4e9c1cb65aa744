// Try it yourself (issue #16): the learner types a step's command instead of Run, and
// the step's own checks judge the learner's state. Built from the agent's "try" events
// alone (core/stream/README.md, "try"): which step is tried, in which terminal, the
// checklist as the engine last judged it, and how the try ended. When every check
// holds the engine records the step as done (a step of its own in the stream), so
// the navigator ticks it as it ticks a step that ran. QtCore only.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QVector>

namespace mountlab::gui {

struct TryCheck {
    QString name;
    bool passed = false;
    QString message; // what was found (why it does not hold, or what holds)
};

class TryModel : public QObject {
    Q_OBJECT
public:
    explicit TryModel(QObject* parent = nullptr);

    // A "try" event; false for any other kind.
    bool handleEvent(const QJsonObject& e);
    // Forget everything (a new session).
    void clear();

    // A try is under way: the engine judges each command the terminal reports.
    [[nodiscard]] bool active() const { return m_active; }
    // The step tried (the lesson's id, "walkthrough" for the walkthrough, and its index).
    [[nodiscard]] QString lesson() const { return m_lesson; }
    [[nodiscard]] int index() const { return m_index; }
    [[nodiscard]] bool isStep(const QString& lesson, int index) const
    {
        return !m_lesson.isEmpty() && m_lesson == lesson && m_index == index;
    }
    [[nodiscard]] QString stepId() const { return m_id; }
    [[nodiscard]] QString title() const { return m_title; }
    [[nodiscard]] QString shell() const { return m_shell; }
    [[nodiscard]] QString where() const { return m_where; } // the terminal to type in
    // Why the engine judged last: start, command, mounts, passed, stop.
    [[nodiscard]] QString reason() const { return m_reason; }
    [[nodiscard]] bool passed() const { return m_passed; }
    [[nodiscard]] int commands() const { return m_commands; } // commands judged so far
    [[nodiscard]] QString view() const { return m_view; }     // "PID comm" of the judged program, or ""
    [[nodiscard]] const QVector<TryCheck>& checks() const { return m_checks; }
    [[nodiscard]] int checksHolding() const;

Q_SIGNALS:
    void started(); // reason "start": the checklist before anything was typed
    void changed(); // anything shown changed
    void ended();   // active went false (passed, or stopped)

private:
    bool m_active = false, m_passed = false;
    QString m_lesson, m_id, m_title, m_shell, m_where, m_reason, m_view;
    int m_index = -1, m_commands = 0;
    QVector<TryCheck> m_checks;
};

} // namespace mountlab::gui
