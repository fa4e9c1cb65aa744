// The trace's kinds: "syscall" and "exec" (a traced call, a program started), and
// "mount-change" (the fallback without eBPF: a mount table changed). Written with
// JsonWriter, as the tracer helper and `mountlab-cli trace --json` print them; the
// engine's stream carries the same objects (with "text", the strace form). Also the
// tracer helper's own lines to the engine ("tracer", "sync"; "lost" is in events.h).
#pragma once

#include "base/json.h"
#include "base/jsonwriter.h"
#include "trace/mountinfowatcher.h"
#include "trace/syscallevent.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mountlab::stream {

// {"kind":"syscall"|"exec","name","args":{...},"ret","errno"[,"truncated"],"pid","tid",
//  "comm","mntns_before","mntns_after","ts_ns","latency_ns"[,"step"][,"text"]}:
// args by their man page names (a struct argument's fields in an object of its own),
// each a string, null or number; ret -1 and errno its name when the call failed (else
// null); truncated lists the string arguments cut at the probe's buffer. With_text adds
// "text", the call as strace shows it.
void write_syscall(JsonWriter& w, const trace::SyscallEvent& e, bool with_text = false);
// The same object as the engine's stream carries it (with "text").
[[nodiscard]] Json syscall(const trace::SyscallEvent& e);

// {"kind":"mount-change","reason","pid","ts_ns","mntns_before","mntns_after",
//  "added":[m],"removed":[m],"changed":[{"target","fields","before":m,"after":m}]},
// m being {"target","source","fstype","options","propagation"}.
void write_mount_change(JsonWriter& w, const trace::MountChangeEvent& e);

// The tracer helper's first line: {"kind":"tracer","ready":true,"tracing":PID,
// "probes":N,"notes":[...]} once attached, or {"kind":"tracer","ready":false,"error"}.
void write_tracer_ready(JsonWriter& w, std::int64_t tracing, std::int64_t probes,
                        const std::vector<std::string>& notes);
void write_tracer_refused(JsonWriter& w, const std::string& why);
// {"kind":"sync","mark"}: the helper saw the engine's sync mark (core/lab/callfeed.h).
void write_sync(JsonWriter& w, const std::string& mark);

} // namespace mountlab::stream
