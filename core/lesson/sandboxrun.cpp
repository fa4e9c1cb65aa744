// One submission in a sandbox of its own (grade_one): its memory bound (a cgroup or the
// watchdog), a fresh lab with the exercise's set-up, the script run with its limits and
// traced, the exercise's `after` operations, then its checks.
#include "base/base64.h"
#include "base/jsonget.h"
#include "base/jsonwriter.h"
#include "lab/cgroup.h"
#include "lab/shmemwatchdog.h"
#include "lesson/checks.h"
#include "lesson/grader.h"
#include "stream/traceevents.h"
#include "trace/tracer.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <unistd.h>

namespace mountlab::lesson {

using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kMaxOutput = 4096;

std::string cut(const std::string& s, size_t n)
{
    return s.size() <= n ? s : s.substr(0, n) + fmt::format("\n... ({} more bytes)", s.size() - n);
}

// A tmpfs size= option ("32m", "1g", "65536") in bytes; -1 when it is not one of those.
long long tmpfs_size_bytes(const std::string& size)
{
    size_t end = 0;
    while (end < size.size() && std::isdigit(static_cast<unsigned char>(size[end])))
        ++end;
    if (end == 0 || end + 1 < size.size() || end > 15)
        return -1;
    const long long n = std::stoll(size.substr(0, end));
    switch (end < size.size() ? std::tolower(static_cast<unsigned char>(size[end])) : 0) {
    case 0:
        return n;
    case 'k':
        return n << 10;
    case 'm':
        return n << 20;
    case 'g':
        return n << 30;
    default:
        return -1;
    }
}

// How one sandbox's memory is bounded: its cgroup, or (cgroup null) the watchdog.
struct SandboxMemory {
    long long limit = 0;           // bytes
    long long watchdog_budget = 0; // bytes, the limit times the workers (machine-wide)
    std::unique_ptr<lab::SandboxCgroup> cgroup;
    std::string why_no_cgroup;
};

// A cgroup for this sandbox, named with this worker's PID, or why not.
Result<std::unique_ptr<lab::SandboxCgroup>> sandbox_cgroup(const GradeOptions& opts, long long limit)
{
    if (!opts.memory_cgroup)
        return Error{0, "turned off by --no-cgroup or MOUNTLAB_GRADE_NO_CGROUP=1"};
    auto place = lab::find_cgroup_place();
    if (!place)
        return place.error();
    // The pids limit backs RLIMIT_NPROC, with room for the lab's own processes.
    return lab::SandboxCgroup::create(*place, lab::sandbox_cgroup_name(getpid()), {limit, opts.nproc + 32});
}

// What happened to the script's memory while it ran.
struct MemoryOutcome {
    bool exceeded = false;
    std::string message;
    double peak_mb = -1;
};

MemoryOutcome memory_outcome(const SandboxMemory& mem, const lab::ShmemWatchdog* watchdog)
{
    MemoryOutcome o;
    if (mem.cgroup) {
        const lab::CgroupUsage u = mem.cgroup->usage();
        o.peak_mb = u.peak_bytes >= 0 ? static_cast<double>(u.peak_bytes) / (1 << 20) : -1;
        // At its limit a cgroup's tmpfs pages cannot be reclaimed (no swap for them): the
        // kernel's OOM killer ends a process of the sandbox, the writer or the lab host.
        o.exceeded = u.oom_kills > 0;
        if (o.exceeded)
            o.message = fmt::format("the script used more than {} MiB of memory (tmpfs included): the kernel ended {} "
                                    "of the sandbox's processes at its cgroup's limit",
                                    mem.limit >> 20, u.oom_kills);
    } else if (watchdog) {
        o.peak_mb = static_cast<double>(watchdog->peak_shmem_growth()) / (1 << 20);
        o.exceeded = watchdog->fired();
        if (o.exceeded)
            o.message = fmt::format("the script used more than {} MiB of memory (tmpfs included), as far as a watchdog "
                                    "on the whole machine can tell (no memory cgroup here): {}; it ended the sandbox",
                                    mem.watchdog_budget >> 20, watchdog->reason());
    }
    return o;
}

// A fresh lab bounded by `mem`, traced when a tracer is given.
Result<std::unique_ptr<lab::Lab>> start_lab(const GradeOptions& opts, trace::Tracer* tracer, const SandboxMemory& mem)
{
    lab::LabOptions lo;
    // The lab's root maps to an unprivileged ID of this worker's own (lab_outside_id).
    lo.scratch_size = opts.scratch_size;
    if (mem.cgroup)
        lo.cgroups = mem.cgroup->dirs();
    if (tracer)
        lo.on_spawn = [tracer](pid_t pid) { (void)tracer->track(pid); };
    return lab::Lab::start(lo);
}

// The exercise's set-up done and the script at /tmp/submission.sh, or why not.
Status set_up_with_script(lab::Lab& lab, const Exercise& ex, const Intake& in)
{
    for (const Json& op : ex.setup) {
        auto s = lab.in_container(op);
        if (!s || !s->ok)
            return make_error("the exercise's set-up failed at `{}`: {}", op.value("op", ""),
                              s ? s->message : s.error().message);
    }
    if (auto w = lab.in_container(
            Json{{"op", "write"}, {"path", "/tmp/submission.sh"}, {"content_base64", base64_encode(in.script)}});
        !w || !w->ok)
        return make_error("could not place the script in the container");
    return Ok{};
}

// The script run by the interpreter its shebang names (read_submission), sh without
// one, with the grader's limits, its whole PID namespace ended at the time limit.
Json exec_request(const Exercise& ex, const Intake& in, const GradeOptions& opts)
{
    Json argv = Json::array();
    for (const std::string& a : in.argv)
        argv.push_back(a);
    argv.push_back("/tmp/submission.sh");
    return Json{{"op", "exec"},
                {"argv", argv},
                {"timeout_ms", ex.time_limit_ms},
                {"stdin", ""},
                {"limits",
                 {{"nproc", opts.nproc},
                  {"memory_mb", opts.memory_mb},
                  {"cpu_s", std::max(1, ex.time_limit_ms / 1000)},
                  {"file_mb", opts.file_mb},
                  {"pid_namespace", true}}}};
}

// What the script did: the exec's result and the calls the tracer saw.
struct ScriptRun {
    lab::OpResult result;
    std::vector<Json> syscalls;
    std::uint64_t lost = 0; // calls the tracer dropped while the script ran
};

// *outcome is set once the script ran.
ScriptRun run_script(lab::Lab& lab, const Json& exec, trace::Tracer* tracer, const SandboxMemory& mem,
                     std::optional<MemoryOutcome>* outcome)
{
    ScriptRun out;
    trace::Tracer::Callback collect = [&](const trace::SyscallEvent& e) {
        JsonWriter w;
        stream::write_syscall(w, e);
        out.syscalls.push_back(Json::parse(w.view()));
    };
    if (tracer)
        (void)tracer->drain([](const trace::SyscallEvent&) {}); // the set-up's calls are not the student's
    // A script can flood the ring buffer to hide a call; a check on calls then cannot be
    // decided, and must not pass.
    const std::uint64_t dropped_before = tracer ? tracer->dropped() : 0;
    // Without a cgroup, the watchdog runs while the script does: this worker only waits
    // for the lab's answer meanwhile, and clones nothing.
    std::optional<lab::ShmemWatchdog> watchdog;
    if (!mem.cgroup)
        watchdog.emplace(lab.lab_host_pid(), mem.watchdog_budget);
    auto run = lab.in_container(exec);
    if (watchdog)
        watchdog->stop();
    *outcome = memory_outcome(mem, watchdog ? &*watchdog : nullptr);
    out.result = run ? *run : lab::OpResult::failure(run.error().errnum, run.error().message);
    if (tracer)
        (void)tracer->drain(collect);
    out.lost = tracer ? tracer->dropped() - dropped_before : 0;
    return out;
}

std::string trace_gap(std::uint64_t lost)
{
    if (lost == 0)
        return {};
    return fmt::format("the trace is incomplete: {} of the script's calls were lost (so many calls filled the "
                       "tracer's buffer), so no check on system calls can be decided",
                       lost);
}

// The exercise's `after` operations: the lab acting once the script is done (the lab
// host mounting on a volume's source, say), so the checks can judge what the
// script's set-up does with it. One that fails is said in the note; the checks judge
// the state as it is (give a check of absence that relies on one a guard on its effect).
void run_after_ops(lab::Lab& lab, const Exercise& ex, SubmissionResult& r)
{
    std::vector<std::string> after_notes;
    for (const Json& op : ex.after) {
        Json request = op;
        const std::string where = json_string(request, "where", "container");
        request.erase("where");
        auto a = where == "lab host" ? lab.in_lab_host(request) : lab.in_container(request);
        if (!a || !a->ok)
            after_notes.push_back(fmt::format("the grader's `{}` in the {} after the script failed: {}",
                                              json_string(request, "op"), where, a ? a->message : a.error().message));
    }
    for (const std::string& n : after_notes)
        r.note += (r.note.empty() ? "" : "; ") + n;
}

std::string timeout_message(const Exercise& ex)
{
    return fmt::format("the script did not finish within {:.1f} s and was stopped", ex.time_limit_ms / 1000.0);
}

// The submission in a fresh lab bounded by `mem`. The lab is gone when this returns, so
// the caller may remove the sandbox's cgroup. *outcome is set once the script ran.
SubmissionResult grade_in_lab(const Exercise& ex, SubmissionResult r, const Intake& in, const GradeOptions& opts,
                              trace::Tracer* tracer, const SandboxMemory& mem, std::optional<MemoryOutcome>* outcome)
{
    const auto t0 = Clock::now();
    auto finish = [&](std::string status, std::string error = {}) {
        r.status = std::move(status);
        r.error = std::move(error);
        r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        return r;
    };
    auto lab = start_lab(opts, tracer, mem);
    if (!lab)
        return finish("error", "the sandbox could not start: " + lab.error().message);
    if (Status s = set_up_with_script(**lab, ex, in); !s)
        return finish("error", s.error().message);
    auto before = (*lab)->snapshot();
    if (!before)
        return finish("error", before.error().message);

    const ScriptRun run = run_script(**lab, exec_request(ex, in, opts), tracer, mem, outcome);
    r.exit_code = run.result.data.value("exit_code", -1);
    r.output = cut(run.result.data.value("stdout", "") + run.result.data.value("stderr", ""), kMaxOutput);
    const bool timed_out = run.result.data.value("timed_out", false);
    run_after_ops(**lab, ex, r);

    auto after = (*lab)->snapshot();
    if (!after) {
        // The script broke what the checks read (the lab host's proc, the container): no
        // check can hold, and none may pass by finding nothing.
        for (const CheckSpec& c : ex.checks)
            r.checks.push_back({describe(c), 0, c.points, false,
                                "the mount tables could not be read after the script: " + after.error().message,
                                c.feedback});
        return finish(timed_out ? "timeout" : "failed", timed_out ? timeout_message(ex) : std::string());
    }
    const lab::StepContext ctx{run.result,
                               *before,
                               *after,
                               **lab,
                               tracer && run.lost == 0 ? &run.syscalls : nullptr,
                               !tracer ? r.trace : trace_gap(run.lost)};
    const bool all = judge_checks(ex, ctx, r);
    if (timed_out)
        return finish("timeout", timeout_message(ex));
    return finish(all ? "passed" : "failed");
}

} // namespace

long sandbox_memory_limit_mb(const GradeOptions& opts)
{
    const long long scratch = tmpfs_size_bytes(opts.scratch_size);
    return opts.memory_mb + static_cast<long>(std::max(0LL, scratch) >> 20) + kLabMemoryMarginMb;
}

SubmissionResult grade_one(const Exercise& ex, const std::string& file, const GradeOptions& opts,
                           const std::string& trace, void* tracer_ptr)
{
    const auto t0 = Clock::now();
    SubmissionResult r;
    r.trace = trace;
    r.file = file;
    r.name = std::filesystem::path(file).filename().string();
    for (const CheckSpec& c : ex.checks)
        r.max += c.points;
    auto finish = [&](std::string status, std::string error = {}) {
        r.status = std::move(status);
        r.error = std::move(error);
        r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        return r;
    };

    const Intake in = read_submission(file);
    r.note = in.note;
    if (!in.error.empty())
        return finish("error", in.error);
    if (!in.refused.empty())
        return finish("failed", in.refused);
    if (tmpfs_size_bytes(opts.scratch_size) < 0)
        return finish(
            "error", fmt::format("the scratch tmpfs size `{}` is not a size (a number, k, m or g)", opts.scratch_size));

    SandboxMemory mem;
    mem.limit = static_cast<long long>(sandbox_memory_limit_mb(opts)) << 20;
    mem.watchdog_budget = mem.limit * std::max(1, opts.jobs);
    if (auto cg = sandbox_cgroup(opts, mem.limit))
        mem.cgroup = std::move(*cg);
    else
        mem.why_no_cgroup = cg.error().message;
    if (mem.cgroup)
        r.memory = mem.cgroup->version() == lab::CgroupVersion::V1 ? "cgroup v1" : "cgroup v2";
    else // the header says why when no cgroup was wanted; here, why this one failed
        r.memory = opts.memory_cgroup ? "watchdog: " + mem.why_no_cgroup : "watchdog";

    std::optional<MemoryOutcome> outcome;
    r = grade_in_lab(ex, std::move(r), in, opts, static_cast<trace::Tracer*>(tracer_ptr), mem, &outcome);
    // The lab is gone: the script's memory is judged, then its cgroup removed.
    if (outcome) {
        r.memory_peak_mb = outcome->peak_mb;
        if (outcome->exceeded) {
            r.status = r.status == "timeout" ? "timeout" : "failed";
            // As after a timeout, the checks keep what they found: the status says why.
            r.error = outcome->message;
        }
    }
    if (mem.cgroup)
        if (Status s = mem.cgroup->remove(); !s)
            r.error += (r.error.empty() ? "" : "; ") + s.error().message;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
}

} // namespace mountlab::lesson
