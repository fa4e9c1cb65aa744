// Checks of isolation: escape (attempted), pids, isolated and climb (judged on the state,
// nothing attempted), namespaces (a script's shell) and container_ns (the container's).
#include "lesson/checks_impl.h"

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

// Is `a` the path `b` or one of its ancestors ("/" is everyone's)?
bool covers(const std::string& a, const std::string& b)
{
    return a == "/" || a == b || (b.size() > a.size() && b.compare(0, a.size(), a) == 0 && b[a.size()] == '/');
}

// What a lab process answered is read with the accessors that never throw (a hostile
// container may answer anything).
bool same_identity(const Json& a, const Json& b)
{
    return a.is_object() && b.is_object() && json_u64(a, "dev") == json_u64(b, "dev") &&
           json_u64(a, "ino") == json_u64(b, "ino") &&
           (json_u64(a, "mnt_id") == 0 || json_u64(b, "mnt_id") == 0 || json_u64(a, "mnt_id") == json_u64(b, "mnt_id"));
}
const Json& member(const Json& d, const char* key)
{
    static const Json none;
    return d.is_object() && d.contains(key) ? d[key] : none;
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

} // namespace

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
namespace {

// The routes the check looks at: all of them unless it names some.
bool asks_route(const CheckSpec& c, const char* name)
{
    if (!c.params.contains("routes"))
        return true;
    for (const auto& r : c.params["routes"])
        if (r == name)
            return true;
    return false;
}

// The lab host's mount the container's `m` is: the one with the same root if there is
// one (so a copy of /usr is named /usr, not the mount above it), else the nearest.
const Mount* lab_host_mount_of(const Mount& m, const MountTable& host)
{
    const Mount* same = nullptr;
    for (const Mount& h : host.mounts) {
        if (m.major != h.major || m.minor != h.minor || !(covers(m.root, h.root) || covers(h.root, m.root)))
            continue;
        if (!same || h.root == m.root || (same->root != m.root && h.root.size() > same->root.size()))
            same = &h;
    }
    return same;
}

// 1. A mount of the container's that IS (part of) one of the lab host's: the same
//    filesystem (device) with overlapping roots, whatever its name or place. Its
//    root on / is the case of a chroot (the container's root is still the lab host's).
void find_lab_host_mounts(const MountTable& cont, const MountTable& host, std::vector<std::string>& open)
{
    for (const Mount& m : cont.mounts) {
        const Mount* same = lab_host_mount_of(m, host);
        if (!same)
            continue;
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

// A part of a proc bound elsewhere has no "self" to tell whose it is; one whose
// root is a process's directory (/1, /self) leads to that process's root: fail closed.
bool is_process_directory(const Mount& m)
{
    const std::string first =
        m.root.substr(1, m.root.find('/', 1) == std::string::npos ? std::string::npos : m.root.find('/', 1) - 1);
    return !first.empty() && (std::all_of(first.begin(), first.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
                              first == "self" || first == "thread-self");
}

// 2. The procs mounted in the container whose root is a process's directory; and
//    every mount's target and every proc's, for the lab host to read.
void find_process_directories(const CheckSpec& c, const MountTable& cont, std::vector<std::string>& open, Json& procs,
                              Json& mounts)
{
    for (const Mount& m : cont.mounts) {
        mounts.push_back(m.target);
        if (m.fstype != "proc")
            continue;
        procs.push_back(m.target);
        if (asks_route(c, "procs") && is_process_directory(m))
            open.push_back(
                fmt::format("the mount on `{}` is a process's directory of a proc (`{}`): its `root` leads to that "
                            "process's root, which may be the lab host's",
                            m.target, m.root));
    }
}

// Under any mount (an overlay with the lab host's / as a layer, say): its secret; and
// whether the container's root is its mount namespace's (else `..` climbs out).
void find_secret_and_climb(const CheckSpec& c, const Json& d, std::vector<std::string>& open)
{
    if (asks_route(c, "mounts"))
        for (const Json& at : member(d, "secret_at"))
            if (at.is_string())
                open.push_back(
                    fmt::format("the lab host's /HOST_SECRET is readable under `{}`: that mount shows the lab "
                                "host's root (a layer of an overlay, or a bind, of it)",
                                at.get<std::string>()));
    if (!asks_route(c, "climb"))
        return;
    if (!member(d, "ns_root").is_object())
        open.push_back("the `..` climb cannot be ruled out: the root of the container's mount namespace could not be "
                       "read (" +
                       json_string(d, "ns_root_error", "?") + ")");
    else if (!same_identity(member(d, "root"), member(d, "ns_root")))
        open.push_back(fmt::format("the `..` climb: the container's root is not the root of its mount namespace (a "
                                   "chroot, not a pivot_root), so \"..\" climbs from a subdirectory to {}",
                                   same_identity(member(d, "ns_root"), member(d, "lab_root"))
                                       ? "the lab host's root"
                                       : "the namespace's root"));
}

// A proc whose "self" is the container's PID in the lab's PID namespace (or any
// proc, while the container is in that namespace) shows the lab host's processes.
void find_lab_processes(const CheckSpec& c, const Json& d, const lab::StepContext& ctx, std::vector<std::string>& open)
{
    const long long cpid = json_int(d, "pid", -1);
    const bool in_lab_pidns = cpid == static_cast<long long>(ctx.lab.container_pid());
    for (const Json& p : member(d, "procs")) {
        if (!asks_route(c, "procs") || !p.is_object() || !p.contains("self"))
            continue;
        const std::string self = json_string(p, "self");
        if (in_lab_pidns || self != std::to_string(cpid))
            open.push_back(fmt::format("the lab host's processes: the proc on `{}` is of the lab's PID namespace (its "
                                       "/proc/1 is the lab host), and each /proc/PID/root there leads to that "
                                       "process's root, the lab host's",
                                       json_string(p, "path", "?")));
    }
}

// Every open route is named, the first few in full.
std::string name_routes(const std::vector<std::string>& open)
{
    std::string out;
    for (size_t i = 0; i < open.size() && i < 3; ++i)
        out += (out.empty() ? "" : "; ") + open[i];
    if (open.size() > 3)
        out += fmt::format("; and {} more route{}", open.size() - 3, open.size() == 4 ? "" : "s");
    return out;
}

} // namespace

// the state as it is (no escape is attempted): "" when all are closed, else each open
// route, named.
std::string check_isolated(const CheckSpec& c, const lab::StepContext& ctx)
{
    const MountTable& cont = ctx.after.container;
    std::vector<std::string> open;
    if (asks_route(c, "mounts"))
        find_lab_host_mounts(cont, ctx.after.host, open);
    Json procs = Json::array(), mounts = Json::array();
    find_process_directories(c, cont, open, procs, mounts);
    const lab::OpResult r = ask(ctx, "container", Json{{"op", "isolation"}, {"procs", procs}, {"mounts", mounts}});
    if (!r.ok)
        return "the container's isolation could not be read: " + r.message;
    find_secret_and_climb(c, r.data, open);
    find_lab_processes(c, r.data, ctx, open);
    return name_routes(open);
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
                              : same_identity(member(d, "ns_root"), member(d, "root"))   ? "container root"
                                                                                         : "another directory";
    return lands == s(c.params, "lands") ? std::string() : fmt::format("the chroot escape would land on the {}", lands);
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
        {"mnt", "CLONE_NEWNS"},  {"uts", "CLONE_NEWUTS"},   {"ipc", "CLONE_NEWIPC"},       {"net", "CLONE_NEWNET"},
        {"pid", "CLONE_NEWPID"}, {"user", "CLONE_NEWUSER"}, {"cgroup", "CLONE_NEWCGROUP"}, {"time", "CLONE_NEWTIME"}};
    std::map<unsigned long long, std::string> seen;
    const Json differ = p.contains("differ") && p["differ"].is_array() ? p["differ"] : Json::array();
    for (const auto& t : differ) {
        if (!t.is_string())
            continue;
        const std::string type = t.get<std::string>();
        const unsigned long long ino = ns_inode_in(text, type);
        if (!ino)
            return fmt::format("{} names no {} namespace (`ls -l /proc/self/ns` shows `{} -> {}:[INODE]`)", where, type,
                               type, type);
        const auto known = [&](const lab::OpResult& x) { return json_u64(member(x.data, "ns"), type) == ino; };
        if (known(hr) || known(cr))
            return fmt::format(
                "the shell's {} namespace ({}:[{}]) is the container's: it has no {} namespace of its own", type, type,
                ino, type);
        if (ino < 0xF0000000ULL || ino > 0xFFFFFFFFULL)
            return fmt::format("{}:[{}] is no namespace the kernel made (new namespaces are numbered from {} up)", type,
                               ino, 0xF0000000ULL);
        if (auto [it, fresh] = seen.emplace(ino, type); !fresh)
            return fmt::format("{}:[{}] and {}:[{}] are one number: two namespaces never share one", it->second, ino,
                               type, ino);
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
            return fmt::format("the trace saw no call that made the {} namespace {}:[{}] (unshare or clone with {})",
                               type, type, ino, it != flag.end() ? it->second : "its flag");
    }
    return {};
}

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
                return fmt::format("the {} namespace of the {} could not be read", type,
                                   host ? "container" : "lab host");
            const bool own = std::string(key) == "own";
            if (own && host == mine)
                return fmt::format("the container's {} namespace is the lab host's ({}:[{}])", type, type, mine);
            if (!own && host != mine)
                return fmt::format("the container has a {} namespace of its own ({}:[{}], the lab host's is {}:[{}])",
                                   type, type, mine, type, host);
        }
    return {};
}

} // namespace mountlab::lesson
