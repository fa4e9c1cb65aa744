// pivot_root's documented causes (pivot_root(2), fs/namespace.c), each named from the
// caller's table as the engine names it: one table per cause, written as the kernel writes
// mountinfo. The causes the lab can produce are also shown on the kernel (tst_lab's
// pivotRoot_* cases, lessons 08, 10 and 11); the rootfs one it cannot (no lab process can
// have the namespace's root mount as its root), so this is where it is held true.
#include "lab/pivotcause.h"
#include "mount/mountinfo.h"

#include <QtTest>

#include <cerrno>

using namespace mountlab;

namespace {
QString cause(int err, const char* table, const char* new_root, const char* put_old)
{
    const MountTree t(parse_mountinfo(table, "test"));
    return QString::fromStdString(lab::explain_pivot_root(err, t, new_root, put_old));
}

// A container's table: its root (parent outside the table), an overlay under it.
const char* kContainer = "30 21 0:40 / / rw,relatime - tmpfs labhost rw\n"
                         "31 30 0:41 / /newroot rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n";
} // namespace

class TestPivotCause : public QObject {
    Q_OBJECT
private slots:
    void rootfs_isTheAbsoluteRoot_useSwitchRoot()
    {
        // An initramfs: / is the rootfs, the namespace's root mount (its own parent).
        const char* t = "1 1 0:2 / / rw - rootfs rootfs rw\n"
                        "22 1 0:30 / /newroot rw,relatime - ext4 /dev/vda1 rw\n";
        const QString c = cause(EINVAL, t, "/newroot", "/newroot/old");
        QVERIFY2(c.contains("namespace's own root mount") && c.contains("switch_root"), qPrintable(c));
    }

    void sharedParent_isNamedWithItsGroup()
    {
        const char* t = "30 21 0:40 / / rw,relatime shared:1 - tmpfs labhost rw\n"
                        "31 30 0:41 / /newroot rw,relatime - overlay overlay rw\n";
        const QString c = cause(EINVAL, t, "/newroot", "/newroot/old");
        QVERIFY2(c.contains("parent of new_root's mount (`/`) is shared (shared:1)"), qPrintable(c));
    }

    void putOldOnASharedMount_comesFirst()
    {
        const char* t = "30 21 0:40 / / rw,relatime - tmpfs labhost rw\n"
                        "31 30 0:41 / /newroot rw,relatime shared:7 - overlay overlay rw\n";
        const QString c = cause(EINVAL, t, "/newroot", "/newroot/old");
        QVERIFY2(c.contains("put_old `/newroot/old` is on a shared mount") && c.contains("shared:7"), qPrintable(c));
    }

    void aDirectoryOnTheRootsMount_isEbusyOrTheLockedEinval()
    {
        const QString busy = cause(EBUSY, kContainer, "/srv/rootfs", "/srv/rootfs/old");
        QVERIFY2(busy.contains("lies on the current root's mount") && !busy.contains("locked"), qPrintable(busy));
        const QString locked = cause(EINVAL, kContainer, "/srv/rootfs", "/srv/rootfs/old");
        QVERIFY2(locked.contains("which is locked") && locked.contains("mount --bind /srv/rootfs /srv/rootfs"),
                 qPrintable(locked));
    }

    void aDirectoryInsideAnotherMount_isNotAMountPoint()
    {
        const QString c = cause(EINVAL, kContainer, "/newroot/app", "/newroot/app/old");
        QVERIFY2(c.contains("`/newroot/app` is not a mount point") && !c.contains("locked"), qPrintable(c));
    }

    void putOldOutsideNewRoot_isNamed()
    {
        const char* t = "30 21 0:40 / / rw,relatime - tmpfs labhost rw\n"
                        "31 30 0:41 / /newroot rw,relatime - overlay overlay rw\n"
                        "32 30 0:42 / /other rw,relatime - tmpfs other rw\n";
        const QString c = cause(EINVAL, t, "/newroot", "/other/old");
        QVERIFY2(c.contains("put_old `/other/old` is not at or underneath new_root `/newroot`"), qPrintable(c));
    }

    void aMountPointWithNothingElseWrong_isMostLikelyLocked()
    {
        const QString c = cause(EINVAL, kContainer, "/newroot", "/newroot/old");
        QVERIFY2(c.contains("most likely a locked one (MNT_LOCKED)"), qPrintable(c));
    }

    void otherErrnos_haveTheirOwnCauses()
    {
        QVERIFY(cause(EPERM, kContainer, "/newroot", "/newroot/old").contains("CAP_SYS_ADMIN"));
        QVERIFY(cause(ENOTDIR, kContainer, "/newroot", "/newroot/old").contains("not a directory"));
        QVERIFY(cause(ENOENT, kContainer, "/newroot", "/newroot/old").contains("does not exist"));
        QVERIFY(cause(EIO, kContainer, "/newroot", "/newroot/old").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPivotCause)
#include "tst_pivot_cause.moc"
