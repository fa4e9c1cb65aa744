#include "mountinfofields.h"

#include "mount/mountinfo.h"

#include <QStringList>

namespace mountlab::gui {

QString explainOptionalField(const QString& tag)
{
    const QString value = tag.section(QLatin1Char(':'), 1);
    if (tag.startsWith(QLatin1String("shared:")))
        return QStringLiteral(
                   "peer group %1: mounts and unmounts here propagate to every peer (and every peer's to here)")
            .arg(value);
    if (tag.startsWith(QLatin1String("master:")))
        return QStringLiteral(
                   "slave of peer group %1: mounts and unmounts in that group propagate here, never the other way")
            .arg(value);
    if (tag.startsWith(QLatin1String("propagate_from:")))
        return QStringLiteral("receives from peer group %1 (the nearest dominant group this namespace can see)")
            .arg(value);
    if (tag == QLatin1String("unbindable"))
        return QStringLiteral("unbindable: it cannot be bind-mounted, so a recursive bind skips it");
    return QStringLiteral("an optional field this version does not explain");
}

QVector<MountinfoField> explainMountinfoLine(const QString& line)
{
    const std::string text = line.toStdString();
    const MountTable table = parse_mountinfo(text);
    if (table.mounts.empty())
        return {};
    const Mount& m = table.mounts.front();
    auto q = [](const std::string& s) { return QString::fromStdString(s); };
    QVector<MountinfoField> f;
    f.push_back({QStringLiteral("mount ID"), QString::number(m.id),
                 QStringLiteral("unique among the kernel's mounts, in every namespace (a new namespace's copies get "
                                "IDs of their own); reused after an unmount")});
    f.push_back({QStringLiteral("parent ID"), QString::number(m.parent_id),
                 m.parent_id == m.id
                     ? QStringLiteral("itself: the root of the namespace")
                     : QStringLiteral(
                           "the mount this one sits on (its ID, or one outside this namespace's view for the root)")});
    f.push_back(
        {QStringLiteral("major:minor"), QStringLiteral("%1:%2").arg(m.major).arg(m.minor),
         m.major == 0
             ? QStringLiteral("st_dev of the filesystem; major 0 means a virtual filesystem (tmpfs, proc, overlay)")
             : QStringLiteral("st_dev of the filesystem: the block device it lives on")});
    f.push_back({QStringLiteral("root"), q(m.root),
                 m.root == "/"
                     ? QStringLiteral("the whole filesystem is mounted")
                     : QStringLiteral("only this directory of the filesystem is mounted here (a bind mount)")});
    f.push_back({QStringLiteral("mount point"), q(m.target),
                 QStringLiteral("where it is mounted, relative to this process's root")});
    f.push_back(
        {QStringLiteral("mount options"), q(m.vfs_options),
         QStringLiteral(
             "per-mount options: another bind of the same filesystem can differ (ro, nosuid, nodev, noexec, atime)")});
    const QString optional = q(m.optional_fields);
    QStringList explained;
    for (const QString& tag : optional.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        explained << tag + QStringLiteral(": ") + explainOptionalField(tag);
    f.push_back({QStringLiteral("optional fields"), optional.isEmpty() ? QStringLiteral("(none)") : optional,
                 explained.isEmpty() ? QStringLiteral("none: the mount is private, nothing propagates to or from it")
                                     : explained.join(QLatin1Char('\n'))});
    f.push_back({QStringLiteral("separator"), QStringLiteral("-"),
                 QStringLiteral("ends the optional fields (there can be any number of them)")});
    f.push_back({QStringLiteral("filesystem type"), q(m.fstype), QStringLiteral("the filesystem driver")});
    f.push_back({QStringLiteral("source"), m.source.empty() ? QStringLiteral("(none)") : q(m.source),
                 QStringLiteral("the device, or any name the mount call gave for a virtual filesystem")});
    f.push_back({QStringLiteral("super options"), q(m.super_options),
                 m.fstype == "overlay"
                     ? QStringLiteral("per-superblock options; for overlay: lowerdir (top first), upperdir, workdir")
                     : QStringLiteral("per-superblock options: shared by every bind of this filesystem")});
    return f;
}

} // namespace mountlab::gui
