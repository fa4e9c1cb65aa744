// The checks' registry (lesson/checks.h): each check's parameters, its sentence and the
// function judging it (checks.cpp, checks_isolation.cpp).
#include "lesson/checks.h"
#include "lesson/checks_impl.h"

#include "base/jsonget.h"

#include <fmt/format.h>

namespace mountlab::lesson {

const lab::ParamDef* CheckDef::param(std::string_view n) const
{
    for (const lab::ParamDef& p : params)
        if (p.name == n)
            return &p;
    return nullptr;
}

namespace {

using K = lab::ParamKind;

lab::ParamDef opt(const char* name, K kind = K::String) { return lab::ParamDef{name, kind, true, false}; }
lab::ParamDef req(const char* name, K kind = K::String) { return lab::ParamDef{name, kind, true, true}; }

std::string list_of(const Json& p, const char* key)
{
    std::string t;
    if (p.contains(key) && p[key].is_array())
        for (const auto& x : p[key])
            if (x.is_string())
                t += (t.empty() ? "" : ", ") + x.get<std::string>();
    return t;
}

std::string describe_mount(const Json& p)
{
    return b(p, "present", true)
               ? fmt::format("the {} has {} mounted on {}", view_name(p), s(p, "fstype", "something"), s(p, "target"))
               : fmt::format("the {} has nothing mounted on {}", view_name(p), s(p, "target"));
}

std::string describe_file(const Json& p)
{
    return b(p, "exists", true) ? fmt::format("{} exists in the {}", s(p, "path"), s(p, "where", "container"))
                                : fmt::format("{} does not exist in the {}", s(p, "path"), s(p, "where", "container"));
}

std::string describe_output(const Json& p)
{
    if (p.contains("equals"))
        return fmt::format("the output is `{}`", s(p, "equals"));
    if (p.contains("lines"))
        return fmt::format("the output has {} lines", p.value("lines", 0LL));
    return p.contains("contains") ? fmt::format("the output contains `{}`", s(p, "contains"))
                                  : fmt::format("the output does not contain `{}`", s(p, "not_contains"));
}

std::string describe_error(const Json& p)
{
    return p.contains("errno") ? fmt::format("the operation fails with {}{}", s(p, "errno"),
                                             p.contains("cause") ? ", and its cause says " + s(p, "cause") : "")
                               : fmt::format("the operation fails, and its cause says {}", s(p, "cause"));
}

std::string describe_container_ns(const Json& p)
{
    const std::string own = list_of(p, "own"), shared = list_of(p, "shared");
    const auto plural = [&](const char* key) {
        return p.contains(key) && p[key].is_array() && p[key].size() > 1 ? "s" : "";
    };
    if (own.empty())
        return fmt::format("the container shares the lab host's {} namespace{}", shared, plural("shared"));
    if (shared.empty())
        return fmt::format("the container has {} namespace{} of its own", own, plural("own"));
    return fmt::format("the container has {} of its own and shares {} with the lab host", own, shared);
}

// checks.cpp: what a mount table holds
std::vector<CheckDef> mount_table_checks()
{
    const lab::ParamDef view = opt("view");
    return {
        {"mount",
         {req("target"), view, opt("fstype"), opt("source"), opt("options", K::Strings), opt("not_options", K::Strings),
          opt("present", K::Bool), opt("same_as_host")},
         "the top mount on `target` in that view's table matches",
         false,
         describe_mount,
         check_mount},
        {"propagation",
         {req("target"), req("is"), view, opt("recursive", K::Bool)},
         "the top mount on `target` has that propagation",
         false,
         [](const Json& p) { return fmt::format("{} is {} in the {}", s(p, "target"), s(p, "is"), view_name(p)); },
         check_propagation},
        {"root",
         {req("fstype"), view},
         "the mount on `/` of that view has this filesystem type",
         false,
         [](const Json& p) { return fmt::format("the {}'s root is {}", view_name(p), s(p, "fstype")); },
         check_root},
        {"fully_visible",
         {req("fstype"), view},
         "a new user namespace could still mount another of that type",
         false,
         [](const Json& p) { return fmt::format("the {} has a fully visible {}", view_name(p), s(p, "fstype")); },
         check_fully_visible},
        {"tables_equal",
         {},
         "the container's mount table is the lab host's, normalised",
         true,
         [](const Json&) {
             return std::string(
                 "the container's mount table is the lab host's (normalised: mount IDs and peer groups aside)");
         },
         check_tables_equal},
    };
}

// checks.cpp: files, system calls, the operation's result, the lab host
std::vector<CheckDef> outcome_checks()
{
    return {
        {"file",
         {req("path"), opt("where"), opt("exists", K::Bool), opt("contains"), opt("not_contains"), opt("equals"),
          opt("type")},
         "the path, as the container or lab host process sees it, is as described",
         false,
         describe_file,
         check_file},
        {"syscall",
         {req("name"), opt("args", K::Map), opt("result"), opt("seen", K::Bool)},
         "the eBPF tracer saw the call",
         false,
         [](const Json& p) {
             return fmt::format("{} is {}called{}", s(p, "name"), b(p, "seen", true) ? "" : "not ",
                                p.contains("result") ? " and returns " + s(p, "result") : "");
         },
         check_syscall},
        {"exit_code",
         {req("is", K::Int)},
         "the last operation's (or the script's) exit status",
         false,
         [](const Json& p) { return fmt::format("the script exits with {}", json_int(p, "is", 0)); },
         check_exit_code},
        {"output",
         {opt("contains"), opt("not_contains"), opt("equals"), opt("lines", K::Int), opt("stream")},
         "the last operation's (or the script's) output is as described",
         false,
         describe_output,
         check_output},
        {"error",
         {opt("errno"), opt("cause")},
         "the step's operation failed with that errno and cause",
         true,
         describe_error,
         check_error},
        {"host_unchanged",
         {},
         "the lab host's mount table is the same as before",
         false,
         [](const Json&) { return std::string("the lab host's mount table is unchanged"); },
         check_host_unchanged},
        // checks_isolation.cpp
    };
}

// checks_isolation.cpp: what the process can reach
std::vector<CheckDef> isolation_checks()
{
    return {
        {"escape",
         {opt("landed"), opt("secret_readable", K::Bool)},
         "the chroot escape, attempted now, lands there",
         true,
         [](const Json& p) {
             return p.contains("landed") ? "the chroot escape lands on the " + s(p, "landed")
                                         : std::string("the chroot escape attempt");
         },
         check_escape},
        {"pids",
         {opt("path"), opt("only", K::Ints), opt("count", K::Int)},
         "the PIDs that proc shows to the container process",
         false,
         [](const Json&) { return std::string("the PIDs visible in the container's /proc"); },
         check_pids},
        {"isolated",
         {opt("routes", K::Strings)},
         "no route leads from the container process to the lab host",
         false,
         [](const Json&) {
             return std::string(
                 "no route from the container to the lab host: no `..` climb, no mount of the lab host's files, no "
                 "proc of its processes");
         },
         check_isolated},
        {"climb",
         {req("lands")},
         "where the chroot escape would land, worked out without attempting it",
         false,
         [](const Json& p) { return "the chroot escape would land on the " + s(p, "lands"); },
         check_climb},
        {"namespaces",
         {req("differ", K::Strings), opt("path")},
         "the script's shell had namespaces of its own",
         false,
         [](const Json& p) { return fmt::format("the shell had {} namespaces of its own", list_of(p, "differ")); },
         check_namespaces},
        {"container_ns",
         {opt("own", K::Strings), opt("shared", K::Strings)},
         "the container process's namespaces are or are not the lab host's",
         true,
         describe_container_ns,
         check_container_ns},
    };
}

std::vector<CheckDef> make_registry()
{
    std::vector<CheckDef> all;
    for (auto family : {mount_table_checks, outcome_checks, isolation_checks}) {
        std::vector<CheckDef> checks = family();
        all.insert(all.end(), std::make_move_iterator(checks.begin()), std::make_move_iterator(checks.end()));
    }
    return all;
}

} // namespace

const std::vector<CheckDef>& check_registry()
{
    static const std::vector<CheckDef> r = make_registry();
    return r;
}

const CheckDef* find_check(std::string_view name)
{
    for (const CheckDef& d : check_registry())
        if (d.name == name)
            return &d;
    return nullptr;
}

std::string describe(const CheckSpec& c)
{
    if (!c.name.empty())
        return c.name;
    const CheckDef* d = find_check(c.type);
    return d ? d->describe(c.params) : c.type;
}

std::string evaluate(const CheckSpec& c, const lab::StepContext& ctx)
{
    const CheckDef* d = find_check(c.type);
    return d ? d->evaluate(c, ctx) : fmt::format("unknown check `{}`", c.type);
}

lab::Check to_check(const CheckSpec& c)
{
    return {describe(c), [c](const lab::StepContext& ctx) { return evaluate(c, ctx); }};
}

} // namespace mountlab::lesson
