#include "lab/steprunner.h"

#include "base/jsonget.h"

#include <algorithm>

namespace mountlab::lab {

using Clock = std::chrono::steady_clock;

std::string lab_host_changes(const StepContext& c)
{
    MountDiff d = diff(c.before.host.mounts, c.after.host.mounts);
    if (d.empty())
        return {};
    std::string what;
    for (const Mount& m : d.added)
        what += " +" + m.target;
    for (const Mount& m : d.removed)
        what += " -" + m.target;
    for (const MountChange& m : d.changed)
        what += " ~" + m.after.target;
    return "the lab host's table changed:" + what;
}

void StepRunner::emit_views(int step, const Snapshot* before, const Snapshot& after)
{
    sink_(stream::table(step, "host", after.host_mntns, after.host.mounts));
    // Not the container process's table: that of the process in the foreground of
    // the container's terminal (after `unshare --mount bash`, `chroot DIR`).
    std::optional<stream::ViewProcess> view;
    if (after.view_pid > 0)
        view = stream::ViewProcess{after.view_pid, after.view_comm};
    sink_(stream::table(step, "container", after.container_mntns, after.container.mounts, view));
    if (before) {
        sink_(stream::diff(step, "host", mountlab::diff(before->host.mounts, after.host.mounts)));
        // A new mount namespace copies every mount under new IDs: compare the normalised
        // forms then, so the learner sees "a copy", not "everything replaced".
        if (before->container_mntns != after.container_mntns)
            sink_(stream::normal_diff(step, "container",
                                      diff_normalised(normalise(MountTree(before->container.mounts)),
                                                      normalise(MountTree(after.container.mounts)))));
        else
            sink_(stream::diff(step, "container", mountlab::diff(before->container.mounts, after.container.mounts)));
    }
}

std::vector<Json> StepRunner::drain_trace(int step)
{
    if (!tracer_)
        return {};
    auto calls = tracer_->drain();
    if (!calls) {
        // The feed is gone (the helper exited): from here on, say so instead.
        trace_unavailable_ = "the trace stopped: " + calls.error().message;
        tracer_ = nullptr;
        sink_(stream::log("warning", trace_unavailable_));
        return {};
    }
    // Calls the tracer could not hand over are said, not hidden (a flood of calls can
    // fill its buffer); they are not calls of the step.
    std::vector<Json> out;
    for (Json& j : *calls) {
        if (json_string(j, "kind") == "lost") {
            sink_(stream::log("warning",
                              j["count"].is_number()
                                  ? fmt::format("the trace lost {} calls here (its buffer was full)", j["count"].dump())
                                  : std::string("the trace may have lost calls here (its buffer was full)")));
            continue;
        }
        if (step > 0)
            j["step"] = step;
        if (call_log_)
            call_log_->push_back(j);
        out.push_back(std::move(j));
    }
    return out;
}

namespace {
bool same_tables(const Snapshot& a, const Snapshot& b)
{
    return a.host_mntns == b.host_mntns && a.container_mntns == b.container_mntns &&
           mountlab::diff(a.host.mounts, b.host.mounts).empty() &&
           mountlab::diff(a.container.mounts, b.container.mounts).empty();
}

// The strace form of each call but program starts: a step end's "calls".
std::vector<std::string> call_texts(const std::vector<Json>& calls)
{
    std::vector<std::string> texts;
    for (const Json& c : calls)
        if (json_string(c, "name") != "exec")
            texts.push_back(json_string(c, "text"));
    return texts;
}

stream::StepBegin begin_of(int id, const StepSpec& spec)
{
    return stream::StepBegin{.step = id,
                             .stage = spec.stage,
                             .id = spec.id,
                             .title = spec.title,
                             .shell = spec.shell,
                             .syscall = spec.syscall,
                             .explain = spec.explain,
                             .where = spec.where,
                             .op = spec.op,
                             .lesson = spec.lesson,
                             .index = spec.index,
                             .predict = spec.predict};
}

// The "copyup" event of a file operation in an overlay, from its report
// (upper_changes and the rest, see core/lab/ops/files.cpp).
stream::CopyUp copyup_of(int id, const Json& data)
{
    stream::CopyUp c;
    c.step = id;
    c.overlay = json_string(data, "overlay");
    c.upperdir = json_string(data, "upperdir");
    c.lowerdirs = json_strings(data, "lowerdirs");
    if (auto it = data.find("upper_changes"); it != data.end() && it->is_array())
        for (const Json& ch : *it)
            c.changes.push_back({json_string(ch, "path"), json_string(ch, "kind"), json_string(ch, "upper_path")});
    if (auto it = data.find("lower"); it != data.end() && it->is_object())
        c.lower = stream::LowerFile{json_string(*it, "layer"), json_string(*it, "path"), json_bool(*it, "unchanged")};
    return c;
}
} // namespace

void StepRunner::emit_calls_between_steps()
{
    for (const Json& c : drain_trace(0))
        sink_(c);
}

bool StepRunner::observe_terminal(const std::string& where, pid_t view_pid)
{
    std::vector<Json> calls = drain_trace(0);
    auto after = lab_.snapshot(view_pid);
    if (!after) {
        sink_(stream::log("warning",
                          "the mount tables after terminal commands cannot be read: " + after.error().message));
        return false;
    }
    // A program started (an "exec" event) is no step of its own: only the mount-family
    // and namespace calls, or a change of the tables, make one.
    const bool calls_of_note =
        std::any_of(calls.begin(), calls.end(), [](const Json& c) { return json_string(c, "kind") != "exec"; });
    if (!calls_of_note && same_tables(last_, *after)) {
        for (const Json& c : calls)
            sink_(c);
        return false;
    }
    const int id = ++step_;
    stream::StepBegin begin;
    begin.step = id;
    begin.stage = "terminal";
    begin.id = "terminal";
    begin.title = "Commands typed in the terminal";
    begin.where = where;
    begin.op = Json{{"op", "terminal"}};
    sink_(stream::step_begin(begin));
    for (Json& c : calls) {
        c["step"] = id;
        sink_(c);
    }
    emit_views(id, &last_, *after);
    stream::StepEnd end;
    end.step = id;
    end.calls = call_texts(calls);
    sink_(stream::step_end(end));
    last_ = std::move(*after);
    return true;
}

Status StepRunner::begin()
{
    auto s = lab_.snapshot();
    if (!s)
        return s.error();
    last_ = std::move(*s);
    emit_views(0, nullptr, last_);
    return Ok{};
}

OpResult StepRunner::perform(const StepSpec& spec, bool& fresh)
{
    OpResult result;
    const std::vector<Json> ops = spec.op.is_array()    ? std::vector<Json>(spec.op.begin(), spec.op.end())
                                  : spec.op.is_object() ? std::vector<Json>{spec.op}
                                                        : std::vector<Json>{};
    for (const Json& one : ops) {
        const std::string op = json_string(one, "op");
        if (op.empty()) {
            result = OpResult::failure(EINVAL, "an operation needs \"op\": its name, such as \"mount\"");
        } else if (op == "reset_container" || op == "reset_lab") {
            fresh = true;
            Status s = op == "reset_container" ? lab_.reset_container() : lab_.reset_lab();
            result = s ? OpResult{} : OpResult::failure(s.error().errnum, s.error().message);
        } else {
            auto r = spec.where == "lab host" ? lab_.in_lab_host(one) : lab_.in_container(one);
            result = r ? *r : OpResult::failure(r.error().errnum, r.error().message);
        }
        if (!result.ok)
            break; // the first failure ends the step
    }
    return result;
}

bool StepRunner::check(int id, const StepSpec& spec, const OpResult& result, const Snapshot& after,
                       const std::vector<Json>& calls)
{
    bool passed = result.ok == spec.expect_ok;
    if (!passed)
        sink_(stream::check({id, spec.expect_ok ? "the operation succeeds" : "the operation fails", false,
                             result.ok ? std::string("it succeeded") : result.message}));
    const StepContext ctx{result, last_, after, lab_, tracer_ ? &calls : nullptr, trace_unavailable_};
    for (const Check& c : spec.checks) {
        const std::string why = c.fn(ctx);
        passed = passed && why.empty();
        sink_(stream::check({id, c.name, why.empty(), why}));
    }
    return passed;
}

bool StepRunner::run(const StepSpec& spec)
{
    const int id = ++step_;
    sink_(stream::step_begin(begin_of(id, spec)));
    // Calls made between steps (the lab's set-up, a console) go out on their own.
    emit_calls_between_steps();
    const auto t0 = Clock::now();
    bool fresh = false; // a reset: new tables, nothing to diff them against
    const OpResult result = perform(spec, fresh);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();

    const std::vector<Json> calls = drain_trace(id);
    for (const Json& c : calls)
        sink_(c);
    Snapshot after;
    if (auto s = lab_.snapshot())
        after = std::move(*s);
    // After a reset the old and new tables belong to different labs (or containers):
    // a diff by mount ID would call everything gone or changed. Tables only.
    emit_views(id, fresh ? nullptr : &last_, after);
    if (result.data.contains("upper_changes"))
        sink_(stream::copyup(copyup_of(id, result.data)));

    const bool passed = check(id, spec, result, after, calls);
    if (!passed)
        ++failed_;
    sink_(stream::step_end(
        {id, result.ok, result.err, result.message, result.cause, us, passed, call_texts(calls), result.data}));
    last_ = std::move(after);
    return passed;
}

void StepRunner::record_typed(StepSpec spec, const Snapshot& before, Snapshot after, const OpResult& result,
                              const std::vector<std::string>& commands, const std::vector<Json>& calls,
                              const std::vector<std::pair<std::string, std::string>>& checks)
{
    const int id = ++step_;
    spec.op = Json{{"op", "typed"}, {"commands", commands}};
    sink_(stream::step_begin(begin_of(id, spec)));
    // The calls went out as they came (with the terminal's steps): named here, not repeated.
    emit_views(id, &before, after);
    for (const auto& [name, why] : checks)
        sink_(stream::check({id, name, why.empty(), why}));
    sink_(stream::step_end(
        {id, result.ok, result.err, result.message, result.cause, 0, true, call_texts(calls), result.data}));
    last_ = std::move(after);
}

} // namespace mountlab::lab
