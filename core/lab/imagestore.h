// The image store: read-only layers inside the lab host, built from a description
// (the lessons provide one; default_layers() is the built-in three: base OS, tools,
// app). Each layer is a directory under /images/layers, bind-mounted read-only on
// itself, ready to be an overlay's lowerdir.
#pragma once

#include "base/error.h"

#include <string>
#include <vector>

namespace mountlab::lab {

struct LayerFile {
    enum class Kind { File, Dir, Symlink, Link };
    std::string path; // inside the layer, absolute ("/etc/os-release")
    Kind kind = Kind::File;
    std::string content; // File: the bytes; Symlink: the target; Link: a lab host path to hard-link
    unsigned mode = 0644;
};

struct LayerSpec {
    std::string name; // "base", "tools", "app"
    std::vector<LayerFile> files;
    // The layer is the lab's userland tree itself (the base OS: see userland.h), bound
    // read-only; its files are written into that tree when it is built, not per lab.
    bool userland = false;
};

// Where layer NAME lives in the lab host.
[[nodiscard]] std::string layer_path(const std::string& name);

// base (the userland: bash, util-linux, ..., and /etc), tools, app: each overrides some
// of the one below, so the merged view shows which layer wins.
[[nodiscard]] std::vector<LayerSpec> default_layers();

// Builds the layers in the lab host (called there, after pivot_root). A userland layer
// is already bound at its place (the lab host did it before pivot_root).
[[nodiscard]] Status build_image_store(const std::vector<LayerSpec>& layers);

} // namespace mountlab::lab
