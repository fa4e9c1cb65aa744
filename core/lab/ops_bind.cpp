// The bind-mounts lesson's operation: mount_setattr(2), which no mount(2) call can do for a
// whole tree (MS_REMOUNT|MS_BIND|MS_RDONLY changes one mount, whatever MS_REC says).
#include "lab/operations.h"

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

namespace mountlab::lab {

namespace {

#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

// struct mount_attr and MOUNT_ATTR_* of <linux/mount.h>, which clashes with glibc's
// <sys/mount.h> on Debian 12.
struct MountAttr {
    uint64_t attr_set = 0;
    uint64_t attr_clr = 0;
    uint64_t propagation = 0;
    uint64_t userns_fd = 0;
};

const std::map<std::string, uint64_t>& attribute_bits()
{
    static const std::map<std::string, uint64_t> bits = {
        {"ro", 0x00000001}, {"nosuid", 0x00000002}, {"nodev", 0x00000004}, {"noexec", 0x00000008}};
    return bits;
}

Result<uint64_t> attributes_from_names(const Json& names, const char* key)
{
    uint64_t out = 0;
    if (names.is_null())
        return out;
    if (!names.is_array())
        return Error{EINVAL, fmt::format("`{}` must be a list of attributes (ro, nosuid, nodev, noexec)", key)};
    for (const Json& n : names) {
        const auto it = n.is_string() ? attribute_bits().find(n.get<std::string>()) : attribute_bits().end();
        if (it == attribute_bits().end())
            return Error{EINVAL, fmt::format("unknown attribute `{}` in `{}` (ro, nosuid, nodev, noexec)", n.dump(), key)};
        out |= it->second;
    }
    return out;
}

} // namespace

OpResult set_mount_attributes(const Json& request)
{
    const std::string path = request.value("path", std::string());
    if (path.empty())
        return OpResult::failure(EINVAL, "mount_setattr needs a `path`");
    auto set = attributes_from_names(request.value("set", Json()), "set");
    if (!set)
        return OpResult::failure(set.error().errnum, set.error().message);
    auto clear = attributes_from_names(request.value("clear", Json()), "clear");
    if (!clear)
        return OpResult::failure(clear.error().errnum, clear.error().message);
    const bool recursive = request.value("recursive", false);
    MountAttr attr;
    attr.attr_set = *set;
    attr.attr_clr = *clear;
    if (syscall(SYS_mount_setattr, AT_FDCWD, path.c_str(), recursive ? AT_RECURSIVE : 0, &attr, sizeof attr) != 0)
        return OpResult::from_errno(fmt::format("mount_setattr `{}`", path));
    OpResult r;
    r.data["recursive"] = recursive;
    return r;
}

} // namespace mountlab::lab
