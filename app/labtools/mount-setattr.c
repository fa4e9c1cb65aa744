/* mount-setattr: change the flags of a mount, or of a whole mount tree, with mount_setattr(2).
 *
 *   mount-setattr [-R|--recursive] [--ro|--rw] [--nosuid|--suid] [--nodev|--dev]
 *                 [--noexec|--exec] PATH
 *
 * mount(2) with MS_REMOUNT|MS_BIND|MS_RDONLY changes one mount only: the submounts of an
 * rbind stay writable. mount_setattr(2) (Linux 5.12) with AT_RECURSIVE sets or clears the
 * flags of every mount of the tree at PATH in one call, and none of them if it fails. No
 * command of Debian 12's userland (util-linux 2.38) makes this call, hence this program.
 *
 * The system call is printed to stderr as strace would show it. Static, so it runs in any
 * root of the lab. Written for MountLab; the lab installs it in /usr/local/bin. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
/* From <linux/mount.h> (not included: it clashes with glibc 2.36's <sys/mount.h>). */
#define ML_MOUNT_ATTR_RDONLY 0x00000001
#define ML_MOUNT_ATTR_NOSUID 0x00000002
#define ML_MOUNT_ATTR_NODEV 0x00000004
#define ML_MOUNT_ATTR_NOEXEC 0x00000008

struct ml_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

static void print_attrs(uint64_t attrs)
{
    static const struct {
        uint64_t bit;
        const char *name;
    } names[] = {{ML_MOUNT_ATTR_RDONLY, "MOUNT_ATTR_RDONLY"},
                 {ML_MOUNT_ATTR_NOSUID, "MOUNT_ATTR_NOSUID"},
                 {ML_MOUNT_ATTR_NODEV, "MOUNT_ATTR_NODEV"},
                 {ML_MOUNT_ATTR_NOEXEC, "MOUNT_ATTR_NOEXEC"}};
    int first = 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (attrs & names[i].bit) {
            fprintf(stderr, "%s%s", first ? "" : "|", names[i].name);
            first = 0;
        }
    if (first)
        fprintf(stderr, "0");
}

static int usage(FILE *f, int status)
{
    fprintf(f, "usage: mount-setattr [-R|--recursive] [--ro|--rw] [--nosuid|--suid] [--nodev|--dev]\n"
               "                     [--noexec|--exec] PATH\n"
               "Sets or clears the flags of the mount at PATH (with -R, of every mount of the tree\n"
               "at PATH) with one mount_setattr(2) call, printed to stderr as strace shows it.\n");
    return status;
}

int main(int argc, char **argv)
{
    struct ml_mount_attr attr;
    memset(&attr, 0, sizeof attr);
    unsigned int flags = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return usage(stdout, 0);
        else if (strcmp(a, "-R") == 0 || strcmp(a, "--recursive") == 0)
            flags |= AT_RECURSIVE;
        else if (strcmp(a, "--ro") == 0)
            attr.attr_set |= ML_MOUNT_ATTR_RDONLY;
        else if (strcmp(a, "--rw") == 0)
            attr.attr_clr |= ML_MOUNT_ATTR_RDONLY;
        else if (strcmp(a, "--nosuid") == 0)
            attr.attr_set |= ML_MOUNT_ATTR_NOSUID;
        else if (strcmp(a, "--suid") == 0)
            attr.attr_clr |= ML_MOUNT_ATTR_NOSUID;
        else if (strcmp(a, "--nodev") == 0)
            attr.attr_set |= ML_MOUNT_ATTR_NODEV;
        else if (strcmp(a, "--dev") == 0)
            attr.attr_clr |= ML_MOUNT_ATTR_NODEV;
        else if (strcmp(a, "--noexec") == 0)
            attr.attr_set |= ML_MOUNT_ATTR_NOEXEC;
        else if (strcmp(a, "--exec") == 0)
            attr.attr_clr |= ML_MOUNT_ATTR_NOEXEC;
        else if (a[0] == '-' || path)
            return usage(stderr, 2);
        else
            path = a;
    }
    if (!path || (attr.attr_set & attr.attr_clr))
        return usage(stderr, 2);

    long r = syscall(SYS_mount_setattr, AT_FDCWD, path, flags, &attr, sizeof attr);
    int e = errno;
    fprintf(stderr, "mount_setattr(AT_FDCWD, \"%s\", %s, {attr_set=", path, (flags & AT_RECURSIVE) ? "AT_RECURSIVE" : "0");
    print_attrs(attr.attr_set);
    fprintf(stderr, ", attr_clr=");
    print_attrs(attr.attr_clr);
    fprintf(stderr, ", propagation=0, userns_fd=0}, %zu) = ", sizeof attr);
    if (r == 0) {
        fprintf(stderr, "0\n");
        return 0;
    }
    fprintf(stderr, "-1 %s (%s)\n", strerrorname_np(e) ? strerrorname_np(e) : "?", strerror(e));
    return 1;
}
