#include "report/reports.h"

#include "base/textescape.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mountlab::report {

using Json = nlohmann::ordered_json;
using lesson::GradeReport;
using lesson::SubmissionResult;

bool parse_format(const std::string& name, Format& out)
{
    if (name == "text") out = Format::Text;
    else if (name == "json") out = Format::Json;
    else if (name == "junit") out = Format::Junit;
    else if (name == "classroom") out = Format::Classroom;
    else if (name == "gradescope") out = Format::Gradescope;
    else return false;
    return true;
}

namespace {

// XML 1.0 allows no control characters but tab, newline and carriage return, and the
// document is UTF-8: controls and invalid bytes are written as \xNN (escape_multiline),
// then the markup characters as entities.
std::string xml(const std::string& s)
{
    std::string out;
    for (char c : escape_multiline(s)) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string check_message(const lesson::CheckResult& c)
{
    if (c.passed)
        return "";
    return c.feedback.empty() ? c.message : c.message + ". " + c.feedback;
}

std::string status_line(const SubmissionResult& s)
{
    if (s.status != "passed")
        return s.error; // why it was stopped (time, memory) or not graded
    return "";
}

Json json_report(const GradeReport& r)
{
    Json subs = Json::array();
    for (const SubmissionResult& s : r.submissions) {
        Json checks = Json::array();
        for (const auto& c : s.checks)
            checks.push_back({{"name", c.name}, {"passed", c.passed}, {"points", c.points}, {"max", c.max},
                              {"message", c.message}, {"feedback", c.feedback}});
        subs.push_back({{"file", s.file},     {"name", s.name},     {"status", s.status},   {"score", s.score},
                        {"max_score", s.max}, {"seconds", s.seconds}, {"exit_code", s.exit_code}, {"trace", s.trace},
                        {"error", s.error},   {"output", s.output}, {"memory", s.memory},
                        {"memory_peak_mb", s.memory_peak_mb}, {"checks", checks}});
    }
    // How memory was bounded: a cgroup per sandbox, or (bound "watchdog") none usable.
    const Json memory{{"bound", r.memory_bound}, {"limit_mb", r.memory_limit_mb}, {"note", r.memory_note}};
    return Json{{"lesson", r.lesson}, {"exercise", r.exercise}, {"title", r.title}, {"max_score", r.max},
                {"memory", memory}, {"submissions", subs}};
}

Json classroom(const SubmissionResult& s)
{
    Json tests = Json::array();
    for (const auto& c : s.checks)
        tests.push_back({{"name", c.name},
                         {"status", s.status == "error" ? "error" : c.passed ? "pass" : "fail"},
                         {"score", c.points},
                         {"message", check_message(c)}});
    if (s.checks.empty())
        tests.push_back({{"name", "the script is graded"}, {"status", "error"}, {"score", 0}, {"message", s.error}});
    return Json{{"tests", tests}, {"max_score", s.max}};
}

Json gradescope(const SubmissionResult& s)
{
    Json tests = Json::array();
    for (const auto& c : s.checks)
        tests.push_back({{"score", c.points}, {"max_score", c.max}, {"name", c.name},
                         {"status", c.passed ? "passed" : "failed"}, {"output", check_message(c)}});
    std::string output = status_line(s);
    if (!s.output.empty())
        output += (output.empty() ? "" : "\n") + std::string("Your script's output:\n") + s.output;
    return Json{{"score", s.score}, {"execution_time", s.seconds}, {"output", output}, {"tests", tests}};
}

// Text for a terminal or a CI log. Every field is escaped (escape_text), and what a
// student's script printed (inside check messages) is quoted line by line after
// "      | ", so no line of it starts a GitHub workflow command or passes for ours.
class TextReport {
public:
    explicit TextReport(bool color) : color_(color) {}

    std::string render(const GradeReport& r)
    {
        out_ += fmt::format("{} · {}: {} ({} points)\n", safe(r.lesson), safe(r.exercise), safe(r.title), r.max);
        if (r.memory_bound == "watchdog")
            out_ += fmt::format("memory: {}\n", safe(r.memory_note));
        else if (!r.memory_bound.empty())
            out_ += fmt::format("memory: {}, {} MiB per sandbox, tmpfs included\n", safe(r.memory_bound), r.memory_limit_mb);
        for (const SubmissionResult& s : r.submissions)
            submission(s);
        int passed = 0;
        for (const SubmissionResult& s : r.submissions)
            passed += s.status == "passed";
        out_ += fmt::format("\n{} of {} submissions passed\n", passed, r.submissions.size());
        return defuse_workflow_commands(out_);
    }

private:
    static std::string safe(const std::string& s) { return escape_text(s); }
    static std::string quoted(const std::string& s) { return quote_lines(s, "      | "); }

    std::string paint(const char* code, const std::string& t) const
    {
        return color_ ? fmt::format("\033[{}m{}\033[0m", code, t) : t;
    }

    void submission(const SubmissionResult& s)
    {
        const char* code = s.status == "passed" ? "32;1" : s.status == "failed" ? "33;1" : "31;1";
        out_ += fmt::format("\n{}  {}/{}  {}  ({:.2f} s, trace: {})\n", paint("1", safe(s.name)), s.score, s.max,
                            paint(code, safe(s.status)), s.seconds, s.trace.empty() ? "-" : safe(s.trace));
        if (!s.error.empty())
            out_ += fmt::format("  {}\n", quoted(s.error));
        for (const auto& c : s.checks) {
            if (c.passed) {
                out_ += fmt::format("  {} {}  {}/{}\n", paint("32", "✓"), safe(c.name), c.points, c.max);
                continue;
            }
            out_ += fmt::format("  {} {}  0/{}: {}\n", paint("31", "✗"), safe(c.name), c.max, quoted(c.message));
            if (!c.feedback.empty())
                out_ += fmt::format("      {}\n", paint("3", quoted(c.feedback)));
        }
    }

    bool color_;
    std::string out_;
};

std::string text_report(const GradeReport& r, bool color) { return TextReport(color).render(r); }

} // namespace

std::string render(const GradeReport& r, Format format, bool color)
{
    switch (format) {
    case Format::Json:
        return json_report(r).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    case Format::Classroom:
    case Format::Gradescope: {
        // One submission: the object those tools read. Several: an array of them, each
        // with the submission's name.
        auto one = [&](const SubmissionResult& s) { return format == Format::Classroom ? classroom(s) : gradescope(s); };
        if (r.submissions.size() == 1)
            return one(r.submissions[0]).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
        Json all = Json::array();
        for (const SubmissionResult& s : r.submissions) {
            Json j = one(s);
            j["submission"] = s.name;
            all.push_back(j);
        }
        return all.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    }
    case Format::Junit: {
        int tests = 0, failures = 0, errors = 0;
        double time = 0;
        for (const SubmissionResult& s : r.submissions) {
            tests += static_cast<int>(std::max<size_t>(1, s.checks.size()));
            time += s.seconds;
            for (const auto& c : s.checks)
                failures += !c.passed;
            errors += s.status == "error";
        }
        std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        out += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                           xml(r.lesson + "/" + r.exercise), tests, failures, errors, time);
        for (const SubmissionResult& s : r.submissions) {
            int f = 0;
            for (const auto& c : s.checks)
                f += !c.passed;
            out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                               xml(s.name), std::max<size_t>(1, s.checks.size()), f, s.status == "error" ? 1 : 0, s.seconds);
            out += fmt::format("    <properties><property name=\"score\" value=\"{}\"/><property name=\"max_score\" "
                               "value=\"{}\"/><property name=\"status\" value=\"{}\"/></properties>\n",
                               s.score, s.max, xml(s.status));
            for (const auto& c : s.checks) {
                out += fmt::format("    <testcase classname=\"{}\" name=\"{}\">", xml(r.lesson + "." + r.exercise + "." + s.name),
                                   xml(c.name));
                if (!c.passed)
                    out += fmt::format("<failure message=\"{}\">{}</failure>", xml(c.message), xml(check_message(c)));
                out += "</testcase>\n";
            }
            if (s.status == "error")
                out += fmt::format("    <testcase classname=\"{}\" name=\"grading\"><error message=\"{}\"/></testcase>\n",
                                   xml(r.lesson + "." + r.exercise + "." + s.name), xml(s.error));
            if (!s.output.empty())
                out += fmt::format("    <system-out>{}</system-out>\n", xml(s.output));
            out += "  </testsuite>\n";
        }
        out += "</testsuites>\n";
        return out;
    }
    case Format::Text:
        return text_report(r, color);
    }
    return {};
}

} // namespace mountlab::report
