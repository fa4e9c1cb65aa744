#include "lab/callfeed.h"

#include "base/jsonget.h"
#include "stream/traceevents.h"

#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mountlab::lab {

using Clock = std::chrono::steady_clock;

Result<std::vector<Json>> TracerFeed::drain()
{
    std::vector<Json> calls;
    const std::uint64_t dropped_before = tracer_->dropped();
    auto n = tracer_->drain([&](const trace::SyscallEvent& e) { calls.push_back(stream::syscall(e)); });
    if (!n)
        return n.error();
    if (const std::uint64_t lost = tracer_->dropped() - dropped_before)
        calls.push_back(stream::lost(lost));
    return calls;
}

std::string find_tracer_helper()
{
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    std::vector<std::string> candidates;
    if (n > 0) {
        std::string dir(exe, static_cast<size_t>(n));
        dir = dir.substr(0, dir.rfind('/'));
        candidates.push_back(dir + "/mountlab-tracer");                     // a build tree
        candidates.push_back(dir + "/../libexec/mountlab/mountlab-tracer"); // an installed prefix
    }
#ifdef MOUNTLAB_LIBEXECDIR
    candidates.push_back(std::string(MOUNTLAB_LIBEXECDIR) + "/mountlab/mountlab-tracer");
#endif
    // The canonical path: polkit matches it against the action's exec.path.
    char real[PATH_MAX];
    for (const std::string& c : candidates)
        if (access(c.c_str(), X_OK) == 0 && realpath(c.c_str(), real))
            return real;
    return {};
}

namespace {

// What pkexec's exit status and words mean, for a learner.
std::string launcher_failure(const std::vector<std::string>& argv, int status, const std::string& said)
{
    const bool pkexec = !argv.empty() && argv[0].find("pkexec") != std::string::npos;
    std::string cause;
    if (WIFEXITED(status) && pkexec && WEXITSTATUS(status) == 126)
        cause = "the request for the password was dismissed";
    else if (pkexec && (said.find("Error getting authority") != std::string::npos ||
                        said.find("Could not connect") != std::string::npos))
        cause = "pkexec cannot reach polkit: no D-Bus system bus or polkit daemon runs on this machine";
    else if (pkexec &&
             (said.find("No authentication agent") != std::string::npos || said.find("no agent") != std::string::npos))
        cause = "there is no polkit authentication agent to ask for the password";
    else if (pkexec && said.find("Not authorized") != std::string::npos)
        cause = "polkit refused: this user may not trace system calls";
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        cause = fmt::format("`{}` could not be run", argv.empty() ? "" : argv[0]);
    else
        cause = "the tracer helper did not start";
    std::string how = WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status))
                                        : fmt::format("signal {}", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    std::string first_line = said.substr(0, said.find('\n'));
    return fmt::format("{} ({}{}{})", cause, how, first_line.empty() ? "" : ": ", first_line.substr(0, 300));
}

std::string random_nonce()
{
    std::random_device rd;
    return fmt::format("{:08x}{:08x}", rd(), rd());
}

} // namespace

Result<std::unique_ptr<HelperFeed>> HelperFeed::start(const std::vector<std::string>& argv, int ready_timeout_ms)
{
    if (argv.empty())
        return Error{EINVAL, "no tracer helper to start"};
    auto out = make_pipe(O_CLOEXEC);
    if (!out)
        return out.error();
    auto err = make_pipe(O_CLOEXEC);
    if (!err)
        return err.error();
    auto& [out_r, out_w] = *out;
    auto& [err_r, err_w] = *err;
    const pid_t pid = fork();
    if (pid < 0)
        return system_error(errno, "fork the tracer helper");
    if (pid == 0) {
        // It must not read our commands: stdin is /dev/null.
        UniqueFd null(open("/dev/null", O_RDONLY));
        dup2(null.get(), 0);
        dup2(out_w.get(), 1);
        dup2(err_w.get(), 2);
        // Only its copy on 0 goes on to the helper (the pipes' own ends close on exec).
        if (null.get() > 2)
            null.reset();
        std::vector<char*> args;
        for (const std::string& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        const std::string msg = fmt::format("{}: {}\n", argv[0], strerror(errno));
        (void)!write(2, msg.data(), msg.size());
        _exit(127);
    }
    out_w.reset();
    err_w.reset();
    std::unique_ptr<HelperFeed> feed(new HelperFeed());
    feed->pid_ = pid;
    feed->out_ = std::move(out_r);
    UniqueFd err_fd = std::move(err_r);
    feed->nonce_ = random_nonce();
    auto hello = feed->next_line(ready_timeout_ms);
    Json j = hello ? Json::parse(*hello, nullptr, false) : Json();
    if (!hello || !json_bool(j, "ready")) {
        // Gone, refused, or too slow: say why, in its words and ours.
        std::string said;
        char buf[4096];
        fcntl(err_fd.get(), F_SETFL, O_NONBLOCK);
        ssize_t r;
        while ((r = read(err_fd.get(), buf, sizeof buf)) > 0 && said.size() < 8192)
            said.append(buf, static_cast<size_t>(r));
        if (j.is_object() && !json_string(j, "error").empty())
            said = json_string(j, "error");
        feed->out_.reset();
        int status = 0;
        if (!hello && hello.error().errnum == ETIMEDOUT) {
            kill(pid, SIGTERM); // still ours while it is pkexec waiting for a password
            waitpid(pid, &status, 0);
            return Error{ETIMEDOUT,
                         fmt::format("the tracer helper did not attach within {} s", ready_timeout_ms / 1000)};
        }
        waitpid(pid, &status, 0);
        feed->pid_ = -1;
        return Error{EPERM, launcher_failure(argv, status, said)};
    }
    feed->hello_ = std::move(j);
    return feed;
}

HelperFeed::~HelperFeed()
{
    // Closing its stdout ends it (its next write fails, and it watches for that).
    out_.reset();
    if (pid_ > 0) {
        int status = 0;
        for (int i = 0; i < 200 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
            usleep(5000);
    }
}

Result<std::string> HelperFeed::next_line(int timeout_ms)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (const size_t nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return Error{ETIMEDOUT, "the tracer helper said nothing in time"};
        pollfd p{out_.get(), POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        char buf[65536];
        const ssize_t n = read(out_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error{EPIPE, "the tracer helper exited"};
        buffer_.append(buf, static_cast<size_t>(n));
        if (buffer_.size() > (64u << 20))
            return Error{EPROTO, "the tracer helper sent a line of more than 64 MiB"};
    }
}

Result<std::vector<Json>> HelperFeed::drain()
{
    std::vector<Json> calls;
    if (broken_)
        return Error{EPIPE, "the tracer helper is gone"};
    // Mark this moment in the trace with a call of our own: the ring buffer is in
    // order, so once the helper reports the mark, every call the lab finished before
    // it has been handed over. The flags make the kernel refuse it outright. A mark the
    // kernel could not hand over (a full ring buffer) is made again, a few times.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const std::string mark = fmt::format("{}{}-{}", kSyncPrefix, nonce_, ++sync_count_);
        (void)umount2(mark.c_str(), kSyncFlags);
        const auto deadline = Clock::now() + std::chrono::seconds(2);
        while (Clock::now() < deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            auto line = next_line(static_cast<int>(std::max<long long>(1, left)));
            if (!line) {
                if (line.error().errnum == ETIMEDOUT)
                    break; // make the mark again
                broken_ = true;
                return line.error();
            }
            Json j = Json::parse(*line, nullptr, false);
            if (!j.is_object())
                continue;
            const std::string kind = json_string(j, "kind");
            if (kind == "sync") {
                if (json_string(j, "mark") == mark)
                    return calls;
                continue; // an earlier mark
            }
            if (kind == "syscall" || kind == "lost")
                calls.push_back(std::move(j));
        }
    }
    // The calls so far, and a word that the rest may be missing; the next drain tries again.
    calls.push_back(stream::lost(std::nullopt));
    return calls;
}

} // namespace mountlab::lab
