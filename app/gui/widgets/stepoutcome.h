// The step panel's outcome area: how the shown step ended (ok, or the errno and its
// cause), every check (✓/✗ name and message), what its command printed, and the file
// the step is about (what a `read` found; /HOST_SECRET after a chroot escape). The step
// panel keeps it whole in view (it sizes itself with neededHeight()); only a long output
// scrolls, inside its own box. What comes from recordings is shown as the text it is.
#pragma once

#include "session.h"
#include "theme.h"

#include <QWidget>

class QLabel;
class QTextEdit;

namespace mountlab::gui {

// A box's lines always in view (all of them when it has no more), and at most (then it
// scrolls).
inline constexpr int kMinBoxLines = 8;
inline constexpr int kMaxBoxLines = 40;

// A caption and a monospaced box (a command's output, a file's contents), its lines
// wrapped at the box's width: as tall as its text up to a number of lines, then it scrolls.
class OutcomeBox : public QWidget {
    Q_OBJECT
public:
    explicit OutcomeBox(const QString& objectName, QWidget* parent = nullptr);
    void set(const QString& caption, const QString& text); // shown when either is not empty
    void clear() { set({}, {}); }
    void setTheme(const Theme& t);
    // The height (caption and box) at `width` that shows the text whole, or its first
    // `lines` lines (wrapped lines count) when it has more.
    [[nodiscard]] int heightFor(int lines, int width) const;
    // True when no line of the text is wider than a box `width` wide shows unwrapped.
    [[nodiscard]] bool fitsUnwrapped(int width) const;
    [[nodiscard]] QTextEdit* box() const { return m_box; }
    [[nodiscard]] QString text() const { return m_text; }
    [[nodiscard]] QString caption() const;

private:
    [[nodiscard]] int textHeight(int innerWidth) const; // the first lines' height, wrapped
    [[nodiscard]] int chrome() const;                   // the frame and the document's margin

    QLabel* m_caption = nullptr;
    QTextEdit* m_box = nullptr;
    QString m_text, m_head; // the text, and its first kMaxBoxLines lines (measured)
    int m_widest = 0;       // the longest line's advance, in the box's font
    mutable int m_measuredWidth = -1, m_measuredHeight = 0;
};

class StepOutcome : public QWidget {
    Q_OBJECT
public:
    explicit StepOutcome(QWidget* parent = nullptr);

    // A step that ran: its end, its checks, its output and the file it read; `lead`
    // (rich text) first: how a prediction fared.
    void showRan(const Session::StepResult& ran, const QString& lead = {});
    // A line of its own instead (not run yet, running, a lesson's step count); rich text.
    void showLine(const QString& html);
    void setTheme(const Theme& t);

    // The height that shows the result, every check and the boxes (each box up to
    // kMinBoxLines of its lines; more when there is room) at `width`.
    [[nodiscard]] int neededHeight(int width) const;
    // True when the command's output (a table, say) needs no wrapping at `width`.
    [[nodiscard]] bool outputFitsUnwrapped(int width) const;
    // The height showing everything at `width` (every box whole, up to its cap).
    [[nodiscard]] int fullHeight(int width) const;
    // What the area shows as HTML: the result and checks, the output and the file (<pre>).
    [[nodiscard]] QString html() const;

Q_SIGNALS:
    void widthChanged();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitBoxes(int width);
    [[nodiscard]] int heightWith(int width, int boxLines) const;

    Theme m_theme;
    Session::StepResult m_ran;
    QString m_lead;
    bool m_hasRan = false;
    QLabel* m_result = nullptr;
    OutcomeBox* m_output = nullptr;
    OutcomeBox* m_content = nullptr;
};

} // namespace mountlab::gui
