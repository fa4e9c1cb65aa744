// A terminal view: draws a term::Screen (what the lab's PTY wrote, interpreted as
// xterm would) on a cell grid, and turns keys, pastes and the widget's size into the
// bytes and window size the shell expects. It knows nothing of the engine: input()
// carries the bytes to write, sizeChanged() the new window size; the owner passes
// them on (MainWindow, through EngineClient's terminal-* commands).
//
// While it has the focus every key a shell needs goes to the shell, not to the main
// window's shortcuts (Space, arrows, R, Escape, Ctrl+F...); Ctrl+Tab (Ctrl+Shift+Tab
// backwards) moves the focus out, since Tab belongs to the shell.
#pragma once

#include "term/screen.h"
#include "theme.h"

#include <QPoint>
#include <QWidget>

#include <optional>
#include <utility>

class QPainter;
class QScrollBar;
class QTimer;

namespace mountlab::gui {

class TerminalWidget : public QWidget {
    Q_OBJECT
public:
    explicit TerminalWidget(QWidget* parent = nullptr);
    ~TerminalWidget() override;

    void setTheme(const Theme& theme);

    // Bytes from the PTY: shown, and the screen's answers (cursor reports, device
    // attributes) sent back through input().
    void feed(const QByteArray& bytes);
    // A line of our own ("[shell exited with status 0]"), dimmed, on a line of its own.
    void showNotice(const QString& text);
    // A fresh screen, scrollback and selection gone.
    void clear();

    // Attached: a live shell reads what is typed. Detached (no shell, or it exited):
    // Enter asks for a new one (restartRequested), other keys go to the window.
    void setAttached(bool attached);
    [[nodiscard]] bool attached() const { return m_attached; }
    // Read only (a replayed recording): nothing is sent, keys go to the window.
    void setReadOnly(bool readOnly);
    [[nodiscard]] bool readOnly() const { return m_readOnly; }
    // Shown over an empty screen.
    void setPlaceholderText(const QString& text);
    [[nodiscard]] QString placeholderText() const { return m_placeholder; }

    [[nodiscard]] const term::Screen& screen() const { return m_screen; }
    // The grid that fits the widget now.
    [[nodiscard]] int rows() const { return m_screen.rows(); }
    [[nodiscard]] int cols() const { return m_screen.cols(); }
    [[nodiscard]] QSize cellSize() const { return {m_cellW, m_cellH}; }
    // The visible screen (as the learner sees it when scrolled to the bottom), and
    // the scrollback with it.
    [[nodiscard]] QString screenText() const;
    [[nodiscard]] QString allText() const;
    // Lines scrolled back from the bottom (0: the live screen).
    [[nodiscard]] int scrollOffset() const { return m_scroll; }
    void scrollTo(int offset);
    [[nodiscard]] QString selectedText() const;
    void selectAll();
    void copy();
    void paste();
    // `text` at the prompt as a paste is (bracketed when the shell asked: not run until
    // Enter, even when it has several lines); nothing when the terminal takes no input.
    void insertText(const QString& text);
    [[nodiscard]] bool flashing() const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;
    [[nodiscard]] QVariant inputMethodQuery(Qt::InputMethodQuery query) const override;

Q_SIGNALS:
    // Bytes for the shell.
    void input(const QByteArray& bytes);
    // The grid changed size; sent once the resizing has settled.
    void sizeChanged(int rows, int cols);
    // Enter while detached.
    void restartRequested();

protected:
    bool event(QEvent* event) override;
    bool focusNextPrevChild(bool next) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void inputMethodEvent(QInputMethodEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    // A place in the text: a line of the scrollback-and-screen (0 the oldest) and a column.
    struct Pos {
        qint64 line = 0;
        int col = 0;
        auto operator<=>(const Pos&) const = default;
    };
    [[nodiscard]] bool sendsToShell() const { return m_attached && !m_readOnly; }
    // Whether the key is the shell's (taken from the window's shortcuts).
    [[nodiscard]] bool keyBelongsToShell(const QKeyEvent* event) const;
    // Ctrl+Shift+C and friends: handled here whatever the state. True when taken.
    bool handleLocalKey(QKeyEvent* event);
    void send(const std::string& bytes);
    void updateMetrics();
    void fitGrid();
    void updateScrollBar();
    void afterScreenChange();
    [[nodiscard]] qint64 totalLines() const;
    [[nodiscard]] qint64 topLine() const; // the line drawn in the first row
    [[nodiscard]] const term::Line* lineAt(qint64 line) const;
    [[nodiscard]] Pos posAt(QPoint point) const;
    [[nodiscard]] QRect textArea() const;
    [[nodiscard]] QColor colorOf(const term::Color& c, bool foreground) const;
    // Painting (terminalpainting.cpp), a frame at a time.
    struct PaintFrame;
    [[nodiscard]] PaintFrame paintFrame() const;
    // Draws a line's cells; true when it drew a character.
    bool paintLine(QPainter& p, const PaintFrame& frame, const term::Line& line, qint64 lineNo, int y) const;
    // A cell's text and background colours, as drawn.
    [[nodiscard]] std::pair<QColor, QColor> cellColors(const PaintFrame& frame, const term::Attrs& a, Pos here) const;
    bool paintGlyph(QPainter& p, const term::Cell& cell, const QRect& cellRect, const QColor& fg) const;
    void paintCursor(QPainter& p, const PaintFrame& frame, int y, int lineCells) const;
    void paintPlaceholder(QPainter& p, const QRect& area) const;
    void pasteFrom(int mode);

    term::Screen m_screen;
    Theme m_theme;
    QFont m_font, m_bold, m_italic, m_boldItalic;
    int m_cellW = 8, m_cellH = 16, m_ascent = 12;
    int m_scroll = 0;
    size_t m_lastScrollback = 0;
    bool m_attached = false;
    bool m_readOnly = false;
    QString m_placeholder;
    QScrollBar* m_scrollBar = nullptr;
    QTimer* m_resizeTimer = nullptr;
    QTimer* m_flashTimer = nullptr;
    std::optional<Pos> m_selAnchor, m_selEnd;
    bool m_selecting = false;
    int m_sentRows = -1, m_sentCols = -1;
};

} // namespace mountlab::gui
