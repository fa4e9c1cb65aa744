// The step panel: the shown step (its title, text, shell line, syscall, prediction and
// result) or a lesson's overview, above the Back / Run / Run to here / Reset buttons.
// What it shows comes from the Session and the LessonDriver; what comes from lessons and
// recordings is shown as the text it is (titles) or through safe Markdown (step text).
#pragma once

#include "safemarkdown.h"
#include "theme.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QScrollArea;

namespace mountlab::gui {

class LessonDriver;
class LinkOpener;
class Session;

class StepPanel : public QWidget {
    Q_OBJECT
public:
    // `links` follows (or refuses) the links of the step text.
    StepPanel(Session& session, LessonDriver& driver, LinkOpener* links, QWidget* parent = nullptr);

    // Again from the session and the driver (explore mode: the machine's table is shown).
    void refresh(bool exploring);
    void setTheme(const Theme& theme);
    // Presenter mode: the keys drive it, so no buttons.
    void setPresenter(bool on);

    // The text's height at `width` (wrapped), for presenter mode's split.
    [[nodiscard]] int textHeightForWidth(int width) const;
    [[nodiscard]] int buttonsHeight() const;
    // The prediction's question and choices in view, however much the step says first.
    void scrollToResult();

    [[nodiscard]] QString titleText() const;
    [[nodiscard]] QString explainText() const; // as the reader reads it (plain text)
    [[nodiscard]] QString resultText() const;

Q_SIGNALS:
    void message(const QString& text, int timeoutMs);

private:
    void buildButtons();
    void showOverview(int group);
    void showPlaceholder(bool exploring);
    void showStep(int flat);
    [[nodiscard]] QString predictionHtml(int flat);
    [[nodiscard]] QString resultHtml(int flat) const;
    [[nodiscard]] QString lessonDoneHtml(int group) const;
    void updateButtons();

    Session& m_session;
    LessonDriver& m_driver;
    Theme m_theme;
    SafeMarkdownCache m_explainHtml;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_text = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_explain = nullptr;
    QLabel* m_shell = nullptr;
    QLabel* m_syscall = nullptr;
    QLabel* m_result = nullptr;
    QWidget* m_buttonsRow = nullptr;
    QPushButton* m_backButton = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_runToButton = nullptr;
    QPushButton* m_resetButton = nullptr;
    QPushButton* m_nextLessonButton = nullptr;
};

} // namespace mountlab::gui
