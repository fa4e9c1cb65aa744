// Operations of the lesson overlay-advanced: rename(2) itself, without the copy-and-delete
// fallback that mv(1) adds, so that the lesson can show the EXDEV an overlay returns for a
// directory of a lower layer (redirect_dir off).
#include "lab/ops_overlayadv.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mountlab::lab {

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
