// The lab host and the container process: what runs inside the lab.
#include "lab/lab.h"

#include "base/jsonget.h"
#include "lab/terminal.h"

#include <algorithm>
#include <cerrno>
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

constexpr const char* kSecret =
    "LAB HOST SECRET: this file exists only on the lab host. Reading it from the container means the\n"
    "container's root can be escaped.\n";

[[noreturn]] void fail_setup(const Channel& engine, const Error& e)
{
    (void)engine.send(Json{{"ready", false}, {"errno", errno_name(e.errnum)}, {"error", e.message}});
    _exit(1);
}

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
             {"/HOST_SECRET", kSecret}})
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
            r = slave ? start_terminal_shell(slave->get(), "container")
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
    // Wait for the engine's go (it first writes our uid/gid maps). If the
    // engine died already, the channel is closed: stop.
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
    // The engine has written our ID maps: become the lab's root (an unprivileged ID
    // outside), so files we create and processes we count are the lab's.
    if (Status s = become_lab_root(); !s)
        fail_setup(engine, s.error());
    // First of all: nothing we mount may propagate to the machine's namespace.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        fail_setup(engine, system_error(errno, "make / rprivate in the lab host"));
    if (Status s = build_lab_root(options, idmapped_tree); !s)
        fail_setup(engine, s.error());
    if (Status s = enter_lab_root(options.scratch_size); !s)
        fail_setup(engine, s.error());
    sethostname("labhost", 7);
    g_proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g_proc_fd < 0)
        fail_setup(engine, system_error(errno, "open the lab host's /proc"));
    // Like a systemd host: every mount shared, so a careless container leaks into it.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_SHARED, nullptr) != 0)
        fail_setup(engine, system_error(errno, "make / rshared in the lab host"));
    if (Status s = build_image_store(options.layers); !s)
        fail_setup(engine, s.error());

    ProcessState state;
    struct stat root {};
    stat("/", &root);
    state.lab_root_dev = root.st_dev;
    state.lab_root_ino = root.st_ino;
    state.secret = kSecret;

    auto container = start_container(state);
    if (!container)
        fail_setup(engine, container.error());

    Json layers = Json::array();
    for (const LayerSpec& l : options.layers)
        layers.push_back({{"name", l.name}, {"path", layer_path(l.name)}});
    struct utsname u {};
    uname(&u);
    (void)engine.send(Json{{"ready", true},
                           {"kernel", u.release},
                           {"container_pid", container->current},
                           {"host_mntns", mount_ns_inode()},
                           {"layers", layers}});

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
            const int timeout = op == "exec"
                                    ? static_cast<int>(json_int(r, "timeout_ms", 5000, 1, kMaxTimeoutMs)) + 2000
                                    : options.timeout_ms;
            reply = container_answer(*container, container->channel.call(r, timeout));
            if (reply.contains("data") && reply["data"].contains("container_pid")) {
                container->current = static_cast<pid_t>(json_int(reply["data"], "container_pid", -1, -1, 1 << 22));
                container->pids.push_back(container->current);
            }
        } else if (op == "snapshot") {
            auto host = read_proc("self/mountinfo");
            // The container view may be asked of another process: the foreground of a
            // terminal in the container, whose `unshare --mount bash` or `chroot`
            // gave it a namespace or root the container process does not have. When
            // that process is gone, the container's own view.
            const auto view = static_cast<pid_t>(json_int(r, "view_pid", -1, -1, 1 << 22));
            std::optional<ProcessView> other;
            if (view > 0 && view != container->current)
                other = process_view(view);
            // The same namespace and root as the container's: its view is the container's.
            if (other && other->mntns == container->mntns && other->root_dev == container->root_dev &&
                other->root_ino == container->root_ino)
                other.reset();
            auto cont = other ? Result<std::string>(other->mountinfo)
                              : read_proc(fmt::format("{}/mountinfo", container->current));
            if (!host || !cont) {
                const Error& e = !host ? host.error() : cont.error();
                reply = OpResult::failure(e.errnum, "the mount tables cannot be read: " + e.message).to_json();
            } else {
                reply = {{"ok", true},
                         {"data",
                          {{"host", *host},
                           {"container", *cont},
                           {"host_mntns", mount_ns_inode()},
                           {"container_mntns", other ? other->mntns : container->mntns},
                           {"container_pid", container->current}}}};
                if (other) {
                    reply["data"]["view_pid"] = view;
                    reply["data"]["view_comm"] = other->comm;
                }
            }
        } else if (op == "reset_container") {
            if (container)
                kill_container(*container);
            container = start_container(state);
            reply = container ? OpResult{}.to_json()
                              : OpResult::failure(container.error().errnum, container.error().message).to_json();
            if (container)
                reply["data"]["container_pid"] = container->current;
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

} // namespace mountlab::lab
