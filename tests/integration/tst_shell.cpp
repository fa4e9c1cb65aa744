// mountlab-cli shell driven through a PTY, as a person at a terminal would: a command
// and its output, a mount's diff printed between prompts, Ctrl+] ends it, and the
// terminal's mode is what it was.
#include "testutil.h"

#include <QElapsedTimer>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

using namespace mountlab;

namespace {

struct Console {
    int master = -1;
    int slave = -1;
    pid_t pid = -1;
    QByteArray screen;

    bool start(const QStringList& args)
    {
        winsize ws{};
        ws.ws_row = 30;
        ws.ws_col = 100;
        if (openpty(&master, &slave, nullptr, nullptr, &ws) != 0)
            return false;
        pid = fork();
        if (pid == 0) {
            setsid();
            ioctl(slave, TIOCSCTTY, 0);
            for (int fd = 0; fd <= 2; ++fd)
                dup2(slave, fd);
            std::vector<std::string> argv{MOUNTLAB_CLI};
            for (const QString& a : args)
                argv.push_back(a.toStdString());
            std::vector<char*> p;
            for (auto& a : argv)
                p.push_back(a.data());
            p.push_back(nullptr);
            execv(p[0], p.data());
            _exit(127);
        }
        return pid > 0;
    }
    void type(const QByteArray& bytes)
    {
        QCOMPARE_GE(write(master, bytes.data(), bytes.size()), ssize_t(bytes.size()));
    }
    // Reads until the screen (from offset `from`) holds `text`.
    bool wait_for(const QByteArray& text, int timeout_ms, int from = 0)
    {
        QElapsedTimer t;
        t.start();
        while (screen.indexOf(text, from) < 0) {
            pollfd p{master, POLLIN, 0};
            const int left = timeout_ms - static_cast<int>(t.elapsed());
            if (left <= 0 || poll(&p, 1, left) <= 0)
                return false;
            char buf[4096];
            const ssize_t n = read(master, buf, sizeof buf);
            if (n <= 0)
                return false;
            screen.append(buf, n);
        }
        return true;
    }
    // Its exit status, or -1 if it did not end in time (then killed).
    int wait_exit(int timeout_ms)
    {
        QElapsedTimer t;
        t.start();
        int st = 0;
        while (waitpid(pid, &st, WNOHANG) == 0) {
            wait_for("\x01never", 50); // keep draining its output
            if (t.elapsed() > timeout_ms) {
                kill(pid, SIGKILL);
                waitpid(pid, &st, 0);
                return -1;
            }
        }
        pid = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    ~Console()
    {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        if (master >= 0)
            close(master);
        if (slave >= 0)
            close(slave);
    }
};

} // namespace

class TestShell : public QObject {
    Q_OBJECT
    QByteArray host_before_;

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        host_before_ = test::host_mountinfo();
    }
    void cleanupTestCase()
    {
        if (!host_before_.isEmpty())
            QCOMPARE(test::host_mountinfo(), host_before_);
    }

    void commandOutputAndMountDiff_thenCtrlBracketEnds_andTtyIsRestored()
    {
        Console c;
        QVERIFY(c.start({"shell", "--tracer", "none"}));
        termios before{};
        QCOMPARE(tcgetattr(c.slave, &before), 0);
        QVERIFY(c.wait_for("]# ", 10000));
        // While it runs the console is raw: no echo, no line editing of ours.
        termios during{};
        QCOMPARE(tcgetattr(c.slave, &during), 0);
        QVERIFY(!(during.c_lflag & (ICANON | ECHO)));
        // Enter is a CR on a raw console; the lab's PTY makes it a newline.
        c.type("echo sh$((6*7)); stty size\r");
        QVERIFY2(c.wait_for("sh42\r\n30 100\r\n", 5000), c.screen.constData());
        int from = c.screen.size();
        c.type("mount -t tmpfs t /mnt\r");
        QVERIFY2(c.wait_for("container + /mnt tmpfs t", 5000, from), c.screen.mid(from).constData());
        QVERIFY(c.screen.indexOf("lab host  + /mnt tmpfs t", from) >= 0); // the lab host's / is shared with it
        // The prompt is drawn again after the changes.
        QVERIFY(c.wait_for("]# ", 3000, c.screen.indexOf("container + /mnt", from)));
        c.type("\x1d");
        QCOMPARE(c.wait_exit(10000), 0);
        QVERIFY(c.screen.contains("left the container's shell"));
        termios after{};
        QCOMPARE(tcgetattr(c.slave, &after), 0);
        QCOMPARE(after.c_lflag, before.c_lflag);
        QCOMPARE(after.c_iflag, before.c_iflag);
        QCOMPARE(after.c_oflag, before.c_oflag);
    }

    void shellsExit_endsIt_withItsStatus_inTheLabHost()
    {
        Console c;
        QVERIFY(c.start({"shell", "--tracer", "none", "--where", "lab-host"}));
        QVERIFY(c.wait_for("[lab host /]# ", 10000));
        c.type("exit 5\r");
        QCOMPARE(c.wait_exit(10000), 5);
        QVERIFY(c.screen.contains("exited with status 5"));
    }

    // mountlab-cli practice: the task, the checklist printed as it changes, a hint, a
    // check's advice, and Submit's grade of what was typed, all from the console.
    void practice_checklistTicksAsTheLabChanges_andSubmitGradesWhatWasTyped()
    {
        Console c;
        QVERIFY(c.start({"practice", "bind-mounts", "leaky-volume", "--tracer", "none"}));
        QVERIFY2(c.wait_for("Why does this volume leak to the lab host?", 15000), c.screen.constData());
        QVERIFY2(c.wait_for("]# ", 10000), c.screen.constData());
        QVERIFY(c.screen.contains("practice bind-mounts/leaky-volume: 0 of 10 points"));
        int from = c.screen.size();
        c.type("\x1dh");
        QVERIFY2(c.wait_for("hint 1 of 3: A mount propagates", 5000, from), c.screen.mid(from).constData());
        for (const char* line : {"echo shared > /tmp/cause.txt", "umount /srv/data", "mount --make-rprivate /"}) {
            from = c.screen.size();
            c.type(QByteArray(line) + "\r");
            QVERIFY2(c.wait_for("]# ", 10000, from + int(strlen(line))), c.screen.mid(from).constData());
        }
        // Unbound: the guarded checks wait for the bind, and Check says what to do.
        from = c.screen.size();
        c.type("\x1d"
               "c");
        QVERIFY2(c.wait_for("not judged: it counts only once this holds", 5000, from), c.screen.mid(from).constData());
        QVERIFY(c.wait_for("bind it again once nothing propagates", 5000, from)); // the check's feedback
        from = c.screen.size();
        c.type("mount --bind /var/lib/mountlab/volume /srv/data\r");
        QVERIFY2(c.wait_for("10 of 10 points", 10000, from), c.screen.mid(from).constData());
        from = c.screen.size();
        c.type("\x1ds");
        QVERIFY2(c.wait_for("submitted: passed with 10 of 10 points", 60000, from), c.screen.mid(from).constData());
        c.type("\x1dq");
        QCOMPARE(c.wait_exit(10000), 0);
        QVERIFY(c.screen.contains("the last submission: passed"));
    }

    void practice_unknownExercise_saysWhichThereAre()
    {
        Console c;
        QVERIFY(c.start({"practice", "bind-mounts", "nope", "--tracer", "none"}));
        QCOMPARE(c.wait_exit(20000), 2);
        QVERIFY2(c.screen.contains("has no exercise `nope` (it has leaky-volume, ro-volume)"), c.screen.constData());
    }
};

QTEST_GUILESS_MAIN(TestShell)
#include "tst_shell.moc"
