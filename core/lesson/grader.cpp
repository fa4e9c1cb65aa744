#include "lesson/grader.h"

#include "base/base64.h"
#include "base/jsonget.h"

#include "lab/cgroup.h"
#include "lab/shmemwatchdog.h"
#include "lesson/checks.h"
#include "stream/traceevents.h"
#include "trace/tracer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <map>
#include <optional>
#include <unistd.h>

namespace mountlab::lesson {

using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kMaxOutput = 4096;

Json to_json(const SubmissionResult& r)
{
    Json checks = Json::array();
    for (const CheckResult& c : r.checks)
        checks.push_back({{"name", c.name}, {"points", c.points}, {"max", c.max}, {"passed", c.passed},
                          {"message", c.message}, {"feedback", c.feedback}});
    return Json{{"file", r.file},   {"name", r.name},         {"status", r.status}, {"score", r.score},
                {"max", r.max},     {"seconds", r.seconds},   {"exit_code", r.exit_code}, {"output", r.output},
                {"error", r.error}, {"note", r.note}, {"trace", r.trace},       {"memory", r.memory},
                {"memory_peak_mb", r.memory_peak_mb},         {"checks", checks}};
}

SubmissionResult from_json(const Json& j)
{
    SubmissionResult r;
    r.file = j.value("file", "");
    r.name = j.value("name", "");
    r.status = j.value("status", "error");
    r.score = j.value("score", 0);
    r.max = j.value("max", 0);
    r.seconds = j.value("seconds", 0.0);
    r.exit_code = j.value("exit_code", -1);
    r.output = j.value("output", "");
    r.error = j.value("error", "");
    r.note = j.value("note", "");
    r.trace = j.value("trace", "");
    r.memory = j.value("memory", "");
    r.memory_peak_mb = j.value("memory_peak_mb", -1.0);
    for (const Json& c : j.value("checks", Json::array()))
        r.checks.push_back({c.value("name", ""), c.value("points", 0), c.value("max", 0), c.value("passed", false),
                            c.value("message", ""), c.value("feedback", "")});
    return r;
}

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
    case 0: return n;
    case 'k': return n << 10;
    case 'm': return n << 20;
    case 'g': return n << 30;
    default: return -1;
    }
}

// How one sandbox's memory is bounded: its cgroup, or (cgroup null) the watchdog.
struct SandboxMemory {
    long long limit = 0; // bytes
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

    lab::LabOptions lo;
    // The lab's root maps to an unprivileged ID of this worker's own (lab_outside_id).
    lo.scratch_size = opts.scratch_size;
    if (mem.cgroup)
        lo.cgroups = mem.cgroup->dirs();
    if (tracer)
        lo.on_spawn = [tracer](pid_t pid) { (void)tracer->track(pid); };
    auto lab = lab::Lab::start(lo);
    if (!lab)
        return finish("error", "the sandbox could not start: " + lab.error().message);
    for (const Json& op : ex.setup) {
        auto s = (*lab)->in_container(op);
        if (!s || !s->ok)
            return finish("error", fmt::format("the exercise's set-up failed at `{}`: {}", op.value("op", ""),
                                               s ? s->message : s.error().message));
    }
    if (auto w = (*lab)->in_container(Json{{"op", "write"}, {"path", "/tmp/submission.sh"}, {"content_base64", base64_encode(in.script)}}); !w || !w->ok)
        return finish("error", "could not place the script in the container");
    auto before = (*lab)->snapshot();
    if (!before)
        return finish("error", before.error().message);

    std::vector<Json> syscalls;
    trace::Tracer::Callback collect = [&](const trace::SyscallEvent& e) {
        JsonWriter w;
        stream::write_syscall(w, e);
        syscalls.push_back(Json::parse(w.view()));
    };
    if (tracer)
        (void)tracer->drain([](const trace::SyscallEvent&) {}); // the set-up's calls are not the student's
    // A script can flood the ring buffer to hide a call; a check on calls then cannot be
    // decided, and must not pass.
    const std::uint64_t dropped_before = tracer ? tracer->dropped() : 0;
    // The interpreter its shebang names (read_submission), sh without one.
    Json argv = Json::array();
    for (const std::string& a : in.argv)
        argv.push_back(a);
    argv.push_back("/tmp/submission.sh");
    const Json exec{{"op", "exec"},
                    {"argv", argv},
                    {"timeout_ms", ex.time_limit_ms},
                    {"stdin", ""},
                    {"limits",
                     {{"nproc", opts.nproc},
                      {"memory_mb", opts.memory_mb},
                      {"cpu_s", std::max(1, ex.time_limit_ms / 1000)},
                      {"file_mb", opts.file_mb},
                      {"pid_namespace", true}}}};
    // Without a cgroup, the watchdog runs while the script does: this worker only waits
    // for the lab's answer meanwhile, and clones nothing.
    std::optional<lab::ShmemWatchdog> watchdog;
    if (!mem.cgroup)
        watchdog.emplace((*lab)->lab_host_pid(), mem.watchdog_budget);
    auto run = (*lab)->in_container(exec);
    if (watchdog)
        watchdog->stop();
    *outcome = memory_outcome(mem, watchdog ? &*watchdog : nullptr);
    lab::OpResult result = run ? *run : lab::OpResult::failure(run.error().errnum, run.error().message);
    if (tracer)
        (void)tracer->drain(collect);
    const std::uint64_t lost = tracer ? tracer->dropped() - dropped_before : 0;
    std::string trace_gap;
    if (lost > 0)
        trace_gap = fmt::format("the trace is incomplete: {} of the script's calls were lost (so many calls filled the "
                                "tracer's buffer), so no check on system calls can be decided",
                                lost);
    r.exit_code = result.data.value("exit_code", -1);
    r.output = cut(result.data.value("stdout", "") + result.data.value("stderr", ""), kMaxOutput);
    const bool timed_out = result.data.value("timed_out", false);

    // The exercise's `after` operations: the lab acting once the script is done (the lab
    // host mounting on a volume's source, say), so the checks can judge what the
    // script's set-up does with it. One that fails is said; the checks judge the state
    // as it is (give a check of absence that relies on one a guard on its effect).
    std::vector<std::string> after_notes;
    for (const Json& op : ex.after) {
        Json request = op;
        const std::string where = json_string(request, "where", "container");
        request.erase("where");
        auto a = where == "lab host" ? (*lab)->in_lab_host(request) : (*lab)->in_container(request);
        if (!a || !a->ok)
            after_notes.push_back(fmt::format("the grader's `{}` in the {} after the script failed: {}", json_string(request, "op"),
                                              where, a ? a->message : a.error().message));
    }
    for (const std::string& n : after_notes)
        r.note += (r.note.empty() ? "" : "; ") + n;

    auto after = (*lab)->snapshot();
    if (!after) {
        // The script broke what the checks read (the lab host's proc, the container): no
        // check can hold, and none may pass by finding nothing.
        for (const CheckSpec& c : ex.checks)
            r.checks.push_back({describe(c), 0, c.points, false, "the mount tables could not be read after the script: " + after.error().message, c.feedback});
        return finish(timed_out ? "timeout" : "failed",
                      timed_out ? fmt::format("the script did not finish within {:.1f} s and was stopped", ex.time_limit_ms / 1000.0)
                                : std::string());
    }
    lab::Snapshot empty;
    const lab::StepContext ctx{result,
                               *before,
                               after ? *after : empty,
                               **lab,
                               tracer && lost == 0 ? &syscalls : nullptr,
                               !tracer ? r.trace : trace_gap};
    bool all = true;
    std::map<std::string, const CheckResult*> by_id; // results of checks with an id
    std::vector<CheckResult> results;
    results.reserve(ex.checks.size());
    for (const CheckSpec& c : ex.checks) {
        CheckResult cr;
        cr.name = describe(c);
        cr.max = c.points;
        // A guarded check (a check of absence, mostly) is judged only once the checks
        // that show the work was done passed: nothing done earns nothing.
        std::string blocked;
        for (const std::string& need : c.needs)
            if (auto it = by_id.find(need); it == by_id.end() || !it->second->passed)
                blocked += (blocked.empty() ? "" : "; ") + (it == by_id.end() ? need : it->second->name);
        if (!blocked.empty()) {
            cr.message = "not judged: it counts only once this holds: " + blocked;
            cr.feedback = "This check counts only when the work it is about was done, and it was not (see the check"
                          " it depends on: " + blocked + "). " + c.feedback;
        } else {
            cr.message = evaluate(c, ctx);
            if (!cr.message.empty())
                cr.feedback = c.feedback;
        }
        cr.passed = cr.message.empty();
        cr.points = cr.passed ? c.points : 0;
        r.score += cr.points;
        all = all && cr.passed;
        results.push_back(std::move(cr));
        if (!c.id.empty())
            by_id[c.id] = &results.back();
    }
    for (CheckResult& cr : results)
        r.checks.push_back(std::move(cr));
    if (timed_out)
        return finish("timeout", fmt::format("the script did not finish within {:.1f} s and was stopped", ex.time_limit_ms / 1000.0));
    return finish(all ? "passed" : "failed");
}

// The report's header on memory. A cgroup is tried once (made and removed) so the header
// tells what the workers will find; cgroups a killed grader left behind go first.
void describe_memory_bound(GradeReport& report, const GradeOptions& opts)
{
    report.memory_limit_mb = sandbox_memory_limit_mb(opts);
    Error why{0, "turned off by --no-cgroup or MOUNTLAB_GRADE_NO_CGROUP=1"};
    if (opts.memory_cgroup) {
        auto place = lab::find_cgroup_place();
        if (place) {
            (void)lab::remove_stale_cgroups(*place);
            auto probe = lab::SandboxCgroup::create(*place, lab::sandbox_cgroup_name(getpid()),
                                                    {report.memory_limit_mb << 20, opts.nproc + 32});
            if (probe) {
                report.memory_bound = (*probe)->version() == lab::CgroupVersion::V1 ? "cgroup v1" : "cgroup v2";
                report.memory_note = place->describe();
                if (Status s = (*probe)->remove(); !s)
                    report.memory_note += "; " + s.error().message;
                return;
            }
            why = probe.error();
        } else {
            why = place.error();
        }
    }
    report.memory_bound = "watchdog";
    report.memory_note = fmt::format("no memory cgroup ({}); a watchdog ends a sandbox when the machine's Shmem grows "
                                     "by more than {} MiB ({} MiB per worker) while its script runs",
                                     why.message, report.memory_limit_mb * opts.jobs, report.memory_limit_mb);
}

// ---- The submission's file, before anything runs (read_submission). ----

std::string join_notes(const std::vector<std::string>& notes)
{
    std::string out;
    for (const std::string& n : notes)
        out += (out.empty() ? "" : "; ") + n;
    return out;
}

std::string size_words(long long bytes)
{
    if (bytes >= (1LL << 20))
        return fmt::format("{} bytes ({:.1f} MiB)", bytes, static_cast<double>(bytes) / (1 << 20));
    if (bytes >= 1024)
        return fmt::format("{} bytes ({:.1f} KiB)", bytes, static_cast<double>(bytes) / 1024);
    return fmt::format("{} bytes", bytes);
}

std::string file_kind(mode_t mode)
{
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    return "not a regular file";
}

// What kind of binary `s` is, or "" when it is text a shell can read.
std::string binary_kind(const std::string& s)
{
    auto starts = [&](std::string_view magic) { return s.compare(0, magic.size(), magic) == 0; };
    if (starts("\x7f" "ELF")) {
        const unsigned type = s.size() > 16 ? static_cast<unsigned char>(s[16]) : 0;
        return type == 1 ? "ELF object file" : type == 4 ? "ELF core dump" : "ELF executable";
    }
    if (starts("\xff\xfe") || starts("\xfe\xff"))
        return "UTF-16 text, as Windows Notepad saves it; save it as UTF-8";
    if (starts("\x1f\x8b")) return "gzip-compressed data";
    if (starts("PK\x03\x04")) return "zip archive";
    if (starts("%PDF-")) return "PDF document";
    if (starts("\x89PNG")) return "PNG image";
    if (starts("\xff\xd8\xff")) return "JPEG image";
    if (starts("\xca\xfe\xba\xbe") || starts("\xcf\xfa\xed\xfe") || starts("\xce\xfa\xed\xfe")) return "Mach-O executable";
    if (starts("MZ")) return "Windows executable";
    if (const size_t nul = s.find('\0'); nul != std::string::npos)
        return fmt::format("it has NUL bytes, the first at byte {}", nul);
    return {};
}

// The offset of the first byte that is not part of valid UTF-8, or npos.
size_t invalid_utf8_at(const std::string& s)
{
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (n == 0 || (n == 2 && c < 0xc2) || (n == 4 && c > 0xf4) || i + n > s.size())
            return i;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
                return i;
        const unsigned char d = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
        if ((c == 0xe0 && d < 0xa0) || (c == 0xed && d > 0x9f) || (c == 0xf0 && d < 0x90) || (c == 0xf4 && d > 0x8f))
            return i;
        i += n;
    }
    return std::string::npos;
}

std::vector<std::string> split_words(std::string_view s)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t')
            ++j;
        if (j > i)
            out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// The interpreter a shebang names, run as the lab has it: sh and ash (busybox) and bash,
// named by any path or through env ("#!/usr/bin/env bash", "env -S bash -e"), with their
// options split at spaces (as env -S does; Linux would pass them as one argument).
// Anything else is refused with what the lab has.
void read_shebang(Intake& in, std::vector<std::string>& notes)
{
    in.argv = {"sh"};
    if (in.script.rfind("#!", 0) != 0)
        return;
    const std::string line = in.script.substr(2, in.script.find('\n') - 2);
    std::vector<std::string> words = split_words(line);
    const std::string shown = "#!" + line;
    if (words.empty()) {
        notes.push_back(fmt::format("the shebang `{}` names no interpreter; run with sh", shown));
        return;
    }
    auto base = [](const std::string& p) { return p.substr(p.rfind('/') + 1); };
    bool via_env = false;
    if (base(words[0]) == "env") {
        via_env = true;
        words.erase(words.begin());
        while (!words.empty() && (words[0] == "-S" || words[0] == "--split-string" || words[0] == "--"))
            words.erase(words.begin());
        if (!words.empty() && words[0].rfind("-S", 0) == 0 && words[0].size() > 2)
            words[0] = words[0].substr(2);
        if (words.empty() || words[0][0] == '-' || words[0].find('=') != std::string::npos) {
            in.refused = fmt::format("the shebang `{}` runs env with {}, which the grader does not follow; name the "
                                     "shell: #!/bin/sh or #!/bin/bash (not run)",
                                     shown, words.empty() ? std::string("no program") : "`" + words[0] + "`");
            return;
        }
    }
    const std::string name = base(words[0]);
    if (name != "sh" && name != "bash" && name != "ash") {
        in.refused = fmt::format("the shebang `{}` names {}, which the lab does not have: its userland has sh and ash "
                                 "(busybox) and bash only, so it runs shell scripts, nothing else (not run)",
                                 shown, name.empty() ? words[0] : name);
        return;
    }
    const std::string path = "/bin/" + name;
    if (!via_env && words[0] != path && words[0] != "/usr/bin/" + name)
        notes.push_back(fmt::format("the shebang names {}; the lab has {}, which ran it", words[0], path));
    in.argv = {path};
    in.argv.insert(in.argv.end(), words.begin() + 1, words.end());
}

} // namespace

Intake read_submission(const std::string& file)
{
    Intake in;
    const int fd = open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        in.error = fmt::format("cannot read `{}`: {}", file, strerror(errno));
        return in;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        in.error = fmt::format("cannot read `{}`: {}", file, strerror(errno));
        close(fd);
        return in;
    }
    if (!S_ISREG(st.st_mode)) {
        in.error = fmt::format("cannot read `{}`: it is {}, not a file ({})", file, file_kind(st.st_mode),
                               strerror(S_ISDIR(st.st_mode) ? EISDIR : EINVAL));
        close(fd);
        return in;
    }
    if (st.st_size > kMaxScriptBytes) {
        in.refused = fmt::format("the file is {}; the limit is {} (not run)", size_words(st.st_size), size_words(kMaxScriptBytes));
        close(fd);
        return in;
    }
    // Files whose size stat does not tell (/proc, /sys) are read to one byte past the limit.
    std::string data;
    char buf[65536];
    for (;;) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            in.error = fmt::format("cannot read `{}`: {}", file, strerror(errno));
            close(fd);
            return in;
        }
        if (n == 0)
            break;
        data.append(buf, static_cast<size_t>(n));
        if (static_cast<long long>(data.size()) > kMaxScriptBytes) {
            in.refused = fmt::format("the file is more than {}; the limit is {} (not run)", size_words(kMaxScriptBytes),
                                     size_words(kMaxScriptBytes));
            close(fd);
            return in;
        }
    }
    close(fd);

    std::vector<std::string> notes;
    if (const std::string kind = binary_kind(data); !kind.empty()) {
        in.refused = fmt::format("this is a binary ({}), not a shell script (not run)", kind);
        return in;
    }
    if (data.empty()) {
        in.note = "the script is empty (0 bytes): graded as a script that does nothing";
        in.argv = {"sh"};
        return in;
    }
    if (data.rfind("\xef\xbb\xbf", 0) == 0) {
        data.erase(0, 3);
        notes.push_back("the script starts with a UTF-8 byte-order mark; graded with it removed");
    }
    // CRLF line endings (a Windows editor): graded with each CR before a LF removed, as
    // the README says; a lone CR is the script's own.
    size_t crlf = 0;
    std::string lf;
    lf.reserve(data.size());
    for (size_t i = 0; i < data.size(); ++i) {
        if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') {
            ++crlf;
            continue;
        }
        lf += data[i];
    }
    if (crlf > 0) {
        notes.push_back(fmt::format("this script has CRLF line endings ({} lines); graded with them removed", crlf));
        data = std::move(lf);
    }
    if (data.find_first_not_of(" \t\n") == std::string::npos)
        notes.push_back("the script is empty (only blank lines): graded as a script that does nothing");
    // Bytes that are not UTF-8 (a Latin-1 editor) reach the container as they are (the
    // script goes in base64); said, since what the script prints may then look odd.
    if (const size_t bad = invalid_utf8_at(data); bad != std::string::npos)
        notes.push_back(fmt::format("the script is not UTF-8 (the first such byte, 0x{:02x}, at byte {}); it ran as it is",
                                    static_cast<unsigned char>(data[bad]), bad));
    in.script = std::move(data);
    read_shebang(in, notes);
    in.note = join_notes(notes);
    return in;
}

namespace {
} // namespace

long sandbox_memory_limit_mb(const GradeOptions& opts)
{
    const long long scratch = tmpfs_size_bytes(opts.scratch_size);
    return opts.memory_mb + static_cast<long>(std::max(0LL, scratch) >> 20) + kLabMemoryMarginMb;
}

SubmissionResult grade_one(const Exercise& ex, const std::string& file, const GradeOptions& opts, int /*worker*/,
                           void* tracer_ptr)
{
    const auto t0 = Clock::now();
    SubmissionResult r;
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
        return finish("error", fmt::format("the scratch tmpfs size `{}` is not a size (a number, k, m or g)", opts.scratch_size));

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

GradeReport grade(const Lesson& lesson, const Exercise& ex, std::vector<std::string> files, const GradeOptions& opts)
{
    GradeReport report;
    report.lesson = lesson.id;
    report.exercise = ex.id;
    report.title = ex.title;
    report.max = ex.points;
    std::sort(files.begin(), files.end());
    std::vector<std::string> mine;
    for (size_t i = 0; i < files.size(); ++i)
        if (opts.shard_count <= 1 || static_cast<int>(i % static_cast<size_t>(opts.shard_count)) == opts.shard_index)
            mine.push_back(files[i]);
    if (mine.empty())
        return report;

    std::string trace_note;
    if (opts.trace) {
        trace_note = trace::bpf_unavailable_reason();
        if (trace_note.empty())
            trace_note = "bpf";
    } else {
        trace_note = "tracing turned off";
    }

    // Workers: each a process grading every jobs-th submission, one JSON line per result.
    const int jobs = std::max(1, std::min(opts.jobs, static_cast<int>(mine.size())));
    GradeOptions wopts = opts;
    wopts.jobs = jobs; // the watchdog's machine-wide budget is per worker at work
    describe_memory_bound(report, wopts);
    struct Worker {
        pid_t pid;
        int fd;
        std::string buf;
    };
    std::vector<Worker> workers;
    for (int w = 0; w < jobs; ++w) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) {
            report.grader_failed = true;
            report.grader_error = system_error(errno, "pipe").message;
            break;
        }
        const pid_t pid = fork();
        if (pid < 0) {
            report.grader_failed = true;
            report.grader_error = system_error(errno, "fork a grading worker").message;
            close(p[0]);
            close(p[1]);
            break;
        }
        if (pid == 0) {
            close(p[0]);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            std::unique_ptr<trace::Tracer> tracer;
            std::string note = trace_note;
            if (trace_note == "bpf") {
                auto t = trace::Tracer::open();
                if (t)
                    tracer = std::move(*t);
                else
                    note = t.error().message;
            }
            for (size_t i = static_cast<size_t>(w); i < mine.size(); i += static_cast<size_t>(jobs)) {
                SubmissionResult r = grade_one(ex, mine[i], wopts, w, tracer.get());
                r.trace = tracer ? "bpf" : note;
                Json j = to_json(r);
                j["index"] = i;
                // CBOR, length first: a file name or output that is not UTF-8 reaches the
                // reports byte for byte (they escape it), where JSON would have replaced it.
                const std::vector<std::uint8_t> cbor = Json::to_cbor(j);
                const std::uint32_t len = static_cast<std::uint32_t>(cbor.size());
                std::string line(reinterpret_cast<const char*>(&len), sizeof len);
                line.append(cbor.begin(), cbor.end());
                size_t off = 0;
                while (off < line.size()) {
                    const ssize_t n = write(p[1], line.data() + off, line.size() - off);
                    if (n <= 0)
                        _exit(3);
                    off += static_cast<size_t>(n);
                }
            }
            _exit(0);
        }
        close(p[1]);
        workers.push_back({pid, p[0], {}});
    }

    std::vector<std::optional<SubmissionResult>> results(mine.size());
    std::vector<pollfd> fds;
    for (const Worker& w : workers)
        fds.push_back({w.fd, POLLIN, 0});
    size_t open_fds = fds.size();
    while (open_fds > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR)
            break;
        for (size_t k = 0; k < fds.size(); ++k) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[65536];
            const ssize_t n = read(fds[k].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[k].fd);
                fds[k].fd = -1;
                --open_fds;
                continue;
            }
            workers[k].buf.append(buf, static_cast<size_t>(n));
            std::string& b = workers[k].buf;
            std::uint32_t len = 0;
            while (b.size() >= sizeof len && (std::memcpy(&len, b.data(), sizeof len), b.size() >= sizeof len + len)) {
                Json j = Json::from_cbor(b.begin() + sizeof len, b.begin() + static_cast<std::ptrdiff_t>(sizeof len + len), true, false);
                b.erase(0, sizeof len + len);
                if (!j.is_discarded() && j.value("index", mine.size()) < mine.size())
                    results[j["index"].get<size_t>()] = from_json(j);
            }
        }
    }
    for (const Worker& w : workers) {
        int st = 0;
        waitpid(w.pid, &st, 0);
    }
    for (size_t i = 0; i < mine.size(); ++i) {
        if (results[i]) {
            results[i]->file = mine[i];
            results[i]->name = std::filesystem::path(mine[i]).filename().string();
            report.submissions.push_back(std::move(*results[i]));
        } else {
            SubmissionResult r;
            r.file = mine[i];
            r.name = std::filesystem::path(mine[i]).filename().string();
            r.max = ex.points;
            r.status = "error";
            r.error = "the grading worker died before reporting this submission";
            report.submissions.push_back(std::move(r));
        }
    }
    return report;
}

} // namespace mountlab::lesson
