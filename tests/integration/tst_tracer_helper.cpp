// The tracer helper, mountlab-tracer (app/tracer/main.cpp), the one part of MountLab
// that runs as root, tried for real (root): it refuses every argument, a caller that
// is not root and a PKEXEC_UID that does not own its parent; it traces the children
// its parent forks after it started, never the parent's own calls (but for the sync
// marks) nor anyone else's; it ends with its parent, with its reader and on SIGTERM;
// it reads nothing from stdin. Then the engine's side, HelperFeed (core/lab/callfeed.h):
// a drain holds every call made before it. Every mount happens in a private mount
// namespace, and the real table is compared before and after each test.
#include "testutil.h"

#include <QThread>

#include "base/fd.h"
#include "base/jsonget.h"
#include "lab/callfeed.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

using namespace mountlab;
using PlainJson = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kSyncFlags = static_cast<int>(0x80000000u); // the kernel refuses them: EINVAL

// The mark a process makes for the helper to report: it unmounts nothing.
void sync_mark(const std::string& name) { (void)umount2((std::string(lab::kSyncPrefix) + name).c_str(), kSyncFlags); }

// What the helper says when it refuses (exit 1, one JSON line).
struct Refusal {
    int exit_code = -1;
    PlainJson line;
    QByteArray err;
};

Refusal run_refused(const QString& program, const QStringList& args)
{
    const test::ProcessResult r = test::run(program, args, {}, 20000);
    Refusal out{r.exit_code, PlainJson::parse(r.out.toStdString(), nullptr, false), r.err};
    return out;
}

// Reads one line from fd within timeout_ms; "" on timeout or EOF (*eof says which).
std::string read_line(int fd, std::string& buffer, int timeout_ms, bool* eof = nullptr)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (const size_t nl = buffer.find('\n'); nl != std::string::npos) {
            std::string line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{fd, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0)
            return {};
        char buf[65536];
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            if (eof)
                *eof = true;
            return {};
        }
        buffer.append(buf, static_cast<size_t>(n));
    }
}

// Seconds until the process behind pidfd has exited, or -1 after timeout_ms.
double seconds_until_gone(int pidfd, int timeout_ms)
{
    const auto t0 = Clock::now();
    pollfd p{pidfd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1)
        return -1;
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A process of ours (root) that starts the helper with its stdout a pipe the test
// reads, then runs `body` (with the helper's pid) and exits with its result. The test
// releases it step by step through `go()`; closing the go pipe (or the destructor)
// lets it exit. The helper's stdin is `stdin_fd`, or /dev/null.
class HelperParent {
public:
    using Body = std::function<int(pid_t helper, int go_fd)>;

    explicit HelperParent(const Body& body, int stdin_fd = -1)
    {
        int out[2], go[2], pid[2];
        if (pipe2(out, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0 || pipe2(pid, O_CLOEXEC) != 0)
            return;
        parent_ = fork();
        if (parent_ == 0) {
            close(out[0]);
            close(go[1]);
            close(pid[0]);
            const pid_t helper = spawn_helper(out[1], stdin_fd);
            close(out[1]);
            (void)!write(pid[1], &helper, sizeof helper);
            _exit(body(helper, go[0]));
        }
        close(out[1]);
        close(go[0]);
        close(pid[1]);
        out_ = UniqueFd(out[0]);
        go_ = UniqueFd(go[1]);
        pid_t helper = -1;
        if (read(pid[0], &helper, sizeof helper) == sizeof helper && helper > 0) {
            helper_ = helper;
            helper_pidfd_ = UniqueFd(static_cast<int>(syscall(SYS_pidfd_open, helper, 0)));
        }
        close(pid[0]);
    }
    ~HelperParent()
    {
        go_.reset();
        if (helper_ > 0 && seconds_until_gone(helper_pidfd_.get(), 100) < 0)
            kill(helper_, SIGTERM); // never leave a root tracer behind
        if (parent_ > 0 && status_ < 0)
            (void)wait();
    }
    [[nodiscard]] pid_t pid() const { return parent_; }
    [[nodiscard]] pid_t helper() const { return helper_; }
    [[nodiscard]] int helper_pidfd() const { return helper_pidfd_.get(); }
    [[nodiscard]] int out() const { return out_.get(); }
    void close_out() { out_.reset(); }
    void go() { (void)!write(go_.get(), "g", 1); }
    void let_exit() { go_.reset(); }
    std::string line(int timeout_ms = 10000, bool* eof = nullptr)
    {
        return read_line(out_.get(), buffer_, timeout_ms, eof);
    }
    int wait()
    {
        int st = 0;
        while (status_ < 0 && waitpid(parent_, &st, 0) < 0 && errno == EINTR) {
        }
        if (status_ < 0)
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
    }

private:
    static pid_t spawn_helper(int out_fd, int stdin_fd)
    {
        const pid_t pid = fork();
        if (pid != 0)
            return pid;
        const int null = open("/dev/null", O_RDWR);
        dup2(stdin_fd >= 0 ? stdin_fd : null, 0);
        dup2(out_fd, 1);
        execl(MOUNTLAB_TRACER, MOUNTLAB_TRACER, static_cast<char*>(nullptr));
        _exit(127);
    }

    pid_t parent_ = -1;
    pid_t helper_ = -1;
    int status_ = -1;
    UniqueFd out_, go_, helper_pidfd_;
    std::string buffer_;
};

// Blocks until the test says go (true) or closes the pipe (false).
bool wait_for_go(int go_fd)
{
    char c = 0;
    return read(go_fd, &c, 1) == 1;
}

// In a child of the caller: a private mount namespace (unshare -m --propagation
// private) and one tmpfs mounted in it. Its exit status.
int fork_child_that_mounts(const std::string& source)
{
    const pid_t pid = fork();
    if (pid == 0) {
        execlp("unshare", "unshare", "-m", "--propagation", "private", "mount", "-t", "tmpfs", source.c_str(), "/mnt",
               static_cast<char*>(nullptr));
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

// Lines up to and including the sync mark `name`, or up to a timeout (then the
// last element is "<timeout>").
std::vector<PlainJson> lines_until_mark(HelperParent& p, const std::string& name)
{
    std::vector<PlainJson> got;
    const std::string want = std::string(lab::kSyncPrefix) + name;
    for (;;) {
        const std::string line = p.line(10000);
        if (line.empty()) {
            got.push_back("<timeout>");
            return got;
        }
        got.push_back(PlainJson::parse(line, nullptr, false));
        if (got.back().is_object() && json_string(got.back(), "kind") == "sync" &&
            json_string(got.back(), "mark") == want)
            return got;
    }
}

bool is_ready(const std::string& line, pid_t parent)
{
    const PlainJson j = PlainJson::parse(line, nullptr, false);
    return j.is_object() && json_string(j, "kind") == "tracer" && json_bool(j, "ready", false) &&
           json_int(j, "tracing", -1) == parent;
}

// The children of this process (any thread), from /proc.
std::vector<pid_t> children_of_self()
{
    std::vector<pid_t> out;
    QDir tasks("/proc/self/task");
    for (const QString& t : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(tasks.filePath(t + "/children"));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray& p : f.readAll().split(' '))
            if (p.trimmed().toInt() > 0)
                out.push_back(p.trimmed().toInt());
    }
    return out;
}

QString where(const std::vector<PlainJson>& lines)
{
    QString s;
    for (const PlainJson& j : lines)
        s += QString::fromStdString(j.dump()) + "\n";
    return s;
}

} // namespace

class TestTracerHelper : public QObject {
    Q_OBJECT

    QByteArray host_before_;

private slots:
    void init() { host_before_ = test::host_mountinfo(); }
    void cleanup() { QCOMPARE(test::host_mountinfo(), host_before_); }

    void anyArgument_isRefusedWithAReason()
    {
        MOUNTLAB_REQUIRE_ROOT();
        for (const QStringList& args : {QStringList{"--all"}, QStringList{"--pid", "1"}, QStringList{""}}) {
            const Refusal r = run_refused(MOUNTLAB_TRACER, args);
            QCOMPARE(r.exit_code, 1);
            QVERIFY2(r.line.is_object() && json_string(r.line, "kind") == "tracer", r.err.constData());
            QCOMPARE(json_bool(r.line, "ready", true), false);
            const std::string why = json_string(r.line, "error");
            QVERIFY2(why.find("takes no arguments") != std::string::npos, why.c_str());
            QVERIFY2(why.find("`" + args[0].toStdString() + "`") != std::string::npos, why.c_str());
        }
    }

    void notRoot_isRefused()
    {
        MOUNTLAB_REQUIRE_ROOT(); // to become nobody
        const Refusal r = run_refused("setpriv", {"--reuid=65534", "--regid=65534", "--clear-groups", MOUNTLAB_TRACER});
        QCOMPARE(r.exit_code, 1);
        QCOMPARE(json_bool(r.line, "ready", true), false);
        const std::string why = json_string(r.line, "error");
        QVERIFY2(why.find("needs root") != std::string::npos, why.c_str());
    }

    // pkexec names the caller in PKEXEC_UID; the parent (here: this test, root) must
    // be that caller's, or the helper would trace another user's processes.
    void pkexecUidNotOwningTheParent_isRefused()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const Refusal r = run_refused("env", {"PKEXEC_UID=65534", MOUNTLAB_TRACER});
        QCOMPARE(r.exit_code, 1);
        QCOMPARE(json_bool(r.line, "ready", true), false);
        const std::string why = json_string(r.line, "error");
        QVERIFY2(why.find("belongs to uid 0, not to the caller (uid 65534)") != std::string::npos, why.c_str());

        for (const char* bad : {"PKEXEC_UID=", "PKEXEC_UID=0x0", "PKEXEC_UID=4294967295", "PKEXEC_UID=-1"}) {
            const Refusal b = run_refused("env", {bad, MOUNTLAB_TRACER});
            QCOMPARE(b.exit_code, 1);
            QVERIFY2(json_string(b.line, "error").find("is not a uid") != std::string::npos, bad);
        }
    }

    // The stream: ready; the calls of a child the parent forked afterwards (its own
    // namespace, its mount); none of the parent's own calls but its sync marks; none
    // of an unrelated process's. Then the parent exits, and the helper with it.
    void tracesTheParentsNewChildren_notTheParent_andEndsWithIt()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::string own = tmp.path().toStdString();
        HelperParent p([own](pid_t, int go) {
            if (!wait_for_go(go))
                return 1;
            // The parent's own calls: never reported.
            if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
                mount("mlparentown", own.c_str(), "tmpfs", 0, nullptr) != 0 || umount2(own.c_str(), 0) != 0)
                return 2;
            sync_mark("test-own");
            if (fork_child_that_mounts("mlhelperchild") != 0)
                return 3;
            if (!wait_for_go(go))
                return 4;
            sync_mark("test-end");
            (void)wait_for_go(go); // until the test lets it exit
            return 0;
        });
        QVERIFY(p.helper() > 0);
        const std::string hello = p.line();
        QVERIFY2(is_ready(hello, p.pid()), hello.c_str());

        p.go();
        // A process outside the parent's tree mounts too: it must not appear.
        QCOMPARE(test::in_private_mount_namespace([] { return mount("mldecoy", "/mnt", "tmpfs", 0, nullptr) ? 1 : 0; }),
                 0);
        p.go();
        const std::vector<PlainJson> lines = lines_until_mark(p, "test-end");
        QVERIFY2(lines.back().is_object(), qPrintable("no end mark:\n" + where(lines)));

        std::vector<std::string> child_calls, marks;
        for (const PlainJson& j : lines) {
            QVERIFY2(j.is_object(), qPrintable(where(lines)));
            const std::string kind = json_string(j, "kind");
            if (kind == "sync") {
                QCOMPARE(j.size(), std::size_t(2)); // {"kind":"sync","mark":...} and nothing of the call
                marks.push_back(json_string(j, "mark"));
                continue;
            }
            QVERIFY2(kind == "syscall" || kind == "exec", qPrintable(where(lines)));
            QVERIFY2(json_int(j, "pid", 0) != p.pid(), qPrintable("a call of the parent itself:\n" + where(lines)));
            if (kind == "syscall")
                child_calls.push_back(json_string(j, "text"));
        }
        const std::vector<std::string> want_marks = {std::string(lab::kSyncPrefix) + "test-own",
                                                     std::string(lab::kSyncPrefix) + "test-end"};
        QVERIFY(marks == want_marks);
        const std::vector<std::string> want_calls = {"unshare(CLONE_NEWNS) = 0",
                                                     "mount(\"none\", \"/\", NULL, MS_REC|MS_PRIVATE, NULL) = 0",
                                                     "mount(\"mlhelperchild\", \"/mnt\", \"tmpfs\", 0, NULL) = 0"};
        QVERIFY2(child_calls == want_calls, qPrintable(where(lines)));
        const QString all = where(lines);
        QVERIFY(!all.contains("mlparentown") && !all.contains("mldecoy"));

        // The parent exits: the helper ends, and its stream with it.
        p.let_exit();
        QCOMPARE(p.wait(), 0);
        const double gone = seconds_until_gone(p.helper_pidfd(), 8000);
        bool eof = false;
        QVERIFY(p.line(2000, &eof).empty() && eof);
        QVERIFY2(gone >= 0, "the helper outlived its parent by 8 s");
        qInfo("the helper was gone %.3f s after its parent exited", gone);
    }

    // The engine closing the helper's stdout ends it (the GUI and engine died, or the
    // engine dropped the feed), with nothing on the machine making a traced call.
    void endsWhenTheReaderClosesItsStdout()
    {
        MOUNTLAB_REQUIRE_ROOT();
        HelperParent p([](pid_t, int go) {
            (void)wait_for_go(go);
            return 0;
        });
        const std::string hello = p.line();
        QVERIFY2(is_ready(hello, p.pid()), hello.c_str());
        p.close_out();
        const double gone = seconds_until_gone(p.helper_pidfd(), 8000);
        QVERIFY2(gone >= 0, "the helper still ran 8 s after its reader closed the pipe");
        qInfo("the helper was gone %.3f s after its reader closed the pipe (its parent still running)", gone);
        QVERIFY(kill(p.pid(), 0) == 0); // it was the pipe, not the parent
    }

    // A reader that does not read (the pipe full after a flood of calls) must not keep
    // the root helper alive once its caller is gone.
    void endsWithItsCaller_evenWhenNobodyReadsIt()
    {
        MOUNTLAB_REQUIRE_ROOT();
        HelperParent p([](pid_t, int go) {
            if (!wait_for_go(go))
                return 1;
            const pid_t c = fork();
            if (c == 0) {
                // Far more than a pipe holds: 2,000 mounts and unmounts in a private namespace.
                if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
                    _exit(1);
                for (int i = 0; i < 2000; ++i)
                    if (mount("flood", "/mnt", "tmpfs", 0, "size=4k") == 0)
                        umount2("/mnt", 0);
                _exit(0);
            }
            int st = 0;
            waitpid(c, &st, 0);
            (void)wait_for_go(go);
            return 0;
        });
        const std::string hello = p.line();
        QVERIFY2(is_ready(hello, p.pid()), hello.c_str());
        p.go(); // the flood; the test reads nothing from here on
        QThread::msleep(1500);
        p.let_exit(); // the caller exits
        QCOMPARE(p.wait(), 0);
        const double gone = seconds_until_gone(p.helper_pidfd(), 8000);
        QVERIFY2(gone >= 0, "the helper still ran 8 s after its caller exited, blocked on a reader that does not read");
        qInfo("the helper was gone %.3f s after its caller exited (its output unread)", gone);
    }

    // A child that execs a setuid program runs with credentials that are not the
    // caller's: from that exec on it is not traced (its mount calls, which may carry
    // another user's secrets in their options, do not reach the caller). The same
    // program without the setuid bit is traced.
    void aSetuidExec_isNotTraced()
    {
        MOUNTLAB_REQUIRE_ROOT(); // to make a setuid-root program and run it as nobody
        QTemporaryDir dir;
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther |
                                              QFile::ExeOther);
        const QString plain = dir.filePath(QStringLiteral("plain-busybox"));
        const QString setuid = dir.filePath(QStringLiteral("setuid-busybox"));
        QVERIFY(QFile::copy(QStringLiteral("/bin/busybox"), plain) &&
                QFile::copy(QStringLiteral("/bin/busybox"), setuid));
        QVERIFY(chmod(plain.toUtf8().constData(), 0755) == 0 && chmod(setuid.toUtf8().constData(), 04755) == 0);
        const std::string plain_path = plain.toStdString(), setuid_path = setuid.toStdString();
        HelperParent p([&](pid_t, int go) {
            if (!wait_for_go(go))
                return 1;
            for (const std::string* prog : {&plain_path, &setuid_path}) {
                const pid_t c = fork();
                if (c == 0) {
                    // As nobody (real, effective and saved), then the program.
                    if (setgroups(0, nullptr) != 0 || setresgid(65534, 65534, 65534) != 0 ||
                        setresuid(65534, 65534, 65534) != 0)
                        _exit(2);
                    const std::string marker = "/ml-" + prog->substr(prog->rfind('/') + 1) + "-marker";
                    execl(prog->c_str(), "umount", marker.c_str(), static_cast<char*>(nullptr));
                    _exit(127);
                }
                int st = 0;
                waitpid(c, &st, 0);
            }
            sync_mark("setuid-end");
            (void)wait_for_go(go);
            return 0;
        });
        QVERIFY2(is_ready(p.line(), p.pid()), "the helper did not start");
        p.go();
        const std::vector<PlainJson> lines = lines_until_mark(p, "setuid-end");
        const QString all = where(lines);
        QVERIFY2(lines.back().is_object(), qPrintable("no end mark:\n" + all));
        QVERIFY2(all.contains(QLatin1String("/ml-plain-busybox-marker")),
                 qPrintable("the plain program was not traced:\n" + all));
        QVERIFY2(!all.contains(QLatin1String("setuid-busybox")), qPrintable("the setuid program was traced:\n" + all));
    }

    void endsOnSigterm()
    {
        MOUNTLAB_REQUIRE_ROOT();
        HelperParent p([](pid_t helper, int go) {
            (void)wait_for_go(go);
            int st = 0;
            waitpid(helper, &st, 0);
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        });
        const std::string hello = p.line();
        QVERIFY2(is_ready(hello, p.pid()), hello.c_str());
        QCOMPARE(kill(p.helper(), SIGTERM), 0);
        const double gone = seconds_until_gone(p.helper_pidfd(), 8000);
        QVERIFY2(gone >= 0, "the helper still ran 8 s after SIGTERM");
        qInfo("the helper was gone %.3f s after SIGTERM", gone);
        p.let_exit();
        QCOMPARE(p.wait(), 0); // the helper's own status: a clean stop
    }

    // Its stdin is never read: commands written there stay in the pipe and change
    // nothing in what it reports. (HelperFeed gives it /dev/null; see below.)
    void readsNothingFromStdin()
    {
        MOUNTLAB_REQUIRE_ROOT();
        int in[2];
        QVERIFY(pipe2(in, O_CLOEXEC) == 0);
        HelperParent p(
            [](pid_t, int go) {
                for (int round = 1; wait_for_go(go); ++round)
                    sync_mark(fmt::format("stdin-{}", round));
                return 0;
            },
            in[0]);
        close(in[0]);
        const std::string hello = p.line();
        QVERIFY2(is_ready(hello, p.pid()), hello.c_str());
        const std::string commands = "--all\n--pid 1\n{\"cmd\":\"exec\",\"argv\":[\"id\"]}\n{\"trace_all\":true}\n";
        QCOMPARE(write(in[1], commands.data(), commands.size()), ssize_t(commands.size()));
        p.go();
        const std::vector<PlainJson> lines = lines_until_mark(p, "stdin-1");
        QCOMPARE(lines.size(), std::size_t(1)); // only the mark: nothing it was told to trace
        int unread = -1;
        QCOMPARE(ioctl(in[1], FIONREAD, &unread), 0);
        QCOMPARE(unread, static_cast<int>(commands.size()));
        close(in[1]);
        // Its stdin at EOF changes nothing either.
        p.go();
        QCOMPARE(lines_until_mark(p, "stdin-2").size(), std::size_t(1));
        QVERIFY(kill(p.helper(), 0) == 0);
    }

    // The engine's side: HelperFeed started with the helper itself (as
    // MOUNTLAB_TRACER_LAUNCHER="" does for a root engine). A child that mounts in its
    // own namespace shows in drain(), and across rounds of 1,000 calls made before a
    // drain nothing is lost and nothing comes late: the sync mark closes each round.
    void helperFeed_drainHoldsEveryCallMadeBeforeIt()
    {
        MOUNTLAB_REQUIRE_ROOT();
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::string target = tmp.path().toStdString();
        const std::vector<pid_t> before = children_of_self();
        auto feed = lab::HelperFeed::start({MOUNTLAB_TRACER}, 20000);
        QVERIFY2(feed, feed ? "" : feed.error().message.c_str());
        QCOMPARE(json_int((*feed)->hello(), "tracing", -1), static_cast<long long>(getpid()));

        // Its stdin is /dev/null: nothing the engine reads or writes reaches it.
        pid_t helper = -1;
        for (pid_t c : children_of_self())
            if (std::find(before.begin(), before.end(), c) == before.end())
                helper = c;
        QVERIFY(helper > 0);
        QCOMPARE(QFile::symLinkTarget(QStringLiteral("/proc/%1/fd/0").arg(helper)), QStringLiteral("/dev/null"));
        // And no other /dev/null was opened for it: the descriptor its stdin was copied
        // from did not follow it through exec (one this process holds without
        // close-on-exec, as a shell may hand it, is inherited, not ours to judge).
        const QDir fds(QStringLiteral("/proc/%1/fd").arg(helper));
        for (const QString& fd : fds.entryList(QDir::NoDotAndDotDot | QDir::System))
            if (fd != QLatin1String("0") && QFile::symLinkTarget(fds.filePath(fd)) == QLatin1String("/dev/null"))
                QVERIFY2(QFile::symLinkTarget(QStringLiteral("/proc/self/fd/") + fd) == QLatin1String("/dev/null"),
                         qPrintable("fd " + fd + " of the helper is a /dev/null of its own"));

        // This process is the helper's parent: its own calls are not in the feed.
        (void)umount2("/no-such-mountlab-own-call", 0);
        auto first = (*feed)->drain();
        QVERIFY2(first, first ? "" : first.error().message.c_str());
        QVERIFY2(first->empty(), first->empty() ? "" : first->front().dump().c_str());

        constexpr int kPairs = 500;
        for (int round = 0; round < 5; ++round) {
            const int rc = test::in_private_mount_namespace([&] {
                for (int i = 0; i < kPairs; ++i)
                    if (mount("mlfeed", target.c_str(), "tmpfs", 0, nullptr) != 0 || umount2(target.c_str(), 0) != 0)
                        return 1;
                return 0;
            });
            QCOMPARE(rc, 0);
            auto calls = (*feed)->drain();
            QVERIFY2(calls, calls ? "" : calls.error().message.c_str());
            int mounts = 0, umounts = 0;
            for (const auto& c : *calls) {
                QCOMPARE(json_string(c, "kind"), std::string("syscall"));
                QVERIFY(json_int(c, "pid", 0) != getpid());
                const std::string name = json_string(c, "name");
                mounts += name == "mount" && json_string(c["args"], "source") == "mlfeed";
                umounts += name == "umount2";
            }
            // + unshare and making / rprivate, from in_private_mount_namespace
            QCOMPARE(calls->size(), std::size_t(2 * kPairs + 2));
            QCOMPARE(mounts, kPairs);
            QCOMPARE(umounts, kPairs);
        }
        auto after = (*feed)->drain();
        QVERIFY(after && after->empty()); // nothing came late
    }
};

QTEST_GUILESS_MAIN(TestTracerHelper)
#include "tst_tracer_helper.moc"
