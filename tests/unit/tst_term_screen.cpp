// The terminal screen model: what a person would see after the bytes bash, ls, less or
// a hostile program wrote, and the bytes keys and pastes send back. One test runs a real
// bash on a PTY and reads the screen it leaves.
#include "term/screen.h"
#include "testutil.h"

#include <QElapsedTimer>

#include <csignal>
#include <cstdlib>
#include <poll.h>
#include <pty.h>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace mountlab::term;

namespace {

QByteArray qb(const std::string& s) { return QByteArray::fromStdString(s); }

// Row r as one character per cell ('?' for what is not ASCII, nothing for the right half
// of a wide character), so a test can find a word's column.
std::string row_cells(const Screen& s, int r)
{
    std::string out;
    for (int c = 0; c < s.cols(); ++c) {
        const Cell& cell = s.cell(r, c);
        if (cell.width == 0)
            continue;
        out.push_back(cell.ch < 0x80 ? static_cast<char>(cell.ch) : '?');
    }
    return out;
}

// The first cell of `word` on the screen, as {row, col}; {-1, -1} if it is not there.
std::pair<int, int> find_word(const Screen& s, const std::string& word)
{
    for (int r = 0; r < s.rows(); ++r) {
        const std::string t = row_cells(s, r);
        size_t at = 0;
        while ((at = t.find(word, at)) != std::string::npos) {
            const bool starts = at == 0 || t[at - 1] == ' ';
            const bool ends = at + word.size() == t.size() || t[at + word.size()] == ' ';
            if (starts && ends)
                return {r, static_cast<int>(at)};
            ++at;
        }
    }
    return {-1, -1};
}

Color indexed(int n) { return {Color::Kind::Indexed, static_cast<uint8_t>(n)}; }

Color rgb(int r, int g, int b)
{
    Color c;
    c.kind = Color::Kind::Rgb;
    c.r = static_cast<uint8_t>(r);
    c.g = static_cast<uint8_t>(g);
    c.b = static_cast<uint8_t>(b);
    return c;
}

// Every line as wide as the screen, wide characters whole, the cursor on the screen.
bool consistent(const Screen& s, QString* why)
{
    if (s.cursor_row() < 0 || s.cursor_row() >= s.rows() || s.cursor_col() < 0 || s.cursor_col() >= s.cols()) {
        *why =
            QString("cursor %1,%2 outside %3x%4").arg(s.cursor_row()).arg(s.cursor_col()).arg(s.rows()).arg(s.cols());
        return false;
    }
    for (int r = 0; r < s.rows(); ++r) {
        const Line& l = s.line(r);
        if (static_cast<int>(l.cells.size()) != s.cols()) {
            *why = QString("row %1 has %2 cells").arg(r).arg(l.cells.size());
            return false;
        }
        for (size_t c = 0; c < l.cells.size(); ++c) {
            const bool left_ok = l.cells[c].width != 2 || (c + 1 < l.cells.size() && l.cells[c + 1].width == 0);
            const bool right_ok = l.cells[c].width != 0 || (c > 0 && l.cells[c - 1].width == 2);
            if (!left_ok || !right_ok || l.cells[c].width > 2) {
                *why = QString("row %1 col %2: a broken wide character").arg(r).arg(c);
                return false;
            }
        }
    }
    return true;
}

// bash --norc -i on a PTY of 24x80, TERM=xterm-256color: types each line once the
// prompt is back, and returns all it wrote until it exited.
QByteArray bash_session(const QList<QByteArray>& lines, QString* why)
{
    winsize ws{};
    ws.ws_row = 24;
    ws.ws_col = 80;
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
    if (pid < 0) {
        *why = "forkpty failed";
        return {};
    }
    if (pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("PS1", "mlab$ ", 1);
        setenv("HISTFILE", "/dev/null", 1);
        setenv("LANG", "C.UTF-8", 1);
        unsetenv("LC_ALL");
        unsetenv("LS_COLORS"); // ls's built-in colours: directories bold blue
        unsetenv("PROMPT_COMMAND");
        execlp("bash", "bash", "--norc", "--noprofile", "-i", static_cast<char*>(nullptr));
        _exit(127);
    }
    QByteArray out;
    QElapsedTimer t;
    t.start();
    const QByteArray prompt = "mlab$ ";
    int typed = 0;
    bool done = false;
    while (!done && t.elapsed() < 4000) {
        if (typed < lines.size() && out.count(prompt) > typed) {
            const QByteArray& l = lines[typed++];
            if (write(master, l.data(), static_cast<size_t>(l.size())) != l.size())
                break;
        }
        pollfd p{master, POLLIN, 0};
        if (poll(&p, 1, 100) < 0)
            break;
        if (!(p.revents & (POLLIN | POLLHUP)))
            continue;
        char buf[4096];
        const ssize_t n = read(master, buf, sizeof buf);
        if (n <= 0)
            done = true; // EIO: bash exited, the slave side is closed
        else
            out.append(buf, static_cast<int>(n));
    }
    close(master);
    int st = 0;
    if (!done) {
        kill(pid, SIGKILL);
        *why = "bash did not exit in time; it wrote: " + QString::fromUtf8(out);
    }
    waitpid(pid, &st, 0);
    return out;
}

} // namespace

class TestTermScreen : public QObject {
    Q_OBJECT
private slots:
    void carriageReturn_overwritesFromTheLeft()
    {
        Screen s(24, 80);
        s.feed("abc\rX");
        QCOMPARE(qb(s.text()), QByteArray("Xbc"));
        QCOMPARE(s.cursor_col(), 1);
        s.feed("\r\nnext");
        QCOMPARE(qb(s.text()), QByteArray("Xbc\nnext"));
    }

    void readlineRedraw_afterBackspaceInsertAndDelete()
    {
        // What readline writes for: "echo hellp", Backspace, "o", five times Left, "X",
        // Delete (the 'h'), End. xterm-256color has ich (CSI @), dch (CSI P), el (CSI K).
        Screen s(24, 80);
        s.feed("$ ");
        s.feed("echo hellp");
        s.feed("\b\x1b[K");
        s.feed("o");
        s.feed("\b\b\b\b\b");
        s.feed("\x1b[1@X");
        s.feed("\x1b[P");
        s.feed("\x1b[4C");
        QCOMPARE(qb(s.text()), QByteArray("$ echo Xello"));
        QCOMPARE(s.cursor_col(), 12);
        // Readline's redisplay of a shorter line: CR, the prompt and text again, EL.
        s.feed("\r$ ls\x1b[K");
        QCOMPARE(qb(s.text()), QByteArray("$ ls"));
    }

    void sgrColours_landOnTheirCells()
    {
        Screen s(24, 80);
        s.feed("a\x1b[31mb\x1b[1;44mc\x1b[0md\x1b[7;4;9me\x1b[27;24;29mf");
        QCOMPARE(s.cell(0, 0).attrs, Attrs{});
        QCOMPARE(s.cell(0, 1).attrs.fg, indexed(1));
        QCOMPARE(s.cell(0, 1).attrs.bg, Color{});
        QVERIFY(!s.cell(0, 1).attrs.bold);
        QCOMPARE(s.cell(0, 2).attrs.fg, indexed(1));
        QCOMPARE(s.cell(0, 2).attrs.bg, indexed(4));
        QVERIFY(s.cell(0, 2).attrs.bold);
        QCOMPARE(s.cell(0, 3).attrs, Attrs{});
        QVERIFY(s.cell(0, 4).attrs.inverse && s.cell(0, 4).attrs.underline && s.cell(0, 4).attrs.strike);
        QCOMPARE(s.cell(0, 5).attrs, Attrs{});
        s.feed("\r\n\x1b[92mg\x1b[105mh\x1b[39;49mi\x1b[2;3mj\x1b[22;23mk\x1b[mL");
        QCOMPARE(s.cell(1, 0).attrs.fg, indexed(10));
        QCOMPARE(s.cell(1, 1).attrs.bg, indexed(13));
        QCOMPARE(s.cell(1, 2).attrs, Attrs{});
        QVERIFY(s.cell(1, 3).attrs.faint && s.cell(1, 3).attrs.italic);
        QCOMPARE(s.cell(1, 4).attrs, Attrs{});
        QCOMPARE(s.cell(1, 5).attrs, Attrs{});
    }

    void colours256AndRgb_semicolonAndColonForms()
    {
        Screen s(24, 80);
        s.feed("\x1b[38;5;196mA\x1b[48;2;1;2;3mB\x1b[0;38:2::10:20:30mC\x1b[38:5:42;48:2:7:8:9mD\x1b[4:3mE\x1b[4:0mF");
        QCOMPARE(s.cell(0, 0).attrs.fg, indexed(196));
        QCOMPARE(s.cell(0, 1).attrs.fg, indexed(196));
        QCOMPARE(s.cell(0, 1).attrs.bg, rgb(1, 2, 3));
        QCOMPARE(s.cell(0, 2).attrs.fg, rgb(10, 20, 30));
        QCOMPARE(s.cell(0, 2).attrs.bg, Color{});
        QCOMPARE(s.cell(0, 3).attrs.fg, indexed(42));
        QCOMPARE(s.cell(0, 3).attrs.bg, rgb(7, 8, 9));
        QVERIFY(s.cell(0, 4).attrs.underline);
        QVERIFY(!s.cell(0, 5).attrs.underline);
        QCOMPARE(qb(s.text()), QByteArray("ABCDEF"));
    }

    void sequencesAndUtf8_splitAcrossFeeds()
    {
        Screen s(24, 80);
        const std::string bytes = "\x1b[31m\xe2\x94\x94\xe2\x94\x80 /proc\x1b[0m \x1b]0;ti\xc3\xa9\x07\x1b[2;3Hx";
        for (char c : bytes)
            s.feed(std::string_view(&c, 1)); // one byte at a time: every split there is
        QCOMPARE(qb(s.text()), QByteArray("\xe2\x94\x94\xe2\x94\x80 /proc\n  x"));
        QCOMPARE(s.cell(0, 0).ch, U'\u2514');
        QCOMPARE(s.cell(0, 0).attrs.fg, indexed(1));
        QCOMPARE(s.cell(0, 7).attrs.fg, indexed(1));
        QCOMPARE(s.cell(0, 8).attrs.fg, Color{});
        QCOMPARE(qb(s.title()), QByteArray("ti\xc3\xa9"));
        QCOMPARE(s.cursor_row(), 1);
        QCOMPARE(s.cursor_col(), 3);
    }

    void invalidUtf8_isOneReplacementPerBadByte()
    {
        Screen s(24, 80);
        s.feed("a\xff");
        s.feed("\xe2\x86");
        s.feed("b\xc0\xaf\xed\xa0\x80"
               "c");
        QCOMPARE(qb(s.text()), QByteArray("a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                          "b"
                                          "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                          "c"));
        // C1 controls written as UTF-8 do nothing and show nothing.
        s.feed("\xc2\x9b"
               "31m");
        QVERIFY(qb(s.text()).endsWith("c31m"));
        QCOMPARE(s.cell(0, 10).attrs.fg, Color{});
    }

    void autowrap_waitsAtTheLastColumn()
    {
        Screen s(5, 10);
        s.feed("0123456789");
        QCOMPARE(s.cursor_row(), 0);
        QCOMPARE(s.cursor_col(), 9); // on the last column, the wrap still pending
        QVERIFY(!s.line(0).wrapped);
        s.feed("\r\n"); // a full line then CR LF gives no empty line (xenl)
        QCOMPARE(s.cursor_row(), 1);
        s.feed("abcdefghijKL");
        QCOMPARE(qb(s.text()), QByteArray("0123456789\nabcdefghij\nKL"));
        QVERIFY(s.line(1).wrapped);
        QCOMPARE(s.cursor_row(), 2);
        QCOMPARE(s.cursor_col(), 2);
        QCOMPARE(qb(s.all_text()), QByteArray("0123456789\nabcdefghijKL"));
        // Without autowrap the last column is overwritten.
        s.feed("\x1b[?7l\r\n0123456789XYZ");
        QCOMPARE(row_cells(s, 3), std::string("012345678Z"));
        QCOMPARE(s.cursor_row(), 3);
    }

    void wideCharacters_takeTwoCells_andWrapAtTheLastColumn()
    {
        Screen s(5, 5);
        s.feed("\xe6\x97\xa5\xe6\x9c\xac"); // 日本
        QCOMPARE(s.cursor_col(), 4);
        QCOMPARE(s.cell(0, 0).width, uint8_t(2));
        QCOMPARE(s.cell(0, 1).width, uint8_t(0));
        QCOMPARE(s.cell(0, 2).ch, U'\u672C');
        s.feed("\r\nabcd\xe6\x97\xa5"); // no room in the last column: it goes on the next line
        QCOMPARE(qb(s.text()), QByteArray("\xe6\x97\xa5\xe6\x9c\xac\nabcd\n\xe6\x97\xa5"));
        QCOMPARE(s.cell(2, 0).ch, U'\u65E5');
        QCOMPARE(s.cursor_row(), 2);
        QCOMPARE(s.cursor_col(), 2);
        // Overwriting half of one leaves a blank, not half a character.
        s.feed("\x1b[1;2Hx");
        QCOMPARE(qb(s.text()).left(5), QByteArray(" x\xe6\x9c\xac"));
        QCOMPARE(s.cell(0, 0).width, uint8_t(1));
        // Emoji and fullwidth forms are wide, combining marks take no cell.
        s.feed("\x1b[4;1H\xf0\x9f\x98\x80\xef\xbc\xa1");
        QCOMPARE(s.cursor_col(), 4);
        s.feed("\x1b[5;1He\xcc\x81x");
        QCOMPARE(row_cells(s, 4), std::string("ex   "));
    }

    void clearScreen_andEraseInLine()
    {
        Screen s(5, 10);
        s.feed("one\r\ntwo\r\nthree");
        s.feed("\x1b[H\x1b[2J");
        QCOMPARE(qb(s.text()), QByteArray());
        QCOMPARE(s.cursor_row(), 0);
        QCOMPARE(s.cursor_col(), 0);
        s.feed("abcdef\r\nghijkl\r\nmnopqr\x1b[2;3H\x1b[1J");
        QCOMPARE(qb(s.text()), QByteArray("\n   jkl\nmnopqr"));
        s.feed("\x1b[2;6H\x1b[0J");
        QCOMPARE(qb(s.text()), QByteArray("\n   jk"));
        s.feed("\x1b[1;1Habc\x1b[2K\x1b[2;4H\x1b[1K");
        QCOMPARE(qb(s.text()), QByteArray("\n    k"));
        // Erased cells take the background in use (bce).
        s.feed("\x1b[44m\x1b[3;1H\x1b[K\x1b[m");
        QCOMPARE(s.cell(2, 9).attrs.bg, indexed(4));
        QCOMPARE(s.cell(2, 9).ch, U' ');
    }

    void clear_emptiesTheScrollbackWithED3()
    {
        Screen s(3, 10);
        s.feed("1\r\n2\r\n3\r\n4\r\n5");
        QCOMPARE(s.scrollback_size(), size_t(2));
        s.feed("\x1b[H\x1b[2J\x1b[3J"); // what `clear` writes
        QCOMPARE(s.scrollback_size(), size_t(0));
        QCOMPARE(qb(s.all_text()), QByteArray());
    }

    void alternateScreen_leavingRestoresTheMainScreen()
    {
        Screen s(5, 20);
        s.feed("$ vi notes\r\nline two");
        const std::string before = s.text();
        s.feed("\x1b[?1049h\x1b[22;0;0t\x1b[1;5r\x1b[H\x1b[2J~\r\n~\r\n\x1b[5;1H\"notes\" 0L");
        QVERIFY(s.alternate_screen());
        QCOMPARE(qb(s.text()), QByteArray("~\n~\n\n\n\"notes\" 0L"));
        s.feed("\x1b[r\x1b[?1049l\x1b[23;0;0t");
        QVERIFY(!s.alternate_screen());
        QCOMPARE(qb(s.text()), qb(before));
        QCOMPARE(s.cursor_row(), 1);
        QCOMPARE(s.cursor_col(), 8);
        QCOMPARE(s.scrollback_size(), size_t(0)); // the alternate screen keeps no history
        // 47 switches without clearing; 1047 clears when leaving.
        s.feed("\x1b[?47hALT\x1b[?47l");
        QCOMPARE(qb(s.text()), qb(before));
        s.feed("\x1b[?47h");
        QVERIFY(qb(s.text()).contains("ALT"));
        s.feed("\x1b[?1047l\x1b[?1047h");
        QCOMPARE(qb(s.text()), QByteArray());
    }

    void replies_dsrAndDeviceAttributes()
    {
        Screen s(24, 80);
        s.feed("\x1b[5n");
        QCOMPARE(qb(s.take_replies()), QByteArray("\x1b[0n"));
        QCOMPARE(qb(s.take_replies()), QByteArray());
        s.feed("\x1b[3;7H\x1b[6n");
        QCOMPARE(qb(s.take_replies()), QByteArray("\x1b[3;7R"));
        s.feed("\x1b[c\x1b[0c\x1b[>c\x1b[>0c\x1b[=c");
        QCOMPARE(qb(s.take_replies()), QByteArray("\x1b[?1;2c\x1b[?1;2c"));
        // A flood of requests nobody answers stays bounded.
        for (int i = 0; i < 10000; ++i)
            s.feed("\x1b[6n");
        QVERIFY(s.take_replies().size() <= 4096);
        QCOMPARE(qb(s.text()), QByteArray());
    }

    void modes_cursorKeysBracketedPasteCursorVisibility()
    {
        Screen s(24, 80);
        QVERIFY(!s.application_cursor_keys());
        QVERIFY(!s.bracketed_paste());
        QVERIFY(s.cursor_visible());
        s.feed("\x1b[?1h\x1b=\x1b[?2004h\x1b[?25l\x1b[?1000;1006h\x1b[?2026h");
        QVERIFY(s.application_cursor_keys());
        QVERIFY(s.bracketed_paste());
        QVERIFY(!s.cursor_visible());
        s.feed("\x1b[?1l\x1b>\x1b[?2004l\x1b[?25h");
        QVERIFY(!s.application_cursor_keys());
        QVERIFY(!s.bracketed_paste());
        QVERIFY(s.cursor_visible());
        QCOMPARE(qb(s.text()), QByteArray());
    }

    void unknownSequencesAndStrings_printNothing()
    {
        Screen s(24, 80);
        s.feed(
            "a\x1b[2 q\x1b[>4;1m\x1b[?u\x1b[!p\x1bP+q544e\x1b\\\x1b_apc\x1b\\\x1b^pm\x07\x1bXsos\x1b\\"
            "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\x1b]10;?\x07\x1b[12;34;56;78;90$zb\x0e\x0f\x1b(B\x1b)0\x1b%Gc");
        QCOMPARE(qb(s.text()), QByteArray("alinkbc"));
        QCOMPARE(qb(s.title()), QByteArray());
    }

    void titles_byBelOrSt_controlsRemoved()
    {
        Screen s(24, 80);
        s.feed("\x1b]0;first\x07");
        QCOMPARE(qb(s.title()), QByteArray("first"));
        s.feed("\x1b]2;sec\x01ond\x1b\\");
        QCOMPARE(qb(s.title()), QByteArray("second"));
        s.feed("\x1b]2;bad\xff\x07");
        QCOMPARE(qb(s.title()), QByteArray("bad\xef\xbf\xbd"));
        s.feed("\x1b]1;icon only\x07");
        QCOMPARE(qb(s.title()), QByteArray("bad\xef\xbf\xbd"));
    }

    void overlongSequences_areDroppedWithBoundedMemory()
    {
        Screen s(24, 80);
        s.feed("\x1b]0;" + std::string(5000, 'x') + "\x07" + "after");
        QCOMPARE(qb(s.title()), QByteArray()); // too long: dropped, not cut
        QCOMPARE(qb(s.text()), QByteArray("after"));
        s.feed("\r\n\x1b[" + std::string(10000, '1') + "mred?");
        QCOMPARE(s.cell(1, 0).attrs, Attrs{}); // ignored to its final byte, the text after shows
        QCOMPARE(qb(s.text()), QByteArray("after\nred?"));
        std::string params = "\x1b[";
        for (int i = 0; i < 500; ++i)
            params += "1;";
        s.feed(params + "31mZ");
        QCOMPARE(s.cell(1, 4).ch, U'Z'); // the first 32 parameters taken
        QVERIFY(s.cell(1, 4).attrs.bold);
    }

    void decLineDrawing_drawsBoxes()
    {
        Screen s(24, 80);
        s.feed("\x1b(0lqwk\r\nx x\r\ntqnu\r\nmqvj\x1b(Bq");
        QCOMPARE(qb(s.text()), QByteArray("┌─┬┐\n│ │\n├─┼┤\n└─┴┘q"));
    }

    void tabs_everyEightAndSettable()
    {
        Screen s(24, 80);
        s.feed("a\tb\tc");
        QCOMPARE(s.cell(0, 8).ch, U'b');
        QCOMPARE(s.cell(0, 16).ch, U'c');
        s.feed("\r\n\x1b[3g\x1b[5G\x1bH\r\tX\tY");
        QCOMPARE(s.cell(1, 4).ch, U'X');
        QCOMPARE(s.cell(1, 79).ch, U'Y'); // no stop left: the last column
        s.feed("\r\n\x1b[10G\x1b[Z\x1b[Zb");
        QCOMPARE(s.cell(2, 0).ch, U'b');
    }

    void cursorMotion_allTheWays()
    {
        Screen s(10, 20);
        s.feed("\x1b[5;5H\x1b[2A\x1b[3C\x1b[1B\x1b[2DQ");
        QCOMPARE(s.cell(3, 5).ch, U'Q');
        s.feed("\x1b[100A\x1b[100D");
        QCOMPARE(s.cursor_row(), 0);
        QCOMPARE(s.cursor_col(), 0);
        s.feed("\x1b[999;999H");
        QCOMPARE(s.cursor_row(), 9);
        QCOMPARE(s.cursor_col(), 19);
        s.feed("\x1b[3d\x1b[7`\x1b[2F");
        QCOMPARE(s.cursor_row(), 0);
        QCOMPARE(s.cursor_col(), 0);
        s.feed("\x1b[2E\x1b[4GA\x1b[;H");
        QCOMPARE(s.cell(2, 3).ch, U'A');
        QCOMPARE(s.cursor_row(), 0);
        s.feed("\x1b[4;6f\x1b"
               "7\x1b[31m\x1b[H\x1b"
               "8x");
        QCOMPARE(s.cell(3, 5).ch, U'x');
        QCOMPARE(s.cell(3, 5).attrs, Attrs{}); // DECRC restored the attributes too
        s.feed("\x1b[2;2H\x1b[s\x1b[9;9H\x1b[uy");
        QCOMPARE(s.cell(1, 1).ch, U'y');
    }

    void insertAndDeleteCharactersAndLines()
    {
        Screen s(5, 10);
        s.feed("abcdef\x1b[1;3H\x1b[2@");
        QCOMPARE(row_cells(s, 0), std::string("ab  cdef  "));
        s.feed("\x1b[3P");
        QCOMPARE(row_cells(s, 0), std::string("abdef     "));
        s.feed("\x1b[2X");
        QCOMPARE(row_cells(s, 0), std::string("ab  f     "));
        s.feed("\x1b[2;1H2\r\n3\r\n4\r\n5\x1b[2;4H\x1b[2L");
        QCOMPARE(qb(s.text()), QByteArray("ab  f\n\n\n2\n3"));
        QCOMPARE(s.cursor_col(), 0);
        s.feed("\x1b[3M");
        QCOMPARE(qb(s.text()), QByteArray("ab  f\n3"));
        QCOMPARE(s.scrollback_size(), size_t(0));
        s.feed("\x1b[4h\x1b[1;1HX\x1b[4lY");
        QCOMPARE(row_cells(s, 0), std::string("XYb  f    "));
    }

    void scrollRegion_scrollsOnlyItsLines()
    {
        Screen s(5, 10);
        s.feed("top\r\n1\r\n2\r\n3\r\nstatus");
        s.feed("\x1b[2;4r"); // homes the cursor
        QCOMPARE(s.cursor_row(), 0);
        s.feed("\x1b[4;1H\nnew");
        QCOMPARE(qb(s.text()), QByteArray("top\n2\n3\nnew\nstatus"));
        QCOMPARE(s.scrollback_size(), size_t(0));
        s.feed("\x1b[2;1H\x1bM"); // reverse index at the region's top
        QCOMPARE(qb(s.text()), QByteArray("top\n\n2\n3\nstatus"));
        s.feed("\x1b[2S");
        QCOMPARE(qb(s.text()), QByteArray("top\n3\n\n\nstatus"));
        s.feed("\x1b[1T");
        QCOMPARE(qb(s.text()), QByteArray("top\n\n3\n\nstatus"));
        // Origin mode: rows count from the region's top and stay in it.
        s.feed("\x1b[?6h\x1b[1;1HO\x1b[9;1HP\x1b[6n\x1b[?6l");
        QCOMPARE(qb(s.text()), QByteArray("top\nO\n3\nP\nstatus"));
        QCOMPARE(qb(s.take_replies()), QByteArray("\x1b[3;2R"));
        s.feed("\x1b[r\x1b[5;1H\n");
        QCOMPARE(s.scrollback_size(), size_t(1));
        QCOMPARE(qb(line_text_of(s.scrollback_line(0))), QByteArray("top"));
    }

    void scrollback_keepsItsLimit()
    {
        Screen s(5, 20, 100);
        for (int i = 0; i < 1000; ++i)
            s.feed("line " + std::to_string(i) + "\r\n");
        QCOMPARE(s.scrollback_size(), size_t(100));
        QCOMPARE(qb(line_text_of(s.scrollback_line(0))), QByteArray("line 896"));
        QCOMPARE(qb(line_text_of(s.scrollback_line(99))), QByteArray("line 995"));
        QCOMPARE(qb(s.text()), QByteArray("line 996\nline 997\nline 998\nline 999"));
        QVERIFY(s.scrollback_line(100).cells.empty());
        Screen none(5, 20, 0);
        for (int i = 0; i < 10; ++i)
            none.feed("x\r\n");
        QCOMPARE(none.scrollback_size(), size_t(0));
    }

    void resize_keepsContentAndClampsTheCursor()
    {
        Screen s(5, 10);
        s.feed("one\r\ntwo\r\nthree\r\nfour\r\nfive");
        s.resize(3, 4);
        QCOMPARE(s.rows(), 3);
        QCOMPARE(s.cols(), 4);
        QCOMPARE(qb(s.text()), QByteArray("thre\nfour\nfive")); // the cursor's line stays
        QCOMPARE(s.cursor_row(), 2);
        QCOMPARE(s.cursor_col(), 3);
        QCOMPARE(s.scrollback_size(), size_t(2));
        s.resize(6, 12);
        QCOMPARE(qb(s.text()), QByteArray("thre\nfour\nfive"));
        QCOMPARE(static_cast<int>(s.line(5).cells.size()), 12);
        s.feed("\x1b[6;12HZ");
        QCOMPARE(s.cell(5, 11).ch, U'Z');
        s.resize(0, 5000);
        QCOMPARE(s.rows(), 1);
        QCOMPARE(s.cols(), 1000);
        QString why;
        QVERIFY2(consistent(s, &why), qPrintable(why));
        s.feed("\x1b[H\xe6\x97\xa5"); // a wide character cut by a narrower screen
        s.resize(1, 1);
        QVERIFY2(consistent(s, &why), qPrintable(why));
    }

    void generation_bumpsOnVisibleChangesOnly()
    {
        Screen s(24, 80);
        const uint64_t g0 = s.generation();
        s.feed("");
        QCOMPARE(s.generation(), g0);
        s.feed("x");
        const uint64_t g1 = s.generation();
        QVERIFY(g1 > g0);
        s.feed("\x1b[5n\x1b[?1000h\x1b]10;?\x07");
        QCOMPARE(s.generation(), g1);
        s.feed("\x1b[31");
        s.feed("m");
        QCOMPARE(s.generation(), g1); // attributes alone show nothing yet
        s.feed("\x1b[5;5H");
        QVERIFY(s.generation() > g1);
        const uint64_t g2 = s.generation();
        s.resize(10, 10);
        QVERIFY(s.generation() > g2);
        (void)s.take_replies();
    }

    void bellAndReset()
    {
        Screen s(5, 10);
        s.feed("hi\a\x1b]0;t\x07");
        QVERIFY(s.take_bell()); // the BEL that ends an OSC is no bell
        QVERIFY(!s.take_bell());
        s.feed("\x1b[?1h\x1b[?1049h\x1b[44m");
        s.feed("\x1b"
               "c");
        QVERIFY(!s.alternate_screen());
        QVERIFY(!s.application_cursor_keys());
        QCOMPARE(qb(s.text()), QByteArray());
        QCOMPARE(qb(s.title()), QByteArray());
        s.feed("x");
        QCOMPARE(s.cell(0, 0).attrs, Attrs{});
        s.feed("\r\n\r\n\r\n\r\n\r\n\r\n\x1b[6n");
        QVERIFY(s.scrollback_size() > 0);
        s.reset();
        QCOMPARE(s.scrollback_size(), size_t(0));
        QCOMPARE(qb(s.take_replies()), QByteArray());
        QCOMPARE(qb(s.all_text()), QByteArray());
    }

    void outOfRangeAccess_isHarmless()
    {
        Screen s(2, 2);
        QCOMPARE(s.cell(-1, 0), Cell{});
        QCOMPARE(s.cell(0, 99), Cell{});
        QVERIFY(s.line(5).cells.empty());
        QVERIFY(s.scrollback_line(3).cells.empty());
    }

    void randomBytes_megabyte_neverCrash_andKeepBounds()
    {
        std::mt19937 rng(20240601);
        Screen s(24, 80, 1000);
        std::string chunk;
        size_t fed = 0;
        QString why;
        while (fed < 1024 * 1024) {
            chunk.resize(1 + rng() % 4096);
            for (char& c : chunk)
                c = static_cast<char>(rng() & 0xFF);
            s.feed(chunk);
            fed += chunk.size();
            QVERIFY(s.scrollback_size() <= 1000);
            QVERIFY(s.title().size() <= 4096 * 3);
            (void)s.take_replies();
            QVERIFY2(consistent(s, &why), qPrintable(why));
        }
        // Random bytes biased to ESC, CSI pieces and UTF-8 leads, the hard cases.
        static constexpr char kPieces[] =
            "\x1b[;?:0123456789mHJKLMP@rhl\x1b]P\x07\\\xe2\x94\xf0\x9f\xc3\xe6\x97\x8f\r\n\t\b";
        for (int round = 0; round < 64; ++round) {
            chunk.resize(4096);
            for (char& c : chunk)
                c = kPieces[rng() % (sizeof kPieces - 1)];
            s.feed(chunk);
            if (round % 16 == 0)
                s.resize(1 + static_cast<int>(rng() % 60), 1 + static_cast<int>(rng() % 200));
            QVERIFY2(consistent(s, &why), qPrintable(why));
            QVERIFY(s.take_replies().size() <= 4096);
        }
        QVERIFY(s.scrollback_size() <= 1000);
    }

    void keys_arrowsInNormalAndApplicationMode()
    {
        QCOMPARE(qb(key_bytes(Key::Up, {}, false)), QByteArray("\x1b[A"));
        QCOMPARE(qb(key_bytes(Key::Down, {}, false)), QByteArray("\x1b[B"));
        QCOMPARE(qb(key_bytes(Key::Right, {}, false)), QByteArray("\x1b[C"));
        QCOMPARE(qb(key_bytes(Key::Left, {}, false)), QByteArray("\x1b[D"));
        QCOMPARE(qb(key_bytes(Key::Up, {}, true)), QByteArray("\x1bOA"));
        QCOMPARE(qb(key_bytes(Key::Left, {}, true)), QByteArray("\x1bOD"));
        QCOMPARE(qb(key_bytes(Key::Home, {}, false)), QByteArray("\x1b[H"));
        QCOMPARE(qb(key_bytes(Key::End, {}, true)), QByteArray("\x1bOF"));
        Modifiers ctrl;
        ctrl.ctrl = true;
        QCOMPARE(qb(key_bytes(Key::Right, ctrl, false)), QByteArray("\x1b[1;5C"));
        QCOMPARE(qb(key_bytes(Key::Right, ctrl, true)), QByteArray("\x1b[1;5C"));
        Modifiers shift;
        shift.shift = true;
        QCOMPARE(qb(key_bytes(Key::Up, shift, false)), QByteArray("\x1b[1;2A"));
    }

    void keys_editingAndFunctionKeys()
    {
        QCOMPARE(qb(key_bytes(Key::Delete, {}, false)), QByteArray("\x1b[3~"));
        QCOMPARE(qb(key_bytes(Key::Insert, {}, false)), QByteArray("\x1b[2~"));
        QCOMPARE(qb(key_bytes(Key::PageUp, {}, false)), QByteArray("\x1b[5~"));
        QCOMPARE(qb(key_bytes(Key::PageDown, {}, true)), QByteArray("\x1b[6~"));
        QCOMPARE(qb(key_bytes(Key::F1, {}, false)), QByteArray("\x1bOP"));
        QCOMPARE(qb(key_bytes(Key::F4, {}, false)), QByteArray("\x1bOS"));
        QCOMPARE(qb(key_bytes(Key::F5, {}, false)), QByteArray("\x1b[15~"));
        QCOMPARE(qb(key_bytes(Key::F12, {}, false)), QByteArray("\x1b[24~"));
        Modifiers shift;
        shift.shift = true;
        QCOMPARE(qb(key_bytes(Key::F1, shift, false)), QByteArray("\x1b[1;2P"));
        QCOMPARE(qb(key_bytes(Key::Delete, shift, false)), QByteArray("\x1b[3;2~"));
        QCOMPARE(qb(key_bytes(Key::Tab, {}, false)), QByteArray("\t"));
        QCOMPARE(qb(key_bytes(Key::Tab, shift, false)), QByteArray("\x1b[Z"));
        QCOMPARE(qb(key_bytes(Key::BackTab, {}, false)), QByteArray("\x1b[Z"));
        QCOMPARE(qb(key_bytes(Key::Enter, {}, false)), QByteArray("\r"));
        QCOMPARE(qb(key_bytes(Key::Backspace, {}, false)), QByteArray("\x7f"));
        QCOMPARE(qb(key_bytes(Key::Escape, {}, false)), QByteArray("\x1b"));
        Modifiers alt;
        alt.alt = true;
        QCOMPARE(qb(key_bytes(Key::Backspace, alt, false)), QByteArray("\x1b\x7f"));
    }

    void chars_ctrlAndAlt()
    {
        Modifiers ctrl;
        ctrl.ctrl = true;
        Modifiers alt;
        alt.alt = true;
        QCOMPARE(qb(char_bytes(U'c', ctrl)), QByteArray("\x03"));
        QCOMPARE(qb(char_bytes(U'C', ctrl)), QByteArray("\x03"));
        QCOMPARE(qb(char_bytes(U'd', ctrl)), QByteArray("\x04"));
        QCOMPARE(qb(char_bytes(U'[', ctrl)), QByteArray("\x1b"));
        QCOMPARE(qb(char_bytes(U' ', ctrl)), QByteArray(1, '\0'));
        QCOMPARE(qb(char_bytes(U'x', alt)), QByteArray("\x1bx"));
        Modifiers both;
        both.ctrl = both.alt = true;
        QCOMPARE(qb(char_bytes(U'a', both)), QByteArray("\x1b\x01"));
        QCOMPARE(qb(char_bytes(U'\u00e9', {})), QByteArray("\xc3\xa9"));
        QCOMPARE(qb(char_bytes(U'\U0001F600', {})), QByteArray("\xf0\x9f\x98\x80"));
        QCOMPARE(qb(char_bytes(U'\u00e9', ctrl)), QByteArray("\xc3\xa9"));
        QCOMPARE(qb(char_bytes(char32_t(0xD800), {})), QByteArray());
    }

    void paste_bracketedStripsTheEndMarker()
    {
        QCOMPARE(qb(paste_bytes("ls\nrm -rf x\r\n", false)), QByteArray("ls\rrm -rf x\r"));
        QCOMPARE(qb(paste_bytes("echo hi", true)), QByteArray("\x1b[200~echo hi\x1b[201~"));
        QCOMPARE(qb(paste_bytes("a\x1b[201~\nrm -rf ~\n", true)), QByteArray("\x1b[200~a\rrm -rf ~\r\x1b[201~"));
        // A marker that removing another one would make.
        QCOMPARE(qb(paste_bytes("x\x1b[20\x1b[201~1~y", true)), QByteArray("\x1b[200~xy\x1b[201~"));
    }

    void realBash_promptColoursAndReadline()
    {
        QString why;
        const std::string xs(90, 'x');
        const QByteArray out = bash_session({"printf '\\033[31mred\\033[0m\\n'; ls --color=always /\r",
                                             "echo abd\x1b[Dc\x1b[F\x7f\x7f"
                                             "cd\r", // Left, c, End, two Backspaces, cd
                                             QByteArray("echo ") + xs.c_str() + "\r", "exit\r"},
                                            &why);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        Screen s(24, 80);
        s.feed(out.toStdString());
        const QByteArray text = qb(s.all_text());
        QVERIFY2(text.contains("mlab$ printf '\\033[31mred\\033[0m\\n'; ls --color=always /\n"), text.constData());
        QVERIFY2(text.contains("\nred\n"), text.constData());
        QVERIFY2(text.contains("mlab$ echo abcd\nabcd\n"), text.constData());
        // 96 characters of command line wrapped at 80 by readline, joined again.
        QVERIFY2(text.contains(QByteArray("mlab$ echo ") + xs.c_str() + "\n" + xs.c_str() + "\n"), text.constData());
        QVERIFY2(text.contains("mlab$ exit"), text.constData());
        QVERIFY(!s.bracketed_paste()); // bash turned it off when it left readline
        const auto [red_row, red_col] = find_word(s, "red");
        QVERIFY2(red_row >= 0, s.text().c_str());
        QCOMPARE(red_col, 0);
        for (int c = 0; c < 3; ++c)
            QCOMPARE(s.cell(red_row, c).attrs.fg, indexed(1));
        const auto [usr_row, usr_col] = find_word(s, "usr");
        QVERIFY2(usr_row >= 0, s.text().c_str());
        QCOMPARE(s.cell(usr_row, usr_col).attrs.fg, indexed(4)); // ls's di=01;34
        QVERIFY(s.cell(usr_row, usr_col).attrs.bold);
        QVERIFY(!s.alternate_screen());
    }

private:
    static std::string line_text_of(const Line& l)
    {
        std::string out;
        for (const Cell& c : l.cells)
            if (c.width != 0 && c.ch < 0x80)
                out.push_back(static_cast<char>(c.ch));
        out.erase(out.find_last_not_of(' ') + 1);
        return out;
    }
};

QTEST_GUILESS_MAIN(TestTermScreen)
#include "tst_term_screen.moc"
