// Files: write, append, remove, mkdir, read and stat, each reporting what it changed in
// the upper layer of the overlay holding the path (copy-up, whiteouts, opaque directories).
#include "lab/operations.h"
#include "lab/ops/handlers.h"

#include "base/fd.h"

#include "lab/pivotcause.h"
#include "mount/mounttree.h"
#include "mount/overlayoptions.h"
#include "stream/events.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <map>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {

struct OverlayInfo {
    std::string target;
    std::vector<std::string> lowers;
    std::string upper;
};

std::optional<OverlayInfo> overlay_holding(const std::string& path)
{
    MountTree t = own_mount_table();
    const size_t m = mount_of_path(t, path);
    if (m == MountTree::npos || t[m].fstype != "overlay")
        return std::nullopt;
    OverlayLayers layers = overlay_layers(t[m].super_options);
    OverlayInfo info;
    info.target = t[m].target;
    info.lowers = std::move(layers.lowers);
    info.upper = std::move(layers.upper);
    return info;
}

struct UpperEntry {
    std::string kind; // file, dir, opaque-dir, whiteout, symlink, other
    off_t size = 0;
    struct timespec mtime {};
};

bool is_opaque(const std::string& path)
{
    char v[4] = {};
    for (const char* name : {"trusted.overlay.opaque", "user.overlay.opaque"})
        if (lgetxattr(path.c_str(), name, v, sizeof v) > 0 && (v[0] == 'y' || v[0] == 'x'))
            return true;
    return false;
}

// Every entry under upperdir, by relative path: what overlayfs really wrote.
std::map<std::string, UpperEntry> scan_upper(const std::string& upper)
{
    std::map<std::string, UpperEntry> out;
    std::vector<std::string> todo{""};
    while (!todo.empty()) {
        const std::string rel = todo.back();
        todo.pop_back();
        DIR* d = opendir((upper + rel).c_str());
        if (!d)
            continue;
        while (dirent* e = readdir(d)) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            const std::string r = rel + "/" + e->d_name;
            const std::string full = upper + r;
            struct stat st {};
            if (lstat(full.c_str(), &st) != 0)
                continue;
            UpperEntry u;
            u.size = st.st_size;
            u.mtime = st.st_mtim;
            if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0)
                u.kind = "whiteout";
            else if (S_ISDIR(st.st_mode)) {
                u.kind = is_opaque(full) ? "opaque-dir" : "dir";
                todo.push_back(r);
            } else if (S_ISREG(st.st_mode))
                u.kind = "file";
            else if (S_ISLNK(st.st_mode))
                u.kind = "symlink";
            else
                u.kind = "other";
            out.emplace(r, u);
        }
        closedir(d);
    }
    return out;
}

std::string lower_holding(const OverlayInfo& ov, const std::string& rel)
{
    for (const std::string& l : ov.lowers) {
        struct stat st {};
        if (lstat((l + rel).c_str(), &st) == 0)
            return l;
    }
    return {};
}

} // namespace

using FileAction = std::function<OpResult()>;

// Runs a file operation in the merged view and reports what it did to the upper layer.
OpResult with_upper_report(const std::string& path, const FileAction& action)
{
    const auto ov = overlay_holding(path);
    if (!ov || ov->upper.empty())
        return action();
    const std::string rel = path.substr(ov->target == "/" ? 0 : ov->target.size());
    const std::string lower = lower_holding(*ov, rel);
    Result<std::string> lower_before = lower.empty() ? Result<std::string>(Error{}) : read_text(lower + rel);
    const auto before = scan_upper(ov->upper);
    OpResult r = action();
    const auto after = scan_upper(ov->upper);
    Json changes = Json::array();
    for (const auto& [p, e] : after) {
        auto it = before.find(p);
        std::string kind;
        if (it == before.end() || it->second.kind != e.kind) {
            if (e.kind == "whiteout" || e.kind == "opaque-dir")
                kind = e.kind;
            else if (!lower_holding(*ov, p).empty())
                kind = e.kind == "dir" ? "copied-up-dir" : "copied-up";
            else
                kind = "created";
        } else if (e.kind == "file" && (it->second.size != e.size || it->second.mtime.tv_sec != e.mtime.tv_sec ||
                                        it->second.mtime.tv_nsec != e.mtime.tv_nsec)) {
            kind = "modified";
        }
        if (!kind.empty())
            changes.push_back(stream::upper_change_json({p, kind, ov->upper + p}));
    }
    for (const auto& [p, e] : before)
        if (!after.count(p))
            changes.push_back(stream::upper_change_json({p, "removed-from-upper", ov->upper + p}));
    r.data["overlay"] = ov->target;
    r.data["upperdir"] = ov->upper;
    r.data["lowerdirs"] = ov->lowers;
    r.data["upper_changes"] = changes;
    if (!lower.empty()) {
        Result<std::string> lower_after = read_text(lower + rel);
        r.data["lower"] = stream::lower_file_json(
            {lower, lower + rel,
             lower_before.ok() == lower_after.ok() && (!lower_before.ok() || *lower_before == *lower_after)});
    }
    return r;
}

OpResult remove_path(const std::string& path, bool recursive)
{
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0)
        return OpResult::from_errno(fmt::format("rm `{}`", path));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path.c_str()) != 0)
            return OpResult::from_errno(fmt::format("rm `{}`", path));
        return {};
    }
    if (recursive) {
        // Depth first, children before their directory.
        std::vector<std::pair<std::string, bool>> todo{{path, false}};
        while (!todo.empty()) {
            auto [p, expanded] = todo.back();
            todo.pop_back();
            struct stat s {};
            if (lstat(p.c_str(), &s) != 0)
                continue;
            if (S_ISDIR(s.st_mode) && !expanded) {
                todo.push_back({p, true});
                if (DIR* d = opendir(p.c_str())) {
                    while (dirent* e = readdir(d))
                        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                            todo.push_back({p + "/" + e->d_name, false});
                    closedir(d);
                }
            } else if (S_ISDIR(s.st_mode)) {
                if (rmdir(p.c_str()) != 0)
                    return OpResult::from_errno(fmt::format("rmdir `{}`", p));
            } else if (unlink(p.c_str()) != 0) {
                return OpResult::from_errno(fmt::format("rm `{}`", p));
            }
        }
        return {};
    }
    if (rmdir(path.c_str()) != 0)
        return OpResult::from_errno(fmt::format("rmdir `{}`", path));
    return {};
}

OpResult write_file(const std::string& path, const std::string& content, bool append)
{
    // Non-blocking: a FIFO put where a file is written, with nobody reading it, fails at
    // once (ENXIO) instead of holding the lab's answer until the engine gives up.
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK | (append ? O_APPEND : O_TRUNC), 0644));
    if (!fd) {
        OpResult r = OpResult::from_errno(fmt::format("open `{}` for writing", path));
        if (struct stat st{}; r.err == ENXIO && stat(path.c_str(), &st) == 0)
            r.cause = S_ISFIFO(st.st_mode)   ? "it is a FIFO (named pipe) that no process has open for reading"
                      : S_ISSOCK(st.st_mode) ? "it is a socket, not a file"
                                             : "";
        return r;
    }
    const ssize_t w = write(fd.get(), content.data(), content.size());
    const int e = errno;
    fd.reset();
    if (w != static_cast<ssize_t>(content.size())) {
        struct stat st {};
        if (stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode))
            return OpResult::failure(w < 0 ? e : EAGAIN,
                                     fmt::format("write `{}`: the FIFO's reader took {} of {} bytes", path,
                                                 std::max<ssize_t>(w, 0), content.size()),
                                     "it is a FIFO (named pipe), and its buffer is full");
        errno = w < 0 ? e : ENOSPC;
        return OpResult::from_errno(fmt::format("write `{}`", path));
    }
    return {};
}

// What a path is, as lstat and the overlay xattrs tell.
OpResult stat_path(const std::string& path)
{
    struct stat st {};
    OpResult r;
    if (lstat(path.c_str(), &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return OpResult::from_errno(fmt::format("stat `{}`", path));
        r.data["exists"] = false;
        return r;
    }
    std::string type = S_ISREG(st.st_mode)   ? "file"
                       : S_ISDIR(st.st_mode) ? "dir"
                       : S_ISLNK(st.st_mode) ? "symlink"
                       : S_ISCHR(st.st_mode) ? "chardev"
                       : S_ISBLK(st.st_mode) ? "blockdev"
                                             : "other";
    if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0)
        type = "whiteout";
    if (S_ISDIR(st.st_mode) && is_opaque(path))
        type = "opaque-dir";
    r.data["exists"] = true;
    r.data["type"] = type;
    r.data["size"] = static_cast<long long>(st.st_size);
    r.data["mode"] = fmt::format("{:o}", st.st_mode & 07777);
    r.data["uid"] = st.st_uid;
    return r;
}

// {path, new_path}: rename(path, new_path); "stdout" holds the call as strace shows it.
OpResult rename_path(const Json& req)
{
    const std::string from = req.value("path", std::string());
    const std::string to = req.value("new_path", std::string());
    const int r = std::rename(from.c_str(), to.c_str());
    const int e = errno;
    const std::string call = fmt::format("rename(\"{}\", \"{}\")", from, to);
    OpResult out;
    if (r != 0) {
        errno = e;
        out = OpResult::from_errno(fmt::format("rename `{}` to `{}`", from, to));
        if (e == EXDEV)
            out.cause = "an overlay renames a directory that comes from a lower layer only with redirect_dir=on; "
                        "otherwise EXDEV, and mv copies it instead";
        out.data["stdout"] = fmt::format("{} = -1 {} ({})\n", call, errno_name(e), std::strerror(e));
    } else {
        out.data["stdout"] = call + " = 0\n";
    }
    return out;
}

} // namespace mountlab::lab
