/* newmount: the new mount API (Linux 5.2+), one system call at a time, for the learner.
 *
 *   newmount fsmount FSTYPE [-o KEY[=VALUE],...] [-r] [--nosuid] [--nodev] [--noexec] [TARGET]
 *       fsopen(FSTYPE), one fsconfig() per option, fsconfig(FSCONFIG_CMD_CREATE),
 *       fsmount() (-r: MOUNT_ATTR_RDONLY, --nosuid: MOUNT_ATTR_NOSUID, ...), then move_mount() onto TARGET. Between
 * fsmount and move_mount it reads /proc/self/mountinfo: the new mount is not in it. Without TARGET the mount stays
 * detached and goes away when its descriptor is closed. newmount clone [-R] [-r] [--propagation TYPE] [--idmap "INSIDE
 * OUTSIDE COUNT"] SOURCE [TARGET] open_tree(SOURCE, OPEN_TREE_CLONE [| AT_RECURSIVE]): a detached copy (a bind, not
 *       attached anywhere); mount_setattr() on it (-r: read-only, recursively;
 *       --idmap: MOUNT_ATTR_IDMAP with a new user namespace of that uid/gid map), then
 *       move_mount() onto TARGET (without TARGET: left detached, then closed).
 *   newmount setattr [-R] [-r|-w] [--propagation TYPE] [--idmap MAP] PATH
 *       mount_setattr(PATH) on an attached mount (-R: AT_RECURSIVE, the whole subtree).
 *
 * util-linux 2.38's mount(8) still calls mount(2); this program makes the new calls and
 * prints each to stderr as strace would show it (with the kernel's own message for a
 * failed fsconfig, read from the filesystem context). Static, so it runs in any root of
 * the lab. Written for MountLab; the lab installs it in /usr/local/bin. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* errname(int e) { return strerrorname_np(e) ? strerrorname_np(e) : "?"; }

/* "= 3" or "= -1 EINVAL (Invalid argument)", and the return value passed through. */
static int result(int r)
{
    if (r < 0)
        fprintf(stderr, " = -1 %s (%s)\n", errname(errno), strerror(errno));
    else
        fprintf(stderr, " = %d\n", r);
    return r;
}

/* The messages the kernel left in a filesystem context ("e overlay: ..."). */
static void context_log(int fd)
{
    char buf[512];
    int e = errno;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n <= 0)
            break;
        while (n > 0 && buf[n - 1] == '\n')
            --n;
        buf[n] = 0;
        fprintf(stderr, "newmount: the kernel says: %s\n", buf);
    }
    errno = e;
}

static int fail(const char* what)
{
    int e = errno;
    fprintf(stderr, "newmount: %s failed: %s (%s)\n", what, errname(e), strerror(e));
    return e == EPERM ? 1 : 2;
}

static int usage(void)
{
    fprintf(
        stderr,
        "usage: newmount fsmount FSTYPE [-o KEY[=VALUE],...] [-r] [--nosuid] [--nodev] [--noexec] [TARGET]\n"
        "       newmount clone [-R] [-r] [--propagation private|shared|slave|unbindable] [--idmap \"IN OUT COUNT\"] SOURCE [TARGET]\n"
        "       newmount setattr [-R] [-r|-w] [--propagation private|shared|slave|unbindable] [--idmap \"IN OUT COUNT\"] PATH\n");
    return 2;
}

/* How many lines of /proc/self/mountinfo there are, and whether one is mounted at path. */
static void table_report(const char* when, const char* target)
{
    FILE* f = fopen("/proc/self/mountinfo", "r");
    if (!f)
        return;
    char line[4096];
    int n = 0, at = 0;
    while (fgets(line, sizeof line, f)) {
        ++n;
        char mp[4096];
        if (target && sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && strcmp(mp, target) == 0)
            at = 1;
    }
    fclose(f);
    if (target)
        fprintf(stderr, "newmount: %s: /proc/self/mountinfo has %d mounts, %s on %s\n", when, n, at ? "one" : "none",
                target);
    else
        fprintf(stderr, "newmount: %s: /proc/self/mountinfo has %d mounts\n", when, n);
}

static const char* attr_names(unsigned long long a, char* buf, size_t len)
{
    static const struct {
        unsigned long long bit;
        const char* name;
    } names[] = {
        {MOUNT_ATTR_RDONLY, "MOUNT_ATTR_RDONLY"}, {MOUNT_ATTR_NOSUID, "MOUNT_ATTR_NOSUID"},
        {MOUNT_ATTR_NODEV, "MOUNT_ATTR_NODEV"},   {MOUNT_ATTR_NOEXEC, "MOUNT_ATTR_NOEXEC"},
        {MOUNT_ATTR_IDMAP, "MOUNT_ATTR_IDMAP"},   {MOUNT_ATTR_NOSYMFOLLOW, "MOUNT_ATTR_NOSYMFOLLOW"},
    };
    buf[0] = 0;
    if (!a)
        return "0";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
        if (a & names[i].bit) {
            if (buf[0])
                strncat(buf, "|", len - strlen(buf) - 1);
            strncat(buf, names[i].name, len - strlen(buf) - 1);
        }
    return buf;
}

static const char* propagation_name(unsigned long long p)
{
    switch (p) {
    case 0:
        return "0";
    case MS_PRIVATE:
        return "MS_PRIVATE";
    case MS_SHARED:
        return "MS_SHARED";
    case MS_SLAVE:
        return "MS_SLAVE";
    case MS_UNBINDABLE:
        return "MS_UNBINDABLE";
    }
    return "?";
}

static int propagation_of(const char* name, unsigned long long* out)
{
    if (strcmp(name, "private") == 0)
        *out = MS_PRIVATE;
    else if (strcmp(name, "shared") == 0)
        *out = MS_SHARED;
    else if (strcmp(name, "slave") == 0)
        *out = MS_SLAVE;
    else if (strcmp(name, "unbindable") == 0)
        *out = MS_UNBINDABLE;
    else
        return -1;
    return 0;
}

static int do_setattr(int dfd, const char* path, unsigned int flags, struct mount_attr* attr)
{
    char set[160], clr[160], fl[64] = "", dir[16] = "AT_FDCWD";
    if (flags & AT_EMPTY_PATH)
        strcat(fl, "AT_EMPTY_PATH");
    if (flags & AT_RECURSIVE)
        strcat(fl, fl[0] ? "|AT_RECURSIVE" : "AT_RECURSIVE");
    if (dfd != AT_FDCWD)
        snprintf(dir, sizeof dir, "%d", dfd);
    fprintf(stderr, "mount_setattr(%s, \"%s\", %s, {attr_set=%s, attr_clr=%s, propagation=%s, userns_fd=%llu}, %zu)",
            dir, path, fl[0] ? fl : "0", attr_names(attr->attr_set, set, sizeof set),
            attr_names(attr->attr_clr, clr, sizeof clr), propagation_name(attr->propagation),
            (unsigned long long)attr->userns_fd, sizeof *attr);
    return result(mount_setattr(dfd, path, flags, attr, sizeof *attr));
}

static int do_move(int fd, const char* target)
{
    fprintf(stderr, "move_mount(%d, \"\", AT_FDCWD, \"%s\", MOVE_MOUNT_F_EMPTY_PATH)", fd, target);
    return result(move_mount(fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH));
}

/* A user namespace whose uid and gid maps are MAP ("INSIDE OUTSIDE COUNT", outside in
 * this process's namespace): a child unshares it, this process writes its maps and opens
 * /proc/CHILD/ns/user, the child exits (the descriptor keeps the namespace). */
static int userns_with_map(const char* map)
{
    int go[2];
    if (pipe(go) != 0)
        return -1;
    pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        char c;
        close(go[1]);
        if (unshare(CLONE_NEWUSER) != 0)
            _exit(1);
        if (read(go[0], &c, 1) < 0) /* wait: until the parent has the namespace */
            _exit(1);
        _exit(0);
    }
    close(go[0]);
    char path[64];
    int fd = -1;
    /* Wait until the child is in its new namespace. */
    struct stat me, it;
    stat("/proc/self/ns/user", &me);
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
    for (int i = 0; i < 1000; ++i) {
        if (stat(path, &it) == 0 && it.st_ino != me.st_ino)
            break;
        usleep(1000);
    }
    const char* files[] = {"uid_map", "gid_map"};
    int ok = 1;
    for (int i = 0; i < 2 && ok; ++i) {
        snprintf(path, sizeof path, "/proc/%d/%s", (int)child, files[i]);
        int m = open(path, O_WRONLY);
        ok = m >= 0 && write(m, map, strlen(map)) == (ssize_t)strlen(map);
        fprintf(stderr, "newmount: write(\"%s\", \"%s\") %s\n", path, map, ok ? "= 0" : strerror(errno));
        if (m >= 0)
            close(m);
    }
    if (ok) {
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        fprintf(stderr, "newmount: open(\"%s\") = %d   (a user namespace mapping \"%s\")\n", path, fd, map);
    }
    close(go[1]);
    waitpid(child, NULL, 0);
    return fd;
}

static int cmd_fsmount(int argc, char** argv)
{
    const char *fstype = NULL, *target = NULL;
    char* options = NULL;
    unsigned int attr = 0;
    for (int i = 0; i < argc; ++i) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            options = argv[++i];
        else if (strcmp(argv[i], "-r") == 0)
            attr |= MOUNT_ATTR_RDONLY;
        else if (strcmp(argv[i], "--nosuid") == 0)
            attr |= MOUNT_ATTR_NOSUID;
        else if (strcmp(argv[i], "--nodev") == 0)
            attr |= MOUNT_ATTR_NODEV;
        else if (strcmp(argv[i], "--noexec") == 0)
            attr |= MOUNT_ATTR_NOEXEC;
        else if (!fstype)
            fstype = argv[i];
        else if (!target)
            target = argv[i];
        else
            return usage();
    }
    if (!fstype)
        return usage();
    fprintf(stderr, "fsopen(\"%s\", FSOPEN_CLOEXEC)", fstype);
    int fs = result(fsopen(fstype, FSOPEN_CLOEXEC));
    if (fs < 0)
        return fail("fsopen");
    /* One fsconfig per option: KEY=VALUE a string, KEY alone a flag. */
    for (char *save = NULL, *o = options ? strtok_r(options, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save)) {
        char* eq = strchr(o, '=');
        int r;
        if (eq) {
            *eq = 0;
            fprintf(stderr, "fsconfig(%d, FSCONFIG_SET_STRING, \"%s\", \"%s\", 0)", fs, o, eq + 1);
            r = result(fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0));
        } else {
            fprintf(stderr, "fsconfig(%d, FSCONFIG_SET_FLAG, \"%s\", NULL, 0)", fs, o);
            r = result(fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0));
        }
        if (r < 0) {
            context_log(fs);
            return fail("fsconfig");
        }
    }
    fprintf(stderr, "fsconfig(%d, FSCONFIG_CMD_CREATE, NULL, NULL, 0)", fs);
    if (result(fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) < 0) {
        context_log(fs);
        return fail("fsconfig(FSCONFIG_CMD_CREATE)");
    }
    char names[160];
    fprintf(stderr, "fsmount(%d, FSMOUNT_CLOEXEC, %s)", fs, attr_names(attr, names, sizeof names));
    int mnt = result(fsmount(fs, FSMOUNT_CLOEXEC, attr));
    if (mnt < 0)
        return fail("fsmount");
    close(fs);
    table_report("after fsmount (a detached mount, held by its descriptor)", target);
    if (!target) {
        fprintf(stderr, "newmount: no target: closing the descriptor frees the detached mount\n");
        close(mnt);
        return 0;
    }
    if (do_move(mnt, target) < 0)
        return fail("move_mount");
    table_report("after move_mount", target);
    return 0;
}

static int cmd_clone(int argc, char** argv)
{
    const char *source = NULL, *target = NULL, *idmap = NULL;
    int recursive = 0, ro = 0;
    struct mount_attr attr = {0};
    for (int i = 0; i < argc; ++i) {
        if (strcmp(argv[i], "-R") == 0)
            recursive = 1;
        else if (strcmp(argv[i], "-r") == 0)
            ro = 1;
        else if (strcmp(argv[i], "--propagation") == 0 && i + 1 < argc) {
            if (propagation_of(argv[++i], &attr.propagation) != 0)
                return usage();
        } else if (strcmp(argv[i], "--idmap") == 0 && i + 1 < argc)
            idmap = argv[++i];
        else if (!source)
            source = argv[i];
        else if (!target)
            target = argv[i];
        else
            return usage();
    }
    if (!source)
        return usage();
    fprintf(stderr, "open_tree(AT_FDCWD, \"%s\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC%s)", source,
            recursive ? "|AT_RECURSIVE" : "");
    int t = result(open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0)));
    if (t < 0)
        return fail("open_tree");
    table_report("after open_tree (a detached copy, held by its descriptor)", target);
    if (ro)
        attr.attr_set |= MOUNT_ATTR_RDONLY;
    if (idmap) {
        int ns = userns_with_map(idmap);
        if (ns < 0)
            return fail("making the user namespace");
        attr.attr_set |= MOUNT_ATTR_IDMAP;
        attr.userns_fd = (unsigned long long)ns;
    }
    if (attr.attr_set || attr.propagation) {
        if (do_setattr(t, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr) < 0)
            return fail("mount_setattr");
    }
    if (!target) {
        fprintf(stderr, "newmount: no target: closing the descriptor frees the detached copy\n");
        close(t);
        return 0;
    }
    if (do_move(t, target) < 0)
        return fail("move_mount");
    table_report("after move_mount", target);
    return 0;
}

static int cmd_setattr(int argc, char** argv)
{
    const char *path = NULL, *idmap = NULL;
    unsigned int flags = 0;
    struct mount_attr attr = {0};
    for (int i = 0; i < argc; ++i) {
        if (strcmp(argv[i], "-R") == 0)
            flags |= AT_RECURSIVE;
        else if (strcmp(argv[i], "-r") == 0)
            attr.attr_set |= MOUNT_ATTR_RDONLY;
        else if (strcmp(argv[i], "-w") == 0)
            attr.attr_clr |= MOUNT_ATTR_RDONLY;
        else if (strcmp(argv[i], "--propagation") == 0 && i + 1 < argc) {
            if (propagation_of(argv[++i], &attr.propagation) != 0)
                return usage();
        } else if (strcmp(argv[i], "--idmap") == 0 && i + 1 < argc)
            idmap = argv[++i];
        else if (!path)
            path = argv[i];
        else
            return usage();
    }
    if (!path)
        return usage();
    if (idmap) {
        int ns = userns_with_map(idmap);
        if (ns < 0)
            return fail("making the user namespace");
        attr.attr_set |= MOUNT_ATTR_IDMAP;
        attr.userns_fd = (unsigned long long)ns;
    }
    if (do_setattr(AT_FDCWD, path, flags, &attr) < 0)
        return fail("mount_setattr");
    return 0;
}

int main(int argc, char** argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "fsmount") == 0)
        return cmd_fsmount(argc - 2, argv + 2);
    if (strcmp(argv[1], "clone") == 0)
        return cmd_clone(argc - 2, argv + 2);
    if (strcmp(argv[1], "setattr") == 0)
        return cmd_setattr(argc - 2, argv + 2);
    return usage();
}
