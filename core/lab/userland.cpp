#include "lab/userland.h"

#include "base/fd.h"
#include "mount/mountinfo.h" // read_whole_file

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

namespace fs = std::filesystem;

const std::vector<std::string>& userland_packages()
{
    static const std::vector<std::string> packages = {
        "bash",   "util-linux",     "mount",        "coreutils", "procps", "attr", "iproute2",
        "strace", "busybox-static", "ncurses-base", "findutils", "grep",   "sed"};
    return packages;
}

namespace {

// A command's stdout, and whether it exited 0.
std::pair<std::string, bool> output_of(const std::string& command)
{
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p)
        return {out, false};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    const int status = pclose(p);
    return {out, WIFEXITED(status) && WEXITSTATUS(status) == 0};
}

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        if (nl > pos)
            out.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return out;
}

// Debian's merged /usr: /bin, /sbin, /lib, /lib64 are /usr's.
std::string in_usr(const std::string& p)
{
    for (const char* top : {"/bin/", "/sbin/", "/lib/", "/lib64/", "/lib32/", "/libx32/"})
        if (p.rfind(top, 0) == 0)
            return "/usr" + p;
    return p;
}

// The parts of a package the lab needs: its programs, libraries and terminfo; no
// documentation, manuals or locales.
bool wanted(const std::string& p)
{
    if (p.rfind("/usr/share/", 0) == 0)
        return p.rfind("/usr/share/terminfo/", 0) == 0;
    for (const char* top : {"/usr/bin/", "/usr/sbin/", "/usr/lib/", "/usr/lib64/", "/usr/libexec/"})
        if (p.rfind(top, 0) == 0)
            return true;
    return false;
}

class TreeBuilder {
public:
    explicit TreeBuilder(std::string out) : out_(std::move(out)) {}

    // Adds the machine's file at p (and, for a symlink, what it points to).
    Status add(const std::string& machine_path, int depth = 0)
    {
        const std::string p = in_usr(machine_path);
        if (depth > 16 || !done_.insert(p).second)
            return Ok{};
        struct stat st {};
        if (lstat(p.c_str(), &st) != 0)
            return Ok{}; // listed by the package but gone (a diversion, a conffile): skip
        const std::string dest = out_ + p;
        if (Status s = make_parent(dest); !s)
            return s;
        if (S_ISDIR(st.st_mode)) {
            if (mkdir(dest.c_str(), 0755) != 0 && errno != EEXIST)
                return system_error(errno, fmt::format("mkdir `{}`", dest));
            return Ok{};
        }
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            const ssize_t n = readlink(p.c_str(), target, sizeof target - 1);
            if (n <= 0)
                return Ok{};
            target[n] = '\0';
            if (symlink(target, dest.c_str()) != 0 && errno != EEXIST)
                return system_error(errno, fmt::format("symlink `{}`", dest));
            const std::string t = target[0] == '/' ? std::string(target) : p.substr(0, p.rfind('/') + 1) + target;
            return add(t, depth + 1);
        }
        if (!S_ISREG(st.st_mode))
            return Ok{};
        // The same inode when this filesystem allows it: no copy at all. Never for a
        // setuid or setgid program (mount, su, ...): the tree gets a copy without the
        // bit, so it holds no privileged program, nor an old one kept alive after an
        // upgrade (the lab would ignore the bit anyway: nosuid, and root unmapped).
        const bool privileged = (st.st_mode & (S_ISUID | S_ISGID)) != 0;
        if (privileged || (link(p.c_str(), dest.c_str()) != 0 && errno != EEXIST)) {
            std::error_code ec;
            fs::copy_file(p, dest, fs::copy_options::overwrite_existing, ec);
            if (ec)
                return Error{ec.value(), fmt::format("copy `{}` into the userland: {}", p, ec.message())};
            chmod(dest.c_str(), st.st_mode & 0755); // a copy carries no setuid bit
        }
        if (is_elf(p))
            elves_.push_back(p);
        return Ok{};
    }

    // The shared libraries every program and library added so far loads (ldd).
    Status add_libraries()
    {
        for (size_t i = 0; i < elves_.size(); ++i) {
            const std::string file = elves_[i];
            auto [text, ok] = output_of(fmt::format("ldd '{}' 2>/dev/null", file));
            if (!ok)
                continue; // static, or not a program ldd can read
            for (const std::string& line : lines_of(text)) {
                const size_t slash = line.find('/');
                if (slash == std::string::npos)
                    continue;
                const std::string path = line.substr(slash, line.find(' ', slash) - slash);
                if (Status s = add(path); !s)
                    return s;
            }
        }
        return Ok{};
    }

private:
    static bool is_elf(const std::string& p)
    {
        const UniqueFd fd(open(p.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd)
            return false;
        char magic[4] = {};
        return read(fd.get(), magic, 4) == 4 && std::memcmp(magic,
                                                            "\x7f"
                                                            "ELF",
                                                            4) == 0;
    }

    Status make_parent(const std::string& dest)
    {
        std::error_code ec;
        fs::create_directories(fs::path(dest).parent_path(), ec);
        if (ec)
            return Error{ec.value(),
                         fmt::format("mkdir `{}`: {}", fs::path(dest).parent_path().string(), ec.message())};
        return Ok{};
    }

    std::string out_;
    std::set<std::string> done_;
    std::vector<std::string> elves_;
};

// busybox for every command the packages do not bring (vi, wget, nc, sh, ...).
Status add_busybox_applets(const std::string& out)
{
    auto [list, ok] = output_of("/usr/bin/busybox --list 2>/dev/null || /bin/busybox --list");
    if (!ok)
        return Error{ENOENT, "busybox --list failed (is busybox-static installed?)"};
    for (const std::string& a : lines_of(list)) {
        if (a == "busybox" || a.find('/') != std::string::npos)
            continue;
        struct stat st {};
        if (lstat((out + "/usr/bin/" + a).c_str(), &st) == 0 || lstat((out + "/usr/sbin/" + a).c_str(), &st) == 0)
            continue; // the real one wins
        if (symlink("busybox", (out + "/usr/bin/" + a).c_str()) != 0 && errno != EEXIST)
            return system_error(errno, fmt::format("symlink applet `{}`", a));
    }
    return Ok{};
}

Status add_base_files(const std::string& out, const LayerSpec& base)
{
    for (const char* top : {"bin", "sbin", "lib", "lib64"})
        if (symlink((std::string("usr/") + top).c_str(), (out + "/" + top).c_str()) != 0 && errno != EEXIST)
            return system_error(errno, fmt::format("symlink `/{}`", top));
    for (const LayerFile& f : base.files) {
        const std::string p = out + f.path;
        std::error_code ec;
        fs::create_directories(f.kind == LayerFile::Kind::Dir ? fs::path(p) : fs::path(p).parent_path(), ec);
        if (ec)
            return Error{ec.value(), fmt::format("mkdir for `{}`: {}", f.path, ec.message())};
        if (f.kind == LayerFile::Kind::Dir) {
            chmod(p.c_str(), f.mode);
        } else if (f.kind == LayerFile::Kind::File) {
            FILE* fp = std::fopen(p.c_str(), "w");
            if (!fp || std::fwrite(f.content.data(), 1, f.content.size(), fp) != f.content.size() ||
                std::fclose(fp) != 0)
                return system_error(errno, fmt::format("write `{}`", p));
            chmod(p.c_str(), f.mode);
        } else if (f.kind == LayerFile::Kind::Symlink) {
            if (symlink(f.content.c_str(), p.c_str()) != 0 && errno != EEXIST)
                return system_error(errno, fmt::format("symlink `{}`", p));
        }
    }
    return Ok{};
}

} // namespace

Status build_userland(const std::string& dir, const LayerSpec& base)
{
    const std::string tmp = fmt::format("{}.building-{}", dir, getpid());
    std::error_code ec;
    fs::remove_all(tmp, ec);
    if (!fs::create_directories(tmp, ec) || ec)
        return Error{ec.value(), fmt::format("mkdir `{}`: {}", tmp, ec.message())};
    chmod(tmp.c_str(), 0755);
    TreeBuilder tree(tmp);
    for (const std::string& pkg : userland_packages()) {
        auto [list, ok] = output_of(fmt::format("dpkg-query -L '{}' 2>/dev/null", pkg));
        if (!ok)
            return Error{ENOENT, fmt::format("the Debian package `{}` is not installed (make setup installs it)", pkg)};
        for (const std::string& p : lines_of(list))
            if (wanted(in_usr(p)))
                if (Status s = tree.add(p); !s)
                    return s;
    }
    // The C.UTF-8 locale (libc-bin's), so that the lab's terminals (LANG=C.UTF-8) give
    // programs UTF-8: findmnt draws its tree with └─, ls and bash count characters right.
    if (auto [list, ok] = output_of("dpkg-query -L libc-bin 2>/dev/null"); ok)
        for (const std::string& p : lines_of(list))
            if (p.rfind("/usr/lib/locale/C.utf8/", 0) == 0)
                if (Status s = tree.add(p); !s)
                    return s;
    // The dynamic loader, under the name every program asks for.
    if (Status s = tree.add("/lib64/ld-linux-x86-64.so.2"); !s)
        return s;
    if (Status s = tree.add_libraries(); !s)
        return s;
    if (Status s = add_busybox_applets(tmp); !s)
        return s;
    if (Status s = add_base_files(tmp, base); !s)
        return s;
    // Swap it in whole: a lab started meanwhile keeps the tree it bound.
    const std::string old = fmt::format("{}.old-{}", dir, getpid());
    if (fs::exists(dir))
        fs::rename(dir, old, ec);
    fs::rename(tmp, dir, ec);
    if (ec)
        return Error{ec.value(), fmt::format("rename `{}` to `{}`: {}", tmp, dir, ec.message())};
    fs::remove_all(old, ec);
    return Ok{};
}

namespace {

// A directory that is ours and nobody else's (created 0700 when missing).
Result<std::string> private_dir(const std::string& path)
{
    std::error_code ec;
    fs::create_directories(path, ec);
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0)
        return system_error(errno, fmt::format("create `{}`", path));
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
        return Error{EPERM, fmt::format("`{}` is not a directory of this user's alone", path)};
    return path;
}

} // namespace

namespace {
// shared/usr/local/bin's programs into tree/usr/local/bin, where missing or different.
// Each new copy is written beside the old one and renamed over it: a lab running the old
// one meanwhile keeps it (no ETXTBSY, no half-written program).
Status copy_labtools(const std::string& shared, const std::string& tree)
{
    const fs::path from = fs::path(shared) / "usr/local/bin";
    const fs::path to = fs::path(tree) / "usr/local/bin";
    std::error_code ec;
    if (!fs::is_directory(from, ec))
        return Ok{};
    fs::create_directories(to, ec);
    if (ec)
        return Error{ec.value(), fmt::format("make `{}`: {}", to.string(), ec.message())};
    for (const fs::directory_entry& e : fs::directory_iterator(from, ec)) {
        if (!e.is_regular_file(ec))
            continue;
        const fs::path dst = to / e.path().filename();
        auto wanted = read_whole_file(e.path().string(), 64 << 20);
        if (!wanted)
            return wanted.error();
        if (auto have = read_whole_file(dst.string(), 64 << 20); have && *have == *wanted)
            continue;
        const fs::path tmp = to / fmt::format(".{}.{}", e.path().filename().string(), getpid());
        fs::copy_file(e.path(), tmp, fs::copy_options::overwrite_existing, ec);
        if (!ec)
            fs::permissions(tmp,
                            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec,
                            ec);
        if (!ec)
            fs::rename(tmp, dst, ec);
        if (ec) {
            fs::remove(tmp, ec);
            return Error{EIO, fmt::format("copy `{}` into this user's userland", e.path().string())};
        }
    }
    return Ok{};
}
} // namespace

Result<std::string> userland_of_this_user(const std::string& shared)
{
    struct stat st {};
    if (!shared.empty() && stat((shared + "/etc").c_str(), &st) == 0 && st.st_uid == geteuid())
        return shared;
    std::string cache;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/')
        cache = std::string(x) + "/mountlab";
    else if (const char* h = std::getenv("HOME"); h && *h == '/' && access(h, W_OK) == 0)
        cache = std::string(h) + "/.cache/mountlab";
    else
        cache = fmt::format("/tmp/mountlab-{}", geteuid());
    auto dir = private_dir(cache);
    if (!dir)
        return dir.error();
    const std::string tree = *dir + "/userland";
    if (access((tree + "/usr/bin/bash").c_str(), X_OK) != 0)
        if (Status s = build_userland(tree, default_layers().front()); !s)
            return Error{s.error().errnum, "build this user's userland: " + s.error().message};
    // The project's own tools (chroot-escape, newmount) are not in the packages: from
    // the shared tree, each time (a cached tree may predate a tool, or hold an old one).
    // A tree whose tools could not be refreshed still serves (a lab without the newest
    // tool beats no lab): the next start tries again.
    if (!shared.empty())
        if (Status s = copy_labtools(shared, tree); !s)
            fmt::print(stderr, "mountlab: {} (the lab starts with the tools it has)\n", s.error().message);
    return tree;
}

std::string find_userland()
{
    auto holds = [](const std::string& d) { return !d.empty() && access((d + "/usr/bin/bash").c_str(), X_OK) == 0; };
    if (const char* env = std::getenv("MOUNTLAB_USERLAND"); env && *env)
        return holds(env) ? fs::weakly_canonical(env).string() : std::string();
    char exe[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return {};
    const fs::path bin = fs::path(std::string(exe, static_cast<size_t>(n))).parent_path();
    for (const fs::path& d : {bin / ".." / "userland", bin / ".." / "share" / "mountlab" / "userland"}) {
        std::error_code ec;
        const fs::path c = fs::weakly_canonical(d, ec);
        if (!ec && holds(c.string()))
            return c.string();
    }
    return {};
}

} // namespace mountlab::lab
