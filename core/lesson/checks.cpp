#include "lesson/checks.h"

#include <algorithm>

namespace mountlab::lesson {

namespace {

std::string s(const Json& p, const char* k, const std::string& d = {})
{
    auto it = p.find(k);
    return it != p.end() && it->is_string() ? it->get<std::string>() : d;
}

bool b(const Json& p, const char* k, bool d)
{
    auto it = p.find(k);
    return it != p.end() && it->is_boolean() ? it->get<bool>() : d;
}

const MountTable& view_table(const lab::StepContext& ctx, const Json& p)
{
    return s(p, "view", "container") == "host" ? ctx.after.host : ctx.after.container;
}

std::string view_name(const Json& p) { return s(p, "view", "container") == "host" ? "lab host" : "container"; }

const Mount* top_at(const MountTable& t, const std::string& target)
{
    const Mount* found = nullptr;
    for (const Mount& m : t.mounts)
        if (m.target == target)
            found = &m;
    return found;
}

bool has_option(const Mount& m, const std::string& opt)
{
    auto in = [&](const std::string& list) {
        size_t pos = 0;
        while (pos <= list.size()) {
            size_t comma = list.find(',', pos);
            if (comma == std::string::npos)
                comma = list.size();
            const std::string o = list.substr(pos, comma - pos);
            if (o == opt || (opt.find('=') == std::string::npos && o.rfind(opt + "=", 0) == 0) ||
                (opt.find('=') != std::string::npos && o.rfind(opt, 0) == 0))
                return true;
            pos = comma + 1;
        }
        return false;
    };
    return in(m.vfs_options) || in(m.super_options);
}

lab::OpResult ask(const lab::StepContext& ctx, const std::string& where, const Json& op)
{
    auto r = where == "host" || where == "lab host" ? ctx.lab.in_lab_host(op) : ctx.lab.in_container(op);
    return r ? *r : lab::OpResult::failure(r.error().errnum, r.error().message);
}

std::string check_mount(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    const std::string target = s(p, "target");
    const Mount* m = top_at(view_table(ctx, p), target);
    if (!b(p, "present", true))
        return m ? fmt::format("{} ({}) is mounted on {} in the {}", m->fstype, m->source, target, view_name(p)) : std::string();
    if (!m)
        return fmt::format("nothing is mounted on {} in the {}", target, view_name(p));
    if (p.contains("fstype") && m->fstype != s(p, "fstype"))
        return fmt::format("{} is {}, not {}", target, m->fstype, s(p, "fstype"));
    if (p.contains("source") && m->source != s(p, "source"))
        return fmt::format("{}'s source is `{}`, not `{}`", target, m->source, s(p, "source"));
    if (p.contains("options"))
        for (const auto& o : p["options"])
            if (!has_option(*m, o.get<std::string>()))
                return fmt::format("{} has no option `{}` (it has {} and {})", target, o.get<std::string>(), m->vfs_options,
                                   m->super_options);
    return {};
}

std::string check_propagation(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    const std::string target = s(p, "target");
    const Mount* m = top_at(view_table(ctx, p), target);
    if (!m)
        return fmt::format("nothing is mounted on {} in the {}", target, view_name(p));
    const std::string want = s(p, "is");
    bool ok = false;
    if (want == "shared")
        ok = m->shared && !m->master;
    else if (want == "private")
        ok = m->is_private();
    else if (want == "slave")
        ok = m->master && !m->shared;
    else if (want == "shared,slave")
        ok = m->shared && m->master;
    else if (want == "unbindable")
        ok = m->unbindable;
    if (ok)
        return {};
    const std::string groups = (m->shared ? fmt::format(" shared:{}", m->shared) : std::string()) +
                               (m->master ? fmt::format(" master:{}", m->master) : std::string());
    return fmt::format("{} is {}{} in the {}", target, m->propagation(), groups, view_name(p));
}

std::string check_file(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    const std::string where = s(p, "where", "container");
    const std::string path = s(p, "path");
    const lab::OpResult st = ask(ctx, where, Json{{"op", "stat"}, {"path", path}});
    if (!st.ok)
        return st.message;
    const bool exists = st.data.value("exists", false);
    if (!b(p, "exists", true))
        return exists ? fmt::format("{} exists in the {}", path, where) : std::string();
    if (!exists)
        return fmt::format("{} does not exist in the {}", path, where);
    if (p.contains("type") && st.data.value("type", "") != s(p, "type"))
        return fmt::format("{} is a {}, not a {}", path, st.data.value("type", "?"), s(p, "type"));
    if (p.contains("contains") || p.contains("equals") || p.contains("not_contains")) {
        const lab::OpResult rd = ask(ctx, where, Json{{"op", "read"}, {"path", path}});
        if (!rd.ok)
            return rd.message;
        const std::string text = rd.data.value("content", "");
        if (p.contains("equals") && text != s(p, "equals"))
            return fmt::format("{} holds `{}`", path, text.substr(0, 200));
        if (p.contains("contains") && text.find(s(p, "contains")) == std::string::npos)
            return fmt::format("{} does not contain `{}` (it holds `{}`)", path, s(p, "contains"), text.substr(0, 200));
        if (p.contains("not_contains") && text.find(s(p, "not_contains")) != std::string::npos)
            return fmt::format("{} contains `{}`", path, s(p, "not_contains"));
    }
    return {};
}

std::string check_syscall(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    if (!ctx.syscalls)
        return "system calls cannot be checked here: " +
               (ctx.trace_unavailable.empty() ? std::string("the step was not traced") : ctx.trace_unavailable);
    const std::string name = s(p, "name");
    const std::string result = s(p, "result");
    const bool want_seen = b(p, "seen", true);
    for (const Json& e : *ctx.syscalls) {
        if (e.value("name", "") != name)
            continue;
        bool match = true;
        if (p.contains("args"))
            for (auto it = p["args"].begin(); it != p["args"].end() && match; ++it) {
                const Json& args = e.contains("args") ? e["args"] : Json::object();
                const std::string have = args.contains(it.key()) ? (args[it.key()].is_string() ? args[it.key()].get<std::string>()
                                                                                             : args[it.key()].dump())
                                                                 : std::string();
                match = have.find(it.value().is_string() ? it.value().get<std::string>() : it.value().dump()) != std::string::npos;
            }
        if (match && !result.empty()) {
            const bool ok = e.value("ret", -1LL) >= 0;
            match = result == "ok" ? ok : (!ok && e.value("errno", Json()).is_string() && e["errno"] == result);
        }
        if (match)
            return want_seen ? std::string() : fmt::format("{} was called: {}", name, e.value("text", e.dump()));
    }
    if (!want_seen)
        return {};
    size_t n = 0;
    for (const Json& e : *ctx.syscalls)
        n += e.value("name", "") == name;
    return n ? fmt::format("{} was called {} time{}, never as asked", name, n, n == 1 ? "" : "s")
             : fmt::format("{} was never called", name);
}

std::string check_escape(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    const lab::OpResult e = ask(ctx, "container", Json{{"op", "escape"}});
    if (!e.ok)
        return "the escape attempt could not run: " + e.message;
    if (p.contains("landed") && e.data.value("landed", "") != s(p, "landed"))
        return fmt::format("the escape landed on the {}", e.data.value("landed", "?"));
    if (p.contains("secret_readable") && e.data.value("secret_readable", false) != b(p, "secret_readable", false))
        return e.data.value("secret_readable", false) ? "the escape read the lab host's /HOST_SECRET"
                                                      : "the escape did not reach /HOST_SECRET";
    return {};
}

std::string check_pids(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    const lab::OpResult r = ask(ctx, "container", Json{{"op", "pids"}, {"path", s(p, "path", "/proc")}});
    if (!r.ok)
        return r.message;
    std::vector<long long> pids;
    for (const auto& x : r.data["pids"])
        pids.push_back(x.value("pid", 0LL));
    auto list = [&] {
        std::string t;
        for (long long x : pids)
            t += (t.empty() ? "" : " ") + std::to_string(x);
        return t;
    };
    if (p.contains("only")) {
        std::vector<long long> want = p["only"].get<std::vector<long long>>();
        std::sort(want.begin(), want.end());
        if (pids != want)
            return "visible PIDs: " + list();
    }
    if (p.contains("count") && static_cast<long long>(pids.size()) != p["count"].get<long long>())
        return fmt::format("{} PIDs are visible: {}", pids.size(), list());
    return {};
}

} // namespace

std::string describe(const CheckSpec& c)
{
    if (!c.name.empty())
        return c.name;
    const Json& p = c.params;
    if (c.type == "mount")
        return b(p, "present", true)
                   ? fmt::format("the {} has {} mounted on {}", view_name(p), s(p, "fstype", "something"), s(p, "target"))
                   : fmt::format("the {} has nothing mounted on {}", view_name(p), s(p, "target"));
    if (c.type == "propagation")
        return fmt::format("{} is {} in the {}", s(p, "target"), s(p, "is"), view_name(p));
    if (c.type == "root")
        return fmt::format("the {}'s root is {}", view_name(p), s(p, "fstype"));
    if (c.type == "file")
        return b(p, "exists", true) ? fmt::format("{} exists in the {}", s(p, "path"), s(p, "where", "container"))
                                    : fmt::format("{} does not exist in the {}", s(p, "path"), s(p, "where", "container"));
    if (c.type == "syscall")
        return fmt::format("{} is {}called{}", s(p, "name"), b(p, "seen", true) ? "" : "not ",
                           p.contains("result") ? " and returns " + s(p, "result") : "");
    if (c.type == "escape")
        return p.contains("landed") ? "the chroot escape lands on the " + s(p, "landed") : "the chroot escape attempt";
    if (c.type == "pids")
        return "the PIDs visible in the container's /proc";
    if (c.type == "host_unchanged")
        return "the lab host's mount table is unchanged";
    if (c.type == "exit_code")
        return fmt::format("the script exits with {}", p.value("is", 0));
    if (c.type == "output")
        return p.contains("contains") ? fmt::format("the output contains `{}`", s(p, "contains"))
                                      : fmt::format("the output does not contain `{}`", s(p, "not_contains"));
    return c.type;
}

std::string evaluate(const CheckSpec& c, const lab::StepContext& ctx)
{
    if (c.type == "mount")
        return check_mount(c, ctx);
    if (c.type == "propagation")
        return check_propagation(c, ctx);
    if (c.type == "root") {
        const Mount* r = top_at(view_table(ctx, c.params), "/");
        if (!r)
            return "no mount on / (the root is not a mount point)";
        return r->fstype == s(c.params, "fstype") ? std::string() : fmt::format("the root is {}", r->fstype);
    }
    if (c.type == "file")
        return check_file(c, ctx);
    if (c.type == "syscall")
        return check_syscall(c, ctx);
    if (c.type == "escape")
        return check_escape(c, ctx);
    if (c.type == "pids")
        return check_pids(c, ctx);
    if (c.type == "host_unchanged")
        return lab::lab_host_changes(ctx);
    if (c.type == "exit_code") {
        const long long want = c.params.value("is", 0LL);
        const long long got = ctx.result.data.value("exit_code", -1LL);
        return got == want ? std::string() : fmt::format("the exit status is {}", got);
    }
    if (c.type == "output") {
        const std::string out = ctx.result.data.value(s(c.params, "stream", "stdout"), std::string());
        if (c.params.contains("contains") && out.find(s(c.params, "contains")) == std::string::npos)
            return fmt::format("the output is `{}`", out.substr(0, 300));
        if (c.params.contains("not_contains") && out.find(s(c.params, "not_contains")) != std::string::npos)
            return fmt::format("the output contains `{}`", s(c.params, "not_contains"));
        if (!c.params.contains("contains") && !c.params.contains("not_contains"))
            return "an output check needs `contains` or `not_contains`";
        return {};
    }
    return fmt::format("unknown check `{}`", c.type);
}

lab::Check to_check(const CheckSpec& c)
{
    return {describe(c), [c](const lab::StepContext& ctx) { return evaluate(c, ctx); }};
}

} // namespace mountlab::lesson
