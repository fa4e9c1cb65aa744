// mountlab-cli userland: builds the lab's userland tree (core/lab/userland.h) from this
// machine's Debian packages; `make build` runs it into build/userland.
#include "commands.h"

#include "lab/imagestore.h"
#include "lab/userland.h"

#include <fmt/format.h>

namespace mountlab::cli {

Runner add_userland(CLI::App& app)
{
    auto dir = std::make_shared<std::string>();
    auto where = std::make_shared<bool>(false);
    app.add_option("--build", *dir, "Build the tree in DIR (replacing it)");
    app.add_flag("--where", *where, "Print where the labs find the tree");
    app.footer("The lab's userland: the programs and libraries of these Debian packages, hard-linked (or\n"
               "copied) from this machine, in Debian's merged /usr layout, with the base image layer's files.\n"
               "Every lab binds it read-only: its usr as the lab host's /usr, all of it as the base layer.");
    return [dir, where]() -> int {
        if (*where) {
            const std::string u = lab::find_userland();
            if (u.empty()) {
                fmt::print(stderr, "mountlab-cli userland: no userland found (build one with --build DIR)\n");
                return 1;
            }
            fmt::print("{}\n", u);
            return 0;
        }
        if (dir->empty()) {
            fmt::print(stderr, "mountlab-cli userland: give --build DIR or --where\n");
            return 2;
        }
        const lab::LayerSpec base = lab::default_layers().front();
        if (Status s = lab::build_userland(*dir, base); !s) {
            fmt::print(stderr, "mountlab-cli userland: {}\n", s.error().message);
            return 1;
        }
        std::string packages;
        for (const std::string& p : lab::userland_packages())
            packages += (packages.empty() ? "" : " ") + p;
        fmt::print("userland in {}: {}\n", *dir, packages);
        return 0;
    };
}

} // namespace mountlab::cli
