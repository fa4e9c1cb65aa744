// SPDX-License-Identifier: GPL-2.0
/* Kernel side of `mountlab-cli trace`: every mount-family and namespace syscall of a
 * process tree (or of every process when trace_all is set), with its arguments, its
 * mount namespace before and after, its return value and latency.
 *
 * Short sys_enter_X stubs funnel into probe_entry(); one program, probe_exit(), serves
 * every sys_exit_X. Entry and exit are joined per thread by `inflight`, task-local
 * storage rather than a hash keyed by tid: cheaper on every traced call, it cannot
 * fill up and it is freed with the thread (kernel 5.11+). Strings are read at exit,
 * from the pointers saved at entry: the syscall has just used them, so they are
 * resident, and one ring buffer reservation per call is all the exit has to do. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "events.h"

char LICENSE[] SEC("license") = "GPL";

/* Set before load: follow every process instead of the tracked tree. */
const volatile bool trace_all = false;

/* Ring buffer reservations that failed: events lost because user space fell behind. */
__u64 dropped = 0;

/* tgids of the tracked tree; user space seeds it, fork adds, exit removes. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u32);
    __type(value, __u8);
} tracked SEC(".maps");

struct start {
    __u64 ts;
    __u64 args[6];
    __u64 aux[4];
    __u32 mntns;
    __u32 syscall;
};

/* The entry's arguments until its exit; syscall == 0 when nothing is pending. */
struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct start);
} inflight SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 << 20); /* user space may resize before load */
} events SEC(".maps");

/* CLONE_NEW* bits. clone(2) has no CLONE_NEWTIME: 0x80 is part of its exit signal. */
#define NS_FLAGS_CLONE                                                                                                 \
    (0x00020000ULL | 0x02000000ULL | 0x04000000ULL | 0x08000000ULL | 0x10000000ULL | 0x20000000ULL | 0x40000000ULL)
#define NS_FLAGS_CLONE3 (NS_FLAGS_CLONE | 0x80ULL)

/* fsconfig commands whose value is a string (FSCONFIG_SET_STRING, _SET_PATH, _SET_PATH_EMPTY). */
#define FSCONFIG_SET_STRING_ 1
#define FSCONFIG_SET_PATH_ 3
#define FSCONFIG_SET_PATH_EMPTY_ 4

static __always_inline __u32 task_mntns(struct task_struct* task)
{
    return BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
}

/* The current task's namespace through its BTF pointer: plain loads, no probe reads
 * (this runs twice per traced call). nsproxy is never NULL for a task in a syscall. */
static __always_inline __u32 current_mntns(void)
{
    struct task_struct* task = bpf_get_current_task_btf();
    return task->nsproxy->mnt_ns->ns.inum;
}

static __always_inline bool is_tracked(__u32 tgid)
{
    if (trace_all)
        return true;
    return bpf_map_lookup_elem(&tracked, &tgid) != NULL;
}

/* Reads only the nargs arguments the tracepoint has: the kernel refuses to attach a
 * program that reads its context past the tracepoint's own fields (EACCES). */
static __always_inline int probe_entry(struct trace_event_raw_sys_enter* ctx, __u32 syscall, int nargs)
{
    __u64 id = bpf_get_current_pid_tgid();
    if (!is_tracked(id >> 32))
        return 0;

    struct start s = {};
    s.syscall = syscall;
    if (nargs > 0)
        s.args[0] = ctx->args[0];
    if (nargs > 1)
        s.args[1] = ctx->args[1];
    if (nargs > 2)
        s.args[2] = ctx->args[2];
    if (nargs > 3)
        s.args[3] = ctx->args[3];
    if (nargs > 4)
        s.args[4] = ctx->args[4];
    if (nargs > 5)
        s.args[5] = ctx->args[5];

    if (syscall == ML_SYS_CLONE && !(s.args[0] & NS_FLAGS_CLONE))
        return 0; /* a plain fork: followed by sched_process_fork, not reported */
    if (syscall == ML_SYS_CLONE3) {
        __u64 flags = 0;
        if (bpf_probe_read_user(&flags, sizeof(flags), (void*)s.args[0]) != 0 || !(flags & NS_FLAGS_CLONE3))
            return 0;
        s.aux[0] = flags;
    }
    if (syscall == ML_SYS_MOUNT_SETATTR && s.args[3] && s.args[4] >= sizeof(s.aux))
        bpf_probe_read_user(&s.aux, sizeof(s.aux), (void*)s.args[3]);

    s.mntns = current_mntns();
    s.ts = bpf_ktime_get_ns();
    struct start* slot = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (slot)
        *slot = s;
    return 0;
}

/* Copies a user string into a slot; marks it truncated when it filled the slot.
 * A NULL or unused slot is not written at all: user space tells NULL from args[], and
 * every cache line of the record left untouched is one miss fewer for the traced call. */
static __always_inline void read_str(char* dst, __u32 size, __u64 ptr, __u32 bit, __u32* truncated)
{
    if (!ptr)
        return;
    long n = bpf_probe_read_user_str(dst, size, (const void*)ptr);
    if (n < 0)
        dst[0] = '\0';
    else if ((__u32)n >= size)
        *truncated |= bit;
}

static __always_inline int probe_exit(struct trace_event_raw_sys_exit* ctx)
{
    __u64 id = bpf_get_current_pid_tgid();
    __u32 tid = (__u32)id;
    struct start* s = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
    if (!s || !s->syscall)
        return 0;

    struct ml_event* e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e) {
        __sync_fetch_and_add(&dropped, 1);
        s->syscall = 0;
        return 0;
    }
    __u64 now = bpf_ktime_get_ns();
    e->ts_ns = s->ts;
    e->latency_ns = now - s->ts;
    e->ret = ctx->ret;
    __builtin_memcpy(e->args, s->args, sizeof(e->args));
    __builtin_memcpy(e->aux, s->aux, sizeof(e->aux));
    e->pid = id >> 32;
    e->tid = tid;
    e->mntns_before = s->mntns;
    e->mntns_after = current_mntns();
    e->syscall = s->syscall;
    bpf_get_current_comm(e->comm, sizeof(e->comm));

    __u64 p0 = 0, p1 = 0, p2 = 0, pd = 0;
    switch (s->syscall) {
    case ML_SYS_MOUNT:
        p0 = s->args[0], p1 = s->args[1], p2 = s->args[2], pd = s->args[4];
        break;
    case ML_SYS_UMOUNT2:
    case ML_SYS_CHROOT:
    case ML_SYS_FSOPEN:
        p0 = s->args[0];
        break;
    case ML_SYS_PIVOT_ROOT:
        p0 = s->args[0], p1 = s->args[1];
        break;
    case ML_SYS_MOUNT_SETATTR:
    case ML_SYS_OPEN_TREE:
        p0 = s->args[1];
        break;
    case ML_SYS_MOVE_MOUNT:
        p0 = s->args[1], p1 = s->args[3];
        break;
    case ML_SYS_FSCONFIG:
        p0 = s->args[2];
        if (s->args[1] == FSCONFIG_SET_STRING_ || s->args[1] == FSCONFIG_SET_PATH_ ||
            s->args[1] == FSCONFIG_SET_PATH_EMPTY_)
            pd = s->args[3];
        break;
    default:
        break;
    }
    s->syscall = 0;

    __u32 truncated = 0;
    read_str(e->str[0], ML_STR_LEN, p0, 1, &truncated);
    read_str(e->str[1], ML_STR_LEN, p1, 2, &truncated);
    read_str(e->str[2], ML_STR_LEN, p2, 4, &truncated);
    read_str(e->data, ML_DATA_LEN, pd, 8, &truncated);
    e->truncated = truncated;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

/* One exit program for every sys_exit_X: user space attaches it next to each
 * sys_enter_X below (the section name only gives it its program type). */
SEC("tracepoint/syscalls/sys_exit")
int exit_any(struct trace_event_raw_sys_exit* ctx) { return probe_exit(ctx); }

#define SYSCALL_PROBES(tp, syscall, nargs)                                                                             \
    SEC("tracepoint/syscalls/sys_enter_" #tp)                                                                          \
    int enter_##tp(struct trace_event_raw_sys_enter* ctx) { return probe_entry(ctx, syscall, nargs); }

SYSCALL_PROBES(mount, ML_SYS_MOUNT, 5)
SYSCALL_PROBES(umount, ML_SYS_UMOUNT2, 2) /* umount2(2) is the kernel's sys_umount */
SYSCALL_PROBES(pivot_root, ML_SYS_PIVOT_ROOT, 2)
SYSCALL_PROBES(chroot, ML_SYS_CHROOT, 1)
SYSCALL_PROBES(unshare, ML_SYS_UNSHARE, 1)
SYSCALL_PROBES(setns, ML_SYS_SETNS, 2)
SYSCALL_PROBES(clone, ML_SYS_CLONE, 5)
SYSCALL_PROBES(clone3, ML_SYS_CLONE3, 2)
SYSCALL_PROBES(mount_setattr, ML_SYS_MOUNT_SETATTR, 5)
SYSCALL_PROBES(move_mount, ML_SYS_MOVE_MOUNT, 5)
SYSCALL_PROBES(open_tree, ML_SYS_OPEN_TREE, 3)
SYSCALL_PROBES(fsopen, ML_SYS_FSOPEN, 2)
SYSCALL_PROBES(fsconfig, ML_SYS_FSCONFIG, 5)
SYSCALL_PROBES(fsmount, ML_SYS_FSMOUNT, 3)

/* A child of a tracked process is tracked from its first instruction. Threads share
 * their tgid, so only new processes add an entry. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct* parent, struct task_struct* child)
{
    if (trace_all)
        return 0;
    __u32 ptgid = BPF_CORE_READ(parent, tgid);
    __u32 ctgid = BPF_CORE_READ(child, tgid);
    if (ptgid == ctgid || !bpf_map_lookup_elem(&tracked, &ptgid))
        return 0;
    __u8 one = 1;
    bpf_map_update_elem(&tracked, &ctgid, &one, BPF_ANY);
    return 0;
}

/* A program's name appears in the stream when a tracked process execs it (not with
 * trace_all: every exec on the machine would drown the mount calls). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct* task, pid_t old_pid, struct linux_binprm* bprm)
{
    __u64 id = bpf_get_current_pid_tgid();
    if (trace_all || !is_tracked(id >> 32))
        return 0;
    /* A program that raised its credentials on exec (setuid, setgid) is not the tracked
     * tree's any more: it and what it starts are left out. (The new credentials are in
     * place when this tracepoint fires.) */
    const struct cred* cred = BPF_CORE_READ(task, cred);
    if (BPF_CORE_READ(cred, uid.val) != BPF_CORE_READ(cred, euid.val) ||
        BPF_CORE_READ(cred, gid.val) != BPF_CORE_READ(cred, egid.val)) {
        __u32 tgid = id >> 32;
        bpf_map_delete_elem(&tracked, &tgid);
        return 0;
    }
    struct ml_event* e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e) {
        __sync_fetch_and_add(&dropped, 1);
        return 0;
    }
    __u32 ns = task_mntns(task);
    e->ts_ns = bpf_ktime_get_ns();
    e->latency_ns = 0;
    e->ret = 0;
    __builtin_memset(e->args, 0, sizeof(e->args));
    __builtin_memset(e->aux, 0, sizeof(e->aux));
    e->pid = id >> 32;
    e->tid = (__u32)id;
    e->mntns_before = ns;
    e->mntns_after = ns;
    e->syscall = ML_SYS_EXEC;
    e->truncated = 0;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    long n = bpf_probe_read_kernel_str(e->str[0], ML_STR_LEN, BPF_CORE_READ(bprm, filename));
    if (n < 0)
        e->str[0][0] = '\0';
    else if (n >= ML_STR_LEN)
        e->truncated = 1;
    e->str[1][0] = '\0';
    e->str[2][0] = '\0';
    e->data[0] = '\0';
    bpf_ringbuf_submit(e, 0);
    return 0;
}

/* sched_process_exit runs once per thread; the process leaves the tree with its last
 * thread (signal->live has dropped to 0 by then). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct* task)
{
    if (trace_all || BPF_CORE_READ(task, signal, live.counter) != 0)
        return 0;
    __u32 tgid = BPF_CORE_READ(task, tgid);
    bpf_map_delete_elem(&tracked, &tgid);
    return 0;
}
