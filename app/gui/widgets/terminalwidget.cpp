// The terminal widget: the grid that fits it, what the PTY wrote fed to the screen,
// scrolling back, and the keys (which ones are the shell's, and the bytes they send).
// Painting is in terminalpainting.cpp, selection and clipboard in terminalselection.cpp.
#include "terminalwidget.h"
#include "terminalwidget_internal.h"

#include <QClipboard>
#include <QFocusEvent>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

namespace mountlab::gui {

using terminal_internal::kPadding;

namespace {

constexpr int kResizeSettleMs = 120; // bash redraws once per settled size, not per pixel
constexpr int kFlashMs = 140;

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
    // A replay's terminal is read only: Space plays the recording on, Ctrl+R rewinds it.
    if (m_readOnly)
        return false;
    // The window keeps what no shell needs: presenter mode and the font size. The
    // rest is the shell's, even between two shells (an "r" typed after the shell
    // exited must not reset the lab; Enter starts the next shell).
    if (key == Qt::Key_F11)
        return false;
    // Try it yourself and its line (the window's Ctrl+Shift+T and Ctrl+Shift+I): a shell
    // reads no Shift in a Ctrl chord, so Ctrl+T and Ctrl+I (Tab) stay the shell's.
    if (ctrl && shift && (key == Qt::Key_T || key == Qt::Key_I))
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
