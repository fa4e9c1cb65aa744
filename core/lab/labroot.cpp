// The lab host's root: a tmpfs with the userland bound read-only, a minimal /dev, a
// masked /proc, entered with pivot_root; and the lab host's own credentials.
#include "lab/labroot.h"

#include <cerrno>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <string_view>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace mountlab::lab {

const char* const kHostSecret =
    "LAB HOST SECRET: this file exists only on the lab host. Reading it from the container means the\n"
    "container's root can be escaped.\n";

namespace {

Status check(bool ok, std::string_view what)
{
    if (ok)
        return Ok{};
    return system_error(errno, what);
}

Status write_small(const std::string& path, std::string_view text, mode_t mode = 0644)
{
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd)
        return system_error(errno, fmt::format("create `{}`", path));
    const bool ok = write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
    fd.reset();
    return check(ok, fmt::format("write `{}`", path));
}

// What runc hides of /proc (its default maskedPaths and readonlyPaths): files that
// show the machine's hardware, keys and timers are covered by /dev/null, directories
// by an empty read-only tmpfs; /proc/sys and the rest are read-only. The user
// namespace is what keeps the lab's root from the machine (these files refuse it
// anyway: they belong to the machine's root); the masks are the second wall, as in a
// container. Paths missing on this kernel are skipped.
Status mask_proc(const std::string& proc)
{
    static const char* const kMaskedFiles[] = {"kcore",       "keys",        "latency_stats", "timer_list",
                                               "timer_stats", "sched_debug", "interrupts"};
    static const char* const kMaskedDirs[] = {"acpi", "asound", "scsi"};
    static const char* const kReadOnly[] = {"bus", "fs", "irq", "sys", "sysrq-trigger"};
    struct stat st {};
    for (const char* f : kMaskedFiles) {
        const std::string p = proc + "/" + f;
        if (stat(p.c_str(), &st) == 0 && mount("/dev/null", p.c_str(), nullptr, MS_BIND, nullptr) != 0)
            return system_error(errno, fmt::format("mask /proc/{}", f));
    }
    for (const char* d : kMaskedDirs) {
        const std::string p = proc + "/" + d;
        if (stat(p.c_str(), &st) == 0 &&
            mount("masked", p.c_str(), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=555") != 0)
            return system_error(errno, fmt::format("mask /proc/{}", d));
    }
    for (const char* d : kReadOnly) {
        const std::string p = proc + "/" + d;
        if (stat(p.c_str(), &st) != 0)
            continue;
        if (mount(p.c_str(), p.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
            mount(nullptr, p.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  nullptr) != 0)
            return system_error(errno, fmt::format("make /proc/{} read-only", d));
    }
    return Ok{};
}

// A read-only bind of the machine's directory `from` on `to`: nosuid and nodev too, and
// the source mount's own restrictions kept (in a user namespace they are locked: a
// remount that dropped noexec or changed atime would be refused).
Status bind_read_only(const std::string& from, const std::string& to)
{
    if (mount(from.c_str(), to.c_str(), nullptr, MS_BIND, nullptr) != 0)
        return system_error(errno, fmt::format("bind-mount `{}` on `{}`", from, to));
    struct statvfs sv {};
    unsigned long keep = 0;
    if (statvfs(to.c_str(), &sv) == 0) {
        if (sv.f_flag & ST_NOEXEC)
            keep |= MS_NOEXEC;
        if (sv.f_flag & ST_NOATIME)
            keep |= MS_NOATIME;
        if (sv.f_flag & ST_NODIRATIME)
            keep |= MS_NODIRATIME;
        if (sv.f_flag & ST_RELATIME)
            keep |= MS_RELATIME;
    }
    if (mount(nullptr, to.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | keep, nullptr) !=
        0)
        return system_error(errno, fmt::format("remount `{}` read-only", to));
    return Ok{};
}

// The lab host's root, built on a tmpfs mounted (in our private namespace) on /tmp: the
// userland (bash, util-linux, ..., busybox) bound read-only on /usr, Debian's merged
// /usr links, /etc, /HOST_SECRET, a minimal /dev, proc; and the userland again as the
// image's base layer (bound here: after pivot_root the machine's files are gone).
Status build_lab_root(const LabOptions& options, const UniqueFd& idmapped_tree)
{
    const std::string r = "/tmp";
    const std::string opts = "mode=755,size=" + options.scratch_size;
    // The tree may lie under the machine's /tmp, which the lab's root is about to cover.
    const UniqueFd tree_fd(open(options.userland.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!tree_fd.valid())
        return system_error(errno, fmt::format("open the userland `{}`", options.userland));
    const std::string tree = fmt::format("/proc/self/fd/{}", tree_fd.get());
    if (Status s = check(mount("labhost", r.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) == 0,
                         "mount tmpfs for the lab root");
        !s)
        return s;
    for (const char* d : {"/usr", "/etc", "/dev", "/proc", "/sys", "/tmp", "/root", "/images", "/images/layers", "/var",
                          "/var/lib", "/var/lib/mountlab", "/mnt", "/oldroot"})
        if (mkdir((r + d).c_str(), 0755) != 0 && errno != EEXIST)
            return system_error(errno, fmt::format("mkdir `{}`", d));
    chmod((r + "/tmp").c_str(), 01777);
    // The tree, first as the image's base layer: the engine's idmapped mount (root), or
    // a plain read-only bind of a tree that is ours already (an unprivileged engine).
    std::string tree_in_lab;
    for (const LayerSpec& layer : options.layers) {
        if (!layer.userland)
            continue;
        const std::string at = r + layer_path(layer.name);
        if (mkdir(at.c_str(), 0755) != 0 && errno != EEXIST)
            return system_error(errno, fmt::format("mkdir `{}`", layer_path(layer.name)));
        if (idmapped_tree.valid() && tree_in_lab.empty()) {
            if (syscall(SYS_move_mount, idmapped_tree.get(), "", AT_FDCWD, at.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0)
                return system_error(errno, fmt::format("attach the userland at `{}`", layer_path(layer.name)));
        } else if (Status s = bind_read_only(tree_in_lab.empty() ? tree : tree_in_lab, at); !s) {
            return s;
        }
        tree_in_lab = at;
    }
    if (Status s = bind_read_only((tree_in_lab.empty() ? tree : tree_in_lab) + "/usr", r + "/usr"); !s)
        return s;
    for (const char* top : {"bin", "sbin", "lib", "lib64"})
        if (symlink((std::string("usr/") + top).c_str(), (r + "/" + top).c_str()) != 0)
            return system_error(errno, fmt::format("symlink `/{}`", top));
    for (auto [p, text] : std::initializer_list<std::pair<const char*, std::string_view>>{
             {"/etc/hostname", "labhost\n"},
             {"/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"},
             {"/etc/group", "root:x:0:\n"},
             {"/etc/os-release", "NAME=\"MountLab lab host\"\nID=mountlab-labhost\n"},
             {"/HOST_SECRET", kHostSecret}})
        if (Status s = write_small(r + p, text); !s)
            return s;
    // A minimal /dev: the harmless device nodes bind-mounted from the machine (mknod is
    // not allowed in a user namespace); the tmpfs under them is nodev, so no other
    // device can be used from it.
    if (Status s = check(
            mount("dev", (r + "/dev").c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=64k") == 0,
            "mount tmpfs on /dev");
        !s)
        return s;
    // No /dev/tty: it would be the engine's controlling terminal (the lab host starts a
    // session of its own, so a lab process opening it gets ENXIO anyway).
    for (const char* d : {"null", "zero", "full", "random", "urandom"}) {
        const std::string target = r + "/dev/" + d;
        if (Status s = write_small(target, "", 0666); !s)
            return s;
        const std::string source = std::string("/dev/") + d;
        if (mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
            return system_error(errno, fmt::format("bind-mount `{}`", source));
    }
    (void)!symlink("/proc/self/fd", (r + "/dev/fd").c_str());
    // proc before the old root goes: in a user namespace a new proc mount is allowed only
    // while a fully visible one exists in the namespace.
    if (Status s = check(mount("proc", (r + "/proc").c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0,
                         "mount proc for the lab host");
        !s)
        return s;
    return mask_proc(r + "/proc");
}

// pivot_root into the new root and detach the old one, so nothing of this machine's
// filesystem stays reachable from the lab.
Status enter_lab_root(const std::string& size)
{
    if (chdir("/tmp") != 0)
        return system_error(errno, "chdir to the lab root");
    if (syscall(SYS_pivot_root, ".", "oldroot") != 0)
        return system_error(errno, "pivot_root into the lab root");
    if (chdir("/") != 0)
        return system_error(errno, "chdir `/`");
    if (umount2("/oldroot", MNT_DETACH) != 0)
        return system_error(errno, "detach the old root");
    rmdir("/oldroot");
    const std::string opts = "mode=1777,size=" + size;
    if (mount("tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) != 0)
        return system_error(errno, "mount tmpfs on /tmp");
    return Ok{};
}

} // namespace

// Nothing of the engine's stays open in the lab: its stdin and stdout are the event
// stream and the commands (a lab process that reached them could forge events or send
// commands), its stderr and any other descriptor it held are not the lab's either.
void close_engine_descriptors(int keep)
{
    UniqueFd null(open("/dev/null", O_RDWR | O_CLOEXEC));
    for (int fd = 0; fd <= 2; ++fd)
        if (fd != keep)
            dup2(null ? null.get() : fd, fd); // dup2 clears close-on-exec on the copy
    if (null.get() <= 2)
        (void)null.release(); // it is one of 0, 1, 2 now
    if (keep > 3)
        syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u);
    syscall(SYS_close_range, static_cast<unsigned>(std::max(keep, 2) + 1), ~0u, 0u);
}

// Root of the lab's user namespace, and nothing more: no supplementary group of the
// engine's (root's, when the engine is root), not dumpable (no lab process may ptrace
// us or open our /proc files; our memory was the engine's).
Status become_lab_root()
{
    if (setgroups(0, nullptr) != 0 && errno != EPERM) // EPERM: setgroups is denied (an unprivileged engine)
        return system_error(errno, "drop the supplementary groups");
    if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0)
        return system_error(errno, "become root in the lab's user namespace");
    prctl(PR_SET_DUMPABLE, 0);
    // A session keyring of our own, as runc gives a container: the engine's (the user's
    // login session's) holds keys any process that possesses it may read.
    constexpr long kKeyctlJoinSessionKeyring = 1; // KEYCTL_JOIN_SESSION_KEYRING
    if (syscall(SYS_keyctl, kKeyctlJoinSessionKeyring, nullptr) < 0 && errno != ENOSYS)
        return system_error(errno, "join a new session keyring");
    return Ok{};
}

Status set_up_lab_host(const LabOptions& options, const UniqueFd& idmapped_tree, int& proc_fd)
{
    // The engine has written our ID maps: become the lab's root (an unprivileged ID
    // outside), so files we create and processes we count are the lab's.
    if (Status s = become_lab_root(); !s)
        return s;
    // First of all: nothing we mount may propagate to the machine's namespace.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return system_error(errno, "make / rprivate in the lab host");
    if (Status s = build_lab_root(options, idmapped_tree); !s)
        return s;
    if (Status s = enter_lab_root(options.scratch_size); !s)
        return s;
    sethostname("labhost", 7);
    proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (proc_fd < 0)
        return system_error(errno, "open the lab host's /proc");
    // Like a systemd host: every mount shared, so a careless container leaks into it.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_SHARED, nullptr) != 0)
        return system_error(errno, "make / rshared in the lab host");
    return build_image_store(options.layers);
}

} // namespace mountlab::lab
