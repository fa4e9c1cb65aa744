#include "trace/flagtables.h"

#include <fmt/format.h>

#include <array>
#include <csignal>
#include <cstring>

namespace mountlab::trace {

namespace {

// Values from linux/mount.h, linux/sched.h and linux/fcntl.h, written out so that this
// file does not depend on which of glibc's and the kernel's overlapping headers win.
constexpr std::array kMount{
    FlagName{0xC0ED0000, "MS_MGC_VAL"}, // the old magic in the top half, ignored by the kernel
    FlagName{0x1, "MS_RDONLY"},         FlagName{0x2, "MS_NOSUID"},         FlagName{0x4, "MS_NODEV"},
    FlagName{0x8, "MS_NOEXEC"},         FlagName{0x10, "MS_SYNCHRONOUS"},   FlagName{0x20, "MS_REMOUNT"},
    FlagName{0x40, "MS_MANDLOCK"},      FlagName{0x80, "MS_DIRSYNC"},       FlagName{0x100, "MS_NOSYMFOLLOW"},
    FlagName{0x400, "MS_NOATIME"},      FlagName{0x800, "MS_NODIRATIME"},   FlagName{0x1000, "MS_BIND"},
    FlagName{0x2000, "MS_MOVE"},        FlagName{0x4000, "MS_REC"},         FlagName{0x8000, "MS_SILENT"},
    FlagName{1 << 16, "MS_POSIXACL"},   FlagName{1 << 17, "MS_UNBINDABLE"}, FlagName{1 << 18, "MS_PRIVATE"},
    FlagName{1 << 19, "MS_SLAVE"},      FlagName{1 << 20, "MS_SHARED"},     FlagName{1 << 21, "MS_RELATIME"},
    FlagName{1 << 22, "MS_KERNMOUNT"},  FlagName{1 << 23, "MS_I_VERSION"},  FlagName{1 << 24, "MS_STRICTATIME"},
    FlagName{1 << 25, "MS_LAZYTIME"},
};

constexpr std::array kUmount{
    FlagName{0x1, "MNT_FORCE"},
    FlagName{0x2, "MNT_DETACH"},
    FlagName{0x4, "MNT_EXPIRE"},
    FlagName{0x8, "UMOUNT_NOFOLLOW"},
};

constexpr std::array kClone{
    FlagName{0x80, "CLONE_NEWTIME"},
    FlagName{0x100, "CLONE_VM"},
    FlagName{0x200, "CLONE_FS"},
    FlagName{0x400, "CLONE_FILES"},
    FlagName{0x800, "CLONE_SIGHAND"},
    FlagName{0x1000, "CLONE_PIDFD"},
    FlagName{0x2000, "CLONE_PTRACE"},
    FlagName{0x4000, "CLONE_VFORK"},
    FlagName{0x8000, "CLONE_PARENT"},
    FlagName{0x10000, "CLONE_THREAD"},
    FlagName{0x20000, "CLONE_NEWNS"},
    FlagName{0x40000, "CLONE_SYSVSEM"},
    FlagName{0x80000, "CLONE_SETTLS"},
    FlagName{0x100000, "CLONE_PARENT_SETTID"},
    FlagName{0x200000, "CLONE_CHILD_CLEARTID"},
    FlagName{0x400000, "CLONE_DETACHED"},
    FlagName{0x800000, "CLONE_UNTRACED"},
    FlagName{0x1000000, "CLONE_CHILD_SETTID"},
    FlagName{0x2000000, "CLONE_NEWCGROUP"},
    FlagName{0x4000000, "CLONE_NEWUTS"},
    FlagName{0x8000000, "CLONE_NEWIPC"},
    FlagName{0x10000000, "CLONE_NEWUSER"},
    FlagName{0x20000000, "CLONE_NEWPID"},
    FlagName{0x40000000, "CLONE_NEWNET"},
    FlagName{0x80000000, "CLONE_IO"},
    FlagName{0x100000000ULL, "CLONE_CLEAR_SIGHAND"},
    FlagName{0x200000000ULL, "CLONE_INTO_CGROUP"},
};

constexpr std::array kMoveMount{
    FlagName{0x1, "MOVE_MOUNT_F_SYMLINKS"},    FlagName{0x2, "MOVE_MOUNT_F_AUTOMOUNTS"},
    FlagName{0x4, "MOVE_MOUNT_F_EMPTY_PATH"},  FlagName{0x10, "MOVE_MOUNT_T_SYMLINKS"},
    FlagName{0x20, "MOVE_MOUNT_T_AUTOMOUNTS"}, FlagName{0x40, "MOVE_MOUNT_T_EMPTY_PATH"},
    FlagName{0x100, "MOVE_MOUNT_SET_GROUP"},   FlagName{0x200, "MOVE_MOUNT_BENEATH"},
};

constexpr std::array kMountAttr{
    FlagName{0x1, "MOUNT_ATTR_RDONLY"},
    FlagName{0x2, "MOUNT_ATTR_NOSUID"},
    FlagName{0x4, "MOUNT_ATTR_NODEV"},
    FlagName{0x8, "MOUNT_ATTR_NOEXEC"},
    FlagName{0x10, "MOUNT_ATTR_NOATIME"},
    FlagName{0x20, "MOUNT_ATTR_STRICTATIME"},
    FlagName{0x80, "MOUNT_ATTR_NODIRATIME"},
    FlagName{0x100000, "MOUNT_ATTR_IDMAP"},
    FlagName{0x200000, "MOUNT_ATTR_NOSYMFOLLOW"},
};

constexpr std::array kFsopen{FlagName{0x1, "FSOPEN_CLOEXEC"}};
constexpr std::array kFsmount{FlagName{0x1, "FSMOUNT_CLOEXEC"}};

constexpr std::array kOpenTree{
    FlagName{0x1, "OPEN_TREE_CLONE"},  FlagName{0x100, "AT_SYMLINK_NOFOLLOW"}, FlagName{0x800, "AT_NO_AUTOMOUNT"},
    FlagName{0x1000, "AT_EMPTY_PATH"}, FlagName{0x8000, "AT_RECURSIVE"},       FlagName{0x80000, "OPEN_TREE_CLOEXEC"},
};

constexpr std::array kAt{
    FlagName{0x100, "AT_SYMLINK_NOFOLLOW"},
    FlagName{0x800, "AT_NO_AUTOMOUNT"},
    FlagName{0x1000, "AT_EMPTY_PATH"},
    FlagName{0x8000, "AT_RECURSIVE"},
};

constexpr std::array kFsconfig{
    FlagName{0, "FSCONFIG_SET_FLAG"},        FlagName{1, "FSCONFIG_SET_STRING"},
    FlagName{2, "FSCONFIG_SET_BINARY"},      FlagName{3, "FSCONFIG_SET_PATH"},
    FlagName{4, "FSCONFIG_SET_PATH_EMPTY"},  FlagName{5, "FSCONFIG_SET_FD"},
    FlagName{6, "FSCONFIG_CMD_CREATE"},      FlagName{7, "FSCONFIG_CMD_RECONFIGURE"},
    FlagName{8, "FSCONFIG_CMD_CREATE_EXCL"},
};

constexpr std::array kPropagation{
    FlagName{0, "0"},
    FlagName{1 << 17, "MS_UNBINDABLE"},
    FlagName{1 << 18, "MS_PRIVATE"},
    FlagName{1 << 19, "MS_SLAVE"},
    FlagName{1 << 20, "MS_SHARED"},
};

} // namespace

FlagTable mount_flags() { return kMount; }
FlagTable umount_flags() { return kUmount; }
FlagTable clone_flags() { return kClone; }
FlagTable move_mount_flags() { return kMoveMount; }
FlagTable mount_attr_flags() { return kMountAttr; }
FlagTable fsopen_flags() { return kFsopen; }
FlagTable fsmount_flags() { return kFsmount; }
FlagTable open_tree_flags() { return kOpenTree; }
FlagTable at_flags() { return kAt; }
FlagTable fsconfig_commands() { return kFsconfig; }
FlagTable propagation_types() { return kPropagation; }

std::string format_flags(std::uint64_t value, FlagTable table)
{
    if (value == 0)
        return "0";
    std::string out;
    std::uint64_t left = value;
    for (const FlagName& f : table) {
        if (f.value != 0 && (value & f.value) == f.value && (left & f.value) != 0) {
            if (!out.empty())
                out += '|';
            out += f.name;
            left &= ~f.value;
        }
    }
    if (left != 0) {
        if (!out.empty())
            out += '|';
        out += fmt::format("{:#x}", left);
    }
    return out;
}

std::string format_enum(std::uint64_t value, FlagTable table)
{
    for (const FlagName& f : table)
        if (f.value == value)
            return std::string(f.name);
    return fmt::format("{}", value);
}

std::string format_clone_flags(std::uint64_t value)
{
    // clone(2) keeps the exit signal in the low byte, where clone3 and unshare have
    // CLONE_NEWTIME: decode the byte as a signal here.
    const unsigned sig = value & 0xff;
    std::string out = (value & ~0xffULL) ? format_flags(value & ~0xffULL, clone_flags()) : "";
    if (sig != 0) {
        const char* abbrev = sigabbrev_np(static_cast<int>(sig));
        if (!out.empty())
            out += '|';
        out += abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("{}", sig);
    }
    return out.empty() ? "0" : out;
}

std::string format_dirfd(std::int64_t fd)
{
    return static_cast<int>(fd) == -100 ? "AT_FDCWD" : fmt::format("{}", static_cast<int>(fd));
}

} // namespace mountlab::trace
