// The lab's userland: a real Linux (bash, util-linux, coreutils, procps, attr, iproute2,
// strace, busybox for the rest) taken from this machine's Debian packages and laid into
// every lab read-only, without a copy per lab.
//
// It is one directory tree, built once (at build time: `mountlab-cli userland --build
// DIR`, which `make build` runs; installed with the rest), holding exactly the packages'
// programs and libraries and the shared libraries they load (hard links to the
// machine's files where the filesystem allows it, copies otherwise), Debian's merged
// /usr layout (bin -> usr/bin, ...), and the base image layer's own files (/etc/os-release,
// /etc/motd, ...). Every lab binds its `usr` read-only as the lab host's /usr, and the
// whole tree read-only as the image's base layer, so that after pivot_root the
// container still has bash and findmnt. Nothing else of the machine is in it.
#pragma once

#include "base/error.h"
#include "lab/imagestore.h"

#include <string>
#include <vector>

namespace mountlab::lab {

// The Debian packages whose programs the lab gets.
[[nodiscard]] const std::vector<std::string>& userland_packages();

// Builds the tree in DIR (replacing what is there) from the installed packages, with
// the base layer's files. Says which package is missing, when one is.
[[nodiscard]] Status build_userland(const std::string& dir, const LayerSpec& base);

// Where the tree is: $MOUNTLAB_USERLAND, else next to this program's build tree
// (bin/../userland), else its installed place (bin/../share/mountlab/userland); ""
// when none holds one (a tree holds usr/bin/bash).
[[nodiscard]] std::string find_userland();

// For an engine that is not root: a tree of this user's own (its files must belong to
// the lab's root, which is this user, for overlay to copy them up), built once from
// `shared` (or from the packages) into $XDG_CACHE_HOME/mountlab/userland, else
// ~/.cache/mountlab/userland, else /tmp/mountlab-UID/userland (a directory of ours
// only). `shared` itself when this user owns it already.
[[nodiscard]] Result<std::string> userland_of_this_user(const std::string& shared);

} // namespace mountlab::lab
