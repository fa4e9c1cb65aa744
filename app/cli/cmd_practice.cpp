// mountlab-cli practice LESSON EXERCISE: an exercise done in the lab's terminal from a
// text console, with the live checklist the GUI's Practice shows: the exercise is set up
// in a fresh lab, the shell relayed as `shell` relays it, and after each command the
// checks, judged by the engine (engine/practice.h), printed between prompts when they
// change. Ctrl+] then a key: c checks (what is still wrong, with the teacher's advice),
// h shows the next hint, s submits (the commands typed, graded in a fresh sandbox as
// `grade` grades a script), q leaves.
#include "commands.h"
#include "engine/agent.h"
#include "engine/labsession.h"
#include "rawtty.h"
#include "shellscreen.h"
#include "tracer_options.h"

#include "base/textescape.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

namespace mountlab::cli {

namespace {

constexpr char kEscapeByte = 0x1d; // Ctrl+]

// The checklist as text: a line per check, its points, and what is wrong with it.
std::string checklist(const Json& p, bool with_feedback)
{
    std::string out = fmt::format("practice {}/{}: {} of {} points\n", p.value("lesson", ""), p.value("exercise", ""),
                                  p.value("score", 0), p.value("max", 0));
    for (const Json& c : p.value("checks", Json::array())) {
        const bool live = c.value("live", true), passed = c.value("passed", false);
        const char* mark = !live ? "…" : passed ? "✓" : "✗";
        out += fmt::format("  {} {:>2}  {}", mark, c.value("max", 0), escape_text(c.value("name", "")));
        if (!passed && !c.value("message", "").empty())
            out += " — " + escape_text(c.value("message", ""));
        out += "\n";
        if (with_feedback && !passed && live && !c.value("feedback", "").empty())
            out += "        " + escape_text(c.value("feedback", "")) + "\n";
    }
    return out;
}

// What a checklist looks like, to print it only when it changed.
std::string fingerprint(const Json& p)
{
    std::string f = std::to_string(p.value("score", 0));
    for (const Json& c : p.value("checks", Json::array()))
        f += c.value("passed", false) ? '1' : '0';
    return f;
}

std::string grade_text(const Json& g)
{
    const Json& r = g["result"];
    std::string out = fmt::format("submitted: {} with {} of {} points (graded in a fresh sandbox, as `mountlab-cli "
                                  "grade {} -e {} script.sh` grades it)\n",
                                  r.value("status", ""), r.value("score", 0), r.value("max_score", 0),
                                  g.value("lesson", ""), g.value("exercise", ""));
    for (const Json& c : r.value("checks", Json::array()))
        out += fmt::format("  {} {}/{}  {}{}\n", c.value("passed", false) ? "✓" : "✗", c.value("points", 0),
                           c.value("max", 0), escape_text(c.value("name", "")),
                           c.value("passed", false) ? "" : " — " + escape_text(c.value("message", "")));
    if (!r.value("note", "").empty())
        out += "  note: " + escape_text(r.value("note", "")) + "\n";
    return out;
}

// The events shown on the console: the terminal's and the steps' as `shell` shows
// them, the practice's as a checklist.
struct PracticeScreen {
    ShellScreen& screen;
    Json last = nullptr;     // the newest practice event
    std::string shown_print; // the checklist last printed
    int terminal = 0;
    std::string error;  // the newest error event's message
    std::string graded; // the last submission's status

    void operator()(const Json& e)
    {
        const std::string kind = e.value("kind", "");
        if (kind == "practice") {
            last = e;
            if (fingerprint(e) != shown_print || e.value("reason", "") == "check") {
                shown_print = fingerprint(e);
                screen.say(checklist(e, e.value("reason", "") == "check"));
            }
        } else if (kind == "practice-grade") {
            graded = e["result"].value("status", "");
            screen.say(grade_text(e));
        } else if (kind == "error") {
            error = e.value("message", "");
            screen.say("mountlab-cli practice: " + escape_text(error) + "\n");
        } else if (kind == "command") {
            // the checklist that follows says what it did
        } else {
            if (kind == "terminal" && e.value("opened", false))
                terminal = e.value("id", 0);
            screen(e);
        }
    }
};

struct PracticeRelay {
    engine::Agent& agent;
    PracticeScreen& view;
    const WindowChanges& changes;
    bool escape = false; // Ctrl+] was typed: the next key is for the practice
    size_t hints_shown = 0;
    bool leave = false;

    Result<int> run()
    {
        while (!view.screen.closed() && !leave) {
            auto keys = console_round(agent.terminals(), changes, view.terminal);
            if (!keys)
                return keys.error();
            if (*keys && !relay_keys())
                return 0;
            agent.after_round();
        }
        return view.screen.exit_status();
    }

    // False at the end of the console's input.
    bool relay_keys()
    {
        char buf[4096];
        const ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            return true;
        if (n <= 0)
            return false;
        std::string_view typed(buf, static_cast<size_t>(n));
        while (!typed.empty() && !leave) {
            if (escape) {
                escape = false;
                practice_key(typed.front());
                typed.remove_prefix(1);
                continue;
            }
            const size_t stop = typed.find(kEscapeByte);
            (void)agent.terminals().input(view.terminal, typed.substr(0, stop));
            if (stop == std::string_view::npos)
                break;
            escape = true;
            view.screen.say(
                "[practice] c: check  h: next hint  s: submit  q: leave  (another key: back to the shell)\n");
            typed.remove_prefix(stop + 1);
        }
        return true;
    }

    void practice_key(char key)
    {
        if (key == 'c') {
            agent.handle(R"({"cmd":"practice-check"})", 0);
        } else if (key == 's') {
            view.screen.say("grading the commands you typed in a fresh sandbox...\n");
            agent.handle(R"({"cmd":"practice-submit"})", 0);
        } else if (key == 'h') {
            const Json hints = view.last.is_object() ? view.last.value("hints", Json::array()) : Json::array();
            if (hints_shown < hints.size()) {
                ++hints_shown;
                view.screen.say(fmt::format("hint {} of {}: {}\n", hints_shown, hints.size(),
                                            escape_text(hints[hints_shown - 1].get<std::string>())));
            } else {
                view.screen.say(hints.empty() ? "this exercise has no hints\n" : "no more hints\n");
            }
        } else if (key == 'q') {
            leave = true;
        }
    }
};

// The task and how the console works, before the shell's first prompt.
void introduce(const Json& p)
{
    fmt::print("\n{}\n\n{}\n", escape_text(p.value("title", "")), p.value("task", ""));
    fmt::print("Type in the container's shell below; the checks are judged after each command. "
               "Ctrl+] then c: check, h: hint, s: submit, q: leave.\n\n");
    fflush(stdout);
}

} // namespace

Runner add_practice(CLI::App& app)
{
    struct Opts {
        std::string lesson, exercise;
        std::string tracer = "auto";
    };
    auto o = std::make_shared<Opts>();
    app.add_option("lesson", o->lesson, "The lesson's id")->required();
    app.add_option("exercise", o->exercise, "The exercise's id (`mountlab-cli lessons` lists them)")->required();
    add_tracer_options(app, o->tracer);
    app.footer("An exercise done in the lab's terminal: a fresh lab set up as the exercise says, the\n"
               "container's shell (PID 1 of a PID namespace of its own, as a graded script is), and after\n"
               "each command the exercise's checks judged on the lab, printed when they change. Ctrl+] then\n"
               "c checks (with what is still wrong), h shows the next hint, s submits the commands typed\n"
               "(graded in a fresh sandbox exactly as `mountlab-cli grade` grades a script), q leaves.\n"
               "Exit status: 0 when the last submission passed, 1 when it did not or none was made, 2 when\n"
               "the practice could not start.");
    return [o]() -> int {
        ShellScreen screen;
        PracticeScreen view{screen};
        stream::Sink sink = [&view](const Json& e) { view(e); };
        lab::LabOptions opts;
        engine::Tracing tracing = engine::start_tracing(o->tracer);
        engine::follow_lab(tracing, opts);
        auto lab = lab::Lab::start(opts);
        if (!lab) {
            fmt::print(stderr, "mountlab-cli practice: cannot start the lab: {}\n", escape_text(lab.error().message));
            return 2;
        }
        engine::Agent agent(**lab, sink, tracing.feed.get(), tracing.reason);
        if (Status s = agent.begin(); !s) {
            fmt::print(stderr, "mountlab-cli practice: {}\n", escape_text(s.error().message));
            return 2;
        }
        agent.handle(Json{{"cmd", "practice"}, {"lesson", o->lesson}, {"exercise", o->exercise}}.dump(), 1);
        if (!view.last.is_object() || !view.last.value("active", false))
            return 2; // the error event said why
        introduce(view.last);
        WindowChanges changes;
        if (Status s = changes.open(); !s) {
            fmt::print(stderr, "mountlab-cli practice: {}\n", escape_text(s.error().message));
            return 2;
        }
        const auto [rows, cols] = window_size();
        agent.handle(Json{{"cmd", "terminal-open"}, {"where", "container"}, {"rows", rows}, {"cols", cols}}.dump(), 2);
        if (view.terminal == 0)
            return 2;
        Result<int> status = 0;
        {
            RawTty raw(STDIN_FILENO);
            screen.set_raw(raw.active());
            status = PracticeRelay{agent, view, changes}.run();
            if (!screen.closed())
                (void)agent.terminals().close(view.terminal);
        }
        screen.set_raw(false);
        if (!status) {
            fmt::print(stderr, "\nmountlab-cli practice: {}\n", escape_text(status.error().message));
            return 2;
        }
        fmt::print("\n[left the practice; the lab is gone with it]{}\n",
                   view.graded.empty() ? " (nothing was submitted)" : " (the last submission: " + view.graded + ")");
        return view.graded == "passed" ? 0 : 1;
    };
}

} // namespace mountlab::cli
