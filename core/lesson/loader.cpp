#include "lesson/loader.h"

#include "base/error.h"
#include "lab/registry.h"
#include "lesson/checks.h"
#include "mount/mountinfo.h" // read_whole_file

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

namespace mountlab::lesson {

std::string Diagnostic::to_string() const
{
    return fmt::format("{}:{}:{}: {}", place.file, place.line, place.column, message);
}

const Exercise* Lesson::exercise(const std::string& want) const
{
    for (const Exercise& e : exercises)
        if (e.id == want)
            return &e;
    return nullptr;
}

namespace {

using Kind = lab::ParamKind;

const char* kind_name(Kind k)
{
    switch (k) {
    case Kind::String: return "a string";
    case Kind::Bool: return "true or false";
    case Kind::Int: return "a whole number";
    case Kind::Strings: return "a list of strings";
    case Kind::Ints: return "a list of whole numbers";
    case Kind::Map: return "a mapping";
    case Kind::Any: return "a value";
    }
    return "?";
}

using Schema = std::map<std::string, Kind>;

// What a lesson's `do:` may write: the engine's registry (lab/registry.h), less what is
// the engine's own (an operation or a parameter only checks and the grader use).
const std::map<std::string, Schema>& operation_schemas()
{
    static const std::map<std::string, Schema> s = [] {
        std::map<std::string, Schema> out;
        for (const lab::OperationDef& d : lab::operation_registry()) {
            if (!d.lesson)
                continue;
            Schema& schema = out[d.name];
            for (const lab::ParamDef& p : d.params)
                if (p.lesson)
                    schema[p.name] = p.kind;
        }
        return out;
    }();
    return s;
}

// What a check may be given: the checks' registry (lesson/checks.h).
const std::map<std::string, Schema>& check_schemas()
{
    static const std::map<std::string, Schema> s = [] {
        std::map<std::string, Schema> out;
        for (const CheckDef& d : check_registry()) {
            Schema& schema = out[d.name];
            for (const lab::ParamDef& p : d.params)
                schema[p.name] = p.kind;
        }
        return out;
    }();
    return s;
}

// Allowed values of some parameters.
const std::map<std::string, std::vector<std::string>>& enum_values()
{
    static const std::map<std::string, std::vector<std::string>> e = {
        {"view", {"host", "container"}},
        {"where", {"container", "host", "lab host"}},
        {"is_propagation", {"shared", "private", "slave", "unbindable", "shared,slave", "not shared"}},
        {"route", {"climb", "mounts", "procs"}},
        {"namespace", {"mnt", "uts", "ipc", "net", "pid", "user", "cgroup", "time"}},
        {"type", {"file", "dir", "symlink", "whiteout", "opaque-dir", "chardev", "blockdev"}},
        {"landed", {"lab host root", "container root", "another directory"}},
        {"stream", {"stdout", "stderr"}},
    };
    return e;
}

const Schema kLessonKeys = {{"id", Kind::String},      {"title", Kind::String}, {"summary", Kind::String},
                            {"prerequisites", Kind::Strings}, {"steps", Kind::Any}, {"exercises", Kind::Any},
                            {"stages", Kind::Any}};
const Schema kStageKeys = {{"id", Kind::String}, {"title", Kind::String}};
const Schema kStepKeys = {{"id", Kind::String},       {"title", Kind::String},  {"text", Kind::String},
                          {"shell", Kind::String},    {"syscall", Kind::String}, {"where", Kind::String},
                          {"do", Kind::Any},          {"expect", Kind::Any},    {"expect_failure", Kind::Bool},
                          {"predict", Kind::Map},     {"stage", Kind::String}};
const Schema kPredictKeys = {{"question", Kind::String}, {"choices", Kind::Strings}, {"answer", Kind::String},
                             {"why", Kind::String}};
const Schema kExerciseKeys = {{"id", Kind::String},     {"title", Kind::String},  {"task", Kind::String},
                              {"points", Kind::Int},    {"hints", Kind::Strings}, {"time_limit", Kind::Any},
                              {"setup", Kind::Any},     {"after", Kind::Any},     {"checks", Kind::Any}};
const Schema kCheckCommon = {{"check", Kind::String}, {"name", Kind::String},     {"points", Kind::Int},
                             {"feedback", Kind::String}, {"id", Kind::String}, {"requires", Kind::Strings}};

size_t edit_distance(const std::string& a, const std::string& b)
{
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string suggest(const std::string& word, const std::vector<std::string>& known)
{
    std::string best;
    size_t best_d = 3;
    for (const std::string& k : known) {
        const size_t d = edit_distance(word, k);
        if (d < best_d) {
            best_d = d;
            best = k;
        }
    }
    return best.empty() ? std::string() : fmt::format(" (did you mean `{}`?)", best);
}

template <typename M>
std::vector<std::string> keys_of(const M& m)
{
    std::vector<std::string> k;
    for (const auto& [name, _] : m)
        k.push_back(name);
    return k;
}

std::string join(const std::vector<std::string>& v)
{
    std::string s;
    for (const std::string& x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

class Loader {
public:
    explicit Loader(std::string file) : file_(std::move(file)) {}

    LoadResult load(const std::string& text)
    {
        LoadResult out;
        out.lesson.file = file_;
        YAML::Node root;
        try {
            root = YAML::Load(text);
        } catch (const YAML::ParserException& e) {
            error(e.mark, fmt::format("not valid YAML: {}", e.msg));
            out.diagnostics = std::move(diags_);
            return out;
        }
        if (!root.IsMap()) {
            error(root.Mark(), "a lesson file must be a mapping with id, title, steps, ...");
            out.diagnostics = std::move(diags_);
            return out;
        }
        check_keys(root, kLessonKeys, "the lesson", {});
        Lesson& l = out.lesson;
        l.id = required_string(root, "id", "the lesson");
        l.title = required_string(root, "title", "the lesson");
        l.summary = optional_string(root, "summary");
        l.prerequisites = strings(root["prerequisites"]);
        if (!l.id.empty())
            id_format(root["id"], l.id);
        load_stages(root["stages"], l);
        std::set<std::string> ids;
        if (auto steps = root["steps"]) {
            if (!steps.IsSequence())
                error(steps.Mark(), "`steps` must be a list of steps");
            else
                for (const YAML::Node& s : steps) {
                    LessonStep step = load_step(s);
                    if (!step.id.empty() && !ids.insert(step.id).second)
                        error(s["id"].Mark(), fmt::format("duplicate step id `{}`", step.id));
                    check_stage(s, step, l);
                    l.steps.push_back(std::move(step));
                }
        } else {
            error(root.Mark(), "the lesson has no `steps`");
        }
        std::set<std::string> ex_ids;
        if (auto exs = root["exercises"]) {
            if (!exs.IsSequence())
                error(exs.Mark(), "`exercises` must be a list of exercises");
            else
                for (const YAML::Node& e : exs) {
                    Exercise ex = load_exercise(e);
                    if (!ex.id.empty() && !ex_ids.insert(ex.id).second)
                        error(e["id"].Mark(), fmt::format("duplicate exercise id `{}`", ex.id));
                    l.exercises.push_back(std::move(ex));
                }
        }
        out.diagnostics = std::move(diags_);
        std::sort(out.diagnostics.begin(), out.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return std::tie(a.place.line, a.place.column) < std::tie(b.place.line, b.place.column);
        });
        return out;
    }

private:
    Place place(const YAML::Mark& m) const
    {
        // yaml-cpp counts from 0; a missing mark (-1) becomes 1:1.
        return Place{file_, m.line >= 0 ? m.line + 1 : 1, m.column >= 0 ? m.column + 1 : 1};
    }

    void error(const YAML::Mark& m, std::string message) { diags_.push_back({place(m), std::move(message)}); }

    // stages: [{id, title}, ...]: the lesson's steps in named groups (the walkthrough's).
    void load_stages(const YAML::Node& n, Lesson& l)
    {
        if (!n)
            return;
        if (!n.IsSequence() || n.size() == 0) {
            error(n.Mark(), "`stages` must be a list of stages, each with `id` and `title`");
            return;
        }
        std::set<std::string> ids;
        for (const YAML::Node& st : n) {
            if (!st.IsMap()) {
                error(st.Mark(), "a stage must be a mapping with `id` and `title`");
                continue;
            }
            check_keys(st, kStageKeys, "a stage", {});
            Stage stage{required_string(st, "id", "a stage"), required_string(st, "title", "a stage")};
            if (!stage.id.empty()) {
                id_format(st["id"], stage.id);
                if (!ids.insert(stage.id).second)
                    error(st["id"].Mark(), fmt::format("duplicate stage id `{}`", stage.id));
            }
            l.stages.push_back(std::move(stage));
        }
    }

    // A step's `stage:` names one of the lesson's stages, and the stages come in the order
    // they are declared (a stage's steps together), so that `run --stage` can stop after one.
    void check_stage(const YAML::Node& s, const LessonStep& step, const Lesson& l)
    {
        if (!s.IsMap())
            return; // load_step said what is wrong with it; a scalar has no `stage` to read
        if (l.stages.empty()) {
            if (s["stage"])
                error(s["stage"].Mark(), "`stage` names one of the lesson's `stages`, and this lesson has none");
            return;
        }
        if (!s["stage"]) {
            error(s.Mark(), fmt::format("step `{}` has no `stage` (the lesson has `stages`, so every step names one)", step.id));
            return;
        }
        std::vector<std::string> ids;
        for (const Stage& st : l.stages)
            ids.push_back(st.id);
        const auto at = std::find(ids.begin(), ids.end(), step.stage);
        if (at == ids.end()) {
            error(s["stage"].Mark(), fmt::format("no stage `{}`{}; stages: {}", step.stage, suggest(step.stage, ids), join(ids)));
            return;
        }
        const int index = static_cast<int>(at - ids.begin());
        if (index < last_stage_)
            error(s["stage"].Mark(), fmt::format("step `{}` is in stage `{}`, which comes before `{}`: a stage's steps go together, "
                                                 "in the order of `stages`",
                                                 step.id, step.stage, ids[static_cast<size_t>(last_stage_)]));
        else
            last_stage_ = index;
    }

    void id_format(const YAML::Node& n, const std::string& id)
    {
        for (char c : id)
            if (!(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
                error(n.Mark(), fmt::format("id `{}` may hold only letters, digits, '-', '_' and '.'", id));
                return;
            }
    }

    bool kind_ok(const YAML::Node& n, Kind k)
    {
        switch (k) {
        case Kind::String: return n.IsScalar();
        case Kind::Bool: {
            if (!n.IsScalar())
                return false;
            bool b;
            return YAML::convert<bool>::decode(n, b);
        }
        case Kind::Int: {
            if (!n.IsScalar())
                return false;
            long long i;
            return YAML::convert<long long>::decode(n, i);
        }
        case Kind::Strings:
            if (!n.IsSequence())
                return false;
            for (const YAML::Node& x : n)
                if (!x.IsScalar())
                    return false;
            return true;
        case Kind::Ints:
            if (!n.IsSequence())
                return false;
            for (const YAML::Node& x : n) {
                long long i;
                if (!x.IsScalar() || !YAML::convert<long long>::decode(x, i))
                    return false;
            }
            return true;
        case Kind::Map: return n.IsMap();
        case Kind::Any: return true;
        }
        return false;
    }

    // Unknown keys and wrong types, for a mapping with the given schema(s).
    void check_keys(const YAML::Node& map, const Schema& schema, const std::string& what, const Schema& extra)
    {
        std::vector<std::string> known = keys_of(schema);
        for (const auto& [k, _] : extra)
            known.push_back(k);
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string key = it->first.as<std::string>("");
            auto s = schema.find(key);
            Kind k;
            if (s != schema.end())
                k = s->second;
            else if (auto e = extra.find(key); e != extra.end())
                k = e->second;
            else {
                error(it->first.Mark(), fmt::format("unknown key `{}` in {}{}; known keys: {}", key, what,
                                                    suggest(key, known), join(known)));
                continue;
            }
            if (kind_ok(it->second, k))
                continue;
            // Point at the element that is wrong in a list (a "key: value" inside a hint,
            // unquoted, is a mapping, not a string).
            YAML::Mark mark = it->second.Mark();
            std::string detail;
            // A named copy of the value: `it->` returns a proxy that dies at the end of the
            // full expression, and a range-for over its member would read a dead object.
            const YAML::Node value = it->second;
            if ((k == Kind::Strings || k == Kind::Ints) && value.IsSequence()) {
                size_t i = 0;
                for (const YAML::Node& x : value) {
                    ++i;
                    if (!x.IsScalar() || (k == Kind::Ints && !kind_ok(x, Kind::Int))) {
                        mark = x.Mark();
                        detail = fmt::format(" (item {} is {}{})", i, x.IsMap() ? "a mapping" : x.IsSequence() ? "a list" : "not a number",
                                             x.IsMap() ? ": quote it if it holds \": \"" : "");
                        break;
                    }
                }
            }
            error(mark, fmt::format("`{}` in {} must be {}{}", key, what, kind_name(k), detail));
        }
    }

    std::string required_string(const YAML::Node& map, const char* key, const std::string& what)
    {
        const YAML::Node n = map[key];
        if (!n) {
            error(map.Mark(), fmt::format("{} has no `{}`", what, key));
            return {};
        }
        return n.IsScalar() ? n.as<std::string>() : std::string();
    }

    static std::string optional_string(const YAML::Node& map, const char* key)
    {
        const YAML::Node n = map[key];
        return n && n.IsScalar() ? n.as<std::string>() : std::string();
    }

    static std::vector<std::string> strings(const YAML::Node& n)
    {
        std::vector<std::string> out;
        if (n && n.IsSequence())
            for (const YAML::Node& x : n)
                if (x.IsScalar())
                    out.push_back(x.as<std::string>());
        return out;
    }

    // YAML scalar to JSON with the type the schema asks for.
    static Json to_json(const YAML::Node& n, Kind k)
    {
        switch (k) {
        case Kind::Bool: return n.as<bool>(false);
        case Kind::Int: return n.as<long long>(0);
        case Kind::Strings: return strings(n);
        case Kind::Ints: {
            Json a = Json::array();
            for (const YAML::Node& x : n)
                a.push_back(x.as<long long>(0));
            return a;
        }
        case Kind::Map: {
            Json m = Json::object();
            for (auto it = n.begin(); it != n.end(); ++it)
                m[it->first.as<std::string>("")] = it->second.IsScalar() ? Json(it->second.as<std::string>()) : Json(nullptr);
            return m;
        }
        default: return n.IsScalar() ? Json(n.as<std::string>()) : Json(nullptr);
        }
    }

    void check_enum(const YAML::Node& n, const char* which, const std::string& key)
    {
        const auto& values = enum_values().at(which);
        if (n && n.IsScalar() && std::find(values.begin(), values.end(), n.as<std::string>()) == values.end())
            error(n.Mark(), fmt::format("`{}` must be one of: {}{}", key, join(values), suggest(n.as<std::string>(), values)));
    }

    // `where_key`: each operation may also say where it runs (`where`: container, host or
    // lab host; default container), kept as "where" ("container" or "lab host").
    std::vector<Json> load_ops(const YAML::Node& list, const char* key, bool where_key = false)
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
                error(o.Mark(), fmt::format("an operation must be a mapping with `op` (one of: {})", join(keys_of(schemas))));
                continue;
            }
            const std::string name = o["op"].as<std::string>("");
            auto s = schemas.find(name);
            if (s == schemas.end()) {
                error(o["op"].Mark(), fmt::format("unknown operation `{}`{}; operations: {}", name, suggest(name, keys_of(schemas)),
                                                  join(keys_of(schemas))));
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

    std::vector<CheckSpec> load_checks(const YAML::Node& list, const char* key, bool graded)
    {
        std::vector<CheckSpec> checks;
        if (!list)
            return checks;
        if (!list.IsSequence()) {
            error(list.Mark(), fmt::format("`{}` must be a list of checks, each a mapping with `check`", key));
            return checks;
        }
        const auto& schemas = check_schemas();
        std::set<std::string> earlier_ids;
        for (const YAML::Node& c : list) {
            if (!c.IsMap() || !c["check"]) {
                error(c.Mark(), fmt::format("a check must be a mapping with `check` (one of: {})", join(keys_of(schemas))));
                continue;
            }
            const std::string type = c["check"].as<std::string>("");
            auto s = schemas.find(type);
            if (s == schemas.end()) {
                error(c["check"].Mark(), fmt::format("unknown check `{}`{}; checks: {}", type, suggest(type, keys_of(schemas)),
                                                     join(keys_of(schemas))));
                continue;
            }
            check_keys(c, s->second, fmt::format("check `{}`", type), kCheckCommon);
            CheckSpec spec;
            spec.type = type;
            spec.place = place(c.Mark());
            for (const auto& [k, kind] : s->second)
                if (c[k] && kind_ok(c[k], kind))
                    spec.params[k] = to_json(c[k], kind);
            spec.name = optional_string(c, "name");
            spec.feedback = optional_string(c, "feedback");
            if (c["points"] && kind_ok(c["points"], Kind::Int))
                spec.points = c["points"].as<int>(0);
            if (graded && !c["points"])
                error(c.Mark(), "an exercise's check needs `points`");
            if (c["id"] && c["id"].IsScalar()) {
                spec.id = c["id"].as<std::string>();
                id_format(c["id"], spec.id);
                if (!graded)
                    error(c["id"].Mark(), "`id` names a check for another's `requires`: only an exercise's checks have them");
                else if (!earlier_ids.insert(spec.id).second)
                    error(c["id"].Mark(), fmt::format("duplicate check id `{}`", spec.id));
            }
            if (const YAML::Node req = c["requires"]; req && kind_ok(req, Kind::Strings)) {
                if (!graded)
                    error(req.Mark(), "`requires` guards an exercise's check: a step's checks have none");
                for (const YAML::Node& x : req) {
                    const std::string want = x.as<std::string>();
                    if (want == spec.id)
                        error(x.Mark(), fmt::format("check `{}` requires itself", want));
                    else if (!earlier_ids.count(want) || want == spec.id)
                        error(x.Mark(), fmt::format("`requires` names `{}`, which is not the id of an earlier check of this "
                                                    "exercise{}",
                                                    want, suggest(want, {earlier_ids.begin(), earlier_ids.end()})));
                    spec.needs.push_back(want);
                }
            }
            // An exercise's checks judge the state the script left: none may perform an
            // operation to decide (the escape op is a step's demonstration).
            if (graded && type == "escape")
                error(c["check"].Mark(), "`check: escape` performs the chroot escape; an exercise's check must judge the "
                                         "state the script left: use `check: isolated` (every route closed) or `check: climb` (where the escape would land)");
            // Checks of a step's operation, not of a script's work: the container's own
            // namespaces are the set-up's (a script's shell may be anywhere: `namespaces`),
            // the tables are equal when nothing was done, and a script has no errno.
            if (graded && type != "escape" && find_check(type)->step_only)
                error(c["check"].Mark(), fmt::format("`check: {}` judges a step's operation, not what a script did: an exercise "
                                                     "uses `namespaces` (the shell's own), `mount`, `file`, `exit_code` or `output`",
                                                     type));
            // A check of absence passes when nothing was done: in an exercise it earns its
            // points only once a check showing the work passed. So does an output check
            // that a silent script meets (`equals: ""`, `lines: 0`).
            const bool silent_output = type == "output" && !c["contains"] &&
                                       ((c["not_contains"]) || (c["equals"] && c["equals"].IsScalar() && c["equals"].as<std::string>().empty()) ||
                                        (c["lines"] && c["lines"].IsScalar() && c["lines"].as<std::string>() == "0"));
            const bool absence = (type == "mount" && c["present"] && !c["present"].as<bool>(true)) ||
                                 (type == "file" && c["exists"] && !c["exists"].as<bool>(true)) ||
                                 (type == "syscall" && c["seen"] && !c["seen"].as<bool>(true)) ||
                                 type == "host_unchanged" || silent_output;
            if (graded && absence && !c["requires"])
                error(c.Mark(), fmt::format("this `{}` check passes when the script does nothing: give it `requires:` (the "
                                            "ids of earlier checks that show the work was done)",
                                            type));
            if (type == "isolated" && c["routes"] && c["routes"].IsSequence())
                for (const YAML::Node& x : c["routes"])
                    check_enum(x, "route", "routes");
            if (type == "namespaces" && c["differ"] && c["differ"].IsSequence())
                for (const YAML::Node& x : c["differ"])
                    check_enum(x, "namespace", "differ");
            if (type == "container_ns") {
                if (!c["own"] && !c["shared"])
                    error(c.Mark(), "check `container_ns` needs `own` or `shared` (lists of namespace types)");
                for (const char* key : {"own", "shared"})
                    if (c[key] && c[key].IsSequence()) {
                        if (c[key].size() == 0)
                            error(c[key].Mark(), fmt::format("`{}` names no namespace: the check would judge nothing", key));
                        for (const YAML::Node& x : c[key])
                            check_enum(x, "namespace", key);
                    }
            }
            if (type == "output" && !c["contains"] && !c["not_contains"] && !c["equals"] && !c["lines"])
                error(c.Mark(), "check `output` needs `contains`, `not_contains`, `equals` or `lines`");
            if (type == "error") {
                if (!c["errno"] && !c["cause"])
                    error(c.Mark(), "check `error` needs `errno` (such as EINVAL) or `cause` (words of the cause it names)");
                if (c["errno"] && c["errno"].IsScalar()) {
                    const std::string name = c["errno"].as<std::string>();
                    if (errno_from_name(name) == 0)
                        error(c["errno"].Mark(), fmt::format("`{}` is no errno name (such as EINVAL, EBUSY, EPERM)", name));
                }
            }
            if (c["view"])
                check_enum(c["view"], "view", "view");
            if (c["where"])
                check_enum(c["where"], "where", "where");
            if (c["landed"])
                check_enum(c["landed"], "landed", "landed");
            if (c["lands"])
                check_enum(c["lands"], "landed", "lands");
            if (c["stream"])
                check_enum(c["stream"], "stream", "stream");
            if (type == "propagation" && c["is"])
                check_enum(c["is"], "is_propagation", "is");
            if (type == "file" && c["type"])
                check_enum(c["type"], "type", "type");
            // Required parameters.
            if (const CheckDef* d = find_check(type))
                for (const lab::ParamDef& p : d->params)
                    if (p.required && !c[p.name])
                        error(c.Mark(), fmt::format("check `{}` needs `{}` ({})", type, p.name, kind_name(p.kind)));
            checks.push_back(std::move(spec));
        }
        return checks;
    }

    LessonStep load_step(const YAML::Node& s)
    {
        LessonStep step;
        if (!s.IsMap()) {
            error(s.Mark(), "a step must be a mapping with id, title, text, do, expect");
            return step;
        }
        check_keys(s, kStepKeys, "a step", {});
        step.place = place(s.Mark());
        step.id = required_string(s, "id", "a step");
        step.title = required_string(s, "title", "a step");
        if (!step.id.empty())
            id_format(s["id"], step.id);
        step.text = optional_string(s, "text");
        step.shell = optional_string(s, "shell");
        step.syscall = optional_string(s, "syscall");
        step.stage = optional_string(s, "stage");
        if (s["where"]) {
            check_enum(s["where"], "where", "where");
            step.where = optional_string(s, "where") == "host" ? "lab host" : optional_string(s, "where");
        }
        if (s["expect_failure"] && kind_ok(s["expect_failure"], Kind::Bool))
            step.expect_ok = !s["expect_failure"].as<bool>();
        step.ops = load_ops(s["do"], "do");
        step.expect = load_checks(s["expect"], "expect", false);
        if (s["predict"] && s["predict"].IsMap())
            step.predict = load_prediction(s["predict"]);
        return step;
    }

    // predict: {question, choices: [2..6 strings], answer: one of the choices, why}
    Prediction load_prediction(const YAML::Node& p)
    {
        Prediction out;
        check_keys(p, kPredictKeys, "a prediction", {});
        out.question = required_string(p, "question", "a prediction");
        out.why = optional_string(p, "why");
        if (p["choices"] && kind_ok(p["choices"], Kind::Strings))
            for (const YAML::Node& c : p["choices"])
                out.choices.push_back(c.as<std::string>());
        else if (!p["choices"])
            error(p.Mark(), "a prediction has no `choices`");
        if (p["choices"] && (out.choices.size() < 2 || out.choices.size() > 6))
            error(p["choices"].Mark(), fmt::format("a prediction has 2 to 6 choices, not {}", out.choices.size()));
        const std::string answer = required_string(p, "answer", "a prediction");
        for (size_t i = 0; i < out.choices.size(); ++i)
            if (out.choices[i] == answer)
                out.answer = static_cast<int>(i);
        if (p["answer"] && out.answer < 0 && !out.choices.empty())
            error(p["answer"].Mark(), fmt::format("the answer `{}` is not one of the choices{}", answer, suggest(answer, out.choices)));
        return out;
    }

    Exercise load_exercise(const YAML::Node& e)
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
        if (const YAML::Node t = e["time_limit"]) {
            const std::string v = t.IsScalar() ? t.as<std::string>() : "";
            char* end = nullptr;
            const double n = strtod(v.c_str(), &end);
            const std::string unit = end ? std::string(end) : "";
            if (v.empty() || end == v.c_str() || n <= 0 || !(unit.empty() || unit == "s" || unit == "ms"))
                error(t.Mark(), fmt::format("`time_limit` must be a duration such as 10s or 500ms, not `{}`", v));
            else
                ex.time_limit_ms = static_cast<int>(unit == "ms" ? n : n * 1000);
        }
        ex.setup = load_ops(e["setup"], "setup");
        ex.after = load_ops(e["after"], "after", true);
        for (const Json& op : ex.after) {
            if (op.value("op", "") == "reset_container")
                error(e["after"].Mark(), "`after` acts on the state the script left: `reset_container` would throw it away");
            // A command would run whatever the script left on its PATH (a program bound
            // over /bin/mount), after the script's limits: only the engine's own operations.
            if (op.value("op", "") == "exec")
                error(e["after"].Mark(), "`after` may not `exec` a command: the script may have replaced it; use the engine's "
                                         "operations (mount, umount, write, ...)");
        }
        ex.checks = load_checks(e["checks"], "checks", true);
        if (ex.checks.empty())
            error(e.Mark(), "an exercise needs at least one check in `checks`");
        const bool host_after = std::any_of(ex.after.begin(), ex.after.end(), [](const Json& op) {
            const std::string w = op.value("where", "container");
            return w == "host" || w == "lab host";
        });
        for (const CheckSpec& c : ex.checks)
            if (host_after && c.type == "host_unchanged")
                error(e["after"].Mark(), "`host_unchanged` compares the lab host's table before the script with the one after "
                                         "`after`, which changes it here: check the script's own mounts with `mount` instead");
        for (const CheckSpec& c : ex.checks)
            ex.points += c.points;
        if (e["points"] && kind_ok(e["points"], Kind::Int) && e["points"].as<int>() != ex.points)
            error(e["points"].Mark(),
                  fmt::format("`points` is {} but the checks add up to {}", e["points"].as<int>(), ex.points));
        return ex;
    }

    std::string file_;
    std::vector<Diagnostic> diags_;
    int last_stage_ = 0; // the stage of the last step read (check_stage)
};

} // namespace

LoadResult load_lesson_text(const std::string& text, const std::string& file)
{
    return Loader(file).load(text);
}

// The largest lesson file read: the longest here is 16 KB. A larger one (or /dev/zero)
// is refused with a message, not read until memory runs out.
constexpr size_t kMaxLessonBytes = 4 * 1024 * 1024;

LoadResult load_lesson_file(const std::string& path)
{
    Result<std::string> text = read_whole_file(path, kMaxLessonBytes);
    if (!text) {
        LoadResult r;
        r.diagnostics.push_back({Place{path, 0, 0}, fmt::format("cannot read the file: {}", text.error().message)});
        return r;
    }
    return load_lesson_text(*text, path);
}

const std::vector<std::string>& operation_names()
{
    static const std::vector<std::string> names = keys_of(operation_schemas());
    return names;
}

const std::vector<std::string>& check_names()
{
    static const std::vector<std::string> names = keys_of(check_schemas());
    return names;
}

KeySets lesson_keys()
{
    return {keys_of(kLessonKeys), keys_of(kStageKeys), keys_of(kStepKeys), keys_of(kPredictKeys), keys_of(kExerciseKeys),
            keys_of(kCheckCommon)};
}

std::vector<std::string> operation_parameters(const std::string& op)
{
    auto it = operation_schemas().find(op);
    return it == operation_schemas().end() ? std::vector<std::string>() : keys_of(it->second);
}

std::vector<std::string> check_parameters(const std::string& check)
{
    auto it = check_schemas().find(check);
    return it == check_schemas().end() ? std::vector<std::string>() : keys_of(it->second);
}

std::string lessons_dir()
{
    if (const char* env = getenv("MOUNTLAB_LESSONS"); env && *env)
        return env;
    char exe[PATH_MAX] = {};
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        const std::filesystem::path bin = std::filesystem::path(std::string(exe, static_cast<size_t>(n))).parent_path();
        for (const auto& candidate : {bin / "../share/mountlab/lessons", bin / "../../lessons", bin / "../lessons"})
            if (std::filesystem::is_directory(candidate))
                return std::filesystem::weakly_canonical(candidate).string();
    }
    return MOUNTLAB_SOURCE_LESSONS;
}

std::vector<std::string> lesson_files(const std::string& dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
            out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace mountlab::lesson
