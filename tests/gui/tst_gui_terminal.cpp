// The Terminal tab: a real shell on a PTY in the lab, drawn by TerminalWidget from the
// event stream's "terminal" events. First the widget alone (bytes in, keys out, and
// the main window's shortcuts kept away from the shell), then, as root, against the
// real agent: what a learner types reaches bash, its answers show, the mounts it makes
// show in the tree, "r" and Space do not reset or step the lab, Ctrl+C interrupts, a
// reset gives a new shell; and the session's recording replays the terminal's text.
#include "mainwindow.h"
#include "terminalwidget.h"
#include "testutil.h"

#include <QApplication>
#include <QClipboard>
#include <QInputMethodEvent>
#include <QMainWindow>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtTest>

using namespace mountlab::gui;

namespace {

// The bytes a terminal sends, collected.
struct Typed {
    QByteArray bytes;
    explicit Typed(TerminalWidget* w)
    {
        QObject::connect(w, &TerminalWidget::input, w, [this](const QByteArray& b) { bytes += b; });
    }
};

QString lastLine(const QString& text) { return text.section(QLatin1Char('\n'), -1); }

const MountForest::Node* mounted(const MountForest& f, const QString& target)
{
    const int i = f.indexOfTarget(target);
    return i < 0 ? nullptr : &f.nodes()[i];
}

} // namespace

class TestGuiTerminal : public QObject {
    Q_OBJECT
    MainWindow* m_live = nullptr;
    QTemporaryDir m_dir;
    QString m_recording;

    // Types a line into the shown terminal as a learner would, key by key.
    static void typeLine(MainWindow& w, const QString& line)
    {
        QTest::keyClicks(w.terminal(), line);
        QTest::keyClick(w.terminal(), Qt::Key_Return);
    }

    static bool promptShown(TerminalWidget* t, const QString& where)
    {
        return lastLine(t->screenText()).startsWith(QLatin1Char('[') + where) &&
               t->screenText().endsWith(QLatin1String("]#"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("MOUNTLAB_NO_DIALOGS", "1");
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase() { delete m_live; }

    // --- the widget alone ---------------------------------------------------------

    void feedingBytes_drawsTheTextWithItsColours()
    {
        TerminalWidget t;
        t.resize(800, 300);
        t.show();
        QVERIFY(QTest::qWaitForWindowExposed(&t));
        t.feed("plain \x1b[1;31mred\x1b[0m \x1b[38;5;196mx\x1b[48;2;1;2;3my\x1b[0m\r\nsecond");
        QVERIFY2(t.screenText().startsWith(QLatin1String("plain red xy\nsecond")), qPrintable(t.screenText()));
        const mountlab::term::Cell& red = t.screen().cell(0, 6);
        QCOMPARE(red.attrs.fg.kind, mountlab::term::Color::Kind::Indexed);
        QCOMPARE(int(red.attrs.fg.index), 1);
        QVERIFY(red.attrs.bold);
        // Painting every kind of cell does not fall over; the grid fits the widget.
        QImage img(t.size(), QImage::Format_ARGB32);
        t.render(&img);
        QVERIFY(t.cols() >= 80);
        QCOMPARE(t.cols(), (t.width() - 8 - QScrollBar().sizeHint().width()) / t.cellSize().width());
    }

    void theWindowsShortcuts_doNotFireWhileTheShellHasTheKeys()
    {
        QMainWindow win;
        auto* t = new TerminalWidget(&win);
        win.setCentralWidget(t);
        int fired = 0, presenter = 0;
        for (const QKeySequence& k :
             {QKeySequence(Qt::Key_Space), QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_Left),
              QKeySequence(Qt::Key_R), QKeySequence(Qt::Key_Escape), QKeySequence(QKeySequence::Find)}) {
            auto* s = new QShortcut(k, &win);
            connect(s, &QShortcut::activated, &win, [&fired] { ++fired; });
        }
        connect(new QShortcut(QKeySequence(Qt::Key_F11), &win), &QShortcut::activated, &win,
                [&presenter] { ++presenter; });
        win.resize(800, 400);
        win.show();
        QVERIFY(QTest::qWaitForWindowActive(&win));
        t->setFocus();
        Typed typed(t);
        t->setAttached(true);
        QTest::keyClick(t, Qt::Key_R);
        QTest::keyClick(t, Qt::Key_Space);
        QTest::keyClick(t, Qt::Key_Left);
        QTest::keyClick(t, Qt::Key_Right);
        QTest::keyClick(t, Qt::Key_Escape);
        QTest::keyClick(t, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(fired, 0);
        QCOMPARE(typed.bytes, QByteArray("r \x1b[D\x1b[C\x1b\x06"));
        // Presenter mode stays the window's: no shell needs F11.
        QTest::keyClick(t, Qt::Key_F11);
        QCOMPARE(presenter, 1);
        // Between two shells, an "r" does not reset the lab either; Enter asks for a shell.
        t->setAttached(false);
        QSignalSpy restart(t, &TerminalWidget::restartRequested);
        QTest::keyClick(t, Qt::Key_R);
        QTest::keyClick(t, Qt::Key_Space);
        QCOMPARE(fired, 0);
        QTest::keyClick(t, Qt::Key_Return);
        QCOMPARE(restart.size(), 1);
        // A replay's terminal (read only): the keys drive the window again.
        t->setReadOnly(true);
        QTest::keyClick(t, Qt::Key_R);
        QTest::keyClick(t, Qt::Key_Space);
        QCOMPARE(fired, 2);
    }

    void keys_sendWhatXtermSends_andTabStaysInTheShell()
    {
        QWidget win;
        auto* before = new QPushButton(QStringLiteral("before"), &win);
        auto* t = new TerminalWidget(&win);
        auto* after = new QPushButton(QStringLiteral("after"), &win);
        auto* layout = new QVBoxLayout(&win);
        layout->addWidget(before);
        layout->addWidget(t);
        layout->addWidget(after);
        win.resize(800, 500);
        win.show();
        QVERIFY(QTest::qWaitForWindowActive(&win));
        t->setFocus();
        t->setAttached(true);
        Typed typed(t);
        QTest::keyClick(t, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(typed.bytes, QByteArray("\x03"));
        typed.bytes.clear();
        QTest::keyClick(t, Qt::Key_Tab);
        QTest::keyClick(t, Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(QApplication::focusWidget(), t); // Tab completes, it does not move on
        QTest::keyClick(t, Qt::Key_Up);
        QTest::keyClick(t, Qt::Key_Return);
        QTest::keyClick(t, Qt::Key_Backspace);
        QTest::keyClicks(t, QStringLiteral("ls -l"));
        QCOMPARE(typed.bytes, QByteArray("\t\x1b[Z\x1b[A\r\x7fls -l"));
        // The shell asked for application cursor keys (less, vi): arrows change.
        t->feed("\x1b[?1h");
        typed.bytes.clear();
        QTest::keyClick(t, Qt::Key_Up);
        QCOMPARE(typed.bytes, QByteArray("\x1bOA"));
        // An input method's committed text goes to the shell as UTF-8.
        typed.bytes.clear();
        QInputMethodEvent im;
        im.setCommitString(QStringLiteral("é✓"));
        QApplication::sendEvent(t, &im);
        QCOMPARE(typed.bytes, QStringLiteral("é✓").toUtf8());
        // Ctrl+Tab is the way out for keyboard users (the tooltip says so).
        QVERIFY(t->toolTip().contains(QLatin1String("Ctrl+Tab")));
        QTest::keyClick(t, Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), after);
    }

    void pasting_isBracketedWhenTheShellAsks_andCopyTakesTheSelection()
    {
        TerminalWidget t;
        t.resize(800, 300);
        t.show();
        QVERIFY(QTest::qWaitForWindowActive(&t));
        t.setAttached(true);
        Typed typed(&t);
        QApplication::clipboard()->setText(QStringLiteral("echo one\necho two"));
        QTest::keyClick(&t, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(typed.bytes, QByteArray("echo one\recho two"));
        typed.bytes.clear();
        t.feed("\x1b[?2004h");
        QTest::keyClick(&t, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(typed.bytes, QByteArray("\x1b[200~echo one\recho two\x1b[201~"));
        // A drag over "world" selects it; Ctrl+Shift+C copies it.
        t.feed("\r\nhello world\r\n");
        const QSize cell = t.cellSize();
        const int y = 4 + 1 * cell.height() + cell.height() / 2;
        QTest::mousePress(&t, Qt::LeftButton, {}, QPoint(4 + 6 * cell.width() + 1, y));
        QMouseEvent move(QEvent::MouseMove, QPointF(4 + 11 * cell.width() + 1, y),
                         t.mapToGlobal(QPointF(4 + 11 * cell.width() + 1, y)), Qt::NoButton, Qt::LeftButton, {});
        QApplication::sendEvent(&t, &move);
        QTest::mouseRelease(&t, Qt::LeftButton, {}, QPoint(4 + 11 * cell.width() + 1, y));
        QCOMPARE(t.selectedText(), QStringLiteral("world"));
        QTest::keyClick(&t, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("world"));
    }

    void scrollback_scrollsWithShiftPageUp_andResizesAreSentOnceSettled()
    {
        TerminalWidget t;
        t.resize(700, 200);
        t.show();
        QVERIFY(QTest::qWaitForWindowActive(&t));
        t.setAttached(true);
        QByteArray many;
        for (int i = 0; i < 100; ++i)
            many += "line " + QByteArray::number(i) + "\r\n";
        t.feed(many);
        QVERIFY(t.screen().scrollback_size() > 50);
        QTest::keyClick(&t, Qt::Key_PageUp, Qt::ShiftModifier);
        QCOMPARE(t.scrollOffset(), t.rows() - 1);
        QTest::keyClick(&t, Qt::Key_PageDown, Qt::ShiftModifier);
        QCOMPARE(t.scrollOffset(), 0);
        QVERIFY(t.allText().contains(QLatin1String("line 0\nline 1\n")));
        // Dragging the size through several values sends the last one, once.
        QSignalSpy sized(&t, &TerminalWidget::sizeChanged);
        t.resize(720, 260);
        t.resize(900, 400);
        QTRY_COMPARE(sized.size(), 1);
        QCOMPARE(sized.front().at(0).toInt(), t.rows());
        QCOMPARE(sized.front().at(1).toInt(), t.cols());
        // BEL flashes the view; nothing is heard.
        t.feed("\x07");
        QVERIFY(t.flashing());
        QTRY_VERIFY(!t.flashing());
    }

    // --- the event stream ---------------------------------------------------------

    void terminalEvents_areDecodedExactly_andBadOnesOnlyWarn()
    {
        Session s;
        QSignalSpy opened(&s, &Session::terminalOpened);
        QSignalSpy data(&s, &Session::terminalData);
        QSignalSpy closed(&s, &Session::terminalClosed);
        QSignalSpy log(&s, &Session::logMessage);
        s.handleLine(
            "{\"kind\":\"terminal\",\"id\":3,\"opened\":true,\"where\":\"lab host\",\"shell\":\"/bin/bash\",\"pid\":7,\"rows\":24,\"cols\":80}");
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.front().at(0).toInt(), 3);
        QCOMPARE(opened.front().at(1).toString(), QStringLiteral("lab host"));
        QCOMPARE(opened.front().at(2).toString(), QStringLiteral("/bin/bash"));
        QCOMPARE(opened.front().at(3).toInt(), 7);
        // Escape sequences, invalid UTF-8 and NUL kept as they came.
        const QByteArray raw("\x1b[31mred\x1b[0m\xff\x00\n", 14);
        s.handleLine("{\"kind\":\"terminal\",\"id\":3,\"data\":\"" + raw.toBase64() + "\"}");
        QCOMPARE(data.size(), 1);
        QCOMPARE(data.front().at(1).toByteArray(), raw);
        s.handleLine("{\"kind\":\"terminal\",\"id\":3,\"data\":\"not base64!\"}");
        s.handleLine("{\"kind\":\"terminal\",\"id\":3,\"data\":12}");
        s.handleLine("{\"kind\":\"terminal\",\"data\":\"aGk=\"}");
        QCOMPARE(data.size(), 1);
        QCOMPARE(log.size(), 3);
        s.handleLine("{\"kind\":\"terminal\",\"id\":3,\"closed\":true,\"exit\":null,\"reason\":\"reset\"}");
        s.handleLine("{\"kind\":\"terminal\",\"id\":4,\"closed\":true,\"exit\":130,\"reason\":\"exit\"}");
        QCOMPARE(closed.size(), 2);
        QCOMPARE(closed.at(0).at(1).toInt(), -1);
        QCOMPARE(closed.at(0).at(2).toString(), QStringLiteral("reset"));
        QCOMPARE(closed.at(1).at(1).toInt(), 130);
        // Kept for the recording, as they came.
        QVERIFY(s.recorded().size() >= 7);
    }

    void aRecordingWithTerminalEvents_replaysTheirText_readOnly()
    {
        const QString path = m_dir.filePath(QStringLiteral("handmade.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "{\"kind\":\"session\",\"v\":1,\"tool\":\"mountlab\",\"rootless\":true,\"trace\":\"none\"}"
            "\n"
            "{\"kind\":\"terminal\",\"id\":1,\"opened\":true,\"where\":\"container\",\"shell\":\"/bin/bash\",\"pid\":3,\"rows\":24,\"cols\":80}"
            "\n");
        f.write("{\"kind\":\"terminal\",\"id\":1,\"data\":\"" +
                QByteArray("[container /]# echo recorded\r\nrecorded\r\n").toBase64() + "\"}\n");
        f.close();
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy dataSpy(w.session(), &Session::terminalData);
        QSignalSpy openSpy(w.session(), &Session::terminalOpened);
        QVERIFY(w.openRecording(path));
        w.showTerminal(QStringLiteral("container"));
        QVERIFY(w.terminal()->readOnly());
        QVERIFY2(w.terminalStatusText().contains(QLatin1String("REPLAY")), qPrintable(w.terminalStatusText()));
        // The shell's opening is a frame of the recording: Space plays it, even with the
        // focus in the (read-only) terminal; nothing is typed anywhere.
        QCOMPARE(openSpy.size(), 0);
        QSignalSpy typed(w.terminal(), &TerminalWidget::input);
        QTest::keyClick(w.terminal(), Qt::Key_Space);
        QCOMPARE(openSpy.size(), 1);
        QCOMPARE(dataSpy.size(), 1);
        QVERIFY2(w.terminal()->screenText().contains(QLatin1String("# echo recorded\nrecorded")),
                 qPrintable(w.terminal()->allText()));
        QTest::keyClick(w.terminal(), Qt::Key_A);
        QCOMPARE(typed.size(), 0);
    }

    // --- against the real agent ---------------------------------------------------

    void typing_reachesBash_andItsAnswerShows()
    {
        MOUNTLAB_REQUIRE_ROOT();
        m_live = new MainWindow;
        MainWindow& w = *m_live;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.startLive(EngineClient::Tracing::None));
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->catalogueComplete() && w.session()->host().size() > 0, 30000);
        w.showTerminal(QStringLiteral("container"));
        QTRY_VERIFY2_WITH_TIMEOUT(promptShown(w.terminal(), QStringLiteral("container")),
                                  qPrintable(w.terminal()->screenText() + w.engine()->stderrText()), 20000);
        QVERIFY(w.terminalId(QStringLiteral("container")) >= 0);
        QCOMPARE(QApplication::focusWidget(), w.terminal());
        // The shell was told the size the view shows (bash wraps there).
        typeLine(w, QStringLiteral("stty size"));
        QTRY_VERIFY_WITH_TIMEOUT(w.terminal()->screenText().contains(
                                     QStringLiteral("%1 %2").arg(w.terminal()->rows()).arg(w.terminal()->cols())),
                                 5000);
        QVERIFY(w.terminal()->rows() >= 12 && w.terminal()->cols() >= 80);
        typeLine(w, QStringLiteral("echo $((6*7))"));
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminal()->screenText().contains(QLatin1String("echo $((6*7))\n42\n")),
                                  qPrintable(w.terminal()->screenText()), 5000);
        // State persists: it is one shell.
        typeLine(w, QStringLiteral("cd /tmp"));
        typeLine(w, QStringLiteral("pwd"));
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminal()->screenText().contains(QLatin1String("pwd\n/tmp\n")),
                                  qPrintable(w.terminal()->screenText()), 5000);
        QTRY_VERIFY(promptShown(w.terminal(), QStringLiteral("container /tmp")));
    }

    void rSpaceAndArrows_goToTheShell_notToTheLab()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        NavigatorModel* nav = w.session()->navigator();
        const int current = nav->current();
        const int lastStep = w.session()->lastStep();
        QSignalSpy began(w.session(), &Session::stepBegan);
        // "echo ab", back two, "r ", forward one: bash edits the line as typed.
        QTest::keyClicks(w.terminal(), QStringLiteral("echo ab"));
        QTest::keyClick(w.terminal(), Qt::Key_Left);
        QTest::keyClick(w.terminal(), Qt::Key_Left);
        QTest::keyClick(w.terminal(), Qt::Key_R);
        QTest::keyClick(w.terminal(), Qt::Key_Space);
        QTest::keyClick(w.terminal(), Qt::Key_Right);
        QTest::keyClick(w.terminal(), Qt::Key_Return);
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminal()->screenText().contains(QLatin1String("# echo r ab\nr ab\n")),
                                  qPrintable(w.terminal()->screenText()), 5000);
        QTest::qWait(400); // a step would have begun by now
        QCOMPARE(began.size(), 0);
        QCOMPARE(nav->current(), current);
        QCOMPARE(w.session()->lastStep(), lastStep);
        QVERIFY(w.idle());
    }

    void ctrlC_interruptsTheForegroundJob()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        typeLine(w, QStringLiteral("sleep 100"));
        // Sleeping: the cursor on the line after the command, no prompt.
        QTRY_VERIFY_WITH_TIMEOUT(w.terminal()->screenText().endsWith(QLatin1String("# sleep 100")) &&
                                     w.terminal()->screen().cursor_col() == 0,
                                 3000);
        QTest::qWait(200);
        QElapsedTimer timer;
        timer.start();
        QTest::keyClick(w.terminal(), Qt::Key_C, Qt::ControlModifier);
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminal()->screenText().contains(QLatin1String("^C")) &&
                                      promptShown(w.terminal(), QStringLiteral("container")),
                                  qPrintable(w.terminal()->screenText()), 2000);
        QVERIFY(timer.elapsed() < 2000);
    }

    void aMountTypedInTheTerminal_showsInTheTree()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        const int current = w.session()->navigator()->current();
        QVERIFY(!mounted(w.session()->container(), QStringLiteral("/mnt")) ||
                mounted(w.session()->container(), QStringLiteral("/mnt"))->mount().fstype != QLatin1String("tmpfs"));
        QSignalSpy ended(w.session(), &Session::stepEnded);
        typeLine(w, QStringLiteral("mount -t tmpfs t /mnt"));
        QTRY_VERIFY_WITH_TIMEOUT(ended.size() >= 1, 10000);
        QCOMPARE(w.session()->lastBegin().value(QLatin1String("stage")).toString(), QStringLiteral("terminal"));
        QTRY_VERIFY_WITH_TIMEOUT(mounted(w.session()->container(), QStringLiteral("/mnt")), 5000);
        const MountForest::Node* n = mounted(w.session()->container(), QStringLiteral("/mnt"));
        QCOMPARE(n->mount().fstype, QStringLiteral("tmpfs"));
        QCOMPARE(n->mount().source, QStringLiteral("t"));
        QCOMPARE(n->change, Change::Added);
        QCOMPARE(w.session()->navigator()->current(), current); // not a lesson's step
        QTRY_VERIFY(w.idle());
    }

    void theLabHostButton_givesAShellOnTheLabHost()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        QToolButton* labHost = w.terminalPlaceButton(QStringLiteral("lab host"));
        QVERIFY(labHost && labHost->isVisible());
        QTest::mouseClick(labHost, Qt::LeftButton);
        QCOMPARE(w.terminalWhere(), QStringLiteral("lab host"));
        QTRY_VERIFY2_WITH_TIMEOUT(promptShown(w.terminal(), QStringLiteral("lab host")),
                                  qPrintable(w.terminal()->screenText()), 20000);
        QVERIFY(w.terminalId(QStringLiteral("lab host")) != w.terminalId(QStringLiteral("container")));
        QVERIFY(!w.terminal()->screenText().contains(QLatin1String("42"))); // its own screen
        typeLine(w, QStringLiteral("cat /HOST_SECRET | head -c 15; echo"));
        QTRY_VERIFY_WITH_TIMEOUT(w.terminal()->screenText().contains(QLatin1String("\nLAB HOST SECRET")), 5000);
        // Back to the container's: the same shell, still in /tmp.
        QTest::mouseClick(w.terminalPlaceButton(QStringLiteral("container")), Qt::LeftButton);
        QCOMPARE(w.terminalWhere(), QStringLiteral("container"));
        QVERIFY(w.terminal()->screenText().contains(QLatin1String("42")));
    }

    void aReset_closesTheContainersShell_andOpensANewOne()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        const int before = w.terminalId(QStringLiteral("container"));
        QVERIFY(before >= 0);
        QSignalSpy closed(w.session(), &Session::terminalClosed);
        w.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 20000);
        QCOMPARE(closed.front().at(0).toInt(), before);
        QCOMPARE(closed.front().at(2).toString(), QStringLiteral("reset"));
        QVERIFY(w.terminal()->screenText().contains(QLatin1String("the container was reset")));
        QTRY_VERIFY_WITH_TIMEOUT(w.terminalId(QStringLiteral("container")) >= 0 &&
                                     w.terminalId(QStringLiteral("container")) != before,
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(promptShown(w.terminal(), QStringLiteral("container /")), 10000);
        // A fresh container: the tmpfs typed before is gone, and the new shell answers.
        QVERIFY(!mounted(w.session()->container(), QStringLiteral("/mnt")) ||
                mounted(w.session()->container(), QStringLiteral("/mnt"))->mount().source != QLatin1String("t"));
        typeLine(w, QStringLiteral("echo $((2+3))"));
        QTRY_VERIFY_WITH_TIMEOUT(w.terminal()->screenText().contains(QLatin1String("echo $((2+3))\n5\n")), 5000);
    }

    void aStepThatUnsharesTheContainer_offersAShellInItsNewNamespace()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(m_live);
        MainWindow& w = *m_live;
        QVERIFY(w.terminalId(QStringLiteral("container")) >= 0);
        QVERIFY(!w.restartShellButton()->isVisible());
        // The walkthrough's first step: unshare(CLONE_NEWNS) in the container process.
        // The shell started before it stays in the namespace it had, and says so.
        w.runNextStep();
        QTRY_VERIFY_WITH_TIMEOUT(w.idle() && w.session()->navigator()->current() == 1, 20000);
        const quint64 ns = w.session()->container().mntns;
        QVERIFY(ns && ns != w.session()->host().mntns);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.terminal()->screenText().contains(QStringLiteral("is now in mount namespace %1").arg(ns)), 5000);
        QVERIFY(w.restartShellButton()->isVisible());
        QCOMPARE(w.restartShellButton()->text(), QStringLiteral("New shell"));
        const int before = w.terminalId(QStringLiteral("container"));
        QTest::mouseClick(w.restartShellButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.terminalId(QStringLiteral("container")) >= 0 &&
                                     w.terminalId(QStringLiteral("container")) != before,
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(promptShown(w.terminal(), QStringLiteral("container")), 10000);
        QVERIFY(!w.restartShellButton()->isVisible());
        typeLine(w, QStringLiteral("readlink /proc/self/ns/mnt"));
        QTRY_VERIFY2_WITH_TIMEOUT(w.terminal()->screenText().contains(QStringLiteral("mnt:[%1]").arg(ns)),
                                  qPrintable(w.terminal()->screenText()), 5000);
        m_recording = m_dir.filePath(QStringLiteral("session.jsonl"));
        QString error;
        QVERIFY2(w.session()->saveRecording(m_recording, &error), qPrintable(error));
    }

    void theSessionsRecording_replaysWhatTheTerminalShowed()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QVERIFY(!m_recording.isEmpty());
        MainWindow r;
        r.resize(1400, 900);
        r.show();
        QVERIFY(QTest::qWaitForWindowExposed(&r));
        QVERIFY(r.openRecording(m_recording));
        r.showTerminal(QStringLiteral("container"));
        while (r.engine()->replayPosition() < r.engine()->replayFrameCount()) {
            r.runNextStep();
            QTRY_VERIFY_WITH_TIMEOUT(!r.session()->busy(), 5000);
        }
        const QString text = r.terminal()->allText();
        QVERIFY2(text.contains(QLatin1String("42")) && text.contains(QLatin1String("pwd\n/tmp")), qPrintable(text));
        QVERIFY(text.contains(QLatin1String("the container was reset")));
        QVERIFY(r.terminal()->readOnly());
        QVERIFY(r.terminalStatusText().contains(QLatin1String("REPLAY")));
    }
};

QTEST_MAIN(TestGuiTerminal)
#include "tst_gui_terminal.moc"
