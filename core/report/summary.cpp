#include "report/summary.h"
#include "base/json.h"

#include "base/textescape.h"
#include "report/reports.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace mountlab::report {

using lesson::GradeReport;
using lesson::SubmissionResult;

bool parse_summary_format(const std::string& name, SummaryFormat& out)
{
    if (name == "text")
        out = SummaryFormat::Text;
    else if (name == "json")
        out = SummaryFormat::Json;
    else if (name == "csv")
        out = SummaryFormat::Csv;
    else if (name == "html")
        out = SummaryFormat::Html;
    else
        return false;
    return true;
}

std::string extension(SummaryFormat format)
{
    switch (format) {
    case SummaryFormat::Text:
        return "txt";
    case SummaryFormat::Json:
        return "json";
    case SummaryFormat::Csv:
        return "csv";
    case SummaryFormat::Html:
        return "html";
    }
    return "txt";
}

namespace {

bool not_run(const SubmissionResult& s) { return s.status == "failed" && s.checks.empty(); }

std::string reason(const SubmissionResult& s)
{
    std::string out = s.error;
    if (!s.note.empty())
        out += (out.empty() ? "" : "; ") + ("note: " + s.note);
    return out;
}

// A number as the summary writes it: at most one decimal, no trailing ".0".
std::string num(double v)
{
    std::string s = fmt::format("{:.1f}", v);
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
        s.resize(s.size() - 2);
    return s;
}

std::string percent(int part, int whole) { return whole > 0 ? num(100.0 * part / whole) + "%" : "-"; }

std::string range(const ClassSummary::Bin& b)
{
    return b.from == b.to ? std::to_string(b.from) : fmt::format("{}-{}", b.from, b.to);
}

// Sorted by name, then file: the same submissions give the same summary.
std::vector<const SubmissionResult*> sorted_submissions(const GradeReport& r)
{
    std::vector<const SubmissionResult*> subs;
    for (const SubmissionResult& s : r.submissions)
        subs.push_back(&s);
    std::sort(subs.begin(), subs.end(), [](const SubmissionResult* a, const SubmissionResult* b) {
        return a->name != b->name ? a->name < b->name : a->file < b->file;
    });
    return subs;
}

// One check across the class, and the order it was first seen in.
struct Tally {
    size_t order;
    ClassSummary::Check check;
    std::map<std::string, int> messages, feedback;
};
using Tallies = std::map<std::string, Tally>;

void tally_checks(const SubmissionResult& s, Tallies& checks)
{
    for (const lesson::CheckResult& k : s.checks) {
        auto [it, fresh] = checks.try_emplace(k.name, Tally{checks.size(), {}, {}, {}});
        Tally& t = it->second;
        if (fresh) {
            t.check.name = k.name;
            t.check.points = k.max;
        }
        ++t.check.graded;
        if (!k.passed) {
            ++t.check.failed;
            ++t.messages[k.message];
            if (!k.feedback.empty())
                ++t.feedback[k.feedback];
        }
    }
}

// Each submission counted by status; the graded ones' scores, and their checks tallied.
std::vector<int> count_submissions(const std::vector<const SubmissionResult*>& subs, ClassSummary& c, Tallies& checks)
{
    std::vector<int> scores;
    for (const SubmissionResult* s : subs) {
        c.passed += s->status == "passed";
        c.failed += s->status == "failed";
        c.timeout += s->status == "timeout";
        c.error += s->status == "error";
        if (s->status == "error" || not_run(*s)) {
            c.not_run += not_run(*s);
            c.ungraded.push_back({s->name, s->file, s->status, reason(*s)});
            continue;
        }
        scores.push_back(s->score);
        tally_checks(*s, checks);
    }
    return scores;
}

// Mean, median, min and max of the scores, sorted here.
void score_statistics(std::vector<int>& scores, ClassSummary& c)
{
    c.graded = static_cast<int>(scores.size());
    if (scores.empty())
        return;
    std::sort(scores.begin(), scores.end());
    long long sum = 0;
    for (int v : scores)
        sum += v;
    c.mean = static_cast<double>(sum) / static_cast<double>(scores.size());
    const size_t n = scores.size();
    c.median = n % 2 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2.0;
    c.min = scores.front();
    c.max_seen = scores.back();
}

// Every score its own bar up to 20 points; above, 10 bars of equal width.
void score_distribution(const std::vector<int>& scores, ClassSummary& c)
{
    const int top = std::max({c.max, c.max_seen, 0});
    const int width = top <= 20 ? 1 : (top + 10) / 10;
    for (int from = 0; from <= top; from += width)
        c.distribution.push_back({from, std::min(top, from + width - 1), 0});
    for (int v : scores)
        if (v >= 0)
            ++c.distribution[static_cast<size_t>(v / width)].count;
}

std::vector<ClassSummary::Message> most_common(const std::map<std::string, int>& m)
{
    std::vector<ClassSummary::Message> v;
    for (const auto& [text, n] : m)
        v.push_back({text, n});
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
    return v;
}

// The checks, the most failed first (then in the order first seen).
void checks_by_failures(Tallies& checks, ClassSummary& c)
{
    std::vector<Tally*> order;
    for (auto& [name, t] : checks)
        order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const Tally* a, const Tally* b) {
        return a->check.failed != b->check.failed ? a->check.failed > b->check.failed : a->order < b->order;
    });
    for (Tally* t : order) {
        t->check.messages = most_common(t->messages);
        if (const auto f = most_common(t->feedback); !f.empty())
            t->check.feedback = f.front().text;
        c.checks.push_back(std::move(t->check));
    }
}

} // namespace

ClassSummary summarize(const GradeReport& r)
{
    ClassSummary c;
    c.lesson = r.lesson;
    c.exercise = r.exercise;
    c.title = r.title;
    c.max = r.max;
    const std::vector<const SubmissionResult*> subs = sorted_submissions(r);
    c.submissions = static_cast<int>(subs.size());
    Tallies checks;
    std::vector<int> scores = count_submissions(subs, c, checks);
    score_statistics(scores, c);
    score_distribution(scores, c);
    checks_by_failures(checks, c);
    return c;
}

namespace {

constexpr size_t kMessagesShown = 3;

std::string text_summary(const ClassSummary& c)
{
    auto safe = [](const std::string& s) { return escape_text(s); };
    std::string out =
        fmt::format("{} · {}: {} ({} points), class summary\n", safe(c.lesson), safe(c.exercise), safe(c.title), c.max);
    out += fmt::format("{} submissions: {} passed, {} failed, {} timeout, {} error; {} not run\n", c.submissions,
                       c.passed, c.failed, c.timeout, c.error, c.not_run);
    if (c.graded > 0)
        out += fmt::format("score of the {} graded: mean {}, median {}, lowest {}, highest {} (of {})\n", c.graded,
                           num(c.mean), num(c.median), c.min, c.max_seen, c.max);
    out += "\nscore distribution\n";
    int biggest = 0;
    for (const auto& b : c.distribution)
        biggest = std::max(biggest, b.count);
    size_t label = 0;
    for (const auto& b : c.distribution)
        label = std::max(label, range(b).size());
    for (const auto& b : c.distribution) {
        const int bar = biggest > 0 ? (b.count * 40 + biggest - 1) / biggest : 0;
        std::string bars;
        for (int i = 0; i < bar; ++i)
            bars += "█";
        out += fmt::format("  {:>{}} │{} {}\n", range(b), label, bars, b.count);
    }
    out += "\nchecks, most failed first\n";
    for (const auto& k : c.checks) {
        out += fmt::format("  {} of {} failed ({})  {} ({} points)\n", k.failed, k.graded, percent(k.failed, k.graded),
                           safe(k.name), k.points);
        for (size_t i = 0; i < std::min(kMessagesShown, k.messages.size()); ++i)
            out += fmt::format("      {} × {}\n", k.messages[i].count, quote_lines(k.messages[i].text, "        | "));
        if (k.messages.size() > kMessagesShown)
            out += fmt::format("      ... and {} other findings\n", k.messages.size() - kMessagesShown);
        if (!k.feedback.empty())
            out += fmt::format("      feedback: {}\n", quote_lines(k.feedback, "        | "));
    }
    if (!c.ungraded.empty()) {
        out += "\nnot graded or not run\n";
        for (const auto& u : c.ungraded)
            out += fmt::format("  {}  {}: {}\n", safe(u.name), safe(u.status), safe(u.reason));
    }
    return defuse_workflow_commands(out);
}

Json json_summary(const ClassSummary& c)
{
    // Text from files and scripts is escaped as in the text report (\xNN): the JSON stays
    // valid whatever a name or a message holds.
    Json dist = Json::array();
    for (const auto& b : c.distribution)
        dist.push_back({{"from", b.from}, {"to", b.to}, {"count", b.count}});
    Json checks = Json::array();
    for (const auto& k : c.checks) {
        Json msgs = Json::array();
        for (const auto& m : k.messages)
            msgs.push_back({{"message", escape_multiline(m.text)}, {"count", m.count}});
        checks.push_back({{"name", escape_text(k.name)},
                          {"points", k.points},
                          {"graded", k.graded},
                          {"failed", k.failed},
                          {"feedback", escape_multiline(k.feedback)},
                          {"messages", msgs}});
    }
    Json ungraded = Json::array();
    for (const auto& u : c.ungraded)
        ungraded.push_back({{"name", escape_text(u.name)},
                            {"file", escape_text(u.file)},
                            {"status", u.status},
                            {"reason", escape_multiline(u.reason)}});
    return Json{
        {"lesson", c.lesson},
        {"exercise", c.exercise},
        {"title", c.title},
        {"max_score", c.max},
        {"submissions", c.submissions},
        {"status",
         {{"passed", c.passed},
          {"failed", c.failed},
          {"timeout", c.timeout},
          {"error", c.error},
          {"not_run", c.not_run}}},
        {"score", {{"graded", c.graded}, {"mean", c.mean}, {"median", c.median}, {"min", c.min}, {"max", c.max_seen}}},
        {"distribution", dist},
        {"checks", checks},
        {"not_graded", ungraded}};
}

// One table for a spreadsheet, its first column the section: `score` (a bar of the
// distribution), `check` (failures, the most common finding, the feedback), `not_graded`.
std::string csv_summary(const ClassSummary& c)
{
    std::string out = csv_row({"section", "item", "count", "of", "percent", "most_common", "feedback"});
    for (const auto& b : c.distribution)
        out += csv_row(
            {"score", range(b), std::to_string(b.count), std::to_string(c.graded), percent(b.count, c.graded), "", ""});
    for (const auto& k : c.checks)
        out += csv_row(
            {"check", k.name, std::to_string(k.failed), std::to_string(k.graded), percent(k.failed, k.graded),
             k.messages.empty() ? std::string() : fmt::format("{} × {}", k.messages[0].count, k.messages[0].text),
             k.feedback});
    for (const auto& u : c.ungraded)
        out += csv_row({"not_graded", u.name, "", "", "", u.status + ": " + u.reason, ""});
    return out;
}

// The histogram: a bar per bin, its count above, its scores below; sizes fixed, so the
// same counts give the same bytes.
std::string svg_histogram(const ClassSummary& c)
{
    const int n = static_cast<int>(c.distribution.size());
    const int bar_w = std::max(12, std::min(48, 560 / std::max(1, n)));
    const int left = 40, top = 20, plot_h = 160, width = left + n * bar_w + 20, height = top + plot_h + 40;
    int biggest = 0;
    for (const auto& b : c.distribution)
        biggest = std::max(biggest, b.count);
    std::string out =
        fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                    "role=\"img\" aria-label=\"score distribution\">\n",
                    width, height, width, height);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#444\"/>\n", left, top + plot_h,
                       left + n * bar_w, top + plot_h);
    for (int i = 0; i < n; ++i) {
        const auto& b = c.distribution[static_cast<size_t>(i)];
        const int h = biggest > 0 ? b.count * plot_h / biggest : 0;
        const int x = left + i * bar_w;
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#4a7ab5\"><title>score {}: {} "
                           "submissions</title></rect>\n",
                           x + 2, top + plot_h - h, bar_w - 4, h, html(range(b)), b.count);
        out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\n", x + bar_w / 2,
                           top + plot_h - h - 4, b.count);
        out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\n", x + bar_w / 2,
                           top + plot_h + 16, html(range(b)));
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">score (of {})</text>\n",
                       left + n * bar_w / 2, top + plot_h + 34, c.max);
    out += "</svg>\n";
    return out;
}

std::string html_summary(const ClassSummary& c)
{
    std::string out = html_head("Class summary: " + c.lesson + " · " + c.exercise);
    out += fmt::format("<h1>Class summary: {} · {}: {} ({} points)</h1>\n", html(c.lesson), html(c.exercise),
                       html(c.title), c.max);
    out += fmt::format("<p>{} submissions: {} passed, {} failed, {} timeout, {} error; {} not run.", c.submissions,
                       c.passed, c.failed, c.timeout, c.error, c.not_run);
    if (c.graded > 0)
        out += fmt::format(" Score of the {} graded: mean {}, median {}, lowest {}, highest {}.", c.graded, num(c.mean),
                           num(c.median), c.min, c.max_seen);
    out += "</p>\n<h2>Score distribution</h2>\n" + svg_histogram(c);
    out +=
        "<h2>Checks, most failed first</h2>\n<table>\n<tr><th>check</th><th>points</th><th>failed</th><th>what was found "
        "(most common first)</th><th>feedback</th></tr>\n";
    for (const auto& k : c.checks) {
        std::string msgs;
        for (size_t i = 0; i < std::min(kMessagesShown, k.messages.size()); ++i)
            msgs += fmt::format("<li>{} × {}</li>", k.messages[i].count, html(k.messages[i].text));
        if (k.messages.size() > kMessagesShown)
            msgs += fmt::format("<li>... and {} other findings</li>", k.messages.size() - kMessagesShown);
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{} of {} ({})</td><td><ul>{}</ul></td><td>{}</td></tr>\n",
                           html(k.name), k.points, k.failed, k.graded, percent(k.failed, k.graded), msgs,
                           html(k.feedback));
    }
    out += "</table>\n";
    if (!c.ungraded.empty()) {
        out += "<h2>Not graded or not run</h2>\n<table>\n<tr><th>submission</th><th>status</th><th>why</th></tr>\n";
        for (const auto& u : c.ungraded)
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", html(u.name), html(u.status),
                               html(u.reason));
        out += "</table>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

} // namespace

std::string render_summary(const ClassSummary& c, SummaryFormat format)
{
    switch (format) {
    case SummaryFormat::Text:
        return text_summary(c);
    case SummaryFormat::Json:
        return json_summary(c).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    case SummaryFormat::Csv:
        return csv_summary(c);
    case SummaryFormat::Html:
        return html_summary(c);
    }
    return {};
}

} // namespace mountlab::report
