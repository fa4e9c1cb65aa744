// bench_hostile: the CLI on inputs built to be expensive (security review L12, L14 and
// the lint figures): a mount chain N deep (tree, tree --json), N flat mounts, a lesson
// of N steps (lint), each at two sizes. Printed: wall time and peak RSS of the real
// mountlab-cli, and how they grow from N to 4N (linear: about 4x; quadratic: 16x).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct Cost {
    double ms = 0;
    long rss_kb = 0;
    int status = -1;
    long out_bytes = 0;
};

// Runs the CLI with stdin from `in` and stdout counted, not kept.
Cost run(const std::vector<std::string>& args, const std::string& in)
{
    int out[2];
    if (pipe(out) != 0)
        return {};
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = open(in.c_str(), O_RDONLY);
        dup2(fd, 0);
        dup2(out[1], 1);
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        close(out[0]);
        std::vector<char*> argv{const_cast<char*>(MOUNTLAB_CLI)};
        for (const std::string& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(MOUNTLAB_CLI, argv.data());
        _exit(127);
    }
    close(out[1]);
    Cost c;
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(out[0], buf, sizeof buf)) > 0)
        c.out_bytes += n;
    close(out[0]);
    rusage ru{};
    wait4(pid, &c.status, 0, &ru);
    c.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    c.rss_kb = ru.ru_maxrss;
    return c;
}

std::string write_file(const std::string& name, const std::string& text)
{
    const std::string path = std::string(P_tmpdir) + "/mountlab-bench-hostile-" + std::to_string(getpid()) + "-" + name;
    FILE* f = std::fopen(path.c_str(), "w");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    return path;
}

std::string chain(int n)
{
    std::string s = "1 0 0:1 / / rw - tmpfs t rw\n";
    for (int i = 0; i < n; ++i)
        s += fmt::format("{} {} 0:1 / /x rw - tmpfs t rw\n", i + 2, i + 1);
    return s;
}

std::string flat(int n)
{
    std::string s = "1 0 0:1 / / rw - tmpfs t rw\n";
    for (int i = 0; i < n; ++i)
        s += fmt::format("{} 1 0:{} / /m/{} rw shared:{} - tmpfs t{} rw,size=1m\n", i + 2, i + 2, i, i + 1, i);
    return s;
}

std::string lesson(int steps)
{
    std::string s = "id: big\ntitle: Big\nsummary: A lesson of many steps.\nsteps:\n";
    for (int i = 0; i < steps; ++i)
        s += fmt::format(
            "  - id: s{}\n    title: Step {}\n    text: Text {}.\n    do:\n      - op: mkdir\n        path: /tmp/d{}\n",
            i, i, i, i);
    return s;
}

void measure(const char* what, const std::vector<std::string>& args, bool file_arg, std::string (*make)(int), int n,
             const char* target)
{
    const std::string small = write_file(std::string(what) + "-1", make(n));
    const std::string big = write_file(std::string(what) + "-4", make(4 * n));
    auto with = [&](const std::string& f) {
        std::vector<std::string> a = args;
        if (file_arg)
            a.push_back(f);
        return a;
    };
    const Cost a = run(with(small), small);
    const Cost b = run(with(big), big);
    fmt::print("  {:<28} N={:<6} {:8.1f} ms {:7.1f} MB | 4N: {:8.1f} ms {:7.1f} MB ({:.1f}x time, {:.1f}x out) {}\n",
               what, n, a.ms, a.rss_kb / 1024.0, b.ms, b.rss_kb / 1024.0, b.ms / std::max(a.ms, 0.01),
               double(b.out_bytes) / std::max<long>(a.out_bytes, 1), target);
    std::remove(small.c_str());
    std::remove(big.c_str());
}

} // namespace

int main()
{
    fmt::print("bench_hostile: mountlab-cli on hostile sizes (linear: ~4x from N to 4N)\n");
    fmt::print(
        "                                                 MountLab                                           target\n");
    measure("tree, chain N deep", {"tree", "--file", "-"}, false, chain, 5000, "linear; was 800 MB out at 20,000");
    measure("tree --json, chain N deep", {"tree", "--json", "--file", "-"}, false, chain, 5000,
            "linear; was 1.5 GB at 5,000");
    measure("tree, N flat mounts", {"tree", "--file", "-"}, false, flat, 25000, "linear");
    measure("lint, a lesson of N steps", {"lint"}, true, lesson, 5000, "linear; was 8.5 s, 646 MB at 100,000");
    return 0;
}
