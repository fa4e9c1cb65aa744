#include "base/error.h"

#include <cstring>

namespace mountlab {

std::string errno_name(int errnum)
{
    if (errnum == 0)
        return {};
    if (const char* name = strerrorname_np(errnum))
        return name;
    return fmt::format("E{}", errnum);
}

int errno_from_name(std::string_view name)
{
    for (int e = 1; e < 256; ++e)
        if (const char* n = strerrorname_np(e); n && name == n)
            return e;
    return 0;
}

std::string Error::errno_name() const { return mountlab::errno_name(errnum); }

Error system_error(int errnum, std::string_view what)
{
    return Error{errnum, fmt::format("{}: {} ({})", what, mountlab::errno_name(errnum), strerror(errnum))};
}

} // namespace mountlab
