// The lab host's set-up, before it serves the engine (labroot.cpp): its credentials,
// its root and mounts. Internal to core/lab: lab_host_main (labhost.cpp) calls it.
#pragma once

#include "base/error.h"
#include "base/fd.h"
#include "lab/lab.h"

#include <string>

namespace mountlab::lab {

// /HOST_SECRET's text: on the lab host only, so reading it from the container is an escape.
extern const char* const kHostSecret;

// Nothing of the engine's stays open in the lab but the descriptor `keep`.
void close_engine_descriptors(int keep);

// Once the engine has written our ID maps: the lab's root, its root filesystem entered,
// its mounts shared and its image store built; `proc_fd` holds its own /proc.
[[nodiscard]] Status set_up_lab_host(const LabOptions& options, const UniqueFd& idmapped_tree, int& proc_fd);

} // namespace mountlab::lab
