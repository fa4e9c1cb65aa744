#include "terminalwidget.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFocusEvent>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace mountlab::gui {

namespace {

constexpr int kPadding = 4;
constexpr int kResizeSettleMs = 120; // bash redraws once per settled size, not per pixel
constexpr int kFlashMs = 140;

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

std::optional<term::Key> specialKey(int key)
{
    switch (key) {
    case Qt::Key_Up:
        return term::Key::Up;
    case Qt::Key_Down:
        return term::Key::Down;
    case Qt::Key_Right:
        return term::Key::Right;
    case Qt::Key_Left:
        return term::Key::Left;
    case Qt::Key_Home:
        return term::Key::Home;
    case Qt::Key_End:
        return term::Key::End;
    case Qt::Key_PageUp:
        return term::Key::PageUp;
    case Qt::Key_PageDown:
        return term::Key::PageDown;
    case Qt::Key_Insert:
        return term::Key::Insert;
    case Qt::Key_Delete:
        return term::Key::Delete;
    case Qt::Key_Tab:
        return term::Key::Tab;
    case Qt::Key_Backtab:
        return term::Key::BackTab;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        return term::Key::Enter;
    case Qt::Key_Backspace:
        return term::Key::Backspace;
    case Qt::Key_Escape:
        return term::Key::Escape;
    default:
        break;
    }
    if (key >= Qt::Key_F1 && key <= Qt::Key_F12)
        return term::Key(int(term::Key::F1) + (key - Qt::Key_F1));
    return std::nullopt;
}

QString cellText(char32_t ch) { return QString::fromUcs4(&ch, 1); }

} // namespace

TerminalWidget::TerminalWidget(QWidget* parent) : QWidget(parent), m_screen(24, 80), m_theme(Theme::normal(11))
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_InputMethodEnabled, true);
    setAttribute(Qt::WA_OpaquePaintEvent, true);
    setCursor(Qt::IBeamCursor);
    setAccessibleName(tr("terminal"));
    setToolTip(tr("A shell in the lab. Ctrl+Shift+C copies, Ctrl+Shift+V pastes, Shift+PageUp/PageDown scroll; "
                  "Tab completes in the shell, Ctrl+Tab leaves the terminal."));
    m_scrollBar = new QScrollBar(Qt::Vertical, this);
    m_scrollBar->setCursor(Qt::ArrowCursor);
    m_scrollBar->setFocusPolicy(Qt::NoFocus);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int v) {
        const int offset = int(m_screen.scrollback_size()) - v;
        if (offset != m_scroll) {
            m_scroll = std::max(0, offset);
            update();
        }
    });
    m_resizeTimer = new QTimer(this);
    m_resizeTimer->setSingleShot(true);
    m_resizeTimer->setInterval(kResizeSettleMs);
    connect(m_resizeTimer, &QTimer::timeout, this, [this] {
        if (m_screen.rows() == m_sentRows && m_screen.cols() == m_sentCols)
            return;
        m_sentRows = m_screen.rows();
        m_sentCols = m_screen.cols();
        Q_EMIT sizeChanged(m_sentRows, m_sentCols);
    });
    m_flashTimer = new QTimer(this);
    m_flashTimer->setSingleShot(true);
    m_flashTimer->setInterval(kFlashMs);
    connect(m_flashTimer, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    setTheme(m_theme);
}

TerminalWidget::~TerminalWidget() = default;

void TerminalWidget::setTheme(const Theme& theme)
{
    m_theme = theme;
    m_font = theme.monoFont();
    m_font.setKerning(false);
    m_font.setFixedPitch(true);
    m_font.setStyleHint(QFont::TypeWriter);
    m_bold = m_font;
    m_bold.setBold(true);
    m_italic = m_font;
    m_italic.setItalic(true);
    m_boldItalic = m_bold;
    m_boldItalic.setItalic(true);
    updateMetrics();
    fitGrid();
    update();
}

void TerminalWidget::updateMetrics()
{
    const QFontMetrics fm(m_font);
    m_cellW = std::max(1, fm.horizontalAdvance(QLatin1Char('M')));
    m_cellH = std::max({1, fm.height(), fm.lineSpacing()});
    m_ascent = fm.ascent() + (m_cellH - fm.height()) / 2;
    updateGeometry();
}

QRect TerminalWidget::textArea() const
{
    const int bar = m_scrollBar->sizeHint().width(); // always there: the grid does not jump when it shows
    return QRect(kPadding, kPadding, std::max(1, width() - bar - 2 * kPadding), std::max(1, height() - 2 * kPadding));
}

void TerminalWidget::fitGrid()
{
    // A hidden tab's page is squeezed to nothing: the shell keeps the size it was shown at.
    if (!isVisible())
        return;
    const QRect area = textArea();
    const int cols = std::clamp(area.width() / m_cellW, 1, 1000);
    const int rows = std::clamp(area.height() / m_cellH, 1, 1000);
    if (rows != m_screen.rows() || cols != m_screen.cols()) {
        m_screen.resize(rows, cols);
        afterScreenChange();
        m_resizeTimer->start();
    }
}

QSize TerminalWidget::sizeHint() const
{
    const int bar = m_scrollBar->sizeHint().width();
    return {80 * m_cellW + 2 * kPadding + bar, 24 * m_cellH + 2 * kPadding};
}

QSize TerminalWidget::minimumSizeHint() const
{
    const int bar = m_scrollBar->sizeHint().width();
    return {20 * m_cellW + 2 * kPadding + bar, 3 * m_cellH + 2 * kPadding};
}

void TerminalWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const int bar = m_scrollBar->sizeHint().width();
    m_scrollBar->setGeometry(width() - bar, 0, bar, height());
    fitGrid();
}

void TerminalWidget::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    fitGrid();
}

void TerminalWidget::feed(const QByteArray& bytes)
{
    m_screen.feed(std::string_view(bytes.constData(), size_t(bytes.size())));
    const std::string replies = m_screen.take_replies();
    if (!replies.empty() && sendsToShell())
        send(replies);
    if (m_screen.take_bell()) {
        m_flashTimer->start(); // seen, never heard: a room full of learners
        update();
    }
    afterScreenChange();
}

void TerminalWidget::showNotice(const QString& text)
{
    std::string out;
    if (m_screen.alternate_screen())
        out += "\x1b[?1049l"; // a full-screen program died with its shell: back to the lines
    out += "\x1b[?25h";
    if (m_screen.cursor_col() != 0)
        out += "\r\n";
    out += "\x1b[0;1m" + text.toStdString() + "\x1b[0m\r\n";
    m_screen.feed(out);
    (void)m_screen.take_replies();
    afterScreenChange();
}

void TerminalWidget::clear()
{
    m_screen.reset();
    m_selAnchor.reset();
    m_selEnd.reset();
    m_scroll = 0;
    afterScreenChange();
}

void TerminalWidget::setAttached(bool attached)
{
    if (attached && !m_attached) {
        // A new shell reads the window size it was opened with: the next settled size is news.
        m_sentRows = m_screen.rows();
        m_sentCols = m_screen.cols();
    }
    if (attached != m_attached) {
        m_attached = attached;
        update();
    }
}

void TerminalWidget::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    update();
}

void TerminalWidget::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    update();
}

qint64 TerminalWidget::totalLines() const { return qint64(m_screen.scrollback_size()) + m_screen.rows(); }

qint64 TerminalWidget::topLine() const { return qint64(m_screen.scrollback_size()) - m_scroll; }

const term::Line* TerminalWidget::lineAt(qint64 line) const
{
    const qint64 sb = qint64(m_screen.scrollback_size());
    if (line < 0 || line >= totalLines())
        return nullptr;
    return line < sb ? &m_screen.scrollback_line(size_t(line)) : &m_screen.line(int(line - sb));
}

void TerminalWidget::afterScreenChange()
{
    const size_t sb = m_screen.scrollback_size();
    if (sb < m_lastScrollback) { // a reset emptied it
        m_scroll = 0;
        m_selAnchor.reset();
        m_selEnd.reset();
    } else if (m_scroll > 0) {
        m_scroll += int(sb - m_lastScrollback); // keep the lines being read in place
    }
    m_scroll = std::clamp(m_scroll, 0, int(sb));
    m_lastScrollback = sb;
    updateScrollBar();
    update();
}

void TerminalWidget::updateScrollBar()
{
    const int sb = int(m_screen.scrollback_size());
    const QSignalBlocker block(m_scrollBar);
    m_scrollBar->setRange(0, sb);
    m_scrollBar->setPageStep(m_screen.rows());
    m_scrollBar->setSingleStep(1);
    m_scrollBar->setValue(sb - m_scroll);
}

void TerminalWidget::scrollTo(int offset)
{
    m_scroll = std::clamp(offset, 0, int(m_screen.scrollback_size()));
    updateScrollBar();
    update();
}

QString TerminalWidget::screenText() const { return QString::fromStdString(m_screen.text()); }

QString TerminalWidget::allText() const { return QString::fromStdString(m_screen.all_text()); }

bool TerminalWidget::flashing() const { return m_flashTimer->isActive(); }

// --- colours and painting --------------------------------------------------------

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

void TerminalWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), m_theme.terminalBackground);
    const QRect area = textArea();
    const qint64 top = topLine();
    const qint64 cursorLine = qint64(m_screen.scrollback_size()) + m_screen.cursor_row();
    // No shell, no cursor: nothing would go where it points.
    const bool showCursor = m_screen.cursor_visible() && m_attached && !m_readOnly;
    std::optional<Pos> selA, selB;
    if (m_selAnchor && m_selEnd && *m_selAnchor != *m_selEnd) {
        selA = std::min(*m_selAnchor, *m_selEnd);
        selB = std::max(*m_selAnchor, *m_selEnd);
    }
    p.setClipRect(area.adjusted(-kPadding, -kPadding, kPadding, kPadding));

    bool empty = true;
    for (int r = 0; r < m_screen.rows(); ++r) {
        const qint64 lineNo = top + r;
        const term::Line* line = lineAt(lineNo);
        if (!line)
            continue;
        const int y = area.top() + r * m_cellH;
        const int n = int(line->cells.size());
        for (int c = 0; c < n; ++c) {
            const term::Cell& cell = line->cells[size_t(c)];
            if (cell.width == 0)
                continue;
            const int w = cell.width == 2 ? 2 : 1;
            const term::Attrs& a = cell.attrs;
            QColor fg = colorOf(a.fg, true), bg = colorOf(a.bg, false);
            if (a.inverse) {
                std::swap(fg, bg);
                // The default colours swap as a whole: inverse of nothing is the text's colour.
            }
            if (a.faint)
                fg = blend(fg, bg, 0.4);
            const Pos here{lineNo, c};
            if (selA && here >= *selA && here < *selB)
                bg = m_theme.terminalSelection;
            const bool isCursor = showCursor && lineNo == cursorLine && c == m_screen.cursor_col();
            if (isCursor && hasFocus()) {
                bg = m_theme.terminalText;
                fg = m_theme.terminalBackground;
            } else if (!a.invisible && contrast(fg, bg) < 2.2) {
                // Unreadable as chosen: the stronger of black and white on that ground.
                fg = contrast(m_theme.terminalInkDark, bg) > contrast(m_theme.terminalInkLight, bg)
                         ? m_theme.terminalInkDark
                         : m_theme.terminalInkLight;
            }
            const QRect cellRect(area.left() + c * m_cellW, y, w * m_cellW, m_cellH);
            if (bg != m_theme.terminalBackground)
                p.fillRect(cellRect, bg);
            if (cell.ch != U' ' && cell.ch != 0 && !a.invisible) {
                empty = false;
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
        }
        // The cursor past the line's cells, or hollow when the focus is elsewhere.
        if (showCursor && lineNo == cursorLine) {
            const QRect cur(area.left() + m_screen.cursor_col() * m_cellW, y, m_cellW, m_cellH);
            if (!hasFocus()) {
                p.setPen(QPen(m_theme.terminalText, 1));
                p.setBrush(Qt::NoBrush);
                p.drawRect(cur.adjusted(0, 0, -1, -1));
            } else if (m_screen.cursor_col() >= n) {
                p.fillRect(cur, m_theme.terminalText);
            }
        }
    }
    p.setClipping(false);
    if (empty && m_screen.scrollback_size() == 0 && !m_placeholder.isEmpty()) {
        p.setPen(m_theme.dimText);
        p.setFont(m_theme.uiFont());
        p.drawText(area.adjusted(m_cellW * 2, m_cellH * 2, -m_cellW * 2, 0),
                   Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_placeholder);
    }
    if (m_flashTimer->isActive()) {
        QColor flash = m_theme.terminalText;
        flash.setAlpha(50);
        p.fillRect(rect(), flash);
    }
}

// --- keys ------------------------------------------------------------------------

bool TerminalWidget::keyBelongsToShell(const QKeyEvent* e) const
{
    const Qt::KeyboardModifiers m = e->modifiers() & ~Qt::KeypadModifier;
    const bool ctrl = m & Qt::ControlModifier, shift = m & Qt::ShiftModifier;
    const int key = e->key();
    // Ours, whatever the state: copy, paste, scrolling back, leaving.
    if (ctrl && shift && (key == Qt::Key_C || key == Qt::Key_V))
        return true;
    if (shift && !ctrl && (key == Qt::Key_PageUp || key == Qt::Key_PageDown || key == Qt::Key_Insert))
        return true;
    if (ctrl && (key == Qt::Key_Tab || key == Qt::Key_Backtab))
        return true;
    // A replay's terminal is read only: Space plays the recording on, R rewinds it.
    if (m_readOnly)
        return false;
    // The window keeps what no shell needs: presenter mode and the font size. The
    // rest is the shell's, even between two shells (an "r" typed after the shell
    // exited must not reset the lab; Enter starts the next shell).
    if (key == Qt::Key_F11)
        return false;
    if (ctrl && (key == Qt::Key_Plus || key == Qt::Key_Equal || key == Qt::Key_Minus || key == Qt::Key_0))
        return false;
    return true;
}

bool TerminalWidget::handleLocalKey(QKeyEvent* e)
{
    const Qt::KeyboardModifiers m = e->modifiers() & ~Qt::KeypadModifier;
    const bool ctrl = m & Qt::ControlModifier, shift = m & Qt::ShiftModifier;
    const int key = e->key();
    if (ctrl && shift && key == Qt::Key_C) {
        copy();
    } else if (ctrl && shift && key == Qt::Key_V) {
        paste();
    } else if (shift && !ctrl && key == Qt::Key_Insert) {
        pasteFrom(int(QClipboard::Selection));
    } else if (shift && !ctrl && key == Qt::Key_PageUp) {
        scrollTo(m_scroll + std::max(1, m_screen.rows() - 1));
    } else if (shift && !ctrl && key == Qt::Key_PageDown) {
        scrollTo(m_scroll - std::max(1, m_screen.rows() - 1));
    } else if (ctrl && key == Qt::Key_Tab && !shift) {
        QWidget::focusNextPrevChild(true); // the way out for keyboard users
    } else if (ctrl && (key == Qt::Key_Backtab || (key == Qt::Key_Tab && shift))) {
        QWidget::focusNextPrevChild(false);
    } else {
        return false;
    }
    e->accept();
    return true;
}

bool TerminalWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        auto* k = static_cast<QKeyEvent*>(event);
        if (keyBelongsToShell(k)) {
            k->accept(); // typing "r" or a space must not reset the lab or run a step
            return true;
        }
    }
    return QWidget::event(event);
}

bool TerminalWidget::focusNextPrevChild(bool next)
{
    // Tab and Shift+Tab complete in the shell; Ctrl+Tab leaves (handleLocalKey).
    if (sendsToShell())
        return false;
    return QWidget::focusNextPrevChild(next);
}

void TerminalWidget::send(const std::string& bytes)
{
    if (bytes.empty() || !sendsToShell())
        return;
    Q_EMIT input(QByteArray(bytes.data(), qsizetype(bytes.size())));
}

void TerminalWidget::keyPressEvent(QKeyEvent* e)
{
    if (handleLocalKey(e))
        return;
    if (!sendsToShell()) {
        if (!m_readOnly && !m_attached && (e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter)) {
            e->accept();
            Q_EMIT restartRequested();
            return;
        }
        if (!m_readOnly && e->key() != Qt::Key_Tab && e->key() != Qt::Key_Backtab) {
            e->accept(); // no shell to read it: dropped, never a shortcut
            return;
        }
        QWidget::keyPressEvent(e);
        return;
    }
    const Qt::KeyboardModifiers m = e->modifiers();
    term::Modifiers mods;
    mods.shift = m & Qt::ShiftModifier;
    mods.alt = m & Qt::AltModifier;
    mods.ctrl = m & Qt::ControlModifier;
    const int key = e->key();
    std::string bytes;
    if (const auto special = specialKey(key)) {
        bytes = term::key_bytes(*special, mods, m_screen.application_cursor_keys());
    } else if (mods.ctrl && key >= Qt::Key_Space && key <= Qt::Key_AsciiTilde) {
        // Ctrl+C is 0x03 whatever the layout put in text(): from the key itself.
        const char32_t ch = key >= Qt::Key_A && key <= Qt::Key_Z ? char32_t(U'a' + (key - Qt::Key_A)) : char32_t(key);
        bytes = term::char_bytes(ch, mods);
    } else {
        term::Modifiers textMods;
        textMods.alt = mods.alt; // the text already has Shift in it
        for (const char32_t ch : e->text().toUcs4())
            if (ch >= 0x20 && ch != 0x7f)
                bytes += term::char_bytes(ch, textMods);
    }
    if (bytes.empty()) {
        QWidget::keyPressEvent(e);
        return;
    }
    e->accept();
    scrollTo(0); // typing shows where the typing goes
    send(bytes);
}

void TerminalWidget::inputMethodEvent(QInputMethodEvent* e)
{
    if (sendsToShell() && !e->commitString().isEmpty()) {
        std::string bytes;
        for (const char32_t ch : e->commitString().toUcs4())
            bytes += term::char_bytes(ch, {});
        scrollTo(0);
        send(bytes);
    }
    e->accept();
}

QVariant TerminalWidget::inputMethodQuery(Qt::InputMethodQuery query) const
{
    switch (query) {
    case Qt::ImEnabled:
        return sendsToShell();
    case Qt::ImFont:
        return m_font;
    case Qt::ImCursorRectangle: {
        const QRect area = textArea();
        const int row = m_screen.cursor_row() + m_scroll;
        return QRect(area.left() + m_screen.cursor_col() * m_cellW, area.top() + row * m_cellH, m_cellW, m_cellH);
    }
    case Qt::ImCursorPosition:
    case Qt::ImAnchorPosition:
        return m_screen.cursor_col();
    case Qt::ImSurroundingText:
        return QString();
    default:
        break;
    }
    return QWidget::inputMethodQuery(query);
}

// --- selection, clipboard --------------------------------------------------------

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

void TerminalWidget::focusInEvent(QFocusEvent* e)
{
    QWidget::focusInEvent(e);
    update(); // the cursor fills
}

void TerminalWidget::focusOutEvent(QFocusEvent* e)
{
    QWidget::focusOutEvent(e);
    update(); // the cursor goes hollow
}

} // namespace mountlab::gui
