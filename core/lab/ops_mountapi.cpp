// The new mount API (fsopen, fsconfig, fsmount, move_mount, open_tree, mount_setattr),
// one call at a time, as the lesson new-mount-api does them: what app/labtools/newmount.c
// does for the learner's shell. Each call is written to the result's "stdout" as strace
// shows it (with the kernel's own message for a failed fsconfig), and the mount table is
// read between the call that makes a detached mount and the move_mount that attaches it.
#include "lab/ops_mountapi.h"

#include "base/fd.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {

struct Transcript {
    std::string text;

    // "CALL = R" or "CALL = -1 ENAME (message)"; returns r, errno kept.
    int call(const std::string& what, int r)
    {
        const int e = errno;
        text += r < 0 ? fmt::format("{} = -1 {} ({})\n", what, errno_name(e), std::strerror(e)) : fmt::format("{} = {}\n", what, r);
        errno = e;
        return r;
    }
    void note(const std::string& line) { text += "newmount: " + line + "\n"; }

    // The messages the kernel left in a filesystem context ("e tmpfs: Bad value for 'size'").
    void context_log(int fd)
    {
        const int e = errno;
        char buf[512];
        for (;;) {
            const ssize_t n = read(fd, buf, sizeof buf - 1);
            if (n <= 0)
                break;
            std::string msg(buf, static_cast<size_t>(n));
            while (!msg.empty() && msg.back() == '\n')
                msg.pop_back();
            note(fmt::format("the kernel says: {}", msg));
        }
        errno = e;
    }

    // How many mounts /proc/self/mountinfo lists, and whether one is on target.
    void table(const std::string& when, const std::string& target)
    {
        std::ifstream in("/proc/self/mountinfo");
        std::string line;
        int n = 0;
        bool at = false;
        while (std::getline(in, line)) {
            ++n;
            size_t pos = 0;
            for (int field = 0; field < 4 && pos != std::string::npos; ++field)
                pos = line.find(' ', pos + 1);
            if (pos != std::string::npos && line.compare(pos + 1, target.size() + 1, target + " ") == 0)
                at = true;
        }
        note(target.empty() ? fmt::format("{}: /proc/self/mountinfo has {} mounts", when, n)
                            : fmt::format("{}: /proc/self/mountinfo has {} mounts, {} on {}", when, n, at ? "one" : "none", target));
    }

    OpResult fail(const std::string& what) const
    {
        OpResult r = OpResult::from_errno(what);
        r.data["stdout"] = text;
        return r;
    }
    OpResult ok() const
    {
        OpResult r;
        r.data["stdout"] = text;
        return r;
    }
};

std::string attr_names(unsigned long long a)
{
    static const std::pair<unsigned long long, const char*> names[] = {
        {MOUNT_ATTR_RDONLY, "MOUNT_ATTR_RDONLY"}, {MOUNT_ATTR_NOSUID, "MOUNT_ATTR_NOSUID"},
        {MOUNT_ATTR_NODEV, "MOUNT_ATTR_NODEV"},   {MOUNT_ATTR_NOEXEC, "MOUNT_ATTR_NOEXEC"},
        {MOUNT_ATTR_IDMAP, "MOUNT_ATTR_IDMAP"},   {MOUNT_ATTR_NOSYMFOLLOW, "MOUNT_ATTR_NOSYMFOLLOW"}};
    std::string out;
    for (const auto& [bit, name] : names)
        if (a & bit)
            out += (out.empty() ? "" : "|") + std::string(name);
    return out.empty() ? "0" : out;
}

Result<unsigned long long> attrs_from_names(const Json& names)
{
    static const std::map<std::string, unsigned long long> bits = {
        {"ro", MOUNT_ATTR_RDONLY}, {"nosuid", MOUNT_ATTR_NOSUID}, {"nodev", MOUNT_ATTR_NODEV}, {"noexec", MOUNT_ATTR_NOEXEC}};
    unsigned long long a = 0;
    if (names.is_array())
        for (const Json& n : names) {
            auto it = bits.find(n.is_string() ? n.get<std::string>() : std::string());
            if (it == bits.end())
                return Error{EINVAL, fmt::format("unknown mount attribute {} (ro, nosuid, nodev, noexec)", n.dump())};
            a |= it->second;
        }
    return a;
}

Result<unsigned long long> propagation_from_name(const std::string& p)
{
    if (p.empty())
        return 0ULL;
    if (p == "private")
        return static_cast<unsigned long long>(MS_PRIVATE);
    if (p == "shared")
        return static_cast<unsigned long long>(MS_SHARED);
    if (p == "slave")
        return static_cast<unsigned long long>(MS_SLAVE);
    if (p == "unbindable")
        return static_cast<unsigned long long>(MS_UNBINDABLE);
    return Error{EINVAL, fmt::format("unknown propagation `{}` (private, shared, slave, unbindable)", p)};
}

std::string propagation_name(unsigned long long p)
{
    switch (p) {
    case MS_PRIVATE: return "MS_PRIVATE";
    case MS_SHARED: return "MS_SHARED";
    case MS_SLAVE: return "MS_SLAVE";
    case MS_UNBINDABLE: return "MS_UNBINDABLE";
    default: return "0";
    }
}

// A user namespace whose uid and gid maps are `map` ("INSIDE OUTSIDE COUNT", OUTSIDE in
// this process's namespace): a child unshares it and waits, this process writes its maps
// and opens /proc/CHILD/ns/user, then lets the child exit (the descriptor keeps it).
UniqueFd userns_with_map(const std::string& map, Transcript& t)
{
    int go[2];
    if (pipe2(go, O_CLOEXEC) != 0)
        return UniqueFd();
    const pid_t child = fork();
    if (child < 0) {
        close(go[0]), close(go[1]);
        return UniqueFd();
    }
    if (child == 0) {
        char c;
        close(go[1]);
        if (unshare(CLONE_NEWUSER) != 0)
            _exit(1);
        (void)!read(go[0], &c, 1);
        _exit(0);
    }
    close(go[0]);
    struct stat me {}, it {};
    stat("/proc/self/ns/user", &me);
    const std::string ns = fmt::format("/proc/{}/ns/user", child);
    for (int i = 0; i < 2000 && !(stat(ns.c_str(), &it) == 0 && it.st_ino != me.st_ino); ++i)
        usleep(1000);
    bool ok = it.st_ino != me.st_ino;
    for (const char* file : {"uid_map", "gid_map"}) {
        if (!ok)
            break;
        const std::string path = fmt::format("/proc/{}/{}", child, file);
        UniqueFd m(open(path.c_str(), O_WRONLY | O_CLOEXEC));
        ok = m && write(m.get(), map.data(), map.size()) == static_cast<ssize_t>(map.size());
        t.note(fmt::format("write(\"{}\", \"{}\") {}", path, map, ok ? "= 0" : std::string("failed: ") + std::strerror(errno)));
    }
    UniqueFd fd;
    if (ok) {
        fd.reset(open(ns.c_str(), O_RDONLY | O_CLOEXEC));
        t.note(fmt::format("open(\"{}\") = {}   (a user namespace mapping \"{}\")", ns, fd.get(), map));
    }
    const int e = errno;
    close(go[1]);
    waitpid(child, nullptr, 0);
    errno = e;
    return fd;
}

// mount_setattr on dfd/path with the request's ro, attributes, propagation and idmap.
OpResult set_attributes(int dfd, const std::string& path, unsigned int flags, const Json& req, Transcript& t)
{
    auto set = attrs_from_names(req.value("attrs", Json::array()));
    if (!set)
        return OpResult::failure(set.error().errnum, set.error().message);
    auto prop = propagation_from_name(req.value("propagation", std::string()));
    if (!prop)
        return OpResult::failure(prop.error().errnum, prop.error().message);
    struct mount_attr attr {};
    attr.attr_set = *set;
    attr.propagation = *prop;
    UniqueFd ns;
    if (const std::string map = req.value("idmap", std::string()); !map.empty()) {
        ns = userns_with_map(map, t);
        if (!ns)
            return t.fail("make a user namespace for the idmapping");
        attr.attr_set |= MOUNT_ATTR_IDMAP;
        attr.userns_fd = static_cast<unsigned long long>(ns.get());
    }
    if (req.value("rw", false))
        attr.attr_clr |= MOUNT_ATTR_RDONLY;
    std::string fl;
    if (flags & AT_EMPTY_PATH)
        fl = "AT_EMPTY_PATH";
    if (flags & AT_RECURSIVE)
        fl += (fl.empty() ? "" : "|") + std::string("AT_RECURSIVE");
    const std::string what = fmt::format(
        "mount_setattr({}, \"{}\", {}, {{attr_set={}, attr_clr={}, propagation={}, userns_fd={}}}, {})",
        dfd == AT_FDCWD ? std::string("AT_FDCWD") : std::to_string(dfd), path, fl.empty() ? "0" : fl, attr_names(attr.attr_set),
        attr_names(attr.attr_clr), propagation_name(attr.propagation), attr.userns_fd, sizeof attr);
    if (t.call(what, mount_setattr(dfd, path.c_str(), flags, &attr, sizeof attr)) < 0)
        return t.fail(fmt::format("mount_setattr `{}`", path.empty() ? fmt::format("fd {}", dfd) : path));
    return t.ok();
}

// mkdir -p target (the shell lines make it with `mkdir -p` before the call).
bool make_target(const std::string& target)
{
    for (size_t at = target.find('/', 1);; at = target.find('/', at + 1)) {
        const std::string dir = target.substr(0, at);
        if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
            return false;
        if (at == std::string::npos)
            return true;
    }
}

OpResult move_onto(int fd, const std::string& target, Transcript& t)
{
    if (!make_target(target))
        return t.fail(fmt::format("mkdir -p `{}`", target));
    if (t.call(fmt::format("move_mount({}, \"\", AT_FDCWD, \"{}\", MOVE_MOUNT_F_EMPTY_PATH)", fd, target),
               move_mount(fd, "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH)) < 0)
        return t.fail(fmt::format("move_mount onto `{}`", target));
    t.table("after move_mount", target);
    return t.ok();
}

} // namespace

// fsopen(fstype); one fsconfig per option ("key=value" a string, "key" a flag);
// FSCONFIG_CMD_CREATE; fsmount with the attributes; move_mount onto target (none: the
// detached mount is closed, and so freed).
OpResult new_api_mount(const Json& req)
{
    Transcript t;
    const std::string fstype = req.value("fstype", std::string());
    const std::string target = req.value("target", std::string());
    auto attrs = attrs_from_names(req.value("attrs", Json::array()));
    if (!attrs)
        return OpResult::failure(attrs.error().errnum, attrs.error().message);
    UniqueFd fs(t.call(fmt::format("fsopen(\"{}\", FSOPEN_CLOEXEC)", fstype), fsopen(fstype.c_str(), FSOPEN_CLOEXEC)));
    if (!fs)
        return t.fail(fmt::format("fsopen `{}`", fstype));
    for (const Json& o : req.value("options", Json::array())) {
        const std::string opt = o.is_string() ? o.get<std::string>() : o.dump();
        const size_t eq = opt.find('=');
        int r;
        if (eq != std::string::npos) {
            const std::string key = opt.substr(0, eq), value = opt.substr(eq + 1);
            r = t.call(fmt::format("fsconfig({}, FSCONFIG_SET_STRING, \"{}\", \"{}\", 0)", fs.get(), key, value),
                       fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0));
        } else {
            r = t.call(fmt::format("fsconfig({}, FSCONFIG_SET_FLAG, \"{}\", NULL, 0)", fs.get(), opt),
                       fsconfig(fs.get(), FSCONFIG_SET_FLAG, opt.c_str(), nullptr, 0));
        }
        if (r < 0) {
            t.context_log(fs.get());
            return t.fail(fmt::format("fsconfig `{}`", opt));
        }
    }
    if (t.call(fmt::format("fsconfig({}, FSCONFIG_CMD_CREATE, NULL, NULL, 0)", fs.get()),
               fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0)) < 0) {
        t.context_log(fs.get());
        return t.fail(fmt::format("fsconfig(FSCONFIG_CMD_CREATE) of `{}`", fstype));
    }
    UniqueFd mnt(t.call(fmt::format("fsmount({}, FSMOUNT_CLOEXEC, {})", fs.get(), attr_names(*attrs)),
                        fsmount(fs.get(), FSMOUNT_CLOEXEC, static_cast<unsigned int>(*attrs))));
    if (!mnt)
        return t.fail("fsmount");
    fs.reset();
    t.table("after fsmount (a detached mount, held by its descriptor)", target);
    if (target.empty()) {
        t.note("no target: closing the descriptor frees the detached mount");
        return t.ok();
    }
    return move_onto(mnt.get(), target, t);
}

// open_tree(path, OPEN_TREE_CLONE [| AT_RECURSIVE]): a detached copy; mount_setattr on it
// when attributes, a propagation or an idmapping are asked; move_mount onto target.
OpResult new_api_clone(const Json& req)
{
    Transcript t;
    const std::string path = req.value("path", std::string());
    const std::string target = req.value("target", std::string());
    const bool recursive = req.value("recursive", false);
    UniqueFd tree(t.call(fmt::format("open_tree(AT_FDCWD, \"{}\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC{})", path,
                                     recursive ? "|AT_RECURSIVE" : ""),
                         open_tree(AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0))));
    if (!tree)
        return t.fail(fmt::format("open_tree `{}`", path));
    t.table("after open_tree (a detached copy, held by its descriptor)", target);
    if (req.contains("attrs") || req.contains("propagation") || req.contains("idmap")) {
        OpResult r = set_attributes(tree.get(), "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), req, t);
        if (!r.ok)
            return r;
    }
    if (target.empty()) {
        t.note("no target: closing the descriptor frees the detached copy");
        return t.ok();
    }
    return move_onto(tree.get(), target, t);
}

// mount_setattr(AT_FDCWD, path, [AT_RECURSIVE], ...) on an attached mount.
OpResult new_api_setattr(const Json& req)
{
    Transcript t;
    return set_attributes(AT_FDCWD, req.value("path", std::string()), req.value("recursive", false) ? AT_RECURSIVE : 0, req, t);
}

} // namespace mountlab::lab
