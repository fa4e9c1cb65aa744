// An exercise's checks on a state, each worth its points: what grade does once a script
// ended (sandboxrun.cpp), and a practice after each command the learner typed
// (practice.cpp). One scoring, so the two cannot disagree.
#include "lesson/checks.h"
#include "lesson/grader.h"

#include <map>

namespace mountlab::lesson {

namespace {
// The checks a check with `requires:` waits for that do not hold ("" when all do).
std::string blocking(const CheckSpec& c, const std::map<std::string, const CheckResult*>& by_id)
{
    std::string blocked;
    for (const std::string& need : c.needs)
        if (auto it = by_id.find(need); it == by_id.end() || !(it->second->passed || it->second->deferred))
            blocked += (blocked.empty() ? "" : "; ") + (it == by_id.end() ? need : it->second->name);
    return blocked;
}
} // namespace

bool judge_checks(const Exercise& ex, const lab::StepContext& ctx, SubmissionResult& r,
                  bool (*deferred)(const CheckSpec&))
{
    bool all = true;
    std::map<std::string, const CheckResult*> by_id; // results of checks with an id
    std::vector<CheckResult> results;
    results.reserve(ex.checks.size()); // by_id points into it
    for (const CheckSpec& c : ex.checks) {
        CheckResult cr;
        cr.name = describe(c);
        cr.max = c.points;
        // A guarded check (a check of absence, mostly) is judged only once the checks
        // that show the work was done passed: nothing done earns nothing.
        const std::string blocked = blocking(c, by_id);
        if (deferred && deferred(c)) {
            cr.deferred = true;
            cr.message = "judged when you submit: it is about the script's own output or exit status";
        } else if (!blocked.empty()) {
            cr.message = "not judged: it counts only once this holds: " + blocked;
            cr.feedback = "This check counts only when the work it is about was done, and it was not (see the check"
                          " it depends on: " +
                          blocked + "). " + c.feedback;
        } else {
            cr.message = evaluate(c, ctx);
            if (!cr.message.empty())
                cr.feedback = c.feedback;
        }
        cr.passed = cr.message.empty();
        cr.points = cr.passed ? c.points : 0;
        r.score += cr.points;
        all = all && cr.passed;
        results.push_back(std::move(cr));
        if (!c.id.empty())
            by_id[c.id] = &results.back();
    }
    for (CheckResult& cr : results)
        r.checks.push_back(std::move(cr));
    return all;
}

} // namespace mountlab::lesson
