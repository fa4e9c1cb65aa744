#include "stream/traceevents.h"

#include "base/error.h"

namespace mountlab::stream {

namespace {

void write_value(JsonWriter& w, const trace::SyscallArg& a)
{
    using Kind = trace::SyscallArg::Kind;
    switch (a.kind) {
    case Kind::String:
    case Kind::Symbol:
        w.value(a.text);
        break;
    case Kind::Null:
        w.null();
        break;
    case Kind::Integer:
        w.value(a.number);
        break;
    }
}

// "args": the arguments in order, a struct's fields grouped under its name.
void write_args(JsonWriter& w, const std::vector<trace::SyscallArg>& args)
{
    w.key("args");
    w.begin_object();
    std::string_view open_group;
    for (const trace::SyscallArg& a : args) {
        if (a.group != open_group) {
            if (!open_group.empty())
                w.end_object();
            if (!a.group.empty()) {
                w.key(a.group);
                w.begin_object();
            }
            open_group = a.group;
        }
        w.key(a.name);
        write_value(w, a);
    }
    if (!open_group.empty())
        w.end_object();
    w.end_object();
}

void write_truncated(JsonWriter& w, const std::vector<trace::SyscallArg>& args)
{
    std::vector<std::string_view> cut;
    for (const trace::SyscallArg& a : args)
        if (a.truncated)
            cut.push_back(a.name);
    if (cut.empty())
        return;
    w.key("truncated");
    w.begin_array();
    for (std::string_view n : cut)
        w.value(n);
    w.end_array();
}

void write_mount(JsonWriter& w, const Mount& m)
{
    w.begin_object();
    w.field("target", m.target);
    w.field("source", m.source_with_root());
    w.field("fstype", m.fstype);
    w.field("options", m.options);
    w.field("propagation", m.propagation());
    w.end_object();
}

void write_mounts(JsonWriter& w, std::string_view key, const std::vector<Mount>& mounts)
{
    w.key(key);
    w.begin_array();
    for (const Mount& m : mounts)
        write_mount(w, m);
    w.end_array();
}

} // namespace

void write_syscall(JsonWriter& w, const trace::SyscallEvent& e, bool with_text)
{
    w.begin_object();
    w.field("kind", e.kind == trace::SyscallEvent::Kind::Exec ? "exec" : "syscall");
    w.field("name", e.name);
    write_args(w, e.args);
    w.field("ret", e.err != 0 ? std::int64_t{-1} : e.ret);
    w.key("errno");
    if (e.err != 0)
        w.value(errno_name(e.err));
    else
        w.null();
    write_truncated(w, e.args);
    w.field("pid", e.pid);
    w.field("tid", e.tid);
    w.field("comm", e.comm);
    w.field("mntns_before", e.mntns_before);
    w.field("mntns_after", e.mntns_after);
    w.field("ts_ns", e.ts_ns);
    w.field("latency_ns", e.latency_ns);
    if (e.step)
        w.field("step", *e.step);
    if (with_text)
        w.field("text", trace::to_strace(e));
    w.end_object();
}

Json syscall(const trace::SyscallEvent& e)
{
    JsonWriter w;
    write_syscall(w, e);
    Json j = Json::parse(w.view());
    // Set here, not by the writer: the text stays bytes until the stream's sink, which
    // replaces invalid UTF-8 as it writes the line.
    j["text"] = trace::to_strace(e);
    return j;
}

void write_mount_change(JsonWriter& w, const trace::MountChangeEvent& e)
{
    w.begin_object();
    w.field("kind", "mount-change");
    w.field("reason", e.reason);
    w.field("pid", static_cast<std::int64_t>(e.pid));
    w.field("ts_ns", e.ts_ns);
    w.field("mntns_before", e.mntns_before);
    w.field("mntns_after", e.mntns_after);
    write_mounts(w, "added", e.diff.added);
    write_mounts(w, "removed", e.diff.removed);
    w.key("changed");
    w.begin_array();
    for (const MountChange& c : e.diff.changed) {
        w.begin_object();
        w.field("target", c.after.target);
        w.key("fields");
        w.begin_array();
        for (const std::string& f : c.fields)
            w.value(f);
        w.end_array();
        w.key("before");
        write_mount(w, c.before);
        w.key("after");
        write_mount(w, c.after);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_tracer_ready(JsonWriter& w, std::int64_t tracing, std::int64_t probes, const std::vector<std::string>& notes)
{
    w.begin_object();
    w.field("kind", "tracer");
    w.field("ready", true);
    w.field("tracing", tracing);
    w.field("probes", probes);
    w.key("notes");
    w.begin_array();
    for (const std::string& n : notes)
        w.value(n);
    w.end_array();
    w.end_object();
}

void write_tracer_refused(JsonWriter& w, const std::string& why)
{
    w.begin_object();
    w.field("kind", "tracer");
    w.field("ready", false);
    w.field("error", why);
    w.end_object();
}

void write_sync(JsonWriter& w, const std::string& mark)
{
    w.begin_object();
    w.field("kind", "sync");
    w.field("mark", mark);
    w.end_object();
}

} // namespace mountlab::stream
