// The agents the GUI tests start the window on: a stand-in that writes down each command
// line the window sends (the events are then fed by the test), or the real one.
#pragma once

#include "mainwindow.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QVector>
#include <QtTest>

#include <memory>

namespace gui_agents {

// $MOUNTLAB_CLI: a shell script appending each line it reads to a log.
class StandInAgent {
public:
    // Writes the script and points MOUNTLAB_CLI at it; false when it cannot.
    bool install()
    {
        if (!m_dir.isValid())
            return false;
        m_log = m_dir.filePath(QStringLiteral("sent.jsonl"));
        const QString agent = m_dir.filePath(QStringLiteral("agent.sh"));
        QFile f(agent);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(QStringLiteral("#!/bin/sh\nwhile IFS= read -r line; do printf '%s\\n' \"$line\" >> '%1'; done\n")
                    .arg(m_log)
                    .toUtf8());
        f.close();
        if (!f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
            return false;
        qputenv("MOUNTLAB_CLI", agent.toUtf8());
        return true;
    }
    [[nodiscard]] QString dir() const { return m_dir.path(); }
    void forget() const { QFile::remove(m_log); } // a test's commands, before the next test

    // The commands the window sent, one JSON object a line.
    [[nodiscard]] QVector<QJsonObject> sent() const
    {
        QVector<QJsonObject> out;
        QFile f(m_log);
        if (f.open(QIODevice::ReadOnly))
            for (const QByteArray& l : f.readAll().split('\n'))
                if (!l.trimmed().isEmpty())
                    out << QJsonDocument::fromJson(l).object();
        return out;
    }
    [[nodiscard]] int sentCount(const QString& cmd) const
    {
        int n = 0;
        for (const QJsonObject& o : sent())
            n += o.value(QLatin1String("cmd")).toString() == cmd;
        return n;
    }

private:
    QTemporaryDir m_dir;
    QString m_log;
};

// A window of `size` on the real agent (next to the GUI), the catalogue and the first
// tables in; the caller checks what it needs (a failure to start shows in stderrText()).
inline std::unique_ptr<mountlab::gui::MainWindow> liveWindow(const QSize& size)
{
    qunsetenv("MOUNTLAB_CLI");
    auto w = std::make_unique<mountlab::gui::MainWindow>();
    w->resize(size);
    w->show();
    if (!QTest::qWaitForWindowActive(w.get()))
        return w;
    if (!w->startLive(mountlab::gui::EngineClient::Tracing::None))
        return w;
    (void)QTest::qWaitFor([&] { return w->session()->catalogueComplete() && w->session()->host().size() > 0; }, 30000);
    return w;
}

} // namespace gui_agents
