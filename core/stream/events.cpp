#include "stream/events.h"

#include "base/base64.h"
#include "base/error.h"
#include "mount/mountjson.h"

#include <cerrno>
#include <system_error>

namespace mountlab::stream {

Json session(const Json& facts)
{
    Json j;
    j["kind"] = "session";
    j["v"] = kVersion;
    j["tool"] = "mountlab";
    for (auto it = facts.begin(); it != facts.end(); ++it)
        j[it.key()] = it.value();
    return j;
}

Json mount_json(const Mount& m)
{
    // One source for the keys: the same writer as `tree --json`.
    JsonWriter w;
    w.begin_object();
    write_mount_fields(w, m, EmptyColumn::EmptyString);
    w.end_object();
    Json j = Json::parse(w.view());
    j["raw"] = m.raw;
    return j;
}

Json table(int step, const std::string& view, unsigned long long mntns, const std::vector<Mount>& mounts,
           const std::optional<ViewProcess>& process)
{
    Json list = Json::array();
    for (const Mount& m : mounts)
        list.push_back(mount_json(m));
    Json j{{"kind", "table"}, {"step", step}, {"view", view}, {"mntns", mntns}, {"mounts", std::move(list)}};
    if (process) {
        j["pid"] = process->pid;
        j["comm"] = process->comm;
    }
    return j;
}

Json diff(int step, const std::string& view, const MountDiff& d)
{
    Json added = Json::array(), removed = Json::array(), changed = Json::array();
    for (const Mount& m : d.added)
        added.push_back(mount_json(m));
    for (const Mount& m : d.removed)
        removed.push_back(mount_json(m));
    for (const MountChange& c : d.changed)
        changed.push_back({{"before", mount_json(c.before)}, {"after", mount_json(c.after)}, {"fields", c.fields}});
    return Json{{"kind", "diff"}, {"step", step},       {"view", view},
                {"added", added}, {"removed", removed}, {"changed", changed}};
}

Json normal_mount_json(const NormalMount& m)
{
    return Json{{"target", m.target},
                {"stack", m.stack},
                {"parent_target", m.parent_target},
                {"fstype", m.fstype},
                {"source", m.source},
                {"fsroot", m.root},
                {"vfs-options", m.vfs_options},
                {"fs-options", m.super_options},
                {"propagation", m.propagation},
                {"peer_group", m.peer_group},
                {"master", m.master}};
}

Json normal_diff(int step, const std::string& view, const NormalDiff& d)
{
    Json added = Json::array(), removed = Json::array(), changed = Json::array();
    for (const NormalMount& m : d.added)
        added.push_back(normal_mount_json(m));
    for (const NormalMount& m : d.removed)
        removed.push_back(normal_mount_json(m));
    for (const NormalChange& c : d.changed)
        changed.push_back(
            {{"before", normal_mount_json(c.before)}, {"after", normal_mount_json(c.after)}, {"fields", c.fields}});
    return Json{{"kind", "diff"}, {"step", step},       {"view", view},      {"basis", "normalised"},
                {"added", added}, {"removed", removed}, {"changed", changed}};
}

Json log(const std::string& level, const std::string& message)
{
    return Json{{"kind", "log"}, {"level", level}, {"message", message}};
}

Json step_begin(const StepBegin& s)
{
    Json j{{"kind", "step"},       {"phase", "begin"}, {"step", s.step},   {"stage", s.stage},
           {"id", s.id},           {"title", s.title}, {"shell", s.shell}, {"syscall", s.syscall},
           {"explain", s.explain}, {"where", s.where}, {"op", s.op}};
    if (!s.lesson.empty() && s.index >= 0) {
        j["lesson"] = s.lesson;
        j["index"] = s.index;
    }
    if (s.predict.is_object())
        j["predict"] = s.predict;
    return j;
}

Json step_end(const StepEnd& s)
{
    return Json{{"kind", "step"},
                {"phase", "end"},
                {"step", s.step},
                {"ok", s.ok},
                {"errno", s.err ? Json(errno_name(s.err)) : Json()},
                {"error", s.error},
                {"cause", s.cause},
                {"duration_us", s.duration_us},
                {"passed", s.passed},
                {"calls", s.calls},
                {"data", s.data}};
}

Json check(const CheckResult& c)
{
    return Json{{"kind", "check"}, {"step", c.step}, {"name", c.name}, {"passed", c.passed}, {"message", c.message}};
}

Json upper_change_json(const UpperChange& c)
{
    return Json{{"path", c.path}, {"kind", c.kind}, {"upper_path", c.upper_path}};
}

Json lower_file_json(const LowerFile& l)
{
    return Json{{"layer", l.layer}, {"path", l.path}, {"unchanged", l.unchanged}};
}

Json copyup(const CopyUp& c)
{
    Json changes = Json::array();
    for (const UpperChange& u : c.changes)
        changes.push_back(upper_change_json(u));
    return Json{{"kind", "copyup"},
                {"step", c.step},
                {"overlay", c.overlay},
                {"upperdir", c.upperdir},
                {"lowerdirs", c.lowerdirs},
                {"changes", std::move(changes)},
                {"lower", c.lower ? lower_file_json(*c.lower) : Json()}};
}

Json command(const CommandEvent& c)
{
    return Json{{"kind", "command"}, {"terminal", c.terminal}, {"where", c.where}, {"n", c.n},
                {"text", c.text},    {"exit", c.exit},         {"level", c.level}, {"nested", c.level > 1}};
}

Json practice(const PracticeState& p)
{
    Json checks = Json::array();
    for (const PracticeCheck& c : p.checks)
        checks.push_back(Json{{"name", c.name},
                              {"points", c.points},
                              {"max", c.max},
                              {"passed", c.passed},
                              {"live", c.live},
                              {"message", c.message},
                              {"feedback", c.feedback}});
    Json j{{"kind", "practice"}, {"active", p.active}, {"lesson", p.lesson}, {"exercise", p.exercise},
           {"title", p.title},   {"task", p.task},     {"hints", p.hints}};
    if (!p.solution.empty())
        j["solution"] = p.solution;
    j["reason"] = p.reason;
    j["score"] = p.score;
    j["max"] = p.max;
    j["commands"] = p.commands;
    j["after"] = p.after;
    j["trace"] = p.trace;
    j["checks"] = std::move(checks);
    return j;
}

Json try_state(const TryState& t)
{
    Json checks = Json::array();
    for (const PracticeCheck& c : t.checks)
        checks.push_back(Json{{"name", c.name}, {"passed", c.passed}, {"live", c.live}, {"message", c.message}});
    return Json{{"kind", "try"},
                {"active", t.active},
                {"lesson", t.lesson},
                {"index", t.index},
                {"id", t.id},
                {"title", t.title},
                {"shell", t.shell},
                {"where", t.where},
                {"reason", t.reason},
                {"passed", t.passed},
                {"commands", t.commands},
                {"view", t.view},
                {"checks", std::move(checks)}};
}

Json practice_grade(const std::string& lesson, const std::string& exercise, const std::string& script,
                    const Json& result)
{
    return Json{
        {"kind", "practice-grade"}, {"lesson", lesson}, {"exercise", exercise}, {"script", script}, {"result", result}};
}

Json terminal_opened(const TerminalOpened& t)
{
    Json j{{"kind", "terminal"}, {"id", t.id},   {"opened", true}, {"where", t.where},
           {"shell", t.shell},   {"pid", t.pid}, {"rows", t.rows}, {"cols", t.cols}};
    if (t.pid_namespace)
        j["pid_namespace"] = true;
    return j;
}

Json terminal_data(int id, std::string_view bytes)
{
    return Json{{"kind", "terminal"}, {"id", id}, {"data", base64_encode(bytes)}};
}

Json terminal_closed(const TerminalClosed& t)
{
    return Json{{"kind", "terminal"},
                {"id", t.id},
                {"closed", true},
                {"exit", t.exit ? Json(*t.exit) : Json()},
                {"reason", t.reason}};
}

Json walkthrough(const std::vector<WalkthroughStage>& stages, const std::vector<WalkthroughStep>& steps)
{
    Json list = Json::array();
    for (const WalkthroughStep& s : steps) {
        Json j{{"index", s.index}, {"stage", s.stage},     {"id", s.id},           {"title", s.title},
               {"shell", s.shell}, {"syscall", s.syscall}, {"explain", s.explain}, {"where", s.where}};
        if (s.predict.is_object())
            j["predict"] = s.predict;
        list.push_back(std::move(j));
    }
    Json stage_list = Json::array();
    for (const WalkthroughStage& s : stages)
        stage_list.push_back({{"id", s.id}, {"title", s.title}});
    return Json{{"kind", "walkthrough"}, {"stages", std::move(stage_list)}, {"steps", std::move(list)}};
}

Json lesson(const LessonInfo& l)
{
    Json steps = Json::array();
    for (const LessonStepInfo& s : l.steps) {
        Json j{{"id", s.id},           {"title", s.title}, {"shell", s.shell},
               {"syscall", s.syscall}, {"text", s.text},   {"where", s.where}};
        if (s.predict.is_object())
            j["predict"] = s.predict;
        steps.push_back(std::move(j));
    }
    Json exercises = Json::array();
    for (const ExerciseInfo& e : l.exercises)
        exercises.push_back(
            {{"id", e.id}, {"title", e.title}, {"points", e.points}, {"task", e.task}, {"hints", e.hints}});
    return Json{{"kind", "lesson"},
                {"id", l.id},
                {"title", l.title},
                {"summary", l.summary},
                {"file", l.file},
                {"prerequisites", l.prerequisites},
                {"steps", std::move(steps)},
                {"exercises", std::move(exercises)}};
}

Json summary(const Summary& s)
{
    Json j{{"kind", "summary"}, {"steps", s.steps}, {"failed", s.failed}};
    if (s.duration_us)
        j["duration_us"] = *s.duration_us;
    return j;
}

Json error(const ErrorEvent& e)
{
    Json j{{"kind", "error"}};
    if (e.line)
        j["line"] = *e.line;
    if (e.fatal)
        j["fatal"] = true;
    if (e.err)
        j["errno"] = errno_name(*e.err);
    j["message"] = e.message;
    return j;
}

Json lost(std::optional<std::uint64_t> count)
{
    return Json{{"kind", "lost"}, {"count", count ? Json(*count) : Json()}};
}

Sink json_lines(FILE* out)
{
    // A stream that cannot be written is lost for its reader: stop the run (the
    // caller's main reports it) rather than go on writing into nothing.
    return [out](const Json& e) {
        std::string line = e.dump(-1, ' ', false, Json::error_handler_t::replace);
        line.push_back('\n');
        if (fwrite(line.data(), 1, line.size(), out) != line.size() || fflush(out) != 0)
            throw std::system_error(errno ? errno : EIO, std::generic_category(), "write the event stream");
    };
}

} // namespace mountlab::stream
