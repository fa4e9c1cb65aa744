// Grading reports: text for a terminal, JSON, JUnit XML (CI dashboards), the GitHub
// Classroom autograding reporter's JSON, and Gradescope's results.json.
#pragma once

#include "lesson/grader.h"

#include <string>

namespace mountlab::report {

enum class Format { Text, Json, Junit, Classroom, Gradescope };

[[nodiscard]] bool parse_format(const std::string& name, Format& out);
[[nodiscard]] std::string render(const lesson::GradeReport& report, Format format, bool color = false);

} // namespace mountlab::report
