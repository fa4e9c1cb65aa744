#include "lab/lab.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {

// busybox's applets, asked once per engine process.
const std::vector<std::string>& busybox_applets()
{
    static const std::vector<std::string> applets = [] {
        std::vector<std::string> out;
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0)
            return out;
        const pid_t pid = fork();
        if (pid == 0) {
            dup2(p[1], 1);
            execl("/bin/busybox", "busybox", "--list", nullptr);
            _exit(127);
        }
        close(p[1]);
        std::string text;
        char buf[4096];
        ssize_t r;
        while ((r = read(p[0], buf, sizeof buf)) > 0)
            text.append(buf, static_cast<size_t>(r));
        close(p[0]);
        waitpid(pid, nullptr, 0);
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
    }();
    return applets;
}

Status write_proc_file(pid_t pid, const char* file, const std::string& text)
{
    const std::string path = fmt::format("/proc/{}/{}", pid, file);
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return system_error(errno, fmt::format("open `{}`", path));
    const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int e = errno;
    close(fd);
    if (!ok)
        return system_error(e, fmt::format("write `{}`", path));
    return Ok{};
}

} // namespace

Result<std::unique_ptr<Lab>> Lab::start(const LabOptions& options)
{
    std::unique_ptr<Lab> lab(new Lab());
    lab->options_ = options;
    lab->rootless_ = options.privilege == LabOptions::Privilege::Rootless ||
                     (options.privilege == LabOptions::Privilege::Auto && geteuid() != 0);
    if (access("/bin/busybox", X_OK) != 0)
        return Error{ENOENT, "`/bin/busybox` is missing: the lab's root is built from Debian's busybox-static "
                             "(apt-get install busybox-static)"};
    if (Status s = lab->spawn(); !s)
        return s.error();
    return lab;
}

Status Lab::spawn()
{
    const auto& applets = busybox_applets();
    auto pair = Channel::pair();
    if (!pair)
        return pair.error();
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
    if (rootless_)
        flags |= CLONE_NEWUSER;
    const long uid = options_.outside_id >= 0 ? options_.outside_id : static_cast<long>(geteuid());
    const long gid = options_.outside_id >= 0 ? options_.outside_id : static_cast<long>(getegid());
    // Like fork(), with new namespaces: the child is PID 1 of its PID namespace.
    const long pid = syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid < 0) {
        const int e = errno;
        Error err = system_error(e, "clone the lab host into new namespaces");
        if (e == EPERM)
            err.message += rootless_ ? ": unprivileged user namespaces are disabled here "
                                       "(sysctl kernel.unprivileged_userns_clone or user.max_user_namespaces)"
                                     : ": creating namespaces needs CAP_SYS_ADMIN";
        return err;
    }
    if (pid == 0) {
        pair->first.close();
        lab_host_main(std::move(pair->second), options_, applets, rootless_);
    }
    pid_ = static_cast<pid_t>(pid);
    channel_ = std::move(pair->first);
    pair->second.close();
    if (rootless_) {
        // root inside the lab is the caller outside; all an unprivileged process may map.
        Status s = write_proc_file(pid_, "setgroups", "deny");
        if (s)
            s = write_proc_file(pid_, "uid_map", fmt::format("0 {} 1", uid));
        if (s)
            s = write_proc_file(pid_, "gid_map", fmt::format("0 {} 1", gid));
        if (!s) {
            stop();
            return s;
        }
    }
    if (options_.on_spawn)
        options_.on_spawn(pid_);
    auto ready = channel_.call(Json{{"op", "start"}}, options_.timeout_ms);
    if (!ready || !ready->value("ready", false)) {
        Error e = ready ? Error{errno_from_name(ready->value("errno", std::string())),
                                "the lab host could not set up: " + ready->value("error", std::string("?"))}
                        : ready.error();
        stop();
        return e;
    }
    info_ = *ready;
    container_pid_ = info_.value("container_pid", -1);
    return Ok{};
}

void Lab::stop()
{
    if (pid_ > 0) {
        if (channel_.valid())
            (void)channel_.call(Json{{"op", "shutdown"}}, 1000);
        channel_.close();
        // The lab host is PID 1 of the lab: killing it ends every lab process.
        kill(pid_, SIGKILL);
        while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }
}

Lab::~Lab() { stop(); }

Result<OpResult> Lab::call(Json request, int timeout_ms)
{
    if (!channel_.valid())
        return Error{ESRCH, "the lab is not running"};
    auto reply = channel_.call(request, timeout_ms);
    if (!reply)
        return reply.error();
    OpResult r;
    r.ok = reply->value("ok", false);
    if ((*reply)["errno"].is_string())
        r.err = errno_from_name((*reply)["errno"].get<std::string>());
    r.message = reply->value("error", std::string());
    r.cause = reply->value("cause", std::string());
    if (reply->contains("data"))
        r.data = (*reply)["data"];
    if (r.data.contains("container_pid"))
        container_pid_ = r.data["container_pid"].get<pid_t>();
    return r;
}

Result<OpResult> Lab::in_container(const Json& request)
{
    Json r = request;
    r["to"] = "container";
    const int timeout = request.value("op", "") == "exec" ? request.value("timeout_ms", 5000) + 4000 : options_.timeout_ms;
    return call(r, timeout);
}

Result<OpResult> Lab::in_lab_host(const Json& request)
{
    const int timeout = request.value("op", "") == "exec" ? request.value("timeout_ms", 5000) + 4000 : options_.timeout_ms;
    return call(request, timeout);
}

Result<Snapshot> Lab::snapshot()
{
    auto r = call(Json{{"op", "snapshot"}}, options_.timeout_ms);
    if (!r)
        return r.error();
    if (!r->ok)
        return Error{r->err, r->message};
    Snapshot s;
    s.host = parse_mountinfo(r->data.value("host", std::string()), "lab host");
    s.container = parse_mountinfo(r->data.value("container", std::string()), "container");
    s.host_mntns = r->data.value("host_mntns", 0ull);
    s.container_mntns = r->data.value("container_mntns", 0ull);
    return s;
}

Status Lab::reset_container()
{
    auto r = call(Json{{"op", "reset_container"}}, options_.timeout_ms);
    if (!r)
        return r.error();
    if (!r->ok)
        return Error{r->err, r->message};
    return Ok{};
}

Status Lab::reset_lab()
{
    stop();
    return spawn();
}

} // namespace mountlab::lab
