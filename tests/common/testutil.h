// Helpers shared by the tests.
#pragma once

#include <QString>
#include <QStringList>
#include <QtTest>

#include <functional>
#include <string>

namespace mountlab::test {

// Why privileged tests cannot run here, or "" when they can (root).
QString privilege_missing();

// Skip a test that needs root, or fail it when CI demands privileged tests
// (MOUNTLAB_REQUIRE_PRIVILEGED=1).
#define MOUNTLAB_REQUIRE_ROOT()                                                                                        \
    do {                                                                                                               \
        const QString why_ = ::mountlab::test::privilege_missing();                                                    \
        if (!why_.isEmpty()) {                                                                                         \
            if (qEnvironmentVariableIntValue("MOUNTLAB_REQUIRE_PRIVILEGED"))                                           \
                QFAIL(qPrintable("MOUNTLAB_REQUIRE_PRIVILEGED is set but this test cannot run: " + why_));             \
            QSKIP(qPrintable(why_));                                                                                   \
        }                                                                                                              \
    } while (0)

QString data_path(const QString& relative);
QStringList mountinfo_fixtures();

struct ProcessResult {
    int exit_code = -1;
    QByteArray out;
    QByteArray err;
};
ProcessResult run(const QString& program, const QStringList& args, const QByteArray& input = {},
                  int timeout_ms = 60000);
ProcessResult run_cli(const QStringList& args, const QByteArray& input = {});

// Runs fn in a forked child that has its own mount namespace with "/" made rprivate,
// so nothing it mounts reaches this machine's table. Returns fn's exit status, or -1
// with the reason in *why. Output comes back through files the caller names.
int in_private_mount_namespace(const std::function<int()>& fn, QString* why = nullptr);

// This process's /proc/self/mountinfo, to prove a test left the real table unchanged.
QByteArray host_mountinfo();

} // namespace mountlab::test
