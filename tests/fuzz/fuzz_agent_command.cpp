// libFuzzer target for the agent's commands: a line any client of `mountlab-cli agent`
// (the GUI, a script, whatever can write its stdin) sends. parse_command must never
// throw, must say why when it refuses, and what it accepts must be in range and safe to
// turn into the step the agent runs (the agent copies the op and prints it in events).
// Build: cmake --preset fuzz && cmake --build build-fuzz --target fuzz_agent_command
// Run:   build-fuzz/bin/fuzz_agent_command tests/fuzz/corpus/fuzz_agent_command
#include "base/jsonget.h"
#include "stream/command.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using mountlab::Json;
using mountlab::stream::Command;

void check_accepted(const Command& c)
{
    if (c.timeout_ms < 1 || c.timeout_ms > mountlab::kMaxTimeoutMs)
        __builtin_trap();
    if (c.where != "container" && c.where != "lab host")
        __builtin_trap();
    if ((c.kind == Command::Kind::Step || c.kind == Command::Kind::LessonStep) && (c.index < -1 || c.index > (1 << 20)))
        __builtin_trap();
    if (c.kind == Command::Kind::Exec && c.argv.empty())
        __builtin_trap();
    if (c.kind == Command::Kind::Op && (!c.op.is_object() || mountlab::json_string(c.op, "op").empty()))
        __builtin_trap();
    // What cmd_agent.cpp does with it: the step's op, copied into the begin event and printed.
    const Json op =
        c.kind == Command::Kind::Exec ? Json{{"op", "exec"}, {"argv", c.argv}, {"timeout_ms", c.timeout_ms}} : c.op;
    const Json event{{"kind", "step"}, {"title", c.title}, {"shell", c.shell}, {"op", op}};
    (void)event.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    auto parsed = mountlab::stream::parse_command(line);
    if (!parsed) {
        if (parsed.error().message.empty())
            __builtin_trap();
        return 0;
    }
    check_accepted(*parsed);
    return 0;
}
