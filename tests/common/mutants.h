// The mutants of a reference solution, for tst_grade_mutants and bench_mutants: every
// single-line deletion (but blank lines, comments, the shebang and `set -e`), every swap
// of two adjacent such lines (order is most of this subject: a mount before or after
// --make-rprivate, a file written before or after its mount), and a table of domain
// mutations, regex substitutions of what students get wrong. Each mutant has an id,
// "del:LINE", "swap:LINE" (LINE and the next) or "NAME:LINE", LINE counted from 1.
#pragma once

#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace mountlab::test {

struct Substitution {
    const char* name;
    const char* pattern; // ECMAScript
    const char* replacement;
};

inline const std::vector<Substitution>& domain_mutations()
{
    static const std::vector<Substitution> table = {
        {"swap-lowerdir", R"(lowerdir=([^:,\s]+):([^:,\s]+):([^,\s]+))", "lowerdir=$3:$2:$1"},
        {"drop-workdir", R"(,workdir=[^,\s]+)", ""},
        {"drop-upperdir", R"(,upperdir=[^,\s]+,workdir=[^,\s]+)", ""},
        {"drop-umount", R"(^\s*(busybox\s+)?umount\b.*$)", ""},
        {"umount-not-lazy", R"(umount -l )", "umount "},
        {"drop-make-rprivate", R"(mount --make-r?private\s+\S+)", "true"},
        {"private-for-slave", R"(--make-r?slave)", "--make-rprivate"},
        {"slave-nonrecursive", R"(--make-rslave)", "--make-slave"},
        {"private-nonrecursive", R"(--make-rprivate)", "--make-private"},
        {"shared-for-private", R"(--make-r?(private|slave))", "--make-rshared"},
        {"chroot-for-pivot", R"(pivot_root\s+(\S+)\s+\S+)", "chroot $1 true"},
        {"drop-mkdir", R"(^\s*mkdir\b.*$)", ""},
        {"drop-size", R"(-o size=[0-9]+[kmg]? )", ""},
        {"wrong-size", R"(size=1m)", "size=2m"},
        {"drop-proc-options", R"(-o\s+nosuid,nodev,noexec\s+)", ""},
        {"proc-elsewhere", R"((mount -t proc .*) /proc$)", "$1 /mnt"},
        {"tmpfs-for-proc", R"(mount -t proc)", "mount -t tmpfs"},
        {"rm-for-rm-r", R"(\brm -r(f)? )", "rm -f "},
        {"rmdir-contents", R"(\brm -r (\S+))", "rm -f $1/*"},
        {"drop-unshare-mount", R"(\bunshare -m )", "unshare "},
        {"drop-unshare-ipc", R"(\bunshare (.*)-i )", "unshare $1"},
        {"drop-unshare-net", R"(\bunshare (.*)-n )", "unshare $1"},
        {"drop-unshare-uts", R"(\bunshare (.*)-u )", "unshare $1"},
        {"drop-unshare-pid", R"(\bunshare (.*)-p -f )", "unshare $1"},
        {"drop-fork", R"( -p -f )", " -p "},
        {"drop-mount-proc", R"( --mount-proc)", ""},
        {"drop-hostname", R"(^(\s*)hostname box$)", "$1true"},
        {"nsenter-no-mount", R"(nsenter --target (\S+) --mount )", "nsenter --target $1 "},
        {"own-table-for-theirs", R"(/proc/\$PID/mountinfo)", "/proc/self/mountinfo"},
        {"mounts-for-mountinfo", R"(/proc/self/mountinfo)", "/proc/mounts"},
        {"field-by-position", R"(\$\(i \+ 1\), \$\(i \+ 2\))", "$$8, $$9"},
        {"write-upper-for-merged", R"(\$M/etc/motd)", "/var/lib/mountlab/c1/upper/etc/motd"},
    };
    return table;
}

struct Mutant {
    std::string id;
    std::string text;
};

inline std::vector<std::string> split_lines(const std::string& s)
{
    std::vector<std::string> lines;
    std::string line;
    std::istringstream in(s);
    while (std::getline(in, line))
        lines.push_back(line);
    return lines;
}

inline std::string join_lines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const std::string& l : lines)
        out += l + "\n";
    return out;
}

inline bool mutable_line(const std::string& l)
{
    const size_t b = l.find_first_not_of(" \t");
    if (b == std::string::npos || l[b] == '#')
        return false;
    const std::string t = l.substr(b, l.find_last_not_of(" \t") + 1 - b);
    return t != "set -e";
}

inline std::vector<Mutant> mutants_of(const std::string& script)
{
    std::vector<Mutant> out;
    const std::vector<std::string> lines = split_lines(script);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!mutable_line(lines[i]))
            continue;
        std::vector<std::string> m = lines;
        m.erase(m.begin() + static_cast<long>(i));
        out.push_back({"del:" + std::to_string(i + 1), join_lines(m)});
    }
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        if (!mutable_line(lines[i]) || !mutable_line(lines[i + 1]))
            continue;
        std::vector<std::string> m = lines;
        std::swap(m[i], m[i + 1]);
        out.push_back({"swap:" + std::to_string(i + 1), join_lines(m)});
    }
    for (const Substitution& s : domain_mutations()) {
        const std::regex re(s.pattern);
        for (size_t i = 0; i < lines.size(); ++i) {
            if (!mutable_line(lines[i]))
                continue;
            const std::string changed = std::regex_replace(lines[i], re, s.replacement);
            if (changed == lines[i])
                continue;
            std::vector<std::string> m = lines;
            m[i] = changed;
            out.push_back({std::string(s.name) + ":" + std::to_string(i + 1), join_lines(m)});
        }
    }
    return out;
}

} // namespace mountlab::test
