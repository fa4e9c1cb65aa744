// Grading a class's submissions: each in a worker process of its own (grade_one, in
// sandboxrun.cpp), the results sent back as length-prefixed CBOR and gathered, in
// sorted order, into the report; and the report's header on how memory is bounded.
#include "lesson/grader.h"

#include "base/fd.h"
#include "lab/cgroup.h"
#include "trace/tracer.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lesson {

namespace {

Json to_json(const SubmissionResult& r)
{
    Json checks = Json::array();
    for (const CheckResult& c : r.checks)
        checks.push_back({{"name", c.name},
                          {"points", c.points},
                          {"max", c.max},
                          {"passed", c.passed},
                          {"message", c.message},
                          {"feedback", c.feedback}});
    return Json{{"file", r.file},
                {"name", r.name},
                {"status", r.status},
                {"score", r.score},
                {"max", r.max},
                {"seconds", r.seconds},
                {"exit_code", r.exit_code},
                {"output", r.output},
                {"error", r.error},
                {"note", r.note},
                {"trace", r.trace},
                {"memory", r.memory},
                {"memory_peak_mb", r.memory_peak_mb},
                {"checks", checks}};
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

// This machine's share of the class: the i-th of the sorted files with
// i % shard_count == shard_index.
std::vector<std::string> my_share(std::vector<std::string> files, const GradeOptions& opts)
{
    std::sort(files.begin(), files.end());
    std::vector<std::string> mine;
    for (size_t i = 0; i < files.size(); ++i)
        if (opts.shard_count <= 1 || static_cast<int>(i % static_cast<size_t>(opts.shard_count)) == opts.shard_index)
            mine.push_back(files[i]);
    return mine;
}

// "bpf" when the workers may trace, else why not.
std::string how_traced(const GradeOptions& opts)
{
    if (!opts.trace)
        return "tracing turned off";
    std::string note = trace::bpf_unavailable_reason();
    return note.empty() ? "bpf" : note;
}

// One result for the pipe: its length, then CBOR (a file name or output that is not
// UTF-8 reaches the reports byte for byte, as they escape it, where JSON would have
// replaced it).
std::string result_frame(const SubmissionResult& r, size_t index)
{
    Json j = to_json(r);
    j["index"] = index;
    const std::vector<std::uint8_t> cbor = Json::to_cbor(j);
    const std::uint32_t len = static_cast<std::uint32_t>(cbor.size());
    std::string line(reinterpret_cast<const char*>(&len), sizeof len);
    line.append(cbor.begin(), cbor.end());
    return line;
}

// A worker: every jobs-th submission from `w`, each result written to `fd`.
[[noreturn]] void run_worker(const Exercise& ex, const std::vector<std::string>& mine, const GradeOptions& wopts, int w,
                             int jobs, const std::string& trace_note, int fd)
{
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
        SubmissionResult r = grade_one(ex, mine[i], wopts, tracer ? "bpf" : note, tracer.get());
        const std::string line = result_frame(r, i);
        size_t off = 0;
        while (off < line.size()) {
            const ssize_t n = write(fd, line.data() + off, line.size() - off);
            if (n <= 0)
                _exit(3);
            off += static_cast<size_t>(n);
        }
    }
    _exit(0);
}

struct Worker {
    pid_t pid;
    UniqueFd fd;
    std::string buf;
};

// `jobs` workers, each with the read end of its pipe; fewer when a pipe or fork failed
// (report.grader_failed says why).
std::vector<Worker> start_workers(const Exercise& ex, const std::vector<std::string>& mine, const GradeOptions& wopts,
                                  int jobs, const std::string& trace_note, GradeReport& report)
{
    std::vector<Worker> workers;
    for (int w = 0; w < jobs; ++w) {
        auto p = make_pipe(O_CLOEXEC);
        if (!p) {
            report.grader_failed = true;
            report.grader_error = p.error().message;
            break;
        }
        auto& [reader, writer] = *p;
        const pid_t pid = fork();
        if (pid < 0) {
            report.grader_failed = true;
            report.grader_error = system_error(errno, "fork a grading worker").message;
            break;
        }
        if (pid == 0) {
            reader.reset();
            run_worker(ex, mine, wopts, w, jobs, trace_note, writer.get());
        }
        writer.reset();
        workers.push_back({pid, std::move(reader), {}});
    }
    return workers;
}

// The frames complete in `b`, taken out of it, each into its submission's place.
void take_frames(std::string& b, std::vector<std::optional<SubmissionResult>>& results)
{
    std::uint32_t len = 0;
    while (b.size() >= sizeof len && (std::memcpy(&len, b.data(), sizeof len), b.size() >= sizeof len + len)) {
        Json j = Json::from_cbor(b.begin() + sizeof len, b.begin() + static_cast<std::ptrdiff_t>(sizeof len + len),
                                 true, false);
        b.erase(0, sizeof len + len);
        if (!j.is_discarded() && j.value("index", results.size()) < results.size())
            results[j["index"].get<size_t>()] = from_json(j);
    }
}

// Every result the workers send until their pipes close, then the workers reaped.
std::vector<std::optional<SubmissionResult>> collect_results(std::vector<Worker>& workers, size_t count)
{
    std::vector<std::optional<SubmissionResult>> results(count);
    std::vector<pollfd> fds;
    for (const Worker& w : workers)
        fds.push_back({w.fd.get(), POLLIN, 0});
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
                workers[k].fd.reset();
                fds[k].fd = -1;
                --open_fds;
                continue;
            }
            workers[k].buf.append(buf, static_cast<size_t>(n));
            take_frames(workers[k].buf, results);
        }
    }
    for (Worker& w : workers) {
        w.fd.reset(); // when poll failed, a worker still writing to us ends instead of blocking
        int st = 0;
        waitpid(w.pid, &st, 0);
    }
    return results;
}

} // namespace

GradeReport grade(const Lesson& lesson, const Exercise& ex, std::vector<std::string> files, const GradeOptions& opts)
{
    GradeReport report;
    report.lesson = lesson.id;
    report.exercise = ex.id;
    report.title = ex.title;
    report.max = ex.points;
    const std::vector<std::string> mine = my_share(std::move(files), opts);
    if (mine.empty())
        return report;
    const std::string note = how_traced(opts);

    // Workers: each a process grading every jobs-th submission, one frame per result.
    const int jobs = std::max(1, std::min(opts.jobs, static_cast<int>(mine.size())));
    GradeOptions wopts = opts;
    wopts.jobs = jobs; // the watchdog's machine-wide budget is per worker at work
    describe_memory_bound(report, wopts);
    std::vector<Worker> workers = start_workers(ex, mine, wopts, jobs, note, report);
    std::vector<std::optional<SubmissionResult>> results = collect_results(workers, mine.size());
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
