#include "stream/command.h"

#include "base/base64.h"
#include "base/jsonget.h"

#include <algorithm>
#include <map>

namespace mountlab::stream {

namespace {

Error bad(std::string why) { return Error{EINVAL, std::move(why)}; }

// The deepest nesting of arrays and objects in a JSON text; brackets inside strings do
// not count. nlohmann parses and destroys without recursion, but copies and prints a
// value with one call per level, so 400,000 '[' in an op overflowed the agent's stack.
size_t nesting_depth(std::string_view text)
{
    size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i; // the escaped character, a quote included
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

// A field that, when present, must have this type.
bool wrong_type(const Json& j, const char* key, bool (Json::*is)() const noexcept)
{
    auto it = j.find(key);
    return it != j.end() && !((*it).*is)();
}

Result<Command> parse_exec(const Json& j, Command c)
{
    auto it = j.find("argv");
    if (it == j.end() || !it->is_array() || it->empty())
        return bad("exec needs \"argv\": a non-empty list of strings");
    for (const Json& a : *it) {
        if (!a.is_string())
            return bad("exec's \"argv\" holds only strings");
        c.argv.push_back(a.get<std::string>());
    }
    if (wrong_type(j, "timeout_ms", &Json::is_number_integer))
        return bad("exec's \"timeout_ms\" is a whole number of milliseconds");
    c.timeout_ms = static_cast<int>(json_int(j, "timeout_ms", 10000, 1, kMaxTimeoutMs));
    for (const std::string& a : c.argv)
        c.shell += (c.shell.empty() ? "" : " ") + a;
    c.title = c.shell;
    return c;
}

Result<Command> parse_op(const Json& j, Command c)
{
    auto it = j.find("op");
    if (it == j.end() || !it->is_object() || json_string(*it, "op").empty())
        return bad("op needs \"op\": an object with a string \"op\", such as {\"op\":\"mount\",...}");
    c.op = *it;
    c.title = json_string(j, "title", json_string(c.op, "op"));
    c.shell = json_string(j, "shell");
    return c;
}

Result<Command> parse_terminal_id(const Json& j, const std::string& name, Command c)
{
    if (!j.contains("id") || !j["id"].is_number_integer() || j["id"].get<long long>() < 1)
        return bad(fmt::format(
            "{} needs \"id\": the terminal's id (a whole number from 1), as terminal-open's event gave it", name));
    c.terminal = static_cast<long>(json_int(j, "id", -1, 1, 1L << 30));
    return c;
}

Result<Command> parse_terminal_size(const Json& j, const std::string& name, Command c)
{
    for (const char* key : {"rows", "cols"}) {
        const bool required = c.kind == Command::Kind::TerminalResize;
        if (!j.contains(key) ? required
                             : !j[key].is_number_integer() || j[key].get<long long>() < 1 ||
                                   j[key].get<long long>() > kMaxTerminalSide)
            return bad(fmt::format("{}'s \"{}\" is a whole number from 1 to {}{}", name, key, kMaxTerminalSide,
                                   required ? " (required)" : ""));
    }
    c.rows = static_cast<int>(json_int(j, "rows", 24, 1, kMaxTerminalSide));
    c.cols = static_cast<int>(json_int(j, "cols", 80, 1, kMaxTerminalSide));
    return c;
}

// The bytes to type: "data", base64 (any bytes), or "text", a string typed as its UTF-8.
Result<Command> parse_terminal_input(const Json& j, Command c)
{
    const bool has_data = j.contains("data"), has_text = j.contains("text");
    if (has_data == has_text)
        return bad("terminal-input needs one of \"data\" (the bytes, base64) or \"text\" (a string)");
    if (has_text) {
        if (!j["text"].is_string())
            return bad("terminal-input's \"text\" is a string");
        c.data = j["text"].get<std::string>();
        return c;
    }
    if (!j["data"].is_string())
        return bad("terminal-input's \"data\" is a string of base64");
    auto bytes = base64_decode(j["data"].get<std::string>());
    if (!bytes)
        return bad("terminal-input's \"data\" is not base64 (RFC 4648, with padding)");
    c.data = std::move(*bytes);
    return c;
}

// Every command by its "cmd" name.
const std::map<std::string, Command::Kind, std::less<>>& command_kinds()
{
    static const std::map<std::string, Command::Kind, std::less<>> kinds = {
        {"list", Command::Kind::List},
        {"step", Command::Kind::Step},
        {"lessons", Command::Kind::Lessons},
        {"lesson-step", Command::Kind::LessonStep},
        {"op", Command::Kind::Op},
        {"exec", Command::Kind::Exec},
        {"snapshot", Command::Kind::Snapshot},
        {"reset", Command::Kind::Reset},
        {"reset-lab", Command::Kind::ResetLab},
        {"quit", Command::Kind::Quit},
        {"terminal-open", Command::Kind::TerminalOpen},
        {"terminal-input", Command::Kind::TerminalInput},
        {"terminal-resize", Command::Kind::TerminalResize},
        {"terminal-close", Command::Kind::TerminalClose},
        {"practice", Command::Kind::Practice},
        {"practice-check", Command::Kind::PracticeCheck},
        {"practice-submit", Command::Kind::PracticeSubmit},
        {"practice-stop", Command::Kind::PracticeStop},
        {"try", Command::Kind::Try},
        {"try-stop", Command::Kind::TryStop}};
    return kinds;
}

} // namespace

Result<Command> parse_command(std::string_view line)
{
    if (line.size() > kMaxCommandBytes)
        return bad(fmt::format("a command of {} bytes; the limit is {}", line.size(), kMaxCommandBytes));
    if (const size_t depth = nesting_depth(line); depth > kMaxCommandDepth)
        return bad(fmt::format("a command nested {} deep; the limit is {}", depth, kMaxCommandDepth));
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return bad("not a JSON object");
    const auto& kinds = command_kinds();
    if (!j.contains("cmd"))
        return bad("a command needs \"cmd\": list, step, lessons, lesson-step, op, exec, snapshot, reset, reset-lab, "
                   "quit, terminal-open, terminal-input, terminal-resize, terminal-close, practice, practice-check, "
                   "practice-submit, practice-stop, try or try-stop");
    if (wrong_type(j, "cmd", &Json::is_string))
        return bad("\"cmd\" is a string");
    const std::string name = json_string(j, "cmd");
    auto kind = kinds.find(name);
    if (kind == kinds.end())
        return bad(fmt::format("unknown command `{}` (list, step, lessons, lesson-step, op, exec, snapshot, reset, "
                               "reset-lab, quit, terminal-open, terminal-input, terminal-resize, terminal-close, "
                               "practice, practice-check, practice-submit, practice-stop, try, try-stop)",
                               name));
    for (const char* key : {"lesson", "exercise", "where", "stage", "title", "shell"})
        if (wrong_type(j, key, &Json::is_string))
            return bad(fmt::format("\"{}\" is a string", key));
    Command c;
    c.kind = kind->second;
    c.lesson = json_string(j, "lesson");
    c.exercise = json_string(j, "exercise");
    c.stage = json_string(j, "stage", "console");
    c.where = json_string(j, "where", "container");
    if (c.where != "container" && c.where != "lab host")
        return bad(fmt::format("\"where\" is \"container\" or \"lab host\", not `{}`", c.where));
    switch (c.kind) {
    case Command::Kind::Step:
    case Command::Kind::LessonStep:
    case Command::Kind::Try:
        if (!j.contains("index") || !j["index"].is_number_integer())
            return bad(fmt::format("{} needs \"index\": a whole number", name));
        c.index = static_cast<long>(json_int(j, "index", -1, -1, 1 << 20));
        if (c.kind == Command::Kind::Try && c.lesson.empty())
            c.lesson = "walkthrough";
        if (c.kind == Command::Kind::LessonStep && c.lesson.empty())
            return bad("lesson-step needs \"lesson\": a lesson's id");
        return c;
    case Command::Kind::Exec:
        return parse_exec(j, std::move(c));
    case Command::Kind::Op:
        return parse_op(j, std::move(c));
    case Command::Kind::TerminalOpen:
        return parse_terminal_size(j, name, std::move(c));
    case Command::Kind::TerminalResize: {
        auto r = parse_terminal_id(j, name, std::move(c));
        return r ? parse_terminal_size(j, name, std::move(*r)) : r;
    }
    case Command::Kind::TerminalInput: {
        auto r = parse_terminal_id(j, name, std::move(c));
        return r ? parse_terminal_input(j, std::move(*r)) : r;
    }
    case Command::Kind::TerminalClose:
        return parse_terminal_id(j, name, std::move(c));
    case Command::Kind::Practice:
        if (c.lesson.empty() || c.exercise.empty())
            return bad("practice needs \"lesson\" and \"exercise\": a lesson's id and one of its exercises' ids");
        return c;
    default:
        return c;
    }
}

} // namespace mountlab::stream
