#include "report/reports.h"
#include "base/json.h"

#include "base/textescape.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mountlab::report {

using lesson::GradeReport;
using lesson::SubmissionResult;

bool parse_format(const std::string& name, Format& out)
{
    if (name == "text")
        out = Format::Text;
    else if (name == "json")
        out = Format::Json;
    else if (name == "junit")
        out = Format::Junit;
    else if (name == "csv")
        out = Format::Csv;
    else if (name == "html")
        out = Format::Html;
    else if (name == "classroom")
        out = Format::Classroom;
    else if (name == "gradescope")
        out = Format::Gradescope;
    else
        return false;
    return true;
}

std::string extension(Format format)
{
    switch (format) {
    case Format::Text:
        return "txt";
    case Format::Json:
        return "json";
    case Format::Junit:
        return "xml";
    case Format::Csv:
        return "csv";
    case Format::Html:
        return "html";
    case Format::Classroom:
        return "classroom.json";
    case Format::Gradescope:
        return "gradescope.json";
    }
    return "txt";
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
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

std::string csv_field(const std::string& raw)
{
    // Escaped as text (no controls, no invalid UTF-8, one line); a cell a spreadsheet
    // would take for a formula (=, +, -, @) starts with a quote; quoted when it must be.
    std::string s = escape_text(raw);
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'))
        s.insert(0, "'");
    if (s.find_first_of(",\"") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string csv_row(const std::vector<std::string>& cells)
{
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i)
        out += (i ? "," : "") + csv_field(cells[i]);
    return out + "\n";
}

std::string html(const std::string& raw)
{
    std::string out;
    for (char c : escape_multiline(raw)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        case '\n':
            out += "<br>";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string html_head(const std::string& title)
{
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
           "<title>" +
           html(title) +
           "</title>\n<style>\n"
           "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em;"
           "vertical-align:top;text-align:left}tr.passed td:nth-child(2),li.pass{color:#176117}tr.failed td:nth-child(2),"
           "tr.timeout td:nth-child(2),li.fail{color:#8a1c1c}tr.error td:nth-child(2){color:#8a1c1c;font-weight:bold}"
           "ul{margin:0;padding-left:1.2em}\n</style>\n</head>\n<body>\n";
}

namespace {

std::string check_message(const lesson::CheckResult& c)
{
    if (c.passed)
        return "";
    return c.feedback.empty() ? c.message : c.message + ". " + c.feedback;
}

std::string status_line(const SubmissionResult& s)
{
    std::string out = s.status != "passed" ? s.error : std::string(); // why it was stopped or not graded
    if (!s.note.empty())
        out += (out.empty() ? "" : "\n") + ("note: " + s.note);
    return out;
}

// The one line that says why (error) and what was noticed (note), for the formats with
// one cell for it.
std::string reason(const SubmissionResult& s)
{
    std::string out = s.error;
    if (!s.note.empty())
        out += (out.empty() ? "" : "; ") + ("note: " + s.note);
    return out;
}

Json json_report(const GradeReport& r)
{
    Json subs = Json::array();
    for (const SubmissionResult& s : r.submissions) {
        Json checks = Json::array();
        for (const auto& c : s.checks)
            checks.push_back({{"name", c.name},
                              {"passed", c.passed},
                              {"points", c.points},
                              {"max", c.max},
                              {"message", c.message},
                              {"feedback", c.feedback}});
        // The file's path and name, and the messages that name them, are escaped as in the
        // text report (\xNN for controls and bytes that are not UTF-8): a name that is not
        // UTF-8 stays unambiguous and the JSON valid.
        subs.push_back({{"file", escape_text(s.file)},
                        {"name", escape_text(s.name)},
                        {"status", s.status},
                        {"score", s.score},
                        {"max_score", s.max},
                        {"seconds", s.seconds},
                        {"exit_code", s.exit_code},
                        {"trace", s.trace},
                        {"error", escape_multiline(s.error)},
                        {"note", escape_multiline(s.note)},
                        {"output", s.output},
                        {"memory", s.memory},
                        {"memory_peak_mb", s.memory_peak_mb},
                        {"checks", checks}});
    }
    // How memory was bounded: a cgroup per sandbox, or (bound "watchdog") none usable.
    const Json memory{{"bound", r.memory_bound}, {"limit_mb", r.memory_limit_mb}, {"note", r.memory_note}};
    return Json{{"lesson", r.lesson}, {"exercise", r.exercise}, {"title", r.title},
                {"max_score", r.max}, {"memory", memory},       {"submissions", subs}};
}

Json classroom(const SubmissionResult& s)
{
    Json tests = Json::array();
    for (const auto& c : s.checks)
        tests.push_back({{"name", c.name},
                         {"status", s.status == "error" ? "error"
                                    : c.passed          ? "pass"
                                                        : "fail"},
                         {"score", c.points},
                         {"message", check_message(c)}});
    if (s.checks.empty())
        tests.push_back({{"name", "the script is graded"},
                         {"status", s.status == "error" ? "error" : "fail"},
                         {"score", 0},
                         {"message", escape_multiline(reason(s))}});
    else if (!s.note.empty())
        tests.insert(tests.begin(), Json{{"name", "the script as read"},
                                         {"status", "pass"},
                                         {"score", 0},
                                         {"message", "note: " + escape_multiline(s.note)}});
    return Json{{"tests", tests}, {"max_score", s.max}};
}

Json gradescope(const SubmissionResult& s)
{
    Json tests = Json::array();
    for (const auto& c : s.checks)
        tests.push_back({{"score", c.points},
                         {"max_score", c.max},
                         {"name", c.name},
                         {"status", c.passed ? "passed" : "failed"},
                         {"output", check_message(c)}});
    std::string output = escape_multiline(status_line(s));
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
            out_ += fmt::format("memory: {}, {} MiB per sandbox, tmpfs included\n", safe(r.memory_bound),
                                r.memory_limit_mb);
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
        if (!s.note.empty())
            out_ += fmt::format("  note: {}\n", quoted(s.note));
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

std::string csv_report(const GradeReport& r)
{
    std::string out = "submission,file,status,score,max_score,reason,failed_checks\n";
    for (const SubmissionResult& s : r.submissions) {
        std::string failed;
        for (const auto& c : s.checks)
            if (!c.passed)
                failed += (failed.empty() ? "" : "; ") + c.name;
        out += csv_row({s.name, s.file, s.status, std::to_string(s.score), std::to_string(s.max), reason(s), failed});
    }
    return out;
}

std::string html_report(const GradeReport& r)
{
    std::string out = html_head(r.lesson + " · " + r.exercise + ": " + r.title);
    out += fmt::format("<h1>{} · {}: {} ({} points)</h1>\n", html(r.lesson), html(r.exercise), html(r.title), r.max);
    out += "<table>\n<tr><th>submission</th><th>status</th><th>score</th><th>why / note</th><th>checks</th></tr>\n";
    for (const SubmissionResult& s : r.submissions) {
        std::string checks;
        for (const auto& c : s.checks)
            checks += fmt::format("<li class=\"{}\">{} {}/{}{}</li>", c.passed ? "pass" : "fail", html(c.name),
                                  c.points, c.max, c.passed ? std::string() : ": " + html(check_message(c)));
        out +=
            fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}/{}</td><td>{}</td><td><ul>{}</ul></td></tr>\n",
                        html(s.status), html(s.name), html(s.status), s.score, s.max, html(reason(s)), checks);
    }
    out += "</table>\n</body>\n</html>\n";
    return out;
}

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
        auto one = [&](const SubmissionResult& s) {
            return format == Format::Classroom ? classroom(s) : gradescope(s);
        };
        if (r.submissions.size() == 1)
            return one(r.submissions[0]).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
        Json all = Json::array();
        for (const SubmissionResult& s : r.submissions) {
            Json j = one(s);
            j["submission"] = escape_text(s.name);
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
                               xml(s.name), std::max<size_t>(1, s.checks.size()), f, s.status == "error" ? 1 : 0,
                               s.seconds);
            out +=
                fmt::format("    <properties><property name=\"score\" value=\"{}\"/><property name=\"max_score\" "
                            "value=\"{}\"/><property name=\"status\" value=\"{}\"/>{}</properties>\n",
                            s.score, s.max, xml(s.status),
                            s.note.empty() ? std::string() : "<property name=\"note\" value=\"" + xml(s.note) + "\"/>");
            for (const auto& c : s.checks) {
                out += fmt::format("    <testcase classname=\"{}\" name=\"{}\">",
                                   xml(r.lesson + "." + r.exercise + "." + s.name), xml(c.name));
                if (!c.passed)
                    out += fmt::format("<failure message=\"{}\">{}</failure>", xml(c.message), xml(check_message(c)));
                out += "</testcase>\n";
            }
            if (s.status == "error")
                out +=
                    fmt::format("    <testcase classname=\"{}\" name=\"grading\"><error message=\"{}\"/></testcase>\n",
                                xml(r.lesson + "." + r.exercise + "." + s.name), xml(reason(s)));
            else if (s.checks.empty()) // not run (a binary, an interpreter the lab lacks, too big)
                out += fmt::format(
                    "    <testcase classname=\"{}\" name=\"the script runs\"><failure message=\"{}\">{}</failure></testcase>\n",
                    xml(r.lesson + "." + r.exercise + "." + s.name), xml(reason(s)), xml(reason(s)));
            if (!s.output.empty() || !s.note.empty())
                out += fmt::format("    <system-out>{}{}</system-out>\n",
                                   s.note.empty() ? "" : xml("note: " + s.note + "\n"), xml(s.output));
            out += "  </testsuite>\n";
        }
        out += "</testsuites>\n";
        return out;
    }
    case Format::Text:
        return text_report(r, color);
    case Format::Csv:
        return csv_report(r);
    case Format::Html:
        return html_report(r);
    }
    return {};
}

} // namespace mountlab::report
