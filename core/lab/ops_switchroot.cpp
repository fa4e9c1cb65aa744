// runc's --no-pivot (libcontainer/rootfs_linux.go, msMoveRoot) and switch_root(8)'s
// last calls: the new root is moved onto "/" with MS_MOVE, then chroot("."), as lesson
// switch-root shows. Unlike pivot_root, nothing is unmounted: the old root stays in the
// mount namespace, under the new one.
#include "lab/operations.h"

#include "lab/pivotcause.h"
#include "mount/mountinfo.h"
#include "mount/mounttree.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {
std::string resolved(const std::string& p)
{
    char buf[PATH_MAX];
    return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

// Which of mount(2)'s documented EINVAL causes for MS_MOVE applies (fs/namespace.c,
// do_move_mount, tests them in this order: the source mounted here, not locked, the
// root of its mount, then "don't move a mount residing in a shared parent").
std::string move_cause(const std::string& source)
{
    auto t = read_mountinfo_file("/proc/self/mountinfo");
    if (!t)
        return {};
    const MountTree table(std::move(*t));
    const size_t m = mount_of_path(table, source);
    if (m == MountTree::npos || table[m].target != source)
        return fmt::format("`{}` is not a mount point: MS_MOVE moves a whole mount (bind a directory onto itself first)", source);
    if (table.parent_in_table(m) && table[table.parent(m)].shared != 0)
        return fmt::format("the mount `{}` resides under a shared mount (`{}`, shared:{}): moving it is invalid "
                           "(sharedsubtree.rst); make the parent private first",
                           source, table[table.parent(m)].target, table[table.parent(m)].shared);
    return fmt::format("`{}` may be locked: a mount inherited from a more privileged mount namespace cannot be moved", source);
}
} // namespace

OpResult move_root_runc_style(const std::string& new_root)
{
    const std::string nr = resolved(new_root);
    if (chdir(new_root.c_str()) != 0)
        return OpResult::from_errno(fmt::format("chdir `{}`", new_root));
    OpResult r;
    r.data["steps"] = Json::array({fmt::format("chdir(\"{}\")", nr)});
    if (mount(nr.c_str(), "/", nullptr, MS_MOVE, nullptr) != 0) {
        const int e = errno;
        OpResult f = OpResult::failure(e, system_error(e, fmt::format("mount --move `{}` `/`", nr)).message);
        if (e == EINVAL)
            f.cause = move_cause(nr);
        (void)!chdir("/");
        return f;
    }
    r.data["steps"].push_back(fmt::format("mount(\"{}\", \"/\", NULL, MS_MOVE, NULL)", nr));
    // The working directory is the moved mount's root: chroot(".") makes it this
    // process's root.
    if (chroot(".") != 0)
        return OpResult::from_errno("chroot `.`");
    r.data["steps"].push_back("chroot(\".\")");
    if (chdir("/") != 0)
        return OpResult::from_errno("chdir `/`");
    r.data["steps"].push_back("chdir(\"/\")");
    return r;
}

} // namespace mountlab::lab
