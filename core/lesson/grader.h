// Grading student scripts. Each script runs in a fresh lab of its own, in grading
// mode: a user namespace (root inside maps to an unprivileged ID outside, distinct per
// worker, so RLIMIT_NPROC counts per sandbox), no network, a size-limited tmpfs, a
// process-count, memory, CPU and file-size limit, a wall-time limit that ends the
// script's whole PID namespace; traced when eBPF is available. Then the exercise's
// checks, each worth its points.
//
// Memory, tmpfs included (a script may mount a tmpfs of its own, whose pages escape
// rlimits): each sandbox is in a memory cgroup of its own, under the grader's cgroup,
// limited to memory_mb + the scratch tmpfs + a margin for the lab itself (lab/cgroup.h).
// Where no usable cgroup exists, the report says so and a machine-wide watchdog on
// /proc/meminfo ends a sandbox when Shmem grows past that budget times the workers
// (lab/shmemwatchdog.h). Either way a script past the bound is the script's failure.
#pragma once

#include "lesson/lesson.h"

#include <string>
#include <vector>

namespace mountlab::lab {
struct StepContext;
}

namespace mountlab::lesson {

struct GradeOptions {
    int jobs = 1;        // submissions graded at once (each in its own worker process)
    int shard_index = 0; // this machine's share of the class: submissions i with
    int shard_count = 1; // i % shard_count == shard_index (in sorted order)
    long nproc = 64;
    long memory_mb = 256;
    long file_mb = 16;
    std::string scratch_size = "32m";
    bool trace = true; // when eBPF is available
    // Bound each sandbox's memory with a cgroup where one is usable; false: with the
    // watchdog only (mountlab-cli grade --no-cgroup, MOUNTLAB_GRADE_NO_CGROUP=1).
    bool memory_cgroup = true;
};

// What a sandbox may use beyond memory_mb and its scratch tmpfs: the lab host, the
// container, their pipes and page tables, the lab's root (measured; sandboxrun.cpp).
inline constexpr long kLabMemoryMarginMb = 64;
// The whole sandbox's memory bound (cgroup limit, watchdog budget per worker), in MiB.
[[nodiscard]] long sandbox_memory_limit_mb(const GradeOptions& options);

struct CheckResult {
    std::string name;
    int points = 0; // earned
    int max = 0;
    bool passed = false;
    std::string message;  // what was found
    std::string feedback; // the teacher's advice, when failed
    // Not judged here, but later (a practice's checks of the script's output, judged at
    // Submit); a check that requires it is judged as if it held.
    bool deferred = false;
};

struct SubmissionResult {
    std::string file;
    std::string name;   // the file's name without directories
    std::string status; // passed, failed, timeout, error
    int score = 0;
    int max = 0;
    double seconds = 0;
    int exit_code = -1;
    std::string output;         // stdout and stderr, cut to a few KiB
    std::string error;          // why the grader could not grade it (status error), why it
                                // was not run (status failed: a binary, an interpreter the lab
                                // lacks, too big), or why it was stopped (timeout, memory)
    std::string note;           // what the grader noticed in the file or did to it, graded or
                                // not ("the script is empty", CRLF line endings removed, ...)
    std::string trace;          // "bpf" or why not
    std::string memory;         // what bounded its memory: "cgroup v1", "cgroup v2" or "watchdog"
                                // (": why", when its cgroup could not be made)
    double memory_peak_mb = -1; // cgroup: the sandbox's peak; watchdog: the machine's Shmem growth
    std::vector<CheckResult> checks;
};

struct GradeReport {
    std::string lesson;
    std::string exercise;
    std::string title;
    int max = 0;
    std::vector<SubmissionResult> submissions;
    // How the sandboxes' memory is bounded: "cgroup v1" or "cgroup v2" (limit_mb each), or
    // "watchdog" (no usable cgroup; memory_note says why).
    std::string memory_bound;
    long memory_limit_mb = 0;
    std::string memory_note;
    bool grader_failed = false; // the grader itself could not run (exit status 2)
    std::string grader_error;
};

// The exercise's checks on the state ctx describes, each worth its points, in order; a
// check with `requires:` is judged only once those hold. Adds to r.score and r.checks;
// true when all passed. `deferred` names checks not judged now (they earn nothing).
bool judge_checks(const Exercise& exercise, const lab::StepContext& ctx, SubmissionResult& r,
                  bool (*deferred)(const CheckSpec&) = nullptr);

[[nodiscard]] GradeReport grade(const Lesson& lesson, const Exercise& exercise, std::vector<std::string> files,
                                const GradeOptions& options);

// What grade_one makes of a submission's file before anything runs (read_submission).
// Exactly one of three outcomes: `error` (it could not be read: a directory, a missing or
// unreadable path; status error), `refused` (not a script the lab can run: a binary, an
// interpreter the lab lacks, over kMaxScriptBytes; status failed, 0 points, not run),
// or a script to run with `argv` + its path. `note` says what was noticed or changed.
struct Intake {
    std::string script;            // what runs: CR before LF removed, a UTF-8 BOM removed
    std::vector<std::string> argv; // the interpreter and the shebang's options
    std::string note;
    std::string error;
    std::string refused;
};
inline constexpr long long kMaxScriptBytes = 1 << 20;
[[nodiscard]] Intake read_submission(const std::string& file);

// One submission, in this process (the workers call it). `trace` is what the result's
// `trace` says: "bpf" with a tracer, else why there is none (a syscall check that cannot
// be judged gives that reason).
[[nodiscard]] SubmissionResult grade_one(const Exercise& exercise, const std::string& file, const GradeOptions& options,
                                         const std::string& trace, void* tracer);

} // namespace mountlab::lesson
