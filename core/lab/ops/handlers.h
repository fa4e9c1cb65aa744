// The engine's own view of its operations, for the files of core/lab/ops/ (not for the
// rest of the project: lab/operations.h is the public face). Each family has a file:
//   common.cpp      the result, argument helpers, in_a_child
//   mounts.cpp      propagation, mount, umount, overlay, proc, pids
//   roots.cpp       chroot, escape, isolation, pivot_root, pivot_root_runc, move_root
//   namespaces.cpp  unshare, namespaces
//   files.cpp       write, append, remove, mkdir, read, stat, rename (with copy-up reports)
//   commands.cpp    exec
//   mountapi.cpp    fsmount, open_tree, mount_setattr (the new mount API)
//   registry.cpp    every operation by name: its parameters, one line of doc, its handler
#pragma once

#include "base/error.h"
#include "lab/operations.h"
#include "mount/mounttree.h"

#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace mountlab::lab {

// ---- reading a request's arguments (a missing or mistyped one is the fallback)
[[nodiscard]] std::string str_arg(const Json& j, const char* key, const std::string& fallback = {});
[[nodiscard]] bool bool_arg(const Json& j, const char* key, bool fallback = false);
[[nodiscard]] std::vector<std::string> strings_arg(const Json& j, const char* key);

// ---- small helpers
bool make_dirs(const std::string& path, mode_t mode = 0755); // mkdir -p
// read_whole_file (mount/mountinfo.h) with a 1 MiB limit: a larger file is an error.
[[nodiscard]] Result<std::string> read_text(const std::string& path, size_t limit = 1 << 20);
[[nodiscard]] std::string real_path(const std::string& p); // realpath(3), or p itself
[[nodiscard]] MountTree own_mount_table();                 // /proc/self/mountinfo
// In a user namespace other than the machine's, overlayfs cannot write trusted.* xattrs
// (opaque directories, redirects): it needs "userxattr" to use user.overlay.*.
[[nodiscard]] bool in_initial_user_namespace();

// ---- handlers that take the request as it came (the others are in operations.h)
OpResult unshare_namespaces(const Json& req);                        // namespaces.cpp
OpResult own_namespaces();                                           // namespaces.cpp
OpResult inspect_isolation(const Json& req, const ProcessState& st); // roots.cpp

// files.cpp: a file operation in the merged view, reporting what it did to the upper layer.
using FileAction = std::function<OpResult()>;
OpResult with_upper_report(const std::string& path, const FileAction& action);
OpResult remove_path(const std::string& path, bool recursive);
OpResult write_file(const std::string& path, const std::string& content, bool append);
OpResult stat_path(const std::string& path);
// {path, new_path}: rename(2) itself, without mv(1)'s copy-and-delete fallback, so that
// an overlay's EXDEV for a lower directory shows (redirect_dir off).
OpResult rename_path(const Json& req);

// mountapi.cpp: each call written to the result's "stdout" as strace shows it.
// {fstype, options: ["key=value" | "flag"], attrs: [ro, nosuid, nodev, noexec], target}
OpResult new_api_mount(const Json& req);
// {path, recursive, attrs, propagation, idmap: "INSIDE OUTSIDE COUNT", target, nested_userns}
OpResult new_api_clone(const Json& req);
// {path, recursive, attrs, rw, propagation, idmap}
OpResult new_api_setattr(const Json& req);

} // namespace mountlab::lab
