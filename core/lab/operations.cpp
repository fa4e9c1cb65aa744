#include "lab/operations.h"

#include "base/base64.h"
#include "base/fd.h"
#include "base/jsonget.h"

#include "lab/ops_mountapi.h"
#include "lab/ops_overlayadv.h"
#include "lab/pivotcause.h"
#include "mount/mounttree.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <map>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace mountlab::lab {

// ---------------------------------------------------------------- results

Json OpResult::to_json() const
{
    Json j;
    j["ok"] = ok;
    j["errno"] = err ? Json(errno_name(err)) : Json(nullptr);
    if (!message.empty())
        j["error"] = message;
    if (!cause.empty())
        j["cause"] = cause;
    j["data"] = data;
    return j;
}

OpResult OpResult::failure(int err, std::string message, std::string cause)
{
    OpResult r;
    r.ok = false;
    r.err = err;
    r.message = std::move(message);
    r.cause = std::move(cause);
    return r;
}

OpResult OpResult::from_errno(std::string_view what)
{
    const int e = errno;
    return failure(e, system_error(e, what).message);
}

// ---------------------------------------------------------------- helpers

namespace {

std::string str_arg(const Json& j, const char* key, const std::string& fallback = {})
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool bool_arg(const Json& j, const char* key, bool fallback = false)
{
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::vector<std::string> strings_arg(const Json& j, const char* key)
{
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const auto& v : *it)
            if (v.is_string())
                out.push_back(v.get<std::string>());
    return out;
}

// mkdir -p
bool make_dirs(const std::string& path, mode_t mode = 0755)
{
    if (path.empty())
        return false;
    std::string cur;
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        cur = path.substr(0, pos);
        if (cur.empty())
            continue;
        if (mkdir(cur.c_str(), mode) != 0 && errno != EEXIST)
            return false;
    }
    return true;
}

Result<std::string> read_text(const std::string& path, size_t limit = 1 << 20)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return system_error(errno, fmt::format("open `{}`", path));
    std::string out;
    char buf[8192];
    ssize_t r;
    while ((r = ::read(fd, buf, sizeof buf)) > 0 && out.size() < limit)
        out.append(buf, static_cast<size_t>(r));
    ::close(fd);
    return out;
}

std::string real_path(const std::string& p)
{
    char buf[PATH_MAX];
    return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

MountTree own_mount_table()
{
    auto t = read_mountinfo_file("/proc/self/mountinfo");
    return t ? MountTree(std::move(*t)) : MountTree();
}

// In a user namespace other than the machine's, overlayfs cannot write trusted.*
// xattrs (opaque directories, redirects): it needs "userxattr" to use user.overlay.*.
bool in_initial_user_namespace()
{
    auto map = read_text("/proc/self/uid_map");
    return map && map->find("4294967295") != std::string::npos;
}

} // namespace

unsigned long long mount_ns_inode(pid_t pid)
{
    struct stat st {};
    const std::string p = pid ? fmt::format("/proc/{}/ns/mnt", pid) : "/proc/self/ns/mnt";
    return stat(p.c_str(), &st) == 0 ? static_cast<unsigned long long>(st.st_ino) : 0;
}

Result<unsigned long> mount_flags_from_names(const Json& names)
{
    static const std::map<std::string, unsigned long> table = {
        {"ro", MS_RDONLY},        {"rdonly", MS_RDONLY},      {"nosuid", MS_NOSUID},   {"nodev", MS_NODEV},
        {"noexec", MS_NOEXEC},    {"sync", MS_SYNCHRONOUS},   {"remount", MS_REMOUNT}, {"dirsync", MS_DIRSYNC},
        {"noatime", MS_NOATIME},  {"nodiratime", MS_NODIRATIME}, {"bind", MS_BIND},    {"move", MS_MOVE},
        {"rec", MS_REC},          {"silent", MS_SILENT},      {"unbindable", MS_UNBINDABLE}, {"private", MS_PRIVATE},
        {"slave", MS_SLAVE},      {"shared", MS_SHARED},      {"relatime", MS_RELATIME}, {"strictatime", MS_STRICTATIME},
        {"lazytime", MS_LAZYTIME}};
    unsigned long flags = 0;
    if (names.is_null())
        return flags;
    if (!names.is_array())
        return make_error("mount flags must be a list of names such as [\"bind\", \"rec\"]");
    for (const auto& n : names) {
        if (!n.is_string())
            return make_error("mount flag {} is not a name", n.dump());
        auto it = table.find(n.get<std::string>());
        if (it == table.end())
            return make_error("unknown mount flag `{}`", n.get<std::string>());
        flags |= it->second;
    }
    return flags;
}

// ---------------------------------------------------------------- mounts

OpResult make_mount_propagation(const std::string& path, const std::string& type, bool recursive)
{
    unsigned long flag = 0;
    if (type == "private")
        flag = MS_PRIVATE;
    else if (type == "shared")
        flag = MS_SHARED;
    else if (type == "slave")
        flag = MS_SLAVE;
    else if (type == "unbindable")
        flag = MS_UNBINDABLE;
    else
        return OpResult::failure(EINVAL, fmt::format("unknown propagation type `{}` (private, shared, slave or unbindable)", type));
    if (recursive)
        flag |= MS_REC;
    if (mount(nullptr, path.c_str(), nullptr, flag, nullptr) != 0) {
        OpResult r = OpResult::from_errno(fmt::format("mount --make-{}{} `{}`", recursive ? "r" : "", type, path));
        if (r.err == EINVAL)
            r.cause = fmt::format("`{}` is not a mount point", path);
        return r;
    }
    return {};
}

OpResult mount_filesystem(const std::string& source, const std::string& target, const std::string& fstype,
                          unsigned long flags, const std::string& data, bool make_target)
{
    if (make_target && !make_dirs(target))
        return OpResult::from_errno(fmt::format("mkdir -p `{}`", target));
    if (mount(source.empty() ? nullptr : source.c_str(), target.c_str(), fstype.empty() ? nullptr : fstype.c_str(), flags,
              data.empty() ? nullptr : data.c_str()) != 0) {
        OpResult r = OpResult::from_errno(fmt::format("mount `{}` on `{}`", source.empty() ? fstype : source, target));
        if (r.err == ENOENT)
            r.cause = fmt::format("`{}` or the source does not exist", target);
        else if (r.err == EINVAL && (flags & MS_MOVE))
            r.cause = "the source of a move must be a mount point, not locked, and its parent mount not shared (mount(2)); "
                      "a tree holding an unbindable mount cannot move under a shared one";
        else if (r.err == EINVAL && (flags & MS_BIND))
            r.cause = "the source is unbindable, or lies in another mount namespace";
        else if (r.err == EPERM)
            r.cause = "mounting needs CAP_SYS_ADMIN in the user namespace that owns this mount namespace";
        return r;
    }
    return {};
}

OpResult unmount(const std::string& target, bool detach)
{
    if (umount2(target.c_str(), detach ? MNT_DETACH : 0) != 0) {
        OpResult r = OpResult::from_errno(fmt::format("umount{} `{}`", detach ? " -l" : "", target));
        struct statx sx {};
        const bool mount_root = statx(AT_FDCWD, target.c_str(), 0, 0, &sx) == 0 &&
                                (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
        if (r.err == EINVAL && mount_root)
            r.cause = fmt::format("`{}` is locked (umount(2)): it came from a more privileged mount namespace, and a "
                                  "locked mount cannot be unmounted to reveal what is under it (mount_namespaces(7))",
                                  target);
        else if (r.err == EINVAL)
            r.cause = fmt::format("`{}` is not a mount point", target);
        else if (r.err == EBUSY)
            r.cause = "the mount is in use (an open file, a working directory, or mounts below it); --lazy detaches it anyway";
        return r;
    }
    return {};
}


// Which of overlayfs's documented refusals applies, from what can be seen (overlayfs
// writes its own reason to the kernel log, which the lab cannot read).
std::string overlay_cause(int err, const std::vector<std::string>& lowers, const std::string& upper, const std::string& work)
{
    auto mount_id = [](const std::string& path) -> unsigned long long {
        struct statx sx {};
        if (statx(AT_FDCWD, path.c_str(), 0, STATX_MNT_ID, &sx) != 0 || !(sx.stx_mask & STATX_MNT_ID))
            return 0;
        return sx.stx_mnt_id;
    };
    if (err == ENOENT)
        return "a lowerdir, the upperdir or the workdir does not exist";
    if (err != EINVAL)
        return {};
    if (upper.empty() && lowers.size() < 2)
        return "without an upperdir an overlay needs at least two lowerdirs (one alone would be a bind mount)";
    if (!upper.empty()) {
        const std::string u = upper.back() == '/' ? upper : upper + "/";
        if (work.rfind(u, 0) == 0)
            return "the workdir is inside the upperdir: they must be two separate directories";
        const unsigned long long um = mount_id(upper), wm = mount_id(work);
        if (um && wm && um != wm)
            return "the upperdir and the workdir are on different mounts: the kernel wants them on the same mount "
                   "(not only the same filesystem), so that it can rename from one into the other";
    }
    return "overlayfs refused the options: the upperdir and workdir must be on one mount, the workdir not inside "
           "the upperdir, at least two lowerdirs without an upperdir, and no more than 500 layers";
}

OpResult mount_overlay(const std::vector<std::string>& lowers, const std::string& upper, const std::string& work,
                       const std::string& target)
{
    if (lowers.empty())
        return OpResult::failure(EINVAL, "overlay needs at least one lowerdir");
    for (const std::string& d : {upper, work, target})
        if (!d.empty() && !make_dirs(d))
            return OpResult::from_errno(fmt::format("mkdir -p `{}`", d));
    std::string data = "lowerdir=";
    for (size_t i = 0; i < lowers.size(); ++i)
        data += (i ? ":" : "") + lowers[i];
    if (!upper.empty())
        data += ",upperdir=" + upper + ",workdir=" + work;
    if (!upper.empty() && !in_initial_user_namespace())
        data += ",userxattr";
    OpResult r = mount_filesystem("overlay", target, "overlay", 0, data, false);
    if (!r.ok)
        r.cause = overlay_cause(r.err, lowers, upper, work);
    r.data["options"] = data;
    return r;
}

OpResult mount_proc(const std::string& path)
{
    OpResult r = mount_filesystem("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "", true);
    if (!r.ok && r.err == EPERM)
        r.cause = "mounting proc needs CAP_SYS_ADMIN in the user namespace that owns the mounter's PID namespace, and "
                  "(outside the initial user namespace) a proc already mounted in this mount namespace that is fully "
                  "visible: no mount covers any part of it";
    if (!r.ok)
        return r;
    OpResult pids = list_pids(path);
    r.data["pids"] = pids.data["pids"];
    return r;
}

OpResult list_pids(const std::string& proc_path)
{
    DIR* d = opendir(proc_path.c_str());
    if (!d)
        return OpResult::from_errno(fmt::format("opendir `{}`", proc_path));
    Json pids = Json::array();
    std::vector<std::pair<int, std::string>> found;
    while (dirent* e = readdir(d)) {
        char* end = nullptr;
        const long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        auto comm = read_text(fmt::format("{}/{}/comm", proc_path, pid));
        std::string c = comm ? *comm : std::string();
        if (!c.empty() && c.back() == '\n')
            c.pop_back();
        found.emplace_back(static_cast<int>(pid), c);
    }
    closedir(d);
    std::sort(found.begin(), found.end());
    for (auto& [pid, comm] : found)
        pids.push_back({{"pid", pid}, {"comm", comm}});
    OpResult r;
    r.data["pids"] = pids;
    return r;
}

// ---------------------------------------------------------------- roots

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
Result<Json> in_a_child(const std::function<Json()>& work, bool close_other_fds)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return system_error(errno, "pipe");
    const pid_t pid = fork();
    if (pid < 0) {
        const int e = errno;
        close(pipefd[0]);
        close(pipefd[1]);
        return system_error(e, "fork");
    }
    if (pid == 0) {
        close(pipefd[0]);
        if (close_other_fds) {
            close_range(0, static_cast<unsigned>(pipefd[1]) - 1, 0);
            close_range(static_cast<unsigned>(pipefd[1]) + 1, ~0U, 0);
        }
        // Whatever work does, the child ends here: an exception must not unwind into the
        // caller's loop, which would go on as a second container process.
        std::string text;
        try {
            text = work().dump();
        } catch (const std::exception& e) {
            text = Json{{"child_error", e.what()}}.dump();
        } catch (...) {
            _exit(1);
        }
        for (size_t at = 0; at < text.size();) {
            const ssize_t n = write(pipefd[1], text.data() + at, text.size() - at);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            at += static_cast<size_t>(n);
        }
        _exit(0);
    }
    close(pipefd[1]);
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            text.append(buf, static_cast<size_t>(n));
    close(pipefd[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return Json::parse(text, nullptr, false);
}

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
        const int outside = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        bool ok = outside >= 0 && chroot(jail) == 0 && fchdir(outside) == 0;
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
    if (const int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        if (identity_of(fd, root))
            r.data["root"] = identity_json(root);
        close(fd);
    }
    r.data["lab_root"] = Json{{"dev", static_cast<unsigned long long>(state.lab_root_dev)},
                              {"ino", static_cast<unsigned long long>(state.lab_root_ino)}};
    auto answer = in_a_child([] {
        Json out;
        const int me = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0));
        if (me < 0 || setns(me, CLONE_NEWNS) != 0) {
            out["error"] = system_error(errno, "setns into its own mount namespace").message;
        } else if (const int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
            Identity ns;
            if (identity_of(fd, ns))
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
            const int fd = open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                e["error"] = errno_name(errno);
            } else {
                char link[64] = {};
                const ssize_t k = readlinkat(fd, "self", link, sizeof link - 1);
                if (k > 0)
                    e["self"] = std::string(link, static_cast<size_t>(k));
                close(fd);
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
            const int fd = open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0)
                continue;
            std::string text(state.secret.size() + 1, '\0');
            const ssize_t n = read(fd, text.data(), text.size());
            close(fd);
            if (n == static_cast<ssize_t>(state.secret.size()) && text.compare(0, static_cast<size_t>(n), state.secret) == 0)
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
        OpResult r = OpResult::failure(e, system_error(e, fmt::format("pivot_root `{}` `{}`", new_root, put_old)).message);
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
    const int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    const int newroot = open(new_root.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0 || newroot < 0) {
        OpResult r = OpResult::from_errno(fmt::format("open `{}`", oldroot < 0 ? "/" : new_root));
        if (oldroot >= 0)
            close(oldroot);
        return r;
    }
    auto done = [&](OpResult r) {
        close(oldroot);
        close(newroot);
        return r;
    };
    if (fchdir(newroot) != 0)
        return done(OpResult::from_errno(fmt::format("chdir `{}`", new_root)));
    if (syscall(SYS_pivot_root, ".", ".") != 0) {
        const int e = errno;
        OpResult r = OpResult::failure(e, system_error(e, fmt::format("pivot_root `.` `.` in `{}`", new_root)).message);
        r.cause = explain_pivot_root(e, own_mount_table(), nr, nr);
        (void)!fchdir(oldroot);
        return done(r);
    }
    OpResult r;
    r.data["steps"] = Json::array({"pivot_root(\".\", \".\")"});
    if (fchdir(oldroot) != 0)
        return done(OpResult::from_errno("fchdir to the old root"));
    if (mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) != 0)
        return done(OpResult::from_errno("mount --make-rslave the old root"));
    r.data["steps"].push_back("mount(NULL, \".\", NULL, MS_SLAVE|MS_REC, NULL)");
    if (umount2(".", MNT_DETACH) != 0)
        return done(OpResult::from_errno("umount2 `.` MNT_DETACH (the old root)"));
    r.data["steps"].push_back("umount2(\".\", MNT_DETACH)");
    if (chdir("/") != 0)
        return done(OpResult::from_errno("chdir `/`"));
    r.data["steps"].push_back("chdir(\"/\")");
    return done(r);
}

// ---------------------------------------------------------------- commands

OpResult run_command(const std::vector<std::string>& argv, int timeout_ms, const std::string& input,
                     const CommandLimits& limits)
{
    if (argv.empty())
        return OpResult::failure(EINVAL, "exec needs a command");
    int out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1};
    // This process (the container) lives as long as the lab: a failure here must not
    // leave descriptors behind.
    auto failed = [&](const char* what) {
        OpResult r = OpResult::from_errno(what);
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
            if (fd >= 0)
                close(fd);
        return r;
    };
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(in, O_CLOEXEC) != 0)
        return failed("pipe");
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0)
        return failed("fork");
    if (pid == 0) {
        setpgid(0, 0);
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        // Close every pipe end here: the PID namespace's parent below never execs, and
        // an inherited write end of stdin would keep a reading script waiting forever.
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
            close(fd);
        auto limit = [](int resource, long value) {
            if (value > 0) {
                const rlimit rl{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
                setrlimit(resource, &rl);
            }
        };
        limit(RLIMIT_NPROC, limits.nproc);
        limit(RLIMIT_AS, limits.memory_mb << 20);
        limit(RLIMIT_CPU, limits.cpu_s);
        limit(RLIMIT_FSIZE, limits.file_mb << 20);
        if (limits.pid_namespace) {
            // This child stays outside as the namespace's parent; its child is PID 1.
            if (unshare(CLONE_NEWPID) != 0)
                _exit(126);
            const pid_t init = fork();
            if (init < 0)
                _exit(126);
            if (init == 0)
                prctl(PR_SET_PDEATHSIG, SIGKILL); // killed on timeout with its parent, even after setsid
            if (init > 0) {
                int st = 0;
                while (waitpid(init, &st, 0) < 0 && errno == EINTR) {
                }
                _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
            }
        }
        std::vector<char*> args;
        for (const std::string& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        // A clean environment: nothing of the engine's (or the grader's) reaches the command.
        char path_env[] = "PATH=/usr/local/bin:/bin:/sbin:/usr/bin:/usr/sbin";
        char home_env[] = "HOME=/root";
        char term_env[] = "TERM=dumb";
        char* env[] = {path_env, home_env, term_env, nullptr};
        environ = env;
        execvp(args[0], args.data());
        const std::string msg = fmt::format("{}: {}\n", argv[0], strerror(errno));
        (void)!write(2, msg.data(), msg.size());
        _exit(127);
    }
    // The child makes itself a process group leader too, but a timeout can come first
    // (timeout_ms 1): then kill(-pid) found no group, the command ran to its end, and
    // its late answer was taken for the next request's. Either call wins; both agree.
    setpgid(pid, pid);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!input.empty())
        (void)!write(in[1], input.data(), input.size());
    close(in[1]);
    std::string outs, errs;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    bool timed_out = false;
    int open_fds = 2;
    constexpr size_t kLimit = 1 << 20;
    while (open_fds > 0) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        const int left = timeout_ms - static_cast<int>(elapsed);
        if (left <= 0) {
            timed_out = true;
            break;
        }
        const int r = poll(fds, 2, left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[8192];
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                std::string& s = i == 0 ? outs : errs;
                if (s.size() < kLimit)
                    s.append(buf, static_cast<size_t>(n));
            }
        }
    }
    if (timed_out)
        kill(-pid, SIGKILL);
    for (auto& f : fds)
        if (f.fd >= 0)
            close(f.fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    OpResult r;
    r.data["stdout"] = outs;
    r.data["stderr"] = errs;
    r.data["exit_code"] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.data["timed_out"] = timed_out;
    if (timed_out) {
        r.ok = false;
        r.err = ETIMEDOUT;
        r.message = fmt::format("`{}` did not finish within {} ms and was killed", argv[0], timeout_ms);
    }
    return r;
}

// ---------------------------------------------------------------- copy-up

namespace {

struct OverlayInfo {
    std::string target;
    std::vector<std::string> lowers;
    std::string upper;
};

std::optional<OverlayInfo> overlay_holding(const std::string& path)
{
    MountTree t = own_mount_table();
    const size_t m = mount_of_path(t, path);
    if (m == MountTree::npos || t[m].fstype != "overlay")
        return std::nullopt;
    OverlayInfo info;
    info.target = t[m].target;
    std::string_view opts = t[m].super_options;
    while (!opts.empty()) {
        const size_t comma = opts.find(',');
        const std::string_view o = opts.substr(0, comma);
        opts = comma == std::string_view::npos ? std::string_view() : opts.substr(comma + 1);
        if (o.substr(0, 9) == "lowerdir=") {
            std::string_view l = o.substr(9);
            while (!l.empty()) {
                const size_t colon = l.find(':');
                info.lowers.emplace_back(l.substr(0, colon));
                l = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
            }
        } else if (o.substr(0, 10) == "lowerdir+=") {
            info.lowers.emplace_back(o.substr(10));
        } else if (o.substr(0, 9) == "upperdir=") {
            info.upper = std::string(o.substr(9));
        }
    }
    return info;
}

struct UpperEntry {
    std::string kind; // file, dir, opaque-dir, whiteout, symlink, other
    off_t size = 0;
    struct timespec mtime {};
};

bool is_opaque(const std::string& path)
{
    char v[4] = {};
    for (const char* name : {"trusted.overlay.opaque", "user.overlay.opaque"})
        if (lgetxattr(path.c_str(), name, v, sizeof v) > 0 && (v[0] == 'y' || v[0] == 'x'))
            return true;
    return false;
}

// Every entry under upperdir, by relative path: what overlayfs really wrote.
std::map<std::string, UpperEntry> scan_upper(const std::string& upper)
{
    std::map<std::string, UpperEntry> out;
    std::vector<std::string> todo{""};
    while (!todo.empty()) {
        const std::string rel = todo.back();
        todo.pop_back();
        DIR* d = opendir((upper + rel).c_str());
        if (!d)
            continue;
        while (dirent* e = readdir(d)) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            const std::string r = rel + "/" + e->d_name;
            const std::string full = upper + r;
            struct stat st {};
            if (lstat(full.c_str(), &st) != 0)
                continue;
            UpperEntry u;
            u.size = st.st_size;
            u.mtime = st.st_mtim;
            if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0)
                u.kind = "whiteout";
            else if (S_ISDIR(st.st_mode)) {
                u.kind = is_opaque(full) ? "opaque-dir" : "dir";
                todo.push_back(r);
            } else if (S_ISREG(st.st_mode))
                u.kind = "file";
            else if (S_ISLNK(st.st_mode))
                u.kind = "symlink";
            else
                u.kind = "other";
            out.emplace(r, u);
        }
        closedir(d);
    }
    return out;
}

std::string lower_holding(const OverlayInfo& ov, const std::string& rel)
{
    for (const std::string& l : ov.lowers) {
        struct stat st {};
        if (lstat((l + rel).c_str(), &st) == 0)
            return l;
    }
    return {};
}

using FileAction = std::function<OpResult()>;

// Runs a file operation in the merged view and reports what it did to the upper layer.
OpResult with_upper_report(const std::string& path, const FileAction& action)
{
    const auto ov = overlay_holding(path);
    if (!ov || ov->upper.empty())
        return action();
    const std::string rel = path.substr(ov->target == "/" ? 0 : ov->target.size());
    const std::string lower = lower_holding(*ov, rel);
    Result<std::string> lower_before = lower.empty() ? Result<std::string>(Error{}) : read_text(lower + rel);
    const auto before = scan_upper(ov->upper);
    OpResult r = action();
    const auto after = scan_upper(ov->upper);
    Json changes = Json::array();
    for (const auto& [p, e] : after) {
        auto it = before.find(p);
        std::string kind;
        if (it == before.end() || it->second.kind != e.kind) {
            if (e.kind == "whiteout" || e.kind == "opaque-dir")
                kind = e.kind;
            else if (!lower_holding(*ov, p).empty())
                kind = e.kind == "dir" ? "copied-up-dir" : "copied-up";
            else
                kind = "created";
        } else if (e.kind == "file" && (it->second.size != e.size || it->second.mtime.tv_sec != e.mtime.tv_sec ||
                                        it->second.mtime.tv_nsec != e.mtime.tv_nsec)) {
            kind = "modified";
        }
        if (!kind.empty())
            changes.push_back({{"path", p}, {"kind", kind}, {"upper_path", ov->upper + p}});
    }
    for (const auto& [p, e] : before)
        if (!after.count(p))
            changes.push_back({{"path", p}, {"kind", "removed-from-upper"}, {"upper_path", ov->upper + p}});
    r.data["overlay"] = ov->target;
    r.data["upperdir"] = ov->upper;
    r.data["lowerdirs"] = ov->lowers;
    r.data["upper_changes"] = changes;
    if (!lower.empty()) {
        Result<std::string> lower_after = read_text(lower + rel);
        r.data["lower"] = {{"layer", lower},
                           {"path", lower + rel},
                           {"unchanged", lower_before.ok() == lower_after.ok() &&
                                             (!lower_before.ok() || *lower_before == *lower_after)}};
    }
    return r;
}

OpResult remove_path(const std::string& path, bool recursive)
{
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0)
        return OpResult::from_errno(fmt::format("rm `{}`", path));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path.c_str()) != 0)
            return OpResult::from_errno(fmt::format("rm `{}`", path));
        return {};
    }
    if (recursive) {
        // Depth first, children before their directory.
        std::vector<std::pair<std::string, bool>> todo{{path, false}};
        while (!todo.empty()) {
            auto [p, expanded] = todo.back();
            todo.pop_back();
            struct stat s {};
            if (lstat(p.c_str(), &s) != 0)
                continue;
            if (S_ISDIR(s.st_mode) && !expanded) {
                todo.push_back({p, true});
                if (DIR* d = opendir(p.c_str())) {
                    while (dirent* e = readdir(d))
                        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                            todo.push_back({p + "/" + e->d_name, false});
                    closedir(d);
                }
            } else if (S_ISDIR(s.st_mode)) {
                if (rmdir(p.c_str()) != 0)
                    return OpResult::from_errno(fmt::format("rmdir `{}`", p));
            } else if (unlink(p.c_str()) != 0) {
                return OpResult::from_errno(fmt::format("rm `{}`", p));
            }
        }
        return {};
    }
    if (rmdir(path.c_str()) != 0)
        return OpResult::from_errno(fmt::format("rmdir `{}`", path));
    return {};
}

OpResult write_file(const std::string& path, const std::string& content, bool append)
{
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
    if (fd < 0)
        return OpResult::from_errno(fmt::format("open `{}` for writing", path));
    const ssize_t w = write(fd, content.data(), content.size());
    const int e = errno;
    close(fd);
    if (w != static_cast<ssize_t>(content.size())) {
        errno = w < 0 ? e : ENOSPC;
        return OpResult::from_errno(fmt::format("write `{}`", path));
    }
    return {};
}

// What a path is, as lstat and the overlay xattrs tell.
OpResult stat_path(const std::string& path)
{
    struct stat st {};
    OpResult r;
    if (lstat(path.c_str(), &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return OpResult::from_errno(fmt::format("stat `{}`", path));
        r.data["exists"] = false;
        return r;
    }
    std::string type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "symlink"
                     : S_ISCHR(st.st_mode) ? "chardev" : S_ISBLK(st.st_mode) ? "blockdev" : "other";
    if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0)
        type = "whiteout";
    if (S_ISDIR(st.st_mode) && is_opaque(path))
        type = "opaque-dir";
    r.data["exists"] = true;
    r.data["type"] = type;
    r.data["size"] = static_cast<long long>(st.st_size);
    r.data["mode"] = fmt::format("{:o}", st.st_mode & 07777);
    r.data["uid"] = st.st_uid;
    return r;
}

// ---------------------------------------------------------------- namespaces

OpResult unshare_namespaces(const Json& req)
{
    static const std::map<std::string, int> names = {{"mount", CLONE_NEWNS}, {"pid", CLONE_NEWPID},
                                                     {"uts", CLONE_NEWUTS},  {"ipc", CLONE_NEWIPC},
                                                     {"net", CLONE_NEWNET},  {"user", CLONE_NEWUSER},
                                                     {"cgroup", CLONE_NEWCGROUP}};
    int flags = 0;
    for (const std::string& n : strings_arg(req, "namespaces")) {
        auto it = names.find(n);
        if (it == names.end())
            return OpResult::failure(EINVAL, fmt::format("unknown namespace `{}` (mount, pid, uts, ipc, net, user, cgroup)", n));
        flags |= it->second;
    }
    if (!flags)
        flags = CLONE_NEWNS;
    const uid_t uid = geteuid();
    const gid_t gid = getegid();
    OpResult r;
    r.data["mntns_before"] = mount_ns_inode();
    if (unshare(flags) != 0) {
        r = OpResult::from_errno("unshare");
        if (r.err == EINVAL && (flags & CLONE_NEWUSER))
            r.cause = "a multi-threaded process cannot enter a new user namespace";
        else if (r.err == EPERM)
            r.cause = "creating these namespaces needs CAP_SYS_ADMIN (or a new user namespace alongside)";
        return r;
    }
    if (flags & CLONE_NEWUSER) {
        // Map root inside to the caller's own IDs outside (all an unprivileged writer may map).
        auto write = [](const char* file, const std::string& text) {
            const int fd = open(file, O_WRONLY | O_CLOEXEC);
            if (fd < 0)
                return false;
            const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
            close(fd);
            return ok;
        };
        // Our /proc files belong to the machine's root while we are not dumpable (the
        // container keeps lab processes off itself that way): dumpable just for these
        // writes, while no lab command runs (this process is busy with this operation).
        prctl(PR_SET_DUMPABLE, 1);
        const bool mapped = write("/proc/self/setgroups", "deny") && write("/proc/self/uid_map", fmt::format("0 {} 1", uid)) &&
                            write("/proc/self/gid_map", fmt::format("0 {} 1", gid));
        const int e = errno;
        prctl(PR_SET_DUMPABLE, 0);
        if (!mapped) {
            errno = e;
            return OpResult::from_errno("write the new user namespace's uid_map/gid_map");
        }
    }
    if (flags & CLONE_NEWUTS) {
        const std::string h = str_arg(req, "hostname");
        if (!h.empty() && sethostname(h.c_str(), h.size()) != 0)
            return OpResult::from_errno(fmt::format("sethostname `{}`", h));
    }
    r.data["mntns_after"] = mount_ns_inode();
    r.data["flags"] = flags;
    r.data["needs_fork"] = (flags & CLONE_NEWPID) != 0;
    return r;
}

} // namespace

// ---------------------------------------------------------------- namespaces

namespace {

// This process's namespaces, by type, as inode numbers (readlink prints TYPE:[INODE]).
// From /proc/self/ns; where there is no /proc (a container after pivot_root, before it
// mounts one), from a pidfd of itself: Linux 6.11's PIDFD_GET_*_NAMESPACE ioctls
// (include/uapi/linux/pidfd.h) return the namespace as a file, whose inode is the same.
OpResult own_namespaces()
{
    constexpr unsigned kPidfsMagic = 0xFF;
    static const std::pair<const char*, unsigned> types[] = {{"cgroup", 1}, {"ipc", 2},   {"mnt", 3}, {"net", 4},
                                                             {"pid", 5},    {"time", 7},  {"user", 9}, {"uts", 10}};
    OpResult r;
    UniqueFd pidfd;
    for (const auto& [type, nr] : types) {
        struct stat st {};
        if (stat(fmt::format("/proc/self/ns/{}", type).c_str(), &st) == 0) {
            r.data["ns"][type] = static_cast<unsigned long long>(st.st_ino);
            continue;
        }
        if (!pidfd)
            pidfd = UniqueFd(static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0)));
        if (!pidfd)
            continue;
        UniqueFd ns(ioctl(pidfd.get(), _IO(kPidfsMagic, nr), 0));
        if (ns && fstat(ns.get(), &st) == 0)
            r.data["ns"][type] = static_cast<unsigned long long>(st.st_ino);
    }
    return r;
}

} // namespace

// ---------------------------------------------------------------- dispatch

OpResult perform(const Json& req, ProcessState& state)
{
    const std::string op = str_arg(req, "op");
    using Handler = std::function<OpResult(const Json&)>;
    static const std::map<std::string, Handler> handlers = {
        {"unshare", unshare_namespaces},
        {"propagation",
         [](const Json& r) {
             return make_mount_propagation(str_arg(r, "path", "/"), str_arg(r, "type"), bool_arg(r, "recursive"));
         }},
        {"mount",
         [](const Json& r) {
             auto flags = mount_flags_from_names(r.value("flags", Json()));
             if (!flags)
                 return OpResult::failure(EINVAL, flags.error().message);
             return mount_filesystem(str_arg(r, "source"), str_arg(r, "target"), str_arg(r, "fstype"), *flags,
                                     str_arg(r, "data"), bool_arg(r, "mkdir", true));
         }},
        {"umount", [](const Json& r) { return unmount(str_arg(r, "target"), bool_arg(r, "detach")); }},
        {"overlay",
         [](const Json& r) {
             return mount_overlay(strings_arg(r, "lowers"), str_arg(r, "upper"), str_arg(r, "work"), str_arg(r, "target"));
         }},
        {"write",
         [](const Json& r) {
             const std::string p = str_arg(r, "path");
             // "content_base64": any bytes (JSON strings carry UTF-8 only).
             std::string content = str_arg(r, "content");
             if (r.contains("content_base64")) {
                 auto bytes = base64_decode(str_arg(r, "content_base64"));
                 if (!bytes)
                     return OpResult::failure(EINVAL, "`content_base64` is not base64");
                 content = std::move(*bytes);
             }
             return with_upper_report(p, [&] { return write_file(p, content, false); });
         }},
        {"append",
         [](const Json& r) {
             const std::string p = str_arg(r, "path");
             return with_upper_report(p, [&] { return write_file(p, str_arg(r, "content"), true); });
         }},
        {"remove",
         [](const Json& r) {
             const std::string p = str_arg(r, "path");
             return with_upper_report(p, [&] { return remove_path(p, bool_arg(r, "recursive")); });
         }},
        {"mkdir",
         [](const Json& r) {
             const std::string p = str_arg(r, "path");
             return with_upper_report(p, [&] {
                 return mkdir(p.c_str(), 0755) == 0 ? OpResult{} : OpResult::from_errno(fmt::format("mkdir `{}`", p));
             });
         }},
        {"read",
         [](const Json& r) {
             auto t = read_text(str_arg(r, "path"));
             if (!t)
                 return OpResult::failure(t.error().errnum, t.error().message);
             OpResult o;
             o.data["content"] = *t;
             return o;
         }},
        {"stat", [](const Json& r) { return stat_path(str_arg(r, "path")); }},
        {"proc", [](const Json& r) { return mount_proc(str_arg(r, "path", "/proc")); }},
        {"pids", [](const Json& r) { return list_pids(str_arg(r, "path", "/proc")); }},
        {"chroot", [](const Json& r) { return chroot_into(str_arg(r, "path")); }},
        {"pivot_root", [](const Json& r) { return pivot_root_into(str_arg(r, "new_root"), str_arg(r, "put_old")); }},
        {"pivot_root_runc", [](const Json& r) { return pivot_root_runc_style(str_arg(r, "new_root")); }},
        {"move_root", [](const Json& r) { return move_root_runc_style(str_arg(r, "new_root")); }},
        {"fsmount", [](const Json& r) { return new_api_mount(r); }},
        {"open_tree", [](const Json& r) { return new_api_clone(r); }},
        {"mount_setattr", [](const Json& r) { return new_api_setattr(r); }},
        {"rename", [](const Json& r) { return rename_path(r); }},
        {"exec",
         [](const Json& r) {
             CommandLimits limits;
             if (r.contains("limits") && r["limits"].is_object()) {
                 const Json& l = r["limits"];
                 limits.nproc = json_int(l, "nproc", 0, 0, 1 << 22);
                 limits.memory_mb = json_int(l, "memory_mb", 0, 0, 1 << 24);
                 limits.cpu_s = json_int(l, "cpu_s", 0, 0, 1 << 24);
                 limits.file_mb = json_int(l, "file_mb", 0, 0, 1 << 24);
                 limits.pid_namespace = json_bool(l, "pid_namespace");
             }
             return run_command(strings_arg(r, "argv"), static_cast<int>(json_int(r, "timeout_ms", 5000, 1, kMaxTimeoutMs)),
                                str_arg(r, "stdin"), limits);
         }},
    };
    if (op == "escape")
        return attempt_chroot_escape(state);
    if (op == "isolation")
        return inspect_isolation(req, state);
    if (op == "namespaces")
        return own_namespaces();
    auto it = handlers.find(op);
    if (it == handlers.end())
        return OpResult::failure(EINVAL, fmt::format("unknown operation `{}`", op));
    return it->second(req);
}

} // namespace mountlab::lab
