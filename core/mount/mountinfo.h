// Mountinfo: one mount namespace's mount table as /proc/PID/mountinfo shows it,
// parsed with libmount into value types. See proc(5), "/proc/pid/mountinfo".
//
//   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   (1)(2) (3)   (4)   (5)      (6)       (7)  (8) (9)    (10)         (11)
#pragma once

#include "base/error.h"

#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace mountlab {

struct Mount {
    int id = 0;         // (1) mount ID, unique in the namespace, reused after unmount
    int parent_id = 0;  // (2) parent mount's ID (itself, or outside the table, for a root)
    unsigned major = 0; // (3) st_dev of the filesystem
    unsigned minor = 0;
    std::string root;            // (4) the directory of the filesystem mounted here ("/" unless a bind)
    std::string target;          // (5) mount point, relative to the reading process's root
    std::string vfs_options;     // (6) per-mount options
    std::string optional_fields; // (7) as written: "shared:1 master:2"
    std::string fstype;          // (9)
    std::string source;          // (10) possibly empty
    std::string super_options;   // (11) per-superblock options
    std::string options;         // (6) and (11) merged, as findmnt's OPTIONS column

    // (7) decoded. 0 means absent: peer groups are numbered from 1.
    int shared = 0;         // shared:N, the peer group
    int master = 0;         // master:N, the peer group this mount receives from
    int propagate_from = 0; // propagate_from:N, nearest dominant group visible to us
    bool unbindable = false;

    std::string raw; // the line as read, for explaining it field by field
    int line = 0;    // 1-based line in the source

    // Propagation as findmnt prints it: "shared", "private", "shared,slave",
    // "private,slave", "private,unbindable".
    [[nodiscard]] std::string propagation() const;
    [[nodiscard]] std::string_view propagation_name() const; // the same, without a copy
    // findmnt's SOURCE: "source[root]" when a subtree is mounted (root is not "/").
    [[nodiscard]] std::string source_with_root() const;
    [[nodiscard]] bool is_shared() const { return shared != 0; }
    [[nodiscard]] bool is_slave() const { return master != 0; }
    [[nodiscard]] bool is_private() const { return shared == 0 && master == 0 && !unbindable; }
};

// A line that could not be parsed: where and what is wrong. The rest of the table
// is kept.
struct ParseIssue {
    int line = 0;        // 1-based
    int column = 0;      // 1-based byte column of the offending field
    std::string field;   // which field, e.g. "mount ID", "separator"
    std::string message; // what is wrong
    [[nodiscard]] std::string to_string(std::string_view origin) const;
};

struct MountTable {
    std::string origin;             // "/proc/42/mountinfo", a file name, or "<string>"
    std::vector<Mount> mounts;      // in table order
    std::vector<ParseIssue> issues; // malformed lines, each skipped
};

// Parse mountinfo text. Never fails as a whole: malformed lines become issues.
[[nodiscard]] MountTable parse_mountinfo(std::string_view text, std::string_view origin = "<string>");

// Read and parse a file. Fails if it cannot be read (missing, unreadable, a directory).
[[nodiscard]] Result<MountTable> read_mountinfo_file(const std::string& path);

// Read /proc/PID/mountinfo. Fails with ESRCH-style wording when the process is gone.
[[nodiscard]] Result<MountTable> read_mountinfo_pid(pid_t pid);

// The largest mount table we read: 10,000 mounts take ~1.5 MB, the kernel's own limit
// (fs.mount-max, 100,000) about 15 MB. Anything larger is not a mount table.
inline constexpr size_t kMaxMountinfoBytes = 256 * 1024 * 1024;

// Read a whole file (including /proc files, whose size is not known in advance). Fails
// with EFBIG, naming the file and the limit, when it holds more than max_bytes.
// `regular_only`: a regular file only, opened without waiting (a FIFO, a socket or a
// device where a lab operation reads a file is refused, never waited on); otherwise
// anything readable (`mountlab-cli tree -F <(...)`, /dev/stdin, /proc files).
[[nodiscard]] Result<std::string> read_whole_file(const std::string& path, size_t max_bytes = kMaxMountinfoBytes,
                                                  bool regular_only = false);

// The error read_whole_file gives for a file past the limit ("... larger than 256 MiB ...").
[[nodiscard]] Error too_large(const std::string& path, size_t max_bytes);
// "256 MiB", "4096 bytes".
[[nodiscard]] std::string size_text(size_t bytes);

} // namespace mountlab
