// Mount tables as JSON in findmnt's shape, so tools built for `findmnt -J` read ours:
// {"filesystems": [...]} with findmnt's keys (id, parent, target, source, fstype,
// options, propagation, opt-fields, maj:min, fsroot, vfs-options, fs-options,
// children) and our own (peer_group, master, propagate_from, unbindable).
#pragma once

#include "base/jsonwriter.h"
#include "mount/mounttree.h"

#include <string>

namespace mountlab {

// How an empty text column is written. findmnt writes null (an empty source, from
// `mount -t tmpfs "" /mnt`, is `"source": null`); the event stream's schema keeps
// strings strings ("") so that its readers need no null checks. opt-fields is null
// when empty either way.
enum class EmptyColumn { Null, EmptyString };

// One mount's fields (not the braces). Shared by `tree --json` and the event stream.
void write_mount_fields(JsonWriter& w, const Mount& m, EmptyColumn empty = EmptyColumn::Null);

// list = false: nested "children" as `findmnt -J`; true: flat as `findmnt -J --list`.
// indent < 0 writes one line.
[[nodiscard]] std::string mounts_to_json(const MountTree& tree, bool list, int indent = 3);

} // namespace mountlab
