// Grading reports: text for a terminal, JSON, JUnit XML (CI dashboards), CSV (a
// spreadsheet: one row per submission), HTML (one page, no scripts, nothing external),
// the GitHub Classroom autograding reporter's JSON, and Gradescope's results.json.
// Every format says, per submission, why it was not graded or not run (`error`) and what
// the grader noticed in the file (`note`: CRLF line endings removed, an empty script).
#pragma once

#include "lesson/grader.h"

#include <string>
#include <vector>

namespace mountlab::report {

enum class Format { Text, Json, Junit, Csv, Html, Classroom, Gradescope };

[[nodiscard]] bool parse_format(const std::string& name, Format& out);
// The file name extension of a format's report ("txt", "json", "xml", "csv", "html",
// "classroom.json", "gradescope.json").
[[nodiscard]] std::string extension(Format format);
[[nodiscard]] std::string render(const lesson::GradeReport& report, Format format, bool color = false);

// Shared by the reports and the class summary.
// A CSV cell: escaped as text (escape_text: no controls, no invalid UTF-8, one line), a
// leading =, +, - or @ (a spreadsheet formula) behind a quote, quoted when it must be.
[[nodiscard]] std::string csv_field(const std::string& raw);
[[nodiscard]] std::string csv_row(const std::vector<std::string>& cells);
// HTML text or attribute value: escaped as text, then the markup characters as entities,
// newlines as <br>.
[[nodiscard]] std::string html(const std::string& raw);
// A page's head: UTF-8, a content security policy that allows no script and nothing
// from outside (inline style only), the style.
[[nodiscard]] std::string html_head(const std::string& title);

} // namespace mountlab::report
