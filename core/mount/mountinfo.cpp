#include "mount/mountinfo.h"

#include "base/fd.h"

#include <libmount/libmount.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace mountlab {

std::string_view Mount::propagation_name() const
{
    // "shared" or "private", then ",slave" for a master, then ",unbindable".
    static constexpr std::string_view names[] = {
        "private",           "private,slave",          "shared",
        "shared,slave",      "private,unbindable",     "private,slave,unbindable",
        "shared,unbindable", "shared,slave,unbindable"};
    return names[(shared ? 2 : 0) | (master ? 1 : 0) | (unbindable ? 4 : 0)];
}

std::string Mount::propagation() const { return std::string(propagation_name()); }

std::string Mount::source_with_root() const
{
    if (root.empty() || root == "/")
        return source;
    return fmt::format("{}[{}]", source, root);
}

std::string ParseIssue::to_string(std::string_view origin) const
{
    return fmt::format("{}:{}:{}: {}: {}", origin, line, column, field, message);
}

namespace {

struct Token {
    std::string_view text;
    int column; // 1-based
};

bool parse_uint(std::string_view s, unsigned long long limit, unsigned long long& out)
{
    if (s.empty() || s.size() > 20)
        return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out <= limit;
}

std::string excerpt(std::string_view s)
{
    std::string out;
    for (char c : s.substr(0, 40)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f)
            out += fmt::format("\\x{:02x}", u);
        else
            out += c;
    }
    if (s.size() > 40)
        out += "...";
    return out;
}

const char* field_name(size_t index, size_t sep)
{
    static constexpr const char* before[] = {"mount ID", "parent ID", "major:minor", "root", "mount point", "options"};
    static constexpr const char* after[] = {"filesystem type", "source", "super options"};
    if (index < 6)
        return before[index];
    if (index < sep)
        return "optional field";
    if (index == sep)
        return "separator";
    return index - sep - 1 < 3 ? after[index - sep - 1] : "line";
}

// The kernel escapes space, tab, newline and backslash as three octal digits (\040).
// libmount decodes any "\ooo" up to \777 and keeps only the low byte, so "\400"
// becomes a NUL that cuts the path short ("/\400x" shows as "/": a second root).
// The kernel never writes those: a field holding one is malformed.
std::optional<std::string> bad_octal_escape(std::string_view field, size_t& offset)
{
    auto octal = [](char c) { return c >= '0' && c <= '7'; };
    for (size_t i = 0; i + 3 < field.size(); ++i) {
        if (field[i] != '\\' || !octal(field[i + 1]) || !octal(field[i + 2]) || !octal(field[i + 3]))
            continue;
        const int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
        offset = i;
        if (value > 0377)
            return fmt::format("octal escape '\\{}' is above \\377, not a byte", field.substr(i + 1, 3));
        if (value == 0)
            return std::string("octal escape '\\000' would put a NUL byte in the path");
    }
    return std::nullopt;
}

// Splits a line into its space-separated fields, keeping empty ones (an empty source
// is one the kernel writes: `mount -t tmpfs "" /mnt`). The kernel escapes only space,
// tab, newline and backslash (fs/proc_namespace.c, mangle(); '#' too in the source):
// every other byte, CR and invalid UTF-8 included, can stand raw in a field. A raw tab or NUL it never writes:
// libmount would split the field at a tab, and a C string ends at a NUL.
std::optional<ParseIssue> split_fields(std::string_view line, int lineno, std::vector<Token>& tokens)
{
    tokens.clear();
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
        const char c = i < line.size() ? line[i] : ' ';
        if (c == '\0')
            return ParseIssue{lineno, static_cast<int>(i) + 1, "line",
                              "contains a NUL byte: not mountinfo text (binary data?)"};
        if (c == '\t')
            return ParseIssue{lineno, static_cast<int>(i) + 1, "line",
                              "a raw tab inside a field (the kernel writes \\011 for a tab)"};
        if (c != ' ')
            continue;
        tokens.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
        start = i + 1;
    }
    return std::nullopt;
}

// Index of the " - " separator (from field 7 on), or 0 when there is none.
size_t find_separator(const std::vector<Token>& tokens)
{
    for (size_t i = 6; i < tokens.size(); ++i)
        if (tokens[i].text == "-")
            return i;
    return 0;
}

// Every field but the source holds at least one byte.
std::optional<ParseIssue> check_empty_fields(const std::vector<Token>& tokens, size_t sep, int lineno)
{
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (!tokens[i].text.empty() || (sep != 0 && i == sep + 2))
            continue;
        if (i == 0)
            return ParseIssue{lineno, 1, "line", "starts with a space"};
        if (i + 1 == tokens.size())
            return ParseIssue{lineno, tokens[i].column - 1, "line", "ends with a space"};
        return ParseIssue{lineno, tokens[i].column, sep != 0 || i < 6 ? field_name(i, sep) : "line",
                          "empty field (two spaces in a row)"};
    }
    return std::nullopt;
}

// Checks one line against the format the kernel writes (fs/proc_namespace.c,
// show_mountinfo). libmount is lenient in places (it accepts a missing super
// options field); we name exactly what is wrong and where.
std::optional<ParseIssue> check_line(std::string_view line, int lineno, std::vector<Token>& tokens)
{
    auto issue = [&](int column, std::string field, std::string message) {
        return ParseIssue{lineno, column, std::move(field), std::move(message)};
    };
    if (auto bad = split_fields(line, lineno, tokens))
        return bad;
    const size_t sep = find_separator(tokens);
    if (auto bad = check_empty_fields(tokens, sep, lineno))
        return bad;

    static constexpr const char* kLayout =
        "mount ID, parent ID, major:minor, root, mount point, options, [optional fields,] -, fstype, source, super options";
    if (tokens.size() < 6)
        return issue(static_cast<int>(line.size()) + 1, "line",
                     fmt::format("truncated: {} field{} where a mountinfo line has at least 10 ({})", tokens.size(),
                                 tokens.size() == 1 ? "" : "s", kLayout));

    unsigned long long n = 0;
    if (!parse_uint(tokens[0].text, 0x7fffffff, n))
        return issue(tokens[0].column, "mount ID",
                     fmt::format("'{}' is not a number in 0..2147483647", excerpt(tokens[0].text)));
    if (!parse_uint(tokens[1].text, 0x7fffffff, n))
        return issue(tokens[1].column, "parent ID",
                     fmt::format("'{}' is not a number in 0..2147483647", excerpt(tokens[1].text)));
    {
        const std::string_view mm = tokens[2].text;
        const size_t colon = mm.find(':');
        unsigned long long a = 0, b = 0;
        if (colon == std::string_view::npos || !parse_uint(mm.substr(0, colon), 0xffffffff, a) ||
            !parse_uint(mm.substr(colon + 1), 0xffffffff, b))
            return issue(tokens[2].column, "major:minor", fmt::format("'{}' is not MAJOR:MINOR", excerpt(mm)));
    }
    if (tokens[4].text.front() != '/')
        return issue(tokens[4].column, "mount point",
                     fmt::format("'{}' is not an absolute path", excerpt(tokens[4].text)));

    if (sep == 0)
        return issue(tokens.size() > 6 ? tokens[6].column : static_cast<int>(line.size()) + 1, "separator",
                     "missing the \" - \" that ends the optional fields (expected: " + std::string(kLayout) + ")");
    for (size_t i = 6; i < sep; ++i) {
        const std::string_view f = tokens[i].text;
        const size_t colon = f.find(':');
        const std::string_view tag = f.substr(0, colon);
        if (tag == "shared" || tag == "master" || tag == "propagate_from") {
            if (colon == std::string_view::npos || !parse_uint(f.substr(colon + 1), 0x7fffffff, n) || n == 0)
                return issue(tokens[i].column, "optional field",
                             fmt::format("'{}': {} needs a peer group number >= 1", excerpt(f), tag));
        } else if (tag == "unbindable") {
            if (colon != std::string_view::npos)
                return issue(tokens[i].column, "optional field", "'unbindable' takes no value");
        }
        // Other tags: proc(5) says to ignore fields we do not know.
    }
    const size_t after = tokens.size() - sep - 1;
    if (after < 3) {
        static constexpr const char* names[] = {"filesystem type", "source", "super options"};
        return issue(after == 0 ? tokens[sep].column + 1
                                : tokens.back().column + static_cast<int>(tokens.back().text.size()),
                     names[after], "truncated: missing after the separator (expected fstype, source, super options)");
    }
    if (after > 3)
        return issue(tokens[sep + 4].column, "line",
                     fmt::format("unexpected field '{}' after the super options", excerpt(tokens[sep + 4].text)));
    for (size_t i = 3; i < tokens.size(); ++i) {
        size_t offset = 0;
        if (auto why = bad_octal_escape(tokens[i].text, offset))
            return issue(tokens[i].column + static_cast<int>(offset), field_name(i, sep), *why);
    }
    return std::nullopt;
}

// Line boundaries as libmount sees them (getline), with the comment and blank lines
// it skips, so that the n-th entry libmount returns is matched to its line.
struct Line {
    std::string_view text;
    int number;
};

std::vector<Line> split_lines(std::string_view text)
{
    std::vector<Line> lines;
    lines.reserve(text.size() / 96 + 1);
    size_t pos = 0;
    int number = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        lines.push_back({text.substr(pos, nl - pos), ++number});
        pos = nl + 1;
    }
    return lines;
}

bool libmount_skips(std::string_view line)
{
    const size_t first = line.find_first_not_of(" \t");
    return first == std::string_view::npos || line[first] == '#';
}

struct TableDeleter {
    void operator()(libmnt_table* t) const { mnt_unref_table(t); }
};
struct FileCloser {
    void operator()(FILE* f) const { fclose(f); }
};

std::string str(const char* s) { return s ? std::string(s) : std::string(); }

void fill_from_libmount(Mount& m, libmnt_fs* fs)
{
    m.id = mnt_fs_get_id(fs);
    m.parent_id = mnt_fs_get_parent_id(fs);
    const dev_t dev = mnt_fs_get_devno(fs);
    m.major = major(dev);
    m.minor = minor(dev);
    m.root = str(mnt_fs_get_root(fs));
    m.target = str(mnt_fs_get_target(fs));
    m.vfs_options = str(mnt_fs_get_vfs_options(fs));
    m.optional_fields = str(mnt_fs_get_optional_fields(fs));
    m.fstype = str(mnt_fs_get_fstype(fs));
    m.source = str(mnt_fs_get_source(fs));
    m.super_options = str(mnt_fs_get_fs_options(fs));
    m.options = str(mnt_fs_get_options(fs));
    // Decode (7) ourselves: libmount's mnt_fs_get_propagation() gives the flags but
    // not the group numbers, which the tree and the lessons need.
    std::string_view of = m.optional_fields;
    while (!of.empty()) {
        const size_t sp = of.find(' ');
        const std::string_view f = of.substr(0, sp);
        of = sp == std::string_view::npos ? std::string_view() : of.substr(sp + 1);
        const size_t colon = f.find(':');
        const std::string_view tag = f.substr(0, colon);
        int value = 0;
        if (colon != std::string_view::npos)
            std::from_chars(f.data() + colon + 1, f.data() + f.size(), value);
        if (tag == "shared")
            m.shared = value;
        else if (tag == "master")
            m.master = value;
        else if (tag == "propagate_from")
            m.propagate_from = value;
        else if (tag == "unbindable")
            m.unbindable = true;
    }
}

// Parse with libmount; returns entries with their line numbers, and the line numbers
// libmount refused.
struct LibmountResult {
    std::vector<Mount> mounts; // line and raw not yet set
    std::vector<int> refused;
    bool ok = false;
};

int record_refused(libmnt_table* tb, const char* /*filename*/, int line)
{
    auto* refused = static_cast<std::vector<int>*>(mnt_table_get_userdata(tb));
    refused->push_back(line);
    return 1; // > 0: skip the line, go on
}

LibmountResult parse_with_libmount(std::string_view text, std::string_view origin)
{
    LibmountResult out;
    if (text.empty()) {
        out.ok = true;
        return out;
    }
    std::unique_ptr<libmnt_table, TableDeleter> tb(mnt_new_table());
    std::unique_ptr<FILE, FileCloser> f(fmemopen(const_cast<char*>(text.data()), text.size(), "r"));
    if (!tb || !f)
        return out;
    mnt_table_set_userdata(tb.get(), &out.refused);
    mnt_table_set_parser_errcb(tb.get(), record_refused);
    const std::string name(origin);
    if (mnt_table_parse_stream(tb.get(), f.get(), name.c_str()) != 0)
        return out;
    libmnt_iter* it = mnt_new_iter(MNT_ITER_FORWARD);
    libmnt_fs* fs = nullptr;
    out.mounts.reserve(static_cast<size_t>(mnt_table_get_nents(tb.get())));
    while (mnt_table_next_fs(tb.get(), it, &fs) == 0)
        fill_from_libmount(out.mounts.emplace_back(), fs);
    mnt_free_iter(it);
    out.ok = true;
    return out;
}

int leading_id(std::string_view line)
{
    int id = -1;
    std::from_chars(line.data(), line.data() + line.size(), id);
    return id;
}

// A line libmount's pass over the whole text did not give us (the pass is out of step
// after a line it read differently): parsed alone, appended, or an issue.
bool parse_line_alone(const Line& line, std::string_view origin, MountTable& table)
{
    LibmountResult one = parse_with_libmount(line.text, origin);
    if (!one.ok || one.mounts.size() != 1) {
        table.issues.push_back({line.number, 1, "line", "libmount could not parse this line"});
        return false;
    }
    table.mounts.push_back(std::move(one.mounts.front()));
    return true;
}

} // namespace

MountTable parse_mountinfo(std::string_view text, std::string_view origin)
{
    MountTable table;
    table.origin = std::string(origin);
    const std::vector<Line> lines = split_lines(text);

    // One pass of libmount over the whole text (fast), then match its entries to the
    // lines it accepted, in order.
    LibmountResult lm = parse_with_libmount(text, origin);
    std::vector<bool> refused(lines.size() + 2, false);
    for (int l : lm.refused)
        if (l >= 1 && static_cast<size_t>(l) <= lines.size())
            refused[static_cast<size_t>(l)] = true;

    table.mounts.reserve(lm.mounts.size());
    size_t next = 0;
    bool in_step = lm.ok;
    std::vector<Token> tokens; // reused for every line
    tokens.reserve(16);
    for (const Line& line : lines) {
        // libmount reads a line as a C string: it stops at a NUL byte.
        const std::string_view lm_view = line.text.substr(0, line.text.find('\0'));
        const bool lm_skipped = libmount_skips(lm_view);
        if (lm_skipped && lm_view.size() == line.text.size())
            continue; // blank or comment
        std::optional<ParseIssue> issue = check_line(line.text, line.number, tokens);
        Mount* from_libmount = nullptr;
        if (!lm_skipped && !refused[static_cast<size_t>(line.number)] && in_step && next < lm.mounts.size()) {
            if (lm.mounts[next].id == leading_id(lm_view))
                from_libmount = &lm.mounts[next++];
            else if (!issue)
                in_step = false; // out of step with libmount: go on one line at a time
        }
        if (issue) {
            table.issues.push_back(std::move(*issue));
            continue;
        }
        // Moved once, into its place (a Mount is a dozen strings).
        if (from_libmount)
            table.mounts.push_back(std::move(*from_libmount));
        else if (!parse_line_alone(line, origin, table))
            continue;
        Mount& m = table.mounts.back();
        m.raw.assign(line.text);
        m.line = line.number;
    }
    return table;
}

Error too_large(const std::string& path, size_t max_bytes)
{
    return Error{EFBIG,
                 fmt::format("read `{}`: larger than {}, the limit for this kind of file", path, size_text(max_bytes))};
}

std::string size_text(size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return fmt::format("{} MiB", bytes / (1024 * 1024));
    return fmt::format("{} bytes", bytes);
}

Result<std::string> read_whole_file(const std::string& path, size_t max_bytes, bool regular_only)
{
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | (regular_only ? O_NONBLOCK : 0)));
    if (!fd) {
        struct stat st {};
        if (errno == ENXIO && regular_only && stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
            return Error{ENXIO, fmt::format("read `{}`: it is a socket, not a file", path)};
        return system_error(errno, fmt::format("open `{}`", path));
    }
    std::string data;
    struct stat st {};
    if (fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode))
        return system_error(EISDIR, fmt::format("read `{}`", path));
    // A FIFO put where a file is read (a check's path): opened without waiting for a
    // writer, and refused, never waited on. A device stays readable (a path masked with
    // /dev/null reads as empty), and non-blocking: a terminal's says EAGAIN, never waits.
    if (regular_only && S_ISFIFO(st.st_mode))
        return Error{EINVAL,
                     fmt::format("read `{}`: it is a FIFO (named pipe), not a file (a check reads files only)", path)};
    if (st.st_size > 0 && static_cast<unsigned long long>(st.st_size) > max_bytes)
        return too_large(path, max_bytes);
    // /proc files report size 0: read in growing chunks, never more than the limit
    // (one byte past it tells that the file is larger).
    size_t cap = st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 64 * 1024;
    data.resize(std::min(cap, max_bytes + 1));
    size_t len = 0;
    while (true) {
        if (len == data.size()) {
            if (len > max_bytes)
                return too_large(path, max_bytes);
            data.resize(std::min(data.size() * 2, max_bytes + 1));
        }
        const ssize_t r = ::read(fd.get(), data.data() + len, data.size() - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return system_error(errno, fmt::format("read `{}`", path));
        }
        if (r == 0)
            break;
        len += static_cast<size_t>(r);
    }
    if (len > max_bytes)
        return too_large(path, max_bytes);
    data.resize(len);
    return data;
}

Result<MountTable> read_mountinfo_file(const std::string& path)
{
    auto text = read_whole_file(path);
    if (!text)
        return text.error();
    return parse_mountinfo(*text, path);
}

Result<MountTable> read_mountinfo_pid(pid_t pid)
{
    const std::string path = fmt::format("/proc/{}/mountinfo", pid);
    auto text = read_whole_file(path);
    if (!text) {
        Error e = text.error();
        if (e.errnum == ENOENT || e.errnum == ESRCH)
            e.message = fmt::format("process {} does not exist (it may have exited): {}", pid, e.message);
        else if (e.errnum == EACCES || e.errnum == EPERM)
            e.message = fmt::format(
                "not allowed to read the mounts of process {} (another user's process needs root): {}", pid, e.message);
        return e;
    }
    // A process that exits while we read leaves an empty file: say so, not "no mounts".
    if (text->empty() && ::access(fmt::format("/proc/{}", pid).c_str(), F_OK) != 0)
        return Error{ESRCH, fmt::format("process {} exited while its mounts were read", pid)};
    return parse_mountinfo(*text, path);
}

} // namespace mountlab
