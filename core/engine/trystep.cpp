#include "engine/trystep.h"

#include "base/error.h"
#include "base/jsonget.h"
#include "lab/pivotcause.h"
#include "lab/steprunner.h"
#include "lesson/checks.h"
#include "mount/mounttree.h"

#include <algorithm>
#include <fmt/format.h>

namespace mountlab::engine {

void TryStep::add_command(const lab::TypedCommand& c)
{
    const bool in_container = step().where == "container";
    if ((c.where == "container") == in_container)
        commands_.push_back(c);
}

std::vector<std::string> TryStep::typed_commands() const
{
    std::vector<std::string> out;
    for (const lab::TypedCommand& c : commands_)
        out.push_back(c.report.text);
    return out;
}

const Json* TryStep::last_failed_call() const
{
    // The last command's: an earlier typo's failure is not this command's.
    for (auto it = calls_.rbegin();
         it != calls_.rend() - static_cast<std::ptrdiff_t>(std::min(last_command_calls_, calls_.size())); ++it)
        if (it->contains("errno") && (*it)["errno"].is_string() && json_string(*it, "kind") != "exec")
            return &*it;
    return nullptr;
}

namespace {

// A job-control line an interactive bash prints ("[1] 25", "[1]+  Done  sleep 1"): a
// script's shell prints none, so the output checks do not see them.
bool job_notice(std::string_view line)
{
    if (line.size() < 4 || line[0] != '[')
        return false;
    size_t i = 1;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9')
        ++i;
    if (i == 1 || i >= line.size() || line[i] != ']')
        return false;
    ++i;
    if (i < line.size() && (line[i] == '+' || line[i] == '-'))
        ++i;
    if (i >= line.size() || line[i] != ' ')
        return false;
    std::string_view rest = line.substr(i);
    rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
    for (std::string_view word : {"Done", "Running", "Exit ", "Terminated", "Killed", "Stopped"})
        if (rest.substr(0, word.size()) == word)
            return true;
    return !rest.empty() && rest.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string without_job_notices(const std::string& text)
{
    std::string out;
    for (size_t at = 0; at < text.size();) {
        const size_t nl = text.find('\n', at);
        const size_t end = nl == std::string::npos ? text.size() : nl + 1;
        const std::string_view line = std::string_view(text).substr(at, end - at);
        if (!job_notice(line.substr(0, line.find('\n'))))
            out.append(line);
        at = end;
    }
    return out;
}

} // namespace

lab::OpResult TryStep::typed_result() const
{
    lab::OpResult r;
    std::string printed;
    // At most as much as one command may print (the first of it: what the step asked for
    // comes first; the rest would only grow the step's end event).
    for (const lab::TypedCommand& c : commands_)
        if (printed.size() < lab::kMaxOutputBytes)
            printed += without_job_notices(c.report.output);
    printed.resize(std::min(printed.size(), lab::kMaxOutputBytes));
    const int exit = commands_.empty() ? 0 : commands_.back().report.exit;
    // As an engine step's operation: it "fails" when a call it made failed (a typed
    // line's last exit status alone says little: `grep -c` exits 1 when it counts 0).
    const Json* failed = last_failed_call();
    r.ok = failed == nullptr && (step().expect_ok || exit == 0);
    if (!r.ok) {
        r.err = failed ? errno_from_name(json_string(*failed, "errno")) : 0;
        r.message = failed ? fmt::format("{} failed: {}", json_string(*failed, "text", json_string(*failed, "name")),
                                         json_string(*failed, "errno"))
                           : fmt::format("the last command exited with {}", exit);
    }
    r.data = Json{{"stdout", printed}, {"stderr", printed}, {"exit_code", exit}};
    return r;
}

stream::TryState TryStep::header(const std::string& reason) const
{
    stream::TryState t;
    t.active = true;
    t.lesson = lesson_.id;
    t.index = index_;
    t.id = step().id;
    t.title = step().title;
    t.shell = step().shell;
    t.where = step().where == "container" ? "container" : "lab host";
    t.reason = reason;
    t.commands = static_cast<int>(commands_.size());
    return t;
}

stream::TryState TryStep::stopped(const std::string& reason) const
{
    stream::TryState t = header(reason);
    t.active = false;
    return t;
}

namespace {

// pivot_root's cause, as the engine names it when it performs the call, for a call
// traced with absolute paths ("" when it cannot be told: relative paths, another call).
std::string traced_cause(const Json* call, int err, const lab::Snapshot& before)
{
    if (!call || json_string(*call, "name") != "pivot_root")
        return {};
    const Json args = call->value("args", Json::object());
    const std::string new_root = json_string(args, "new_root"), put_old = json_string(args, "put_old");
    if (new_root.empty() || new_root[0] != '/' || put_old.empty() || put_old[0] != '/')
        return {};
    return lab::explain_pivot_root(err, MountTree(before.container.mounts), new_root, put_old);
}

} // namespace

Result<TryStep::Verdict> TryStep::judge(lab::Lab& lab, pid_t view_pid, const std::string& reason, bool traced,
                                        const std::string& trace_unavailable) const
{
    auto after = lab.snapshot(view_pid);
    if (!after)
        return after.error();
    Verdict v{header(reason), std::move(*after), {}};
    if (view_pid > 0)
        v.state.view =
            v.after.view_pid == view_pid ? fmt::format("{} {}", view_pid, v.after.view_comm) : std::to_string(view_pid);
    lab::OpResult result = typed_result();
    result.cause = result.ok ? "" : traced_cause(last_failed_call(), result.err, before_);
    // The checks ask where the learner is: in the foreground program's namespaces and
    // root (a PID or UTS namespace of its own changes no mount table).
    const lab::StepContext ctx{result, before_, v.after, lab, traced ? &calls_ : nullptr, trace_unavailable, view_pid};
    const auto row = [&](std::string name, std::string why, bool live = true) {
        v.state.checks.push_back({name, 0, 0, why.empty(), live, why, ""});
        v.checks.emplace_back(std::move(name), std::move(why));
    };
    // Something was done: a command ended, or one runs that the view follows (the shell
    // `unshare --mount` started does not end).
    const bool acted = !commands_.empty() || (view_pid > 0 && view_pid != start_view_);
    const bool expect_ok = step().expect_ok;
    if (acted && !expect_ok && result.ok)
        row("the command fails", "it succeeded: no call failed, and it exited with 0");
    for (const lesson::CheckSpec& c : step().expect) {
        if (c.type == "error" && c.params.contains("cause") && result.cause.empty()) {
            // The cause is the engine's reading of the call it made: for a typed call,
            // only the errno can be judged.
            lesson::CheckSpec errno_only = c;
            errno_only.params.erase("cause");
            std::string why = lesson::evaluate(errno_only, ctx);
            row(lesson::describe(c) + " (the cause: only when MountLab makes the call)", std::move(why));
            continue;
        }
        row(lesson::describe(c), lesson::evaluate(c, ctx));
    }
    bool all = acted;
    for (const auto& [name, why] : v.checks)
        all = all && why.empty();
    v.state.passed = all;
    if (!acted)
        for (auto& c : v.state.checks)
            if (c.passed)
                c.message = "holds already: type the step's command";
    return v;
}

} // namespace mountlab::engine
