#include "lab/walkthrough.h"

#include <algorithm>
#include <map>

namespace mountlab::lab {

namespace {

const Mount* mount_at(const MountTable& t, const std::string& target)
{
    const Mount* found = nullptr;
    for (const Mount& m : t.mounts)
        if (m.target == target)
            found = &m; // the last one: the top of a stack
    return found;
}

Check present(const std::string& view, const std::string& target, const std::string& fstype)
{
    return {fmt::format("the {} has {} mounted on {}", view, fstype, target), [=](const StepContext& c) -> std::string {
                const MountTable& t = view == "lab host" ? c.after.host : c.after.container;
                const Mount* m = mount_at(t, target);
                if (!m)
                    return fmt::format("no mount on {} in the {}'s table", target, view);
                if (m->fstype != fstype)
                    return fmt::format("{} is {} not {}", target, m->fstype, fstype);
                return {};
            }};
}

Check absent(const std::string& view, const std::string& target)
{
    return {fmt::format("the {} has nothing mounted on {}", view, target), [=](const StepContext& c) -> std::string {
                const MountTable& t = view == "lab host" ? c.after.host : c.after.container;
                if (const Mount* m = mount_at(t, target))
                    return fmt::format("{} is mounted on {} ({})", m->fstype, target, m->propagation());
                return {};
            }};
}

Check host_unchanged()
{
    return {"the lab host's mount table is unchanged", lab_host_changes};
}

Check data_is(const std::string& name, const std::string& key, const Json& expected)
{
    return {name, [=](const StepContext& c) -> std::string {
                if (!c.result.data.contains(key))
                    return fmt::format("the step reported no `{}`", key);
                if (c.result.data[key] != expected)
                    return fmt::format("`{}` is {}, expected {}", key, c.result.data[key].dump(), expected.dump());
                return {};
            }};
}

Check upper_has(const std::string& path, const std::string& kind)
{
    return {fmt::format("{} appears in upperdir as {}", path, kind), [=](const StepContext& c) -> std::string {
                if (!c.result.data.contains("upper_changes"))
                    return "the step did not report the upper layer";
                for (const auto& ch : c.result.data["upper_changes"])
                    if (ch.value("path", "") == path) {
                        if (ch.value("kind", "") == kind)
                            return {};
                        return fmt::format("{} appeared as {}", path, ch.value("kind", "?"));
                    }
                return fmt::format("nothing new at {} in upperdir ({})", path, c.result.data["upper_changes"].dump());
            }};
}

Check lower_untouched()
{
    return {"the lower layer's file is untouched", [](const StepContext& c) -> std::string {
                if (!c.result.data.contains("lower"))
                    return "no lower file was involved";
                return c.result.data["lower"].value("unchanged", false) ? std::string() : "the lower file changed";
            }};
}

std::string join(const std::vector<std::string>& v, const char* sep)
{
    std::string s;
    for (size_t i = 0; i < v.size(); ++i)
        s += (i ? sep : "") + v[i];
    return s;
}

} // namespace

const std::vector<Stage>& walkthrough_stages()
{
    static const std::vector<Stage> stages = {
        {"unshare", "A mount namespace of its own"},
        {"propagation", "Propagation: why / is made private"},
        {"overlay", "An overlay: image layers and a writable upper layer"},
        {"copy-up", "Copy-on-write: copy-up, whiteouts, opaque directories"},
        {"proc", "A /proc of its own in a new PID namespace"},
        {"pivot_root", "chroot against pivot_root: the escape"},
        {"compose", "A container is several namespaces"},
    };
    return stages;
}

std::vector<StepSpec> builtin_walkthrough(const std::vector<LayerSpec>& layers)
{
    const std::string c1 = kContainerDir;
    const std::string merged = c1 + "/merged";
    const std::string c2 = kPivotDir;
    const std::string merged2 = c2 + "/merged";
    // The first lowerdir is the topmost layer: the last layer listed wins.
    std::vector<std::string> lowers;
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
        lowers.push_back(layer_path(it->name));
    const std::string lowerdir = join(lowers, ":");
    auto overlay_op = [&](const std::string& dir) {
        return Json{{"op", "overlay"}, {"lowers", lowers}, {"upper", dir + "/upper"}, {"work", dir + "/work"}, {"target", dir + "/merged"}};
    };
    auto overlay_shell = [&](const std::string& dir) {
        // The engine's overlay has userxattr (every lab is a user namespace); mount(8)
        // needs the directories to exist, the engine's op makes them.
        return fmt::format("mkdir -p {0}/upper {0}/work {0}/merged\nmount -t overlay overlay -o lowerdir={1},upperdir={0}/upper,workdir={0}/work,userxattr {0}/merged",
                           dir, lowerdir);
    };
    auto overlay_syscall = [&](const std::string& dir) {
        return fmt::format("mount(\"overlay\", \"{}/merged\", \"overlay\", 0, \"lowerdir={},upperdir={}/upper,workdir={}/work,userxattr\")", dir,
                           lowerdir, dir, dir);
    };

    std::vector<StepSpec> steps;

    // 1 unshare
    steps.push_back({"unshare", "unshare-mount", "Give the container its own mount namespace", "unshare --mount --propagation unchanged",
                     "unshare(CLONE_NEWNS)",
                     "The new namespace starts as a copy of the lab host's mount table: same mounts, new mount IDs, "
                     "and a new namespace inode.",
                     Json{{"op", "unshare"}, {"namespaces", {"mount"}}},
                     "container",
                     true,
                     {{"the container's mount namespace inode changed",
                       [](const StepContext& c) -> std::string {
                           return c.result.data.value("mntns_before", 0ull) != c.result.data.value("mntns_after", 0ull)
                                      ? std::string()
                                      : "the inode is the same: no new namespace";
                       }},
                      {"the container's table is a copy of the lab host's",
                       [](const StepContext& c) -> std::string {
                           NormalDiff d = diff_normalised(normalise(MountTree(c.after.host.mounts)),
                                                          normalise(MountTree(c.after.container.mounts)));
                           return d.empty() ? std::string()
                                            : fmt::format("they differ: {} added, {} removed, {} changed", d.added.size(),
                                                          d.removed.size(), d.changed.size());
                       }},
                      host_unchanged()}});

    // 2 propagation
    steps.push_back({"propagation", "leak", "Mount a tmpfs before making / private: it leaks",
                     "mkdir -p /mnt/leak; mount -t tmpfs leak /mnt/leak", "mount(\"leak\", \"/mnt/leak\", \"tmpfs\", 0, NULL)",
                     "The lab host's / is shared (like a systemd host), and the copy in the container is in the same "
                     "peer group: a mount on either side propagates to the other.",
                     Json{{"op", "mount"}, {"source", "leak"}, {"target", "/mnt/leak"}, {"fstype", "tmpfs"}},
                     "container",
                     true,
                     {present("container", "/mnt/leak", "tmpfs"), present("lab host", "/mnt/leak", "tmpfs")}});
    steps.push_back({"propagation", "unleak", "Unmount it: the unmount propagates too", "umount /mnt/leak",
                     "umount2(\"/mnt/leak\", 0)", "",
                     Json{{"op", "umount"}, {"target", "/mnt/leak"}},
                     "container",
                     true,
                     {absent("container", "/mnt/leak"), absent("lab host", "/mnt/leak")}});
    steps.push_back({"propagation", "make-rprivate", "Make every mount in the container private",
                     "mount --make-rprivate /", "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)",
                     "What crun does first (runc makes / rslave instead, which still receives): with rprivate the "
                     "container's mounts leave their peer groups, so nothing propagates in either direction.",
                     Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}},
                     "container",
                     true,
                     {{"every mount in the container is private",
                       [](const StepContext& c) -> std::string {
                           for (const Mount& m : c.after.container.mounts)
                               if (!m.is_private())
                                   return fmt::format("{} is {}", m.target, m.propagation());
                           return {};
                       }},
                      {"the lab host's mounts are still shared",
                       [](const StepContext& c) -> std::string {
                           const Mount* root = mount_at(c.after.host, "/");
                           return root && root->is_shared() ? std::string() : "the lab host's / is no longer shared";
                       }},
                      host_unchanged()}});
    steps.push_back({"propagation", "no-leak", "Mount a tmpfs again: now the lab host does not see it",
                     "mkdir -p /mnt/private; mount -t tmpfs private /mnt/private", "mount(\"private\", \"/mnt/private\", \"tmpfs\", 0, NULL)", "",
                     Json{{"op", "mount"}, {"source", "private"}, {"target", "/mnt/private"}, {"fstype", "tmpfs"}},
                     "container",
                     true,
                     {present("container", "/mnt/private", "tmpfs"), absent("lab host", "/mnt/private"), host_unchanged()}});

    // 3 overlay
    steps.push_back({"overlay", "mount-overlay", "Mount the image's layers as an overlay", overlay_shell(c1),
                     overlay_syscall(c1),
                     "lowerdir lists read-only layers, the first on top; writes go to upperdir; workdir is overlayfs's "
                     "scratch space on the same mount as upperdir.",
                     overlay_op(c1),
                     "container",
                     true,
                     {present("container", merged, "overlay"),
                      {"the overlay's options name every layer, the first lowerdir on top",
                       [=](const StepContext& c) -> std::string {
                           const Mount* m = mount_at(c.after.container, merged);
                           if (!m)
                               return "no overlay";
                           return m->super_options.find("lowerdir=" + lowerdir) != std::string::npos
                                      ? std::string()
                                      : "options are " + m->super_options;
                       }},
                      absent("lab host", merged), host_unchanged()}});
    steps.push_back({"overlay", "merged-view", "Look at the merged view: the top layer wins", "cat " + merged + "/etc/motd",
                     "", "Files of every layer show in the merged directory; where two layers have the same file, the "
                     "upper one hides the lower.",
                     Json{{"op", "read"}, {"path", merged + "/etc/motd"}},
                     "container",
                     true,
                     {{"/etc/motd comes from the tools layer, hiding the base layer's",
                       [](const StepContext& c) -> std::string {
                           const std::string t = c.result.data.value("content", "");
                           return t.find("tools layer") != std::string::npos ? std::string() : "it reads: " + t;
                       }}}});

    // 4 copy-up
    steps.push_back({"copy-up", "write", "Write to a file of a lower layer: copy-up",
                     "echo 'changed in the container' > " + merged + "/etc/motd",
                     "openat(AT_FDCWD, \"" + merged + "/etc/motd\", O_WRONLY|O_CREAT|O_TRUNC) + write()",
                     "Lower layers are read-only: overlayfs first copies the file up into upperdir, then writes there.",
                     Json{{"op", "write"}, {"path", merged + "/etc/motd"}, {"content", "changed in the container\n"}},
                     "container",
                     true,
                     {upper_has("/etc/motd", "copied-up"), lower_untouched()}});
    steps.push_back({"copy-up", "delete", "Delete a lower file: a whiteout", "rm " + merged + "/var/log/base.log",
                     "unlink(\"" + merged + "/var/log/base.log\")",
                     "The lower file cannot be deleted; a whiteout (a character device 0/0) in upperdir hides it.",
                     Json{{"op", "remove"}, {"path", merged + "/var/log/base.log"}},
                     "container",
                     true,
                     {upper_has("/var/log/base.log", "whiteout"), lower_untouched()}});
    steps.push_back({"copy-up", "delete-dir", "Delete a lower directory", "rm -r " + merged + "/app/config",
                     "unlink() each file, then rmdir(\"" + merged + "/app/config\")", "",
                     Json{{"op", "remove"}, {"path", merged + "/app/config"}, {"recursive", true}},
                     "container",
                     true,
                     {upper_has("/app/config", "whiteout")}});
    steps.push_back({"copy-up", "opaque", "Make the directory again: an opaque directory", "mkdir " + merged + "/app/config",
                     "mkdir(\"" + merged + "/app/config\", 0755)",
                     "The new directory must not show the lower one's old files: overlayfs marks it opaque "
                     "(xattr user.overlay.opaque=y: the lab is a user namespace, so the overlay has userxattr; "
                     "trusted.overlay.opaque=y when the machine's real root mounts it).",
                     Json{{"op", "mkdir"}, {"path", merged + "/app/config"}},
                     "container",
                     true,
                     {upper_has("/app/config", "opaque-dir")}});

    // 5 /proc
    steps.push_back({"proc", "unshare-pid", "A new PID namespace: the next child is its PID 1", "unshare --pid --fork",
                     "unshare(CLONE_NEWPID) + fork()",
                     "unshare(CLONE_NEWPID) does not move the caller: its next child is PID 1 of the new namespace, "
                     "and becomes the container.",
                     Json{{"op", "unshare"}, {"namespaces", {"pid"}}},
                     "container",
                     true,
                     {data_is("the engine forked the container's PID 1", "needs_fork", true)}});
    steps.push_back({"proc", "mount-proc", "Mount a proc for the new PID namespace", "mount -t proc -o nosuid,nodev,noexec proc /proc",
                     "mount(\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)",
                     "A proc mount shows the PID namespace of the process that mounted it.",
                     Json{{"op", "proc"}, {"path", "/proc"}},
                     "container",
                     true,
                     {{"only the container's own PID 1 is visible in its /proc",
                       [](const StepContext& c) -> std::string {
                           const Json& pids = c.result.data.value("pids", Json::array());
                           if (pids.size() == 1 && pids[0].value("pid", 0) == 1)
                               return {};
                           return "visible: " + pids.dump();
                       }},
                      host_unchanged()}});
    steps.push_back({"proc", "ps", "ps in the container sees only the container", "ps", "", "",
                     Json{{"op", "exec"}, {"argv", {"ps", "-o", "pid,comm"}}},
                     "container",
                     true,
                     {{"ps lists PID 1 and itself, nothing of the lab host",
                       [](const StepContext& c) -> std::string {
                           const std::string out = c.result.data.value("stdout", "");
                           const auto lines = std::count(out.begin(), out.end(), '\n');
                           return lines == 3 ? std::string() : "ps printed:\n" + out;
                       }}}});
    steps.push_back({"proc", "proc-in-rootfs", "Mount proc in the container's future root as well",
                     "mount -t proc -o nosuid,nodev,noexec proc " + merged + "/proc",
                     "mount(\"proc\", \"" + merged + "/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)", "",
                     Json{{"op", "proc"}, {"path", merged + "/proc"}},
                     "container",
                     true,
                     {present("container", merged + "/proc", "proc")}});

    // 6 chroot against pivot_root
    steps.push_back({"pivot_root", "chroot", "chroot into the overlay", "chroot " + merged,
                     "chdir(\"" + merged + "\") + chroot(\".\")",
                     "chroot changes only where path lookup starts for this process. Its mountinfo now shows "
                     "paths from the new root and leaves out mounts outside it: they are still there, in the same "
                     "mount namespace.",
                     Json{{"op", "chroot"}, {"path", merged}},
                     "container",
                     true,
                     {}});
    steps.push_back({"pivot_root", "chroot-escape", "Try the chroot escape: it works",
                     "chroot-escape cat /HOST_SECRET",
                     "mkdir(\"/.chroot-escape\") + chroot(\"/.chroot-escape\") + chdir(\"..\") until it stops moving + chroot(\".\")",
                     "Holding a directory outside a chroot, \"..\" climbs up to the root of the mount namespace: the "
                     "lab host's root, with its secret.",
                     Json{{"op", "escape"}},
                     "container",
                     true,
                     {data_is("the escape reached the lab host's root", "landed", "lab host root"),
                      data_is("/HOST_SECRET is readable", "secret_readable", true)}});
    steps.push_back({"pivot_root", "reset", "Start a fresh container", "", "kill the container; fork a new one", "",
                     Json{{"op", "reset_container"}},
                     "lab",
                     true,
                     {}});
    steps.push_back({"pivot_root", "unshare-again", "Its own mount namespace", "unshare --mount --propagation unchanged",
                     "unshare(CLONE_NEWNS)", "", Json{{"op", "unshare"}, {"namespaces", {"mount"}}}, "container", true, {}});
    steps.push_back({"pivot_root", "private-again", "Make / private", "mount --make-rprivate /",
                     "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)", "",
                     Json{{"op", "propagation"}, {"path", "/"}, {"type", "private"}, {"recursive", true}}, "container", true,
                     {host_unchanged()}});
    steps.push_back({"pivot_root", "overlay-again", "Mount the layers for the new container", overlay_shell(c2),
                     overlay_syscall(c2), "", overlay_op(c2), "container", true, {present("container", merged2, "overlay")}});
    steps.push_back({"pivot_root", "pivot-not-mountpoint", "pivot_root to a plain directory fails",
                     "pivot_root " + c2 + " " + c2 + "/old",
                     "pivot_root(\"" + c2 + "\", \"" + c2 + "/old\") = -1 EINVAL",
                     "new_root must be a mount point. The engine reads the mount table to say which of pivot_root's "
                     "documented causes applies. In the lab it is EINVAL (the lab's root mount is locked, having "
                     "replaced one inherited from the machine), where a real root gets EBUSY.",
                     Json{{"op", "pivot_root"}, {"new_root", c2}, {"put_old", c2 + "/old"}},
                     "container",
                     false,
                     {{"the error names the cause: new_root is not a mount point",
                       [](const StepContext& c) -> std::string {
                           return c.result.cause.find("not a mount point") != std::string::npos
                                      ? std::string()
                                      : "cause: " + (c.result.cause.empty() ? std::string("(none)") : c.result.cause);
                       }}}});
    steps.push_back({"pivot_root", "pivot", "pivot_root into the overlay, as runc does", "cd " + merged2 + "; pivot_root . .; busybox mount --make-rslave .; busybox umount -l .; cd /",
                     "pivot_root(\".\", \".\") + mount(NULL, \".\", NULL, MS_SLAVE|MS_REC, NULL) + umount2(\".\", MNT_DETACH)",
                     "pivot_root(\".\", \".\") stacks the old root on the new one; detaching it leaves nothing of the "
                     "lab host reachable. runc makes it a slave first so the unmount cannot propagate back.",
                     Json{{"op", "pivot_root_runc"}, {"new_root", merged2}},
                     "container",
                     true,
                     {{"the container's root is now the overlay",
                       [](const StepContext& c) -> std::string {
                           const Mount* root = mount_at(c.after.container, "/");
                           return root && root->fstype == "overlay" ? std::string()
                                                                    : "the root is " + (root ? root->fstype : std::string("missing"));
                       }},
                      {"no mount of the lab host is left in the container",
                       [](const StepContext& c) -> std::string {
                           for (const Mount& m : c.after.container.mounts)
                               if (m.target.rfind("/images", 0) == 0 || m.target.rfind("/dev", 0) == 0)
                                   return m.target + " is still there";
                           return {};
                       }},
                      host_unchanged()}});
    steps.push_back({"pivot_root", "pivot-escape", "Try the same escape: nothing above the root",
                     "chroot-escape cat /HOST_SECRET",
                     "mkdir(\"/.chroot-escape\") + chroot(\"/.chroot-escape\") + chdir(\"..\") until it stops moving + chroot(\".\")",
                     "\"..\" stops at the namespace's root, which is now the container's own.",
                     Json{{"op", "escape"}},
                     "container",
                     true,
                     {data_is("the escape stays in the container's root", "landed", "container root"),
                      data_is("/HOST_SECRET is not readable", "secret_readable", false)}});

    // + compose
    steps.push_back({"compose", "uts", "A UTS namespace: a hostname of its own", "unshare --uts --ipc --net\nhostname container",
                     "unshare(CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET) + sethostname(\"container\")",
                     "A mount namespace alone is not a container: the hostname, IPC and network are still the lab "
                     "host's until they are unshared too.",
                     Json{{"op", "unshare"}, {"namespaces", {"uts", "ipc", "net"}}, {"hostname", "container"}},
                     "container",
                     true,
                     {}});
    steps.push_back({"compose", "hostname", "The container's hostname", "hostname", "uname()", "",
                     Json{{"op", "exec"}, {"argv", {"hostname"}}},
                     "container",
                     true,
                     {{"the container calls itself `container`",
                       [](const StepContext& c) -> std::string {
                           return c.result.data.value("stdout", "") == "container\n" ? std::string()
                                                                                     : "it says " + c.result.data.value("stdout", "");
                       }}}});
    steps.push_back({"compose", "host-hostname", "The lab host's hostname is untouched", "hostname", "uname()", "",
                     Json{{"op", "exec"}, {"argv", {"hostname"}}},
                     "lab host",
                     true,
                     {{"the lab host still calls itself `labhost`",
                       [](const StepContext& c) -> std::string {
                           return c.result.data.value("stdout", "") == "labhost\n" ? std::string()
                                                                                   : "it says " + c.result.data.value("stdout", "");
                       }}}});
    // What the learner reads for the steps whose point is their result.
    static const std::map<std::string, std::string> more = {
        {"propagation/unleak", "An unmount propagates like a mount: the peer on the lab host goes too."},
        {"propagation/no-leak", "With / private the new tmpfs joins no peer group, so the lab host's table stays as it was."},
        {"copy-up/delete-dir", "Deleting a directory of a lower layer cannot touch the layer: overlayfs puts a whiteout "
                               "for it in upper, and the merged view no longer shows it."},
        {"proc/ps", "ps reads /proc: with the container's own proc, it lists the container's PID namespace only."},
        {"proc/proc-in-rootfs", "A proc can be mounted anywhere: here in the overlay, the root this container could "
                                "pivot into, as runc and crun mount ROOTFS/proc before pivot_root. (This container "
                                "will not pivot: the chroot escape comes next, then a fresh container.)"},
        {"pivot_root/reset", "The chroot escape showed chroot is no boundary: start over with a fresh container to try pivot_root."},
        {"pivot_root/unshare-again", "As before: the new container's own mount namespace, a copy whose mounts are still "
                                     "peers of the lab host's until the next step makes them private."},
        {"pivot_root/private-again", "pivot_root refuses (EINVAL) when the new root, its parent or the current root's "
                                     "parent mount is shared: make sure nothing is."},
        {"pivot_root/overlay-again", "The image's layers again, as the new container's future root."},
        {"compose/hostname", "The container's UTS namespace has its own hostname."},
        {"compose/host-hostname", "Setting it changed nothing outside: the lab host keeps its name."},
    };
    for (size_t i = 0; i < steps.size(); ++i) {
        steps[i].lesson = "walkthrough";
        steps[i].index = static_cast<int>(i);
        if (steps[i].explain.empty())
            if (auto it = more.find(steps[i].stage + "/" + steps[i].id); it != more.end())
                steps[i].explain = it->second;
    }
    return steps;
}

stream::Json walkthrough_event(const std::vector<StepSpec>& steps)
{
    stream::Json list = stream::Json::array();
    for (size_t i = 0; i < steps.size(); ++i)
        list.push_back({{"index", i},
                        {"stage", steps[i].stage},
                        {"id", steps[i].id},
                        {"title", steps[i].title},
                        {"shell", steps[i].shell},
                        {"syscall", steps[i].syscall},
                        {"explain", steps[i].explain},
                        {"where", steps[i].where}});
    stream::Json stages = stream::Json::array();
    for (const auto& s : walkthrough_stages())
        stages.push_back({{"id", s.id}, {"title", s.title}});
    return stream::Json{{"kind", "walkthrough"}, {"stages", stages}, {"steps", list}};
}

} // namespace mountlab::lab
