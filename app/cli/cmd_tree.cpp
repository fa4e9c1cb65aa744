// mountlab-cli tree [--pid PID | --file PATH] [--json] [--list]
#include "base/textescape.h"
#include "commands.h"
#include "mount/mountjson.h"
#include "mount/treeprinter.h"

#include <cstdio>
#include <unistd.h>

namespace mountlab::cli {

namespace {

struct Opts {
    int pid = 0;
    std::string file;
    bool json = false;
    bool list = false;
    bool no_options = false;
};

Result<std::string> read_stdin(size_t max_bytes)
{
    std::string text;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        if (text.size() + n > max_bytes)
            return too_large("<stdin>", max_bytes);
        text.append(buf, n);
    }
    if (ferror(stdin))
        return system_error(errno, "read `<stdin>`");
    return text;
}

bool write_all(std::string_view s) { return fwrite(s.data(), 1, s.size(), stdout) == s.size(); }

// The text tree goes out as it is made; JSON is written whole (its nesting is built in
// one pass). False when standard output could not take it.
bool write_output(const MountTree& tree, const Opts& o)
{
    bool ok = true;
    if (o.json)
        ok = write_all(mounts_to_json(tree, o.list));
    else
        write_tree(tree, {o.list, !o.no_options}, [&ok](std::string_view chunk) { ok = ok && write_all(chunk); });
    return fflush(stdout) == 0 && ok && !ferror(stdout);
}

} // namespace

Runner add_tree(CLI::App& app)
{
    auto o = std::make_shared<Opts>();
    auto* pid = app.add_option("--pid", o->pid, "Show the mount namespace of process PID (default: this process)")
                    ->check(CLI::PositiveNumber);
    app.add_option("--file,-F", o->file, "Read a mountinfo table from a file ('-' for standard input)")->excludes(pid);
    app.add_flag("--json,-J", o->json,
                 "JSON in findmnt -J's shape, with peer_group, master, propagate_from, unbindable");
    app.add_flag("--list,-l", o->list, "A flat list (with --json: the array as findmnt -J --list prints it)");
    app.add_flag("--no-options", o->no_options, "Leave out the OPTIONS column");
    app.footer("Examples:\n"
               "  mountlab-cli tree                  this process's mount namespace\n"
               "  mountlab-cli tree --pid 1          the namespace of PID 1 (as nsenter -t 1 -m findmnt)\n"
               "  mountlab-cli tree -F mountinfo -J  a saved table, as findmnt -F mountinfo -J");

    return [o]() -> int {
        Result<MountTable> table = Error{};
        if (o->file == "-") {
            Result<std::string> text = read_stdin(kMaxMountinfoBytes);
            table = text ? Result<MountTable>(parse_mountinfo(*text, "<stdin>")) : Result<MountTable>(text.error());
        } else if (!o->file.empty()) {
            table = read_mountinfo_file(o->file);
        } else {
            table = read_mountinfo_pid(o->pid ? o->pid : getpid());
        }
        if (!table) {
            fmt::print(stderr, "mountlab-cli tree: {}\n", table.error().message);
            return 1;
        }
        for (const ParseIssue& issue : table->issues)
            fmt::print(stderr, "mountlab-cli tree: {} (line skipped)\n", issue.to_string(escape_text(table->origin)));
        const bool bad = !table->issues.empty();
        MountTree tree(std::move(table->mounts));
        if (!write_output(tree, *o)) {
            fmt::print(stderr, "mountlab-cli tree: cannot write the output: {}\n", errno_name(errno));
            return 2;
        }
        if (bad)
            fmt::print(stderr, "mountlab-cli tree: {} malformed line{} in {}\n", table->issues.size(),
                       table->issues.size() == 1 ? "" : "s", escape_text(table->origin));
        return bad ? 1 : 0;
    };
}

} // namespace mountlab::cli
