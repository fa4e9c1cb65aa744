// mountlab-cli grade LESSON --exercise ID SUBMISSION...
#include "commands.h"

#include "base/atomicfile.h"
#include "base/textescape.h"
#include "lesson/runner.h"
#include "report/reports.h"
#include "report/summary.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace mountlab::cli {

namespace {

// To FILE all or nothing (see write_file_atomically); to standard output checked to
// the last byte, so that a lost report is exit status 2, never 0 or "some failed".
Status write_report(const std::string& file, const std::string& text)
{
    if (!file.empty())
        return write_file_atomically(file, text);
    errno = 0;
    if (fwrite(text.data(), 1, text.size(), stdout) != text.size() || fflush(stdout) != 0 || ferror(stdout))
        return system_error(errno ? errno : EIO, "write the report to standard output");
    return Ok{};
}

struct GradeOpts {
    std::string lesson, exercise, out, shard;
    std::vector<std::string> formats{"text"};
    std::vector<std::string> summary;
    std::string summary_out;
    std::vector<std::string> files;
    lesson::GradeOptions grade;
    bool no_trace = false;
    bool no_cgroup = false;
};

void add_grade_options(CLI::App& app, GradeOpts& o)
{
    app.add_option("LESSON", o.lesson, "The lesson (id or file)")->required();
    app.add_option("--exercise,-e", o.exercise, "The exercise's id")->required();
    app.add_option("SUBMISSION", o.files, "Student scripts (sh)")->required();
    app.add_option("--format,-f", o.formats,
                   "text, json, junit, csv, html, classroom (GitHub Classroom) or gradescope (results.json); several "
                   "(-f json -f junit, or -f json,junit) need -o STEM and write STEM.json, STEM.xml, ...")
        ->check(CLI::IsMember({"text", "json", "junit", "csv", "html", "classroom", "gradescope"}))
        ->delimiter(',')
        ->allow_extra_args(false) // one value per -f, repeated or with commas: never the submissions after it
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--out,-o", o.out,
                   "Write the report to FILE instead of standard output (with several formats: the path without its "
                   "extension, each format's added)");
    app.add_option("--summary", o.summary,
                   "Also write the class summary (score distribution; per check, how many failed and what was found "
                   "most often) as text, json, csv or html; several: --summary-out is a stem, as -o")
        ->check(CLI::IsMember({"text", "json", "csv", "html"}))
        ->delimiter(',')
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--summary-out", o.summary_out, "Where the class summary goes (needed with --summary)");
}

void add_sandbox_options(CLI::App& app, GradeOpts& o)
{
    app.add_option("-j,--jobs", o.grade.jobs, "Grade N submissions at once")->check(CLI::PositiveNumber);
    app.add_option("--shard", o.shard, "I/N: grade only this machine's share of the submissions (I from 0)");
    app.add_option(
        "--memory-mb", o.grade.memory_mb,
        "Memory limit per script (RLIMIT_AS); the sandbox's cgroup allows this plus its tmpfs and the lab's own");
    app.add_option("--nproc", o.grade.nproc, "Process-count limit per sandbox");
    app.add_flag("--no-trace", o.no_trace, "Do not trace system calls (syscall checks then fail)");
    app.add_flag("--no-cgroup", o.no_cgroup,
                 "Bound memory with the machine-wide watchdog only, not a memory cgroup per sandbox")
        ->envname("MOUNTLAB_GRADE_NO_CGROUP");
    app.footer("Each script runs in a fresh sandbox: a lab of its own in a user namespace, without network,\n"
               "with time, CPU, process-count, memory and tmpfs-size limits, traced with eBPF when it can be;\n"
               "its memory, tmpfs included, bounded by a cgroup of its own (or, where none is usable, a watchdog);\n"
               "then the exercise's checks give points and feedback.\n"
               "Exit status: 0 all passed, 1 some failed, 2 the grader itself could not run.");
}

// Each format once, in the order first asked for.
template <typename Format, typename Parse>
std::vector<Format> unique_formats(const std::vector<std::string>& names, Parse parse)
{
    std::vector<Format> formats;
    for (const std::string& f : names) {
        Format format;
        (void)parse(f, format);
        if (std::find(formats.begin(), formats.end(), format) == formats.end())
            formats.push_back(format);
    }
    return formats;
}

bool parse_shard(GradeOpts& o)
{
    if (o.shard.empty())
        return true;
    int i = -1, n = 0;
    if (sscanf(o.shard.c_str(), "%d/%d", &i, &n) != 2 || n < 1 || i < 0 || i >= n) {
        fmt::print(stderr, "mountlab-cli grade: --shard takes I/N with 0 <= I < N, e.g. 0/4, not `{}`\n", o.shard);
        return false;
    }
    o.grade.shard_index = i;
    o.grade.shard_count = n;
    return true;
}

const lesson::Exercise* find_exercise(const lesson::Lesson& l, const std::string& id)
{
    const lesson::Exercise* ex = l.exercise(id);
    if (!ex) {
        std::string ids;
        for (const auto& e : l.exercises)
            ids += (ids.empty() ? "" : ", ") + e.id;
        fmt::print(stderr, "mountlab-cli grade: lesson `{}` has no exercise `{}` (exercises: {})\n", l.id, id, ids);
    }
    return ex;
}

bool write_reports(const lesson::GradeReport& rep, const std::vector<report::Format>& formats, const std::string& out)
{
    for (report::Format format : formats) {
        const bool color = format == report::Format::Text && out.empty() && isatty(1);
        const std::string file = formats.size() > 1 ? out + "." + report::extension(format) : out;
        if (Status s = write_report(file, report::render(rep, format, color)); !s) {
            fmt::print(stderr, "mountlab-cli grade: the report is lost: {}\n", s.error().message);
            return false;
        }
    }
    return true;
}

// The class summary: the same submissions give the same bytes (no clock in it).
bool write_summaries(const lesson::GradeReport& rep, const std::vector<report::SummaryFormat>& summaries,
                     const std::string& out)
{
    if (summaries.empty())
        return true;
    const report::ClassSummary summary = report::summarize(rep);
    for (report::SummaryFormat format : summaries) {
        const std::string file = summaries.size() > 1 ? out + "." + report::extension(format) : out;
        if (Status s = write_file_atomically(file, report::render_summary(summary, format)); !s) {
            fmt::print(stderr, "mountlab-cli grade: the class summary is lost: {}\n", s.error().message);
            return false;
        }
    }
    return true;
}

int grade_exit_status(const lesson::GradeReport& rep)
{
    bool grader_error = false, all = true;
    for (const auto& s : rep.submissions) {
        all = all && s.status == "passed";
        grader_error = grader_error || (s.status == "error" && s.error.rfind("the sandbox could not start", 0) == 0);
    }
    return grader_error ? 2 : all ? 0 : 1;
}

int run_grade(GradeOpts& o)
{
    const auto formats = unique_formats<report::Format>(o.formats, report::parse_format);
    if (formats.size() > 1 && o.out.empty()) {
        fmt::print(stderr, "mountlab-cli grade: several formats need -o STEM (each report is written to STEM "
                           "plus its format's extension: .txt, .json, .xml, .csv, .html, ...)\n");
        return 2;
    }
    const auto summaries = unique_formats<report::SummaryFormat>(o.summary, report::parse_summary_format);
    if (!summaries.empty() && o.summary_out.empty()) {
        fmt::print(stderr, "mountlab-cli grade: --summary needs --summary-out PATH (with several formats, a stem: "
                           "PATH.txt, PATH.json, PATH.csv, PATH.html)\n");
        return 2;
    }
    if (!parse_shard(o))
        return 2;
    o.grade.trace = !o.no_trace;
    o.grade.memory_cgroup = !o.no_cgroup;
    lesson::Loaded loaded = lesson::load_lessons({o.lesson});
    for (const auto& d : loaded.diagnostics)
        fmt::print(stderr, "{}\n", escape_text(d.to_string()));
    if (loaded.lessons.empty())
        return 2;
    const lesson::Lesson& l = loaded.lessons.front();
    const lesson::Exercise* ex = find_exercise(l, o.exercise);
    if (!ex)
        return 2;
    lesson::GradeReport rep = lesson::grade(l, *ex, o.files, o.grade);
    if (rep.grader_failed) {
        fmt::print(stderr, "mountlab-cli grade: {}\n", escape_text(rep.grader_error));
        return 2;
    }
    if (!write_reports(rep, formats, o.out) || !write_summaries(rep, summaries, o.summary_out))
        return 2;
    return grade_exit_status(rep);
}

} // namespace

Runner add_grade(CLI::App& app)
{
    auto o = std::make_shared<GradeOpts>();
    add_grade_options(app, *o);
    add_sandbox_options(app, *o);
    return [o]() -> int { return run_grade(*o); };
}

} // namespace mountlab::cli
