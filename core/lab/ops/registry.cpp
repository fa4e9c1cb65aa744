// The operations' registry (lab/registry.h) and perform(), which dispatches on it.
#include "lab/registry.h"
#include "lab/operations.h"
#include "lab/ops/handlers.h"

#include "base/base64.h"
#include "base/jsonget.h"

#include <cerrno>
#include <functional>
#include <iterator>
#include <sys/stat.h>

namespace mountlab::lab {

const ParamDef* OperationDef::param(std::string_view n) const
{
    for (const ParamDef& p : params)
        if (p.name == n)
            return &p;
    return nullptr;
}

namespace {

using K = ParamKind;

ParamDef p(const char* name, K kind = K::String) { return ParamDef{name, kind, true, false}; }
ParamDef engine_only(const char* name, K kind) { return ParamDef{name, kind, false, false}; }

// A handler of the request alone (most are).
template <class F> std::function<OpResult(const Json&, ProcessState&)> req(F f)
{
    return [f](const Json& r, ProcessState&) { return f(r); };
}

OpResult mount_op(const Json& r)
{
    auto flags = mount_flags_from_names(r.value("flags", Json()));
    if (!flags)
        return OpResult::failure(EINVAL, flags.error().message);
    return mount_filesystem(str_arg(r, "source"), str_arg(r, "target"), str_arg(r, "fstype"), *flags,
                            str_arg(r, "data"), bool_arg(r, "mkdir", true));
}

OpResult write_op(const Json& r)
{
    const std::string path = str_arg(r, "path");
    // "content_base64": any bytes (JSON strings carry UTF-8 only): the grader's script.
    std::string content = str_arg(r, "content");
    if (r.contains("content_base64")) {
        auto bytes = base64_decode(str_arg(r, "content_base64"));
        if (!bytes)
            return OpResult::failure(EINVAL, "`content_base64` is not base64");
        content = std::move(*bytes);
    }
    return with_upper_report(path, [&] { return write_file(path, content, false); });
}

OpResult mkdir_op(const Json& r)
{
    const std::string path = str_arg(r, "path");
    return with_upper_report(path, [&] {
        return mkdir(path.c_str(), 0755) == 0 ? OpResult{} : OpResult::from_errno(fmt::format("mkdir `{}`", path));
    });
}

OpResult read_op(const Json& r)
{
    auto t = read_text(str_arg(r, "path"));
    if (!t)
        return OpResult::failure(t.error().errnum, t.error().message);
    OpResult o;
    o.data["content"] = *t;
    return o;
}

OpResult exec_op(const Json& r)
{
    CommandLimits limits;
    if (r.contains("limits") && r["limits"].is_object()) {
        const Json& l = r["limits"];
        limits.nproc = json_int(l, "nproc", 0, 0, 1 << 22);
        limits.memory_mb = json_int(l, "memory_mb", 0, 0, 1 << 24);
        limits.cpu_s = json_int(l, "cpu_s", 0, 0, 1 << 24);
        limits.file_mb = json_int(l, "file_mb", 0, 0, 1 << 24);
        limits.pid_namespace = json_bool(l, "pid_namespace");
    }
    return run_command(strings_arg(r, "argv"), static_cast<int>(json_int(r, "timeout_ms", 5000, 1, kMaxTimeoutMs)),
                       str_arg(r, "stdin"), limits);
}

// mounts.cpp: propagation, mount, umount, overlay, proc
std::vector<OperationDef> mount_operations()
{
    return {
        {"propagation",
         {p("path"), p("type"), p("recursive", K::Bool)},
         "mount --make-[r]TYPE PATH",
         true,
         req([](const Json& r) {
             return make_mount_propagation(str_arg(r, "path", "/"), str_arg(r, "type"), bool_arg(r, "recursive"));
         })},
        {"mount",
         {p("source"), p("target"), p("fstype"), p("flags", K::Strings), p("data"), p("mkdir", K::Bool)},
         "mount(2)",
         true,
         req(mount_op)},
        {"umount", {p("target"), p("detach", K::Bool)}, "umount2(2)", true, req([](const Json& r) {
             return unmount(str_arg(r, "target"), bool_arg(r, "detach"));
         })},
        {"overlay",
         {p("lowers", K::Strings), p("upper"), p("work"), p("target")},
         "mount -t overlay",
         true,
         req([](const Json& r) {
             return mount_overlay(strings_arg(r, "lowers"), str_arg(r, "upper"), str_arg(r, "work"),
                                  str_arg(r, "target"));
         })},
        {"proc", {p("path")}, "mount -t proc -o nosuid,nodev,noexec proc PATH", true, req([](const Json& r) {
             return mount_proc(str_arg(r, "path", "/proc"));
         })},
        {"pids", {p("path")}, "the PIDs (and comm) a proc shows", true, req([](const Json& r) {
             return list_pids(str_arg(r, "path", "/proc"));
         })},
    };
}

// roots.cpp: chroot, its escape, pivot_root and runc's ways
std::vector<OperationDef> root_operations()
{
    return {
        {"chroot", {p("path")}, "chdir(path); chroot(\".\")", true, req([](const Json& r) {
             return chroot_into(str_arg(r, "path"));
         })},
        {"escape",
         {},
         "the classic chroot escape, in a child",
         true,
         [](const Json&, ProcessState& s) { return attempt_chroot_escape(s); }},
        {"isolation",
         {engine_only("procs", K::Strings), engine_only("mounts", K::Strings)},
         "what isolation rests on, read without attempting anything (checks isolated, climb)",
         false,
         [](const Json& r, ProcessState& s) { return inspect_isolation(r, s); }},
        {"pivot_root", {p("new_root"), p("put_old")}, "pivot_root(2)", true, req([](const Json& r) {
             return pivot_root_into(str_arg(r, "new_root"), str_arg(r, "put_old"));
         })},
        {"pivot_root_runc",
         {p("new_root")},
         "runc's pivot_root(\".\", \".\") and the old root detached",
         true,
         req([](const Json& r) { return pivot_root_runc_style(str_arg(r, "new_root")); })},
        {"move_root",
         {p("new_root")},
         "runc --no-pivot: mount(new_root, \"/\", MS_MOVE) and chroot(\".\")",
         true,
         req([](const Json& r) { return move_root_runc_style(str_arg(r, "new_root")); })},
    };
}

// namespaces.cpp
std::vector<OperationDef> namespace_operations()
{
    return {
        {"unshare", {p("namespaces", K::Strings), p("hostname")}, "unshare(2)", true, req(unshare_namespaces)},
        {"namespaces", {}, "this process's namespaces, by inode (check container_ns)", false, req([](const Json&) {
             return own_namespaces();
         })},
    };
}

// files.cpp: what copy-up is shown with
std::vector<OperationDef> file_operations()
{
    return {
        {"write",
         {p("path"), p("content"), engine_only("content_base64", K::String)},
         "create or truncate a file and write",
         true,
         req(write_op)},
        {"append", {p("path"), p("content")}, "append to a file", true, req([](const Json& r) {
             const std::string path = str_arg(r, "path");
             return with_upper_report(path, [&] { return write_file(path, str_arg(r, "content"), true); });
         })},
        {"remove", {p("path"), p("recursive", K::Bool)}, "rm / rm -r / rmdir", true, req([](const Json& r) {
             const std::string path = str_arg(r, "path");
             return with_upper_report(path, [&] { return remove_path(path, bool_arg(r, "recursive")); });
         })},
        {"mkdir", {p("path")}, "mkdir", true, req(mkdir_op)},
        {"read", {p("path")}, "read a file", true, req(read_op)},
        {"stat", {p("path")}, "lstat", true, req([](const Json& r) { return stat_path(str_arg(r, "path")); })},
        {"rename", {p("path"), p("new_path")}, "rename(2), with no copy fallback", true, req(rename_path)},
    };
}

// commands.cpp
std::vector<OperationDef> command_operations()
{
    return {
        {"exec",
         {p("argv", K::Strings), p("timeout_ms", K::Int), p("stdin"), engine_only("limits", K::Map)},
         "run a command",
         true,
         req(exec_op)},
    };
}

// mountapi.cpp: the new mount API (fsopen, open_tree, mount_setattr)
std::vector<OperationDef> mount_api_operations()
{
    const std::vector<ParamDef> new_api_attrs = {p("path"), p("recursive", K::Bool), p("attrs", K::Strings),
                                                 p("propagation"), p("idmap")};
    std::vector<ParamDef> clone_params = new_api_attrs;
    clone_params.push_back(p("target"));
    clone_params.push_back(p("nested_userns", K::Bool));
    std::vector<ParamDef> setattr_params = new_api_attrs;
    setattr_params.push_back(p("rw", K::Bool));
    return {
        {"fsmount",
         {p("fstype"), p("options", K::Strings), p("attrs", K::Strings), p("target")},
         "fsopen + fsconfig + fsmount + move_mount",
         true,
         req(new_api_mount)},
        {"open_tree", clone_params, "open_tree(OPEN_TREE_CLONE) + mount_setattr + move_mount", true,
         req(new_api_clone)},
        {"mount_setattr", setattr_params, "mount_setattr(2) on an attached mount", true, req(new_api_setattr)},
    };
}

// The lab host's, for the step runner (labhost.cpp): no handler here.
std::vector<OperationDef> lab_host_operations()
{
    return {
        {"reset_container", {}, "kill the container and start a fresh one", true, {}},
    };
}

// The table, family by family, in the order lessons/README.md lists them.
std::vector<OperationDef> make_registry()
{
    std::vector<OperationDef> all;
    for (auto family : {mount_operations, root_operations, namespace_operations, file_operations, command_operations,
                        mount_api_operations, lab_host_operations}) {
        std::vector<OperationDef> ops = family();
        all.insert(all.end(), std::make_move_iterator(ops.begin()), std::make_move_iterator(ops.end()));
    }
    return all;
}

} // namespace

const std::vector<OperationDef>& operation_registry()
{
    static const std::vector<OperationDef> r = make_registry();
    return r;
}

const OperationDef* find_operation(std::string_view name)
{
    for (const OperationDef& d : operation_registry())
        if (d.name == name)
            return &d;
    return nullptr;
}

OpResult perform(const Json& req, ProcessState& state)
{
    const std::string op = str_arg(req, "op");
    const OperationDef* d = find_operation(op);
    if (!d || !d->run)
        return OpResult::failure(EINVAL, fmt::format("unknown operation `{}`", op));
    return d->run(req, state);
}

} // namespace mountlab::lab
