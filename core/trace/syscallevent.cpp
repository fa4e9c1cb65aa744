#include "trace/syscallevent.h"

#include "base/error.h"
#include "trace/flagtables.h"

#include "bpf/events.h"

#include <array>
#include <cstring>

namespace mountlab::trace {

namespace {

using Kind = SyscallArg::Kind;

std::string bounded(const char* s, std::size_t cap) { return std::string(s, strnlen(s, cap)); }

struct Decoder {
    const ml_event& raw;
    SyscallEvent& out;

    std::int64_t sarg(int i) const { return static_cast<std::int64_t>(raw.args[i]); }

    void str(const char* name, int arg, int slot)
    {
        if (raw.args[arg] == 0) {
            out.args.push_back({name, Kind::Null});
            return;
        }
        const bool cut = raw.truncated & (1u << slot);
        out.args.push_back({name, Kind::String, bounded(raw.str[slot], ML_STR_LEN), 0, cut});
    }
    void data(const char* name, int arg)
    {
        if (raw.args[arg] == 0) {
            out.args.push_back({name, Kind::Null});
            return;
        }
        const bool cut = raw.truncated & 8u;
        out.args.push_back({name, Kind::String, bounded(raw.data, ML_DATA_LEN), 0, cut});
    }
    void integer(const char* name, std::int64_t v, const char* group = "")
    {
        out.args.push_back({name, Kind::Integer, {}, v, false, group});
    }
    void symbol(const char* name, std::string v, const char* group = "")
    {
        out.args.push_back({name, Kind::Symbol, std::move(v), 0, false, group});
    }
    void flags(const char* name, std::uint64_t v, FlagTable t, const char* group = "")
    {
        symbol(name, format_flags(v, t), group);
    }
    void dirfd(const char* name, int arg) { symbol(name, format_dirfd(sarg(arg))); }

    void decode()
    {
        switch (raw.syscall) {
        case ML_SYS_MOUNT:
            str("source", 0, 0), str("target", 1, 1), str("filesystemtype", 2, 2);
            flags("mountflags", raw.args[3], mount_flags());
            data("data", 4);
            break;
        case ML_SYS_UMOUNT2:
            str("target", 0, 0), flags("flags", raw.args[1], umount_flags());
            break;
        case ML_SYS_PIVOT_ROOT:
            str("new_root", 0, 0), str("put_old", 1, 1);
            break;
        case ML_SYS_CHROOT:
            str("path", 0, 0);
            break;
        case ML_SYS_UNSHARE:
            flags("flags", raw.args[0], clone_flags());
            break;
        case ML_SYS_SETNS:
            integer("fd", static_cast<int>(raw.args[0]));
            flags("nstype", raw.args[1], clone_flags());
            break;
        case ML_SYS_CLONE:
            symbol("flags", format_clone_flags(raw.args[0]));
            break;
        case ML_SYS_CLONE3:
            flags("flags", raw.aux[0], clone_flags(), "cl_args");
            integer("size", sarg(1));
            break;
        case ML_SYS_MOUNT_SETATTR:
            dirfd("dirfd", 0), str("path", 1, 0), flags("flags", raw.args[2], at_flags());
            flags("attr_set", raw.aux[0], mount_attr_flags(), "attr");
            flags("attr_clr", raw.aux[1], mount_attr_flags(), "attr");
            symbol("propagation", format_enum(raw.aux[2], propagation_types()), "attr");
            integer("userns_fd", static_cast<std::int64_t>(raw.aux[3]), "attr");
            integer("size", sarg(4));
            break;
        case ML_SYS_MOVE_MOUNT:
            dirfd("from_dirfd", 0), str("from_path", 1, 0);
            dirfd("to_dirfd", 2), str("to_path", 3, 1);
            flags("flags", raw.args[4], move_mount_flags());
            break;
        case ML_SYS_OPEN_TREE:
            dirfd("dirfd", 0), str("path", 1, 0), flags("flags", raw.args[2], open_tree_flags());
            break;
        case ML_SYS_FSOPEN:
            str("fsname", 0, 0), flags("flags", raw.args[1], fsopen_flags());
            break;
        case ML_SYS_FSCONFIG: {
            integer("fd", static_cast<int>(raw.args[0]));
            symbol("cmd", format_enum(raw.args[1], fsconfig_commands()));
            str("key", 2, 0);
            const auto cmd = raw.args[1];
            if (cmd == 1 || cmd == 3 || cmd == 4) // the value is a string or a path
                data("value", 3);
            else if (raw.args[3] == 0)
                out.args.push_back({"value", Kind::Null});
            else
                symbol("value", fmt::format("{:#x}", raw.args[3]));
            integer("aux", static_cast<int>(raw.args[4]));
            break;
        }
        case ML_SYS_FSMOUNT:
            integer("fs_fd", static_cast<int>(raw.args[0]));
            flags("flags", raw.args[1], fsmount_flags());
            flags("attr_flags", raw.args[2], mount_attr_flags());
            break;
        case ML_SYS_EXEC:
            out.args.push_back(
                {"filename", Kind::String, bounded(raw.str[0], ML_STR_LEN), 0, (raw.truncated & 1u) != 0});
            break;
        default:
            for (int i = 0; i < 6; ++i)
                integer(fmt::format("arg{}", i).c_str(), sarg(i));
        }
    }
};

void quote(std::string& out, const SyscallArg& a)
{
    out += '"';
    for (unsigned char c : a.text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                out += fmt::format("\\{:o}", c);
            else
                out += static_cast<char>(c);
        }
    }
    out += '"';
    if (a.truncated)
        out += "...";
}

void append_value(std::string& out, const SyscallArg& a)
{
    switch (a.kind) {
    case Kind::String:
        quote(out, a);
        break;
    case Kind::Null:
        out += "NULL";
        break;
    case Kind::Integer:
        out += fmt::format("{}", a.number);
        break;
    case Kind::Symbol:
        out += a.text;
        break;
    }
}

} // namespace

const SyscallArg* SyscallEvent::arg(std::string_view n) const
{
    for (const SyscallArg& a : args)
        if (a.name == n)
            return &a;
    return nullptr;
}

std::string_view syscall_name(std::uint32_t syscall)
{
    static constexpr std::array<std::string_view, ML_SYS_COUNT> names{
        "?",      "mount",         "umount2",    "pivot_root", "chroot", "unshare",  "setns",   "clone",
        "clone3", "mount_setattr", "move_mount", "open_tree",  "fsopen", "fsconfig", "fsmount", "exec"};
    return syscall < names.size() ? names[syscall] : "?";
}

SyscallEvent decode_event(const ml_event& raw)
{
    SyscallEvent e;
    e.kind = raw.syscall == ML_SYS_EXEC ? SyscallEvent::Kind::Exec : SyscallEvent::Kind::Syscall;
    e.name = std::string(syscall_name(raw.syscall));
    e.ret = raw.ret;
    if (raw.ret < 0 && raw.ret >= -4095)
        e.err = static_cast<int>(-raw.ret);
    e.pid = raw.pid;
    e.tid = raw.tid;
    e.comm = bounded(raw.comm, ML_COMM_LEN);
    e.mntns_before = raw.mntns_before;
    e.mntns_after = raw.mntns_after;
    e.ts_ns = raw.ts_ns;
    e.latency_ns = raw.latency_ns;
    Decoder{raw, e}.decode();
    return e;
}

std::string to_strace(const SyscallEvent& e)
{
    std::string out = e.name;
    out += '(';
    std::string_view open_group;
    bool first = true;
    for (const SyscallArg& a : e.args) {
        if (a.group != open_group && !open_group.empty())
            out += '}';
        if (!first)
            out += ", ";
        first = false;
        if (!a.group.empty() && a.group != open_group)
            out += '{';
        if (!a.group.empty())
            out += a.name + '=';
        open_group = a.group;
        append_value(out, a);
    }
    if (!open_group.empty())
        out += '}';
    out += ')';
    if (e.kind == SyscallEvent::Kind::Exec)
        return out;
    if (e.err != 0)
        out += fmt::format(" = -1 {}", errno_name(e.err));
    else
        out += fmt::format(" = {}", e.ret);
    return out;
}

} // namespace mountlab::trace
