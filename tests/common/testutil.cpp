#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::test {

QString privilege_missing()
{
    if (geteuid() != 0)
        return QStringLiteral("needs root (mount namespaces and mounts); run as root or with sudo");
    return {};
}

QString data_path(const QString& relative) { return QStringLiteral(MOUNTLAB_TEST_DATA "/") + relative; }

QStringList mountinfo_fixtures()
{
    QDir dir(data_path("mountinfo"));
    QStringList out;
    for (const QString& f : dir.entryList({"*.mountinfo"}, QDir::Files, QDir::Name))
        out << dir.filePath(f);
    return out;
}

ProcessResult run(const QString& program, const QStringList& args, const QByteArray& input, int timeout_ms)
{
    QProcess p;
    p.start(program, args);
    ProcessResult r;
    if (!p.waitForStarted()) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeout_ms)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exit_code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

ProcessResult run_cli(const QStringList& args, const QByteArray& input) { return run(MOUNTLAB_CLI, args, input); }

int in_private_mount_namespace(const std::function<int()>& fn, QString* why)
{
    const pid_t pid = fork();
    if (pid < 0) {
        if (why)
            *why = QStringLiteral("fork: %1").arg(strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (unshare(CLONE_NEWNS) != 0)
            _exit(120);
        if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            _exit(121);
        _exit(fn());
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (why && code == 120)
            *why = QStringLiteral("unshare(CLONE_NEWNS) failed");
        if (why && code == 121)
            *why = QStringLiteral("making / rprivate failed");
        return code;
    }
    if (why)
        *why = QStringLiteral("child killed by signal %1").arg(WTERMSIG(status));
    return -1;
}

QByteArray host_mountinfo()
{
    QFile f("/proc/self/mountinfo");
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace mountlab::test
