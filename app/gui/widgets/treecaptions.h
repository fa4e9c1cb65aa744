// The drawn tree's words, shared by its painter and its tooltips (treecaptions.cpp).
#pragma once

#include "mountrow.h"

#include <QString>
#include <QStringList>

namespace mountlab::gui {

// The diff's field names in a learner's words, for a changed mount's badge.
[[nodiscard]] QString changeWords(const QStringList& fields);
// The lines an overlay shows under it: its lowerdirs (the top first), upper, work.
[[nodiscard]] QStringList overlayLines(const MountRow& m);
// What a mount outside the viewing process's root (after chroot) is, for its tooltip
// and the legend.
[[nodiscard]] QString outsideRootTeach();

} // namespace mountlab::gui
