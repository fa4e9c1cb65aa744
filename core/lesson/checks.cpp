#include "lesson/checks.h"

#include "base/error.h"
#include "base/jsonget.h"
#include "mount/mountdiff.h"
#include "mount/mounttree.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

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
    if (p.contains("same_as_host")) {
        // The lab host's own mount (propagated or bound here), not a new one that looks
        // alike: the same filesystem (field 3) and the same directory of it (field 4).
        const std::string other = s(p, "same_as_host");
        const Mount* h = top_at(ctx.after.host, other);
        if (!h)
            return fmt::format("nothing is mounted on {} in the lab host to compare with", other);
        if (h->major != m->major || h->minor != m->minor || h->root != m->root)
            return fmt::format("{} is not the lab host's mount on {} ({}:{} {} here, {}:{} {} there): a mount of its own", target,
                               other, m->major, m->minor, m->root, h->major, h->minor, h->root);
    }
    if (p.contains("not_options"))
        for (const auto& o : p["not_options"])
            if (has_option(*m, o.get<std::string>()))
                return fmt::format("{} has the option `{}` (it has {} and {})", target, o.get<std::string>(), m->vfs_options,
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
            return std::any_of(before.mounts.begin(), before.mounts.end(), [&](const Mount& y) { return y.target == x.target; });
        };
        for (const Mount& x : view_table(ctx, p).mounts)
            if (x.target.rfind(prefix, 0) == 0 && existed(x) && !holds(x))
                return fmt::format("{} is {} in the {} (--make-r{} changes every mount under {}; without r only {})",
                                   x.target, x.propagation(), view_name(p), want == "not shared" ? "private" : want, target,
                                   target);
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


// Is `a` the path `b` or one of its ancestors ("/" is everyone's)?
bool covers(const std::string& a, const std::string& b)
{
    return a == "/" || a == b || (b.size() > a.size() && b.compare(0, a.size(), a) == 0 && b[a.size()] == '/');
}


// What a lab process answered is read with the accessors that never throw (a hostile
// container may answer anything).
bool same_identity(const Json& a, const Json& b)
{
    return a.is_object() && b.is_object() && json_u64(a, "dev") == json_u64(b, "dev") && json_u64(a, "ino") == json_u64(b, "ino") &&
           (json_u64(a, "mnt_id") == 0 || json_u64(b, "mnt_id") == 0 || json_u64(a, "mnt_id") == json_u64(b, "mnt_id"));
}
const Json& member(const Json& d, const char* key)
{
    static const Json none;
    return d.is_object() && d.contains(key) ? d[key] : none;
}

// Every route from the container process to the lab host the lab can test, judged on
// the state as it is (no escape is attempted): "" when all are closed, else each open
// route, named.
std::string check_isolated(const CheckSpec& c, const lab::StepContext& ctx)
{
    auto route = [&](const char* name) {
        if (!c.params.contains("routes"))
            return true;
        for (const auto& r : c.params["routes"])
            if (r == name)
                return true;
        return false;
    };
    const MountTable& cont = ctx.after.container;
    const MountTable& host = ctx.after.host;
    std::vector<std::string> open;
    // 1. A mount of the container's that IS (part of) one of the lab host's: the same
    //    filesystem (device) with overlapping roots, whatever its name or place. Its
    //    root on / is the case of a chroot (the container's root is still the lab host's).
    for (const Mount& m : cont.mounts) {
        if (!route("mounts"))
            break;
        // The lab host's mount it is: the one with the same root if there is one (so a
        // copy of /usr is named /usr, not the mount above it), else the nearest.
        const Mount* same = nullptr;
        for (const Mount& h : host.mounts) {
            if (m.major != h.major || m.minor != h.minor || !(covers(m.root, h.root) || covers(h.root, m.root)))
                continue;
            if (!same || h.root == m.root || (same->root != m.root && h.root.size() > same->root.size()))
                same = &h;
        }
        if (same) {
            const Mount& h = *same;
            // No device numbers: they change from lab to lab, and a re-grade must read the same.
            const std::string what = fmt::format("{}{}", h.fstype, m.root == "/" ? "" : " at " + m.root);
            if (m.target == "/")
                open.push_back(fmt::format("the container's root is the lab host's {} ({}): nothing was pivoted, so \"..\" "
                                           "and every path lead to the lab host's files",
                                           h.target, what));
            else
                open.push_back(fmt::format("the mount on `{}` in the container is the lab host's {} ({}): its files are "
                                           "reachable through it",
                                           m.target, h.target, what));
        }
    }
    // 2. The climb and the proc routes, read by the lab host.
    Json procs = Json::array(), mounts = Json::array();
    for (const Mount& m : cont.mounts) {
        mounts.push_back(m.target);
        if (m.fstype != "proc")
            continue;
        procs.push_back(m.target);
        // A part of a proc bound elsewhere has no "self" to tell whose it is; one whose
        // root is a process's directory (/1, /self) leads to that process's root: fail closed.
        const std::string first = m.root.substr(1, m.root.find('/', 1) == std::string::npos ? std::string::npos : m.root.find('/', 1) - 1);
        const bool pid_dir = !first.empty() && (std::all_of(first.begin(), first.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
                                                first == "self" || first == "thread-self");
        if (route("procs") && pid_dir)
            open.push_back(fmt::format("the mount on `{}` is a process's directory of a proc (`{}`): its `root` leads to that "
                                       "process's root, which may be the lab host's",
                                       m.target, m.root));
    }
    const lab::OpResult r = ask(ctx, "container", Json{{"op", "isolation"}, {"procs", procs}, {"mounts", mounts}});
    if (!r.ok)
        return "the container's isolation could not be read: " + r.message;
    const Json& d = r.data;
    // Under any mount (an overlay with the lab host's / as a layer, say): its secret.
    if (route("mounts"))
        for (const Json& at : member(d, "secret_at"))
            if (at.is_string())
                open.push_back(fmt::format("the lab host's /HOST_SECRET is readable under `{}`: that mount shows the lab "
                                           "host's root (a layer of an overlay, or a bind, of it)",
                                           at.get<std::string>()));
    if (route("climb")) {
        if (!member(d, "ns_root").is_object())
            open.push_back("the `..` climb cannot be ruled out: the root of the container's mount namespace could not be "
                           "read (" + json_string(d, "ns_root_error", "?") + ")");
        else if (!same_identity(member(d, "root"), member(d, "ns_root")))
            open.push_back(fmt::format("the `..` climb: the container's root is not the root of its mount namespace (a "
                                       "chroot, not a pivot_root), so \"..\" climbs from a subdirectory to {}",
                                       same_identity(member(d, "ns_root"), member(d, "lab_root")) ? "the lab host's root"
                                                                                                  : "the namespace's root"));
    }
    // A proc whose "self" is the container's PID in the lab's PID namespace (or any
    // proc, while the container is in that namespace) shows the lab host's processes.
    const long long cpid = json_int(d, "pid", -1);
    const bool in_lab_pidns = cpid == static_cast<long long>(ctx.lab.container_pid());
    for (const Json& p : member(d, "procs")) {
        if (!route("procs") || !p.is_object() || !p.contains("self"))
            continue;
        const std::string self = json_string(p, "self");
        if (in_lab_pidns || self != std::to_string(cpid))
            open.push_back(fmt::format("the lab host's processes: the proc on `{}` is of the lab's PID namespace (its "
                                       "/proc/1 is the lab host), and each /proc/PID/root there leads to that process's "
                                       "root, the lab host's",
                                       json_string(p, "path", "?")));
    }
    // Every open route is named, the first few in full.
    std::string out;
    for (size_t i = 0; i < open.size() && i < 3; ++i)
        out += (out.empty() ? "" : "; ") + open[i];
    if (open.size() > 3)
        out += fmt::format("; and {} more route{}", open.size() - 3, open.size() == 4 ? "" : "s");
    return out;
}

// Where the chroot escape would land, worked out without attempting it: the climb ends
// at the root of the container's mount namespace (what a process entering it anew gets),
// which is the lab host's root, the container's own root, or neither.
std::string check_climb(const CheckSpec& c, const lab::StepContext& ctx)
{
    const lab::OpResult r = ask(ctx, "container", Json{{"op", "isolation"}, {"procs", Json::array()}});
    if (!r.ok)
        return "the container's root could not be read: " + r.message;
    const Json& d = r.data;
    if (!member(d, "ns_root").is_object())
        return "the root of the container's mount namespace could not be read: " + json_string(d, "ns_root_error", "?");
    const std::string lands = same_identity(member(d, "ns_root"), member(d, "lab_root")) ? "lab host root"
                              : same_identity(member(d, "ns_root"), member(d, "root")) ? "container root"
                                                                                        : "another directory";
    return lands == s(c.params, "lands") ? std::string() : fmt::format("the chroot escape would land on the {}", lands);
}

// `TYPE:[INODE]` in text, as readlink /proc/PID/ns/TYPE (or ls -l) prints it; 0 when
// there is none the kernel could have written. Scanned by hand: the text is a script's
// output, up to the output limit, and must neither throw nor recurse.
unsigned long long ns_inode_in(const std::string& text, const std::string& type)
{
    const std::string key = type + ":[";
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
        if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_'))
            continue;
        const size_t from = at + key.size();
        size_t to = from;
        while (to < text.size() && to - from <= 20 && text[to] >= '0' && text[to] <= '9')
            ++to;
        if (to == from || to - from > 20 || to >= text.size() || text[to] != ']')
            continue;
        unsigned long long v = 0;
        if (std::from_chars(text.data() + from, text.data() + to, v).ec == std::errc())
            return v;
    }
    return 0;
}

// The namespaces a shell reported (`readlink /proc/self/ns/TYPE` prints TYPE:[INODE]) in
// the script's output or a file, each of which must be a namespace the script made: not
// the container's or the lab host's, a number the kernel gives new namespaces (from
// 0xF0000000 up, one per namespace: no two types alike), and, when the script was traced,
// made by a call the trace saw (unshare, clone or clone3 with that CLONE_NEW flag; for the
// mount namespace, a call that ended in it). Printing made-up numbers does not pass.
std::string check_namespaces(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    std::string text;
    std::string where = "the output";
    if (p.contains("path")) {
        const lab::OpResult rd = ask(ctx, "container", Json{{"op", "read"}, {"path", s(p, "path")}});
        if (!rd.ok)
            return rd.message;
        text = json_string(rd.data, "content");
        where = s(p, "path");
    } else {
        text = json_string(ctx.result.data, "stdout");
    }
    const lab::OpResult hr = ask(ctx, "host", Json{{"op", "namespaces"}});
    const lab::OpResult cr = ask(ctx, "container", Json{{"op", "namespaces"}});
    if (!hr.ok || !cr.ok)
        return "the container's namespaces could not be read: " + (hr.ok ? cr.message : hr.message);
    static const std::map<std::string, std::string> flag = {
        {"mnt", "CLONE_NEWNS"},   {"uts", "CLONE_NEWUTS"},       {"ipc", "CLONE_NEWIPC"},   {"net", "CLONE_NEWNET"},
        {"pid", "CLONE_NEWPID"},  {"user", "CLONE_NEWUSER"},     {"cgroup", "CLONE_NEWCGROUP"}, {"time", "CLONE_NEWTIME"}};
    std::map<unsigned long long, std::string> seen;
    const Json differ = p.contains("differ") && p["differ"].is_array() ? p["differ"] : Json::array();
    for (const auto& t : differ) {
        if (!t.is_string())
            continue;
        const std::string type = t.get<std::string>();
        const unsigned long long ino = ns_inode_in(text, type);
        if (!ino)
            return fmt::format("{} names no {} namespace (`ls -l /proc/self/ns` shows `{} -> {}:[INODE]`)", where, type, type, type);
        const auto known = [&](const lab::OpResult& x) { return json_u64(member(x.data, "ns"), type) == ino; };
        if (known(hr) || known(cr))
            return fmt::format("the shell's {} namespace ({}:[{}]) is the container's: it has no {} namespace of its own", type,
                               type, ino, type);
        if (ino < 0xF0000000ULL || ino > 0xFFFFFFFFULL)
            return fmt::format("{}:[{}] is no namespace the kernel made (new namespaces are numbered from {} up)", type, ino,
                               0xF0000000ULL);
        if (auto [it, fresh] = seen.emplace(ino, type); !fresh)
            return fmt::format("{}:[{}] and {}:[{}] are one number: two namespaces never share one", it->second, ino, type, ino);
        if (!ctx.syscalls)
            continue;
        const auto it = flag.find(type);
        bool made = false;
        for (const Json& e : *ctx.syscalls) {
            const std::string name = e.value("name", "");
            if ((name != "unshare" && name != "clone" && name != "clone3") || e.value("ret", -1LL) < 0)
                continue;
            // The flags, decoded (unshare's and clone's `flags`, clone3's `cl_args.flags`).
            if (it != flag.end() && (!e.contains("args") || e["args"].dump().find(it->second) == std::string::npos))
                continue;
            if (type == "mnt" && e.value("mntns_after", 0ULL) != ino && name == "unshare")
                continue;
            made = true;
            break;
        }
        if (!made)
            return fmt::format("the trace saw no call that made the {} namespace {}:[{}] (unshare or clone with {})", type, type,
                               ino, it != flag.end() ? it->second : "its flag");
    }
    return {};
}

// The step's operation failed as documented: with this errno, and a cause naming the
// documented reason (the engine works out which applies: pivotcause.cpp, operations.cpp).
std::string check_error(const CheckSpec& c, const lab::StepContext& ctx)
{
    const Json& p = c.params;
    if (ctx.result.ok)
        return "the operation succeeded";
    if (p.contains("errno") && errno_name(ctx.result.err) != s(p, "errno"))
        return fmt::format("it failed with {}, not {}: {}", errno_name(ctx.result.err), s(p, "errno"), ctx.result.message);
    if (p.contains("cause") && ctx.result.cause.find(s(p, "cause")) == std::string::npos)
        return "the cause given is: " + (ctx.result.cause.empty() ? std::string("(none)") : ctx.result.cause);
    return {};
}

// Which of the container's namespaces are its own and which the lab host's, by inode
// (the `namespaces` op: /proc/self/ns, or a pidfd where there is no /proc).
std::string check_container_ns(const CheckSpec& c, const lab::StepContext& ctx)
{
    const lab::OpResult hr = ask(ctx, "host", Json{{"op", "namespaces"}});
    const lab::OpResult cr = ask(ctx, "container", Json{{"op", "namespaces"}});
    if (!hr.ok || !cr.ok)
        return "the namespaces could not be read: " + (hr.ok ? cr.message : hr.message);
    for (const char* key : {"own", "shared"})
        for (const auto& t : c.params.value(key, Json::array())) {
            const std::string type = t.get<std::string>();
            const unsigned long long host = json_u64(member(hr.data, "ns"), type);
            const unsigned long long mine = json_u64(member(cr.data, "ns"), type);
            if (!host || !mine)
                return fmt::format("the {} namespace of the {} could not be read", type, host ? "container" : "lab host");
            const bool own = std::string(key) == "own";
            if (own && host == mine)
                return fmt::format("the container's {} namespace is the lab host's ({}:[{}])", type, type, mine);
            if (!own && host != mine)
                return fmt::format("the container has a {} namespace of its own ({}:[{}], the lab host's is {}:[{}])", type, type,
                                   mine, type, host);
        }
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
    if (c.type == "fully_visible")
        return fmt::format("the {} has a fully visible {}", view_name(p), s(p, "fstype"));
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
    if (c.type == "climb")
        return "the chroot escape would land on the " + s(p, "lands");
    if (c.type == "isolated")
        return "no route from the container to the lab host: no `..` climb, no mount of the lab host's files, no proc of its processes";
    if (c.type == "namespaces") {
        std::string t;
        for (const auto& x : p.value("differ", Json::array()))
            t += (t.empty() ? "" : ", ") + x.get<std::string>();
        return fmt::format("the shell had {} namespaces of its own", t);
    }
    if (c.type == "host_unchanged")
        return "the lab host's mount table is unchanged";
    if (c.type == "exit_code")
        return fmt::format("the script exits with {}", p.value("is", 0));
    if (c.type == "output") {
        if (p.contains("equals"))
            return fmt::format("the output is `{}`", s(p, "equals"));
        if (p.contains("lines"))
            return fmt::format("the output has {} lines", p.value("lines", 0LL));
        return p.contains("contains") ? fmt::format("the output contains `{}`", s(p, "contains"))
                                      : fmt::format("the output does not contain `{}`", s(p, "not_contains"));
    }
    if (c.type == "error")
        return p.contains("errno") ? fmt::format("the operation fails with {}{}", s(p, "errno"),
                                                 p.contains("cause") ? ", and its cause says " + s(p, "cause") : "")
                                   : fmt::format("the operation fails, and its cause says {}", s(p, "cause"));
    if (c.type == "tables_equal")
        return "the container's mount table is the lab host's (normalised: mount IDs and peer groups aside)";
    if (c.type == "container_ns") {
        auto list = [&](const char* key) {
            std::string t;
            for (const auto& x : p.value(key, Json::array()))
                t += (t.empty() ? "" : ", ") + x.get<std::string>();
            return t;
        };
        const std::string own = list("own"), shared = list("shared");
        return own.empty() ? fmt::format("the container shares the lab host's {} namespace{}", shared, p.value("shared", Json::array()).size() > 1 ? "s" : "")
               : shared.empty() ? fmt::format("the container has {} namespace{} of its own", own, p.value("own", Json::array()).size() > 1 ? "s" : "")
                                : fmt::format("the container has {} of its own and shares {} with the lab host", own, shared);
    }
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
    if (c.type == "fully_visible")
        return check_fully_visible(c, ctx);
    if (c.type == "syscall")
        return check_syscall(c, ctx);
    if (c.type == "escape")
        return check_escape(c, ctx);
    if (c.type == "pids")
        return check_pids(c, ctx);
    if (c.type == "isolated")
        return check_isolated(c, ctx);
    if (c.type == "climb")
        return check_climb(c, ctx);
    if (c.type == "namespaces")
        return check_namespaces(c, ctx);
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
        if (c.params.contains("equals") && out != s(c.params, "equals"))
            return fmt::format("the output is `{}`", out.substr(0, 300));
        if (c.params.contains("lines")) {
            const long long want = c.params.value("lines", 0LL);
            const auto got = static_cast<long long>(std::count(out.begin(), out.end(), '\n'));
            if (got != want)
                return fmt::format("the output has {} line{}, not {}:\n{}", got, got == 1 ? "" : "s", want, out.substr(0, 300));
        }
        if (!c.params.contains("contains") && !c.params.contains("not_contains") && !c.params.contains("equals") &&
            !c.params.contains("lines"))
            return "an output check needs `contains`, `not_contains`, `equals` or `lines`";
        return {};
    }
    if (c.type == "error")
        return check_error(c, ctx);
    if (c.type == "tables_equal") {
        const NormalDiff d = diff_normalised(normalise(MountTree(ctx.after.host.mounts)), normalise(MountTree(ctx.after.container.mounts)));
        return d.empty() ? std::string()
                         : fmt::format("they differ: {} added, {} removed, {} changed", d.added.size(), d.removed.size(),
                                       d.changed.size());
    }
    if (c.type == "container_ns")
        return check_container_ns(c, ctx);
    return fmt::format("unknown check `{}`", c.type);
}

lab::Check to_check(const CheckSpec& c)
{
    return {describe(c), [c](const lab::StepContext& ctx) { return evaluate(c, ctx); }};
}

} // namespace mountlab::lesson
