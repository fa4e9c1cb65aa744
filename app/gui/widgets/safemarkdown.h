// Markdown and titles from recordings and lessons are untrusted: a recording is made by
// someone else (a student's, say) and a lesson file may come from anywhere. The GUI and
// the HTML report show them only through these helpers: the text capped before it is
// parsed, links kept only when they are http(s) or in-document anchors, no images, and
// titles shown as the literal text they are.
#pragma once

#include <QString>

class QTextDocument;

namespace mountlab::gui {

// A step's text, in characters (UTF-16 code units), before Markdown rendering: layout
// cost grows faster than the text (a 2,000-row table took seconds).
inline constexpr qsizetype kMaxStepText = 64 * 1024;

// The text itself when short enough; otherwise its first `max` characters (cut at a
// line end when there is one in the last half) and "(text cut: N KiB more)".
[[nodiscard]] QString capStepText(const QString& text, qsizetype max = kMaxStepText);

// The links a reader may follow: http(s) with a host, or an in-document "#anchor".
[[nodiscard]] bool isAllowedLink(const QString& href);

// Markdown (GitHub dialect; raw HTML as Qt reads it) into `doc`, then cleaned: links
// outside the allow-list lose their target (their text stays), images become
// "[image: alt]", background images go.
void setSafeMarkdown(QTextDocument* doc, const QString& markdown);

// The cleaned document as an HTML fragment (the body's content), for a QLabel or the report.
[[nodiscard]] QString safeMarkdownHtml(const QString& markdown);

// The last Markdown rendered and its HTML: the step panel is redrawn on every event
// (a recording's 1,000 lessons each redraw it), its text rarely changes.
class SafeMarkdownCache {
public:
    [[nodiscard]] const QString& html(const QString& markdown);

private:
    QString m_markdown, m_html;
    bool m_valid = false;
};

// A tooltip that shows `text` literally (QToolTip guesses rich text from a leading tag).
[[nodiscard]] QString plainToolTip(const QString& text);

} // namespace mountlab::gui
