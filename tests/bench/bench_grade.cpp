// bench_grade: grading throughput for 100 submissions with -j 2, each in its own fresh
// sandbox (a lab of its own), traced when eBPF is available.
#include "lesson/grader.h"
#include "lesson/runner.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace mountlab;

int main(int argc, char** argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 100;
    const int jobs = argc > 2 ? std::atoi(argv[2]) : 2;
    lesson::Loaded loaded = lesson::load_lessons({"propagation"});
    if (loaded.lessons.empty()) {
        for (const auto& d : loaded.diagnostics)
            fmt::print(stderr, "{}\n", d.to_string());
        return 2;
    }
    const lesson::Exercise* ex = loaded.lessons[0].exercise("private-tmpfs");
    if (!ex)
        return 2;
    char dir[] = "/tmp/mountlab-bench-grade-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    std::vector<std::string> files;
    for (int i = 0; i < n; ++i) {
        const std::string f = fmt::format("{}/student{:03}.sh", dir, i);
        std::ofstream(f) << (i % 4 == 3
                                 ? "mkdir -p /mnt/data\nmount -t tmpfs data /mnt/data\n"
                                 : "mount --make-rprivate /\nmkdir -p /mnt/data\nmount -t tmpfs data /mnt/data\n");
        files.push_back(f);
    }
    lesson::GradeOptions opts;
    opts.jobs = jobs;
    const auto t0 = std::chrono::steady_clock::now();
    lesson::GradeReport r = lesson::grade(loaded.lessons[0], *ex, files, opts);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::filesystem::remove_all(dir);
    int passed = 0, failed = 0, other = 0;
    std::vector<double> each;
    for (const auto& sub : r.submissions) {
        passed += sub.status == "passed";
        failed += sub.status == "failed";
        other += sub.status != "passed" && sub.status != "failed";
        each.push_back(sub.seconds);
    }
    std::sort(each.begin(), each.end());
    const std::string trace = r.submissions.empty() ? "-" : r.submissions[0].trace;
    fmt::print("bench_grade: {} submissions, -j {}, {}, trace: {}\n", n, jobs, geteuid() == 0 ? "root" : "rootless",
               trace);
    fmt::print("  {:<36} {:>10} {:>14}\n", "", "MountLab", "reference");
    fmt::print("  {:<36} {:>7.1f} /s {:>14}\n", "throughput", n / s, "target >= 20/s");
    fmt::print("  {:<36} {:>8.2f} s\n", "wall time", s);
    fmt::print("  {:<36} {:>7.1f} ms\n", "one submission (median, in its worker)",
               each.empty() ? 0 : each[each.size() / 2] * 1000);
    fmt::print("  {:<36} {} passed, {} failed (expected {} and {}), {} other\n", "results", passed, failed, n - n / 4,
               n / 4, other);
    return passed == n - n / 4 && failed == n / 4 ? 0 : 1;
}
