#include "stepmarks.h"

#include "safemarkdown.h"

#include <QLabel>
#include <QRegularExpression>
#include <QTextDocument>

#include <algorithm>

namespace mountlab::gui {

namespace {

constexpr int kLeastCapChars = 6; // a name never elides to fewer characters than this

// The gap between two marks, and between their lines.
int gapOf(const QFontMetrics& fm) { return fm.horizontalAdvance(QStringLiteral("nnn")); }
int lineGapOf(const QFontMetrics& fm) { return std::max(2, fm.lineSpacing() / 6); }

} // namespace

StepMarks::StepMarks(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("stepMarks"));
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
}

QString StepMarks::shortName(const QString& name)
{
    static const QRegularExpression bracketed(QStringLiteral(R"(\s*\([^)]*\)?)"));
    QString s = name.simplified();
    s.remove(bracketed);
    for (const QString& cut : {QStringLiteral(": "), QStringLiteral("; "), QStringLiteral(" — ")})
        if (const qsizetype at = s.indexOf(cut); at > 0)
            s.truncate(at);
    return s.trimmed().isEmpty() ? name.simplified() : s.trimmed();
}

void StepMarks::showRan(const Session::StepResult& ran, const Mark& lead)
{
    QVector<Mark> marks;
    if (!lead.text.isEmpty())
        marks.push_back(lead);
    const QJsonObject& end = ran.end;
    const bool typed =
        ran.begin.value(QLatin1String("op")).toObject().value(QLatin1String("op")).toString() == QLatin1String("typed");
    if (end.value(QLatin1String("ok")).toBool() && typed) {
        marks.push_back(
            {tr("→ done by typing"), tr("The learner typed the step's commands in the terminal"), Mark::Plain});
    } else if (end.value(QLatin1String("ok")).toBool()) {
        marks.push_back({tr("→ ok"), tr("The step's calls succeeded"), Mark::Plain});
    } else {
        const QString err = end.value(QLatin1String("errno")).toString().left(40);
        const QString why = end.value(QLatin1String("error")).toString().left(2000);
        const QString cause = end.value(QLatin1String("cause")).toString().left(2000);
        marks.push_back({QStringLiteral("→ ") + (err.isEmpty() ? tr("failed") : err),
                         cause.isEmpty() ? why : why + QLatin1Char('\n') + tr("cause: ") + cause, Mark::Fail});
    }
    for (const QJsonObject& c : ran.checks) {
        const bool passed = c.value(QLatin1String("passed")).toBool();
        const QString name = c.value(QLatin1String("name")).toString().left(2000);
        const QString message = c.value(QLatin1String("message")).toString().left(2000);
        marks.push_back({(passed ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + shortName(name),
                         message.isEmpty() ? name : name + QLatin1Char('\n') + message,
                         passed ? Mark::Pass : Mark::Fail});
    }
    setMarks(marks);
}

void StepMarks::showLine(const QString& html)
{
    QTextDocument doc;
    doc.setHtml(html);
    const QString text = doc.toPlainText().trimmed();
    const QString first = text.section(QLatin1Char('\n'), 0, 0).simplified();
    setMarks(first.isEmpty() ? QVector<Mark>{} : QVector<Mark>{{first, text, Mark::Plain}});
}

void StepMarks::setMarks(const QVector<Mark>& marks)
{
    m_marks = marks;
    while (m_labels.size() > m_marks.size())
        delete m_labels.takeLast();
    while (m_labels.size() < m_marks.size()) {
        auto* l = new QLabel(this);
        l->setTextFormat(Qt::PlainText);
        l->setObjectName(QStringLiteral("stepMark"));
        m_labels.push_back(l);
    }
    restyle();
    for (int i = 0; i < m_marks.size(); ++i) {
        m_labels[i]->setToolTip(plainToolTip(m_marks[i].toolTip));
        m_labels[i]->show();
    }
    updateGeometry();
    placeMarks();
}

void StepMarks::setTheme(const Theme& theme)
{
    m_theme = theme;
    restyle();
    updateGeometry();
    placeMarks();
}

void StepMarks::restyle()
{
    setFont(m_theme.uiFont(1.0));
    for (int i = 0; i < m_labels.size(); ++i) {
        const Mark::Kind k = m_marks[i].kind;
        const QColor c = k == Mark::Pass ? m_theme.passText : k == Mark::Fail ? m_theme.failText : m_theme.text;
        m_labels[i]->setFont(font());
        m_labels[i]->setStyleSheet(QStringLiteral("color:%1").arg(c.name()));
    }
}

int StepMarks::flow(int width, int cap, bool place) const
{
    if (m_marks.isEmpty() || width <= 0)
        return 0;
    const QFontMetrics fm(font());
    const int gap = gapOf(fm), n = int(m_marks.size());
    QVector<int> w(n), full(n), line(n);
    int lines = 1, x = 0;
    for (int i = 0; i < n; ++i) {
        full[i] = fm.horizontalAdvance(m_marks[i].text);
        w[i] = std::max(1, std::min({full[i], cap, width - 2}));
        if (x > 0 && x + gap + w[i] + 2 > width) {
            ++lines;
            x = 0;
        }
        line[i] = lines - 1;
        x = (x == 0 ? 0 : x + gap) + w[i] + 2;
    }
    if (place)
        placeLines(w, full, line, width);
    return lines;
}

// The marks at their widths, line by line; a line's room left goes to its elided names.
void StepMarks::placeLines(QVector<int> w, const QVector<int>& full, const QVector<int>& line, int width) const
{
    const QFontMetrics fm(font());
    const int gap = gapOf(fm), rowH = fm.height() + lineGapOf(fm), n = int(w.size());
    for (int first = 0; first < n;) {
        int last = first, used = 0, elided = 0;
        for (; last < n && line[last] == line[first]; ++last) {
            used += (last > first ? gap : 0) + w[last] + 2;
            elided += w[last] < full[last];
        }
        const int extra = elided > 0 ? (width - used) / elided : 0;
        for (int x = 0, i = first; i < last; ++i) {
            if (w[i] < full[i])
                w[i] = std::min(full[i], w[i] + std::max(0, extra));
            QLabel* l = m_labels[i];
            l->setText(w[i] >= full[i] ? m_marks[i].text : fm.elidedText(m_marks[i].text, Qt::ElideRight, w[i]));
            l->setGeometry(x, line[i] * rowH, w[i] + 2, fm.height());
            x += w[i] + 2 + gap;
        }
        first = last;
    }
}

// The widest cap on each mark that keeps the marks within kMaxMarkLines (searched by
// halving); the least cap when even that needs more lines.
int StepMarks::capFor(int width) const
{
    const QFontMetrics fm(font());
    int widest = 0;
    for (const Mark& m : m_marks)
        widest = std::max(widest, fm.horizontalAdvance(m.text));
    if (flow(width, widest, false) <= kMaxMarkLines)
        return widest;
    int lo = kLeastCapChars * fm.averageCharWidth(), hi = widest;
    while (lo < hi) {
        const int mid = (lo + hi + 1) / 2;
        if (flow(width, mid, false) <= kMaxMarkLines)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

int StepMarks::linesAt(int width) const { return flow(width, capFor(width), false); }

int StepMarks::heightForWidth(int width) const
{
    const QFontMetrics fm(font());
    const int lines = linesAt(width);
    return lines == 0 ? 0 : lines * (fm.height() + lineGapOf(fm)) - lineGapOf(fm);
}

QSize StepMarks::sizeHint() const { return {width() > 0 ? width() : 400, heightForWidth(width() > 0 ? width() : 400)}; }

QSize StepMarks::minimumSizeHint() const { return {1, heightForWidth(std::max(1, width()))}; }

void StepMarks::placeMarks()
{
    if (width() > 0)
        flow(width(), capFor(width()), true);
}

void StepMarks::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    placeMarks();
}

QList<QLabel*> StepMarks::markLabels() const { return m_labels; }

} // namespace mountlab::gui
