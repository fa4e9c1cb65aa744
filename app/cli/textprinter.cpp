#include "textprinter.h"

#include "base/textescape.h"
#include "mount/treeprinter.h"

#include <algorithm>
#include <unistd.h>

namespace mountlab::cli {

TextPrinter::TextPrinter(FILE* out) : out_(out), color_(isatty(fileno(out)) && !getenv("NO_COLOR")) {}

std::string TextPrinter::paint(const char* code, const std::string& text) const
{
    return color_ ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
}

namespace {

// Everything an event carries may come from the lab (paths, a script's output) or a
// lesson file: escaped before it is painted (see base/textescape.h).
std::string safe(const std::string& s) { return escape_text(s); }

// Multi-line text under a line of ours: every further line starts with `prefix`.
std::string block(const std::string& s, std::string_view prefix) { return quote_lines(s, prefix); }

std::string mount_line(const Json& m)
{
    std::string s = fmt::format("{} {} {}", safe(m.value("target", "?")), safe(m.value("fstype", "?")),
                                safe(m.value("source", "")));
    const std::string prop = safe(m.value("propagation", ""));
    std::string group;
    if (m.contains("peer_group") && m["peer_group"].is_number() && m["peer_group"].get<int>() > 0)
        group = fmt::format("shared:{}", m["peer_group"].get<int>());
    if (m.contains("master") && m["master"].is_number() && m["master"].get<int>() > 0)
        group += fmt::format("{}master:{}", group.empty() ? "" : " ", m["master"].get<int>());
    s += fmt::format("  [{}{}]", prop, group.empty() ? "" : " " + group);
    return s;
}

std::string stage_title(const std::vector<std::pair<std::string, std::string>>& stages, const std::string& id,
                        int* index, int* count)
{
    *count = static_cast<int>(stages.size());
    for (size_t i = 0; i < stages.size(); ++i)
        if (id == stages[i].first) {
            *index = static_cast<int>(i) + 1;
            return stages[i].second;
        }
    *index = 0;
    return id;
}

// One step's events, gathered until its end.
struct StepEvents {
    const Json* begin = nullptr;
    const Json* end = nullptr;
    std::vector<const Json*> diffs, checks, copyups;
};

StepEvents sort_step_events(const std::vector<Json>& pending)
{
    StepEvents s;
    for (const Json& e : pending) {
        const std::string kind = e.value("kind", "");
        if (kind == "step")
            (e.value("phase", "") == "begin" ? s.begin : s.end) = &e;
        else if (kind == "diff")
            s.diffs.push_back(&e);
        else if (kind == "check")
            s.checks.push_back(&e);
        else if (kind == "copyup")
            s.copyups.push_back(&e);
    }
    return s;
}

std::vector<std::string> prediction_choices(const Json& predict)
{
    std::vector<std::string> choices;
    if (predict.is_object() && predict.contains("choices") && predict["choices"].is_array())
        for (const Json& c : predict["choices"])
            if (c.is_string())
                choices.push_back(c.get<std::string>());
    return choices;
}

// One changed mount: each field before → after.
std::string change_text(const Json& c, bool many_changed)
{
    std::string what;
    for (const auto& f : c["fields"]) {
        const std::string field = f.get<std::string>();
        std::string key = field;
        if (field == "vfs_options")
            key = "vfs-options";
        else if (field == "super_options")
            key = "fs-options";
        else if (field == "root")
            key = "fsroot";
        if (field == "peer_group" && many_changed)
            continue; // implied by propagation when many change at once
        auto show = [](const Json& v) {
            return safe(v.is_string() ? v.get<std::string>() : v.is_null() ? "-" : v.dump());
        };
        what += fmt::format("{}{}: {} → {}", what.empty() ? "" : "; ", safe(field),
                            show(c["before"].value(key, Json())), show(c["after"].value(key, Json())));
    }
    return what;
}

} // namespace

void TextPrinter::print_stage_heading(const std::string& stage)
{
    if (stage == stage_)
        return;
    stage_ = stage;
    int index = 0, count = 0;
    const std::string title = stage_title(stages_, stage, &index, &count);
    fmt::print(out_, "\n{}\n",
               paint("1", index ? fmt::format("━━ Stage {}/{} · {}: {}", index, count, safe(stage), safe(title))
                                : fmt::format("━━ {}", safe(title))));
}

void TextPrinter::print_question(const Json& predict, const std::vector<std::string>& choices)
{
    if (!predict.is_object())
        return;
    fmt::print(out_, "    {} {}\n", paint("1", "Predict first:"), safe(predict.value("question", "")));
    for (size_t i = 0; i < choices.size(); ++i)
        fmt::print(out_, "      {}) {}\n", i + 1, safe(choices[i]));
}

void TextPrinter::print_what_it_does(const Json& begin, const Json& end)
{
    if (!begin.value("shell", "").empty())
        fmt::print(out_, "    {} {}\n", paint("2", "$"), paint("36", block(begin.value("shell", ""), "      ")));
    // The calls the tracer saw, when it ran; else the ones the step is known to make.
    const Json calls = end.value("calls", Json::array());
    if (!calls.empty()) {
        for (const Json& c : calls)
            fmt::print(out_, "    {} {}\n", paint("35", "traced"),
                       safe(c.is_string() ? c.get<std::string>() : c.dump()));
    } else if (!begin.value("syscall", "").empty()) {
        fmt::print(out_, "    {}\n", paint("2", safe(begin.value("syscall", ""))));
    }
    if (!begin.value("explain", "").empty())
        fmt::print(out_, "    {}\n", paint("3", defuse_workflow_commands(block(begin.value("explain", ""), "    "))));
}

void TextPrinter::print_result(const Json& end)
{
    const double ms = end.value("duration_us", 0) / 1000.0;
    if (end.value("ok", false)) {
        fmt::print(out_, "    → {} ({:.2f} ms)\n", paint("32", "ok"), ms);
        return;
    }
    fmt::print(
        out_, "    → {} {} ({:.2f} ms)\n",
        paint("33", end.value("errno", Json("error")).is_string() ? safe(end.value("errno", std::string())) : "failed"),
        block(end.value("error", ""), "      | "), ms);
    if (!end.value("cause", "").empty())
        fmt::print(out_, "      cause: {}\n", block(end.value("cause", ""), "      | "));
}

void TextPrinter::print_answer(const Json& predict, const std::vector<std::string>& choices)
{
    if (!predict.is_object())
        return;
    const long long a =
        predict.contains("answer") && predict["answer"].is_number_integer() ? predict["answer"].get<long long>() : -1;
    if (a >= 0 && a < static_cast<long long>(choices.size()))
        fmt::print(out_, "    {} {}) {}{}\n", paint("1", "Answer:"), a + 1, safe(choices[static_cast<size_t>(a)]),
                   predict.value("why", "").empty() ? "" : " — " + block(predict.value("why", ""), "      "));
}

// What the step found: a script's output, where a chroot landed, a namespace change.
void TextPrinter::print_findings(const Json& data)
{
    if (data.contains("stdout") && data["stdout"].is_string() && !data["stdout"].get<std::string>().empty()) {
        std::string o = data["stdout"];
        size_t pos = 0;
        while (pos < o.size()) {
            size_t nl = o.find('\n', pos);
            if (nl == std::string::npos)
                nl = o.size();
            fmt::print(out_, "      {}\n", paint("2", "│ " + safe(o.substr(pos, nl - pos))));
            pos = nl + 1;
        }
    }
    if (data.contains("landed"))
        fmt::print(out_, "      landed on: {} · /etc/hostname: {} · /HOST_SECRET: {}\n", safe(data.value("landed", "")),
                   safe(data.value("hostname", "")),
                   data.value("secret_readable", false) ? paint("31", "READABLE") : "not there");
    if (data.contains("mntns_before") && data.contains("mntns_after") && data["mntns_before"] != data["mntns_after"])
        fmt::print(out_, "      mount namespace: {} → {}\n", safe(data["mntns_before"].dump()),
                   safe(data["mntns_after"].dump()));
}

// Changed mounts: many mounts changed the same way (make-rprivate) are one line.
void TextPrinter::print_changed(const std::string& view, const Json& changed)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> groups; // change text -> targets
    for (const Json& c : changed) {
        const std::string what = change_text(c, changed.size() > 1);
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == what; });
        if (it == groups.end())
            groups.push_back({what, {safe(c["after"].value("target", "?"))}});
        else
            it->second.push_back(safe(c["after"].value("target", "?")));
    }
    for (const auto& [what, targets] : groups) {
        if (targets.size() > 3)
            fmt::print(out_, "    {} {} {} mounts ({}, {}, ...): {}\n", view, paint("33", "~"), targets.size(),
                       targets[0], targets[1], what);
        else
            for (const std::string& t : targets)
                fmt::print(out_, "    {} {} {}: {}\n", view, paint("33", "~"), t, what);
    }
}

void TextPrinter::print_diff(const Json& d)
{
    const std::string view = d.value("view", "") == "host" ? "lab host " : "container";
    const bool normalised = d.value("basis", "") == "normalised";
    if (d["added"].empty() && d["removed"].empty() && d["changed"].empty()) {
        fmt::print(out_, "    {} {}\n", view,
                   paint("2", normalised ? "a new namespace: the same mounts as before (copied)" : "no change"));
        return;
    }
    if (normalised)
        fmt::print(out_, "    {} {}\n", view, paint("2", "a new namespace; compared by target:"));
    for (const Json& m : d["added"])
        fmt::print(out_, "    {} {} {}\n", view, paint("32", "+"), mount_line(m));
    for (const Json& m : d["removed"])
        fmt::print(out_, "    {} {} {}\n", view, paint("31", "-"), mount_line(m));
    print_changed(view, d["changed"]);
}

void TextPrinter::print_checks(const std::vector<const Json*>& checks)
{
    for (const Json* c : checks) {
        if (c->value("passed", false))
            fmt::print(out_, "    {} {}\n", paint("32", "✓"), safe(c->value("name", "")));
        else
            fmt::print(out_, "    {} {}: {}\n", paint("31", "✗"), safe(c->value("name", "")),
                       block(c->value("message", ""), "      | "));
    }
}

void TextPrinter::print_step()
{
    const StepEvents ev = sort_step_events(pending_);
    if (!ev.begin || !ev.end)
        return;
    const Json& begin = *ev.begin;
    const Json& end = *ev.end;
    print_stage_heading(begin.value("stage", ""));
    const std::string where = safe(begin.value("where", "container"));
    fmt::print(out_, "\n[{}] {} {}\n", begin.value("step", 0), safe(begin.value("title", "")),
               paint("2", "(" + where + ")"));
    // A prediction is asked before the step (here, printed before what it does) and
    // answered after its result.
    const Json predict = begin.contains("predict") && begin["predict"].is_object() ? begin["predict"] : Json();
    const std::vector<std::string> choices = prediction_choices(predict);
    print_question(predict, choices);
    print_what_it_does(begin, end);
    print_result(end);
    print_answer(predict, choices);
    print_findings(end["data"]);
    for (const Json* d : ev.diffs)
        print_diff(*d);
    for (const Json* c : ev.copyups)
        for (const Json& ch : (*c)["changes"])
            fmt::print(out_, "    upper     {} {}\n", paint("35", safe(ch.value("kind", ""))),
                       safe(ch.value("upper_path", "")));
    print_checks(ev.checks);
}

void TextPrinter::operator()(const Json& e)
{
    const std::string kind = e.value("kind", "");
    if (kind == "session") {
        fmt::print(out_, "{}\n",
                   paint("1", "MountLab: how a container gets its filesystem, step by step, on the real kernel"));
        fmt::print(out_,
                   "kernel {} · {} · lab host PID {} (its own mount, PID, UTS, IPC and network namespaces) · "
                   "ready in {:.1f} ms\n",
                   safe(e.value("kernel", "?")), e.value("rootless", false) ? "rootless (user namespace)" : "root",
                   e.value("lab_host_pid", 0), e.value("setup_us", 0) / 1000.0);
        const std::string trace = e.value("trace", "none");
        if (trace == "bpf")
            fmt::print(out_, "Tracing: eBPF, every mount-family and namespace system call of the lab, live.\n");
        else if (trace == "mountinfo")
            fmt::print(out_, "Tracing: mount-table changes only (eBPF unavailable: {}).\n",
                       safe(e.value("trace_unavailable", "?")));
        else
            fmt::print(out_, "Tracing: off ({}).\n", safe(e.value("trace_unavailable", "")));
        fmt::print(out_, "Everything happens inside the lab host: this machine's own mount table is never touched.\n");
        return;
    }
    if (kind == "walkthrough") {
        // Its stages, for the headings above each stage's first step.
        stages_.clear();
        if (e.contains("stages") && e["stages"].is_array())
            for (const Json& st : e["stages"])
                if (st.is_object())
                    stages_.emplace_back(st.value("id", ""), st.value("title", ""));
        return;
    }
    if (kind == "lesson") {
        stage_ = e.value("id", "");
        fmt::print(out_, "\n{}\n",
                   paint("1", fmt::format("━━ Lesson {}: {}", safe(e.value("id", "")), safe(e.value("title", "")))));
        if (!e.value("summary", "").empty())
            fmt::print(out_, "{}\n", defuse_workflow_commands(escape_multiline(e.value("summary", ""))));
        return;
    }
    if (kind == "table" && e.value("step", -1) == 0 && e.value("view", "") == "host") {
        // The starting point: the lab host's tree.
        MountTable t;
        for (const Json& m : e["mounts"]) {
            MountTable one = parse_mountinfo(m.value("raw", ""));
            for (Mount& x : one.mounts)
                t.mounts.push_back(std::move(x));
        }
        fmt::print(out_, "\nThe lab host's mounts (mnt ns {}):\n", e.value("mntns", 0ull));
        const std::string tree = print_tree(MountTree(std::move(t.mounts)), {false, false});
        size_t pos = 0;
        while (pos < tree.size()) {
            size_t nl = tree.find('\n', pos);
            fmt::print(out_, "  {}\n", tree.substr(pos, nl - pos));
            pos = nl + 1;
        }
        return;
    }
    if (kind == "step" || kind == "diff" || kind == "check" || kind == "copyup") {
        pending_.push_back(e);
        if (kind == "step" && e.value("phase", "") == "end") {
            print_step();
            pending_.clear();
        }
        return;
    }
    if (kind == "summary") {
        const int failed = e.value("failed", 0);
        const int steps = e.value("steps", 0);
        fmt::print(out_, "\n{} ({} steps, {:.1f} ms in all)\n",
                   failed == 0 ? paint("32;1", "Every step behaved as its lesson says.")
                               : paint("31;1", fmt::format("{} of {} steps did not behave as their lesson says.",
                                                           failed, steps)),
                   steps, e.value("duration_us", 0) / 1000.0);
        return;
    }
    if (kind == "log")
        fmt::print(out_, "{}",
                   defuse_workflow_commands(
                       fmt::format("{}: {}\n", safe(e.value("level", "info")), block(e.value("message", ""), "  | "))));
}

} // namespace mountlab::cli
