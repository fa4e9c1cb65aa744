#include "mount/treeprinter.h"

#include "base/textescape.h"

#include <algorithm>

namespace mountlab {

std::string group_label(const Mount& m)
{
    std::string s;
    auto add = [&](const std::string& part) {
        if (!s.empty())
            s += ' ';
        s += part;
    };
    if (m.shared)
        add(fmt::format("shared:{}", m.shared));
    if (m.master)
        add(fmt::format("master:{}", m.master));
    if (m.propagate_from)
        add(fmt::format("propagate_from:{}", m.propagate_from));
    if (m.unbindable)
        add("unbindable");
    return s;
}

namespace {

// Display width of UTF-8 text (one column per code point; our box drawing and paths).
size_t width(std::string_view s)
{
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

void pad(std::string& out, std::string_view s, size_t w)
{
    out += s;
    for (size_t i = width(s); i < w; ++i)
        out += ' ';
}

// Mount paths, sources and options hold any byte the mounter chose (a user namespace
// is enough): escaped as findmnt does, so that none can drive the terminal.
std::string printable(std::string_view s) { return escape_text(s); }

// The drawn prefix of a row: one "│ " or "  " per ancestor, then the branch. Past
// kMaxDrawnDepth levels the rest of a chain is drawn flat, its depth written out, so a
// row's prefix stays short however deep the chain (a 20,000-deep chain would otherwise
// print 800 MB).
constexpr int kMaxDrawnDepth = 64;
constexpr size_t kChunk = 64 * 1024;

std::string tree_prefix(const MountTree::Visit& v, const std::vector<bool>& last_at_depth)
{
    std::string prefix;
    const int drawn = std::min(v.depth, kMaxDrawnDepth);
    for (int d = 1; d < drawn; ++d)
        prefix += last_at_depth[static_cast<size_t>(d)] ? "  " : "│ ";
    if (v.depth > kMaxDrawnDepth)
        prefix += fmt::format("…(depth {})", v.depth);
    if (v.depth > 0)
        prefix += v.last ? "└─" : "├─";
    return prefix;
}

} // namespace

void write_tree(const MountTree& tree, const TreePrintOptions& opts, const TreeWriter& write)
{
    struct Row {
        std::string target, source, fstype, propagation, group, options;
        int id, parent;
    };
    std::vector<Row> rows;
    rows.reserve(tree.size());
    if (opts.list) {
        for (const Mount& m : tree.mounts())
            rows.push_back({printable(m.target), printable(m.source_with_root()), printable(m.fstype), m.propagation(),
                            group_label(m), printable(m.options), m.id, m.parent_id});
    } else {
        // Tree prefix: for each depth, whether that ancestor was the last of its siblings.
        std::vector<bool> last_at_depth;
        for (const MountTree::Visit& v : tree.preorder()) {
            const Mount& m = tree[v.index];
            const auto level = static_cast<size_t>(std::min(v.depth, kMaxDrawnDepth));
            last_at_depth.resize(level + 1);
            last_at_depth[level] = v.last;
            rows.push_back({tree_prefix(v, last_at_depth) + printable(m.target), printable(m.source_with_root()),
                            printable(m.fstype), m.propagation(), group_label(m), printable(m.options), m.id,
                            m.parent_id});
        }
    }

    size_t wt = 6, ws = 6, wf = 6, wp = 11, wg = 5, wi = 2, wpar = 6;
    for (const Row& r : rows) {
        wt = std::max(wt, width(r.target));
        ws = std::max(ws, width(r.source));
        wf = std::max(wf, width(r.fstype));
        wp = std::max(wp, width(r.propagation));
        wg = std::max(wg, width(r.group));
        wi = std::max(wi, fmt::formatted_size("{}", r.id));
        wpar = std::max(wpar, fmt::formatted_size("{}", r.parent));
    }
    // Written in chunks: the whole text is never held at once.
    std::string out;
    out.reserve(kChunk + 4096);
    auto line = [&](std::string_view id, std::string_view parent, std::string_view t, std::string_view s,
                    std::string_view f, std::string_view p, std::string_view g, std::string_view o) {
        if (opts.list) {
            out += fmt::format("{:>{}} {:>{}} ", id, wi, parent, wpar);
        }
        pad(out, t, wt + 1);
        pad(out, s, ws + 1);
        pad(out, f, wf + 1);
        pad(out, p, wp + 1);
        if (opts.options) {
            pad(out, g, wg + 1);
            out += o;
        } else {
            out += g;
        }
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        out += '\n';
        if (out.size() >= kChunk) {
            write(out);
            out.clear();
        }
    };
    line("ID", "PARENT", "TARGET", "SOURCE", "FSTYPE", "PROPAGATION", "GROUP", opts.options ? "OPTIONS" : "");
    for (const Row& r : rows)
        line(fmt::format("{}", r.id), fmt::format("{}", r.parent), r.target, r.source, r.fstype, r.propagation, r.group,
             r.options);
    if (!out.empty())
        write(out);
}

std::string print_tree(const MountTree& tree, const TreePrintOptions& opts)
{
    std::string out;
    write_tree(tree, opts, [&out](std::string_view chunk) { out.append(chunk); });
    return out;
}

} // namespace mountlab
