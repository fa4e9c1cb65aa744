// The lab host and the container process: what runs inside the lab.
#include "lab/lab.h"
#include "lab/labroot.h"

#include "base/jsonget.h"
#include "lab/terminal.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <optional>
#include <poll.h>
#include <sched.h>
#include <string_view>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {

[[noreturn]] void fail_setup(const Channel& engine, const Error& e)
{
    (void)engine.send(Json{{"ready", false}, {"errno", errno_name(e.errnum)}, {"error", e.message}});
    _exit(1);
}

void reap_children()
{
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        note_child_exit(pid, status);
}

// ---------------------------------------------------------------- container

// One operation, whatever the request holds: a malformed one is a failed operation,
// never the end of the process.
OpResult perform_safely(const Json& request, ProcessState& state)
{
    try {
        if (!request.is_object())
            return OpResult::failure(EINVAL, "an operation is a JSON object");
        return perform(request, state);
    } catch (const std::exception& e) {
        return OpResult::failure(EINVAL, fmt::format("malformed operation: {}", e.what()));
    }
}

// What the container says of itself in every reply: its mount namespace and its root
// (the lab host cannot read a non-dumpable process's ns links or root).
void where_i_am(Json& reply)
{
    reply["mntns"] = mount_ns_inode();
    struct stat root {};
    if (stat("/", &root) == 0) {
        reply["root_dev"] = static_cast<unsigned long long>(root.st_dev);
        reply["root_ino"] = static_cast<unsigned long long>(root.st_ino);
    }
}

[[noreturn]] void container_main(Channel lab, ProcessState state)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_SET_NAME, "container");
    // Not dumpable, like the lab host: no lab process may ptrace it or open its /proc
    // files (its channel to the lab host), whatever it runs.
    prctl(PR_SET_DUMPABLE, 0);
    while (true) {
        auto req = lab.receive();
        if (!req)
            _exit(0);
        const std::string op = json_string(*req, "op");
        OpResult r;
        if (op == "terminal") {
            // The lab host passes the PTY's slave right after the request.
            auto slave = lab.receive_fd(5000);
            r = slave ? start_terminal_shell(slave->get(), "container", json_bool(*req, "pid_namespace"))
                      : OpResult::failure(slave.error().errnum, slave.error().message);
        } else if (op == "terminal_wait") {
            r = wait_terminal_shell(*req);
        } else {
            r = perform_safely(*req, state);
        }
        if (r.ok && r.data.value("needs_fork", false)) {
            // A new PID namespace applies to the next child: it becomes the container's
            // PID 1 and takes over; this process stays as its parent until it exits.
            const pid_t child = fork();
            if (child < 0) {
                r = OpResult::from_errno("fork the container's PID 1");
            } else if (child == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                prctl(PR_SET_DUMPABLE, 0);
                continue; // the new container: serve the next request
            } else {
                r.data["container_pid"] = child;
                Json reply = r.to_json();
                where_i_am(reply);
                (void)lab.send(reply);
                lab.close();
                prctl(PR_SET_NAME, "container-init-parent");
                int st = 0;
                while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
                }
                _exit(0);
            }
        }
        reap_children();
        // Where it is now: the lab host cannot read a non-dumpable process's ns links.
        Json reply = r.to_json();
        where_i_am(reply);
        if (!lab.send(reply))
            _exit(0);
    }
}

struct Container {
    Channel channel;
    std::vector<pid_t> pids; // the container process and, after a PID namespace, its PID 1
    pid_t current = -1;
    unsigned long long mntns = 0;                  // as it last said; a fresh one shares the lab host's
    unsigned long long root_dev = 0, root_ino = 0; // its root (chroot, pivot_root), as it last said
};

// What the container answered (or why it did not), as the reply to pass on; notes
// where it is now (the lab host cannot read a non-dumpable process's ns links).
Json container_answer(Container& c, Result<Json> answer)
{
    if (!answer)
        return OpResult::failure(answer.error().errnum,
                                 "the container process did not answer: " + answer.error().message)
            .to_json();
    Json reply = std::move(*answer);
    if (const unsigned long long ns = json_u64(reply, "mntns"))
        c.mntns = ns;
    if (reply.contains("root_ino")) {
        c.root_dev = json_u64(reply, "root_dev");
        c.root_ino = json_u64(reply, "root_ino");
    }
    reply.erase("mntns");
    reply.erase("root_dev");
    reply.erase("root_ino");
    return reply;
}

Result<Container> start_container(const ProcessState& state)
{
    auto pair = Channel::pair();
    if (!pair)
        return pair.error();
    const pid_t pid = fork();
    if (pid < 0)
        return system_error(errno, "fork the container");
    if (pid == 0)
        container_main(std::move(pair->second), state);
    Container c;
    c.channel = std::move(pair->first);
    c.pids = {pid};
    c.current = pid;
    c.mntns = mount_ns_inode();
    struct stat root {};
    if (stat("/", &root) == 0)
        c.root_dev = root.st_dev, c.root_ino = root.st_ino;
    return c;
}

void kill_container(Container& c)
{
    c.channel.close();
    for (pid_t p : c.pids)
        kill(p, SIGKILL);
    for (pid_t p : c.pids)
        waitpid(p, nullptr, 0); // grandchildren are reaped by reap_children (we are PID 1)
    reap_children();
    c.pids.clear();
}

// The lab host's own proc, held open: a container whose / is still shared with the lab
// host can mount over (or unmount) /proc, and that would reach the lab host's /proc too.
// Reading through this descriptor always reaches the proc the lab host mounted.
int g_proc_fd = -1;

Result<std::string> read_proc(const std::string& relative)
{
    UniqueFd fd(openat(g_proc_fd, relative.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return system_error(errno, fmt::format("open /proc/{}", relative));
    std::string out;
    char buf[65536];
    ssize_t r;
    while ((r = read(fd.get(), buf, sizeof buf)) > 0)
        out.append(buf, static_cast<size_t>(r));
    const int e = errno;
    fd.reset();
    if (r < 0)
        return system_error(e, fmt::format("read /proc/{}", relative));
    // A mount table always holds the root: an empty one means the process is gone.
    if (out.empty())
        return Error{ESRCH, fmt::format("/proc/{} is empty: the process is gone", relative)};
    return out;
}

// Another lab process's mount table, namespace and name, read at one moment; nullopt
// when it is gone (or not of this lab's PID namespace).
struct ProcessView {
    std::string mountinfo;
    unsigned long long mntns = 0;
    unsigned long long root_dev = 0, root_ino = 0;
    std::string comm;
};
std::optional<ProcessView> process_view(pid_t pid)
{
    ProcessView v;
    struct stat st {};
    if (fstatat(g_proc_fd, fmt::format("{}/ns/mnt", pid).c_str(), &st, 0) != 0)
        return std::nullopt;
    v.mntns = st.st_ino;
    if (fstatat(g_proc_fd, fmt::format("{}/root", pid).c_str(), &st, 0) != 0)
        return std::nullopt;
    v.root_dev = st.st_dev;
    v.root_ino = st.st_ino;
    auto info = read_proc(fmt::format("{}/mountinfo", pid));
    if (!info)
        return std::nullopt;
    v.mountinfo = std::move(*info);
    if (auto comm = read_proc(fmt::format("{}/comm", pid)))
        v.comm = comm->substr(0, comm->find('\n'));
    return v;
}

// A forked lab host shares the engine's command line (the grader's, with every
// submission's name) in memory that /proc/1/cmdline shows to the container: blank it.
void hide_command_line()
{
    auto stat = read_whole_file("/proc/self/stat");
    if (!stat)
        return;
    const size_t close_paren = stat->rfind(')');
    if (close_paren == std::string::npos)
        return;
    // Fields after the command name, counted from 3 (state); arg_start is 48, arg_end 49.
    std::vector<std::string_view> fields;
    std::string_view rest = std::string_view(*stat).substr(close_paren + 2);
    while (!rest.empty()) {
        const size_t sp = rest.find(' ');
        fields.push_back(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    }
    if (fields.size() < 47)
        return;
    const unsigned long start = std::stoul(std::string(fields[48 - 3]));
    const unsigned long end = std::stoul(std::string(fields[49 - 3]));
    // Whatever its size (a class of thousands of files is megabytes of arguments): the
    // area is this process's own initial stack, mapped whole.
    if (end > start && end - start < (1ul << 30)) {
        auto* p = reinterpret_cast<char*>(start);
        memset(p, 0, end - start);
        memcpy(p, "labhost", std::min<size_t>(8, end - start));
    }
}

// A terminal: a PTY of the lab's, its shell in the container (the slave passed to it)
// or here; the reply, then the master, to the engine. Nothing is passed on failure.
void serve_terminal(const Channel& engine, Container* container, const Json& request, int timeout_ms)
{
    auto pty = open_lab_pty(static_cast<int>(json_int(request, "rows", 24, 1, 1000)),
                            static_cast<int>(json_int(request, "cols", 80, 1, 1000)));
    Json reply;
    if (!pty) {
        reply = OpResult::failure(pty.error().errnum, pty.error().message).to_json();
    } else if (container) {
        Status sent = container->channel.send(request);
        if (sent)
            sent = container->channel.send_fd(pty->slave.get());
        reply =
            container_answer(*container, sent ? container->channel.receive(timeout_ms) : Result<Json>(sent.error()));
    } else {
        reply = start_terminal_shell(pty->slave.get(), "lab host").to_json();
    }
    const bool ok = json_bool(reply, "ok");
    if (!engine.send(reply) || (ok && !engine.send_fd(pty->master.get())))
        _exit(0);
}

// What the engine sends first: its go (once it wrote our ID maps) and, with it, the
// idmapped userland it opened. If the engine died already, the channel is closed: stop.
UniqueFd await_engine_go(const Channel& engine, const LabOptions& options)
{
    auto go = engine.receive();
    if (!go)
        _exit(0);
    UniqueFd idmapped_tree;
    if (json_bool(*go, "userland_fd")) {
        auto fd = engine.receive_fd(options.timeout_ms);
        if (!fd)
            fail_setup(engine, fd.error());
        idmapped_tree = std::move(*fd);
    }
    return idmapped_tree;
}

ProcessState lab_process_state()
{
    ProcessState state;
    struct stat root {};
    stat("/", &root);
    state.lab_root_dev = root.st_dev;
    state.lab_root_ino = root.st_ino;
    state.secret = kHostSecret;
    return state;
}

void say_ready(const Channel& engine, const LabOptions& options, const Container& container)
{
    Json layers = Json::array();
    for (const LayerSpec& l : options.layers)
        layers.push_back({{"name", l.name}, {"path", layer_path(l.name)}});
    struct utsname u {};
    uname(&u);
    (void)engine.send(Json{{"ready", true},
                           {"kernel", u.release},
                           {"container_pid", container.current},
                           {"host_mntns", mount_ns_inode()},
                           {"layers", layers}});
}

// A request for the container, passed on; it may have moved to a new PID 1.
Json ask_container(Container& container, const Json& r, const std::string& op, const LabOptions& options)
{
    const int timeout =
        op == "exec" ? static_cast<int>(json_int(r, "timeout_ms", 5000, 1, kMaxTimeoutMs)) + 2000 : options.timeout_ms;
    Json reply = container_answer(container, container.channel.call(r, timeout));
    if (reply.contains("data") && reply["data"].contains("container_pid")) {
        container.current = static_cast<pid_t>(json_int(reply["data"], "container_pid", -1, -1, 1 << 22));
        container.pids.push_back(container.current);
    }
    return reply;
}

// Both mount tables. The container view may be asked of another process: the
// foreground of a terminal in the container, whose `unshare --mount bash` or `chroot`
// gave it a namespace or root the container process does not have. When that process
// is gone, the container's own view.
Json snapshot(const Container& container, const Json& r)
{
    auto host = read_proc("self/mountinfo");
    const auto view = static_cast<pid_t>(json_int(r, "view_pid", -1, -1, 1 << 22));
    std::optional<ProcessView> other;
    if (view > 0 && view != container.current)
        other = process_view(view);
    // The same namespace and root as the container's: its view is the container's.
    if (other && other->mntns == container.mntns && other->root_dev == container.root_dev &&
        other->root_ino == container.root_ino)
        other.reset();
    auto cont =
        other ? Result<std::string>(other->mountinfo) : read_proc(fmt::format("{}/mountinfo", container.current));
    if (!host || !cont) {
        const Error& e = !host ? host.error() : cont.error();
        return OpResult::failure(e.errnum, "the mount tables cannot be read: " + e.message).to_json();
    }
    Json reply = {{"ok", true},
                  {"data",
                   {{"host", *host},
                    {"container", *cont},
                    {"host_mntns", mount_ns_inode()},
                    {"container_mntns", other ? other->mntns : container.mntns},
                    {"container_pid", container.current}}}};
    if (other) {
        reply["data"]["view_pid"] = view;
        reply["data"]["view_comm"] = other->comm;
    }
    return reply;
}

// Every descriptor but these: the child of ask_process holds nothing of the lab host's
// (its channels to the engine and the container least of all) once it is in a learner's
// namespaces, where the learner may be root and so may read its descriptors.
void close_all_but(std::vector<int> keep)
{
    std::sort(keep.begin(), keep.end());
    unsigned from = 3;
    for (const int k : keep) {
        if (k < static_cast<int>(from))
            continue;
        if (static_cast<unsigned>(k) > from)
            syscall(SYS_close_range, from, static_cast<unsigned>(k) - 1u, 0u);
        from = static_cast<unsigned>(k) + 1u;
    }
    if (syscall(SYS_close_range, from, ~0u, 0u) != 0)
        _exit(127); // nothing of the lab host's may go where the learner is: no answer instead
}

// What ask_process enters: the process's namespaces, root and working directory, all
// opened while a pidfd pinned the process and checked after (so a PID reused meanwhile
// is never entered).
struct ProcessFds {
    UniqueFd mnt, root, cwd, user;
    std::vector<std::pair<UniqueFd, int>> others; // uts, ipc, net, cgroup, pid
};

Result<ProcessFds> open_process(long long pid)
{
    const UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0)));
    if (!pidfd)
        return system_error(errno, fmt::format("pidfd_open `{}`", pid));
    auto at = [pid](const char* what, int flags) {
        return UniqueFd(openat(g_proc_fd, fmt::format("{}/{}", pid, what).c_str(), flags | O_CLOEXEC));
    };
    ProcessFds f;
    f.mnt = at("ns/mnt", O_RDONLY);
    int err = f.mnt ? 0 : errno;
    f.root = at("root", O_RDONLY | O_DIRECTORY);
    err = err ? err : (f.root ? 0 : errno);
    f.cwd = at("cwd", O_RDONLY | O_DIRECTORY);
    f.user = at("ns/user", O_RDONLY);
    for (const auto& [name, type] :
         {std::pair{"ns/uts", CLONE_NEWUTS}, std::pair{"ns/ipc", CLONE_NEWIPC}, std::pair{"ns/net", CLONE_NEWNET},
          std::pair{"ns/cgroup", CLONE_NEWCGROUP}, std::pair{"ns/pid", CLONE_NEWPID}})
        f.others.emplace_back(at(name, O_RDONLY), type);
    // Still the process the pidfd pinned: /proc/PID was not another's while they opened.
    const bool alive = syscall(SYS_pidfd_send_signal, pidfd.get(), 0, nullptr, 0) == 0;
    if (!alive && errno == ESRCH)
        return Error{ESRCH, fmt::format("process {} ended before it could be asked", pid)};
    if (!alive)
        return system_error(errno, fmt::format("pidfd_send_signal `{}`", pid));
    if (!f.mnt || !f.root)
        return system_error(err, fmt::format("open process {}'s mount namespace and root", pid));
    return f;
}

// The child's half of ask_process: in the process's namespaces, root and working
// directory, the operation; its reply written to `out`, then it exits.
[[noreturn]] void perform_in_process(const Json& r, ProcessState& state, ProcessFds& f, int out)
{
    const int ns = f.mnt.get(), root = f.root.get(), cwd = f.cwd ? f.cwd.get() : -1;
    const UniqueFd& user = f.user;
    const auto& others = f.others;
    std::vector<int> keep{ns, root, cwd, out, user.get()};
    for (const auto& [fd, type] : others)
        keep.push_back(fd.get());
    close_all_but(keep);
    bool new_pid_namespace = false;
    for (const auto& [fd, type] : others)
        if (fd && setns(fd.get(), type) == 0 && type == CLONE_NEWPID) // ours already: EINVAL, nothing to do
            new_pid_namespace = true;
    // The mount namespace while this process has the lab's capabilities (it may be owned
    // by the lab's user namespace, where a user namespace of the process's has none), then
    // its user namespace (`unshare --user`: /proc/self/uid_map is then the process's).
    OpResult res;
    if (setns(ns, CLONE_NEWNS) != 0) {
        res = OpResult::from_errno("enter the process's mount namespace");
    } else if (user && setns(user.get(), CLONE_NEWUSER) != 0 && errno != EINVAL) {
        res = OpResult::from_errno("enter the process's user namespace");
    } else if (fchdir(root) != 0 || chroot(".") != 0) {
        res = OpResult::from_errno("enter the process's root");
    } else {
        if (cwd < 0 || fchdir(cwd) != 0)
            (void)chdir("/");
        Json req = r;
        req.erase("to");
        req.erase("pid");
        // A PID namespace applies to a child: the operation runs in one (its /proc/self
        // and the PIDs it sees are the process's), and this one waits for it.
        const pid_t outer = getpid();
        const pid_t inner = new_pid_namespace ? fork() : 0;
        if (inner == 0 && new_pid_namespace) {
            prctl(PR_SET_PDEATHSIG, SIGKILL); // out of time, its parent is killed: so is it
            // Killed before that took hold: reparented. (A parent outside its PID namespace
            // shows as 0; one in it, as itself.)
            if (const pid_t pp = getppid(); pp != 0 && pp != outer)
                _exit(0);
        }
        if (inner > 0) {
            int st = 0;
            while (waitpid(inner, &st, 0) < 0 && errno == EINTR) {
            }
            _exit(0);
        }
        res = inner == 0 ? perform_safely(req, state) : OpResult::from_errno("fork in the process's PID namespace");
        // The asker is not one of the PIDs asked about.
        if (res.data.contains("pids") && res.data["pids"].is_array()) {
            Json kept = Json::array();
            for (const Json& p : res.data["pids"])
                if (json_int(p, "pid", 0) != getpid())
                    kept.push_back(p);
            res.data["pids"] = std::move(kept);
        }
    }
    const std::string text = res.to_json().dump();
    for (size_t at = 0; at < text.size();) {
        const ssize_t w = write(out, text.data() + at, text.size() - at);
        if (w <= 0 && errno != EINTR)
            break;
        at += w > 0 ? static_cast<size_t>(w) : 0;
    }
    _exit(0);
}

// An operation where another lab process is: its mount namespace, root and working
// directory (a terminal's foreground program, such as the shell `unshare --mount` or
// `chroot DIR` started), so that a check asks about the learner's own state. A child
// enters them and performs it; the reply comes back through a pipe.
Json ask_process(const Json& r, ProcessState& state, int timeout_ms)
{
    const long long pid = json_int(r, "pid", -1, 1, 1 << 22);
    if (pid < 1)
        return OpResult::failure(EINVAL, "an operation in a process needs its \"pid\"").to_json();
    auto fds_of = open_process(pid);
    if (!fds_of)
        return OpResult::failure(fds_of.error().errnum, fds_of.error().message).to_json();
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return OpResult::from_errno("make a pipe").to_json();
    UniqueFd in(fds[0]), out(fds[1]);
    const pid_t child = fork();
    if (child < 0)
        return OpResult::from_errno("fork").to_json();
    if (child == 0)
        perform_in_process(r, state, *fds_of, out.get());
    out.reset();
    // The answer within timeout_ms in all, and no larger than any operation's (the
    // pipe's other end is in the learner's namespaces).
    constexpr size_t kMaxAnswer = 16u << 20;
    // Answered before the engine gives up on this request (it waits timeout_ms): a late
    // answer would be read as the next request's.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(100, timeout_ms - 1500));
    std::string text;
    char buf[65536];
    while (text.size() <= kMaxAnswer) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{in.get(), POLLIN, 0};
        const int n = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        const ssize_t got = n > 0 ? read(in.get(), buf, sizeof buf) : -1;
        if (got <= 0)
            break;
        text.append(buf, static_cast<size_t>(got));
    }
    kill(child, SIGKILL); // done, or out of time
    int st = 0;
    waitpid(child, &st, 0);
    if (text.size() > kMaxAnswer)
        return OpResult::failure(
                   E2BIG, fmt::format("the operation in process {} answered more than {} MiB", pid, kMaxAnswer >> 20))
            .to_json();
    Json reply = Json::parse(text, nullptr, false);
    if (reply.is_discarded() || !reply.is_object())
        return OpResult::failure(ETIMEDOUT, fmt::format("the operation in process {} gave no answer", pid)).to_json();
    return reply;
}

Json reset_container(Result<Container>& container, const ProcessState& state)
{
    if (container)
        kill_container(*container);
    container = start_container(state);
    Json reply = container ? OpResult{}.to_json()
                           : OpResult::failure(container.error().errnum, container.error().message).to_json();
    if (container)
        reply["data"]["container_pid"] = container->current;
    return reply;
}

// The engine's requests, one at a time, until it is gone or says shutdown.
[[noreturn]] void serve_engine(const Channel& engine, const LabOptions& options, ProcessState& state,
                               Result<Container>& container)
{
    while (true) {
        auto req = engine.receive();
        if (!req)
            _exit(0); // the engine is gone: PID 1 exits, the kernel ends the lab
        const Json& r = *req;
        const std::string to = json_string(r, "to");
        const std::string op = json_string(r, "op");
        Json reply;
        if (op == "terminal") {
            serve_terminal(engine, to == "container" ? &*container : nullptr, r, options.timeout_ms);
            reap_children();
            continue;
        }
        if (op == "terminal_wait" && to != "container") {
            reply = wait_terminal_shell(r).to_json();
        } else if (to == "container") {
            reply = ask_container(*container, r, op, options);
        } else if (to == "process") {
            reply = ask_process(r, state, options.timeout_ms);
        } else if (op == "snapshot") {
            reply = snapshot(*container, r);
        } else if (op == "reset_container") {
            reply = reset_container(container, state);
        } else if (op == "shutdown") {
            (void)engine.send(OpResult{}.to_json());
            _exit(0);
        } else {
            reply = perform_safely(r, state).to_json();
        }
        reap_children();
        if (!engine.send(reply))
            _exit(0);
        if (!container)
            _exit(1);
    }
}

} // namespace

[[noreturn]] void lab_host_main(Channel engine, const LabOptions& options)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_SET_NAME, "labhost");
    // A session of our own, with no controlling terminal: the engine's terminal (a
    // teacher's shell running `grade`) must be out of every lab process's reach, for
    // TIOCSTI, reads and escape sequences alike.
    setsid();
    // Dumpable until the engine has written our ID maps (an unprivileged engine opens
    // /proc/PID/uid_map as our owner); no lab process exists before that.
    close_engine_descriptors(engine.fd());
    hide_command_line();
    const UniqueFd idmapped_tree = await_engine_go(engine, options);
    if (Status s = set_up_lab_host(options, idmapped_tree, g_proc_fd); !s)
        fail_setup(engine, s.error());
    ProcessState state = lab_process_state();
    auto container = start_container(state);
    if (!container)
        fail_setup(engine, container.error());
    say_ready(engine, options, *container);
    serve_engine(engine, options, state, container);
}

} // namespace mountlab::lab
