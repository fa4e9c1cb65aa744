// libFuzzer target for the mountinfo parser, the tree, and both JSON writers.
// Build: cmake --preset fuzz && cmake --build build-fuzz && build-fuzz/bin/fuzz_mountinfo tests/data/mountinfo
#include "mount/mountdiff.h"
#include "mount/mountjson.h"
#include "mount/propagation.h"
#include "mount/treeprinter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace mountlab;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    MountTable table = parse_mountinfo(text, "fuzz");
    for (const ParseIssue& i : table.issues)
        if (i.line < 1 || i.column < 1 || i.message.empty())
            __builtin_trap();
    MountTree tree(table.mounts);
    if (tree.preorder().size() != tree.size())
        __builtin_trap(); // every mount exactly once
    (void)mounts_to_json(tree, false, -1);
    (void)print_tree(tree);
    PropagationGraph g(tree);
    for (size_t i = 0; i < tree.size() && i < 64; ++i)
        (void)g.receivers(i);
    (void)diff_normalised(normalise(tree), normalise(tree));
    return 0;
}
