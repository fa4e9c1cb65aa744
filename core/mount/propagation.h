// Propagation between mounts (Documentation/filesystems/sharedsubtree.rst).
//
// A shared mount belongs to a peer group: a mount or unmount under any member is
// repeated under every other member. A slave mount receives events from its master's
// peer group but sends none back. A mount that is both (shared:N master:M) forwards
// what it receives to its own peers and slaves. Private mounts neither send nor
// receive; unbindable ones are private and cannot be bind-mounted.
#pragma once

#include "mount/mounttree.h"

#include <unordered_map>
#include <vector>

namespace mountlab {

enum class PropagationType { Private, Shared, Slave, SharedAndSlave, Unbindable };

[[nodiscard]] PropagationType propagation_type(const Mount& m);
[[nodiscard]] const char* to_string(PropagationType t);

class PropagationGraph {
public:
    explicit PropagationGraph(const MountTree& tree);

    // Other members of this mount's peer group (empty unless shared).
    [[nodiscard]] std::vector<size_t> peers(size_t i) const;
    // Mounts whose master is this mount's peer group.
    [[nodiscard]] std::vector<size_t> slaves(size_t i) const;
    // Every mount that receives a mount event made under this one: its peers, their
    // slaves, and onwards through slaves that are shared themselves. Each once.
    [[nodiscard]] std::vector<size_t> receivers(size_t i) const;
    // Members of a peer group, in table order.
    [[nodiscard]] const std::vector<size_t>& group(int peer_group) const;

private:
    const MountTree& tree_;
    std::unordered_map<int, std::vector<size_t>> members_; // peer group -> shared mounts
    std::unordered_map<int, std::vector<size_t>> slaves_;  // peer group -> mounts with master:group
};

} // namespace mountlab
