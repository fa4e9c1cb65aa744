// The new mount API (fsopen, fsconfig, fsmount, move_mount, open_tree, mount_setattr),
// one call at a time, as the lesson new-mount-api does them: what app/labtools/newmount.c
// does for the learner's shell. Each call is written to the result's "stdout" as strace
// shows it (with the kernel's own message for a failed fsconfig), and the mount table is
// read between the call that makes a detached mount and the move_mount that attaches it.
#include "lab/ops/handlers.h"

#include "base/fd.h"
#include "base/fileio.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <linux/close_range.h>
#include <map>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {

struct Transcript {
    std::string text;

    // Makes the call after its description is built (a description built after it could
    // change errno on the way), then says "CALL = R" or "CALL = -1 ENAME (message)";
    // returns what it returned, errno kept.
    template <class Call> int call(const std::string& what, Call&& make)
    {
        const int r = static_cast<int>(make());
        return said(what, r);
    }
    int said(const std::string& what, int r)
    {
        const int e = errno;
        text += r < 0 ? fmt::format("{} = -1 {} ({})\n", what, errno_name(e), std::strerror(e))
                      : fmt::format("{} = {}\n", what, r);
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
                            : fmt::format("{}: /proc/self/mountinfo has {} mounts, {} on {}", when, n,
                                          at ? "one" : "none", target));
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
    static const std::map<std::string, unsigned long long> bits = {{"ro", MOUNT_ATTR_RDONLY},
                                                                   {"nosuid", MOUNT_ATTR_NOSUID},
                                                                   {"nodev", MOUNT_ATTR_NODEV},
                                                                   {"noexec", MOUNT_ATTR_NOEXEC}};
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
    case MS_PRIVATE:
        return "MS_PRIVATE";
    case MS_SHARED:
        return "MS_SHARED";
    case MS_SLAVE:
        return "MS_SLAVE";
    case MS_UNBINDABLE:
        return "MS_UNBINDABLE";
    default:
        return "0";
    }
}

// A user namespace whose uid and gid maps are `map` ("INSIDE OUTSIDE COUNT", OUTSIDE in
// this process's namespace): a child unshares it, writes its own maps (setgroups denied
// first, as for any gid_map written from inside) and sends this process a descriptor of
// /proc/self/ns/user over a socket (SCM_RIGHTS), then exits: the descriptor keeps the
// namespace. The child writes and opens its own files (this process is not dumpable, so
// its /proc/PID files are not open to it), holding no descriptor of the container's.
UniqueFd userns_with_map(const std::string& map, Transcript& t)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return UniqueFd();
    UniqueFd mine(sv[0]), theirs(sv[1]);
    const pid_t child = fork();
    if (child < 0)
        return UniqueFd();
    if (child == 0) {
        // Nothing of the container's but the socket; then dumpable, or our own /proc
        // files belong to the machine's root (as the unshare op does for its maps).
        close_range(0, static_cast<unsigned>(theirs.get()) - 1, 0);
        close_range(static_cast<unsigned>(theirs.get()) + 1, ~0U, 0);
        prctl(PR_SET_DUMPABLE, 1);
        int err = unshare(CLONE_NEWUSER) != 0 ? errno : 0;
        for (const auto& [file, text] : {std::pair<const char*, std::string>{"/proc/self/setgroups", "deny"},
                                         {"/proc/self/uid_map", map},
                                         {"/proc/self/gid_map", map}})
            if (!err)
                if (Status w = write_existing_file(file, text); !w)
                    err = w.error().errnum ? w.error().errnum : EINVAL;
        const int ns = err ? -1 : open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
        if (!err && ns < 0)
            err = errno;
        char byte = static_cast<char>(err);
        struct iovec iov {
            &byte, 1
        };
        alignas(struct cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
        struct msghdr msg {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (ns >= 0) {
            msg.msg_control = buf;
            msg.msg_controllen = sizeof buf;
            struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            std::memcpy(CMSG_DATA(c), &ns, sizeof ns);
        }
        (void)!sendmsg(theirs.get(), &msg, 0);
        _exit(0);
    }
    theirs.reset();
    char byte = 0;
    struct iovec iov {
        &byte, 1
    };
    alignas(struct cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf;
    msg.msg_controllen = sizeof buf;
    UniqueFd fd;
    const ssize_t n = recvmsg(mine.get(), &msg, MSG_CMSG_CLOEXEC);
    int err = n == 1 ? byte : EIO;
    if (!err)
        for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                int got = -1;
                std::memcpy(&got, CMSG_DATA(c), sizeof got);
                fd.reset(got);
            }
    mine.reset();
    waitpid(child, nullptr, 0);
    if (fd)
        t.note(fmt::format("a user namespace with uid_map and gid_map \"{}\": descriptor {}", map, fd.get()));
    else
        t.note(fmt::format("the user namespace with the map \"{}\" could not be made: {}", map,
                           std::strerror(err ? err : EIO)));
    errno = err ? err : EIO;
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
    const std::string what =
        fmt::format("mount_setattr({}, \"{}\", {}, {{attr_set={}, attr_clr={}, propagation={}, userns_fd={}}}, {})",
                    dfd == AT_FDCWD ? std::string("AT_FDCWD") : std::to_string(dfd), path, fl.empty() ? "0" : fl,
                    attr_names(attr.attr_set), attr_names(attr.attr_clr), propagation_name(attr.propagation),
                    attr.userns_fd, sizeof attr);
    if (t.call(what, [&] { return mount_setattr(dfd, path.c_str(), flags, &attr, sizeof attr); }) < 0)
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
               [&] { return move_mount(fd, "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH); }) < 0)
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
    UniqueFd fs(t.call(fmt::format("fsopen(\"{}\", FSOPEN_CLOEXEC)", fstype),
                       [&] { return fsopen(fstype.c_str(), FSOPEN_CLOEXEC); }));
    if (!fs)
        return t.fail(fmt::format("fsopen `{}`", fstype));
    for (const Json& o : req.value("options", Json::array())) {
        const std::string opt = o.is_string() ? o.get<std::string>() : o.dump();
        const size_t eq = opt.find('=');
        int r;
        if (eq != std::string::npos) {
            const std::string key = opt.substr(0, eq), value = opt.substr(eq + 1);
            r = t.call(fmt::format("fsconfig({}, FSCONFIG_SET_STRING, \"{}\", \"{}\", 0)", fs.get(), key, value),
                       [&] { return fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0); });
        } else {
            r = t.call(fmt::format("fsconfig({}, FSCONFIG_SET_FLAG, \"{}\", NULL, 0)", fs.get(), opt),
                       [&] { return fsconfig(fs.get(), FSCONFIG_SET_FLAG, opt.c_str(), nullptr, 0); });
        }
        if (r < 0) {
            t.context_log(fs.get());
            return t.fail(fmt::format("fsconfig `{}`", opt));
        }
    }
    if (t.call(fmt::format("fsconfig({}, FSCONFIG_CMD_CREATE, NULL, NULL, 0)", fs.get()),
               [&] { return fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0); }) < 0) {
        t.context_log(fs.get());
        return t.fail(fmt::format("fsconfig(FSCONFIG_CMD_CREATE) of `{}`", fstype));
    }
    UniqueFd mnt(t.call(fmt::format("fsmount({}, FSMOUNT_CLOEXEC, {})", fs.get(), attr_names(*attrs)),
                        [&] { return fsmount(fs.get(), FSMOUNT_CLOEXEC, static_cast<unsigned int>(*attrs)); }));
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

namespace {

// `work` in a child in a new user and mount namespace whose root is this process's user
// (what `unshare --user --map-root-user --mount` makes): its result comes back as JSON
// over a pipe. The child holds no descriptor of the container's but the pipe.
OpResult in_nested_user_namespace(const std::function<OpResult()>& work)
{
    auto answer = in_a_child(
        [&]() -> Json {
            prctl(PR_SET_DUMPABLE, 1);
            Status made = unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0
                              ? Status(Ok{})
                              : Status(system_error(errno, "unshare a user and mount namespace"));
            for (const auto& [file, text] : {std::pair<const char*, const char*>{"/proc/self/setgroups", "deny"},
                                             {"/proc/self/uid_map", "0 0 1"},
                                             {"/proc/self/gid_map", "0 0 1"}})
                if (made)
                    made = write_existing_file(file, text);
            if (!made)
                return Json{
                    {"ok", false}, {"errno", made.error().errnum}, {"message", made.error().message}, {"stdout", ""}};
            const std::string head =
                "unshare(CLONE_NEWUSER|CLONE_NEWNS) = 0   (uid_map \"0 0 1\": root there is the lab's root)\n";
            const OpResult r = work();
            return Json{{"ok", r.ok},
                        {"errno", r.err},
                        {"message", r.message},
                        {"cause", r.cause},
                        {"stdout", head + r.data.value("stdout", "")}};
        },
        true);
    if (!answer)
        return OpResult::failure(answer.error().errnum, answer.error().message);
    const Json& out = *answer;
    if (!out.is_object())
        return OpResult::failure(EIO, "the child in a new user namespace gave no answer");
    if (out.contains("child_error"))
        return OpResult::failure(EINVAL, out.value("child_error", std::string()));
    OpResult r = out.value("ok", false)
                     ? OpResult{}
                     : OpResult::failure(out.value("errno", EIO), out.value("message", std::string()),
                                         out.value("cause", std::string()));
    r.data["stdout"] = out.value("stdout", std::string());
    return r;
}

} // namespace

// open_tree(path, OPEN_TREE_CLONE [| AT_RECURSIVE]): a detached copy; mount_setattr on it
// when attributes, a propagation or an idmapping are asked; move_mount onto target.
// With nested_userns: all of it in a new user and mount namespace (no target then: the
// namespace ends with the child).
OpResult new_api_clone(const Json& req)
{
    if (req.value("nested_userns", false)) {
        Json inner = req;
        inner.erase("nested_userns");
        inner.erase("target");
        return in_nested_user_namespace([&] { return new_api_clone(inner); });
    }
    Transcript t;
    const std::string path = req.value("path", std::string());
    const std::string target = req.value("target", std::string());
    const bool recursive = req.value("recursive", false);
    UniqueFd tree(t.call(fmt::format("open_tree(AT_FDCWD, \"{}\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC{})", path,
                                     recursive ? "|AT_RECURSIVE" : ""),
                         [&] {
                             return open_tree(AT_FDCWD, path.c_str(),
                                              OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
                         }));
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
    return set_attributes(AT_FDCWD, req.value("path", std::string()), req.value("recursive", false) ? AT_RECURSIVE : 0,
                          req, t);
}

} // namespace mountlab::lab
