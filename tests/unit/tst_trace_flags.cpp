// The trace's decoding: the event ABI shared with the probes, one flag table per
// syscall family, strace-like text and the JSON the event stream carries.
#include "testutil.h"

#include "base/jsonwriter.h"
#include "bpf/events.h"
#include "lab/operations.h"
#include "stream/traceevents.h"
#include "trace/flagtables.h"
#include "trace/mountinfowatcher.h"
#include "trace/syscallevent.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstddef>
#include <cstring>
#include <sys/mount.h>

using namespace mountlab;
using namespace mountlab::trace;

// The probes write this layout; user space reads it. Any change must be made on purpose.
static_assert(sizeof(ml_event) == 1936);
static_assert(offsetof(ml_event, ts_ns) == 0);
static_assert(offsetof(ml_event, latency_ns) == 8);
static_assert(offsetof(ml_event, ret) == 16);
static_assert(offsetof(ml_event, args) == 24);
static_assert(offsetof(ml_event, aux) == 72);
static_assert(offsetof(ml_event, pid) == 104);
static_assert(offsetof(ml_event, tid) == 108);
static_assert(offsetof(ml_event, mntns_before) == 112);
static_assert(offsetof(ml_event, mntns_after) == 116);
static_assert(offsetof(ml_event, syscall) == 120);
static_assert(offsetof(ml_event, truncated) == 124);
static_assert(offsetof(ml_event, comm) == 128);
static_assert(offsetof(ml_event, str) == 144);
static_assert(offsetof(ml_event, data) == 912);
static_assert(ML_STR_LEN >= 256 && ML_DATA_LEN >= 512);
static_assert(ML_SYS_COUNT == 16);

namespace {

// A record as the probes would write it. Pointer arguments only need to be non-zero.
struct RawEvent {
    ml_event e{};
    explicit RawEvent(ml_syscall sc, std::int64_t ret = 0)
    {
        e.syscall = sc;
        e.ret = ret;
        e.pid = 42;
        e.tid = 43;
        std::strcpy(e.comm, "runc");
        e.mntns_before = 4026531840u;
        e.mntns_after = 4026531840u;
        e.ts_ns = 1000;
        e.latency_ns = 25;
    }
    RawEvent& str(int slot, int arg, const char* s)
    {
        std::strncpy(e.str[slot], s, ML_STR_LEN);
        e.args[arg] = 0x7ffd0000u + arg;
        return *this;
    }
    RawEvent& data(int arg, const char* s)
    {
        std::strncpy(e.data, s, ML_DATA_LEN);
        e.args[arg] = 0x7ffd0000u + arg;
        return *this;
    }
    RawEvent& arg(int i, std::uint64_t v)
    {
        e.args[i] = v;
        return *this;
    }
    std::string strace() const { return to_strace(decode_event(e)); }
    nlohmann::json json() const
    {
        JsonWriter w;
        stream::write_syscall(w, decode_event(e));
        return nlohmann::json::parse(w.str());
    }
};

} // namespace

class TestTraceFlags : public QObject {
    Q_OBJECT
private slots:
    // A lesson's mount flags ("bind", "rec", as mount(8) says them) get their values from
    // the tracer's MS_* table: each is <sys/mount.h>'s constant, and the names a lesson may
    // not use (the kernel's own bits) are refused with the name.
    void lessonMountFlags_areTheKernelsValues()
    {
        const std::pair<const char*, unsigned long> want[] = {{"ro", MS_RDONLY},
                                                              {"rdonly", MS_RDONLY},
                                                              {"nosuid", MS_NOSUID},
                                                              {"nodev", MS_NODEV},
                                                              {"noexec", MS_NOEXEC},
                                                              {"sync", MS_SYNCHRONOUS},
                                                              {"remount", MS_REMOUNT},
                                                              {"dirsync", MS_DIRSYNC},
                                                              {"noatime", MS_NOATIME},
                                                              {"nodiratime", MS_NODIRATIME},
                                                              {"bind", MS_BIND},
                                                              {"move", MS_MOVE},
                                                              {"rec", MS_REC},
                                                              {"silent", MS_SILENT},
                                                              {"unbindable", MS_UNBINDABLE},
                                                              {"private", MS_PRIVATE},
                                                              {"slave", MS_SLAVE},
                                                              {"shared", MS_SHARED},
                                                              {"relatime", MS_RELATIME},
                                                              {"strictatime", MS_STRICTATIME},
                                                              {"lazytime", MS_LAZYTIME}};
        for (const auto& [name, value] : want) {
            auto got = lab::mount_flags_from_names(nlohmann::json::array({name}));
            QVERIFY2(static_cast<bool>(got), name);
            QCOMPARE(*got, value);
        }
        auto both = lab::mount_flags_from_names(nlohmann::json::array({"bind", "rec"}));
        QVERIFY(static_cast<bool>(both));
        QCOMPARE(*both, static_cast<unsigned long>(MS_BIND | MS_REC));
        for (const char* refused : {"kernmount", "mgc_val", "MS_BIND", "synchronous", "bogus"}) {
            auto r = lab::mount_flags_from_names(nlohmann::json::array({refused}));
            QVERIFY2(!r, refused);
            QVERIFY(r.error().message.find(refused) != std::string::npos);
        }
    }

    void umountFlags_decodeWithMntTable()
    {
        QCOMPARE(format_flags(0x2, umount_flags()), std::string("MNT_DETACH"));
        QCOMPARE(format_flags(0x2, mount_flags()), std::string("MS_NOSUID")); // the bug this avoids
        QCOMPARE(format_flags(0x1 | 0x8, umount_flags()), std::string("MNT_FORCE|UMOUNT_NOFOLLOW"));
        const auto line = RawEvent(ML_SYS_UMOUNT2, -EINVAL).str(0, 0, "/mnt").arg(1, 0x2).strace();
        QCOMPARE(line, std::string("umount2(\"/mnt\", MNT_DETACH) = -1 EINVAL"));
    }

    void makePrivate_printsNullsAndRecPrivate()
    {
        const auto line = RawEvent(ML_SYS_MOUNT).str(1, 1, "/").arg(3, 0x4000 | 0x40000).strace();
        QCOMPARE(line, std::string("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL) = 0"));
    }

    void overlayMount_printsEveryArgumentLikeStrace()
    {
        const char* opts = "lowerdir=/l/a:/l/b,upperdir=/u,workdir=/w";
        const auto line = RawEvent(ML_SYS_MOUNT)
                              .str(0, 0, "overlay")
                              .str(1, 1, "/merged")
                              .str(2, 2, "overlay")
                              .data(4, opts)
                              .strace();
        QCOMPARE(
            line,
            std::string(
                "mount(\"overlay\", \"/merged\", \"overlay\", 0, \"lowerdir=/l/a:/l/b,upperdir=/u,workdir=/w\") = 0"));
    }

    void longFstype_isNotTruncated()
    {
        const auto e = decode_event(RawEvent(ML_SYS_MOUNT).str(2, 2, "fuse.sshfs-very-long").e);
        QCOMPARE(e.arg("filesystemtype")->text, std::string("fuse.sshfs-very-long"));
        QVERIFY(!e.arg("filesystemtype")->truncated);
        const std::string path(ML_STR_LEN - 1, 'p'); // the longest that fits whole
        QCOMPARE(decode_event(RawEvent(ML_SYS_CHROOT).str(0, 0, path.c_str()).e).arg("path")->text, path);
    }

    void stringCutByTheProbe_isMarkedWithDots()
    {
        RawEvent r(ML_SYS_CHROOT);
        r.str(0, 0, "/very/long");
        r.e.truncated = 1;
        QCOMPARE(r.strace(), std::string("chroot(\"/very/long\"...) = 0"));
        QCOMPARE(r.json()["truncated"], nlohmann::json::array({"path"}));
    }

    void quotesAndControlCharacters_areEscaped()
    {
        const auto line = RawEvent(ML_SYS_CHROOT).str(0, 0, "a\"b\\c\nd\x01").strace();
        QCOMPARE(line, std::string("chroot(\"a\\\"b\\\\c\\nd\\1\") = 0"));
    }

    void unknownBits_areKeptInHex()
    {
        QCOMPARE(format_flags(0x2 | 0x100, umount_flags()), std::string("MNT_DETACH|0x100"));
        QCOMPARE(format_flags(0, mount_flags()), std::string("0"));
        QCOMPARE(format_flags(0xC0ED0000 | 0x1000, mount_flags()), std::string("MS_MGC_VAL|MS_BIND"));
    }

    void namespaceFlags_decodeForUnshareCloneAndSetns()
    {
        QCOMPARE(RawEvent(ML_SYS_UNSHARE).arg(0, 0x20000 | 0x10000000).strace(),
                 std::string("unshare(CLONE_NEWNS|CLONE_NEWUSER) = 0"));
        QCOMPARE(RawEvent(ML_SYS_CLONE, 1234).arg(0, 0x20000000 | 0x20000 | SIGCHLD).strace(),
                 std::string("clone(CLONE_NEWNS|CLONE_NEWPID|SIGCHLD) = 1234"));
        RawEvent c3(ML_SYS_CLONE3, 77);
        c3.arg(0, 0x7ffd0000).arg(1, 88);
        c3.e.aux[0] = 0x80 | 0x20000;
        QCOMPARE(c3.strace(), std::string("clone3({flags=CLONE_NEWTIME|CLONE_NEWNS}, 88) = 77"));
        QCOMPARE(c3.json()["args"]["cl_args"]["flags"], "CLONE_NEWTIME|CLONE_NEWNS");
        QCOMPARE(RawEvent(ML_SYS_SETNS).arg(0, 5).arg(1, 0x20000).strace(), std::string("setns(5, CLONE_NEWNS) = 0"));
    }

    void newMountApi_flagsAndCommandsAreNamed()
    {
        QCOMPARE(RawEvent(ML_SYS_MOVE_MOUNT)
                     .arg(0, 3)
                     .str(0, 1, "")
                     .arg(2, std::uint64_t(-100))
                     .str(1, 3, "/mnt")
                     .arg(4, 0x4)
                     .strace(),
                 std::string("move_mount(3, \"\", AT_FDCWD, \"/mnt\", MOVE_MOUNT_F_EMPTY_PATH) = 0"));
        QCOMPARE(RawEvent(ML_SYS_FSOPEN, 3).str(0, 0, "tmpfs").arg(1, 1).strace(),
                 std::string("fsopen(\"tmpfs\", FSOPEN_CLOEXEC) = 3"));
        QCOMPARE(RawEvent(ML_SYS_FSCONFIG).arg(0, 3).arg(1, 1).str(0, 2, "size").data(3, "1m").strace(),
                 std::string("fsconfig(3, FSCONFIG_SET_STRING, \"size\", \"1m\", 0) = 0"));
        QCOMPARE(RawEvent(ML_SYS_FSCONFIG).arg(0, 3).arg(1, 6).strace(),
                 std::string("fsconfig(3, FSCONFIG_CMD_CREATE, NULL, NULL, 0) = 0"));
        QCOMPARE(RawEvent(ML_SYS_FSMOUNT, 4).arg(0, 3).arg(1, 1).arg(2, 0x1 | 0x8).strace(),
                 std::string("fsmount(3, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOEXEC) = 4"));
        QCOMPARE(RawEvent(ML_SYS_OPEN_TREE, 5)
                     .arg(0, std::uint64_t(-100))
                     .str(0, 1, "/src")
                     .arg(2, 0x1 | 0x8000 | 0x80000)
                     .strace(),
                 std::string("open_tree(AT_FDCWD, \"/src\", OPEN_TREE_CLONE|AT_RECURSIVE|OPEN_TREE_CLOEXEC) = 5"));
    }

    void mountSetattr_showsTheAttrStruct()
    {
        RawEvent r(ML_SYS_MOUNT_SETATTR);
        r.arg(0, std::uint64_t(-100)).str(0, 1, "/mnt").arg(2, 0x8000).arg(3, 0x7ffd0003).arg(4, 32);
        r.e.aux[0] = 0x1;      // MOUNT_ATTR_RDONLY
        r.e.aux[2] = 1u << 18; // MS_PRIVATE
        QCOMPARE(
            r.strace(),
            std::string(
                "mount_setattr(AT_FDCWD, \"/mnt\", AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=0, propagation=MS_PRIVATE, userns_fd=0}, 32) = 0"));
        const auto j = r.json();
        QCOMPARE(j["args"]["attr"]["propagation"], "MS_PRIVATE");
        QCOMPARE(j["args"]["size"], 32);
    }

    void json_hasTheStreamFields()
    {
        RawEvent r(ML_SYS_UMOUNT2, -EINVAL);
        r.str(0, 0, "/mnt").arg(1, 0x2);
        r.e.mntns_after = 4026532000u;
        const auto j = r.json();
        QCOMPARE(j["kind"], "syscall");
        QCOMPARE(j["name"], "umount2");
        QCOMPARE(j["args"]["target"], "/mnt");
        QCOMPARE(j["args"]["flags"], "MNT_DETACH");
        QCOMPARE(j["ret"], -1);
        QCOMPARE(j["errno"], "EINVAL");
        QCOMPARE(j["pid"], 42);
        QCOMPARE(j["tid"], 43);
        QCOMPARE(j["comm"], "runc");
        QCOMPARE(j["mntns_before"], 4026531840u);
        QCOMPARE(j["mntns_after"], 4026532000u);
        QCOMPARE(j["ts_ns"], 1000);
        QCOMPARE(j["latency_ns"], 25);
        QVERIFY(!j.contains("step"));

        const auto ok = RawEvent(ML_SYS_MOUNT).json();
        QVERIFY(ok["errno"].is_null());
        QVERIFY(ok["args"]["source"].is_null());
        QCOMPARE(ok["ret"], 0);
    }

    void step_isWrittenWhenTheEngineSetsIt()
    {
        SyscallEvent e = decode_event(RawEvent(ML_SYS_CHROOT).str(0, 0, "/").e);
        e.step = "pivot-root";
        JsonWriter w;
        stream::write_syscall(w, e);
        QCOMPARE(nlohmann::json::parse(w.str())["step"], "pivot-root");
    }

    void mountChange_isLabelledWithTheReason()
    {
        MountChangeEvent e;
        e.pid = 7;
        e.reason = "eBPF tracing needs root";
        Mount m;
        m.target = "/mnt";
        m.fstype = "tmpfs";
        m.source = "t";
        m.root = "/";
        e.diff.added.push_back(m);
        JsonWriter w;
        stream::write_mount_change(w, e);
        const auto j = nlohmann::json::parse(w.str());
        QCOMPARE(j["kind"], "mount-change");
        QCOMPARE(j["reason"], "eBPF tracing needs root");
        QCOMPARE(j["added"][0]["target"], "/mnt");
        QCOMPARE(j["added"][0]["fstype"], "tmpfs");
        QCOMPARE(to_text(e), std::string("+ /mnt t tmpfs private\n"));
    }
};

QTEST_GUILESS_MAIN(TestTraceFlags)
#include "tst_trace_flags.moc"
