// A mountinfo text as the GUI's rows and forest, for the GUI's tests (the parser is
// core's own, libmount's checks included).
#pragma once

#include "mount/mountinfo.h"
#include "mountforest.h"
#include "mountrow.h"

namespace mountlab::gui::test {

inline QVector<MountRow> rowsOf(const char* mountinfo)
{
    QVector<MountRow> rows;
    for (const auto& m : mountlab::parse_mountinfo(mountinfo).mounts)
        rows << mountFromCore(m);
    return rows;
}

inline MountForest forestOf(const char* mountinfo)
{
    MountForest f;
    f.setMounts(rowsOf(mountinfo));
    return f;
}

} // namespace mountlab::gui::test
