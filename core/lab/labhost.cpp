// The lab host and the container process: what runs inside the lab.
#include "lab/lab.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <algorithm>
#include <string_view>
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

Status copy_file(const char* from, const std::string& to, mode_t mode)
{
    const int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return system_error(errno, fmt::format("open `{}` (is busybox-static installed?)", from));
    const int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (out < 0) {
        close(in);
        return system_error(errno, fmt::format("create `{}`", to));
    }
    char buf[1 << 16];
    ssize_t r;
    while ((r = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, static_cast<size_t>(r)) != r)
            break;
    close(in);
    close(out);
    return r == 0 ? Status(Ok{}) : system_error(errno, fmt::format("copy `{}`", from));
}

Status write_small(const std::string& path, std::string_view text, mode_t mode = 0644)
{
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return system_error(errno, fmt::format("create `{}`", path));
    const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    return check(ok, fmt::format("write `{}`", path));
}

// The lab host's root, built on a tmpfs mounted (in our private namespace) on /tmp.
Status build_lab_root(const std::vector<std::string>& applets, const std::string& size)
{
    const std::string r = "/tmp";
    const std::string opts = "mode=755,size=" + size;
    if (Status s = check(mount("labhost", r.c_str(), "tmpfs", MS_NOSUID, opts.c_str()) == 0, "mount tmpfs for the lab root"); !s)
        return s;
    for (const char* d : {"/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/etc", "/dev", "/proc", "/sys", "/tmp", "/root",
                          "/images", "/images/layers", "/var", "/var/lib", "/var/lib/mountlab", "/mnt", "/oldroot"})
        if (mkdir((r + d).c_str(), 0755) != 0 && errno != EEXIST)
            return system_error(errno, fmt::format("mkdir `{}`", d));
    chmod((r + "/tmp").c_str(), 01777);
    if (Status s = copy_file("/bin/busybox", r + "/bin/busybox", 0755); !s)
        return s;
    for (const std::string& a : applets)
        if (a != "busybox")
            (void)!symlink("busybox", (r + "/bin/" + a).c_str());
    for (auto [p, text] : std::initializer_list<std::pair<const char*, std::string_view>>{
             {"/etc/hostname", "labhost\n"},
             {"/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"},
             {"/etc/group", "root:x:0:\n"},
             {"/etc/os-release", "NAME=\"MountLab lab host\"\nID=mountlab-labhost\n"},
             {"/HOST_SECRET", kSecret}})
        if (Status s = write_small(r + p, text); !s)
            return s;
    // A minimal /dev: device nodes bind-mounted from the machine (mknod is not allowed
    // in a user namespace, and binding works the same as root).
    if (Status s = check(mount("dev", (r + "/dev").c_str(), "tmpfs", MS_NOSUID, "mode=755,size=64k") == 0, "mount tmpfs on /dev"); !s)
        return s;
    for (const char* d : {"null", "zero", "full", "random", "urandom", "tty"}) {
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
    return check(mount("proc", (r + "/proc").c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0,
                 "mount proc for the lab host");
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
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

// ---------------------------------------------------------------- container

[[noreturn]] void container_main(Channel lab, ProcessState state)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_SET_NAME, "container");
    while (true) {
        auto req = lab.receive();
        if (!req)
            _exit(0);
        OpResult r = perform(*req, state);
        if (r.ok && r.data.value("needs_fork", false)) {
            // A new PID namespace applies to the next child: it becomes the container's
            // PID 1 and takes over; this process stays as its parent until it exits.
            const pid_t child = fork();
            if (child < 0) {
                r = OpResult::from_errno("fork the container's PID 1");
            } else if (child == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                continue; // the new container: serve the next request
            } else {
                r.data["container_pid"] = child;
                (void)lab.send(r.to_json());
                lab.close();
                prctl(PR_SET_NAME, "container-init-parent");
                int st = 0;
                while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
                }
                _exit(0);
            }
        }
        reap_children();
        if (!lab.send(r.to_json()))
            _exit(0);
    }
}

struct Container {
    Channel channel;
    std::vector<pid_t> pids; // the container process and, after a PID namespace, its PID 1
    pid_t current = -1;
};

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
    const int fd = openat(g_proc_fd, relative.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return system_error(errno, fmt::format("open /proc/{}", relative));
    std::string out;
    char buf[65536];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<size_t>(r));
    const int e = errno;
    close(fd);
    if (r < 0)
        return system_error(e, fmt::format("read /proc/{}", relative));
    // A mount table always holds the root: an empty one means the process is gone.
    if (out.empty())
        return Error{ESRCH, fmt::format("/proc/{} is empty: the process is gone", relative)};
    return out;
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
    if (end > start && end - start < (1ul << 20)) {
        auto* p = reinterpret_cast<char*>(start);
        memset(p, 0, end - start);
        memcpy(p, "labhost", std::min<size_t>(8, end - start));
    }
}

} // namespace

[[noreturn]] void lab_host_main(Channel engine, const LabOptions& options, const std::vector<std::string>& applets,
                                bool rootless)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_SET_NAME, "labhost");
    hide_command_line();
    // Wait for the engine's go (it first writes our uid/gid maps when rootless). If the
    // engine died already, the channel is closed: stop.
    auto go = engine.receive();
    if (!go)
        _exit(0);
    // In a user namespace whose root maps to another ID than ours outside (grading:
    // root maps the sandbox to an unprivileged ID), become that root: files we create
    // and processes we count are then the sandbox's.
    if (rootless && (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0))
        fail_setup(engine, system_error(errno, "become root in the lab's user namespace"));
    // First of all: nothing we mount may propagate to the machine's namespace.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        fail_setup(engine, system_error(errno, "make / rprivate in the lab host"));
    if (Status s = build_lab_root(applets, options.scratch_size); !s)
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
    if (Status s = build_image_store(options.layers, applets); !s)
        fail_setup(engine, s.error());

    ProcessState state;
    struct stat root {};
    stat("/", &root);
    state.lab_root_dev = root.st_dev;
    state.lab_root_ino = root.st_ino;

    auto container = start_container(state);
    if (!container)
        fail_setup(engine, container.error());

    Json layers = Json::array();
    for (const LayerSpec& l : options.layers)
        layers.push_back({{"name", l.name}, {"path", layer_path(l.name)}});
    struct utsname u {};
    uname(&u);
    (void)engine.send(Json{{"ready", true},
                           {"rootless", rootless},
                           {"kernel", u.release},
                           {"container_pid", container->current},
                           {"host_mntns", mount_ns_inode()},
                           {"layers", layers}});

    while (true) {
        auto req = engine.receive();
        if (!req)
            _exit(0); // the engine is gone: PID 1 exits, the kernel ends the lab
        const Json& r = *req;
        const std::string to = r.value("to", "");
        const std::string op = r.value("op", "");
        Json reply;
        if (to == "container") {
            const int timeout = op == "exec" ? r.value("timeout_ms", 5000) + 2000 : options.timeout_ms;
            auto answer = container->channel.call(r, timeout);
            if (!answer) {
                reply = OpResult::failure(answer.error().errnum, "the container process did not answer: " + answer.error().message).to_json();
            } else {
                reply = *answer;
                if (reply.contains("data") && reply["data"].contains("container_pid")) {
                    container->current = reply["data"]["container_pid"].get<pid_t>();
                    container->pids.push_back(container->current);
                }
            }
        } else if (op == "snapshot") {
            auto host = read_proc("self/mountinfo");
            auto cont = read_proc(fmt::format("{}/mountinfo", container->current));
            if (!host || !cont) {
                const Error& e = !host ? host.error() : cont.error();
                reply = OpResult::failure(e.errnum, "the mount tables cannot be read: " + e.message).to_json();
            } else {
                reply = {{"ok", true},
                         {"data",
                          {{"host", *host},
                           {"container", *cont},
                           {"host_mntns", mount_ns_inode()},
                           {"container_mntns", mount_ns_inode(container->current)},
                           {"container_pid", container->current}}}};
            }
        } else if (op == "reset_container") {
            if (container)
                kill_container(*container);
            container = start_container(state);
            reply = container ? OpResult{}.to_json() : OpResult::failure(container.error().errnum, container.error().message).to_json();
            if (container)
                reply["data"]["container_pid"] = container->current;
        } else if (op == "shutdown") {
            (void)engine.send(OpResult{}.to_json());
            _exit(0);
        } else {
            reply = perform(r, state).to_json();
        }
        reap_children();
        if (!engine.send(reply))
            _exit(0);
        if (!container)
            _exit(1);
    }
}

} // namespace mountlab::lab
