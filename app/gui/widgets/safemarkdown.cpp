#include "safemarkdown.h"

#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>
#include <QUrl>

#include <algorithm>
#include <vector>

namespace mountlab::gui {

QString capStepText(const QString& text, qsizetype max)
{
    if (text.size() <= max)
        return text;
    qsizetype cut = text.lastIndexOf(QLatin1Char('\n'), max - 1);
    if (cut < max / 2)
        cut = max;
    if (cut > 0 && text.at(cut - 1).isHighSurrogate())
        --cut; // never half a character
    const qsizetype rest = QStringView(text).mid(cut).toUtf8().size();
    // A paragraph of its own: after a blank line a table or a list has ended.
    return text.left(cut) + QStringLiteral("\n\n*(text cut: %1 KiB more)*\n").arg((rest + 1023) / 1024);
}

bool isAllowedLink(const QString& href)
{
    const QString h = href.trimmed();
    if (h.startsWith(QLatin1Char('#')))
        return h.size() > 1;
    // The string itself must start with the scheme: browsers drop tabs and newlines
    // inside a scheme ("java\tscript:"), QUrl does not.
    if (!h.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) &&
        !h.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
        return false;
    const QUrl url(h, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) &&
           !url.host().isEmpty();
}

namespace {

struct Edit {
    int position = 0;
    int length = 0;
    QTextCharFormat format;
    QString replacement; // an image's text; empty: only the format changes
    bool image = false;
};

QString imageText(const QTextImageFormat& f)
{
    const QString alt = f.stringProperty(QTextFormat::ImageAltText).simplified();
    return alt.isEmpty() ? QStringLiteral("[image]") : QStringLiteral("[image: %1]").arg(alt);
}

// Tables and cells may carry a background image (HTML "background").
void dropBackgroundImages(QTextFrame* frame)
{
    QTextFrameFormat ff = frame->frameFormat();
    if (ff.hasProperty(QTextFormat::BackgroundImageUrl)) {
        ff.clearProperty(QTextFormat::BackgroundImageUrl);
        frame->setFrameFormat(ff);
    }
    if (auto* table = qobject_cast<QTextTable*>(frame))
        for (int r = 0; r < table->rows(); ++r)
            for (int c = 0; c < table->columns(); ++c) {
                QTextTableCell cell = table->cellAt(r, c);
                QTextCharFormat cf = cell.format();
                if (cf.hasProperty(QTextFormat::BackgroundImageUrl)) {
                    cf.clearProperty(QTextFormat::BackgroundImageUrl);
                    cell.setFormat(cf);
                }
            }
    for (QTextFrame* child : frame->childFrames())
        dropBackgroundImages(child);
}

} // namespace

void setSafeMarkdown(QTextDocument* doc, const QString& markdown)
{
    doc->setMarkdown(markdown);
    std::vector<Edit> edits;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment frag = it.fragment();
            QTextCharFormat f = frag.charFormat();
            if (f.isImageFormat()) {
                // One object character per image; each becomes its alt text.
                QTextCharFormat plain = f;
                for (int p :
                     {int(QTextFormat::ObjectType), int(QTextFormat::ImageName), int(QTextFormat::ImageTitle),
                      int(QTextFormat::ImageAltText), int(QTextFormat::ImageWidth), int(QTextFormat::ImageHeight)})
                    plain.clearProperty(p);
                plain.setObjectType(QTextFormat::NoObject);
                for (int i = 0; i < frag.length(); ++i)
                    edits.push_back({frag.position() + i, 1, plain, imageText(f.toImageFormat()), true});
                continue;
            }
            const bool badHref = f.hasProperty(QTextFormat::AnchorHref) && !isAllowedLink(f.anchorHref());
            if (badHref) {
                f.clearProperty(QTextFormat::AnchorHref);
                if (f.anchorNames().isEmpty())
                    f.setAnchor(false);
                f.clearProperty(QTextFormat::FontUnderline);
                f.clearProperty(QTextFormat::TextUnderlineStyle);
                f.clearForeground(); // not drawn as a link: it is none
                edits.push_back({frag.position(), frag.length(), f, {}, false});
            } else if (f.hasProperty(QTextFormat::AnchorHref)) {
                const QString href = f.anchorHref().trimmed();
                const QString clean =
                    href.startsWith(QLatin1Char('#')) ? href : QUrl(href).toString(QUrl::FullyEncoded);
                if (clean != f.anchorHref()) {
                    f.setAnchorHref(clean);
                    edits.push_back({frag.position(), frag.length(), f, {}, false});
                }
            }
        }
    // From the end, so earlier positions stay right while text is replaced.
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.position > b.position; });
    QTextCursor cursor(doc);
    for (const Edit& e : edits) {
        cursor.setPosition(e.position);
        cursor.setPosition(e.position + e.length, QTextCursor::KeepAnchor);
        if (e.image)
            cursor.insertText(e.replacement, e.format);
        else
            cursor.setCharFormat(e.format);
    }
    dropBackgroundImages(doc->rootFrame());
}

QString safeMarkdownHtml(const QString& markdown)
{
    QTextDocument doc;
    setSafeMarkdown(&doc, markdown);
    const QString html = doc.toHtml();
    const qsizetype open = html.indexOf(QLatin1String("<body"));
    const qsizetype start = open < 0 ? -1 : html.indexOf(QLatin1Char('>'), open);
    const qsizetype end = html.lastIndexOf(QLatin1String("</body>"));
    return start >= 0 && end > start ? html.mid(start + 1, end - start - 1) : markdown.toHtmlEscaped();
}

const QString& SafeMarkdownCache::html(const QString& markdown)
{
    if (!m_valid || markdown != m_markdown) {
        m_html = safeMarkdownHtml(markdown);
        m_markdown = markdown;
        m_valid = true;
    }
    return m_html;
}

QString plainToolTip(const QString& text)
{
    if (text.isEmpty())
        return {};
    return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(text.toHtmlEscaped());
}

} // namespace mountlab::gui
