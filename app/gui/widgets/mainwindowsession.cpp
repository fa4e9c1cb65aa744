// MainWindow: starting a session (live, a recording, explore) and the banner that says which.
#include "mainwindow.h"

#include "exploremode.h"
#include "mounttreeitem.h"
#include "steppanel.h"
#include "terminalpane.h"

#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>

namespace mountlab::gui {

bool MainWindow::startLiveInteractive()
{
    // The engine runs as the user; it asks for root (pkexec) only for its tracer, and
    // says in the session how the trace went.
    return startLive(qEnvironmentVariableIsSet("MOUNTLAB_NO_TRACE") ? EngineClient::Tracing::None
                                                                    : EngineClient::Tracing::Auto);
}

// Back to an empty session, before a live engine or a recording feeds it.
void MainWindow::clearSession()
{
    m_explore->stop();
    m_scene->tree()->setForests(&m_session.host(), &m_session.container());
    m_session.clear();
    m_scene->refresh(false); // the tree's layout follows the emptied forests at once
    m_driver.clear();
    m_traceStep = -1;
    applyTraceScope();
    m_terminalPane->clearTerminals();
    m_savedEvents = 0;
    m_lessonWarnings.clear();
}

bool MainWindow::startLive(EngineClient::Tracing tracing)
{
    clearSession();
    QString error;
    if (!m_engine.startAgent(tracing, &error)) {
        if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::critical(this, tr("The engine cannot start"), error);
        statusBar()->showMessage(error);
        return false;
    }
    // The lessons first: the walkthrough event that answers "list" closes the catalogue.
    m_engine.send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("lessons")}});
    m_engine.send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("list")}});
    updateBanner();
    updateStepPanel();
    return true;
}

bool MainWindow::openRecording(const QString& path)
{
    clearSession();
    QString error;
    if (!m_engine.openRecording(path, &error)) {
        if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::warning(this, tr("Not a recording"), error);
        statusBar()->showMessage(error);
        return false;
    }
    updateBanner();
    updateStepPanel();
    return true;
}

bool MainWindow::useLessons(const QString& path, QString* error)
{
    auto pack = std::make_unique<LessonPack>();
    if (!pack->open(path, error))
        return false;
    m_engine.setLessonsDir(pack->lessonsDir());
    m_pack = std::move(pack); // the old staged copy goes after the new engine is told
    return true;
}

bool MainWindow::openLessons(const QString& path)
{
    QString error;
    if (!useLessons(path, &error)) {
        if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            QMessageBox::warning(this, tr("Not a lesson pack"), error);
        statusBar()->showMessage(tr("Lessons not opened: %1").arg(error), 15000);
        return false;
    }
    return startLiveInteractive();
}

// The engine's message, with a pack's staged files named as the teacher knows them. A
// lesson of the pack the engine could not read is kept, and told once the catalogue is in.
QString MainWindow::engineText(const QString& message)
{
    if (!m_pack)
        return message;
    const QString shown = m_pack->describe(message);
    if (m_pack->namesMember(shown) && !m_lessonWarnings.contains(shown))
        m_lessonWarnings << shown;
    return shown;
}

void MainWindow::tellLessonWarnings()
{
    if (m_lessonWarnings.isEmpty() || !m_pack)
        return;
    // What the engine said of the pack's files (a file may have several problems).
    const QString text = tr("Lessons of %1 the engine could not read: %2")
                             .arg(m_pack->name(), m_lessonWarnings.join(QStringLiteral("; ")));
    statusBar()->showMessage(text, 30000);
    if (!qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS")) {
        QMessageBox box(QMessageBox::Warning, tr("Lessons not read"), text, QMessageBox::Ok, this);
        box.setTextFormat(Qt::PlainText); // member names and YAML come from the pack
        box.exec();
    }
}

bool MainWindow::openBuiltinLessons()
{
    m_engine.setLessonsDir({});
    m_pack.reset();
    return startLiveInteractive();
}

bool MainWindow::startExplore(const QString& mountinfoFile)
{
    if (!m_explore->start(mountinfoFile)) {
        statusBar()->showMessage(tr("Cannot read the mount table"));
        return false;
    }
    m_driver.unshowStep();
    updateBanner();
    updateStepPanel();
    return true;
}

void MainWindow::updateBanner()
{
    NavigatorModel* nav = m_session.navigator();
    const int activeSize = nav->groupSize(nav->active());
    const int ranInActive = std::clamp(nav->current() - nav->groupStart(nav->active()), 0, activeSize);
    QStringList parts;
    parts << QStringLiteral("<b>MountLab</b>");
    if (m_explore->active()) {
        parts << tr("exploring this machine (read only)");
    } else {
        if (nav->stepCount())
            parts
                << tr("lesson: %1 · %2/%3 steps run").arg(nav->name().toHtmlEscaped()).arg(ranInActive).arg(activeSize);
        if (replay()) {
            parts
                << tr("<span style='background:%1;color:%2'>&nbsp;REPLAY&nbsp;</span> of %3 — a recording, nothing runs; no privilege needed")
                       .arg(m_theme.replayBadge.name(), m_theme.replayBadgeText.name(),
                            m_engine.recordingPath().isEmpty() ? tr("a session")
                                                               : m_engine.recordingPath().toHtmlEscaped());
        } else if (live()) {
            parts << liveBannerParts();
            if (m_pack)
                parts << tr("lessons: %1").arg(m_pack->name().toHtmlEscaped());
        } else {
            parts << tr("no engine running");
        }
    }
    m_banner->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    setWindowTitle(nav->stepCount() && !m_explore->active() ? tr("MountLab — %1 %2/%3%4")
                                                                  .arg(nav->name())
                                                                  .arg(ranInActive)
                                                                  .arg(activeSize)
                                                                  .arg(replay() ? tr(" (replay)") : QString())
                                                            : tr("MountLab"));
    if (m_pack && live())
        setWindowTitle(windowTitle() + tr(" — lessons: %1").arg(m_pack->name()));
    if (!m_explore->active())
        updateTreeTitles();
}

// A live lab: who runs the engine, how it is traced (the trace tab's note says why
// not), the kernel.
QStringList MainWindow::liveBannerParts()
{
    QStringList parts;
    const QJsonObject s = m_session.sessionInfo();
    // The engine is the user's; the lab is a user namespace; root, if any, is
    // only the tracer helper's.
    parts << (EngineClient::isRoot() ? tr("engine: root; lab: a user namespace")
                                     : tr("engine: you; lab: a user namespace"));
    const QString via = s.value(QLatin1String("trace_via")).toString();
    const QString unavailable = s.value(QLatin1String("trace_unavailable")).toString();
    QString trace;
    if (m_session.traceSource() == QLatin1String("bpf"))
        trace = via == QLatin1String("mountlab-tracer") ? tr("eBPF live (mountlab-tracer, the only part run as root)")
                                                        : tr("eBPF live");
    else if (m_engine.tracerRunning())
        trace = tr("eBPF live (mountlab-cli trace)");
    else if (m_session.traceSource() == QLatin1String("mountinfo"))
        trace = tr("no eBPF: table changes only");
    else
        trace = tr("no trace");
    parts << tr("trace: %1").arg(trace.toHtmlEscaped());
    const bool traced = m_session.traceSource() == QLatin1String("bpf") || m_engine.tracerRunning();
    m_traceNote->setText(traced ? QString()
                                : tr("No system calls here: %1. The trees still show every change.")
                                      .arg(unavailable.isEmpty() ? tr("eBPF tracing needs root") : unavailable));
    if (s.contains(QLatin1String("kernel")))
        parts << tr("kernel %1").arg(s.value(QLatin1String("kernel")).toString().toHtmlEscaped());
    return parts;
}

// The trees' titles: each side's mount namespace, and whose the container's is.
void MainWindow::updateTreeTitles()
{
    const QJsonObject s = m_session.sessionInfo();
    const quint64 hostNs =
        m_session.host().mntns ? m_session.host().mntns : quint64(s.value(QLatin1String("host_mntns")).toDouble());
    const MountForest& c = m_session.container();
    const quint64 containerNs = c.mntns;
    // After `unshare --mount bash` or `chroot DIR` typed in the terminal, the container
    // tree is that shell's: say whose.
    const QString whose = c.viewPid > 0 ? tr("CONTAINER · %1 in the terminal").arg(c.viewComm) : tr("CONTAINER");
    m_scene->tree()->setTitles(tr("LAB HOST · mnt ns %1").arg(hostNs),
                               containerNs && containerNs == hostNs
                                   ? tr("%1 · not unshared yet: the lab host's table").arg(whose)
                                   : tr("%1 · mnt ns %2").arg(whose).arg(containerNs));
}

} // namespace mountlab::gui
