#include "lab/pivotcause.h"

#include <cerrno>

namespace mountlab::lab {

namespace {
bool is_under(const std::string& path, const std::string& dir)
{
    if (dir == "/")
        return true;
    return path == dir ||
           (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}
} // namespace

size_t mount_of_path(const MountTree& table, const std::string& path)
{
    size_t best = MountTree::npos;
    size_t best_len = 0;
    for (size_t i = 0; i < table.size(); ++i) {
        if (!table.visible(i))
            continue;
        const std::string& t = table[i].target;
        if (is_under(path, t) && (best == MountTree::npos || t.size() > best_len)) {
            best = i;
            best_len = t.size();
        }
    }
    return best;
}

std::string explain_pivot_root(int err, const MountTree& table, const std::string& new_root, const std::string& put_old)
{
    const size_t root = mount_of_path(table, "/");
    const size_t nr = mount_of_path(table, new_root);
    const size_t old = mount_of_path(table, put_old);
    auto parent_shared = [&](size_t i) {
        return i != MountTree::npos && table.parent_in_table(i) && table[table.parent(i)].shared != 0;
    };
    auto name = [&](size_t i) { return i == MountTree::npos ? std::string("?") : table[i].target; };

    if (err == EBUSY || err == EINVAL) {
        // The kernel's order: propagation first, then the same-mount test (EBUSY), then
        // the mount-point and reachability tests.
        if (old != MountTree::npos && table[old].shared)
            return fmt::format("put_old `{}` is on a shared mount (`{}`, shared:{}): make it private first, e.g. "
                               "mount --make-rprivate /",
                               put_old, name(old), table[old].shared);
        if (parent_shared(nr))
            return fmt::format("the parent of new_root's mount (`{}`) is shared (shared:{}): pivot_root would "
                               "propagate; make it private first (mount --make-rprivate /)",
                               name(table.parent(nr)), table[table.parent(nr)].shared);
        if (parent_shared(root))
            return fmt::format("the parent of the current root's mount is shared (shared:{})",
                               table[table.parent(root)].shared);
        if (nr != MountTree::npos && nr == root) {
            if (table[nr].target == new_root)
                return "new_root is the current root: there is nothing to pivot to";
            // As real root the kernel says EBUSY ("new_root on the current root's mount").
            // Where that mount is locked (MNT_LOCKED: it came from a more privileged mount
            // namespace, and pivot_root hands the lock on to the root that replaces a
            // locked one, as the lab's own root did) the lock test comes first: EINVAL.
            if (err == EINVAL)
                return fmt::format("new_root `{}` is not a mount point: it lies on the current root's mount, which is "
                                   "locked (it came from a more privileged mount namespace; the kernel tests the lock "
                                   "before it would say EBUSY, as it does to a real root); bind-mount it onto itself "
                                   "first (mount --bind {} {}): a mount of this namespace's own",
                                   new_root, new_root, new_root);
            return fmt::format("new_root `{}` is not a mount point: it lies on the current root's mount; bind-mount "
                               "it onto itself first (mount --bind {} {})",
                               new_root, new_root, new_root);
        }
        if (old != MountTree::npos && old == root)
            return fmt::format("put_old `{}` is on the current root's mount: it must be at or under new_root", put_old);
        if (root == MountTree::npos || table[root].target != "/")
            return "the current root is not a mount point (after a chroot into a directory, for example)";
        // The kernel's "absolute root": the current root is the namespace's own root
        // mount, with no mount above it (its parent is itself: an initramfs's rootfs).
        if (table[root].parent_id == table[root].id)
            return "the current root is the mount namespace's own root mount (an initramfs's rootfs: its parent is "
                   "itself), which pivot_root cannot move; switch_root moves the new root onto / instead (MS_MOVE, then "
                   "chroot(\".\"); lesson switch-root)";
        if (nr == MountTree::npos || table[nr].target != new_root)
            return fmt::format("new_root `{}` is not a mount point: bind-mount it onto itself first "
                               "(mount --bind {} {})",
                               new_root, new_root, new_root);
        if (!is_under(put_old, new_root))
            return fmt::format("put_old `{}` is not at or underneath new_root `{}`", put_old, new_root);
        // Every cause the table shows is ruled out; what it cannot show is the lock
        // (lesson user-namespaces): a mount inherited into a mount namespace of a less
        // privileged user namespace is MNT_LOCKED, and pivot_root refuses it as new_root.
        if (err == EINVAL)
            return fmt::format("new_root `{}` is a mount point, but most likely a locked one (MNT_LOCKED): it was "
                               "inherited from a more privileged mount namespace (this one belongs to a user namespace "
                               "of its own), and pivot_root refuses a locked new_root; bind-mount it onto itself first "
                               "(mount --bind {} {}): a mount of this namespace's own",
                               new_root, new_root, new_root);
    }
    if (err == ENOTDIR)
        return "new_root or put_old is not a directory";
    if (err == EPERM)
        return "the caller lacks CAP_SYS_ADMIN in the user namespace that owns its mount namespace";
    if (err == ENOENT)
        return "new_root or put_old does not exist (or new_root was unlinked)";
    return {};
}

} // namespace mountlab::lab
