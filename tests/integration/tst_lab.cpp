// The lab engine on the real kernel: each operation's real effect, read back from
// the kernel's own tables and the upper layer, as root and rootless.
#include "lab/lab.h"
#include "lab/terminals.h"
#include "testutil.h"

#include <chrono>

#include "lab/userland.h"
#include "mount/mountinfo.h"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <map>
#include <nlohmann/json.hpp>

using namespace mountlab;
using namespace mountlab::lab;

namespace {

const Mount* at(const MountTable& t, const std::string& target)
{
    const Mount* found = nullptr;
    for (const Mount& m : t.mounts)
        if (m.target == target)
            found = &m;
    return found;
}

OpResult must(Result<OpResult> r)
{
    if (!r)
        qFatal("transport: %s", r.error().message.c_str());
    return std::move(*r);
}

Json overlay_request(const std::string& dir)
{
    return Json{{"op", "overlay"},
                {"lowers", {"/images/layers/app", "/images/layers/tools", "/images/layers/base"}},
                {"upper", dir + "/upper"},
                {"work", dir + "/work"},
                {"target", dir + "/merged"}};
}

std::vector<Json> events_of(const QByteArray& out)
{
    std::vector<Json> events;
    for (const QByteArray& line : out.split('\n'))
        if (!line.isEmpty())
            events.push_back(Json::parse(line.toStdString()));
    return events;
}

// A lab process as this process sees it: the child of the lab host whose PID in the
// lab (the last field of NSpid) is `in_lab`; -1 if there is none.
pid_t lab_process_here(pid_t lab_host, pid_t in_lab)
{
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        auto status = read_whole_file("/proc/" + name + "/status", 1 << 16);
        if (!status)
            continue;
        auto field = [&](const char* key) {
            const size_t at = status->find(std::string("\n") + key + ":");
            return at == std::string::npos ? std::string()
                                           : status->substr(at + 1, status->find('\n', at + 1) - at - 1);
        };
        if (field("PPid") != fmt::format("PPid:\t{}", lab_host))
            continue;
        const std::string nspid = field("NSpid");
        if (nspid.substr(nspid.find_last_of(" \t") + 1) == std::to_string(in_lab))
            return static_cast<pid_t>(std::stoi(name));
    }
    return -1;
}

// The descriptors a process holds, as the kernel lists them (root reads /proc/PID/fd of
// a process that is not dumpable); -1 if it cannot be read.
int descriptors_of(pid_t pid)
{
    std::error_code ec;
    int n = 0;
    for (std::filesystem::directory_iterator it(fmt::format("/proc/{}/fd", pid), ec), end; !ec && it != end;
         it.increment(ec))
        ++n;
    return ec ? -1 : n;
}

// Operations that fail in the container, each on a path of its own that opens
// descriptors (pipes, a child, open()) before it fails.
const std::vector<Json>& failing_operations()
{
    static const std::vector<Json> ops = {
        Json{{"op", "exec"}, {"argv", {"/no/such/command"}}},
        Json{{"op", "exec"}, {"argv", {"sh", "-c", "exit 3"}}, {"stdin", "input"}},
        Json{{"op", "escape"}},
        Json{{"op", "isolation"}, {"procs", {"/proc", "/no/such/proc"}}, {"mounts", {"/", "/no/such/dir"}}},
        Json{{"op", "pivot_root_runc"}, {"new_root", "/no/such/root"}},
        Json{{"op", "read"}, {"path", "/etc"}},
        Json{{"op", "read"}, {"path", "/no/such/file"}},
        Json{{"op", "write"}, {"path", "/no/such/dir/file"}, {"content", "x"}},
    };
    return ops;
}

} // namespace

class TestLab : public QObject {
    Q_OBJECT

    std::unique_ptr<Lab> lab_;
    QByteArray host_before_;

    void fresh()
    {
        lab_.reset();
        auto l = Lab::start();
        QVERIFY2(l.ok(), l.ok() ? "" : l.error().message.c_str());
        lab_ = std::move(*l);
    }

private slots:
    void initTestCase()
    {
        MOUNTLAB_REQUIRE_ROOT();
        host_before_ = test::host_mountinfo();
    }

    void cleanupTestCase()
    {
        lab_.reset();
        if (!host_before_.isEmpty())
            QCOMPARE(test::host_mountinfo(), host_before_);
    }

    void labHost_isSandboxedAndRshared()
    {
        fresh();
        auto s = lab_->snapshot();
        QVERIFY(s.ok());
        const Mount* root = at(s->host, "/");
        QVERIFY(root);
        QCOMPARE(root->fstype, std::string("tmpfs"));
        QVERIFY(root->is_shared());
        for (const char* d : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/proc", "/tmp"})
            QVERIFY2(at(s->host, d), d);
        QVERIFY2(!at(s->host, "/dev/tty"), "the engine's terminal is not the lab's");
        for (const char* l : {"/images/layers/base", "/images/layers/tools", "/images/layers/app"}) {
            const Mount* m = at(s->host, l);
            QVERIFY2(m, l);
            QVERIFY2(m->vfs_options.rfind("ro", 0) == 0, m->vfs_options.c_str()); // read-only layers
        }
        // Nothing of this machine's filesystem is mounted in the lab.
        QVERIFY(!at(s->host, "/oldroot"));
        QVERIFY(!at(s->host, "/sys"));
        QVERIFY(s->host_mntns != 0);
        auto secret = must(lab_->in_lab_host(Json{{"op", "read"}, {"path", "/HOST_SECRET"}}));
        QVERIFY(secret.ok);
        auto host = must(lab_->in_lab_host(Json{{"op", "exec"}, {"argv", {"hostname"}}}));
        QCOMPARE(host.data.value("stdout", ""), std::string("labhost\n"));
    }

    void unshareThenMount_leaksUntilMadePrivate()
    {
        fresh();
        auto u = must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}}));
        QVERIFY(u.ok);
        QVERIFY(u.data["mntns_before"] != u.data["mntns_after"]);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "mount"}, {"source", "leak"}, {"target", "/mnt/leak"}, {"fstype", "tmpfs"}}))
                    .ok);
        auto s = lab_->snapshot();
        QVERIFY(at(s->host, "/mnt/leak")); // it propagated to the lab host
        QVERIFY(at(s->container, "/mnt/leak"));
        QVERIFY(must(lab_->in_container(Json{{"op", "umount"}, {"target", "/mnt/leak"}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(
            must(lab_->in_container(Json{{"op", "mount"}, {"source", "p"}, {"target", "/mnt/p"}, {"fstype", "tmpfs"}}))
                .ok);
        s = lab_->snapshot();
        QVERIFY(!at(s->host, "/mnt/p"));
        QVERIFY(!at(s->host, "/mnt/leak"));
        QVERIFY(at(s->container, "/mnt/p"));
        for (const Mount& m : s->container.mounts)
            QVERIFY2(m.is_private(), m.target.c_str());
        // Propagation types, read back from mountinfo.
        QVERIFY(must(lab_->in_container(Json{{"op", "propagation"}, {"path", "/mnt/p"}, {"type", "shared"}})).ok);
        s = lab_->snapshot();
        QVERIFY(at(s->container, "/mnt/p")->is_shared());
        QVERIFY(must(lab_->in_container(Json{{"op", "propagation"}, {"path", "/mnt/p"}, {"type", "unbindable"}})).ok);
        s = lab_->snapshot();
        QVERIFY(at(s->container, "/mnt/p")->unbindable);
        auto bad = must(lab_->in_container(Json{{"op", "propagation"}, {"path", "/"}, {"type", "sideways"}}));
        QVERIFY(!bad.ok);
        QCOMPARE(bad.err, EINVAL);
    }

    void overlay_copyUpWhiteoutOpaque_seenInUpperdir()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        const std::string d = "/var/lib/mountlab/t";
        auto ov = must(lab_->in_container(overlay_request(d)));
        QVERIFY2(ov.ok, ov.message.c_str());
        auto s = lab_->snapshot();
        const Mount* m = at(s->container, d + "/merged");
        QVERIFY(m);
        QCOMPARE(m->fstype, std::string("overlay"));
        QVERIFY(m->super_options.find("lowerdir=/images/layers/app:/images/layers/tools:/images/layers/base") !=
                std::string::npos);
        QVERIFY(m->super_options.find("upperdir=" + d + "/upper") != std::string::npos);

        auto w =
            must(lab_->in_container(Json{{"op", "write"}, {"path", d + "/merged/etc/motd"}, {"content", "new\n"}}));
        QVERIFY(w.ok);
        // The file is really in upperdir with the new content; the lower one is unchanged.
        auto upper = must(lab_->in_container(Json{{"op", "read"}, {"path", d + "/upper/etc/motd"}}));
        QCOMPARE(upper.data.value("content", ""), std::string("new\n"));
        auto lower = must(lab_->in_container(Json{{"op", "read"}, {"path", "/images/layers/tools/etc/motd"}}));
        QVERIFY(lower.data.value("content", "").find("tools layer") != std::string::npos);
        QVERIFY(w.data["lower"]["unchanged"].get<bool>());
        bool copied = false;
        for (const auto& c : w.data["upper_changes"])
            copied |= c["path"] == "/etc/motd" && c["kind"] == "copied-up";
        QVERIFY(copied);

        auto rm = must(lab_->in_container(Json{{"op", "remove"}, {"path", d + "/merged/var/log/base.log"}}));
        QVERIFY(rm.ok);
        bool whiteout = false;
        for (const auto& c : rm.data["upper_changes"])
            whiteout |= c["path"] == "/var/log/base.log" && c["kind"] == "whiteout";
        QVERIFY2(whiteout, rm.data.dump().c_str());
        // The whiteout is a character device 0/0 on the upper layer, checked independently.
        auto ls = must(lab_->in_container(
            Json{{"op", "exec"}, {"argv", {"stat", "-c", "%F %t:%T", d + "/upper/var/log/base.log"}}}));
        QCOMPARE(ls.data.value("stdout", ""), std::string("character special file 0:0\n"));
        auto gone = must(lab_->in_container(Json{{"op", "read"}, {"path", d + "/merged/var/log/base.log"}}));
        QVERIFY(!gone.ok);
        QCOMPARE(gone.err, ENOENT);

        QVERIFY(
            must(lab_->in_container(Json{{"op", "remove"}, {"path", d + "/merged/app/config"}, {"recursive", true}}))
                .ok);
        auto mk = must(lab_->in_container(Json{{"op", "mkdir"}, {"path", d + "/merged/app/config"}}));
        QVERIFY(mk.ok);
        bool opaque = false;
        for (const auto& c : mk.data["upper_changes"])
            opaque |= c["path"] == "/app/config" && c["kind"] == "opaque-dir";
        QVERIFY2(opaque, mk.data.dump().c_str());
        auto empty = must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"ls", "-A", d + "/merged/app/config"}}}));
        QCOMPARE(empty.data.value("stdout", "x"), std::string()); // the lower files do not show through
        // What lessons 03 and 04 say: the lab is a user namespace, so the overlay has
        // userxattr and marks the directory with user.overlay.opaque, not trusted.*.
        auto xattr = must(lab_->in_container(Json{{"op", "exec"},
                                                  {"argv",
                                                   {"sh", "-c",
                                                    "getfattr --only-values -n user.overlay.opaque " + d +
                                                        "/upper/app/config; echo; "
                                                        "getfattr -n trusted.overlay.opaque " +
                                                        d + "/upper/app/config || echo no-trusted"}}}));
        const std::string x = xattr.data.value("stdout", "");
        QVERIFY2(x.rfind("y\n", 0) == 0 && x.find("no-trusted") != std::string::npos,
                 (x + xattr.data.value("stderr", "")).c_str());
    }

    void pidNamespace_procShowsOnlyTheContainer()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount", "pid"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        auto p = must(lab_->in_container(Json{{"op", "proc"}, {"path", "/proc"}}));
        QVERIFY2(p.ok, p.message.c_str());
        QCOMPARE(p.data["pids"].size(), size_t(1));
        QCOMPARE(p.data["pids"][0]["pid"].get<int>(), 1);
        auto ps = must(
            lab_->in_container(Json{{"op", "exec"}, {"argv", {"sh", "-c", "echo $$; ls /proc | grep -c '^[0-9]'"}}}));
        // The shell is PID 2; /proc holds 1 (the container), 2 (sh), 3 (grep) and ls at most.
        QVERIFY(ps.data.value("stdout", "").rfind("2\n", 0) == 0);
        // The lab host still sees its own PIDs, the container's among them.
        auto host = must(lab_->in_lab_host(Json{{"op", "pids"}, {"path", "/proc"}}));
        QVERIFY(host.data["pids"].size() >= 3);
    }

    void chrootEscape_reachesSecret_pivotRootEscape_fails()
    {
        fresh();
        const std::string d = "/var/lib/mountlab/e";
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(overlay_request(d))).ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "chroot"}, {"path", d + "/merged"}})).ok);
        // Inside the chroot, the secret is not on the path...
        auto direct = must(lab_->in_container(Json{{"op", "read"}, {"path", "/HOST_SECRET"}}));
        QVERIFY(!direct.ok);
        // ...but the escape reaches it.
        auto esc = must(lab_->in_container(Json{{"op", "escape"}}));
        QVERIFY(esc.ok);
        QCOMPARE(esc.data.value("landed", ""), std::string("lab host root"));
        QVERIFY(esc.data.value("secret_readable", false));
        QVERIFY(esc.data.value("secret", "").find("LAB HOST SECRET") != std::string::npos);
        QCOMPARE(esc.data.value("hostname", ""), std::string("labhost"));

        QVERIFY(lab_->reset_container().ok());
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(overlay_request(d + "2"))).ok);
        auto piv = must(lab_->in_container(Json{{"op", "pivot_root_runc"}, {"new_root", d + "2/merged"}}));
        QVERIFY2(piv.ok, piv.message.c_str());
        auto s = lab_->snapshot();
        QCOMPARE(s->container.mounts.size(), size_t(1)); // only the overlay: the old root is gone
        QCOMPARE(s->container.mounts[0].fstype, std::string("overlay"));
        QCOMPARE(s->container.mounts[0].target, std::string("/"));
        auto esc2 = must(lab_->in_container(Json{{"op", "escape"}}));
        QVERIFY(esc2.ok);
        QCOMPARE(esc2.data.value("landed", ""), std::string("container root"));
        QVERIFY(!esc2.data.value("secret_readable", true));
        QCOMPARE(esc2.data.value("hostname", ""), std::string("container"));
    }

    // The lab is a real Linux: bash and util-linux on the lab host, and, after
    // pivot_root into the image, in the container too (the base layer is the userland).
    // The tree holds no setuid program, and the lab's /usr is read-only and nosuid.
    void realUserland_inTheLabHost_andAfterPivotRoot()
    {
        fresh();
        auto sh = [&](const std::string& line) {
            return must(
                lab_->in_container(Json{{"op", "exec"}, {"argv", {"bash", "-c", line}}, {"timeout_ms", 10000}}));
        };
        auto before = sh("echo \"$BASH_VERSION\"; findmnt -n -o PROPAGATION /; findmnt -n -o VFS-OPTIONS /usr; "
                         "getfattr --version; ip -V; ps --version; strace -V");
        const std::string out = before.data.value("stdout", "");
        QVERIFY2(before.data.value("exit_code", -1) == 0, (out + before.data.value("stderr", "")).c_str());
        for (const char* want : {"5.", "shared", "ro,nosuid,nodev", "getfattr", "iproute2", "procps", "strace"})
            QVERIFY2(out.find(want) != std::string::npos, (std::string(want) + " not in: " + out).c_str());

        const std::string d = "/var/lib/mountlab/u";
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(overlay_request(d))).ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"pid"}}})).ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "proc"}, {"path", d + "/merged/proc"}})).ok); // findmnt reads it
        QVERIFY(must(lab_->in_container(Json{{"op", "pivot_root_runc"}, {"new_root", d + "/merged"}})).ok);
        auto after = sh("findmnt -n -o FSTYPE /; rm /var/log/base.log && echo removed; ls /usr/bin/bash");
        const std::string out2 = after.data.value("stdout", "");
        QVERIFY2(after.data.value("exit_code", -1) == 0, (out2 + after.data.value("stderr", "")).c_str());
        QVERIFY2(out2.find("overlay\n") == 0, out2.c_str());
        QVERIFY2(out2.find("removed") != std::string::npos, out2.c_str()); // a base file, whiteout'ed in upper

        const std::string tree = lab::find_userland();
        QVERIFY2(!tree.empty(), "no userland tree");
        int files = 0;
        for (const auto& e : std::filesystem::recursive_directory_iterator(tree)) {
            struct stat st {};
            if (lstat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            ++files;
            QVERIFY2(!(st.st_mode & (S_ISUID | S_ISGID)), e.path().c_str());
        }
        QVERIFY(files > 100);
    }

    void pivotRoot_ontoNonMountPoint_namesTheCause()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"mkdir", "-p", "/var/lib/mountlab/plain/old"}}}))
                    .ok);
        auto r = must(lab_->in_container(Json{{"op", "pivot_root"},
                                              {"new_root", "/var/lib/mountlab/plain"},
                                              {"put_old", "/var/lib/mountlab/plain/old"}}));
        QVERIFY(!r.ok);
        // The lab's root is locked (it replaced a root inherited from the machine's
        // namespace): EINVAL here, where a real root gets EBUSY (below).
        QVERIFY2(r.err == EINVAL, errno_name(r.err).c_str());
        QVERIFY2(r.cause.find("not a mount point") != std::string::npos, r.cause.c_str());
        QVERIFY2(r.cause.find("locked") != std::string::npos, r.cause.c_str());
        // While / is still shared, the cause named is the propagation.
        QVERIFY(lab_->reset_container().ok());
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(overlay_request("/var/lib/mountlab/s"))).ok);
        auto shared = must(lab_->in_container(Json{{"op", "pivot_root"},
                                                   {"new_root", "/var/lib/mountlab/s/merged"},
                                                   {"put_old", "/var/lib/mountlab/s/merged/mnt"}}));
        QVERIFY(!shared.ok);
        QCOMPARE(shared.err, EINVAL);
        QVERIFY2(shared.cause.find("shared") != std::string::npos, shared.cause.c_str());
        // And / being shared, the overlay mounted in the container leaked to the lab host.
        auto s = lab_->snapshot();
        QVERIFY(at(s->host, "/var/lib/mountlab/s/merged"));
    }

    // Lesson 06's second refusal: a directory inside the overlay is neither on the root's
    // (locked) mount nor a mount point: EINVAL, "not a mount point", no lock named.
    void pivotRoot_intoADirectoryOfTheOverlay_isEinvalNotAMountPoint()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(overlay_request("/var/lib/mountlab/d"))).ok);
        auto r = must(lab_->in_container(Json{{"op", "pivot_root"},
                                              {"new_root", "/var/lib/mountlab/d/merged/app"},
                                              {"put_old", "/var/lib/mountlab/d/merged/app/config"}}));
        QVERIFY(!r.ok);
        QVERIFY2(r.err == EINVAL, errno_name(r.err).c_str());
        QVERIFY2(r.cause.find("not a mount point") != std::string::npos && r.cause.find("locked") == std::string::npos,
                 r.cause.c_str());
        // Bound onto itself it is a mount point, and the same pivot works.
        QVERIFY(must(lab_->in_container(Json{{"op", "mount"},
                                             {"source", "/var/lib/mountlab/d/merged/app"},
                                             {"target", "/var/lib/mountlab/d/merged/app"},
                                             {"flags", {"bind"}}}))
                    .ok);
        auto ok = must(lab_->in_container(Json{{"op", "pivot_root"},
                                               {"new_root", "/var/lib/mountlab/d/merged/app"},
                                               {"put_old", "/var/lib/mountlab/d/merged/app/config"}}));
        QVERIFY2(ok.ok, ok.message.c_str());
    }

    // A FIFO where an operation reads or writes a file (a learner's mkfifo on a checked
    // path) fails at once and says why; the container answers the next request as before.
    void fifoOnAFilesPath_failsAtOnce_andTheLabAnswersOn()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"mkfifo", "/tmp/f"}}})).ok);
        const auto t0 = std::chrono::steady_clock::now();
        const OpResult w = must(lab_->in_container(Json{{"op", "write"}, {"path", "/tmp/f"}, {"content", "x"}}));
        QVERIFY(!w.ok);
        QCOMPARE(w.err, ENXIO);
        QVERIFY2(w.cause.find("FIFO") != std::string::npos, w.cause.c_str());
        const OpResult r = must(lab_->in_container(Json{{"op", "read"}, {"path", "/tmp/f"}}));
        QVERIFY(!r.ok);
        QVERIFY2(r.message.find("FIFO") != std::string::npos, r.message.c_str());
        QVERIFY2(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2), "neither waited on the FIFO");
        const OpResult next = must(lab_->in_container(Json{{"op", "read"}, {"path", "/etc/hostname"}}));
        QVERIFY2(next.ok && next.data.value("content", "").find("labhost") != std::string::npos, next.message.c_str());
    }

    // Lab::in_process: an operation where the process is (its mount namespace and root),
    // not where the lab host is; a PID no process has is refused, never entered.
    void inProcess_asksWhereTheProcessIs_andRefusesAPidNoOneHas()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "mount"},
                                             {"source", "mine"},
                                             {"target", "/mnt/mine"},
                                             {"fstype", "tmpfs"},
                                             {"mkdir", true}}))
                    .ok);
        QVERIFY(
            must(lab_->in_container(Json{{"op", "write"}, {"path", "/mnt/mine/f"}, {"content", "in the container"}}))
                .ok);
        // A shell in the container (a terminal's): a process of the learner's.
        pid_t shell = -1;
        Terminals terms(*lab_, [&shell](const Json& e) {
            if (e.value("kind", "") == "terminal" && e.value("opened", false))
                shell = e.value("pid", -1);
        });
        QVERIFY(terms.open("container", 24, 80).ok());
        QVERIFY(shell > 0);
        const Json read{{"op", "read"}, {"path", "/mnt/mine/f"}};
        // (Until the shell has exec'd bash its process is the lab host's child, not
        // dumpable: /proc/PID/ns is not open to another process yet.)
        OpResult there = must(lab_->in_process(shell, read));
        for (int i = 0; i < 100 && !there.ok && there.err == EACCES; ++i) {
            QTest::qWait(20);
            there = must(lab_->in_process(shell, read));
        }
        QVERIFY2(there.ok && there.data.dump().find("in the container") != std::string::npos, there.message.c_str());
        QVERIFY2(!must(lab_->in_lab_host(read)).ok, "the lab host has no /mnt/mine/f: another namespace");
        const OpResult nobody = must(lab_->in_process(4194000, read));
        QVERIFY(!nobody.ok);
        QVERIFY2(nobody.err == ESRCH, nobody.message.c_str());
        QVERIFY2(nobody.message.find("4194000") != std::string::npos, nobody.message.c_str());
    }

    // What lesson 06 says of a fresh container: a new process in the lab host's own mount
    // namespace (not a copy) until it unshares; its mounts are then the lab host's.
    void resetContainer_sharesTheLabHostsNamespace_untilItUnshares()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        auto s = lab_->snapshot();
        QVERIFY(s && s->container_mntns != s->host_mntns);
        QVERIFY(lab_->reset_container().ok());
        s = lab_->snapshot();
        QVERIFY(s);
        QCOMPARE(s->container_mntns, s->host_mntns);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "mount"}, {"source", "shared-ns"}, {"target", "/mnt/fresh"}, {"fstype", "tmpfs"}}))
                    .ok);
        s = lab_->snapshot();
        QVERIFY2(at(s->host, "/mnt/fresh"), "a fresh container's mount is the lab host's: the same namespace");
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        s = lab_->snapshot();
        QVERIFY(s->container_mntns != s->host_mntns);
    }

    // The same pivot_root by the machine's real root, in a private mount namespace of a
    // child: a directory on the root's own mount gives EBUSY, the cause the lesson names
    // beside the lab's EINVAL.
    void pivotRoot_ontoTheRootsMount_isEbusyForARealRoot()
    {
        char dir[] = "/var/tmp/mountlab-pivot-XXXXXX";
        QVERIFY(mkdtemp(dir));
        const std::string new_root = dir, put_old = new_root + "/old";
        QVERIFY(::mkdir(put_old.c_str(), 0700) == 0);
        struct statx a {
        }, b{};
        const bool same_mount = statx(AT_FDCWD, "/", 0, STATX_MNT_ID, &a) == 0 &&
                                statx(AT_FDCWD, dir, 0, STATX_MNT_ID, &b) == 0 && a.stx_mnt_id == b.stx_mnt_id;
        QString why;
        const int code = same_mount ? test::in_private_mount_namespace(
                                          [&] {
                                              if (syscall(SYS_pivot_root, new_root.c_str(), put_old.c_str()) == 0)
                                                  return 1;
                                              return errno == EBUSY ? 0 : 2;
                                          },
                                          &why)
                                    : -2;
        ::rmdir(put_old.c_str());
        ::rmdir(dir);
        if (code == -2)
            QSKIP("/var/tmp is not on the root's mount here");
        QVERIFY2(code == 0,
                 qPrintable(QStringLiteral("pivot_root gave %1 %2").arg(code == 1 ? "success" : "another errno", why)));
        QCOMPARE(test::host_mountinfo(), host_before_);
    }

    // What the lesson says of overlayfs's refusals, shown on this kernel, each with the
    // cause the engine names for it.
    // proc's EPERM names its cause (review L10): in a user namespace of its own, the
    // container no longer holds CAP_SYS_ADMIN over the user namespace that owns its PID
    // namespace (the lab's), and the kernel refuses a new proc; a proc mount in the lab's
    // own user namespace is accepted.
    void procRefused_namesWhoseCapabilityItNeeds()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "proc"}, {"path", "/mnt/ok"}})).ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"user", "mount"}}})).ok);
        const OpResult r = must(lab_->in_container(Json{{"op", "proc"}, {"path", "/mnt/nested"}}));
        QVERIFY(!r.ok);
        QCOMPARE(r.err, EPERM);
        QVERIFY2(r.cause.find("CAP_SYS_ADMIN in the user namespace that owns the mounter's PID namespace") !=
                     std::string::npos,
                 r.cause.c_str());
        QVERIFY2(r.cause.find("fully visible") != std::string::npos, r.cause.c_str());
    }

    void overlayRefusals_haveTheirOwnCauses()
    {
        fresh();
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        auto refused = [&](const Json& op, int err, const char* cause) {
            const OpResult r = must(lab_->in_container(op));
            return !r.ok && r.err == err && r.cause.find(cause) != std::string::npos
                       ? QString()
                       : QString::fromStdString(op.dump() + " gave " + (r.ok ? "success" : errno_name(r.err)) + ": " +
                                                r.cause);
        };
        const std::string base = "/images/layers/base", tools = "/images/layers/tools";
        QString why = refused(Json{{"op", "overlay"}, {"lowers", {base}}, {"target", "/mnt/one"}}, EINVAL,
                              "at least two lowerdirs");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        why = refused(Json{{"op", "overlay"},
                           {"lowers", {base}},
                           {"upper", "/tmp/u"},
                           {"work", "/tmp/u/w"},
                           {"target", "/mnt/nested"}},
                      EINVAL, "inside the upperdir");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        // The same tmpfs, but work bound in from elsewhere: another mount of one filesystem.
        QVERIFY(
            must(lab_->in_container(Json{{"op", "mount"}, {"source", "t"}, {"target", "/mnt/t"}, {"fstype", "tmpfs"}}))
                .ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"mkdir", "-p", "/mnt/t/u", "/mnt/t/w"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "mount"}, {"source", "/mnt/t/w"}, {"target", "/mnt/w"}, {"flags", {"bind"}}}))
                    .ok);
        why = refused(Json{{"op", "overlay"},
                           {"lowers", {base}},
                           {"upper", "/mnt/t/u"},
                           {"work", "/mnt/w"},
                           {"target", "/mnt/two"}},
                      EINVAL, "different mounts");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        // ... and the same directories through one mount are accepted.
        QVERIFY(must(lab_->in_container(Json{{"op", "overlay"},
                                             {"lowers", {base}},
                                             {"upper", "/mnt/t/u"},
                                             {"work", "/mnt/t/w"},
                                             {"target", "/mnt/ok"}}))
                    .ok);
        why = refused(Json{{"op", "overlay"}, {"lowers", {tools, "/nonexistent"}}, {"target", "/mnt/missing"}}, ENOENT,
                      "does not exist");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        // Two lowerdirs and no upperdir: a read-only overlay.
        QVERIFY(must(lab_->in_container(Json{{"op", "overlay"}, {"lowers", {tools, base}}, {"target", "/mnt/ro"}})).ok);
    }

    void exec_isTimeLimited_andBadRequestsAreErrors()
    {
        fresh();
        auto t = must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"sleep", "10"}}, {"timeout_ms", 300}}));
        QVERIFY(!t.ok);
        QCOMPARE(t.err, ETIMEDOUT);
        QVERIFY(t.data.value("timed_out", false));
        // Stdin the command never reads, larger than a pipe holds: the timeout still ends
        // it (writing all of stdin first blocked past it, and the lab with it).
        const auto t0 = std::chrono::steady_clock::now();
        auto unread = must(lab_->in_container(Json{
            {"op", "exec"}, {"argv", {"sleep", "10"}}, {"stdin", std::string(1 << 20, 'x')}, {"timeout_ms", 300}}));
        QVERIFY(unread.data.value("timed_out", false));
        QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
        // Stdin larger than the pipes, echoed back: written and read at once, all of it.
        std::string big;
        for (int i = 0; big.size() < 300000; ++i)
            big += std::to_string(i) + "\n";
        auto echoed = must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"cat"}}, {"stdin", big}}));
        QVERIFY(echoed.ok);
        QCOMPARE(echoed.data.value("stdout", "").size(), big.size());
        QVERIFY(echoed.data.value("stdout", "") == big);
        // A command that closes its stdin at once: the rest is dropped, the lab lives on.
        auto closed = must(lab_->in_container(Json{
            {"op", "exec"}, {"argv", {"sh", "-c", "exec 0<&-; echo done"}}, {"stdin", std::string(1 << 20, 'y')}}));
        QCOMPARE(closed.data.value("stdout", ""), std::string("done\n"));
        auto e =
            must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"sh", "-c", "echo out; echo err >&2; exit 3"}}}));
        QCOMPARE(e.data.value("stdout", ""), std::string("out\n"));
        QCOMPARE(e.data.value("stderr", ""), std::string("err\n"));
        QCOMPARE(e.data.value("exit_code", 0), 3);
        // The lab host's own verbs are not operations a client may send.
        for (const char* verb : {"shutdown", "snapshot", "reset_container", "start"}) {
            auto v = lab_->in_lab_host(Json{{"op", verb}});
            QVERIFY2(!v && v.error().message.find("own verb") != std::string::npos, verb);
            QVERIFY(!lab_->in_container(Json{{"op", verb}}));
        }
        QVERIFY(lab_->snapshot()); // still running
        auto u = must(lab_->in_container(Json{{"op", "levitate"}}));
        QVERIFY(!u.ok);
        QVERIFY(u.message.find("unknown operation `levitate`") != std::string::npos);
        auto f = must(lab_->in_container(Json{{"op", "mount"}, {"target", "/mnt"}, {"flags", {"bind", "sideways"}}}));
        QVERIFY(!f.ok);
        QVERIFY(f.message.find("unknown mount flag `sideways`") != std::string::npos);
        auto n = must(lab_->in_container(Json{{"op", "umount"}, {"target", "/etc"}}));
        QVERIFY(!n.ok);
        QCOMPARE(n.err, EINVAL);
        QVERIFY(n.cause.find("not a mount point") != std::string::npos);
    }

    // The container process lives as long as the lab: an operation that fails, at any
    // point (here also because the kernel refuses it a descriptor: RLIMIT_NOFILE lowered
    // to leave it 0 to 7 more), leaves its descriptors as they were.
    void failingOperations_leaveTheContainersDescriptorsAsTheyWere()
    {
        fresh();
        const pid_t pid = lab_process_here(lab_->lab_host_pid(), lab_->container_pid());
        QVERIFY2(pid > 0, "the container process is not among the lab host's children");
        for (const Json& op : failing_operations()) // whatever the first of each keeps
            (void)must(lab_->in_container(op));
        const int before = descriptors_of(pid);
        QVERIFY(before > 0);

        auto missing = must(lab_->in_container(failing_operations().front()));
        QCOMPARE(missing.data.value("exit_code", 0), 127);
        rlimit old{};
        QVERIFY(prlimit(pid, RLIMIT_NOFILE, nullptr, &old) == 0);
        int refused = 0;
        for (int spare = 0; spare <= 7; ++spare) {
            const rlimit low{static_cast<rlim_t>(before + spare), old.rlim_max};
            QVERIFY(prlimit(pid, RLIMIT_NOFILE, &low, nullptr) == 0);
            for (int round = 0; round < 3; ++round)
                for (const Json& op : failing_operations()) {
                    const OpResult r = must(lab_->in_container(op));
                    QVERIFY2(!r.ok || op["op"] == "exec" || op["op"] == "escape" || op["op"] == "isolation",
                             op.dump().c_str());
                    refused += r.err == EMFILE;
                }
        }
        QVERIFY(prlimit(pid, RLIMIT_NOFILE, &old, nullptr) == 0);
        QVERIFY2(refused > 0, "no operation ran out of descriptors");
        QTRY_COMPARE_WITH_TIMEOUT(descriptors_of(pid), before, 2000);
        QCOMPARE(must(lab_->in_container(Json{{"op", "exec"}, {"argv", {"true"}}})).data.value("exit_code", -1), 0);
    }

    // After pivot_root the escape fails; failing, it keeps nothing open either.
    void failedEscapes_afterPivotRoot_leaveNoDescriptor()
    {
        fresh();
        const std::string d = "/var/lib/mountlab/fdleak";
        QVERIFY(must(lab_->in_container(Json{{"op", "unshare"}, {"namespaces", {"mount"}}})).ok);
        QVERIFY(must(lab_->in_container(
                         Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}))
                    .ok);
        QVERIFY(must(lab_->in_container(overlay_request(d))).ok);
        QVERIFY(must(lab_->in_container(Json{{"op", "pivot_root_runc"}, {"new_root", d + "/merged"}})).ok);
        const pid_t pid = lab_process_here(lab_->lab_host_pid(), lab_->container_pid());
        QVERIFY2(pid > 0, "the container process is not among the lab host's children");
        auto first = must(lab_->in_container(Json{{"op", "escape"}}));
        QVERIFY(!first.data.value("escaped", true));
        const int before = descriptors_of(pid);
        QVERIFY(before > 0);
        for (int i = 0; i < 20; ++i) {
            auto esc = must(lab_->in_container(Json{{"op", "escape"}}));
            QVERIFY(!esc.data.value("escaped", true));
            QCOMPARE(must(lab_->in_container(failing_operations().front())).data.value("exit_code", 0), 127);
        }
        QTRY_COMPARE_WITH_TIMEOUT(descriptors_of(pid), before, 2000);
    }

    void walkthrough_asRoot_everyStepBehaves()
    {
        auto r = test::run_cli({"run", "--json"});
        QVERIFY2(r.exit_code == 0, r.out.right(3000).constData());
        auto events = events_of(r.out);
        QCOMPARE(events.front()["kind"].get<std::string>(), std::string("session"));
        QCOMPARE(events.front()["v"].get<int>(), 1);
        int ends = 0;
        for (const Json& e : events) {
            QVERIFY(e.contains("kind"));
            if (e["kind"] == "step" && e["phase"] == "end") {
                ++ends;
                QVERIFY(e.contains("ok") && e.contains("errno") && e.contains("duration_us"));
                QVERIFY(e["passed"].get<bool>());
            }
        }
        QVERIFY(ends >= 20);
        QCOMPARE(events.back()["kind"].get<std::string>(), std::string("summary"));
        QCOMPARE(events.back()["failed"].get<int>(), 0);

        // Traced with eBPF: each stage's step makes exactly these calls, in order, decoded.
        QCOMPARE(events.front()["trace"].get<std::string>(), std::string("bpf"));
        const std::map<std::string, std::vector<std::string>> expected = {
            {"unshare-mount", {"unshare(CLONE_NEWNS) = 0"}},
            {"leak", {"mount(\"leak\", \"/mnt/leak\", \"tmpfs\", 0, NULL) = 0"}},
            {"unleak", {"umount2(\"/mnt/leak\", 0) = 0"}},
            {"make-rprivate", {"mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL) = 0"}},
            {"mount-overlay",
             {"mount(\"overlay\", \"/var/lib/mountlab/c1/merged\", \"overlay\", 0, \"lowerdir=/images/layers/app:"
              "/images/layers/tools:/images/layers/base,upperdir=/var/lib/mountlab/c1/upper,workdir=/var/lib/mountlab/c1/work,userxattr\") = 0"}},
            {"unshare-pid", {"unshare(CLONE_NEWPID) = 0"}},
            {"mount-proc", {"mount(\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL) = 0"}},
            {"chroot", {"chroot(\".\") = 0"}},
            // In the lab's user namespace (every lab has one) the kernel answers EINVAL here.
            {"pivot-not-mountpoint",
             {"pivot_root(\"/var/lib/mountlab/c2\", \"/var/lib/mountlab/c2/old\") = -1 EINVAL"}},
            {"pivot",
             {"pivot_root(\".\", \".\") = 0", "mount(NULL, \".\", NULL, MS_REC|MS_SLAVE, NULL) = 0",
              "umount2(\".\", MNT_DETACH) = 0"}},
            {"uts", {"unshare(CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET) = 0"}},
        };
        std::map<int, std::string> ids;
        int checked = 0;
        for (const Json& e : events) {
            if (e["kind"] == "step" && e["phase"] == "begin")
                ids[e["step"].get<int>()] = e["id"].get<std::string>();
            if (e["kind"] == "step" && e["phase"] == "end") {
                auto it = expected.find(ids[e["step"].get<int>()]);
                if (it == expected.end())
                    continue;
                QCOMPARE(e["calls"].get<std::vector<std::string>>(), it->second);
                ++checked;
            }
            // Every traced call of a step carries the step's number.
            if (e["kind"] == "syscall" && e.contains("step"))
                QVERIFY(ids.count(e["step"].get<int>()));
        }
        QCOMPARE(checked, static_cast<int>(expected.size()));
    }

    void walkthrough_rootlessAsNobody_everyStepBehaves()
    {
        auto r = test::run("runuser", {"-u", "nobody", "--", MOUNTLAB_CLI, "run", "--json"});
        QVERIFY2(r.exit_code == 0, (r.err + r.out.right(3000)).constData());
        auto events = events_of(r.out);
        QVERIFY(events.front()["rootless"].get<bool>());
        QCOMPARE(events.back()["failed"].get<int>(), 0);
        // The overlay in a user namespace uses user.* xattrs.
        bool userxattr = false;
        for (const Json& e : events)
            if (e["kind"] == "step" && e["phase"] == "end" && e["data"].contains("options"))
                userxattr |= e["data"]["options"].get<std::string>().find("userxattr") != std::string::npos;
        QVERIFY(userxattr);
    }

    // An unprivileged engine writes its lab host's ID maps as the lab host's owner: that
    // must hold every time (the lab host once made itself non-dumpable too early, and
    // half the starts failed with EACCES on /proc/PID/uid_map).
    void rootlessLab_startsEveryTime()
    {
        for (int i = 0; i < 20; ++i) {
            auto r = test::run("runuser", {"-u", "nobody", "--", MOUNTLAB_CLI, "agent", "--tracer", "none"},
                               "{\"cmd\":\"quit\"}\n");
            QVERIFY2(r.exit_code == 0 && r.out.startsWith("{\"kind\":\"session\""),
                     qPrintable(QStringLiteral("start %1: %2 %3")
                                    .arg(i)
                                    .arg(QString::fromUtf8(r.out.left(300)), QString::fromUtf8(r.err))));
        }
    }

    // The project's own tools (chroot-escape, newmount) are in a rootless lab too: the
    // user's own userland (built from the packages) gets them from the shared tree, and
    // a lesson's `shell:` lines that use them work for whoever started the lab.
    void rootlessLab_hasTheLabsOwnTools()
    {
        const QByteArray input =
            "{\"cmd\":\"exec\",\"argv\":[\"sh\",\"-c\",\"command -v chroot-escape; command -v newmount\"]}\n"
            "{\"cmd\":\"quit\"}\n";
        auto r = test::run("runuser", {"-u", "nobody", "--", MOUNTLAB_CLI, "agent", "--tracer", "none"}, input);
        QVERIFY2(r.exit_code == 0, r.err.constData());
        QString out;
        for (const Json& e : events_of(r.out))
            if (e.value("kind", "") == "step" && e.value("phase", "") == "end")
                out = QString::fromStdString(e["data"].value("stdout", ""));
        QCOMPARE(out, QStringLiteral("/usr/local/bin/chroot-escape\n/usr/local/bin/newmount\n"));
    }

    void textOutput_showsShellSyscallAndDiffs()
    {
        auto r = test::run_cli({"run", "--stage", "propagation"});
        QCOMPARE(r.exit_code, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains("$ mount --make-rprivate /"));
        QVERIFY(out.contains("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)"));
        QVERIFY(out.contains(QRegularExpression(R"(lab host\s+\+ /mnt/leak tmpfs leak)")));
        QVERIFY(!out.contains("Stage 3/"));
    }
};

QTEST_GUILESS_MAIN(TestLab)
#include "tst_lab.moc"
