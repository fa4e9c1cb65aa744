// For the loader's files: the Loader that reads one lesson file and collects every
// problem in it, and what its parts share. loader.cpp: the file, the lesson, its stages,
// steps and predictions; loader_values.cpp: keys, kinds, enums and suggestions;
// loader_exercises.cpp: exercises and their operations (setup, after, a step's do);
// loader_checks.cpp: checks and the rules they must meet.
#pragma once

#include "lab/registry.h"
#include "lesson/loader.h"

#include <map>
#include <set>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace mountlab::lesson::loading {

using Kind = lab::ParamKind;
using Schema = std::map<std::string, Kind>;

[[nodiscard]] const char* kind_name(Kind k);
// What a lesson's `do:` may write, and what a check may be given, from the registries.
[[nodiscard]] const std::map<std::string, Schema>& operation_schemas();
[[nodiscard]] const std::map<std::string, Schema>& check_schemas();
// Allowed values of some parameters.
[[nodiscard]] const std::map<std::string, std::vector<std::string>>& enum_values();

inline const Schema kLessonKeys = {
    {"id", Kind::String}, {"title", Kind::String},  {"summary", Kind::String}, {"prerequisites", Kind::Strings},
    {"steps", Kind::Any}, {"exercises", Kind::Any}, {"stages", Kind::Any}};
inline const Schema kStageKeys = {{"id", Kind::String}, {"title", Kind::String}};
inline const Schema kStepKeys = {{"id", Kind::String},    {"title", Kind::String},   {"text", Kind::String},
                                 {"shell", Kind::String}, {"syscall", Kind::String}, {"where", Kind::String},
                                 {"do", Kind::Any},       {"expect", Kind::Any},     {"expect_failure", Kind::Bool},
                                 {"predict", Kind::Map},  {"stage", Kind::String}};
inline const Schema kPredictKeys = {
    {"question", Kind::String}, {"choices", Kind::Strings}, {"answer", Kind::String}, {"why", Kind::String}};
inline const Schema kExerciseKeys = {{"id", Kind::String},      {"title", Kind::String},  {"task", Kind::String},
                                     {"points", Kind::Int},     {"hints", Kind::Strings}, {"time_limit", Kind::Any},
                                     {"setup", Kind::Any},      {"after", Kind::Any},     {"checks", Kind::Any},
                                     {"solution", Kind::String}};
inline const Schema kCheckCommon = {{"check", Kind::String},    {"name", Kind::String}, {"points", Kind::Int},
                                    {"feedback", Kind::String}, {"id", Kind::String},   {"requires", Kind::Strings}};

// " (did you mean `x`?)" for the known word nearest `word`, when one is near; else "".
[[nodiscard]] std::string suggest(const std::string& word, const std::vector<std::string>& known);
[[nodiscard]] std::string join(const std::vector<std::string>& v);

template <typename M> std::vector<std::string> keys_of(const M& m)
{
    std::vector<std::string> k;
    for (const auto& [name, _] : m)
        k.push_back(name);
    return k;
}

// Whether a value is of a kind; reading one without throwing.
[[nodiscard]] bool kind_ok(const YAML::Node& n, Kind k);
[[nodiscard]] std::string optional_string(const YAML::Node& map, const char* key);
[[nodiscard]] std::vector<std::string> strings(const YAML::Node& n);
// YAML scalar to JSON with the type the schema asks for.
[[nodiscard]] Json to_json(const YAML::Node& n, Kind k);

class Loader {
public:
    explicit Loader(std::string file) : file_(std::move(file)) {}

    LoadResult load(const std::string& text);

private:
    Place place(const YAML::Mark& m) const
    {
        // yaml-cpp counts from 0; a missing mark (-1) becomes 1:1.
        return Place{file_, m.line >= 0 ? m.line + 1 : 1, m.column >= 0 ? m.column + 1 : 1};
    }
    void error(const YAML::Mark& m, std::string message) { diags_.push_back({place(m), std::move(message)}); }

    // loader.cpp: the lesson, its stages, steps and predictions.
    void load_steps(YAML::Node& root, Lesson& l);
    void load_exercises(YAML::Node& root, Lesson& l);
    void load_stages(const YAML::Node& n, Lesson& l);
    void check_stage(const YAML::Node& s, const LessonStep& step, const Lesson& l);
    LessonStep load_step(const YAML::Node& s);
    Prediction load_prediction(const YAML::Node& p);

    // loader_values.cpp: what any mapping or value must be.
    void id_format(const YAML::Node& n, const std::string& id);
    void check_keys(const YAML::Node& map, const Schema& schema, const std::string& what, const Schema& extra);
    void wrong_kind(const std::string& key, const YAML::Node& value, Kind k, const std::string& what);
    std::string required_string(const YAML::Node& map, const char* key, const std::string& what);
    void check_enum(const YAML::Node& n, const char* which, const std::string& key);

    // loader_exercises.cpp: exercises and lists of operations.
    Exercise load_exercise(const YAML::Node& e);
    void read_time_limit(const YAML::Node& t, Exercise& ex);
    void refuse_after_ops_that_undo_the_script(const YAML::Node& e, const Exercise& ex);
    void refuse_host_unchanged_after_host_ops(const YAML::Node& e, const Exercise& ex);
    void add_up_points(const YAML::Node& e, Exercise& ex);
    std::vector<Json> load_ops(const YAML::Node& list, const char* key, bool where_key = false);

    // loader_checks.cpp: checks and their rules.
    std::vector<CheckSpec> load_checks(const YAML::Node& list, const char* key, bool graded);
    const Schema* known_check(const YAML::Node& c);
    CheckSpec read_check(const YAML::Node& c, const std::string& type, const Schema& schema, bool graded);
    void read_check_id(const YAML::Node& c, CheckSpec& spec, bool graded, std::set<std::string>& earlier_ids);
    void read_requires(const YAML::Node& c, CheckSpec& spec, bool graded, const std::set<std::string>& earlier_ids);
    void refuse_step_checks_in_an_exercise(const YAML::Node& c, const std::string& type);
    void refuse_unguarded_checks_of_absence(const YAML::Node& c, const std::string& type);
    void check_listed_values(const YAML::Node& c, const std::string& type);
    void check_container_ns(const YAML::Node& c, const std::string& type);
    void check_output_judges_something(const YAML::Node& c, const std::string& type);
    void check_errno_name(const YAML::Node& c, const std::string& type);
    void check_enum_params(const YAML::Node& c, const std::string& type);
    void check_required_params(const YAML::Node& c, const std::string& type);

    std::string file_;
    std::vector<Diagnostic> diags_;
    int last_stage_ = 0; // the stage of the last step read (check_stage)
};

} // namespace mountlab::lesson::loading
