// The terminal widget's painting: the screen's cells in their colours (kept readable),
// the selection, the cursor, the placeholder over an empty screen, the bell's flash.
#include "terminalwidget.h"
#include "terminalwidget_internal.h"

#include <QPainter>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <utility>

namespace mountlab::gui {

using terminal_internal::cellText;
using terminal_internal::kPadding;

namespace {

// WCAG relative luminance and contrast: a colour the program chose may still be
// unreadable on the ground it chose (ls's black on green, on presenter black).
double luminance(const QColor& c)
{
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

// xterm's 256 colours past the 16: a 6x6x6 cube, then 24 greys.
QColor xterm256(int i)
{
    if (i >= 232) {
        const int v = 8 + 10 * (i - 232);
        return QColor(v, v, v);
    }
    i -= 16;
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    return QColor(level[(i / 36) % 6], level[(i / 6) % 6], level[i % 6]);
}

} // namespace

// What every cell of one frame is drawn against.
struct TerminalWidget::PaintFrame {
    QRect area;
    qint64 cursorLine = 0;
    bool showCursor = false;
    std::optional<Pos> selA, selB; // the selection, [selA, selB), when there is one
};

QColor TerminalWidget::colorOf(const term::Color& c, bool foreground) const
{
    switch (c.kind) {
    case term::Color::Kind::Default:
        return foreground ? m_theme.terminalText : m_theme.terminalBackground;
    case term::Color::Kind::Indexed:
        return c.index < 16 ? m_theme.ansiColor(c.index, !foreground) : xterm256(c.index);
    case term::Color::Kind::Rgb:
        return QColor(c.r, c.g, c.b);
    }
    return m_theme.terminalText;
}

TerminalWidget::PaintFrame TerminalWidget::paintFrame() const
{
    PaintFrame f;
    f.area = textArea();
    f.cursorLine = qint64(m_screen.scrollback_size()) + m_screen.cursor_row();
    // No shell, no cursor: nothing would go where it points.
    f.showCursor = m_screen.cursor_visible() && m_attached && !m_readOnly;
    if (m_selAnchor && m_selEnd && *m_selAnchor != *m_selEnd) {
        f.selA = std::min(*m_selAnchor, *m_selEnd);
        f.selB = std::max(*m_selAnchor, *m_selEnd);
    }
    return f;
}

void TerminalWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), m_theme.terminalBackground);
    const PaintFrame frame = paintFrame();
    const qint64 top = topLine();
    p.setClipRect(frame.area.adjusted(-kPadding, -kPadding, kPadding, kPadding));

    bool empty = true;
    for (int r = 0; r < m_screen.rows(); ++r) {
        const qint64 lineNo = top + r;
        const term::Line* line = lineAt(lineNo);
        if (!line)
            continue;
        const int y = frame.area.top() + r * m_cellH;
        if (paintLine(p, frame, *line, lineNo, y))
            empty = false;
        if (frame.showCursor && lineNo == frame.cursorLine)
            paintCursor(p, frame, y, int(line->cells.size()));
    }
    p.setClipping(false);
    if (empty && m_screen.scrollback_size() == 0 && !m_placeholder.isEmpty())
        paintPlaceholder(p, frame.area);
    if (m_flashTimer->isActive()) {
        QColor flash = m_theme.terminalText;
        flash.setAlpha(50);
        p.fillRect(rect(), flash);
    }
}

bool TerminalWidget::paintLine(QPainter& p, const PaintFrame& frame, const term::Line& line, qint64 lineNo, int y) const
{
    bool drewText = false;
    const int n = int(line.cells.size());
    for (int c = 0; c < n; ++c) {
        const term::Cell& cell = line.cells[size_t(c)];
        if (cell.width == 0)
            continue;
        const int w = cell.width == 2 ? 2 : 1;
        const auto [fg, bg] = cellColors(frame, cell.attrs, Pos{lineNo, c});
        const QRect cellRect(frame.area.left() + c * m_cellW, y, w * m_cellW, m_cellH);
        if (bg != m_theme.terminalBackground)
            p.fillRect(cellRect, bg);
        if (paintGlyph(p, cell, cellRect, fg))
            drewText = true;
    }
    return drewText;
}

std::pair<QColor, QColor> TerminalWidget::cellColors(const PaintFrame& frame, const term::Attrs& a, Pos here) const
{
    QColor fg = colorOf(a.fg, true), bg = colorOf(a.bg, false);
    if (a.inverse) {
        std::swap(fg, bg);
        // The default colours swap as a whole: inverse of nothing is the text's colour.
    }
    if (a.faint)
        fg = blend(fg, bg, 0.4);
    if (frame.selA && here >= *frame.selA && here < *frame.selB)
        bg = m_theme.terminalSelection;
    const bool isCursor = frame.showCursor && here.line == frame.cursorLine && here.col == m_screen.cursor_col();
    if (isCursor && hasFocus()) {
        bg = m_theme.terminalText;
        fg = m_theme.terminalBackground;
    } else if (!a.invisible && contrast(fg, bg) < 2.2) {
        // Unreadable as chosen: the stronger of black and white on that ground.
        fg = contrast(m_theme.terminalInkDark, bg) > contrast(m_theme.terminalInkLight, bg) ? m_theme.terminalInkDark
                                                                                            : m_theme.terminalInkLight;
    }
    return {fg, bg};
}

// The character and its lines (underline, strike); true when a character was drawn.
bool TerminalWidget::paintGlyph(QPainter& p, const term::Cell& cell, const QRect& cellRect, const QColor& fg) const
{
    const term::Attrs& a = cell.attrs;
    const int y = cellRect.top();
    bool drewText = false;
    if (cell.ch != U' ' && cell.ch != 0 && !a.invisible) {
        drewText = true;
        p.setFont(a.bold ? (a.italic ? m_boldItalic : m_bold) : (a.italic ? m_italic : m_font));
        p.setPen(fg);
        p.drawText(QPoint(cellRect.left(), y + m_ascent), cellText(cell.ch));
    }
    if (a.underline || a.strike) {
        p.setPen(fg);
        if (a.underline)
            p.drawLine(cellRect.left(), y + m_ascent + 2, cellRect.right(), y + m_ascent + 2);
        if (a.strike)
            p.drawLine(cellRect.left(), y + m_cellH / 2, cellRect.right(), y + m_cellH / 2);
    }
    return drewText;
}

// The cursor past the line's cells, or hollow when the focus is elsewhere (on a cell
// with the focus, cellColors drew it).
void TerminalWidget::paintCursor(QPainter& p, const PaintFrame& frame, int y, int lineCells) const
{
    const QRect cur(frame.area.left() + m_screen.cursor_col() * m_cellW, y, m_cellW, m_cellH);
    if (!hasFocus()) {
        p.setPen(QPen(m_theme.terminalText, 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cur.adjusted(0, 0, -1, -1));
    } else if (m_screen.cursor_col() >= lineCells) {
        p.fillRect(cur, m_theme.terminalText);
    }
}

void TerminalWidget::paintPlaceholder(QPainter& p, const QRect& area) const
{
    p.setPen(m_theme.dimText);
    p.setFont(m_theme.uiFont());
    p.drawText(area.adjusted(m_cellW * 2, m_cellH * 2, -m_cellW * 2, 0),
               Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_placeholder);
}

} // namespace mountlab::gui
