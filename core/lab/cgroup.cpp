#include "lab/cgroup.h"

#include "base/fileio.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace mountlab::lab {

namespace {

constexpr const char* kNamePrefix = "mountlab-grade-";
constexpr size_t kMaxCgroupFile = 1 << 20;

std::vector<std::string> split(std::string_view s, char sep)
{
    std::vector<std::string> out;
    while (!s.empty()) {
        const size_t at = s.find(sep);
        if (at != 0)
            out.emplace_back(s.substr(0, at));
        if (at == std::string_view::npos)
            break;
        s.remove_prefix(at + 1);
    }
    return out;
}

bool has(const std::vector<std::string>& list, std::string_view item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// "key value" lines (memory.events, memory.oom_control): the value of key, or 0.
long long keyed_value(const std::string& path, std::string_view key)
{
    auto text = read_whole_file(path, kMaxCgroupFile);
    if (!text)
        return 0;
    for (const std::string& line : split(*text, '\n')) {
        const std::vector<std::string> f = split(line, ' ');
        if (f.size() == 2 && f[0] == key)
            return std::atoll(f[1].c_str());
    }
    return 0;
}

long long number_in(const std::string& path)
{
    auto text = read_whole_file(path, kMaxCgroupFile);
    return text && !text->empty() ? std::atoll(text->c_str()) : -1;
}

// The first mount of a hierarchy that shows this process's cgroup in it.
std::string dir_in_hierarchy(const MountTable& mounts, const CgroupMembership& member)
{
    for (const Mount& m : mounts.mounts) {
        if (member.v2 ? m.fstype != "cgroup2" : m.fstype != "cgroup")
            continue;
        if (!member.v2) {
            const std::vector<std::string> opts = split(m.super_options, ',');
            if (!std::all_of(member.controllers.begin(), member.controllers.end(),
                             [&](const std::string& c) { return has(opts, c); }))
                continue;
        }
        if (std::string dir = cgroup_dir(m, member.path); !dir.empty())
            return dir;
    }
    return {};
}

const CgroupMembership* member_with(const std::vector<CgroupMembership>& members, std::string_view controller)
{
    for (const CgroupMembership& m : members)
        if (!m.v2 && has(m.controllers, controller))
            return &m;
    return nullptr;
}

Status check_writable(const std::string& dir)
{
    if (access(dir.c_str(), W_OK) != 0)
        return system_error(errno, fmt::format("write access to the cgroup directory `{}` (root, or a delegated "
                                               "cgroup v2 subtree, is needed to make a sandbox's cgroup under it)",
                                               dir));
    return Ok{};
}

// v2: children get the memory (and pids) controller only when this cgroup's
// cgroup.subtree_control names it. Enabling it fails (EBUSY) when this cgroup holds
// processes and is not the root: v2's "no internal processes" rule.
Status enable_v2_controllers(const std::string& dir, bool pids)
{
    auto enabled = read_whole_file(dir + "/cgroup.subtree_control", kMaxCgroupFile);
    if (!enabled)
        return enabled.error();
    const std::vector<std::string> on = split(std::string_view(*enabled).substr(0, enabled->find('\n')), ' ');
    std::string want;
    if (!has(on, "memory"))
        want += "+memory";
    if (pids && !has(on, "pids"))
        want += want.empty() ? "+pids" : " +pids";
    if (want.empty())
        return Ok{};
    Status s = write_existing_file(dir + "/cgroup.subtree_control", want);
    if (!s && s.error().errnum == EBUSY)
        return Error{EBUSY, s.error().message + ": this cgroup holds processes (cgroup v2 enables a controller "
                                                "for children only in a cgroup without processes of its own)"};
    return s;
}

Result<CgroupPlace> find_v2_place(const MountTable& mounts, const std::vector<CgroupMembership>& members)
{
    const auto v2 = std::find_if(members.begin(), members.end(), [](const CgroupMembership& m) { return m.v2; });
    if (v2 == members.end())
        return Error{ENOENT, "/proc/self/cgroup names no cgroup v2 membership"};
    const std::string dir = dir_in_hierarchy(mounts, *v2);
    if (dir.empty())
        return Error{ENOENT, fmt::format("no cgroup2 mount here shows this process's cgroup `{}`", v2->path)};
    CgroupPlace place;
    place.version = CgroupVersion::V2;
    place.memory_dir = dir;
    return place;
}

Result<CgroupPlace> find_v1_place(const MountTable& mounts, const std::vector<CgroupMembership>& members)
{
    const CgroupMembership* memory = member_with(members, "memory");
    if (!memory)
        return Error{ENOENT, "this process is in no cgroup v1 memory hierarchy (/proc/self/cgroup)"};
    CgroupPlace place;
    place.version = CgroupVersion::V1;
    place.memory_dir = dir_in_hierarchy(mounts, *memory);
    if (place.memory_dir.empty())
        return Error{ENOENT, fmt::format("the cgroup v1 memory hierarchy is not mounted here where it shows this "
                                         "process's cgroup `{}`",
                                         memory->path)};
    if (const CgroupMembership* pids = member_with(members, "pids"))
        place.pids_dir = dir_in_hierarchy(mounts, *pids);
    return place;
}

} // namespace

std::vector<CgroupMembership> parse_proc_cgroup(std::string_view text)
{
    std::vector<CgroupMembership> out;
    for (const std::string& line : split(text, '\n')) {
        const size_t a = line.find(':');
        const size_t b = a == std::string::npos ? a : line.find(':', a + 1);
        if (b == std::string::npos)
            continue;
        CgroupMembership m;
        const std::string id = line.substr(0, a);
        const std::string controllers = line.substr(a + 1, b - a - 1);
        m.v2 = id == "0" && controllers.empty();
        m.controllers = split(controllers, ',');
        m.path = line.substr(b + 1);
        out.push_back(std::move(m));
    }
    return out;
}

std::string cgroup_dir(const Mount& hierarchy, const std::string& path)
{
    const std::string& root = hierarchy.root;
    std::string below;
    if (root == "/")
        below = path == "/" ? "" : path;
    else if (path == root)
        below = "";
    else if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/')
        below = path.substr(root.size());
    else
        return {};
    return (hierarchy.target == "/" ? "" : hierarchy.target) + below;
}

std::string CgroupPlace::describe() const
{
    if (version == CgroupVersion::V2)
        return fmt::format("cgroup v2 under `{}`{}", memory_dir, pids_dir.empty() ? " (no pids controller)" : "");
    return fmt::format("cgroup v1 memory under `{}`, {}", memory_dir,
                       pids_dir.empty() ? std::string("no pids hierarchy") : fmt::format("pids under `{}`", pids_dir));
}

Result<CgroupPlace> find_cgroup_place()
{
    auto mounts = read_mountinfo_file("/proc/self/mountinfo");
    if (!mounts)
        return mounts.error();
    auto proc = read_whole_file("/proc/self/cgroup", kMaxCgroupFile);
    if (!proc)
        return proc.error();
    const std::vector<CgroupMembership> members = parse_proc_cgroup(*proc);
    std::string v2_why;
    if (auto v2 = find_v2_place(*mounts, members); v2) {
        auto controllers = read_whole_file(v2->memory_dir + "/cgroup.controllers", kMaxCgroupFile);
        const std::string line = controllers ? controllers->substr(0, controllers->find('\n')) : std::string();
        const std::vector<std::string> offered = split(line, ' ');
        if (!controllers) {
            v2_why = controllers.error().message;
        } else if (!has(offered, "memory")) {
            v2_why = fmt::format("the cgroup v2 hierarchy at `{}` has no memory controller (it offers: {})",
                                 v2->memory_dir, line.empty() ? "none" : line);
        } else if (Status w = check_writable(v2->memory_dir); !w) {
            v2_why = w.error().message;
        } else if (Status e = enable_v2_controllers(v2->memory_dir, has(offered, "pids")); !e) {
            v2_why = e.error().message;
        } else {
            if (has(offered, "pids"))
                v2->pids_dir = v2->memory_dir;
            return v2;
        }
    } else {
        v2_why = v2.error().message;
    }
    auto v1 = find_v1_place(*mounts, members);
    if (!v1)
        return Error{v1.error().errnum, fmt::format("no usable memory cgroup: {}; {}", v2_why, v1.error().message)};
    if (Status w = check_writable(v1->memory_dir); !w)
        return Error{w.error().errnum, fmt::format("no usable memory cgroup: {}; {}", v2_why, w.error().message)};
    if (!v1->pids_dir.empty() && access(v1->pids_dir.c_str(), W_OK) != 0)
        v1->pids_dir.clear();
    return v1;
}

std::string sandbox_cgroup_name(pid_t pid) { return fmt::format("{}{}", kNamePrefix, pid); }

Result<std::unique_ptr<SandboxCgroup>> SandboxCgroup::create(const CgroupPlace& place, const std::string& name,
                                                             const CgroupLimits& limits)
{
    std::unique_ptr<SandboxCgroup> cg(new SandboxCgroup());
    cg->version_ = place.version;
    std::vector<std::string> parents{place.memory_dir};
    if (!place.pids_dir.empty() && place.pids_dir != place.memory_dir && limits.pids > 0)
        parents.push_back(place.pids_dir);
    for (const std::string& parent : parents) {
        const std::string dir = parent + "/" + name;
        // Ours already: the name holds this process's PID, so whoever made it is gone.
        if (mkdir(dir.c_str(), 0755) != 0 &&
            !(errno == EEXIST && rmdir(dir.c_str()) == 0 && mkdir(dir.c_str(), 0755) == 0)) {
            const int e = errno;
            (void)cg->remove();
            return system_error(e, fmt::format("mkdir the sandbox's cgroup `{}`", dir));
        }
        cg->dirs_.push_back(dir);
    }
    const std::string& mem = cg->dirs_[0];
    const std::string bytes = std::to_string(limits.memory_bytes);
    Status s = Ok{};
    if (place.version == CgroupVersion::V2) {
        s = write_existing_file(mem + "/memory.max", bytes);
        // Not into swap instead, and the whole sandbox at once when its OOM killer acts.
        if (s && exists(mem + "/memory.swap.max"))
            s = write_existing_file(mem + "/memory.swap.max", "0");
        if (s && exists(mem + "/memory.oom.group"))
            s = write_existing_file(mem + "/memory.oom.group", "1");
        if (s && limits.pids > 0 && place.pids_dir == place.memory_dir && !place.pids_dir.empty())
            s = write_existing_file(mem + "/pids.max", std::to_string(limits.pids));
    } else {
        s = write_existing_file(mem + "/memory.limit_in_bytes", bytes);
        // memory+swap no larger than memory: nothing pushed out to swap instead.
        if (s && exists(mem + "/memory.memsw.limit_in_bytes"))
            s = write_existing_file(mem + "/memory.memsw.limit_in_bytes", bytes);
        if (s && cg->dirs_.size() > 1)
            s = write_existing_file(cg->dirs_[1] + "/pids.max", std::to_string(limits.pids));
    }
    if (!s) {
        (void)cg->remove();
        return s.error();
    }
    return cg;
}

SandboxCgroup::~SandboxCgroup() { (void)remove(); }

CgroupUsage SandboxCgroup::usage() const
{
    CgroupUsage u;
    if (dirs_.empty())
        return u;
    const std::string& mem = dirs_[0];
    if (version_ == CgroupVersion::V2) {
        u.peak_bytes = number_in(mem + "/memory.peak"); // Linux 5.19+
        u.oom_kills = keyed_value(mem + "/memory.events", "oom_kill");
        u.limit_hits = keyed_value(mem + "/memory.events", "max");
    } else {
        u.peak_bytes = number_in(mem + "/memory.max_usage_in_bytes");
        u.oom_kills = keyed_value(mem + "/memory.oom_control", "oom_kill"); // Linux 4.13+
        u.limit_hits = number_in(mem + "/memory.failcnt");
    }
    return u;
}

Status SandboxCgroup::remove()
{
    using namespace std::chrono_literals;
    Status result = Ok{};
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
        // EBUSY while the kernel still counts a dying process in it.
        const auto deadline = std::chrono::steady_clock::now() + 2s;
        int e = 0;
        while (rmdir(it->c_str()) != 0 && (e = errno) == EBUSY && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
            e = 0;
        }
        if (e != 0 && e != ENOENT && result)
            result = system_error(e, fmt::format("rmdir the sandbox's cgroup `{}`", *it));
    }
    dirs_.clear();
    return result;
}

int remove_stale_cgroups(const CgroupPlace& place)
{
    int removed = 0;
    std::vector<std::string> parents{place.memory_dir};
    if (!place.pids_dir.empty() && place.pids_dir != place.memory_dir)
        parents.push_back(place.pids_dir);
    for (const std::string& parent : parents) {
        DIR* d = opendir(parent.c_str());
        if (!d)
            continue;
        std::vector<std::string> stale;
        while (const dirent* e = readdir(d)) {
            const std::string_view n = e->d_name;
            if (n.substr(0, std::char_traits<char>::length(kNamePrefix)) != kNamePrefix)
                continue;
            const std::string_view digits = n.substr(std::char_traits<char>::length(kNamePrefix));
            if (digits.empty() ||
                !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
                continue;
            const long pid = std::atol(std::string(digits).c_str());
            if (pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
                stale.emplace_back(n);
        }
        closedir(d);
        // rmdir refuses a cgroup that still holds processes (EBUSY): only empty ones go.
        for (const std::string& n : stale)
            removed += rmdir((parent + "/" + n).c_str()) == 0;
    }
    return removed;
}

} // namespace mountlab::lab
