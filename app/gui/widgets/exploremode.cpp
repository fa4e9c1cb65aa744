#include "exploremode.h"

#include "mount/mountdiff.h"
#include "mounttreeitem.h"

#include <QTimer>
#include <unistd.h>

namespace mountlab::gui {

ExploreMode::ExploreMode(MountTreeScene* scene, QObject* parent) : QObject(parent), m_scene(scene) {}

Result<MountTable> ExploreMode::read() const
{
    return m_file.isEmpty() ? read_mountinfo_pid(::getpid()) : read_mountinfo_file(m_file.toStdString());
}

bool ExploreMode::start(const QString& mountinfoFile)
{
    m_file = mountinfoFile;
    const auto table = read();
    if (!table)
        return false;
    m_rows.clear();
    for (const Mount& m : table->mounts)
        m_rows << mountFromCore(m);
    m_machine.setMounts(m_rows);
    m_last = table->mounts;
    m_active = true;
    m_scene->tree()->setForests(&m_machine, nullptr);
    m_scene->tree()->setTitles(
        tr("THIS MACHINE · %1 mounts · %2")
            .arg(m_machine.size())
            .arg(mountinfoFile.isEmpty() ? QStringLiteral("/proc/self/mountinfo") : mountinfoFile),
        {});
    m_scene->refresh(false);
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &ExploreMode::refresh);
    }
    m_timer->start(1000);
    return true;
}

void ExploreMode::stop()
{
    m_active = false;
    if (m_timer)
        m_timer->stop();
}

void ExploreMode::refresh()
{
    if (!m_active)
        return;
    const auto table = read();
    if (!table)
        return;
    // Core's diff matches by mount ID, against the table read last time.
    const MountDiff d = diff(m_last, table->mounts);
    m_last = table->mounts;
    if (d.empty())
        return;
    m_machine.applyDiff(diffFromCore(d));
    m_scene->refresh(true);
}

} // namespace mountlab::gui
