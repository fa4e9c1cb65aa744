// bench_tree: read + parse + tree + JSON of a 10,000-mount table, next to findmnt -J
// on the same table, in this process and as whole processes (`mountlab-cli tree
// --file F --json` beside `findmnt -F F -J`, start-up and writing included). The
// table is built in a private mount namespace (root needed); nothing reaches this
// machine's own mount table. A benchmark reports; it never fails on a figure.
#include "mount/mountjson.h"
#include "mount/mounttree.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sched.h>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace mountlab;
using Clock = std::chrono::steady_clock;

namespace {
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Wall time of one whole process, its output discarded; -1 if it failed.
double process_ms(const std::vector<std::string>& argv)
{
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const auto t0 = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execvp(args[0], args.data());
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    const double ms = ms_since(t0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? ms : -1;
}

// `mountlab-cli tree --file F --json` and `findmnt -F F -J`, alternated so that both
// see the same load; medians.
struct ProcessFigures {
    double ours = 0, findmnt = 0;
    bool ok = true;
};
ProcessFigures time_processes(const std::string& file, int runs)
{
    std::vector<double> ours, theirs;
    ProcessFigures f;
    for (int run = 0; run < runs; ++run) {
        ours.push_back(process_ms({MOUNTLAB_CLI, "tree", "--file", file, "--json"}));
        theirs.push_back(process_ms({"findmnt", "-F", file, "-J"}));
        f.ok = f.ok && ours.back() >= 0 && theirs.back() >= 0;
    }
    f.ours = median(ours);
    f.findmnt = median(theirs);
    return f;
}
} // namespace

int main(int argc, char** argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
    if (geteuid() != 0) {
        fmt::print("bench_tree: skipped: needs root to build a {}-mount table in a private mount namespace\n", n);
        return 0;
    }
    // This process gets its own mount namespace: every mount below dies with it.
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        perror("bench_tree: private mount namespace");
        return 2;
    }
    char dir[] = "/tmp/mountlab-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    const std::string base = dir;
    if (mount("bench", dir, "tmpfs", 0, nullptr) != 0) {
        perror("mount tmpfs");
        return 2;
    }
    const auto t_setup = Clock::now();
    for (int i = 0; i < n; ++i) {
        const std::string p = fmt::format("{}/m{}", base, i);
        mkdir(p.c_str(), 0755);
        if (mount("b", p.c_str(), "tmpfs", 0, i % 3 == 0 ? "size=1m" : nullptr) != 0) {
            perror("mount");
            return 2;
        }
        if (i % 5 == 0)
            mount(nullptr, p.c_str(), nullptr, MS_SHARED, nullptr);
    }
    const double setup_ms = ms_since(t_setup);

    // MountLab: read + parse + tree + JSON, median of several runs.
    std::vector<double> total, read, parse, tree, json;
    size_t mounts = 0, bytes = 0;
    for (int run = 0; run < 7; ++run) {
        auto t0 = Clock::now();
        auto text = read_whole_file("/proc/self/mountinfo");
        if (!text) {
            fmt::print(stderr, "{}\n", text.error().message);
            return 2;
        }
        const double t_read = ms_since(t0);
        auto t1 = Clock::now();
        MountTable table = parse_mountinfo(*text, "/proc/self/mountinfo");
        const double t_parse = ms_since(t1);
        auto t2 = Clock::now();
        MountTree t(std::move(table.mounts));
        const double t_tree = ms_since(t2);
        auto t3 = Clock::now();
        std::string out = mounts_to_json(t, false);
        const double t_json = ms_since(t3);
        total.push_back(ms_since(t0));
        read.push_back(t_read);
        parse.push_back(t_parse);
        tree.push_back(t_tree);
        json.push_back(t_json);
        mounts = t.size();
        bytes = out.size();
    }

    // findmnt -J on the same table (it inherits this namespace), output discarded.
    std::vector<double> fm;
    for (int run = 0; run < 3; ++run) {
        auto t0 = Clock::now();
        const pid_t pid = fork();
        if (pid == 0) {
            freopen("/dev/null", "w", stdout);
            execlp("findmnt", "findmnt", "-J", nullptr);
            _exit(127);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        fm.push_back(ms_since(t0));
    }

    // The same table as a file, for whole processes of both tools.
    const std::string file = base + "/table.mountinfo";
    {
        auto text = read_whole_file("/proc/self/mountinfo");
        FILE* f = text ? fopen(file.c_str(), "w") : nullptr;
        if (!f || fwrite(text->data(), 1, text->size(), f) != text->size() || fclose(f) != 0) {
            perror("bench_tree: save the table");
            return 2;
        }
    }
    const ProcessFigures proc = time_processes(file, 5);

    const double ours = median(total), theirs = median(fm);
    fmt::print("bench_tree: {} mounts in a private namespace (set up in {:.0f} ms), JSON {} KiB\n", mounts, setup_ms,
               bytes / 1024);
    fmt::print("  {:<38} {:>10} {:>12}\n", "", "MountLab", "reference");
    fmt::print("  {:<38} {:>8.1f} ms {:>9.1f} ms  (findmnt -J)\n", "read+parse+tree+JSON (median of 7)", ours, theirs);
    fmt::print("  {:<38} {:>8.1f} ms {:>12}\n", "  read /proc/self/mountinfo", median(read), "~10 ms");
    fmt::print("  {:<38} {:>8.1f} ms {:>12}\n", "  parse (libmount + checks)", median(parse), "libmount ~8 ms");
    fmt::print("  {:<38} {:>8.1f} ms\n", "  tree", median(tree));
    fmt::print("  {:<38} {:>8.1f} ms\n", "  JSON", median(json));
    fmt::print("  {:<38} {:>8.1f} x  {:>11}\n", "speed-up over findmnt -J", theirs / ours, "target >= 25x");
    fmt::print("  {:<38} {:>8.1f} ms {:>9.1f} ms  (findmnt -F F -J){}\n", "whole process: tree --file F --json",
               proc.ours, proc.findmnt, proc.ok ? "" : "  (a run FAILED)");
    fmt::print("  {:<38} {:>8.1f} x  {:>11}\n", "speed-up, whole process (median of 5)", proc.findmnt / proc.ours,
               "target >= 25x");
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) == 3)
        fmt::print("  load average {:.2f} {:.2f} {:.2f} on {} cores\n", load[0], load[1], load[2],
                   sysconf(_SC_NPROCESSORS_ONLN));
    umount2(dir, MNT_DETACH);
    rmdir(dir);
    return 0;
}
