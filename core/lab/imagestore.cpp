#include "lab/imagestore.h"

#include "base/fd.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mountlab::lab {

std::string layer_path(const std::string& name) { return "/images/layers/" + name; }

std::vector<LayerSpec> default_layers()
{
    using K = LayerFile::Kind;
    LayerSpec base{"base", {}, true}; // the userland tree, with these files
    base.files = {
        {"/etc", K::Dir, "", 0755},
        {"/etc/os-release", K::File, "NAME=\"MountLab base\"\nID=mountlab\nVERSION_ID=1\n"},
        {"/etc/hostname", K::File, "container\n"},
        {"/etc/passwd", K::File, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"},
        {"/etc/group", K::File, "root:x:0:\nnogroup:x:65534:\n"},
        {"/etc/motd", K::File, "motd from the base layer\n"},
        {"/proc", K::Dir, "", 0555},
        {"/dev", K::Dir, "", 0755},
        {"/sys", K::Dir, "", 0555},
        {"/tmp", K::Dir, "", 01777},
        {"/root", K::Dir, "", 0700},
        {"/mnt", K::Dir, "", 0755},
        {"/var/log", K::Dir, "", 0755},
        {"/var/log/base.log", K::File, "a log line from the base layer\n"},
    };
    LayerSpec tools{"tools", {}, false};
    tools.files = {
        {"/usr/local/bin", K::Dir, "", 0755},
        {"/usr/local/bin/hello", K::File, "#!/bin/sh\necho \"hello from the tools layer\"\n", 0755},
        {"/etc/tools.conf", K::File, "verbose=1\n"},
        {"/etc/motd", K::File, "motd from the tools layer (it hides the base layer's)\n"},
    };
    LayerSpec app{"app", {}, false};
    app.files = {
        {"/app", K::Dir, "", 0755},
        {"/app/index.html", K::File, "<h1>MountLab app</h1>\n"},
        {"/app/config", K::Dir, "", 0755},
        {"/app/config/settings.conf", K::File, "mode=production\n"},
        {"/app/config/secrets.conf", K::File, "token=from-the-app-layer\n"},
        {"/etc/app.conf", K::File, "port=8080\n"},
    };
    return {base, tools, app};
}

namespace {

Status make_dirs(const std::string& path)
{
    std::string cur;
    size_t pos = 0;
    while ((pos = path.find('/', pos + 1)) != std::string::npos || cur != path) {
        cur = path.substr(0, pos);
        if (mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST)
            return system_error(errno, fmt::format("mkdir `{}`", cur));
        if (pos == std::string::npos)
            break;
    }
    return Ok{};
}

Status write_file(const std::string& path, const std::string& content, unsigned mode)
{
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd)
        return system_error(errno, fmt::format("create `{}`", path));
    const bool ok = write(fd.get(), content.data(), content.size()) == static_cast<ssize_t>(content.size());
    const int e = errno;
    fd.reset();
    if (!ok)
        return system_error(e, fmt::format("write `{}`", path));
    chmod(path.c_str(), mode);
    return Ok{};
}

std::string parent_of(const std::string& p) { return p.substr(0, p.rfind('/')); }

} // namespace

Status build_image_store(const std::vector<LayerSpec>& layers)
{
    for (const LayerSpec& layer : layers) {
        if (layer.userland)
            continue; // bound before pivot_root, read-only already
        const std::string root = layer_path(layer.name);
        if (Status s = make_dirs(root); !s)
            return s;
        for (const LayerFile& f : layer.files) {
            const std::string p = root + f.path;
            const std::string dir = f.kind == LayerFile::Kind::Dir ? p : parent_of(p);
            if (!dir.empty())
                if (Status s = make_dirs(dir); !s)
                    return s;
            switch (f.kind) {
            case LayerFile::Kind::Dir:
                chmod(p.c_str(), f.mode);
                break;
            case LayerFile::Kind::File:
                if (Status s = write_file(p, f.content, f.mode); !s)
                    return s;
                break;
            case LayerFile::Kind::Symlink:
                if (symlink(f.content.c_str(), p.c_str()) != 0 && errno != EEXIST)
                    return system_error(errno, fmt::format("symlink `{}`", p));
                break;
            case LayerFile::Kind::Link:
                if (link(f.content.c_str(), p.c_str()) != 0 && errno != EEXIST)
                    return system_error(errno, fmt::format("link `{}` to `{}`", p, f.content));
                break;
            }
        }
        // Read-only, as an image layer is: a bind mount of the layer on itself, remounted ro.
        if (mount(root.c_str(), root.c_str(), nullptr, MS_BIND, nullptr) != 0)
            return system_error(errno, fmt::format("bind-mount layer `{}`", root));
        if (mount(nullptr, root.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)
            return system_error(errno, fmt::format("remount layer `{}` read-only", root));
    }
    return Ok{};
}

} // namespace mountlab::lab
