#include "engine/practice.h"

#include "base/atomicfile.h"
#include "base/jsonget.h"
#include "lab/steprunner.h"
#include "lesson/checks.h"
#include "report/reports.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::engine {

bool judged_at_submit(const lesson::CheckSpec& c) { return c.type == "output" || c.type == "exit_code"; }

Status Practice::set_up(lab::Lab& lab)
{
    auto s = lab.snapshot();
    if (!s)
        return s.error();
    before_ = std::move(*s);
    calls_.clear();
    commands_.clear();
    return Ok{};
}

void Practice::add_command(const lab::TypedCommand& c)
{
    if (c.where == "container")
        commands_.push_back(c);
}

namespace {

// "`mount` in the lab host: source late, target /srv/data/late, fstype tmpfs".
std::string describe_after_op(const Json& op)
{
    std::string args;
    for (const auto& [key, value] : op.items())
        if (key != "op" && key != "where")
            args += fmt::format("{}{} {}", args.empty() ? "" : ", ", key,
                                value.is_string() ? value.get<std::string>() : value.dump());
    const std::string where = json_string(op, "where", "container");
    return fmt::format("`{}` in the {}{}{}", json_string(op, "op"), where == "host" ? "lab host" : where,
                       args.empty() ? "" : ": ", args);
}

} // namespace

stream::PracticeState Practice::header(const std::string& reason) const
{
    stream::PracticeState p;
    p.active = true;
    p.lesson = lesson_.id;
    p.exercise = exercise_.id;
    p.title = exercise_.title;
    p.task = exercise_.task;
    p.hints = exercise_.hints;
    p.solution = exercise_.solution;
    p.reason = reason;
    p.max = exercise_.points;
    p.commands = static_cast<int>(commands_.size());
    for (const Json& op : exercise_.after)
        p.after.push_back(describe_after_op(op));
    return p;
}

stream::PracticeState Practice::judge(lab::Lab& lab, const std::string& reason, bool traced,
                                      const std::string& trace_unavailable) const
{
    stream::PracticeState p = header(reason);
    p.trace = traced ? "bpf" : trace_unavailable;
    lesson::SubmissionResult r;
    auto after = lab.snapshot();
    if (!after) {
        // As grade: a check that cannot look holds nothing.
        for (const lesson::CheckSpec& c : exercise_.checks)
            r.checks.push_back({lesson::describe(c), 0, c.points, false,
                                "the mount tables cannot be read now: " + after.error().message, c.feedback});
    } else {
        lab::OpResult none; // the session is no script: its output is judged at Submit
        none.data = Json{{"stdout", ""}, {"stderr", ""}, {"exit_code", 0}};
        const lab::StepContext ctx{
            none, before_, *after, lab, traced ? &calls_ : nullptr, traced ? "" : trace_unavailable};
        (void)lesson::judge_checks(exercise_, ctx, r, &judged_at_submit);
    }
    p.score = r.score;
    for (const lesson::CheckResult& c : r.checks)
        p.checks.push_back({c.name, c.points, c.max, c.passed, !c.deferred, c.message, c.feedback});
    return p;
}

stream::PracticeState Practice::stopped() const
{
    stream::PracticeState p = header("stop");
    p.active = false;
    return p;
}

namespace {

// Text as comment lines' rest: each newline followed by "# ".
std::string commented(std::string text)
{
    for (size_t at = 0; (at = text.find('\n', at)) != std::string::npos; at += 3)
        text.replace(at, 1, "\n# ");
    return text;
}

// Whether bash parses the text (bash -n, this machine's bash: it runs nothing).
bool parses_as_bash(const std::string& text)
{
    const pid_t pid = fork();
    if (pid < 0)
        return true; // cannot tell: kept as typed
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int fd = 0; fd <= 2 && null >= 0; ++fd)
            dup2(null, fd);
        execl("/bin/bash", "bash", "--norc", "-n", "-c", text.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return !(WIFEXITED(st) && WEXITSTATUS(st) == 2);
}

} // namespace

std::string Practice::script() const
{
    std::string s = fmt::format("#!/bin/bash\n# MountLab practice: {} / {}: the commands typed in the container's "
                                "terminal, in order.\n",
                                lesson_.id, exercise_.id);
    for (const lab::TypedCommand& c : commands_) {
        if (c.report.shell_level > 1) {
            // A script cannot type into a shell it starts: said, not run.
            s += fmt::format("# typed in a nested shell (SHLVL {}): {}\n", c.report.shell_level,
                             commented(c.report.text));
        } else if (c.report.exit == 2 && !parses_as_bash(c.report.text)) {
            // bash reading a script stops at its first syntax error: this line would end it.
            s += "# not run (a syntax error when it was typed): " + commented(c.report.text) + "\n";
        } else {
            s += c.report.text + "\n";
        }
    }
    return s;
}

Result<Json> grade_practice(const Practice& p)
{
    std::string dir = (std::filesystem::temp_directory_path() / "mountlab-practice-XXXXXX").string();
    if (!mkdtemp(dir.data()))
        return system_error(errno, "make a directory for the practice's script");
    const std::string file = fmt::format("{}/{}-{}.sh", dir, p.lesson().id, p.exercise().id);
    Status written = write_file_atomically(file, p.script());
    Result<Json> out = Json();
    if (!written) {
        out = written.error();
    } else {
        lesson::GradeOptions opts;
        const lesson::GradeReport report = lesson::grade(p.lesson(), p.exercise(), {file}, opts);
        if (report.grader_failed || report.submissions.empty())
            out =
                Error{EIO, "the grader could not run: " +
                               (report.grader_error.empty() ? std::string("it gave no result") : report.grader_error)};
        else
            out = Json::parse(report::render(report, report::Format::Json))["submissions"][0];
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return out;
}

} // namespace mountlab::engine
