/* escape_probe: run inside a MountLab lab (a console command, a lesson's op, a graded
 * script), it tries every route out of the lab that a container runtime's threat model
 * names, and prints one line per route:
 *     ROUTE<TAB>blocked<TAB>how the kernel refused
 *     ROUTE<TAB>OPEN<TAB>what it reached
 * and a last line "routes=N open=K". It never changes the machine: a sysctl is opened
 * for writing, never written; a device node made by mistake is removed at once; mounts
 * are tried in a private mount namespace of its own; reboot() is called only from PID 1
 * of a new PID namespace, and only once the lab is known to be a user namespace.
 *
 * Arguments (from the test, which knows the machine):
 *     --marker PATH       a file on the machine that must not be readable
 *     --sentinel-hex HEX  the command line of a machine process that must not be visible,
 *                         in hex (so that our own command line does not hold it)
 *     --ns TYPE:INODE     one of the machine's namespaces (mnt, net, pid, ipc, uts, cgroup, user)
 *     --keyring ID        the session keyring of the process that started the lab
 * Static, so that it runs on the lab's root (busybox, no libc of the machine's). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int routes, open_routes;

static void report(const char* route, int open, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(const char* route, int open, const char* fmt, ...)
{
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    for (char* p = detail; *p; ++p)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    printf("%s\t%s\t%s\n", route, open ? "OPEN" : "blocked", detail);
    fflush(stdout);
    ++routes;
    open_routes += open != 0;
}

#define MAX_ARGS 32
static const char* markers[MAX_ARGS];
static int n_markers;
static const char* sentinels[MAX_ARGS];
static int n_sentinels;
static struct {
    char type[16];
    unsigned long long inode;
} machine_ns[MAX_ARGS];
static int n_ns;
static long machine_keyring;

static int read_file(const char* path, char* buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return (int)n;
}

static int comm_of(const char* pid, char* out, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/comm", pid);
    if (read_file(path, out, size) < 0)
        return -1;
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

/* Does /proc show our own PID namespace? (A graded script runs in a PID namespace of its
 * own under the container's /proc.) */
static int proc_is_ours(void)
{
    char self[32];
    ssize_t n = readlink("/proc/self", self, sizeof self - 1);
    if (n <= 0)
        return 0;
    self[n] = '\0';
    return atoi(self) == getpid();
}

static int is_engine_process(const char* comm)
{
    return strcmp(comm, "labhost") == 0 || strncmp(comm, "container", 9) == 0;
}

/* ---------------------------------------------------------------- routes */

static int in_user_namespace;

static void route_user_namespace(void)
{
    char map[256];
    if (read_file("/proc/self/uid_map", map, sizeof map) < 0) {
        report("user-namespace", 1, "cannot read /proc/self/uid_map: %s", strerror(errno));
        return;
    }
    unsigned long inside = 1, outside = 0, count = 0;
    sscanf(map, "%lu %lu %lu", &inside, &outside, &count);
    in_user_namespace = !(inside == 0 && outside == 0);
    report("user-namespace", !in_user_namespace, "uid_map %lu %lu %lu: root here is uid %lu outside", inside, outside,
           count, outside);
}

static void route_engine_processes(void)
{
    /* The lab host and the container process are forks of MountLab's engine: their exe
     * and map_files lead to the machine's filesystem, their fds to the engine's channel
     * and stdio, their memory to its state. */
    DIR* d = opendir("/proc");
    struct dirent* e;
    int seen = 0, reached = 0;
    char what[256] = "";
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char comm[64];
        if (comm_of(e->d_name, comm, sizeof comm) < 0 || !is_engine_process(comm))
            continue;
        ++seen;
        const char* files[] = {"exe", "mem", "fd/0", "fd/1", "root/.", "environ"};
        for (size_t i = 0; i < sizeof files / sizeof *files; ++i) {
            char path[128];
            snprintf(path, sizeof path, "/proc/%s/%s", e->d_name, files[i]);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                close(fd);
                ++reached;
                snprintf(what + strlen(what), sizeof what - strlen(what), " %s(%s)", path, comm);
            }
        }
        char path[128];
        snprintf(path, sizeof path, "/proc/%s/map_files", e->d_name);
        DIR* m = opendir(path);
        if (m) {
            closedir(m);
            ++reached;
            snprintf(what + strlen(what), sizeof what - strlen(what), " %s", path);
        }
        /* ptrace() names processes in our PID namespace: only when /proc shows it. */
        pid_t pid = (pid_t)atoi(e->d_name);
        if (proc_is_ours() && ptrace(PTRACE_ATTACH, pid, 0, 0) == 0) {
            ptrace(PTRACE_DETACH, pid, 0, 0);
            ++reached;
            snprintf(what + strlen(what), sizeof what - strlen(what), " ptrace(%d)", pid);
        }
    }
    if (d)
        closedir(d);
    if (reached)
        report("engine-processes", 1, "reached%s", what);
    else
        report("engine-processes", 0,
               "%d MountLab processes seen; exe, mem, fds, root, map_files and ptrace all refused", seen);
}

static void route_inherited_descriptors(void)
{
    DIR* d = opendir("/proc/self/fd");
    if (!d) {
        report("inherited-descriptors", 1, "cannot list /proc/self/fd: %s", strerror(errno));
        return;
    }
    struct dirent* e;
    char extra[256] = "";
    while ((e = readdir(d))) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
            continue;
        char path[64], target[128];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(path, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " %d->%s", fd, target);
    }
    closedir(d);
    report("inherited-descriptors", extra[0] != '\0', "%s", extra[0] ? extra : "only stdin, stdout, stderr");
}

/* A handle names an inode by number; open_by_handle_at() turns it into a descriptor
 * without a path, the route that reached the machine's / from a root lab. */
static void route_file_handles(void)
{
    struct {
        struct file_handle h;
        unsigned char bytes[128];
    } fh;
    fh.h.handle_bytes = sizeof fh.bytes;
    int mount_id = 0;
    const char* on = "/dev/null"; /* a bind of the machine's devtmpfs */
    if (name_to_handle_at(AT_FDCWD, on, &fh.h, &mount_id, 0) != 0) {
        report("open-by-handle", 0, "name_to_handle_at(%s): %s", on, strerror(errno));
        return;
    }
    int mfd = open(on, O_RDONLY | O_CLOEXEC);
    int opened = 0, last_errno = 0;
    /* The devtmpfs root and its neighbours: inode numbers 1..16, generation 0. */
    for (uint32_t ino = 1; ino <= 16 && !opened; ++ino) {
        if (fh.h.handle_bytes >= 8) {
            uint32_t* words = (uint32_t*)fh.h.f_handle;
            words[0] = 0;
            words[1] = ino;
            if (fh.h.handle_bytes >= 12)
                words[2] = 0;
        }
        int fd = (int)syscall(SYS_open_by_handle_at, mfd, &fh.h, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            struct stat st;
            fstat(fd, &st);
            opened = S_ISDIR(st.st_mode) ? 2 : 1;
            close(fd);
        } else {
            last_errno = errno;
        }
    }
    if (mfd >= 0)
        close(mfd);
    if (opened == 2)
        report("open-by-handle", 1, "open_by_handle_at opened a directory of the machine's devtmpfs");
    else if (opened)
        report("open-by-handle", 1, "open_by_handle_at opened a file of the machine's devtmpfs by inode number");
    else
        report("open-by-handle", last_errno == ESTALE, "open_by_handle_at: %s", strerror(last_errno));
}

static void route_marker_files(void)
{
    char found[400] = "";
    for (int i = 0; i < n_markers; ++i) {
        const char* prefixes[] = {"", "/proc/1/root", "/proc/self/root", "/proc/1/cwd/../../../.."};
        for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; ++p) {
            char path[512];
            snprintf(path, sizeof path, "%s%s", prefixes[p], markers[i]);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                close(fd);
                snprintf(found + strlen(found), sizeof found - strlen(found), " %s", path);
            }
        }
    }
    report("machine-files", found[0] != '\0', "%s", found[0] ? found : "no marker file of the machine's can be opened");
}

static void route_machine_processes(void)
{
    DIR* d = opendir("/proc");
    struct dirent* e;
    int count = 0;
    char seen[256] = "";
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        ++count;
        char path[64], cmd[4096];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        int n = read_file(path, cmd, sizeof cmd);
        for (int i = 0; i < n; ++i)
            if (cmd[i] == '\0')
                cmd[i] = ' ';
        for (int s = 0; s < n_sentinels && n > 0; ++s)
            if (strstr(cmd, sentinels[s]))
                snprintf(seen + strlen(seen), sizeof seen - strlen(seen), " pid %s", e->d_name);
    }
    if (d)
        closedir(d);
    report("machine-processes", seen[0] != '\0', "%s%d processes visible%s",
           seen[0] ? "a machine process is visible:" : "", count, seen);
}

static void route_machine_namespaces(void)
{
    /* Every namespace file the lab can name: its own processes'. None may be the machine's.
     * The cgroup namespace is the one the lab shares on purpose (route cgroupfs shows the
     * lab cannot mount cgroupfs from it; it sees only its own cgroup's path). */
    static const char* const types[] = {"mnt", "net", "pid", "ipc", "uts", "user"};
    DIR* d = opendir("/proc");
    struct dirent* e;
    char reached[400] = "";
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        for (size_t t = 0; t < sizeof types / sizeof *types; ++t) {
            char path[96];
            struct stat st;
            snprintf(path, sizeof path, "/proc/%s/ns/%s", e->d_name, types[t]);
            if (stat(path, &st) != 0)
                continue;
            for (int i = 0; i < n_ns; ++i) {
                if (strcmp(machine_ns[i].type, types[t]) != 0 || machine_ns[i].inode != (unsigned long long)st.st_ino)
                    continue;
                if (strstr(reached, types[t]))
                    continue;
                /* Reachable: can we enter it? (A child tries, so we stay where we are.) */
                int entered = 0;
                pid_t c = fork();
                if (c == 0) {
                    int fd = open(path, O_RDONLY | O_CLOEXEC);
                    _exit(fd >= 0 && setns(fd, 0) == 0 ? 0 : 1);
                }
                int status = 0;
                waitpid(c, &status, 0);
                entered = WIFEXITED(status) && WEXITSTATUS(status) == 0;
                snprintf(reached + strlen(reached), sizeof reached - strlen(reached), " %s(%s%s)", types[t], path,
                         entered ? ", entered" : "");
            }
        }
    }
    if (d)
        closedir(d);
    report("machine-namespaces", reached[0] != '\0', "%s",
           reached[0] ? reached : "no namespace of the machine's is reachable from the lab's /proc");
}

static void route_sysctl(void)
{
    /* Opened for writing only: never written. */
    const char* files[] = {"/proc/sys/kernel/core_pattern", "/proc/sys/kernel/printk_ratelimit_burst",
                           "/proc/sys/vm/drop_caches", "/proc/sysrq-trigger"};
    char opened[256] = "", refused[256] = "";
    for (size_t i = 0; i < sizeof files / sizeof *files; ++i) {
        int fd = open(files[i], O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            close(fd);
            snprintf(opened + strlen(opened), sizeof opened - strlen(opened), " %s", files[i]);
        } else {
            snprintf(refused + strlen(refused), sizeof refused - strlen(refused), " %s:%s", strrchr(files[i], '/') + 1,
                     strerrorname_np(errno) ? strerrorname_np(errno) : "?");
        }
    }
    report("global-sysctl", opened[0] != '\0', "%s%s", opened[0] ? "writable:" : "", opened[0] ? opened : refused);
}

/* Mounts are tried in a child with a private mount namespace of its own. */
static int in_private_child(int (*fn)(void*), void* arg)
{
    pid_t c = fork();
    if (c == 0) {
        if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
            _exit(100 + errno % 100);
        _exit(fn(arg));
    }
    int status = 0;
    waitpid(c, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static int try_fresh_proc_sysctl(void* unused)
{
    (void)unused;
    mkdir("/tmp/.probe-proc", 0700);
    if (mount("proc", "/tmp/.probe-proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        return 10; /* no fresh proc: nothing to write through */
    int fd = open("/tmp/.probe-proc/sys/kernel/core_pattern", O_WRONLY | O_CLOEXEC);
    return fd >= 0 ? 1 : 0;
}

static void route_sysctl_fresh_proc(void)
{
    int r = in_private_child(try_fresh_proc_sysctl, NULL);
    rmdir("/tmp/.probe-proc");
    report("global-sysctl-fresh-proc", r == 1,
           r == 1    ? "core_pattern opens for writing through a fresh proc"
           : r == 10 ? "a fresh proc cannot be mounted here"
                     : "a fresh proc's core_pattern refuses writing");
}

struct fs_try {
    const char* fstype;
    const char* source;
};

static int try_mount(void* arg)
{
    const struct fs_try* t = arg;
    mkdir("/tmp/.probe-mnt", 0700);
    if (mount(t->source, "/tmp/.probe-mnt", t->fstype, MS_NOSUID, NULL) != 0)
        return errno == EPERM ? 2 : errno == EACCES ? 3 : errno == ENODEV ? 4 : 5;
    /* Mounted: does it let us change the machine? */
    if (strcmp(t->fstype, "sysfs") == 0) {
        int fd = open("/tmp/.probe-mnt/power/state", O_WRONLY | O_CLOEXEC);
        return fd >= 0 ? 1 : 6;
    }
    return 1;
}

static void route_filesystem(const char* route, const char* fstype, const char* source)
{
    struct fs_try t = {fstype, source};
    int r = in_private_child(try_mount, &t);
    rmdir("/tmp/.probe-mnt");
    const char* why = r == 2   ? "EPERM"
                      : r == 3 ? "EACCES"
                      : r == 4 ? "ENODEV (not in this kernel)"
                      : r == 6 ? "mounted, but read-only to the lab"
                      : r == 5 ? "refused"
                               : "?";
    report(route, r == 1, r == 1 ? "mount -t %s works and reaches the machine" : "mount -t %s: %s", fstype, why);
}

static void route_device_nodes(void)
{
    const struct {
        mode_t type;
        unsigned major, minor;
        const char* name;
    } nodes[] = {{S_IFBLK, 8, 0, "sda"}, {S_IFBLK, 254, 0, "vda"}, {S_IFCHR, 1, 1, "mem"}, {S_IFCHR, 1, 2, "kmem"}};
    char made[128] = "";
    int last = 0;
    for (size_t i = 0; i < sizeof nodes / sizeof *nodes; ++i) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/.probe-%s", nodes[i].name);
        if (mknod(path, nodes[i].type | 0600, makedev(nodes[i].major, nodes[i].minor)) == 0) {
            unlink(path);
            snprintf(made + strlen(made), sizeof made - strlen(made), " %s", nodes[i].name);
        } else {
            last = errno;
        }
    }
    report("device-nodes", made[0] != '\0', made[0] ? "mknod made:%s" : "mknod: %s", made[0] ? made : strerror(last));
}

static void route_kernel_addresses(void)
{
    FILE* f = fopen("/proc/kallsyms", "r");
    if (!f) {
        report("kernel-addresses", 0, "/proc/kallsyms: %s", strerror(errno));
        return;
    }
    char line[256];
    int lines = 0, nonzero = 0;
    while (lines < 200 && fgets(line, sizeof line, f)) {
        ++lines;
        if (strtoull(line, NULL, 16) != 0)
            ++nonzero;
    }
    fclose(f);
    report("kernel-addresses", nonzero > 0, "%d of %d /proc/kallsyms addresses shown", nonzero, lines);
    char buf[64];
    int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof buf);
    report("kernel-log", n >= 0, n >= 0 ? "syslog(READ_ALL) read the kernel log" : "syslog(READ_ALL): %s",
           strerror(errno));
}

static void route_modules_and_kexec(void)
{
    long r = syscall(SYS_init_module, NULL, 0, "");
    int e = errno;
    long f = syscall(SYS_finit_module, -1, "", 0);
    int fe = errno;
    /* EPERM is the refusal; ENOSYS means this kernel has no modules; EBADF/EFAULT would
     * mean the permission check passed. */
    report("load-module", !(r < 0 && (e == EPERM || e == ENOSYS) && f < 0 && (fe == EPERM || fe == ENOSYS)),
           "init_module: %s, finit_module: %s", strerror(e), strerror(fe));
    r = syscall(SYS_kexec_load, 0, 0, NULL, 0);
    e = errno;
    report("kexec", !(r < 0 && (e == EPERM || e == ENOSYS)), "kexec_load: %s", strerror(e));
    r = iopl(3);
    e = errno;
    report("port-io", r == 0, "iopl(3): %s", r == 0 ? "allowed" : strerror(e));
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    int fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
    e = errno;
    if (fd >= 0)
        close(fd);
    report("bpf", fd >= 0, "bpf(BPF_MAP_CREATE): %s", fd >= 0 ? "allowed" : strerror(e));
}

/* The session keyring holds a login session's keys (Kerberos, eCryptfs, ...): whoever
 * possesses it may read them, whatever its uid. */
static void route_session_keyring(void)
{
    long id = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* KEY_SPEC_SESSION_KEYRING */, 0);
    if (id < 0)
        report("session-keyring", 0, "no session keyring: %s", strerror(errno));
    else
        report("session-keyring", machine_keyring != 0 && id == machine_keyring,
               id == machine_keyring ? "the engine's session keyring %ld is ours"
                                     : "a session keyring of its own (%ld)",
               id);
}

/* The engine's controlling terminal (a teacher's shell running `grade`): a lab process
 * that reached it could push input with TIOCSTI, read what is typed, or write escapes. */
static void route_controlling_terminal(void)
{
    char stat[1024];
    int tty_nr = -1;
    if (read_file("/proc/self/stat", stat, sizeof stat) > 0) {
        const char* p = strrchr(stat, ')');
        int field = 2;
        for (; p && *p && field < 7; ++p)
            if (*p == ' ')
                ++field;
        if (p)
            tty_nr = atoi(p);
    }
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    int e = errno;
    char pushed = 0;
    int sti = -1;
    if (fd >= 0) {
        sti = ioctl(fd, TIOCSTI, &pushed); /* a NUL byte: nothing a shell would run */
        close(fd);
    }
    for (int i = 0; i <= 2 && sti != 0; ++i)
        if (isatty(i))
            sti = ioctl(i, TIOCSTI, &pushed);
    report("controlling-terminal", fd >= 0 || tty_nr != 0 || sti == 0,
           fd >= 0 ? "/dev/tty opens (tty_nr %d)%s" : "no controlling terminal (tty_nr %d; /dev/tty: %s)", tty_nr,
           fd >= 0 ? (sti == 0 ? ", TIOCSTI works" : "") : strerror(e));
}

static void route_reboot(void)
{
    if (!in_user_namespace) {
        report("reboot", 1, "not tried: this is not a user namespace");
        return;
    }
    /* From PID 1 of a new PID namespace, reboot() may only end that namespace. */
    pid_t c = fork();
    if (c == 0) {
        if (unshare(CLONE_NEWPID) != 0)
            _exit(2);
        pid_t init = fork();
        if (init == 0) {
            if (getpid() != 1)
                _exit(3);
            long r = reboot(RB_AUTOBOOT);
            _exit(r == 0 ? 4 : errno == EPERM ? 5 : 6);
        }
        int status = 0;
        waitpid(init, &status, 0);
        _exit(WIFSIGNALED(status) ? 10 + WTERMSIG(status) : WEXITSTATUS(status));
    }
    int status = 0;
    waitpid(c, &status, 0);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 10 + SIGHUP || code == 10 + SIGINT)
        report("reboot", 0, "reboot(RB_AUTOBOOT) ended only its own PID namespace (init killed by signal %d)",
               code - 10);
    else if (code == 5)
        report("reboot", 0, "reboot: EPERM");
    else if (code == 2)
        report("reboot", 0, "not tried: no new PID namespace here (%d)", code);
    else
        report("reboot", 1, "reboot() returned or did something else (code %d)", code);
}

static const char* from_hex(const char* hex)
{
    size_t n = strlen(hex) / 2;
    char* out = calloc(n + 1, 1);
    for (size_t i = 0; out && i < n; ++i) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (char)v;
    }
    return out ? out : "";
}

int main(int argc, char** argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--marker") == 0 && n_markers < MAX_ARGS)
            markers[n_markers++] = argv[i + 1];
        else if (strcmp(argv[i], "--keyring") == 0)
            machine_keyring = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--sentinel-hex") == 0 && n_sentinels < MAX_ARGS)
            sentinels[n_sentinels++] = from_hex(argv[i + 1]);
        else if (strcmp(argv[i], "--ns") == 0 && n_ns < MAX_ARGS) {
            const char* colon = strchr(argv[i + 1], ':');
            if (colon && (size_t)(colon - argv[i + 1]) < sizeof machine_ns[0].type) {
                memcpy(machine_ns[n_ns].type, argv[i + 1], (size_t)(colon - argv[i + 1]));
                machine_ns[n_ns].type[colon - argv[i + 1]] = '\0';
                machine_ns[n_ns].inode = strtoull(colon + 1, NULL, 10);
                ++n_ns;
            }
        }
    }
    route_user_namespace();
    route_engine_processes();
    route_inherited_descriptors();
    route_file_handles();
    route_marker_files();
    route_machine_processes();
    route_machine_namespaces();
    route_sysctl();
    route_sysctl_fresh_proc();
    route_device_nodes();
    route_filesystem("devtmpfs", "devtmpfs", "devtmpfs");
    route_filesystem("sysfs", "sysfs", "sysfs");
    route_filesystem("cgroupfs", "cgroup2", "cgroup2");
    route_kernel_addresses();
    route_modules_and_kexec();
    route_session_keyring();
    route_controlling_terminal();
    route_reboot();
    printf("routes=%d open=%d\n", routes, open_routes);
    return open_routes ? 1 : 0;
}
