// Roots: chroot, the classic chroot escape, what isolation rests on (read, not attempted),
// pivot_root(2) as the man page and as runc do it.
#include "lab/operations.h"
#include "lab/ops/handlers.h"

#include "base/fd.h"
#include "base/jsonget.h"

#include "lab/pivotcause.h"
#include "mount/mounttree.h"

#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace mountlab::lab {

OpResult chroot_into(const std::string& path)
{
    if (chdir(path.c_str()) != 0)
        return OpResult::from_errno(fmt::format("chdir `{}`", path));
    if (chroot(".") != 0)
        return OpResult::from_errno(fmt::format("chroot `{}`", path));
    if (chdir("/") != 0)
        return OpResult::from_errno("chdir `/`");
    return {};
}

// The classic escape: chroot into a subdirectory while the working directory stays
// outside it, climb with "..", and chroot to where the climb stops. chroot(2) changes
// only the root used for path lookup; ".." stops at the root of the mount namespace,
// which after a plain chroot is the lab host's root. After pivot_root and detaching the
// old root, the namespace's root is the container's: there is nothing above it.
OpResult attempt_chroot_escape(const ProcessState& state)
{
    struct stat before {};
    stat("/", &before);
    auto answer = in_a_child([&] {
        Json out;
        std::string step = "mkdir";
        const char* jail = "/.chroot-escape";
        bool made = mkdir(jail, 0700) == 0;
        if (!made && errno != EEXIST)
            jail = "/tmp", step = "use /tmp";
        const UniqueFd outside(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        bool ok = outside && chroot(jail) == 0 && fchdir(outside.get()) == 0;
        int climbs = 0;
        if (ok) {
            for (; climbs < 256; ++climbs)
                if (chdir("..") != 0)
                    break;
            ok = chroot(".") == 0;
        }
        out["escape_syscalls_ok"] = ok;
        if (!ok)
            out["escape_error"] = errno_name(errno);
        struct stat root {};
        stat("/", &root);
        auto secret = read_text("/HOST_SECRET");
        auto host = read_text("/etc/hostname");
        out["secret_readable"] = secret.ok();
        if (secret)
            out["secret"] = *secret;
        out["hostname"] = host ? *host : std::string();
        if (!out["hostname"].get<std::string>().empty() && out["hostname"].get<std::string>().back() == '\n') {
            std::string h = out["hostname"];
            h.pop_back();
            out["hostname"] = h;
        }
        const bool at_lab = root.st_dev == state.lab_root_dev && root.st_ino == state.lab_root_ino;
        const bool at_own = root.st_dev == before.st_dev && root.st_ino == before.st_ino;
        out["landed"] = at_lab ? "lab host root" : at_own ? "container root" : "another directory";
        out["escaped"] = at_lab || (!at_own && secret.ok());
        out["climbs"] = climbs;
        return out;
    });
    if (!answer)
        return OpResult::failure(answer.error().errnum, answer.error().message);
    // The escape ran in a child: this process is where it was.
    rmdir("/.chroot-escape");
    OpResult res;
    res.data = std::move(*answer);
    if (res.data.is_discarded())
        return OpResult::failure(EPROTO, "the escape attempt did not report");
    return res;
}

namespace {
struct Identity {
    unsigned long long dev = 0, ino = 0, mnt = 0;
};
bool identity_of(int fd, Identity& i)
{
    struct statx sx {};
    if (statx(fd, "", AT_EMPTY_PATH, STATX_INO | 0x1000U /* STATX_MNT_ID */, &sx) != 0)
        return false;
    i.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
    i.ino = sx.stx_ino;
    i.mnt = (sx.stx_mask & 0x1000U) ? sx.stx_mnt_id : 0;
    return true;
}
Json identity_json(const Identity& i) { return Json{{"dev", i.dev}, {"ino", i.ino}, {"mnt_id", i.mnt}}; }
} // namespace

// What the container process's isolation rests on, read without attempting anything (an
// exercise's checks judge the state; the escape op is a step's demonstration):
// - "root": this process's root; "ns_root": the root of its mount namespace, as a child
//   that enters the namespace anew (setns through a pidfd, as nsenter does) finds it;
//   they differ when this process is chrooted (where ".." would climb to);
// - "lab_root": the lab host's root;
// - "procs": for each path asked (proc mounts, relative to the root), what "self" is in
//   it: this process's PID there (when its PID namespace is one this process is in);
// - "secret_at": each of the paths asked ("mounts") under which the lab host's
//   /HOST_SECRET is readable, by its content (an overlay shows a lower file under its own
//   device and inode, so only the content tells).
OpResult inspect_isolation(const Json& req, const ProcessState& state)
{
    OpResult r;
    Identity root;
    if (const UniqueFd fd(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)); fd) {
        if (identity_of(fd.get(), root))
            r.data["root"] = identity_json(root);
    }
    r.data["lab_root"] = Json{{"dev", static_cast<unsigned long long>(state.lab_root_dev)},
                              {"ino", static_cast<unsigned long long>(state.lab_root_ino)}};
    auto answer = in_a_child([] {
        Json out;
        const UniqueFd me(static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0)));
        if (!me || setns(me.get(), CLONE_NEWNS) != 0) {
            out["error"] = system_error(errno, "setns into its own mount namespace").message;
        } else if (const UniqueFd fd(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)); fd) {
            Identity ns;
            if (identity_of(fd.get(), ns))
                out["ns_root"] = identity_json(ns);
        }
        return out;
    });
    if (!answer)
        return OpResult::failure(answer.error().errnum, answer.error().message);
    const Json& child = *answer;
    if (child.is_object() && child.contains("ns_root"))
        r.data["ns_root"] = child["ns_root"];
    else
        r.data["ns_root_error"] = json_string(child, "error", "no answer");
    Json procs = Json::array();
    if (req.contains("procs") && req["procs"].is_array())
        for (const Json& p : req["procs"]) {
            if (!p.is_string())
                continue;
            const std::string path = p.get<std::string>();
            Json e{{"path", path}};
            const UniqueFd fd(open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (!fd) {
                e["error"] = errno_name(errno);
            } else {
                char link[64] = {};
                const ssize_t k = readlinkat(fd.get(), "self", link, sizeof link - 1);
                if (k > 0)
                    e["self"] = std::string(link, static_cast<size_t>(k));
            }
            procs.push_back(e);
        }
    r.data["procs"] = procs;
    Json secret_at = Json::array();
    if (!state.secret.empty() && req.contains("mounts") && req["mounts"].is_array())
        for (const Json& m : req["mounts"]) {
            if (!m.is_string())
                continue;
            const std::string dir = m.get<std::string>();
            const std::string file = (dir == "/" ? std::string() : dir) + "/HOST_SECRET";
            UniqueFd fd(open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
            if (!fd)
                continue;
            std::string text(state.secret.size() + 1, '\0');
            const ssize_t n = read(fd.get(), text.data(), text.size());
            fd.reset();
            if (n == static_cast<ssize_t>(state.secret.size()) &&
                text.compare(0, static_cast<size_t>(n), state.secret) == 0)
                secret_at.push_back(dir);
        }
    r.data["secret_at"] = secret_at;
    r.data["pid"] = getpid();
    return r;
}

OpResult pivot_root_into(const std::string& new_root, const std::string& put_old)
{
    const std::string nr = real_path(new_root);
    if (!make_dirs(put_old))
        return OpResult::from_errno(fmt::format("mkdir -p `{}`", put_old));
    const std::string po = real_path(put_old);
    if (syscall(SYS_pivot_root, new_root.c_str(), put_old.c_str()) != 0) {
        const int e = errno;
        OpResult r =
            OpResult::failure(e, system_error(e, fmt::format("pivot_root `{}` `{}`", new_root, put_old)).message);
        r.cause = explain_pivot_root(e, own_mount_table(), nr, po);
        return r;
    }
    if (chdir("/") != 0)
        return OpResult::from_errno("chdir `/`");
    return {};
}

// runc's form (libcontainer/rootfs_linux.go, pivotRoot): pivot_root(".", ".") puts the
// old root on top of the new one, at the same place; the old root is then made a slave
// (so the unmount does not propagate back to the host) and detached. No put_old
// directory is needed, and nothing of the old root stays reachable.
OpResult pivot_root_runc_style(const std::string& new_root)
{
    const std::string nr = real_path(new_root);
    const UniqueFd oldroot(open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!oldroot)
        return OpResult::from_errno("open `/`");
    const UniqueFd newroot(open(new_root.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!newroot)
        return OpResult::from_errno(fmt::format("open `{}`", new_root));
    if (fchdir(newroot.get()) != 0)
        return OpResult::from_errno(fmt::format("chdir `{}`", new_root));
    if (syscall(SYS_pivot_root, ".", ".") != 0) {
        const int e = errno;
        OpResult r = OpResult::failure(e, system_error(e, fmt::format("pivot_root `.` `.` in `{}`", new_root)).message);
        r.cause = explain_pivot_root(e, own_mount_table(), nr, nr);
        (void)!fchdir(oldroot.get());
        return r;
    }
    OpResult r;
    r.data["steps"] = Json::array({"pivot_root(\".\", \".\")"});
    if (fchdir(oldroot.get()) != 0)
        return OpResult::from_errno("fchdir to the old root");
    if (mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) != 0)
        return OpResult::from_errno("mount --make-rslave the old root");
    r.data["steps"].push_back("mount(NULL, \".\", NULL, MS_SLAVE|MS_REC, NULL)");
    if (umount2(".", MNT_DETACH) != 0)
        return OpResult::from_errno("umount2 `.` MNT_DETACH (the old root)");
    r.data["steps"].push_back("umount2(\".\", MNT_DETACH)");
    if (chdir("/") != 0)
        return OpResult::from_errno("chdir `/`");
    r.data["steps"].push_back("chdir(\"/\")");
    return r;
}
// runc's --no-pivot (libcontainer/rootfs_linux.go, msMoveRoot) and switch_root(8)'s
// last calls: the new root is moved onto "/" with MS_MOVE, then chroot("."), as lesson
// switch-root shows. Unlike pivot_root, nothing is unmounted: the old root stays in the
// mount namespace, under the new one.
namespace {
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
        return fmt::format(
            "`{}` is not a mount point: MS_MOVE moves a whole mount (bind a directory onto itself first)", source);
    if (table.parent_in_table(m) && table[table.parent(m)].shared != 0)
        return fmt::format("the mount `{}` resides under a shared mount (`{}`, shared:{}): moving it is invalid "
                           "(sharedsubtree.rst); make the parent private first",
                           source, table[table.parent(m)].target, table[table.parent(m)].shared);
    return fmt::format("`{}` may be locked: a mount inherited from a more privileged mount namespace cannot be moved",
                       source);
}
} // namespace

OpResult move_root_runc_style(const std::string& new_root)
{
    const std::string nr = real_path(new_root);
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
