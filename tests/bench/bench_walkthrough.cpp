// bench_walkthrough: the full walkthrough from set-up to teardown, without tracing.
// Median wall time over several runs, and per-step medians.
#include "lesson/walkthrough.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <unistd.h>

using namespace mountlab;
using namespace mountlab::lab;
using Clock = std::chrono::steady_clock;

namespace {
double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
} // namespace

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::atoi(argv[1]) : 15;
    std::vector<double> total, setup, teardown;
    std::vector<std::string> names;
    std::map<size_t, std::vector<double>> per_step; // wall time incl. both views' snapshots
    std::map<size_t, std::vector<double>> per_op;   // the operation alone
    int failures = 0;
    const lesson::LoadedWalkthrough walkthrough = lesson::load_walkthrough();
    if (!walkthrough.ok()) {
        for (const lesson::Diagnostic& d : walkthrough.diagnostics)
            fmt::print("bench_walkthrough: {}\n", d.to_string());
        return 2;
    }
    const auto& steps = walkthrough.steps;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = Clock::now();
        auto lab = Lab::start();
        if (!lab) {
            fmt::print("bench_walkthrough: cannot start the lab: {}\n", lab.error().message);
            return 2;
        }
        const auto t1 = Clock::now();
        std::vector<double> op_us;
        StepRunner runner(**lab, [&](const Json& e) {
            if (e.value("kind", "") == "step" && e.value("phase", "") == "end")
                op_us.push_back(e.value("duration_us", 0) / 1000.0);
        });
        if (!runner.begin())
            return 2;
        for (size_t i = 0; i < steps.size(); ++i) {
            const auto s0 = Clock::now();
            runner.run(steps[i]);
            per_step[i].push_back(ms(Clock::now() - s0));
            if (r == 0)
                names.push_back(steps[i].stage + "/" + steps[i].id);
        }
        for (size_t i = 0; i < op_us.size(); ++i)
            per_op[i].push_back(op_us[i]);
        failures += runner.failed();
        const auto t2 = Clock::now();
        lab->reset();
        const auto t3 = Clock::now();
        total.push_back(ms(t3 - t0));
        setup.push_back(ms(t1 - t0));
        teardown.push_back(ms(t3 - t2));
    }
    fmt::print("bench_walkthrough: {} runs of the full walkthrough ({} steps), {}, no tracing{}\n", runs, steps.size(),
               geteuid() == 0 ? "root" : "rootless", failures ? fmt::format(" — {} FAILED STEPS", failures) : "");
    fmt::print("  {:<40} {:>10} {:>12}\n", "", "MountLab", "reference");
    fmt::print("  {:<40} {:>7.1f} ms {:>12}\n", "set-up to teardown (median)", median(total), "target < 150 ms");
    fmt::print("  {:<40} {:>7.1f} ms\n", "  lab host set-up", median(setup));
    fmt::print("  {:<40} {:>7.1f} ms\n", "  teardown", median(teardown));
    fmt::print("  per step (median): operation / with both snapshots and diffs\n");
    for (size_t i = 0; i < names.size(); ++i)
        fmt::print("    {:<38} {:>6.2f} / {:>6.2f} ms\n", names[i], median(per_op[i]), median(per_step[i]));
    return failures ? 1 : 0;
}
