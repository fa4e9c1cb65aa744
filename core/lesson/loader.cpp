#include "lesson/loader.h"

#include "base/error.h"
#include "lesson/loader_impl.h"
#include "mount/mountinfo.h" // read_whole_file

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fmt/format.h>
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

namespace loading {

LoadResult Loader::load(const std::string& text)
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
    load_steps(root, l);
    load_exercises(root, l);
    out.diagnostics = std::move(diags_);
    std::sort(out.diagnostics.begin(), out.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.place.line, a.place.column) < std::tie(b.place.line, b.place.column);
    });
    return out;
}

// `root` is not const: a missing key's node then has a (null) mark, where a const
// lookup's would throw when asked for one.
void Loader::load_steps(YAML::Node& root, Lesson& l)
{
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
}

void Loader::load_exercises(YAML::Node& root, Lesson& l)
{
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
}

// stages: [{id, title}, ...]: the lesson's steps in named groups (the walkthrough's).
void Loader::load_stages(const YAML::Node& n, Lesson& l)
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
void Loader::check_stage(const YAML::Node& s, const LessonStep& step, const Lesson& l)
{
    if (!s.IsMap())
        return; // load_step said what is wrong with it; a scalar has no `stage` to read
    if (l.stages.empty()) {
        if (s["stage"])
            error(s["stage"].Mark(), "`stage` names one of the lesson's `stages`, and this lesson has none");
        return;
    }
    if (!s["stage"]) {
        error(s.Mark(),
              fmt::format("step `{}` has no `stage` (the lesson has `stages`, so every step names one)", step.id));
        return;
    }
    std::vector<std::string> ids;
    for (const Stage& st : l.stages)
        ids.push_back(st.id);
    const auto at = std::find(ids.begin(), ids.end(), step.stage);
    if (at == ids.end()) {
        error(s["stage"].Mark(),
              fmt::format("no stage `{}`{}; stages: {}", step.stage, suggest(step.stage, ids), join(ids)));
        return;
    }
    const int index = static_cast<int>(at - ids.begin());
    if (index < last_stage_)
        error(s["stage"].Mark(),
              fmt::format("step `{}` is in stage `{}`, which comes before `{}`: a stage's steps go together, "
                          "in the order of `stages`",
                          step.id, step.stage, ids[static_cast<size_t>(last_stage_)]));
    else
        last_stage_ = index;
}

LessonStep Loader::load_step(const YAML::Node& s)
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
Prediction Loader::load_prediction(const YAML::Node& p)
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
        error(p["answer"].Mark(),
              fmt::format("the answer `{}` is not one of the choices{}", answer, suggest(answer, out.choices)));
    return out;
}

} // namespace loading

LoadResult load_lesson_text(const std::string& text, const std::string& file)
{
    return loading::Loader(file).load(text);
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
    static const std::vector<std::string> names = loading::keys_of(loading::operation_schemas());
    return names;
}

const std::vector<std::string>& check_names()
{
    static const std::vector<std::string> names = loading::keys_of(loading::check_schemas());
    return names;
}

KeySets lesson_keys()
{
    using namespace loading;
    return {keys_of(kLessonKeys),  keys_of(kStageKeys),    keys_of(kStepKeys),
            keys_of(kPredictKeys), keys_of(kExerciseKeys), keys_of(kCheckCommon)};
}

std::vector<std::string> operation_parameters(const std::string& op)
{
    const auto& schemas = loading::operation_schemas();
    auto it = schemas.find(op);
    return it == schemas.end() ? std::vector<std::string>() : loading::keys_of(it->second);
}

std::vector<std::string> check_parameters(const std::string& check)
{
    const auto& schemas = loading::check_schemas();
    auto it = schemas.find(check);
    return it == schemas.end() ? std::vector<std::string>() : loading::keys_of(it->second);
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
