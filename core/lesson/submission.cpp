// A submission's file, before anything runs (read_submission): read with a bound, refused
// when it is not a shell script the lab can run, and what was noticed or changed in it
// (a byte-order mark, CRLF line endings, bytes that are not UTF-8, the shebang's shell).
#include "lesson/grader.h"

#include "base/fd.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <optional>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace mountlab::lesson {

namespace {

std::string join_notes(const std::vector<std::string>& notes)
{
    std::string out;
    for (const std::string& n : notes)
        out += (out.empty() ? "" : "; ") + n;
    return out;
}

std::string size_words(long long bytes)
{
    if (bytes >= (1LL << 20))
        return fmt::format("{} bytes ({:.1f} MiB)", bytes, static_cast<double>(bytes) / (1 << 20));
    if (bytes >= 1024)
        return fmt::format("{} bytes ({:.1f} KiB)", bytes, static_cast<double>(bytes) / 1024);
    return fmt::format("{} bytes", bytes);
}

std::string file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a regular file";
}

// What kind of binary `s` is, or "" when it is text a shell can read.
std::string binary_kind(const std::string& s)
{
    auto starts = [&](std::string_view magic) { return s.compare(0, magic.size(), magic) == 0; };
    if (starts("\x7f"
               "ELF")) {
        const unsigned type = s.size() > 16 ? static_cast<unsigned char>(s[16]) : 0;
        return type == 1 ? "ELF object file" : type == 4 ? "ELF core dump" : "ELF executable";
    }
    if (starts("\xff\xfe") || starts("\xfe\xff"))
        return "UTF-16 text, as Windows Notepad saves it; save it as UTF-8";
    if (starts("\x1f\x8b"))
        return "gzip-compressed data";
    if (starts("PK\x03\x04"))
        return "zip archive";
    if (starts("%PDF-"))
        return "PDF document";
    if (starts("\x89PNG"))
        return "PNG image";
    if (starts("\xff\xd8\xff"))
        return "JPEG image";
    if (starts("\xca\xfe\xba\xbe") || starts("\xcf\xfa\xed\xfe") || starts("\xce\xfa\xed\xfe"))
        return "Mach-O executable";
    if (starts("MZ"))
        return "Windows executable";
    if (const size_t nul = s.find('\0'); nul != std::string::npos)
        return fmt::format("it has NUL bytes, the first at byte {}", nul);
    return {};
}

// The offset of the first byte that is not part of valid UTF-8, or npos.
size_t invalid_utf8_at(const std::string& s)
{
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (n == 0 || (n == 2 && c < 0xc2) || (n == 4 && c > 0xf4) || i + n > s.size())
            return i;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
                return i;
        const unsigned char d = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
        if ((c == 0xe0 && d < 0xa0) || (c == 0xed && d > 0x9f) || (c == 0xf0 && d < 0x90) || (c == 0xf4 && d > 0x8f))
            return i;
        i += n;
    }
    return std::string::npos;
}

std::vector<std::string> split_words(std::string_view s)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t')
            ++j;
        if (j > i)
            out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// The interpreter a shebang names, run as the lab has it: sh and ash (busybox) and bash,
// named by any path or through env ("#!/usr/bin/env bash", "env -S bash -e"), with their
// options split at spaces (as env -S does; Linux would pass them as one argument).
// Anything else is refused with what the lab has.
void read_shebang(Intake& in, std::vector<std::string>& notes)
{
    in.argv = {"sh"};
    if (in.script.rfind("#!", 0) != 0)
        return;
    const std::string line = in.script.substr(2, in.script.find('\n') - 2);
    std::vector<std::string> words = split_words(line);
    const std::string shown = "#!" + line;
    if (words.empty()) {
        notes.push_back(fmt::format("the shebang `{}` names no interpreter; run with sh", shown));
        return;
    }
    auto base = [](const std::string& p) { return p.substr(p.rfind('/') + 1); };
    bool via_env = false;
    if (base(words[0]) == "env") {
        via_env = true;
        words.erase(words.begin());
        while (!words.empty() && (words[0] == "-S" || words[0] == "--split-string" || words[0] == "--"))
            words.erase(words.begin());
        if (!words.empty() && words[0].rfind("-S", 0) == 0 && words[0].size() > 2)
            words[0] = words[0].substr(2);
        if (words.empty() || words[0][0] == '-' || words[0].find('=') != std::string::npos) {
            in.refused = fmt::format("the shebang `{}` runs env with {}, which the grader does not follow; name the "
                                     "shell: #!/bin/sh or #!/bin/bash (not run)",
                                     shown, words.empty() ? std::string("no program") : "`" + words[0] + "`");
            return;
        }
    }
    const std::string name = base(words[0]);
    if (name != "sh" && name != "bash" && name != "ash") {
        in.refused = fmt::format("the shebang `{}` names {}, which the lab does not have: its userland has sh and ash "
                                 "(busybox) and bash only, so it runs shell scripts, nothing else (not run)",
                                 shown, name.empty() ? words[0] : name);
        return;
    }
    const std::string path = "/bin/" + name;
    if (!via_env && words[0] != path && words[0] != "/usr/bin/" + name)
        notes.push_back(fmt::format("the shebang names {}; the lab has {}, which ran it", words[0], path));
    in.argv = {path};
    in.argv.insert(in.argv.end(), words.begin() + 1, words.end());
}

// A regular file's descriptor, or none with in.error (not readable, not a file) or
// in.refused (over kMaxScriptBytes) set.
UniqueFd open_script(const std::string& file, Intake& in)
{
    UniqueFd fd(open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!fd) {
        in.error = fmt::format("cannot read `{}`: {}", file, strerror(errno));
        return fd;
    }
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) {
        in.error = fmt::format("cannot read `{}`: {}", file, strerror(errno));
        return UniqueFd();
    }
    if (!S_ISREG(st.st_mode)) {
        in.error = fmt::format("cannot read `{}`: it is {}, not a file ({})", file, file_kind(st.st_mode),
                               strerror(S_ISDIR(st.st_mode) ? EISDIR : EINVAL));
        return UniqueFd();
    }
    if (st.st_size > kMaxScriptBytes) {
        in.refused = fmt::format("the file is {}; the limit is {} (not run)", size_words(st.st_size),
                                 size_words(kMaxScriptBytes));
        return UniqueFd();
    }
    return fd;
}

// The file's bytes, or nothing with in.error or in.refused set.
std::optional<std::string> read_script(const std::string& file, Intake& in)
{
    const UniqueFd fd = open_script(file, in);
    if (!fd)
        return std::nullopt;
    // Files whose size stat does not tell (/proc, /sys) are read to one byte past the limit.
    std::string data;
    char buf[65536];
    for (;;) {
        const ssize_t n = read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            in.error = fmt::format("cannot read `{}`: {}", file, strerror(errno));
            return std::nullopt;
        }
        if (n == 0)
            break;
        data.append(buf, static_cast<size_t>(n));
        if (static_cast<long long>(data.size()) > kMaxScriptBytes) {
            in.refused = fmt::format("the file is more than {}; the limit is {} (not run)", size_words(kMaxScriptBytes),
                                     size_words(kMaxScriptBytes));
            return std::nullopt;
        }
    }
    return data;
}

// CRLF line endings (a Windows editor): graded with each CR before a LF removed, as
// the README says; a lone CR is the script's own.
void remove_crlf(std::string& data, std::vector<std::string>& notes)
{
    size_t crlf = 0;
    std::string lf;
    lf.reserve(data.size());
    for (size_t i = 0; i < data.size(); ++i) {
        if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') {
            ++crlf;
            continue;
        }
        lf += data[i];
    }
    if (crlf > 0) {
        notes.push_back(fmt::format("this script has CRLF line endings ({} lines); graded with them removed", crlf));
        data = std::move(lf);
    }
}

// What the text holds that a teacher should hear of: a byte-order mark and CRLF line
// endings (removed), nothing but blank lines, bytes that are not UTF-8.
void vet_text(std::string& data, std::vector<std::string>& notes)
{
    if (data.rfind("\xef\xbb\xbf", 0) == 0) {
        data.erase(0, 3);
        notes.push_back("the script starts with a UTF-8 byte-order mark; graded with it removed");
    }
    remove_crlf(data, notes);
    if (data.find_first_not_of(" \t\n") == std::string::npos)
        notes.push_back("the script is empty (only blank lines): graded as a script that does nothing");
    // Bytes that are not UTF-8 (a Latin-1 editor) reach the container as they are (the
    // script goes in base64); said, since what the script prints may then look odd.
    if (const size_t bad = invalid_utf8_at(data); bad != std::string::npos)
        notes.push_back(
            fmt::format("the script is not UTF-8 (the first such byte, 0x{:02x}, at byte {}); it ran as it is",
                        static_cast<unsigned char>(data[bad]), bad));
}

} // namespace

Intake read_submission(const std::string& file)
{
    Intake in;
    std::optional<std::string> data = read_script(file, in);
    if (!data)
        return in;
    if (const std::string kind = binary_kind(*data); !kind.empty()) {
        in.refused = fmt::format("this is a binary ({}), not a shell script (not run)", kind);
        return in;
    }
    if (data->empty()) {
        in.note = "the script is empty (0 bytes): graded as a script that does nothing";
        in.argv = {"sh"};
        return in;
    }
    std::vector<std::string> notes;
    vet_text(*data, notes);
    in.script = std::move(*data);
    read_shebang(in, notes);
    in.note = join_notes(notes);
    return in;
}

} // namespace mountlab::lesson
