// An overlay's layers, read from its super options (mountinfo's last field, already
// unescaped by the mountinfo parser). One reading for the engine's copy-up report and
// the GUI's layer view.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mountlab {

struct OverlayLayers {
    std::vector<std::string> lowers; // topmost first, as lowerdir= lists them
    std::string upper;               // empty for a read-only overlay
    std::string work;
    [[nodiscard]] bool empty() const { return lowers.empty() && upper.empty(); }
};

// How overlayfs shows its options (fs/overlayfs/params.c, checked on the running kernel
// by tst_mountinfo_raw): options separated by ',', a ',' or ':' inside a path written
// as "\," or "\:", the lower layers either as one "lowerdir=" list separated by ':'
// (data-only layers after "::") or as one "lowerdir+=" option each. Data-only layers
// ("datadir+=", or after "::") hold file data for metacopy and are not listed.
[[nodiscard]] OverlayLayers overlay_layers(std::string_view super_options);

} // namespace mountlab
