// Checks (a step's `expect`, an exercise's `checks`): their type, parameters, points, id
// and `requires`, and the rules a check must meet to judge anything.
#include "base/error.h"
#include "lesson/checks.h"
#include "lesson/loader_impl.h"

#include <fmt/format.h>

namespace mountlab::lesson::loading {

// `graded`: an exercise's checks (points, ids, requires), else a step's.
std::vector<CheckSpec> Loader::load_checks(const YAML::Node& list, const char* key, bool graded)
{
    std::vector<CheckSpec> checks;
    if (!list)
        return checks;
    if (!list.IsSequence()) {
        error(list.Mark(), fmt::format("`{}` must be a list of checks, each a mapping with `check`", key));
        return checks;
    }
    std::set<std::string> earlier_ids;
    for (const YAML::Node& c : list) {
        const Schema* schema = known_check(c);
        if (!schema)
            continue;
        const std::string type = c["check"].as<std::string>("");
        CheckSpec spec = read_check(c, type, *schema, graded);
        read_check_id(c, spec, graded, earlier_ids);
        read_requires(c, spec, graded, earlier_ids);
        if (graded) {
            refuse_step_checks_in_an_exercise(c, type);
            refuse_unguarded_checks_of_absence(c, type);
        }
        check_listed_values(c, type);
        check_container_ns(c, type);
        check_output_judges_something(c, type);
        check_errno_name(c, type);
        check_enum_params(c, type);
        check_required_params(c, type);
        checks.push_back(std::move(spec));
    }
    return checks;
}

// The schema of the check `c` names, or null (and said) when it names none.
const Schema* Loader::known_check(const YAML::Node& c)
{
    const auto& schemas = check_schemas();
    if (!c.IsMap() || !c["check"]) {
        error(c.Mark(), fmt::format("a check must be a mapping with `check` (one of: {})", join(keys_of(schemas))));
        return nullptr;
    }
    const std::string type = c["check"].as<std::string>("");
    auto s = schemas.find(type);
    if (s == schemas.end()) {
        error(c["check"].Mark(), fmt::format("unknown check `{}`{}; checks: {}", type, suggest(type, keys_of(schemas)),
                                             join(keys_of(schemas))));
        return nullptr;
    }
    return &s->second;
}

// Its keys, parameters, name, feedback and points.
CheckSpec Loader::read_check(const YAML::Node& c, const std::string& type, const Schema& schema, bool graded)
{
    check_keys(c, schema, fmt::format("check `{}`", type), kCheckCommon);
    CheckSpec spec;
    spec.type = type;
    spec.place = place(c.Mark());
    for (const auto& [k, kind] : schema)
        if (c[k] && kind_ok(c[k], kind))
            spec.params[k] = to_json(c[k], kind);
    spec.name = optional_string(c, "name");
    spec.feedback = optional_string(c, "feedback");
    if (c["points"] && kind_ok(c["points"], Kind::Int))
        spec.points = c["points"].as<int>(0);
    if (graded && !c["points"])
        error(c.Mark(), "an exercise's check needs `points`");
    return spec;
}

// `id`: a name for a later check's `requires`; an exercise's checks only, each once.
void Loader::read_check_id(const YAML::Node& c, CheckSpec& spec, bool graded, std::set<std::string>& earlier_ids)
{
    if (!c["id"] || !c["id"].IsScalar())
        return;
    spec.id = c["id"].as<std::string>();
    id_format(c["id"], spec.id);
    if (!graded)
        error(c["id"].Mark(), "`id` names a check for another's `requires`: only an exercise's checks have them");
    else if (!earlier_ids.insert(spec.id).second)
        error(c["id"].Mark(), fmt::format("duplicate check id `{}`", spec.id));
}

// `requires`: the ids of earlier checks of the same exercise (so no cycle can form).
void Loader::read_requires(const YAML::Node& c, CheckSpec& spec, bool graded, const std::set<std::string>& earlier_ids)
{
    const YAML::Node req = c["requires"];
    if (!req || !kind_ok(req, Kind::Strings))
        return;
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

// An exercise's checks judge the state the script left: none may perform an operation
// to decide (the escape op is a step's demonstration), nor judge a step's operation.
void Loader::refuse_step_checks_in_an_exercise(const YAML::Node& c, const std::string& type)
{
    if (type == "escape")
        error(c["check"].Mark(), "`check: escape` performs the chroot escape; an exercise's check must judge the "
                                 "state the script left: use `check: isolated` (every route closed) or `check: climb` "
                                 "(where the escape would land)");
    // Checks of a step's operation, not of a script's work: the container's own
    // namespaces are the set-up's (a script's shell may be anywhere: `namespaces`),
    // the tables are equal when nothing was done, and a script has no errno.
    if (type != "escape" && find_check(type)->step_only)
        error(c["check"].Mark(),
              fmt::format("`check: {}` judges a step's operation, not what a script did: an exercise "
                          "uses `namespaces` (the shell's own), `mount`, `file`, `exit_code` or `output`",
                          type));
}

// A check of absence passes when nothing was done: in an exercise it earns its points
// only once a check showing the work passed. So does an output check that a silent
// script meets (`equals: ""`, `lines: 0`).
void Loader::refuse_unguarded_checks_of_absence(const YAML::Node& c, const std::string& type)
{
    const bool silent_output =
        type == "output" && !c["contains"] &&
        ((c["not_contains"]) || (c["equals"] && c["equals"].IsScalar() && c["equals"].as<std::string>().empty()) ||
         (c["lines"] && c["lines"].IsScalar() && c["lines"].as<std::string>() == "0"));
    const bool absence = (type == "mount" && c["present"] && !c["present"].as<bool>(true)) ||
                         (type == "file" && c["exists"] && !c["exists"].as<bool>(true)) ||
                         (type == "syscall" && c["seen"] && !c["seen"].as<bool>(true)) || type == "host_unchanged" ||
                         silent_output;
    if (absence && !c["requires"])
        error(c.Mark(), fmt::format("this `{}` check passes when the script does nothing: give it `requires:` (the "
                                    "ids of earlier checks that show the work was done)",
                                    type));
}

// The routes `isolated` tries and the namespaces `namespaces` compares.
void Loader::check_listed_values(const YAML::Node& c, const std::string& type)
{
    if (type == "isolated" && c["routes"] && c["routes"].IsSequence())
        for (const YAML::Node& x : c["routes"])
            check_enum(x, "route", "routes");
    if (type == "namespaces" && c["differ"] && c["differ"].IsSequence())
        for (const YAML::Node& x : c["differ"])
            check_enum(x, "namespace", "differ");
}

// `container_ns` names at least one namespace the container owns or shares.
void Loader::check_container_ns(const YAML::Node& c, const std::string& type)
{
    if (type != "container_ns")
        return;
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

void Loader::check_output_judges_something(const YAML::Node& c, const std::string& type)
{
    if (type == "output" && !c["contains"] && !c["not_contains"] && !c["equals"] && !c["lines"])
        error(c.Mark(), "check `output` needs `contains`, `not_contains`, `equals` or `lines`");
}

void Loader::check_errno_name(const YAML::Node& c, const std::string& type)
{
    if (type != "error")
        return;
    if (!c["errno"] && !c["cause"])
        error(c.Mark(), "check `error` needs `errno` (such as EINVAL) or `cause` (words of the cause it names)");
    if (c["errno"] && c["errno"].IsScalar()) {
        const std::string name = c["errno"].as<std::string>();
        if (errno_from_name(name) == 0)
            error(c["errno"].Mark(), fmt::format("`{}` is no errno name (such as EINVAL, EBUSY, EPERM)", name));
    }
}

void Loader::check_enum_params(const YAML::Node& c, const std::string& type)
{
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
}

void Loader::check_required_params(const YAML::Node& c, const std::string& type)
{
    if (const CheckDef* d = find_check(type))
        for (const lab::ParamDef& p : d->params)
            if (p.required && !c[p.name])
                error(c.Mark(), fmt::format("check `{}` needs `{}` ({})", type, p.name, kind_name(p.kind)));
}

} // namespace mountlab::lesson::loading
