// Namespaces: unshare(2), and this process's namespaces by inode.
#include "lab/operations.h"
#include "lab/ops/handlers.h"

#include "base/fd.h"

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace mountlab::lab {

OpResult unshare_namespaces(const Json& req)
{
    static const std::map<std::string, int> names = {
        {"mount", CLONE_NEWNS}, {"pid", CLONE_NEWPID},   {"uts", CLONE_NEWUTS},      {"ipc", CLONE_NEWIPC},
        {"net", CLONE_NEWNET},  {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}};
    int flags = 0;
    for (const std::string& n : strings_arg(req, "namespaces")) {
        auto it = names.find(n);
        if (it == names.end())
            return OpResult::failure(
                EINVAL, fmt::format("unknown namespace `{}` (mount, pid, uts, ipc, net, user, cgroup)", n));
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
            const UniqueFd fd(open(file, O_WRONLY | O_CLOEXEC));
            if (!fd)
                return false;
            return ::write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
        };
        // Our /proc files belong to the machine's root while we are not dumpable (the
        // container keeps lab processes off itself that way): dumpable just for these
        // writes, while no lab command runs (this process is busy with this operation).
        prctl(PR_SET_DUMPABLE, 1);
        const bool mapped = write("/proc/self/setgroups", "deny") &&
                            write("/proc/self/uid_map", fmt::format("0 {} 1", uid)) &&
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

// This process's namespaces, by type, as inode numbers (readlink prints TYPE:[INODE]).
// From /proc/self/ns; where there is no /proc (a container after pivot_root, before it
// mounts one), from a pidfd of itself: Linux 6.11's PIDFD_GET_*_NAMESPACE ioctls
// (include/uapi/linux/pidfd.h) return the namespace as a file, whose inode is the same.
OpResult own_namespaces()
{
    constexpr unsigned kPidfsMagic = 0xFF;
    static const std::pair<const char*, unsigned> types[] = {{"cgroup", 1}, {"ipc", 2},  {"mnt", 3},  {"net", 4},
                                                             {"pid", 5},    {"time", 7}, {"user", 9}, {"uts", 10}};
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
} // namespace mountlab::lab
