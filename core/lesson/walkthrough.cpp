#include "lesson/walkthrough.h"

namespace mountlab::lesson {

LoadedWalkthrough load_walkthrough()
{
    LoadedWalkthrough out;
    Loaded l = load_lessons({kWalkthroughId});
    out.diagnostics = std::move(l.diagnostics);
    if (!out.diagnostics.empty() || l.lessons.empty())
        return out;
    out.lesson = std::move(l.lessons.front());
    if (out.lesson.stages.empty())
        out.diagnostics.push_back({Place{out.lesson.file, 1, 1}, "the walkthrough has no `stages`"});
    out.steps = walkthrough_steps(out.lesson);
    return out;
}

std::vector<lab::StepSpec> walkthrough_steps(const Lesson& l)
{
    std::vector<lab::StepSpec> steps;
    for (size_t i = 0; i < l.steps.size(); ++i) {
        lab::StepSpec spec = to_step_spec(l.steps[i], l.id, static_cast<int>(i));
        if (!l.steps[i].stage.empty())
            spec.stage = l.steps[i].stage;
        steps.push_back(std::move(spec));
    }
    return steps;
}

Json walkthrough_event(const Lesson& l)
{
    std::vector<stream::WalkthroughStep> steps;
    for (size_t i = 0; i < l.steps.size(); ++i) {
        const LessonStep& s = l.steps[i];
        steps.push_back({i, s.stage, s.id, s.title, s.shell, s.syscall, s.text, s.where, prediction_json(s.predict)});
    }
    std::vector<stream::WalkthroughStage> stages;
    for (const Stage& s : l.stages)
        stages.push_back({s.id, s.title});
    return stream::walkthrough(stages, steps);
}

} // namespace mountlab::lesson
