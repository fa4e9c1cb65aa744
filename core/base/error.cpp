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

std::string Error::errno_name() const { return mountlab::errno_name(errnum); }

Error system_error(int errnum, std::string_view what)
{
    return Error{errnum, fmt::format("{}: {} ({})", what, mountlab::errno_name(errnum), strerror(errnum))};
}

} // namespace mountlab
