// Checks of the mount tables, files, the trace and the step's result: mount,
// propagation, root, fully_visible, tables_equal, file, syscall, exit_code, output, error.
#include "lesson/checks_impl.h"

#include "base/error.h"
#include "base/jsonget.h"
#include "mount/mountdiff.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

namespace mountlab::lesson {

std::string s(const Json& p, const char* k, const std::string& d)
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

// The last mount on `target` in table order, which is mount-ID order: the newest there.
// Not MountTree::find_target (the top of the stack, where a lookup from outside lands):
// after `pivot_root . .` the old root is stacked on the new one at `/`, and the `root`
// check is about the process's root, the new one (runtime-propagation's
// wrong-keep-oldroot submission tells them apart; tst_lessons grades it).
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
    auto r = where == "host" || where == "lab host" ? ctx.lab.in_lab_host(op)
             : ctx.ask_pid > 0                      ? ctx.lab.in_process(ctx.ask_pid, op)
                                                    : ctx.lab.in_container(op);
    return r ? *r : lab::OpResult::failure(r.error().errnum, r.error().message);
}

std::string check_mount(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    const std::string target = s(p, "target");
    const Mount* m = top_at(view_table(ctx, p), target);
    if (!b(p, "present", true))
        return m ? fmt::format("{} ({}) is mounted on {} in the {}", m->fstype, m->source, target, view_name(p))
                 : std::string();
    if (!m)
        return fmt::format("nothing is mounted on {} in the {}", target, view_name(p));
    if (p.contains("fstype") && m->fstype != s(p, "fstype"))
        return fmt::format("{} is {}, not {}", target, m->fstype, s(p, "fstype"));
    if (p.contains("source") && m->source != s(p, "source"))
        return fmt::format("{}'s source is `{}`, not `{}`", target, m->source, s(p, "source"));
    if (p.contains("options"))
        for (const auto& o : p["options"])
            if (!has_option(*m, o.get<std::string>()))
                return fmt::format("{} has no option `{}` (it has {} and {})", target, o.get<std::string>(),
                                   m->vfs_options, m->super_options);
    if (p.contains("same_as_host")) {
        // The lab host's own mount (propagated or bound here), not a new one that looks
        // alike: the same filesystem (field 3) and the same directory of it (field 4).
        const std::string other = s(p, "same_as_host");
        const Mount* h = top_at(ctx.after.host, other);
        if (!h)
            return fmt::format("nothing is mounted on {} in the lab host to compare with", other);
        if (h->major != m->major || h->minor != m->minor || h->root != m->root)
            return fmt::format(
                "{} is not the lab host's mount on {} ({}:{} {} here, {}:{} {} there): a mount of its own", target,
                other, m->major, m->minor, m->root, h->major, h->minor, h->root);
    }
    if (p.contains("not_options"))
        for (const auto& o : p["not_options"])
            if (has_option(*m, o.get<std::string>()))
                return fmt::format("{} has the option `{}` (it has {} and {})", target, o.get<std::string>(),
                                   m->vfs_options, m->super_options);
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
    auto holds = [&](const Mount& x) {
        if (want == "shared")
            return x.shared && !x.master;
        if (want == "private")
            return x.is_private();
        if (want == "slave")
            return x.master && !x.shared;
        if (want == "shared,slave")
            return x.shared && x.master;
        if (want == "unbindable")
            return x.unbindable;
        if (want == "not shared") // private, slave or unbindable: nothing propagates out of it
            return !x.shared;
        return false;
    };
    bool ok = holds(*m);
    if (ok && b(p, "recursive", false)) {
        // Every mount at or under target, as `mount --make-rTYPE` makes them.
        // The mounts that were there before (a mount made later under a slave is private).
        const std::string prefix = target == "/" ? "/" : target + "/";
        const MountTable& before = s(p, "view", "container") == "host" ? ctx.before.host : ctx.before.container;
        auto existed = [&](const Mount& x) {
            return std::any_of(before.mounts.begin(), before.mounts.end(),
                               [&](const Mount& y) { return y.target == x.target; });
        };
        for (const Mount& x : view_table(ctx, p).mounts)
            if (x.target.rfind(prefix, 0) == 0 && existed(x) && !holds(x))
                return fmt::format("{} is {} in the {} (--make-r{} changes every mount under {}; without r only {})",
                                   x.target, x.propagation(), view_name(p), want == "not shared" ? "private" : want,
                                   target, target);
    }
    if (ok)
        return {};
    const std::string groups = (m->shared ? fmt::format(" shared:{}", m->shared) : std::string()) +
                               (m->master ? fmt::format(" master:{}", m->master) : std::string());
    return fmt::format("{} is {}{} in the {}", target, m->propagation(), groups, view_name(p));
}

// fs/namespace.c, mnt_already_visible(): in a mount namespace of a user namespace other
// than the machine's first, a new proc or sysfs (mount_too_revealing) is allowed only
// while the namespace holds a mount of that type that is fully visible: its root is the
// filesystem's root, no locked mount covers anything in it (once copied into a new user
// namespace every submount is locked), and it is not read-only, nor of other atime
// flags, than the new mount (rw and relatime, the defaults, are asked of it here). The
// kernel also lets a submount on a permanently empty directory pass: this check does not.
std::string check_fully_visible(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    const std::string type = s(p, "fstype");
    const MountTable& t = view_table(ctx, p);
    std::string why;
    auto no = [&](const std::string& reason) { why += (why.empty() ? "" : "; ") + reason; };
    for (const Mount& m : t.mounts) {
        if (m.fstype != type)
            continue;
        if (m.root != "/")
            continue; // a bind of a part of it (the read-only /proc/sys): never fully visible
        if (has_option(m, "ro")) {
            no(fmt::format("{} is read-only", m.target));
            continue;
        }
        if (!has_option(m, "relatime")) {
            no(fmt::format("{} is not relatime (the atime flags are locked too)", m.target));
            continue;
        }
        std::string covered;
        for (const Mount& k : t.mounts)
            if (k.parent_id == m.id && k.id != m.id)
                covered += (covered.empty() ? "" : ", ") + k.target;
        if (covered.empty())
            return {};
        no(fmt::format("{} has mounts on parts of it ({})", m.target, covered));
    }
    return why.empty() ? fmt::format("there is no {} in the {}", type, view_name(p))
                       : fmt::format("no {} of the {} is fully visible: {}", type, view_name(p), why);
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
                const std::string have =
                    args.contains(it.key())
                        ? (args[it.key()].is_string() ? args[it.key()].get<std::string>() : args[it.key()].dump())
                        : std::string();
                match = have.find(it.value().is_string() ? it.value().get<std::string>() : it.value().dump()) !=
                        std::string::npos;
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

std::string check_root(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Mount* r = top_at(view_table(ctx, c.params), "/");
    if (!r)
        return "no mount on / (the root is not a mount point)";
    return r->fstype == s(c.params, "fstype") ? std::string() : fmt::format("the root is {}", r->fstype);
}

std::string check_tables_equal(const CheckSpec&, const lab::StepContext& ctx)
{
    const NormalDiff d =
        diff_normalised(normalise(MountTree(ctx.after.host.mounts)), normalise(MountTree(ctx.after.container.mounts)));
    return d.empty() ? std::string()
                     : fmt::format("they differ: {} added, {} removed, {} changed", d.added.size(), d.removed.size(),
                                   d.changed.size());
}

std::string check_exit_code(const CheckSpec& c, const lab::StepContext& ctx)
{
    const long long want = c.params.value("is", 0LL);
    const long long got = ctx.result.data.value("exit_code", -1LL);
    return got == want ? std::string() : fmt::format("the exit status is {}", got);
}

std::string check_output(const CheckSpec& c, const lab::StepContext& ctx)
{
    const std::string out = ctx.result.data.value(s(c.params, "stream", "stdout"), std::string());
    if (c.params.contains("contains") && out.find(s(c.params, "contains")) == std::string::npos)
        return fmt::format("the output is `{}`", out.substr(0, 300));
    if (c.params.contains("not_contains") && out.find(s(c.params, "not_contains")) != std::string::npos)
        return fmt::format("the output contains `{}`", s(c.params, "not_contains"));
    if (c.params.contains("equals") && out != s(c.params, "equals"))
        return fmt::format("the output is `{}`", out.substr(0, 300));
    if (c.params.contains("lines")) {
        const long long want = c.params.value("lines", 0LL);
        const auto got = static_cast<long long>(std::count(out.begin(), out.end(), '\n'));
        if (got != want)
            return fmt::format("the output has {} line{}, not {}:\n{}", got, got == 1 ? "" : "s", want,
                               out.substr(0, 300));
    }
    if (!c.params.contains("contains") && !c.params.contains("not_contains") && !c.params.contains("equals") &&
        !c.params.contains("lines"))
        return "an output check needs `contains`, `not_contains`, `equals` or `lines`";
    return {};
}

std::string check_host_unchanged(const CheckSpec&, const lab::StepContext& ctx) { return lab::lab_host_changes(ctx); }

// The step's operation failed as documented: with this errno, and a cause naming the
// documented reason (the engine works out which applies: pivotcause.cpp, operations.cpp).
std::string check_error(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    if (ctx.result.ok)
        return "the operation succeeded";
    if (p.contains("errno") && errno_name(ctx.result.err) != s(p, "errno"))
        return fmt::format("it failed with {}, not {}: {}", errno_name(ctx.result.err), s(p, "errno"),
                           ctx.result.message);
    if (p.contains("cause") && ctx.result.cause.find(s(p, "cause")) == std::string::npos)
        return "the cause given is: " + (ctx.result.cause.empty() ? std::string("(none)") : ctx.result.cause);
    return {};
}

// Which of the container's namespaces are its own and which the lab host's, by inode

} // namespace mountlab::lesson
