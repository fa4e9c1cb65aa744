#include "lab/lab.h"

#include "base/fileio.h"
#include "base/jsonget.h"
#include "lab/userland.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {

Status write_proc_file(pid_t pid, const char* file, const std::string& text)
{
    return write_existing_file(fmt::format("/proc/{}/{}", pid, file), text);
}

// The userland tree as a detached mount, idmapped to the lab's user namespace: its
// files (the machine root's) then belong to the lab's root inside, so overlay can copy
// them up and a container may delete them, while the mount stays read-only, nosuid and
// nodev. Root only (the tree's filesystem belongs to the initial user namespace).
Result<UniqueFd> idmapped_userland(const std::string& tree, pid_t lab_host)
{
    UniqueFd userns(open(fmt::format("/proc/{}/ns/user", lab_host).c_str(), O_RDONLY | O_CLOEXEC));
    if (!userns.valid())
        return system_error(errno, "open the lab's user namespace");
    UniqueFd m(static_cast<int>(syscall(SYS_open_tree, AT_FDCWD, tree.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
    if (!m.valid())
        return system_error(errno, fmt::format("open_tree `{}`", tree));
    struct mount_attr attr {};
    attr.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    attr.userns_fd = static_cast<__u64>(userns.get());
    if (syscall(SYS_mount_setattr, m.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0)
        return system_error(errno, fmt::format("idmap the userland `{}` to the lab", tree));
    return m;
}

} // namespace

long lab_outside_id()
{
    return geteuid() == 0 ? kLabIdBase + static_cast<long>(getpid()) : static_cast<long>(geteuid());
}

Result<std::unique_ptr<Lab>> Lab::start(const LabOptions& options)
{
    std::unique_ptr<Lab> lab(new Lab());
    lab->options_ = options;
    lab->rootless_ = geteuid() != 0;
    lab->outside_id_ = options.outside_id >= 0 ? options.outside_id : lab_outside_id();
    if (lab->outside_id_ == 0)
        return Error{EINVAL, "the lab's root may not map to uid 0 outside: that would make it the machine's root"};
    if (lab->rootless_ && lab->outside_id_ != static_cast<long>(geteuid()))
        return Error{EPERM,
                     fmt::format("only root may map the lab's root to another uid than its own ({})", geteuid())};
    if (lab->options_.userland.empty())
        lab->options_.userland = find_userland();
    if (lab->options_.userland.empty())
        return Error{ENOENT, "the lab's userland is missing: `make build` builds it (mountlab-cli userland --build "
                             "DIR, from Debian's packages); MOUNTLAB_USERLAND names another"};
    if (lab->rootless_) {
        // No idmapped mount without root: the lab needs a tree its root (this user) owns.
        auto own = userland_of_this_user(lab->options_.userland);
        if (!own)
            return own.error();
        lab->options_.userland = *own;
    }
    if (Status s = lab->spawn(); !s)
        return s.error();
    return lab;
}

Status Lab::spawn()
{
    auto pair = Channel::pair();
    if (!pair)
        return pair.error();
    // The user namespace first: every other namespace is then owned by it, and the
    // lab's capabilities reach no further than these namespaces.
    // No cgroup namespace: one would be rooted at the engine's own cgroup (on a machine
    // where that is the root of cgroup v2, all of it) and let the lab mount cgroup2 and
    // read the machine's cgroup tree. In the machine's cgroup namespace the lab may not
    // mount cgroupfs at all; it sees only its own cgroup's path in /proc/self/cgroup.
    const int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
    const long id = outside_id_;
    // Like fork(), with new namespaces: the child is PID 1 of its PID namespace.
    const long pid = syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid < 0) {
        const int e = errno;
        Error err = system_error(e, "clone the lab host into new namespaces");
        if (e == EPERM || e == ENOSPC || e == EUSERS)
            err.message += ": user namespaces are disabled or exhausted here (sysctl user.max_user_namespaces, "
                           "or kernel.unprivileged_userns_clone on older kernels)";
        return err;
    }
    if (pid == 0) {
        pair->first.close();
        lab_host_main(std::move(pair->second), options_);
    }
    pid_ = static_cast<pid_t>(pid);
    channel_ = std::move(pair->first);
    pair->second.close();
    // Before the lab host runs a single step: its cgroups, then its ID maps. Root in the
    // lab is `id` outside, one ID, so nothing it owns or does is anyone else's. An
    // unprivileged engine must deny setgroups to map its gid; root need not, and lets
    // the lab host drop the supplementary groups it inherited (root's) itself.
    Status s = Ok{};
    for (const std::string& dir : options_.cgroups)
        if (s)
            s = write_existing_file(dir + "/cgroup.procs", fmt::format("{}\n", pid_));
    if (s && rootless_)
        s = write_proc_file(pid_, "setgroups", "deny");
    if (s)
        s = write_proc_file(pid_, "uid_map", fmt::format("0 {} 1", id));
    if (s)
        s = write_proc_file(pid_, "gid_map", fmt::format("0 {} 1", rootless_ ? static_cast<long>(getegid()) : id));
    if (!s) {
        stop();
        return s;
    }
    if (options_.on_spawn)
        options_.on_spawn(pid_);
    // The go, and with it (root) the userland as an idmapped mount for the lab host to
    // attach; an unprivileged engine's lab binds its own user's tree.
    Result<UniqueFd> tree =
        rootless_ ? Result<UniqueFd>(Error{EPERM, "not root"}) : idmapped_userland(options_.userland, pid_);
    Status sent = channel_.send(Json{{"op", "start"}, {"userland_fd", tree.ok()}});
    if (sent && tree)
        sent = channel_.send_fd(tree->get());
    if (!sent) {
        stop();
        return sent;
    }
    auto ready = channel_.receive(options_.timeout_ms);
    if (!ready || !json_bool(*ready, "ready")) {
        Error e = ready ? Error{errno_from_name(json_string(*ready, "errno")),
                                "the lab host could not set up: " + json_string(*ready, "error", "?")}
                        : ready.error();
        stop();
        return e;
    }
    info_ = *ready;
    info_["rootless"] = rootless_;
    info_["lab_uid"] = id;
    // Without the idmapped mount (a filesystem that cannot idmap), the base layer's files
    // belong to an unmapped uid in the lab and overlay cannot copy them up: say so.
    if (!rootless_ && !tree)
        info_["userland_warning"] = "the userland is bound without an idmap (" + tree.error().message +
                                    "): files of the base layer cannot be copied up or deleted in a container";
    container_pid_ = json_int(info_, "container_pid", -1);
    return Ok{};
}

void Lab::stop()
{
    if (pid_ > 0) {
        if (channel_.valid())
            (void)channel_.call(Json{{"op", "shutdown"}}, 1000);
        channel_.close();
        // The lab host is PID 1 of the lab: killing it ends every lab process.
        kill(pid_, SIGKILL);
        while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }
}

Lab::~Lab() { stop(); }

Result<OpResult> Lab::call(Json request, int timeout_ms)
{
    if (!channel_.valid())
        return Error{ESRCH, "the lab is not running"};
    auto reply = channel_.call(request, timeout_ms);
    if (!reply)
        return reply.error();
    OpResult r;
    // The lab host's word is taken as data, never trusted to be well-formed.
    r.ok = json_bool(*reply, "ok");
    r.err = errno_from_name(json_string(*reply, "errno"));
    r.message = json_string(*reply, "error");
    r.cause = json_string(*reply, "cause");
    if (reply->is_object() && reply->contains("data") && (*reply)["data"].is_object())
        r.data = (*reply)["data"];
    if (const long long p = json_int(r.data, "container_pid", -1, -1, 1 << 22); p > 0)
        container_pid_ = static_cast<pid_t>(p);
    return r;
}

// How long to wait for an operation's answer: an exec's own limit (clamped to 1 ms..10
// min, as the container clamps it) plus the time to end it and answer.
int Lab::answer_timeout_ms(const Json& request) const
{
    if (json_string(request, "op") != "exec")
        return options_.timeout_ms;
    return static_cast<int>(json_int(request, "timeout_ms", 5000, 1, kMaxTimeoutMs)) + 4000;
}

namespace {

// The lab host's own verbs (set-up, tables, resets, the end): never an operation a
// client sends.
Status not_a_control_verb(const Json& request)
{
    if (!request.is_object())
        return Error{EINVAL, "an operation is a JSON object"};
    const std::string op = json_string(request, "op");
    for (const char* verb : {"start", "shutdown", "snapshot", "reset_container"})
        if (op == verb)
            return Error{EINVAL, fmt::format("`{}` is the lab host's own verb, not an operation", op)};
    return Ok{};
}

} // namespace

Result<OpResult> Lab::in_container(const Json& request)
{
    if (Status s = not_a_control_verb(request); !s)
        return s.error();
    Json r = request;
    r["to"] = "container";
    return call(r, answer_timeout_ms(request));
}

Result<OpResult> Lab::in_process(pid_t pid, const Json& request)
{
    if (Status s = not_a_control_verb(request); !s)
        return s.error();
    Json r = request;
    r["to"] = "process";
    r["pid"] = pid;
    return call(r, answer_timeout_ms(request));
}

Result<OpResult> Lab::in_lab_host(const Json& request)
{
    if (Status s = not_a_control_verb(request); !s)
        return s.error();
    return call(request, answer_timeout_ms(request));
}

Result<Snapshot> Lab::snapshot(pid_t view_pid)
{
    Json request{{"op", "snapshot"}};
    if (view_pid > 0)
        request["view_pid"] = view_pid;
    auto r = call(request, options_.timeout_ms);
    if (!r)
        return r.error();
    if (!r->ok)
        return Error{r->err, r->message};
    Snapshot s;
    s.host = parse_mountinfo(json_string(r->data, "host"), "lab host");
    s.container = parse_mountinfo(json_string(r->data, "container"), "container");
    s.host_mntns = json_u64(r->data, "host_mntns");
    s.container_mntns = json_u64(r->data, "container_mntns");
    s.view_pid = static_cast<pid_t>(json_int(r->data, "view_pid", -1, -1, 1 << 22));
    s.view_comm = json_string(r->data, "view_comm");
    return s;
}

Result<LabTerminal> Lab::open_terminal(const std::string& where, int rows, int cols, bool own_pid_namespace)
{
    Json request{{"op", "terminal"}, {"rows", rows}, {"cols", cols}};
    if (where == "container") {
        request["to"] = "container";
        if (own_pid_namespace)
            request["pid_namespace"] = true;
    } else if (where != "lab host")
        return Error{EINVAL, fmt::format("a terminal runs in the \"container\" or the \"lab host\", not `{}`", where)};
    auto r = call(request, options_.timeout_ms);
    if (!r)
        return r.error();
    if (!r->ok)
        return Error{r->err, fmt::format("open a terminal in the {}: {}", where, r->message)};
    auto master = channel_.receive_fd(options_.timeout_ms);
    if (!master)
        return master.error();
    LabTerminal t;
    t.master = std::move(*master);
    t.pid = static_cast<pid_t>(json_int(r->data, "pid", -1, -1, 1 << 22));
    t.shell = json_string(r->data, "shell");
    return t;
}

Result<std::optional<int>> Lab::terminal_exit(const std::string& where, pid_t pid, int timeout_ms)
{
    Json request{{"op", "terminal_wait"}, {"pid", pid}, {"timeout_ms", timeout_ms}};
    if (where == "container")
        request["to"] = "container";
    auto r = call(request, options_.timeout_ms + timeout_ms);
    if (!r)
        return r.error();
    if (!r->ok) // ESRCH: not that process's shell any more (the container was replaced)
        return r->err == ESRCH ? Result<std::optional<int>>(std::optional<int>()) : Error{r->err, r->message};
    if (!r->data.contains("exit") || !r->data["exit"].is_number_integer())
        return std::optional<int>();
    return std::optional<int>(r->data["exit"].get<int>());
}

Status Lab::reset_container()
{
    auto r = call(Json{{"op", "reset_container"}}, options_.timeout_ms);
    if (!r)
        return r.error();
    if (!r->ok)
        return Error{r->err, r->message};
    return Ok{};
}

Status Lab::reset_lab()
{
    stop();
    return spawn();
}

} // namespace mountlab::lab
