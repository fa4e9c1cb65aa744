// The navigator's view: the lessons and their steps, one selected at a time. It takes no
// typing: a letter typed here (a learner who thought the terminal had the keys) neither
// jumps to another lesson's step, where Space would start that lesson in a fresh lab,
// nor does anything else; it says where commands go instead. While such typing goes on
// (two seconds after its last key), Space and the digits are part of it too: they run
// no step and answer no prediction, and Enter starts no exercise.
#pragma once

#include <QElapsedTimer>
#include <QTreeView>

namespace mountlab::gui {

class NavigatorView : public QTreeView {
    Q_OBJECT
public:
    explicit NavigatorView(QWidget* parent = nullptr);

    // Not the item views' type-ahead: the text is only reported.
    void keyboardSearch(const QString& search) override;

Q_SIGNALS:
    // Text was typed while the navigator had the keys.
    void typedText(const QString& text);
    // Enter or Return on the current row, not while typing (an exercise's row starts it).
    void enterPressed(const QModelIndex& index);

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    [[nodiscard]] bool typing() const { return m_typed.isValid() && m_typed.elapsed() < 2000; }
    [[nodiscard]] static bool printable(const QKeyEvent* event);

    QElapsedTimer m_typed; // since the last key typed as text
};

} // namespace mountlab::gui
