/* The C ABI between the probes (mounttrace.bpf.c) and user space (core/trace).
 * Plain C, fixed-size arrays, no pointers: both sides compile it, and
 * tests/unit/tst_trace_flags.cpp static_asserts its layout so a change on one side
 * cannot go unnoticed on the other. */
#ifndef MOUNTLAB_BPF_EVENTS_H
#define MOUNTLAB_BPF_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Real paths and the whole fstype ("fuse.sshfs", "squashfs": mountsnoop's 8 bytes cut
 * them); the data string holds overlay's "lowerdir=a:b:c,upperdir=...,workdir=...". */
#define ML_STR_LEN 256
#define ML_DATA_LEN 1024
#define ML_COMM_LEN 16
#define ML_NSTR 3

enum ml_syscall {
    ML_SYS_NONE = 0,
    ML_SYS_MOUNT,
    ML_SYS_UMOUNT2,
    ML_SYS_PIVOT_ROOT,
    ML_SYS_CHROOT,
    ML_SYS_UNSHARE,
    ML_SYS_SETNS,
    ML_SYS_CLONE,
    ML_SYS_CLONE3,
    ML_SYS_MOUNT_SETATTR,
    ML_SYS_MOVE_MOUNT,
    ML_SYS_OPEN_TREE,
    ML_SYS_FSOPEN,
    ML_SYS_FSCONFIG,
    ML_SYS_FSMOUNT,
    ML_SYS_EXEC, /* not a syscall tracepoint: sched_process_exec, str[0] = filename */
    ML_SYS_COUNT
};

/* Which str[] / data slot holds which argument, per syscall:
 *   mount         str0 source, str1 target, str2 fstype, data = options string
 *   umount2       str0 target            pivot_root  str0 new_root, str1 put_old
 *   chroot        str0 path              mount_setattr str0 path, aux = struct mount_attr
 *   move_mount    str0 from, str1 to     open_tree   str0 path
 *   fsopen        str0 fs name           fsconfig    str0 key, data = value (string/path)
 *   clone3        aux[0] = clone_args.flags
 * args[] always holds the six raw register values (pointers only to tell NULL). */
struct ml_event {
    __u64 ts_ns;      /* bpf_ktime_get_ns() at syscall entry (CLOCK_MONOTONIC) */
    __u64 latency_ns; /* entry to exit */
    __s64 ret;        /* raw return value: -errno on failure */
    __u64 args[6];
    __u64 aux[4];
    __u32 pid; /* tgid */
    __u32 tid;
    __u32 mntns_before;
    __u32 mntns_after;
    __u32 syscall;   /* enum ml_syscall */
    __u32 truncated; /* bit i: str[i] filled its buffer; bit 3: data did */
    char comm[ML_COMM_LEN];
    char str[ML_NSTR][ML_STR_LEN];
    char data[ML_DATA_LEN];
};

#endif
