// The class summary, for the teacher: how the class scored (status counts, mean, median,
// a score distribution) and, for each check, how many failed it and what was found most
// often when they did (what the class misunderstood), with the check's feedback; then the
// submissions that were not graded or not run, with why. Text, JSON, CSV and an HTML page
// with a histogram (inline SVG; no script, nothing external; everything escaped).
//
// Reproducible: the same submissions give the same bytes. Nothing in it depends on the
// machine or the clock (no durations, timestamps, memory or trace notes); every list has
// a fixed order (checks by failures, most first, then in the exercise's order; messages
// by count, then text; submissions by name, then path).
#pragma once

#include "lesson/grader.h"

#include <string>
#include <vector>

namespace mountlab::report {

enum class SummaryFormat { Text, Json, Csv, Html };

[[nodiscard]] bool parse_summary_format(const std::string& name, SummaryFormat& out);
[[nodiscard]] std::string extension(SummaryFormat format); // "txt", "json", "csv", "html"

struct ClassSummary {
    std::string lesson, exercise, title;
    int max = 0;
    int submissions = 0;
    int passed = 0, failed = 0, timeout = 0, error = 0;
    int not_run = 0; // failed without running (a binary, an interpreter the lab lacks, too big)
    int graded = 0;  // neither error nor not run: those the statistics count
    double mean = 0, median = 0;
    int min = 0, max_seen = 0;
    struct Bin {
        int from = 0, to = 0; // scores from..to, inclusive
        int count = 0;
    };
    std::vector<Bin> distribution; // of the graded, every score from 0 to max in bins
    struct Message {
        std::string text;
        int count = 0;
    };
    struct Check {
        std::string name;
        int points = 0;
        int graded = 0; // submissions in which it was evaluated
        int failed = 0;
        std::string feedback;          // the teacher's, the most common among failures
        std::vector<Message> messages; // what was found when it failed, most common first
    };
    std::vector<Check> checks;
    struct Ungraded {
        std::string name, file, status, reason;
    };
    std::vector<Ungraded> ungraded;
};

[[nodiscard]] ClassSummary summarize(const lesson::GradeReport& report);
[[nodiscard]] std::string render_summary(const ClassSummary& summary, SummaryFormat format);

} // namespace mountlab::report
