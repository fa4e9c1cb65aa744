#include "trace/tracer.h"

#include "base/fd.h"
#include "trace/tracepointids.h"

#include "bpf/events.h"
#include "mounttrace.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <string_view>

namespace mountlab::trace {

namespace {

// libbpf's own messages: kept (not printed) so that a failure can say what libbpf said.
thread_local std::string libbpf_log;

int keep_libbpf_log(enum libbpf_print_level level, const char* format, va_list args)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    char line[1024];
    const int n = vsnprintf(line, sizeof line, format, args);
    if (libbpf_log.size() < 8192)
        libbpf_log.append(line);
    return n;
}

std::string libbpf_detail()
{
    std::string s = libbpf_log;
    while (!s.empty() && s.back() == '\n')
        s.pop_back();
    const auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
}

std::int64_t clock_ns(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return std::int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

constexpr std::string_view kTracepointPrefix = "tracepoint/";
constexpr std::string_view kBtfPrefix = "tp_btf/";

int open_tracepoint_event(int id)
{
    perf_event_attr attr{};
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = static_cast<__u64>(id);
    attr.sample_period = 1;
    attr.wakeup_events = 1;
    // One event on CPU 0 for all processes is enough: the BPF program hangs off the
    // tracepoint itself and runs on every CPU (as libbpf does it).
    return static_cast<int>(syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC));
}

// The probes to attach. Syscalls: a program per sys_enter_X (each knows its syscall and
// how many arguments it may read) and one program shared by every sys_exit_X (the exit
// only reads what the entry stored), verified once rather than fourteen times. The
// tp_btf programs' tracepoints are in tracefs as "sched/sched_process_fork" and so on.
struct SyscallProbe {
    bpf_program* enter;
    std::string enter_tp, exit_tp;
    int enter_id = -1, exit_id = -1;
};

struct ProbePlan {
    std::vector<SyscallProbe> probes;
    std::vector<bpf_program*> btf_progs;
    std::vector<std::string> names; // every tracepoint, in the order of probes then btf_progs
};

ProbePlan plan_probes(bpf_object* obj, const bpf_program* exit_prog)
{
    ProbePlan plan;
    bpf_program* prog = nullptr;
    bpf_object__for_each_program(prog, obj)
    {
        std::string_view sec = bpf_program__section_name(prog);
        if (prog == exit_prog)
            continue;
        if (sec.starts_with(kTracepointPrefix)) {
            std::string enter(sec.substr(kTracepointPrefix.size()));
            std::string exit = enter;
            if (const auto at = exit.find("sys_enter_"); at != std::string::npos)
                exit.replace(at, 10, "sys_exit_");
            plan.names.push_back(enter);
            plan.names.push_back(exit);
            plan.probes.push_back({prog, std::move(enter), std::move(exit)});
        } else if (sec.starts_with(kBtfPrefix)) {
            std::string tp(sec.substr(kBtfPrefix.size()));
            plan.names.push_back(tp.substr(0, tp.find('_')) + "/" + tp);
            plan.btf_progs.push_back(prog);
        }
    }
    return plan;
}

// Which tracepoints this kernel has, all asked of tracefs at once. A missing one is
// left out with a note, not fatal.
Status find_tracepoints(ProbePlan& plan, std::vector<std::string>& notes)
{
    auto ids = tracepoint_ids(plan.names);
    if (!ids)
        return ids.error();
    std::size_t at = 0;
    for (SyscallProbe& p : plan.probes) {
        p.enter_id = (*ids)[at++];
        p.exit_id = (*ids)[at++];
        if (p.enter_id < 0 || p.exit_id < 0) {
            bpf_program__set_autoload(p.enter, false);
            notes.push_back(fmt::format("tracepoint {} is not on this kernel: skipped", p.enter_tp));
        }
    }
    for (bpf_program* p : plan.btf_progs) {
        if ((*ids)[at++] < 0) {
            bpf_program__set_autoload(p, false);
            notes.push_back(fmt::format("tracepoint {} is not on this kernel: skipped", bpf_program__section_name(p)));
        }
    }
    return Ok{};
}

Status attach_tracepoint(bpf_program* p, int id, const std::string& name, std::vector<bpf_link*>& links)
{
    UniqueFd pfd(open_tracepoint_event(id));
    if (!pfd)
        return system_error(errno, fmt::format("perf_event_open tracepoint `{}`", name));
    bpf_link* link = bpf_program__attach_perf_event(p, pfd.get());
    if (!link) {
        const int err = errno;
        pfd.reset();
        return system_error(err, fmt::format("attach to tracepoint `{}`", name));
    }
    (void)pfd.release(); // the link closes it when destroyed
    links.push_back(link);
    return Ok{};
}

Status attach_probes(const ProbePlan& plan, bpf_program* exit_prog, std::vector<bpf_link*>& links)
{
    for (const SyscallProbe& p : plan.probes) {
        if (p.enter_id < 0 || p.exit_id < 0)
            continue;
        // Exit first: an entry is never stored without its exit ready to send it.
        if (Status s = attach_tracepoint(exit_prog, p.exit_id, p.exit_tp, links); !s)
            return s;
        if (Status s = attach_tracepoint(p.enter, p.enter_id, p.enter_tp, links); !s)
            return s;
    }
    for (bpf_program* p : plan.btf_progs) {
        if (!bpf_program__autoload(p))
            continue;
        bpf_link* link = bpf_program__attach(p);
        if (!link)
            return system_error(errno, fmt::format("attach to `{}`", bpf_program__section_name(p)));
        links.push_back(link);
    }
    return Ok{};
}

} // namespace

std::string bpf_unavailable_reason()
{
    if (geteuid() != 0)
        return "eBPF tracing needs root (CAP_BPF and CAP_PERFMON); not running as root";
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
        return "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing), which the CO-RE probes need";
    return {};
}

Result<std::unique_ptr<Tracer>> Tracer::open(const TracerOptions& options)
{
    if (std::string why = bpf_unavailable_reason(); !why.empty())
        return make_error("{}", why);
    std::unique_ptr<Tracer> t(new Tracer());
    if (Status s = t->load(options); !s)
        return s.error();
    return t;
}

Status Tracer::load(const TracerOptions& options)
{
    libbpf_log.clear();
    libbpf_set_print(keep_libbpf_log);
    realtime_offset_ns_ = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
    batch_us_ = options.batch_us;

    skel_ = mounttrace_bpf__open();
    if (!skel_)
        return make_error("open the BPF probes: {}", libbpf_detail());
    skel_->rodata->trace_all = options.trace_all;
    if (int err = bpf_map__set_max_entries(skel_->maps.events, static_cast<__u32>(options.ringbuf_bytes)); err)
        return system_error(-err, "size the ring buffer");

    bpf_program* const exit_prog = skel_->progs.exit_any;
    ProbePlan plan = plan_probes(skel_->obj, exit_prog);
    if (Status s = find_tracepoints(plan, notes_); !s)
        return s;
    if (int err = mounttrace_bpf__load(skel_); err)
        return make_error("load the BPF probes: {} ({})", errno_name(-err), libbpf_detail());
    if (Status s = attach_probes(plan, exit_prog, links_); !s)
        return s;

    rb_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), &Tracer::on_sample, this, nullptr);
    if (!rb_)
        return system_error(errno, "open the ring buffer");
    return Ok{};
}

Tracer::~Tracer()
{
    ring_buffer__free(rb_);
    for (bpf_link* l : links_)
        bpf_link__destroy(l);
    mounttrace_bpf__destroy(skel_);
}

int Tracer::fd() const { return ring_buffer__epoll_fd(rb_); }

Status Tracer::track(pid_t pid)
{
    const __u32 key = static_cast<__u32>(pid);
    const __u8 one = 1;
    if (int err = bpf_map__update_elem(skel_->maps.tracked, &key, sizeof key, &one, sizeof one, BPF_ANY); err)
        return system_error(-err, fmt::format("track pid {}", pid));
    return Ok{};
}

int Tracer::on_sample(void* ctx, void* data, std::size_t size)
{
    auto* self = static_cast<Tracer*>(ctx);
    if (size < sizeof(ml_event))
        return 0;
    // Decoded in place (records are 8-byte aligned): only the fields the syscall uses
    // are read, not the whole 2 KiB record.
    ++self->delivered_;
    if (self->cb_)
        (*self->cb_)(decode_event(*static_cast<const ml_event*>(data)));
    return 0;
}

Result<int> Tracer::poll(int timeout_ms, const Callback& cb)
{
    pollfd p{fd(), POLLIN, 0};
    const int n = ::poll(&p, 1, timeout_ms);
    if (n < 0 && errno != EINTR)
        return system_error(errno, "poll the ring buffer");
    if (n <= 0)
        return 0;
    return read_ready(cb);
}

Result<int> Tracer::read_ready(const Callback& cb)
{
    if (batch_us_ > 0)
        usleep(static_cast<useconds_t>(batch_us_));
    return drain(cb);
}

Result<int> Tracer::drain(const Callback& cb)
{
    cb_ = &cb;
    delivered_ = 0;
    const int n = ring_buffer__consume(rb_);
    cb_ = nullptr;
    if (n < 0)
        return system_error(-n, "read the ring buffer");
    return delivered_;
}

Tracer::ProbeStats Tracer::probe_stats() const
{
    ProbeStats s;
    bpf_program* prog = nullptr;
    bpf_object__for_each_program(prog, skel_->obj)
    {
        const int fd = bpf_program__fd(prog);
        if (fd < 0)
            continue;
        bpf_prog_info info{};
        __u32 len = sizeof info;
        if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
            s.run_ns += info.run_time_ns;
            s.runs += info.run_cnt;
        }
    }
    return s;
}

Result<UniqueFd> Tracer::enable_probe_stats()
{
    UniqueFd fd(bpf_enable_stats(BPF_STATS_RUN_TIME));
    if (!fd)
        return system_error(errno, "enable BPF run-time statistics");
    return fd;
}

std::uint64_t Tracer::dropped() const { return __atomic_load_n(&skel_->bss->dropped, __ATOMIC_RELAXED); }

} // namespace mountlab::trace
