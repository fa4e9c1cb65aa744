#include "stepoutcome.h"

#include <QJsonArray>
#include <QLabel>
#include <QScrollBar>
#include <QTextDocument>
#include <QTextEdit>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mountlab::gui {

namespace {

// More than this is cut (a note says how much): layout cost grows with the text.
constexpr qsizetype kMaxBoxText = 256 * 1024;

QString capped(const QString& text)
{
    QString t = text;
    while (t.endsWith(QLatin1Char('\n')))
        t.chop(1);
    if (t.size() <= kMaxBoxText)
        return t;
    return t.left(kMaxBoxText) + StepOutcome::tr("\n… (%1 KiB more)").arg((t.size() - kMaxBoxText) / 1024);
}

// How the step ended: ok or the errno, its cause, then its checks.
QString endHtml(const Session::StepResult& ran, const Theme& theme)
{
    const QJsonObject& end = ran.end;
    const bool ok = end.value(QLatin1String("ok")).toBool();
    const QJsonObject op = ran.begin.value(QLatin1String("op")).toObject();
    const bool typed = op.value(QLatin1String("op")).toString() == QLatin1String("typed");
    const qsizetype typedCount = op.value(QLatin1String("commands")).toArray().size();
    QString result = ok && typed ? (typedCount == 1 ? StepOutcome::tr("→ done by typing (1 command)")
                                                    : StepOutcome::tr("→ done by typing (%1 commands)").arg(typedCount))
                     : ok        ? StepOutcome::tr("→ ok (%1 ms)")
                                .arg(end.value(QLatin1String("duration_us")).toDouble() / 1000.0, 0, 'f', 2)
                          : StepOutcome::tr("→ <b>%1</b> %2")
                                .arg(end.value(QLatin1String("errno")).toString().toHtmlEscaped(),
                                     end.value(QLatin1String("error")).toString().toHtmlEscaped());
    const QString cause = end.value(QLatin1String("cause")).toString();
    if (!cause.isEmpty())
        result += QStringLiteral("<br>cause: ") + cause.toHtmlEscaped();
    for (const QJsonObject& c : ran.checks) {
        const bool passed = c.value(QLatin1String("passed")).toBool();
        result += QStringLiteral("<br><span style='color:%1'>%2 %3</span> %4")
                      .arg((passed ? theme.passText : theme.failText).name(),
                           passed ? QStringLiteral("✓") : QStringLiteral("✗"),
                           c.value(QLatin1String("name")).toString().toHtmlEscaped(),
                           c.value(QLatin1String("message")).toString().toHtmlEscaped());
    }
    return result;
}

// The path the step's last `read` read (the op is one object, or a list of them).
QString readPath(const QJsonObject& begin)
{
    const QJsonValue op = begin.value(QLatin1String("op"));
    QJsonArray ops = op.isArray() ? op.toArray() : QJsonArray{op};
    for (qsizetype i = ops.size() - 1; i >= 0; --i) {
        const QJsonObject one = ops[i].toObject();
        if (one.value(QLatin1String("op")).toString() == QLatin1String("read"))
            return one.value(QLatin1String("path")).toString().left(500);
    }
    return {};
}

// What a chroot escape found: /HOST_SECRET, read or not, and what that means.
void escapeFound(const QJsonObject& data, QString* caption, QString* text)
{
    const QString landed = data.value(QLatin1String("landed")).toString().left(200);
    if (data.value(QLatin1String("secret_readable")).toBool()) {
        *caption = StepOutcome::tr("/HOST_SECRET, read after the escape (it landed on the %1): a file of the lab "
                                   "host, outside the container's root — the chroot did not hold the process in.")
                       .arg(landed);
        *text = capped(data.value(QLatin1String("secret")).toString());
        if (text->isEmpty())
            *text = StepOutcome::tr("(empty)");
    } else {
        *caption = StepOutcome::tr("/HOST_SECRET could not be read: the escape landed on the %1, and nothing of the "
                                   "lab host is above it.")
                       .arg(landed);
    }
}

} // namespace

OutcomeBox::OutcomeBox(const QString& objectName, QWidget* parent) : QWidget(parent)
{
    setObjectName(objectName);
    auto* l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->setSpacing(2);
    m_caption = new QLabel(this);
    m_caption->setTextFormat(Qt::PlainText); // paths come from lessons and recordings
    m_caption->setWordWrap(true);
    m_caption->setObjectName(objectName + QStringLiteral("Caption"));
    m_box = new QTextEdit(this);
    m_box->setObjectName(objectName + QStringLiteral("Text"));
    m_box->setReadOnly(true);
    m_box->setAcceptRichText(false);
    // Wrapped, so that nothing hides to the right: at spaces, or anywhere in a long word.
    m_box->setLineWrapMode(QTextEdit::WidgetWidth);
    m_box->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_box->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_box->setFocusPolicy(Qt::ClickFocus); // Space must reach the shortcut
    m_box->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    l->addWidget(m_caption);
    l->addWidget(m_box, 1);
    setVisible(false);
}

void OutcomeBox::set(const QString& caption, const QString& text)
{
    m_caption->setText(caption);
    m_caption->setVisible(!caption.isEmpty());
    if (text != m_text || m_measuredWidth < 0) {
        m_text = text;
        m_box->setPlainText(text);
        const QFontMetrics fm(m_box->font());
        m_widest = 0;
        m_head.clear();
        int n = 0;
        for (const QStringView line : QStringView(text).split(QLatin1Char('\n'))) {
            if (n++ < kMaxBoxLines)
                m_head += (n > 1 ? QStringLiteral("\n") : QString()) + line.toString();
            m_widest = std::max(m_widest, fm.horizontalAdvance(line.left(2000).toString()));
        }
        m_measuredWidth = -1;
    }
    m_box->setVisible(!text.isEmpty());
    setVisible(!caption.isEmpty() || !text.isEmpty());
}

void OutcomeBox::setTheme(const Theme& t)
{
    m_caption->setFont(t.uiFont(0.95));
    m_caption->setStyleSheet(QStringLiteral("color:%1").arg(t.dimText.name()));
    m_box->setFont(t.monoFont(0.95));
    m_box->document()->setDefaultFont(m_box->font());
    m_box->setStyleSheet(QStringLiteral("QTextEdit{background:%1;color:%2;border:1px solid %3}")
                             .arg(t.stepOutputBackground.name(), t.text.name(), t.gridLine.name()));
    m_measuredWidth = -1; // the widest line and the heights in the new font
    set(m_caption->text(), m_text);
}

QString OutcomeBox::caption() const { return m_caption->text(); }

int OutcomeBox::chrome() const
{
    return 2 * m_box->frameWidth() + 2 * int(std::ceil(m_box->document()->documentMargin()));
}

int OutcomeBox::textHeight(int innerWidth) const
{
    if (innerWidth != m_measuredWidth) {
        // Laid out as the box lays it out: its font, margin and wrapping.
        QTextDocument doc;
        doc.setDefaultFont(m_box->font());
        doc.setDocumentMargin(m_box->document()->documentMargin());
        doc.setDefaultTextOption(m_box->document()->defaultTextOption());
        doc.setPlainText(m_head);
        doc.setTextWidth(innerWidth);
        m_measuredHeight = int(std::ceil(doc.size().height()));
        m_measuredWidth = innerWidth;
    }
    return m_measuredHeight;
}

int OutcomeBox::heightFor(int lines, int width) const
{
    if (isHidden())
        return 0;
    const int h = m_caption->isHidden() ? 0 : m_caption->heightForWidth(width) + 2;
    if (m_box->isHidden())
        return h;
    const int frame = 2 * m_box->frameWidth();
    const int margin = 2 * int(std::ceil(m_box->document()->documentMargin()));
    const int atMost = lines * QFontMetrics(m_box->font()).lineSpacing() + margin;
    return h + std::min(textHeight(width - frame), atMost) + frame; // taller: it scrolls
}

bool OutcomeBox::fitsUnwrapped(int width) const { return isHidden() || m_widest <= width - chrome(); }

StepOutcome::StepOutcome(QWidget* parent) : QWidget(parent)
{
    auto* l = new QVBoxLayout(this);
    l->setContentsMargins(8, 4, 8, 4);
    l->setSpacing(6);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("stepResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_output = new OutcomeBox(QStringLiteral("stepOutput"), this);
    m_content = new OutcomeBox(QStringLiteral("stepContent"), this);
    l->addWidget(m_result);
    l->addWidget(m_output, 1);
    l->addWidget(m_content, 1);
    l->addStretch(0);
}

void StepOutcome::showRan(const Session::StepResult& ran, const QString& lead)
{
    m_ran = ran;
    m_lead = lead;
    m_hasRan = true;
    m_result->setText((lead.isEmpty() ? QString() : lead + QStringLiteral("<br>")) + endHtml(ran, m_theme));
    const QJsonObject data = ran.end.value(QLatin1String("data")).toObject();
    // What the step's commands printed (ip link, ps, a uid_map...): part of the lesson.
    QString out = capped(data.value(QLatin1String("stdout")).toString());
    const QString err = capped(data.value(QLatin1String("stderr")).toString());
    if (out.trimmed().isEmpty())
        out.clear();
    if (!err.trimmed().isEmpty())
        out += (out.isEmpty() ? QString() : QStringLiteral("\n")) + err;
    m_output->set(out.isEmpty() ? QString() : tr("What it printed:"), out);
    QString caption, text;
    if (data.contains(QLatin1String("content"))) {
        const QString path = readPath(ran.begin);
        caption = path.isEmpty() ? tr("The file it read:") : tr("%1 reads:").arg(path);
        text = capped(data.value(QLatin1String("content")).toString());
        if (text.isEmpty())
            text = tr("(empty)");
    } else if (data.contains(QLatin1String("secret_readable"))) {
        escapeFound(data, &caption, &text);
    }
    m_content->set(caption, text);
    fitBoxes(width());
}

void StepOutcome::showLine(const QString& html)
{
    m_hasRan = false;
    m_ran = {};
    m_lead.clear();
    m_result->setText(html);
    m_output->clear();
    m_content->clear();
}

void StepOutcome::setTheme(const Theme& t)
{
    m_theme = t;
    m_result->setFont(t.uiFont(1.0));
    m_output->setTheme(t);
    m_content->setTheme(t);
    if (m_hasRan)
        showRan(m_ran, m_lead); // the checks' colours are the theme's (the panel redraws the lead)
    fitBoxes(width());
}

int StepOutcome::heightWith(int width, int boxLines) const
{
    const QMargins m = layout()->contentsMargins();
    const int inner = width - m.left() - m.right();
    const int spacing = layout()->spacing();
    int h = m.top() + m.bottom() + m_result->heightForWidth(inner);
    for (const OutcomeBox* b : {m_output, m_content})
        if (!b->isHidden())
            h += spacing + b->heightFor(boxLines, inner);
    return h;
}

bool StepOutcome::outputFitsUnwrapped(int width) const
{
    const QMargins m = layout()->contentsMargins();
    return m_output->fitsUnwrapped(width - m.left() - m.right());
}

int StepOutcome::neededHeight(int width) const { return heightWith(width, kMinBoxLines); }

int StepOutcome::fullHeight(int width) const { return heightWith(width, kMaxBoxLines); }

void StepOutcome::fitBoxes(int width)
{
    const QMargins m = layout()->contentsMargins();
    const int inner = width - m.left() - m.right();
    for (OutcomeBox* b : {m_output, m_content}) {
        if (b->isHidden())
            continue;
        b->setMinimumHeight(b->heightFor(kMinBoxLines, inner));
        b->setMaximumHeight(b->heightFor(kMaxBoxLines, inner));
    }
}

void StepOutcome::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitBoxes(width());
    Q_EMIT widthChanged();
}

QString StepOutcome::html() const
{
    QString html = m_result->text();
    for (const OutcomeBox* b : {m_output, m_content})
        if (!b->isHidden())
            html +=
                QStringLiteral("<p>%1</p><pre>%2</pre>").arg(b->caption().toHtmlEscaped(), b->text().toHtmlEscaped());
    return html;
}

} // namespace mountlab::gui
