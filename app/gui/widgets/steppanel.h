// The step panel: the shown step or a lesson's overview, above the Back / Run / Run to
// here / Reset buttons. Its title on top; below, the prose (text, shell line, syscall,
// prediction) scrolls, and beside it (below it on a narrow panel) the outcome area
// (StepOutcome: result, checks, output, the file read) stays whole in view: the panel's
// minimum height is what the outcome needs. What it shows comes from the Session and the
// LessonDriver; what comes from lessons and recordings is shown as the text it is
// (titles) or through safe Markdown (step text).
#pragma once

#include "safemarkdown.h"
#include "theme.h"

#include <QWidget>

class QBoxLayout;
class QFrame;
class QLabel;
class QPushButton;
class QScrollArea;

namespace mountlab::gui {

class LessonDriver;
class LinkOpener;
class Session;
class StepMarks;
class StepOutcome;

class StepPanel : public QWidget {
    Q_OBJECT
public:
    // `links` follows (or refuses) the links of the step text.
    StepPanel(Session& session, LessonDriver& driver, LinkOpener* links, QWidget* parent = nullptr);

    // Again from the session and the driver (explore mode: the machine's table is shown).
    // A step or overview not shown before is shown from its top (its heading).
    void refresh(bool exploring);
    // Fonts and colours, and what is shown drawn again in them.
    void setTheme(const Theme& theme);
    // Presenter mode: the keys drive it, so no buttons; a layout of its own for the
    // strip above the tree: the title on one line (elided, all of it in its tooltip),
    // then the result and checks as a row of marks (StepMarks), then the prose.
    void setPresenter(bool on);
    // Presenter mode's strip at `width`: the title's line, the marks and `proseLines`
    // lines of the prose (when the step has prose).
    [[nodiscard]] int presenterHeight(int width, int proseLines) const;

    // The height showing the title, the whole text and the whole outcome at `width`
    // (wrapped; without the buttons), for presenter mode's split.
    [[nodiscard]] int textHeightForWidth(int width) const;
    [[nodiscard]] int buttonsHeight() const;
    // The prediction's question and choices in view, however much the step says first.
    void scrollToResult();

    [[nodiscard]] QString titleText() const; // all of it, elided or not
    [[nodiscard]] QLabel* titleLabel() const { return m_title; }
    [[nodiscard]] StepMarks* marks() const { return m_marks; }
    [[nodiscard]] QString explainText() const; // as the reader reads it (plain text)
    // The prediction (when the step asks one) and the outcome area, as HTML.
    [[nodiscard]] QString resultText() const;
    // The outcome beside the prose (a wide panel), or below it.
    [[nodiscard]] bool sideBySide() const { return m_sideBySide; }
    [[nodiscard]] QScrollArea* proseArea() const { return m_scroll; }
    [[nodiscard]] StepOutcome* outcome() const { return m_outcome; }

    [[nodiscard]] QPushButton* tryButton() const { return m_tryButton; }

Q_SIGNALS:
    void message(const QString& text, int timeoutMs);
    // The Try button: try the shown step by typing, or stop the try under way.
    void tryToggled();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void buildProse();
    void buildButtons();
    void fitOutcome(); // the layout for the width, and the height the outcome needs
    void giveBackHeight(int oldMinimum);
    [[nodiscard]] bool besideAt(int width) const;
    [[nodiscard]] int columnWidth(int width) const;
    void showOverview(int group);
    void showPlaceholder(bool exploring);
    void showStep(int flat);
    // The title: `full`, or in presenter mode one line of it (`brief` when the whole
    // does not fit), elided.
    void setTitle(const QString& full, const QString& brief = {}, const QString& toolTip = {});
    void showLine(const QString& html); // the outcome's line, and the marks'
    void showTitle();
    [[nodiscard]] QString predictionHtml(int flat);
    struct Verdict {
        bool asked = false, right = false;
        QString text;
    };
    [[nodiscard]] Verdict verdictOf(int flat) const;
    [[nodiscard]] QString verdictHtml(int flat) const;
    [[nodiscard]] QString resultLine(int flat) const;
    [[nodiscard]] QString runLine(int flat) const; // what Space does for a step not run
    void showTry();                                // the try of the shown step: what to type where, and its checklist
    [[nodiscard]] QString tryHtml() const;
    [[nodiscard]] QString lessonDoneHtml(int group) const;
    void updateButtons();

    Session& m_session;
    LessonDriver& m_driver;
    Theme m_theme;
    SafeMarkdownCache m_explainHtml;
    bool m_refreshed = false, m_exploring = false;
    int m_shownKey = -1; // the step (or overview) shown: another one is shown from its top
    bool m_sideBySide = true;
    bool m_presenter = false;
    int m_restHeight = -1; // the height before a step's outcome made the panel taller
    QLabel* m_title = nullptr;
    QString m_titleFull, m_titleBrief, m_titleTip;
    StepMarks* m_marks = nullptr;
    QBoxLayout* m_body = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_text = nullptr;
    QLabel* m_explain = nullptr;
    QLabel* m_shell = nullptr;
    QLabel* m_syscall = nullptr;
    QLabel* m_predict = nullptr;
    QFrame* m_rule = nullptr; // between the prose and the outcome
    StepOutcome* m_outcome = nullptr;
    QWidget* m_buttonsRow = nullptr;
    QPushButton* m_backButton = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_runToButton = nullptr;
    QPushButton* m_tryButton = nullptr;
    QPushButton* m_resetButton = nullptr;
    QPushButton* m_nextLessonButton = nullptr;
};

} // namespace mountlab::gui
