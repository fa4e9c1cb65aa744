// The terminal widget's selection and clipboard: selecting with the mouse (a word on a
// double click), copying, pasting (bracketed when the shell asked), the wheel and the
// context menu.
#include "terminalwidget.h"
#include "terminalwidget_internal.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>

namespace mountlab::gui {

using terminal_internal::cellText;

TerminalWidget::Pos TerminalWidget::posAt(QPoint point) const
{
    const QRect area = textArea();
    const int row = std::clamp((point.y() - area.top()) / m_cellH, 0, m_screen.rows() - 1);
    // Between cells: a click left of a character's middle starts before it.
    const int col = std::clamp((point.x() - area.left() + m_cellW / 2) / m_cellW, 0, m_screen.cols());
    return Pos{std::clamp(topLine() + row, qint64(0), totalLines() - 1), col};
}

QString TerminalWidget::selectedText() const
{
    if (!m_selAnchor || !m_selEnd || *m_selAnchor == *m_selEnd)
        return {};
    const Pos a = std::min(*m_selAnchor, *m_selEnd), b = std::max(*m_selAnchor, *m_selEnd);
    QString out;
    for (qint64 l = a.line; l <= b.line; ++l) {
        const term::Line* line = lineAt(l);
        if (!line)
            continue;
        const int n = int(line->cells.size());
        const int from = l == a.line ? a.col : 0;
        const int to = l == b.line ? std::min(b.col, n) : n;
        QString part;
        for (int c = from; c < to; ++c) {
            const term::Cell& cell = line->cells[size_t(c)];
            if (cell.width != 0)
                part += cellText(cell.ch ? cell.ch : U' ');
        }
        const bool toEnd = l != b.line || b.col >= n;
        if (toEnd && !line->wrapped) {
            while (part.endsWith(QLatin1Char(' ')))
                part.chop(1);
        }
        out += part;
        if (l != b.line && !line->wrapped)
            out += QLatin1Char('\n');
    }
    return out;
}

void TerminalWidget::selectAll()
{
    m_selAnchor = Pos{0, 0};
    m_selEnd = Pos{totalLines() - 1, m_screen.cols()};
    update();
}

void TerminalWidget::copy()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text, QClipboard::Clipboard);
}

void TerminalWidget::paste() { pasteFrom(int(QClipboard::Clipboard)); }

void TerminalWidget::pasteFrom(int mode)
{
    if (!sendsToShell())
        return;
    QClipboard* cb = QApplication::clipboard();
    auto m = QClipboard::Mode(mode);
    if (m == QClipboard::Selection && !cb->supportsSelection())
        m = QClipboard::Clipboard;
    const QByteArray utf8 = cb->text(m).toUtf8();
    if (utf8.isEmpty())
        return;
    // Bracketed when the shell asked: a pasted line is not run until Enter.
    scrollTo(0);
    send(term::paste_bytes(std::string_view(utf8.constData(), size_t(utf8.size())), m_screen.bracketed_paste()));
}

void TerminalWidget::insertText(const QString& text)
{
    if (!sendsToShell() || text.isEmpty())
        return;
    const QByteArray utf8 = text.toUtf8();
    scrollTo(0);
    send(term::paste_bytes(std::string_view(utf8.constData(), size_t(utf8.size())), m_screen.bracketed_paste()));
}

void TerminalWidget::mousePressEvent(QMouseEvent* e)
{
    setFocus(Qt::MouseFocusReason);
    if (e->button() == Qt::LeftButton) {
        m_selAnchor = m_selEnd = posAt(e->position().toPoint());
        m_selecting = true;
        update();
    } else if (e->button() == Qt::MiddleButton) {
        pasteFrom(int(QClipboard::Selection));
    }
    e->accept();
}

void TerminalWidget::mouseMoveEvent(QMouseEvent* e)
{
    if (!m_selecting)
        return;
    const QPoint pt = e->position().toPoint();
    // Dragging past the top or bottom scrolls back or forth.
    if (pt.y() < 0)
        scrollTo(m_scroll + 1);
    else if (pt.y() > height())
        scrollTo(m_scroll - 1);
    m_selEnd = posAt(pt);
    update();
}

void TerminalWidget::mouseReleaseEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton && m_selecting) {
        m_selecting = false;
        const QString text = selectedText();
        if (!text.isEmpty() && QApplication::clipboard()->supportsSelection())
            QApplication::clipboard()->setText(text, QClipboard::Selection);
    }
}

void TerminalWidget::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (e->button() != Qt::LeftButton)
        return;
    // A word: what a path or a mount ID is made of.
    const Pos at = posAt(e->position().toPoint());
    const term::Line* line = lineAt(at.line);
    if (!line)
        return;
    auto isWord = [&](int c) {
        if (c < 0 || c >= int(line->cells.size()))
            return false;
        const char32_t ch = line->cells[size_t(c)].ch;
        return ch != U' ' && ch != 0 && !QStringLiteral("\"'`()[]{}<>|;,").contains(cellText(ch));
    };
    int from = std::min(at.col, int(line->cells.size()) - 1), to = from;
    if (!isWord(from))
        return;
    while (isWord(from - 1))
        --from;
    while (isWord(to + 1))
        ++to;
    m_selAnchor = Pos{at.line, from};
    m_selEnd = Pos{at.line, to + 1};
    m_selecting = false;
    if (QApplication::clipboard()->supportsSelection())
        QApplication::clipboard()->setText(selectedText(), QClipboard::Selection);
    update();
}

void TerminalWidget::wheelEvent(QWheelEvent* e)
{
    const int steps = e->angleDelta().y() / 40; // three lines a notch
    if (steps)
        scrollTo(m_scroll + steps);
    e->accept();
}

void TerminalWidget::contextMenuEvent(QContextMenuEvent* e)
{
    QMenu menu(this);
    QAction* copyAction = menu.addAction(tr("Copy"), this, &TerminalWidget::copy);
    copyAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+C")));
    copyAction->setEnabled(!selectedText().isEmpty());
    QAction* pasteAction = menu.addAction(tr("Paste"), this, &TerminalWidget::paste);
    pasteAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+V")));
    pasteAction->setEnabled(sendsToShell() && !QApplication::clipboard()->text().isEmpty());
    menu.addAction(tr("Select all"), this, &TerminalWidget::selectAll);
    menu.addAction(tr("Copy all the output"), this, [this] { QApplication::clipboard()->setText(allText()); });
    menu.addSeparator();
    QAction* end = menu.addAction(tr("Scroll to the end"), this, [this] { scrollTo(0); });
    end->setEnabled(m_scroll > 0);
    menu.exec(e->globalPos());
}

} // namespace mountlab::gui
