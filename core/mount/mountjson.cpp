#include "mount/mountjson.h"

namespace mountlab {

namespace {
void number_or_null(JsonWriter& w, std::string_view key, int n)
{
    w.key(key);
    if (n)
        w.value(n);
    else
        w.null();
}

// findmnt (libsmartcols) writes an empty column as null.
void string_or_null(JsonWriter& w, std::string_view key, std::string_view s, EmptyColumn empty = EmptyColumn::Null)
{
    w.key(key);
    if (s.empty() && empty == EmptyColumn::Null)
        w.null();
    else
        w.value(s);
}
} // namespace

void write_mount_fields(JsonWriter& w, const Mount& m, EmptyColumn empty)
{
    // findmnt leaves an ID of 0 out (null); so do we, to read the same.
    number_or_null(w, "id", m.id);
    number_or_null(w, "parent", m.parent_id);
    string_or_null(w, "target", m.target, empty);
    // source_with_root() without its copy for the common case, a mount of the whole fs.
    if (m.root.empty() || m.root == "/")
        string_or_null(w, "source", m.source, empty);
    else
        string_or_null(w, "source", m.source_with_root(), empty);
    string_or_null(w, "fstype", m.fstype, empty);
    string_or_null(w, "options", m.options, empty);
    w.field("propagation", m.propagation_name());
    string_or_null(w, "opt-fields", m.optional_fields);
    char majmin[24];
    const auto end = fmt::format_to_n(majmin, sizeof majmin, "{}:{}", m.major, m.minor).out;
    w.field("maj:min", std::string_view(majmin, static_cast<size_t>(end - majmin)));
    string_or_null(w, "fsroot", m.root, empty);
    string_or_null(w, "vfs-options", m.vfs_options, empty);
    string_or_null(w, "fs-options", m.super_options, empty);
    number_or_null(w, "peer_group", m.shared);
    number_or_null(w, "master", m.master);
    number_or_null(w, "propagate_from", m.propagate_from);
    w.field("unbindable", m.unbindable);
}

std::string mounts_to_json(const MountTree& tree, bool list, int indent)
{
    JsonWriter w(indent);
    w.reserve(tree.size() * (indent < 0 ? 400 : 700) + 64);
    w.begin_object();
    w.key("filesystems");
    w.begin_array();
    if (list) {
        for (const Mount& m : tree.mounts()) {
            w.begin_object();
            write_mount_fields(w, m);
            w.end_object();
        }
    } else {
        // Nested without recursion: the pre-order walk gives each mount's depth; open a
        // "children" array when going down, close objects and arrays when coming up.
        int cur = -1;
        for (const MountTree::Visit& v : tree.preorder()) {
            if (v.depth > cur) {
                if (cur >= 0) {
                    w.key("children");
                    w.begin_array();
                }
            } else {
                w.end_object();
                for (int k = cur; k > v.depth; --k) {
                    w.end_array();
                    w.end_object();
                }
            }
            w.begin_object();
            write_mount_fields(w, tree[v.index]);
            cur = v.depth;
        }
        if (cur >= 0) {
            w.end_object();
            for (int k = cur; k > 0; --k) {
                w.end_array();
                w.end_object();
            }
        }
    }
    w.end_array();
    w.end_object();
    w.raw("\n");
    return w.take();
}

} // namespace mountlab
