// mountlab-cli lessons [--json] and mountlab-cli lint FILE...
#include "commands.h"

#include "base/textescape.h"
#include "lesson/runner.h"

namespace mountlab::cli {

namespace {

// A lesson file is text its author chose: escaped, so that it cannot drive the terminal.
std::string safe(const std::string& s) { return escape_text(s); }

std::string lesson_text(const lesson::Lesson& l)
{
    int points = 0;
    for (const auto& e : l.exercises)
        points += e.points;
    std::string out = fmt::format("\n{:<14} {}  ({} steps, {} exercise{}, {} points)\n", safe(l.id), safe(l.title),
                                  l.steps.size(), l.exercises.size(), l.exercises.size() == 1 ? "" : "s", points);
    if (!l.summary.empty())
        out += fmt::format("{:<14} {}\n", "", safe(l.summary));
    for (size_t i = 0; i < l.steps.size(); ++i)
        out += fmt::format("{:<14}   step {:>2} {:<18} {}\n", "", i + 1, safe(l.steps[i].id), safe(l.steps[i].title));
    for (const auto& e : l.exercises)
        out += fmt::format("{:<14}   exercise {:<14} {} ({} points)\n", "", safe(e.id), safe(e.title), e.points);
    return out;
}

void print_diagnostics(const std::vector<lesson::Diagnostic>& diagnostics)
{
    for (const lesson::Diagnostic& d : diagnostics)
        fmt::print(stderr, "{}\n", safe(d.to_string()));
}

} // namespace

Runner add_lessons(CLI::App& app)
{
    auto json = std::make_shared<bool>(false);
    app.add_flag("--json", *json, "JSON: every lesson with its steps and exercises (ids, titles, points)");
    return [json]() -> int {
        lesson::Loaded all = lesson::load_all_lessons();
        print_diagnostics(all.diagnostics);
        if (*json) {
            Json out = Json::array();
            for (const lesson::Lesson& l : all.lessons) {
                Json e = lesson::lesson_event(l);
                e.erase("kind");
                out.push_back(e);
            }
            fmt::print("{}\n", out.dump(2));
        } else {
            fmt::print("Lessons in {}:\n", escape_text(lesson::lessons_dir()));
            for (const lesson::Lesson& l : all.lessons)
                fmt::print("{}", defuse_workflow_commands(lesson_text(l)));
        }
        return all.diagnostics.empty() ? 0 : 1;
    };
}

Runner add_lint(CLI::App& app)
{
    auto files = std::make_shared<std::vector<std::string>>();
    app.add_option("FILE", *files, "Lesson files (YAML)")->required();
    app.footer("Checks lesson files and prints every problem at once as FILE:LINE:COLUMN: message\n"
               "(unknown keys, wrong types, unknown operations or checks, missing fields, duplicate ids).\n"
               "Exit status: 0 when all are valid, 1 otherwise.");
    return [files]() -> int {
        int problems = 0;
        for (const std::string& f : *files) {
            lesson::LoadResult r = lesson::load_lesson_file(f);
            print_diagnostics(r.diagnostics);
            problems += static_cast<int>(r.diagnostics.size());
            if (r.ok())
                fmt::print("{}: ok ({} steps, {} exercises)\n", safe(f), r.lesson.steps.size(),
                           r.lesson.exercises.size());
        }
        if (problems)
            fmt::print(stderr, "{} problem{}\n", problems, problems == 1 ? "" : "s");
        return problems ? 1 : 0;
    };
}

} // namespace mountlab::cli
