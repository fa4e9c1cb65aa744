// What every family of operations shares: the result type, reading arguments out of a
// request, mkdir -p, the mount table of this process, and running work in a forked child.
#include "lab/operations.h"
#include "lab/ops/handlers.h"
#include "mount/mountinfo.h"
#include "trace/flagtables.h"

#include "base/fd.h"
#include "base/jsonget.h"

#include "mount/mounttree.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <map>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

Json OpResult::to_json() const
{
    Json j;
    j["ok"] = ok;
    j["errno"] = err ? Json(errno_name(err)) : Json(nullptr);
    if (!message.empty())
        j["error"] = message;
    if (!cause.empty())
        j["cause"] = cause;
    j["data"] = data;
    return j;
}

OpResult OpResult::failure(int err, std::string message, std::string cause)
{
    OpResult r;
    r.ok = false;
    r.err = err;
    r.message = std::move(message);
    r.cause = std::move(cause);
    return r;
}

OpResult OpResult::from_errno(std::string_view what)
{
    const int e = errno;
    return failure(e, system_error(e, what).message);
}

std::string str_arg(const Json& j, const char* key, const std::string& fallback)
{
    return json_string(j, key, fallback);
}

bool bool_arg(const Json& j, const char* key, bool fallback) { return json_bool(j, key, fallback); }

std::vector<std::string> strings_arg(const Json& j, const char* key)
{
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const auto& v : *it)
            if (v.is_string())
                out.push_back(v.get<std::string>());
    return out;
}

// mkdir -p
bool make_dirs(const std::string& path, mode_t mode)
{
    if (path.empty())
        return false;
    std::string cur;
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = path.find('/', pos + 1);
        cur = path.substr(0, pos);
        if (cur.empty())
            continue;
        if (mkdir(cur.c_str(), mode) != 0 && errno != EEXIST)
            return false;
    }
    return true;
}

// A regular file only: a learner's FIFO on a checked path is refused at once.
Result<std::string> read_text(const std::string& path, size_t limit) { return read_whole_file(path, limit, true); }

std::string real_path(const std::string& p)
{
    char buf[PATH_MAX];
    return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

MountTree own_mount_table()
{
    auto t = read_mountinfo_file("/proc/self/mountinfo");
    return t ? MountTree(std::move(*t)) : MountTree();
}

bool in_initial_user_namespace()
{
    auto map = read_text("/proc/self/uid_map");
    return map && map->find("4294967295") != std::string::npos;
}

unsigned long long mount_ns_inode(pid_t pid)
{
    struct stat st {};
    const std::string p = pid ? fmt::format("/proc/{}/ns/mnt", pid) : "/proc/self/ns/mnt";
    return stat(p.c_str(), &st) == 0 ? static_cast<unsigned long long>(st.st_ino) : 0;
}

namespace {

// mount(2)'s flags as a lesson names them (mount(8)'s words: lower case, no MS_). Their
// values come from the tracer's MS_* table (trace/flagtables.h), the one list of them.
const std::map<std::string, unsigned long>& lesson_mount_flags()
{
    static const std::map<std::string, unsigned long> table = [] {
        constexpr std::string_view kNames[] = {"rdonly",  "nosuid",  "nodev",    "noexec",      "sync",
                                               "remount", "dirsync", "noatime",  "nodiratime",  "bind",
                                               "move",    "rec",     "silent",   "unbindable",  "private",
                                               "slave",   "shared",  "relatime", "strictatime", "lazytime"};
        std::map<std::string, unsigned long> t;
        for (const trace::FlagName& f : trace::mount_flags()) {
            std::string word(f.name.substr(f.name.starts_with("MS_") ? 3 : 0));
            std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
            if (word == "synchronous")
                word = "sync";
            if (std::find(std::begin(kNames), std::end(kNames), word) != std::end(kNames))
                t.emplace(word, static_cast<unsigned long>(f.value));
        }
        t.emplace("ro", t.at("rdonly"));
        return t;
    }();
    return table;
}

} // namespace

Result<unsigned long> mount_flags_from_names(const Json& names)
{
    const auto& table = lesson_mount_flags();
    unsigned long flags = 0;
    if (names.is_null())
        return flags;
    if (!names.is_array())
        return make_error("mount flags must be a list of names such as [\"bind\", \"rec\"]");
    for (const auto& n : names) {
        if (!n.is_string())
            return make_error("mount flag {} is not a name", n.dump());
        auto it = table.find(n.get<std::string>());
        if (it == table.end())
            return make_error("unknown mount flag `{}`", n.get<std::string>());
        flags |= it->second;
    }
    return flags;
}

Result<Json> in_a_child(const std::function<Json()>& work, bool close_other_fds)
{
    auto ends = make_pipe(O_CLOEXEC);
    if (!ends)
        return ends.error();
    auto& [reader, writer] = *ends;
    const pid_t pid = fork();
    if (pid < 0)
        return system_error(errno, "fork");
    if (pid == 0) {
        reader.reset();
        if (close_other_fds) {
            close_range(0, static_cast<unsigned>(writer.get()) - 1, 0);
            close_range(static_cast<unsigned>(writer.get()) + 1, ~0U, 0);
        }
        // Whatever work does, the child ends here: an exception must not unwind into the
        // caller's loop, which would go on as a second container process.
        std::string text;
        try {
            text = work().dump();
        } catch (const std::exception& e) {
            text = Json{{"child_error", e.what()}}.dump();
        } catch (...) {
            _exit(1);
        }
        for (size_t at = 0; at < text.size();) {
            const ssize_t n = write(writer.get(), text.data() + at, text.size() - at);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            at += static_cast<size_t>(n);
        }
        _exit(0);
    }
    writer.reset();
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(reader.get(), buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            text.append(buf, static_cast<size_t>(n));
    reader.reset();
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return Json::parse(text, nullptr, false);
}
} // namespace mountlab::lab
