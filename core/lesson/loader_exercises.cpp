// An exercise: its task, time limit, set-up, `after` operations and checks; and a list
// of operations (an exercise's setup or after, a step's do).
#include "lesson/loader_impl.h"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>

namespace mountlab::lesson::loading {

Exercise Loader::load_exercise(const YAML::Node& e)
{
    Exercise ex;
    if (!e.IsMap()) {
        error(e.Mark(), "an exercise must be a mapping with id, title, task, checks");
        return ex;
    }
    check_keys(e, kExerciseKeys, "an exercise", {});
    ex.place = place(e.Mark());
    ex.id = required_string(e, "id", "an exercise");
    ex.title = required_string(e, "title", "an exercise");
    ex.task = required_string(e, "task", "an exercise");
    if (!ex.id.empty())
        id_format(e["id"], ex.id);
    ex.hints = strings(e["hints"]);
    if (const YAML::Node sol = e["solution"]; sol && sol.IsScalar()) // else check_keys said why
        ex.solution = sol.as<std::string>();
    if (const YAML::Node t = e["time_limit"])
        read_time_limit(t, ex);
    ex.setup = load_ops(e["setup"], "setup");
    ex.after = load_ops(e["after"], "after", true);
    refuse_after_ops_that_undo_the_script(e, ex);
    ex.checks = load_checks(e["checks"], "checks", true);
    if (ex.checks.empty())
        error(e.Mark(), "an exercise needs at least one check in `checks`");
    refuse_host_unchanged_after_host_ops(e, ex);
    add_up_points(e, ex);
    return ex;
}

// time_limit: 10s, 500ms or a number of seconds.
void Loader::read_time_limit(const YAML::Node& t, Exercise& ex)
{
    const std::string v = t.IsScalar() ? t.as<std::string>() : "";
    char* end = nullptr;
    const double n = strtod(v.c_str(), &end);
    const std::string unit = end ? std::string(end) : "";
    if (v.empty() || end == v.c_str() || n <= 0 || !(unit.empty() || unit == "s" || unit == "ms"))
        error(t.Mark(), fmt::format("`time_limit` must be a duration such as 10s or 500ms, not `{}`", v));
    else
        ex.time_limit_ms = static_cast<int>(unit == "ms" ? n : n * 1000);
}

void Loader::refuse_after_ops_that_undo_the_script(const YAML::Node& e, const Exercise& ex)
{
    for (const Json& op : ex.after) {
        if (op.value("op", "") == "reset_container")
            error(e["after"].Mark(),
                  "`after` acts on the state the script left: `reset_container` would throw it away");
        // A command would run whatever the script left on its PATH (a program bound
        // over /bin/mount), after the script's limits: only the engine's own operations.
        if (op.value("op", "") == "exec")
            error(e["after"].Mark(),
                  "`after` may not `exec` a command: the script may have replaced it; use the engine's "
                  "operations (mount, umount, write, ...)");
    }
}

void Loader::refuse_host_unchanged_after_host_ops(const YAML::Node& e, const Exercise& ex)
{
    const bool host_after = std::any_of(ex.after.begin(), ex.after.end(), [](const Json& op) {
        const std::string w = op.value("where", "container");
        return w == "host" || w == "lab host";
    });
    for (const CheckSpec& c : ex.checks)
        if (host_after && c.type == "host_unchanged")
            error(e["after"].Mark(),
                  "`host_unchanged` compares the lab host's table before the script with the one after "
                  "`after`, which changes it here: check the script's own mounts with `mount` instead");
}

// An exercise's points are its checks' sum; a `points:` written must say the same.
void Loader::add_up_points(const YAML::Node& e, Exercise& ex)
{
    for (const CheckSpec& c : ex.checks)
        ex.points += c.points;
    if (e["points"] && kind_ok(e["points"], Kind::Int) && e["points"].as<int>() != ex.points)
        error(e["points"].Mark(),
              fmt::format("`points` is {} but the checks add up to {}", e["points"].as<int>(), ex.points));
}

// `where_key`: each operation may also say where it runs (`where`: container, host or
// lab host; default container), kept as "where" ("container" or "lab host").
std::vector<Json> Loader::load_ops(const YAML::Node& list, const char* key, bool where_key)
{
    std::vector<Json> ops;
    if (!list)
        return ops;
    if (!list.IsSequence()) {
        error(list.Mark(), fmt::format("`{}` must be a list of operations, each a mapping with `op`", key));
        return ops;
    }
    const auto& schemas = operation_schemas();
    for (const YAML::Node& o : list) {
        if (!o.IsMap() || !o["op"]) {
            error(o.Mark(),
                  fmt::format("an operation must be a mapping with `op` (one of: {})", join(keys_of(schemas))));
            continue;
        }
        const std::string name = o["op"].as<std::string>("");
        auto s = schemas.find(name);
        if (s == schemas.end()) {
            error(o["op"].Mark(), fmt::format("unknown operation `{}`{}; operations: {}", name,
                                              suggest(name, keys_of(schemas)), join(keys_of(schemas))));
            continue;
        }
        Schema extra{{"op", Kind::String}};
        if (where_key)
            extra["where"] = Kind::String;
        check_keys(o, s->second, fmt::format("operation `{}`", name), extra);
        Json j;
        j["op"] = name;
        if (where_key) {
            if (o["where"])
                check_enum(o["where"], "where", "where");
            const std::string w = optional_string(o, "where");
            j["where"] = w == "host" || w == "lab host" ? "lab host" : "container";
        }
        for (const auto& [k, kind] : s->second)
            if (o[k] && kind_ok(o[k], kind))
                j[k] = to_json(o[k], kind);
        ops.push_back(std::move(j));
    }
    return ops;
}

} // namespace mountlab::lesson::loading
