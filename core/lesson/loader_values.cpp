// What any mapping or value in a lesson file must be: its keys and their kinds, ids,
// the allowed values of some parameters, and the nearest known word for a misspelt one.
#include "lesson/checks.h"
#include "lesson/loader_impl.h"

#include <algorithm>
#include <fmt/format.h>

namespace mountlab::lesson::loading {

const char* kind_name(Kind k)
{
    switch (k) {
    case Kind::String:
        return "a string";
    case Kind::Bool:
        return "true or false";
    case Kind::Int:
        return "a whole number";
    case Kind::Strings:
        return "a list of strings";
    case Kind::Ints:
        return "a list of whole numbers";
    case Kind::Map:
        return "a mapping";
    case Kind::Any:
        return "a value";
    }
    return "?";
}

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

namespace {

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

} // namespace

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

std::string join(const std::vector<std::string>& v)
{
    std::string s;
    for (const std::string& x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

bool kind_ok(const YAML::Node& n, Kind k)
{
    switch (k) {
    case Kind::String:
        return n.IsScalar();
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
    case Kind::Map:
        return n.IsMap();
    case Kind::Any:
        return true;
    }
    return false;
}

std::string optional_string(const YAML::Node& map, const char* key)
{
    const YAML::Node n = map[key];
    return n && n.IsScalar() ? n.as<std::string>() : std::string();
}

std::vector<std::string> strings(const YAML::Node& n)
{
    std::vector<std::string> out;
    if (n && n.IsSequence())
        for (const YAML::Node& x : n)
            if (x.IsScalar())
                out.push_back(x.as<std::string>());
    return out;
}

Json to_json(const YAML::Node& n, Kind k)
{
    switch (k) {
    case Kind::Bool:
        return n.as<bool>(false);
    case Kind::Int:
        return n.as<long long>(0);
    case Kind::Strings:
        return strings(n);
    case Kind::Ints: {
        Json a = Json::array();
        for (const YAML::Node& x : n)
            a.push_back(x.as<long long>(0));
        return a;
    }
    case Kind::Map: {
        Json m = Json::object();
        for (auto it = n.begin(); it != n.end(); ++it)
            m[it->first.as<std::string>("")] =
                it->second.IsScalar() ? Json(it->second.as<std::string>()) : Json(nullptr);
        return m;
    }
    default:
        return n.IsScalar() ? Json(n.as<std::string>()) : Json(nullptr);
    }
}

void Loader::id_format(const YAML::Node& n, const std::string& id)
{
    for (char c : id)
        if (!(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
            error(n.Mark(), fmt::format("id `{}` may hold only letters, digits, '-', '_' and '.'", id));
            return;
        }
}

// Unknown keys and wrong types, for a mapping with the given schema(s).
void Loader::check_keys(const YAML::Node& map, const Schema& schema, const std::string& what, const Schema& extra)
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
            error(it->first.Mark(),
                  fmt::format("unknown key `{}` in {}{}; known keys: {}", key, what, suggest(key, known), join(known)));
            continue;
        }
        if (kind_ok(it->second, k))
            continue;
        // A named copy of the value: `it->` returns a proxy that dies at the end of the
        // full expression, and a range-for over its member would read a dead object.
        const YAML::Node value = it->second;
        wrong_kind(key, value, k, what);
    }
}

// A value of the wrong kind, pointing at the element that is wrong in a list (a
// "key: value" inside a hint, unquoted, is a mapping, not a string).
void Loader::wrong_kind(const std::string& key, const YAML::Node& value, Kind k, const std::string& what)
{
    YAML::Mark mark = value.Mark();
    std::string detail;
    if ((k == Kind::Strings || k == Kind::Ints) && value.IsSequence()) {
        size_t i = 0;
        for (const YAML::Node& x : value) {
            ++i;
            if (!x.IsScalar() || (k == Kind::Ints && !kind_ok(x, Kind::Int))) {
                mark = x.Mark();
                detail = fmt::format(" (item {} is {}{})", i,
                                     x.IsMap()        ? "a mapping"
                                     : x.IsSequence() ? "a list"
                                                      : "not a number",
                                     x.IsMap() ? ": quote it if it holds \": \"" : "");
                break;
            }
        }
    }
    error(mark, fmt::format("`{}` in {} must be {}{}", key, what, kind_name(k), detail));
}

std::string Loader::required_string(const YAML::Node& map, const char* key, const std::string& what)
{
    const YAML::Node n = map[key];
    if (!n) {
        error(map.Mark(), fmt::format("{} has no `{}`", what, key));
        return {};
    }
    return n.IsScalar() ? n.as<std::string>() : std::string();
}

void Loader::check_enum(const YAML::Node& n, const char* which, const std::string& key)
{
    const auto& values = enum_values().at(which);
    if (n && n.IsScalar() && std::find(values.begin(), values.end(), n.as<std::string>()) == values.end())
        error(n.Mark(),
              fmt::format("`{}` must be one of: {}{}", key, join(values), suggest(n.as<std::string>(), values)));
}

} // namespace mountlab::lesson::loading
