// bench_mutants: the mutation score of every exercise (the figure tst_grade_mutants
// asserts), through the grader API with -j 2, untraced: for every reference solution
// (tests/data/submissions/<lesson>/<exercise>/good*.sh), the mutants of
// tests/common/mutants.h are graded; a mutant with full marks survives unless
// tests/data/mutants/equivalent.txt lists it. Prints killed/total per exercise, the
// survivors, and the time. Exit status 1 when a non-equivalent mutant survives.
#include "lesson/grader.h"
#include "lesson/runner.h"
#include "mutants.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace mountlab;
namespace fs = std::filesystem;

int main()
{
    const fs::path data = MOUNTLAB_TEST_DATA;
    std::map<std::string, std::string> equivalent;
    {
        std::ifstream in(data / "mutants/equivalent.txt");
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && line[0] != '#')
                equivalent[line.substr(0, line.find(' '))] = line.substr(line.find(' ') + 1);
    }
    char dir[] = "/tmp/mountlab-bench-mutants-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    int killed_all = 0, total_all = 0;
    std::vector<std::string> survivors;
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<fs::path> exercises;
    for (const auto& l : fs::directory_iterator(data / "submissions"))
        if (l.is_directory())
            for (const auto& e : fs::directory_iterator(l.path()))
                if (e.is_directory())
                    exercises.push_back(e.path());
    std::sort(exercises.begin(), exercises.end());
    for (const fs::path& ex_dir : exercises) {
        const std::string lesson_id = ex_dir.parent_path().filename().string(), ex_id = ex_dir.filename().string();
        lesson::Loaded loaded = lesson::load_lessons({lesson_id});
        const lesson::Exercise* ex = loaded.lessons.empty() ? nullptr : loaded.lessons[0].exercise(ex_id);
        if (!ex)
            continue;
        std::vector<std::string> files;
        std::map<std::string, std::string> origin;
        std::vector<fs::path> goods;
        for (const auto& f : fs::directory_iterator(ex_dir))
            if (f.path().filename().string().rfind("good", 0) == 0 && f.path().extension() == ".sh")
                goods.push_back(f.path());
        std::sort(goods.begin(), goods.end());
        for (const fs::path& g : goods) {
            std::ifstream in(g);
            std::stringstream ss;
            ss << in.rdbuf();
            int n = 0;
            for (const test::Mutant& m : test::mutants_of(ss.str())) {
                const std::string f = fmt::format("{}/{}-{}-{}-{}.sh", dir, lesson_id, ex_id, g.stem().string(), ++n);
                std::ofstream(f) << m.text;
                files.push_back(f);
                origin[f] = fmt::format("{}/{}/{}:{}", lesson_id, ex_id, g.filename().string(), m.id);
            }
        }
        lesson::GradeOptions opts;
        opts.jobs = 2;
        opts.trace = false;
        const lesson::GradeReport r = lesson::grade(loaded.lessons[0], *ex, files, opts);
        int killed = 0, counted = 0;
        std::vector<std::string> alive;
        for (const lesson::SubmissionResult& s : r.submissions) {
            const std::string id = origin[s.file];
            const bool full = s.status == "passed";
            if (full && equivalent.count(id))
                continue;
            ++counted;
            killed += !full;
            if (full)
                alive.push_back(s.file);
        }
        // As tst_grade_mutants: a survivor is graded twice more (a racy answer may win once).
        for (int round = 1; round <= 2 && !alive.empty(); ++round) {
            std::vector<std::string> still;
            for (const lesson::SubmissionResult& s : lesson::grade(loaded.lessons[0], *ex, alive, opts).submissions) {
                if (s.status == "passed")
                    still.push_back(s.file);
                else {
                    ++killed;
                    fmt::print("  caught on re-grade {} (a race it sometimes wins): {}\n", round, origin[s.file]);
                }
            }
            alive = still;
        }
        for (const std::string& f : alive)
            survivors.push_back(origin[f]);
        fmt::print("mutation score {}/{}: {}/{} killed\n", lesson_id, ex_id, killed, counted);
        killed_all += killed;
        total_all += counted;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print("mutation score, all exercises: {}/{} killed ({} equivalent mutants listed) in {:.1f} s (-j 2)\n",
               killed_all, total_all, equivalent.size(), s);
    for (const std::string& id : survivors)
        fmt::print("  survivor: {}\n", id);
    fs::remove_all(dir);
    return survivors.empty() ? 0 : 1;
}
