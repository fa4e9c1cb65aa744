// Mounts: propagation, mount(2), umount2(2), overlay and proc, each with the documented
// cause of a failure when the mount table tells which applies.
#include "lab/operations.h"
#include "lab/ops/handlers.h"

#include "base/fd.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

namespace mountlab::lab {

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
        return OpResult::failure(
            EINVAL, fmt::format("unknown propagation type `{}` (private, shared, slave or unbindable)", type));
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
    if (mount(source.empty() ? nullptr : source.c_str(), target.c_str(), fstype.empty() ? nullptr : fstype.c_str(),
              flags, data.empty() ? nullptr : data.c_str()) != 0) {
        OpResult r = OpResult::from_errno(fmt::format("mount `{}` on `{}`", source.empty() ? fstype : source, target));
        if (r.err == ENOENT)
            r.cause = fmt::format("`{}` or the source does not exist", target);
        else if (r.err == EINVAL && (flags & MS_MOVE))
            r.cause =
                "the source of a move must be a mount point, not locked, and its parent mount not shared (mount(2)); "
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
                                (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
                                (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
        if (r.err == EINVAL && mount_root)
            r.cause = fmt::format("`{}` is locked (umount(2)): it came from a more privileged mount namespace, and a "
                                  "locked mount cannot be unmounted to reveal what is under it (mount_namespaces(7))",
                                  target);
        else if (r.err == EINVAL)
            r.cause = fmt::format("`{}` is not a mount point", target);
        else if (r.err == EBUSY)
            r.cause =
                "the mount is in use (an open file, a working directory, or mounts below it); --lazy detaches it anyway";
        return r;
    }
    return {};
}

// Which of overlayfs's documented refusals applies, from what can be seen (overlayfs
// writes its own reason to the kernel log, which the lab cannot read).
std::string overlay_cause(int err, const std::vector<std::string>& lowers, const std::string& upper,
                          const std::string& work)
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
} // namespace mountlab::lab
