// bench_practice: how soon the practice's checklist follows what the learner typed.
// The agent in this process, an exercise (bind-mounts/leaky-volume) set up in a fresh
// lab, its terminal typed into; the time from the keystroke that ends a command line
// to the `practice` event that judged it: a command that changes nothing (`true`), and
// one that changes the tables (a mount). Reference: within 50 ms of a command's end;
// within one frame (16.7 ms) of a table change, here the judge's own share (the events'
// gap: command reported -> checklist out). Beside it the time `grade` takes for the same
// checks (Submit: a fresh sandbox, the script, the checks). Untraced, so the figures are
// the engine's alone. Then the same for a step tried by typing (`try`): the time from
// Enter to the `try` event that judged the step's checks, in the terminal's own shell and
// in a shell `unshare --mount` started (where each check that asks goes through
// Lab::in_process: a child of the lab host enters the shell's namespaces).
#include "engine/agent.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <poll.h>

using namespace mountlab;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double pct(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

struct Bench {
    engine::Agent& agent;
    std::vector<std::pair<Clock::time_point, Json>>& events;

    // Serves the terminals until an event of `kind` arrives after index `from` (or 10 s).
    const std::pair<Clock::time_point, Json>* until(const char* kind, size_t from)
    {
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (Clock::now() < deadline) {
            for (size_t i = from; i < events.size(); ++i)
                if (events[i].second.value("kind", "") == kind)
                    return &events[i];
            std::vector<pollfd> fds = agent.terminals().fds();
            (void)::poll(fds.data(), fds.size(), std::max(1, agent.terminals().poll_timeout_ms()));
            agent.terminals().service(fds);
            agent.after_round();
        }
        return nullptr;
    }
};

// Enter -> the `try` event, `true` typed on a step it does not do (private-tmpfs: its
// file check asks the container), in the terminal's shell and then in a nested one.
bool try_figures(Bench& b, int id, int runs)
{
    std::vector<double> own, nested;
    for (std::vector<double>* into : {&own, &nested}) {
        if (into == &nested) {
            (void)b.agent.terminals().input(id, "unshare --mount --propagation unchanged\r");
            const size_t from = b.events.size();
            b.until("step", from); // the view follows the new shell
        }
        b.agent.handle(R"({"cmd":"try","lesson":"mount-namespaces","index":3})", 4);
        for (int r = 0; r < runs; ++r) {
            const size_t from = b.events.size();
            const auto t0 = Clock::now();
            (void)b.agent.terminals().input(id, "true\r");
            const auto* t = b.until("command", from) ? b.until("try", from) : nullptr;
            if (!t)
                return false;
            into->push_back(ms(t->first - t0));
        }
    }
    fmt::print("try it yourself, {} commands each (reference: within 50 ms of a command's end)\n", runs);
    fmt::print("  Enter -> verdict, the terminal's shell: median {:6.1f} ms  p95 {:6.1f} ms\n", pct(own, 0.5),
               pct(own, 0.95));
    fmt::print("  Enter -> verdict, a nested namespace:   median {:6.1f} ms  p95 {:6.1f} ms\n", pct(nested, 0.5),
               pct(nested, 0.95));
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::atoi(argv[1]) : 30;
    auto lab = lab::Lab::start();
    if (!lab) {
        fmt::print("bench_practice: the lab cannot start: {}\n", lab.error().message);
        return 2;
    }
    std::vector<std::pair<Clock::time_point, Json>> events;
    engine::Agent agent(**lab, [&](const Json& e) { events.emplace_back(Clock::now(), e); });
    if (!agent.begin())
        return 2;
    Bench b{agent, events};
    agent.handle(R"({"cmd":"practice","lesson":"bind-mounts","exercise":"leaky-volume"})", 1);
    agent.handle(R"({"cmd":"terminal-open","where":"container"})", 2);
    const auto* opened = b.until("terminal", 0);
    if (!opened || !b.until("practice", 0))
        return 2;
    const int id = opened->second.value("id", 1);
    b.until("command", events.size()); // the first prompt (reports no command)
    std::vector<double> quiet, mounted, judge;
    for (int r = 0; r < runs; ++r) {
        for (bool mount : {false, true}) {
            const size_t from = events.size();
            const std::string line =
                mount ? fmt::format("mkdir -p /mnt/b{0} && mount -t tmpfs b /mnt/b{0}\r", r) : std::string("true\r");
            const auto t0 = Clock::now();
            (void)agent.terminals().input(id, line);
            const auto* cmd = b.until("command", from);
            const auto* p = cmd ? b.until("practice", from) : nullptr;
            if (!p)
                return 2;
            (mount ? mounted : quiet).push_back(ms(p->first - t0));
            judge.push_back(ms(p->first - cmd->first));
        }
    }
    const auto g0 = Clock::now();
    const size_t from = events.size();
    agent.handle(R"({"cmd":"practice-submit"})", 3);
    const auto* graded = b.until("practice-grade", from);
    const double grade_ms = ms(Clock::now() - g0);
    fmt::print("practice checklist, {} commands each (reference: within 50 ms of a command's end)\n", runs);
    fmt::print("  Enter -> checklist, `true`:          median {:6.1f} ms  p95 {:6.1f} ms\n", pct(quiet, 0.5),
               pct(quiet, 0.95));
    fmt::print("  Enter -> checklist, a mount:         median {:6.1f} ms  p95 {:6.1f} ms\n", pct(mounted, 0.5),
               pct(mounted, 0.95));
    fmt::print("  command reported -> checklist:       median {:6.1f} ms  p95 {:6.1f} ms  (reference: one frame, "
               "16.7 ms)\n",
               pct(judge, 0.5), pct(judge, 0.95));
    fmt::print("  grade of the same checks (Submit):   {:6.1f} ms{}\n", grade_ms, graded ? "" : " (it did not answer)");
    const bool tried = try_figures(b, id, runs);
    return graded && tried ? 0 : 1;
}
