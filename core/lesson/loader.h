// Loading and checking lesson files. Every problem in a file is reported at once, each
// with its file, line and column: unknown keys, wrong types, unknown operations or
// checks, missing fields, duplicate IDs.
#pragma once

#include "lesson/lesson.h"

#include <string>
#include <vector>

namespace mountlab::lesson {

struct Diagnostic {
    Place place;
    std::string message;
    [[nodiscard]] std::string to_string() const; // "file:line:column: message"
};

struct LoadResult {
    Lesson lesson;
    std::vector<Diagnostic> diagnostics; // empty when the lesson is usable
    [[nodiscard]] bool ok() const { return diagnostics.empty(); }
};

[[nodiscard]] LoadResult load_lesson_file(const std::string& path);
[[nodiscard]] LoadResult load_lesson_text(const std::string& text, const std::string& file = "<string>");

// The operations a step may perform and the checks it may use, with their parameters.
[[nodiscard]] const std::vector<std::string>& operation_names();
[[nodiscard]] const std::vector<std::string>& check_names();
// The parameters of one operation or check (empty for an unknown name): what
// lessons/README.md must document (tst_lesson_loader holds it to that).
[[nodiscard]] std::vector<std::string> operation_parameters(const std::string& op);
[[nodiscard]] std::vector<std::string> check_parameters(const std::string& check);

// Where the built-in lessons are: $MOUNTLAB_LESSONS, else next to the executable
// (../share/mountlab/lessons, or the source tree's lessons/ for a build tree).
[[nodiscard]] std::string lessons_dir();
// Every lesson file there, sorted (by the number the file names start with).
[[nodiscard]] std::vector<std::string> lesson_files(const std::string& dir = lessons_dir());

} // namespace mountlab::lesson
