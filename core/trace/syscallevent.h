// SyscallEvent: one traced call, decoded (flag names, NULL, strings), as the CLI prints
// it, the GUI shows it and the event stream carries it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct ml_event; // bpf/events.h

namespace mountlab::trace {

struct SyscallArg {
    enum class Kind {
        String,  // a user string: quoted in text, a JSON string
        Null,    // a NULL pointer: NULL / null
        Integer, // a number: fds, sizes
        Symbol,  // decoded flags or a named value ("MS_REC|MS_PRIVATE", "AT_FDCWD")
    };
    std::string name; // the man page's name: "source", "flags"
    Kind kind = Kind::Integer;
    std::string text;        // String: the bytes; Symbol: the names
    std::int64_t number = 0; // Integer
    bool truncated = false;  // String: longer than the probe's buffer
    std::string group;       // non-empty: a field of the struct argument with this name
};

struct SyscallEvent {
    enum class Kind { Syscall, Exec };
    Kind kind = Kind::Syscall;
    std::string name; // "mount", "umount2", ...; "exec" for a program start
    std::vector<SyscallArg> args;
    std::int64_t ret = 0;
    int err = 0; // errno when the call failed, else 0
    std::uint32_t pid = 0;
    std::uint32_t tid = 0;
    std::string comm;
    std::uint32_t mntns_before = 0;
    std::uint32_t mntns_after = 0;
    std::uint64_t ts_ns = 0;         // CLOCK_MONOTONIC at entry
    std::uint64_t latency_ns = 0;    // entry to exit
    std::optional<std::string> step; // the lesson step that made this call (set by the engine)

    [[nodiscard]] const SyscallArg* arg(std::string_view name) const;
};

// The name of an enum ml_syscall value: "mount", "umount2", ...
[[nodiscard]] std::string_view syscall_name(std::uint32_t syscall);

// Decodes one ring buffer record.
[[nodiscard]] SyscallEvent decode_event(const ml_event& raw);

// strace's form: `mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) = 0`,
// `umount2("/mnt", MNT_DETACH) = -1 EINVAL`.
[[nodiscard]] std::string to_strace(const SyscallEvent& e);

// Its JSON object (kind "syscall" or "exec") is the stream's: stream::write_syscall.

} // namespace mountlab::trace
