#include "lesson/runner.h"

#include "lesson/checks.h"
#include "lesson/walkthrough.h"

#include <filesystem>

namespace mountlab::lesson {

Json prediction_json(const std::optional<Prediction>& p)
{
    if (!p)
        return nullptr;
    return Json{{"question", p->question}, {"choices", p->choices}, {"answer", p->answer}, {"why", p->why}};
}

lab::StepSpec to_step_spec(const LessonStep& step, const std::string& lesson_id, int index)
{
    lab::StepSpec spec;
    spec.stage = lesson_id;
    spec.lesson = lesson_id;
    spec.index = index;
    spec.id = step.id;
    spec.title = step.title;
    spec.shell = step.shell;
    spec.syscall = step.syscall;
    spec.explain = step.text;
    spec.where = step.where;
    spec.expect_ok = step.expect_ok;
    spec.predict = prediction_json(step.predict);
    spec.op = Json::array();
    for (const Json& op : step.ops)
        spec.op.push_back(op);
    for (const CheckSpec& c : step.expect)
        spec.checks.push_back(to_check(c));
    return spec;
}

Json lesson_event(const Lesson& l)
{
    stream::LessonInfo info{l.id, l.title, l.summary, l.file, l.prerequisites, {}, {}};
    for (const LessonStep& s : l.steps)
        info.steps.push_back({s.id, s.title, s.shell, s.syscall, s.text, s.where, prediction_json(s.predict)});
    for (const Exercise& e : l.exercises)
        info.exercises.push_back({e.id, e.title, e.points, e.task, e.hints});
    return stream::lesson(info);
}

Result<RunSummary> run_lessons(const std::vector<Lesson>& lessons, const lab::LabOptions& options,
                               const stream::Sink& sink, lab::CallFeed* tracer, const std::string& trace_unavailable)
{
    RunSummary total;
    for (const Lesson& l : lessons) {
        auto lab = lab::Lab::start(options);
        if (!lab)
            return lab.error();
        sink(lesson_event(l));
        lab::StepRunner runner(**lab, sink);
        runner.set_tracer(tracer, trace_unavailable);
        if (Status s = runner.begin(); !s)
            return s.error();
        for (size_t i = 0; i < l.steps.size(); ++i)
            runner.run(to_step_spec(l.steps[i], l.id, static_cast<int>(i)));
        total.steps += runner.steps();
        total.failed += runner.failed();
    }
    return total;
}

namespace {
void add_loaded(Loaded& out, const std::string& path)
{
    LoadResult r = load_lesson_file(path);
    if (r.ok())
        out.lessons.push_back(std::move(r.lesson));
    for (Diagnostic& d : r.diagnostics)
        out.diagnostics.push_back(std::move(d));
}
} // namespace

Loaded load_lessons(const std::vector<std::string>& names)
{
    Loaded out;
    const std::vector<std::string> files = lesson_files();
    for (const std::string& n : names) {
        if (std::filesystem::exists(n)) {
            add_loaded(out, n);
            continue;
        }
        bool found = false;
        for (const std::string& f : files) {
            LoadResult r = load_lesson_file(f);
            if (r.lesson.id == n) {
                add_loaded(out, f);
                found = true;
                break;
            }
        }
        if (!found) {
            std::string known;
            for (const std::string& f : files)
                known += (known.empty() ? "" : ", ") + load_lesson_file(f).lesson.id;
            out.diagnostics.push_back(
                {Place{n, 0, 0}, fmt::format("no lesson `{}` in {} (lessons: {})", n, lessons_dir(), known)});
        }
    }
    return out;
}

Loaded load_all_lessons()
{
    Loaded out;
    for (const std::string& f : lesson_files())
        add_loaded(out, f);
    // The walkthrough is a lesson file too, but not one of the catalogue's lessons.
    std::erase_if(out.lessons, [](const Lesson& l) { return l.id == kWalkthroughId; });
    return out;
}

} // namespace mountlab::lesson
