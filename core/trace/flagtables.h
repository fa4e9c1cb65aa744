// Flag tables: one per syscall family, shared by the CLI, the GUI and the tests, so a
// flag word is always decoded with its own family's names (mountsnoop decodes umount2's
// flags with the MS_* table and prints MNT_DETACH as MS_NOSUID).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mountlab::trace {

struct FlagName {
    std::uint64_t value;   // one bit, or a multi-bit value matched as a whole
    std::string_view name; // "MS_REC"
};
using FlagTable = std::span<const FlagName>;

// Bit sets.
[[nodiscard]] FlagTable mount_flags();      // mount(2): MS_*
[[nodiscard]] FlagTable umount_flags();     // umount2(2): MNT_*, UMOUNT_NOFOLLOW
[[nodiscard]] FlagTable clone_flags();      // unshare/clone/clone3/setns: CLONE_*
[[nodiscard]] FlagTable move_mount_flags(); // MOVE_MOUNT_*
[[nodiscard]] FlagTable mount_attr_flags(); // MOUNT_ATTR_* (mount_setattr, fsmount)
[[nodiscard]] FlagTable fsopen_flags();     // FSOPEN_CLOEXEC
[[nodiscard]] FlagTable fsmount_flags();    // FSMOUNT_CLOEXEC
[[nodiscard]] FlagTable open_tree_flags();  // OPEN_TREE_*, AT_*
[[nodiscard]] FlagTable at_flags();         // mount_setattr's AT_* flags
// Enumerations (one value, not a bit set).
[[nodiscard]] FlagTable fsconfig_commands(); // FSCONFIG_*
[[nodiscard]] FlagTable propagation_types(); // MS_SHARED, ... as mount_attr.propagation

// "MS_REC|MS_PRIVATE"; "0" for 0; bits without a name as a trailing "0x..." term.
[[nodiscard]] std::string format_flags(std::uint64_t value, FlagTable table);
// The name of one enumeration value, or its number in decimal.
[[nodiscard]] std::string format_enum(std::uint64_t value, FlagTable table);
// clone(2)'s flag word: the CLONE_* bits and the exit signal in its low byte
// ("CLONE_NEWNS|SIGCHLD").
[[nodiscard]] std::string format_clone_flags(std::uint64_t value);
// A directory file descriptor: "AT_FDCWD" or the number.
[[nodiscard]] std::string format_dirfd(std::int64_t fd);

} // namespace mountlab::trace
