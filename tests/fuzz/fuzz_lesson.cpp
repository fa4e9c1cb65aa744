// libFuzzer target for the lesson loader: YAML a teacher (or anyone who can write the
// lessons directory) hands to `lint`, `run` and the root agent. Any crash, sanitizer
// report or diagnostic without a place is a bug.
// Build: cmake --preset fuzz && cmake --build build-fuzz --target fuzz_lesson
// Run:   build-fuzz/bin/fuzz_lesson tests/fuzz/corpus/fuzz_lesson
#include "lesson/loader.h"
#include "lesson/runner.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace mountlab;
    const std::string text(reinterpret_cast<const char*>(data), size);
    const lesson::LoadResult r = lesson::load_lesson_text(text, "fuzz.yaml");
    for (const lesson::Diagnostic& d : r.diagnostics)
        if (d.message.empty() || d.place.file != "fuzz.yaml")
            __builtin_trap();
    if (r.ok())
        (void)lesson::lesson_event(r.lesson).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}
