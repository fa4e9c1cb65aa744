// Presenter mode's row of marks above the step's prose: how the step ended (→ ok, the
// errno) and each of its checks as ✓/✗ and a short name, side by side, wrapping to at
// most two lines. The names elide (a mark's tooltip says all of it) until every mark
// fits in those lines, so a room sees every check without scrolling. What comes from
// lessons and recordings is shown as the text it is.
#pragma once

#include "session.h"
#include "theme.h"

#include <QWidget>

class QLabel;

namespace mountlab::gui {

inline constexpr int kMaxMarkLines = 2;

class StepMarks : public QWidget {
    Q_OBJECT
public:
    struct Mark {
        QString text;    // "✓ the container has tmpfs on /mnt/leak"
        QString toolTip; // all of it
        enum Kind { Plain, Pass, Fail } kind = Plain;
    };

    explicit StepMarks(QWidget* parent = nullptr);

    // A step that ran: `lead` first (how a prediction fared; empty: none), then the
    // result and every check.
    void showRan(const Session::StepResult& ran, const Mark& lead);
    // These marks (a try's checklist as the engine judged it last).
    void showMarks(const QVector<Mark>& marks) { setMarks(marks); }
    // One line instead (not run yet, running, a lesson's step count), from rich text.
    void showLine(const QString& html);
    void setTheme(const Theme& theme);

    // A check's name made short: its first clause, without what it says in brackets.
    [[nodiscard]] static QString shortName(const QString& name);
    [[nodiscard]] bool isEmpty() const { return m_marks.isEmpty(); }
    // The marks as laid out (for tests): one label each, in order.
    [[nodiscard]] QList<QLabel*> markLabels() const;
    // The lines the marks take at `width` (0: none).
    [[nodiscard]] int linesAt(int width) const;

    [[nodiscard]] bool hasHeightForWidth() const override { return true; }
    [[nodiscard]] int heightForWidth(int width) const override;
    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void setMarks(const QVector<Mark>& marks);
    void restyle();
    // Where each mark goes at `width` with every name at most `cap` px wide: the lines
    // taken, and (when `place`) the labels elided and moved there.
    int flow(int width, int cap, bool place) const;
    void placeLines(QVector<int> w, const QVector<int>& full, const QVector<int>& line, int width) const;
    [[nodiscard]] int capFor(int width) const; // the widest cap that keeps kMaxMarkLines
    void placeMarks();

    Theme m_theme = Theme::normal(11);
    QVector<Mark> m_marks;
    QList<QLabel*> m_labels;
};

} // namespace mountlab::gui
