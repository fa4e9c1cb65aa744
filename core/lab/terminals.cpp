#include "lab/terminals.h"

#include "base/base64.h"
#include "base/fd.h"
#include "lab/terminal.h"
#include "mount/mountinfo.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

namespace mountlab::lab {

namespace {
int ms_until(Terminals::Clock::time_point t)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t - Terminals::Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left) + 1;
}
} // namespace

Result<int> Terminals::open(const std::string& where, int rows, int cols, bool own_pid_namespace)
{
    auto t = lab_.open_terminal(where, rows, cols, own_pid_namespace);
    if (!t)
        return t.error();
    // Non-blocking: a shell that stops reading must not stop the engine.
    const int flags = fcntl(t->master.get(), F_GETFL);
    if (flags < 0 || fcntl(t->master.get(), F_SETFL, flags | O_NONBLOCK) != 0)
        return system_error(errno, "make the terminal's PTY non-blocking");
    const int id = next_id_++;
    Open o;
    o.where = where;
    o.pid = t->pid;
    o.master = std::move(t->master);
    sink_(stream::terminal_opened({id, where, t->shell, t->pid, rows, cols, own_pid_namespace}));
    open_.emplace(id, std::move(o));
    if (where == "container")
        last_container_ = id;
    return id;
}

namespace {
// The second PID of /proc/PID/status's NSpid line: the PID in the namespace one level
// below this process's (the lab's, which the lab host was cloned into). -1 when this
// /proc shows no such line.
pid_t pid_one_level_down(pid_t pid)
{
    std::string status;
    {
        const UniqueFd fd(::open(fmt::format("/proc/{}/status", pid).c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd)
            return -1;
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd.get(), buf, sizeof buf)) > 0 && status.size() < 65536)
            status.append(buf, static_cast<size_t>(n));
    }
    const size_t at = status.find("\nNSpid:");
    if (at == std::string::npos)
        return -1;
    const std::string line = status.substr(at + 8, status.find('\n', at + 8) - (at + 8));
    long ids[2] = {-1, -1};
    if (std::sscanf(line.c_str(), "%ld %ld", &ids[0], &ids[1]) != 2 || ids[0] != pid || ids[1] <= 0)
        return -1;
    return static_cast<pid_t>(ids[1]);
}

// The member of a process group started last: `unshare --pid --fork` leads the group and
// waits, and its child (the shell in the new namespace) is where the learner types.
pid_t newest_in_group(pid_t group)
{
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return group;
    pid_t best = group;
    unsigned long long best_start = 0;
    while (const dirent* d = ::readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(d->d_name, &end, 10);
        if (pid <= 0 || *end != '\0')
            continue;
        const auto stat = read_whole_file(fmt::format("/proc/{}/stat", pid));
        const size_t paren = stat ? stat->rfind(')') : std::string::npos;
        if (paren == std::string::npos)
            continue;
        // After the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt
        // majflt cmajflt utime stime cutime cstime priority nice num_threads itrealvalue
        // starttime (fields 3 to 22).
        long pgrp = 0;
        unsigned long long start = 0;
        if (std::sscanf(stat->c_str() + paren + 2,
                        "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &pgrp,
                        &start) == 2 &&
            pgrp == group && start >= best_start) {
            best_start = start;
            best = static_cast<pid_t>(pid);
        }
    }
    ::closedir(proc);
    return best;
}
} // namespace

pid_t Terminals::container_foreground() const
{
    auto it = open_.find(last_container_);
    if (it == open_.end() || it->second.hung_up)
        return -1;
    // The foreground process group of the PTY, as a PID of the engine's namespace: an
    // interactive shell makes itself the leader of its group, and so does each job it runs.
    const pid_t group = ::tcgetpgrp(it->second.master.get());
    if (group <= 0)
        return -1;
    // The terminal's own shell at its prompt (the session's leader) is not followed: it
    // stays where it started when a step unshares the container process, and the view
    // is then the container's. What the shell runs (`unshare --mount bash`, `chroot DIR`)
    // is a job of its own, and followed.
    if (group == ::tcgetsid(it->second.master.get()))
        return -1;
    return pid_one_level_down(newest_in_group(group));
}

Status Terminals::input(int id, std::string_view bytes)
{
    auto it = open_.find(id);
    if (it == open_.end())
        return Error{ENOENT, fmt::format("terminal-input: no open terminal {}", id)};
    it->second.input.append(bytes);
    write_input(it->second);
    return Ok{};
}

Status Terminals::resize(int id, int rows, int cols)
{
    auto it = open_.find(id);
    if (it == open_.end())
        return Error{ENOENT, fmt::format("terminal-resize: no open terminal {}", id)};
    return set_window_size(it->second.master.get(), rows, cols);
}

Status Terminals::close(int id)
{
    auto it = open_.find(id);
    if (it == open_.end())
        return Error{ENOENT, fmt::format("terminal-close: no open terminal {}", id)};
    finish(id, it->second, "closed", true);
    open_.erase(it);
    return Ok{};
}

void Terminals::close_in(const std::string& where, const std::string& reason)
{
    for (auto it = open_.begin(); it != open_.end();) {
        if (where.empty() || it->second.where == where) {
            finish(it->first, it->second, reason, false);
            it = open_.erase(it);
        } else {
            ++it;
        }
    }
}

std::vector<pollfd> Terminals::fds() const
{
    std::vector<pollfd> out;
    for (const auto& [id, t] : open_)
        out.push_back(pollfd{t.master.get(), static_cast<short>(POLLIN | (t.input.empty() ? 0 : POLLOUT)), 0});
    return out;
}

void Terminals::read_output(int id, Open& t)
{
    char buf[16384];
    while (true) {
        const ssize_t n = read(t.master.get(), buf, sizeof buf);
        if (n > 0) {
            if (t.output.empty())
                t.output_since = Clock::now();
            t.read_at = Clock::now();
            std::vector<CommandReport> found;
            t.output.append(t.reports.feed(std::string_view(buf, static_cast<size_t>(n)), found));
            for (CommandReport& r : found) {
                // Each prompt says the last command; one it said already was no new
                // command (an empty line, Ctrl+C at the prompt).
                const auto [it, first] = t.last_reported.try_emplace({r.pid, r.shell_level}, r.n);
                if (first || r.n == 0 || r.n == it->second)
                    continue;
                it->second = r.n;
                commands_.push_back(TypedCommand{id, t.where, std::move(r)});
            }
            last_output_ = Clock::now();
            if (!active_since_)
                active_since_ = last_output_;
            last_where_ = t.where;
            if (t.where == "container")
                last_container_ = id;
            if (t.output.size() >= kMaxEventBytes)
                flush(id, t);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        // EIO (Linux) or 0: no process holds the slave any more, the shell is gone.
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            t.hung_up = true;
        return;
    }
}

void Terminals::write_input(Open& t)
{
    while (!t.input.empty()) {
        const ssize_t w = write(t.master.get(), t.input.data(), t.input.size());
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                t.input.clear(); // the shell is gone: its exit is noticed on read
            return;
        }
        t.input.erase(0, static_cast<size_t>(w));
    }
}

void Terminals::flush(int id, Open& t)
{
    if (t.output.empty())
        return;
    sink_(stream::terminal_data(id, t.output));
    t.output.clear();
}

void Terminals::finish(int id, Open& t, const std::string& reason, bool wait_for_exit)
{
    read_output(id, t);
    t.output.append(t.reports.take_pending());
    flush(id, t);
    t.master.reset(); // a hangup for the shell's session when it still runs
    std::optional<int> exit;
    if (wait_for_exit) {
        auto status = lab_.terminal_exit(t.where, t.pid);
        if (status && *status)
            exit = **status;
        else if (!status)
            sink_(stream::log("warning", fmt::format("terminal {}: its shell's exit status is unknown: {}", id,
                                                     status.error().message)));
    }
    sink_(stream::terminal_closed({id, exit, reason}));
    // The shell may have changed the tables on its way out (a nested namespace ended).
    if (!active_since_)
        active_since_ = Clock::now();
    last_output_ = Clock::now();
    last_where_ = t.where;
}

void Terminals::service(const std::vector<pollfd>& ready)
{
    for (const pollfd& p : ready) {
        if (!p.revents)
            continue;
        for (auto& [id, t] : open_) {
            if (t.master.get() != p.fd)
                continue;
            if (p.revents & POLLOUT)
                write_input(t);
            if (p.revents & (POLLIN | POLLHUP | POLLERR))
                read_output(id, t);
        }
    }
    const auto now = Clock::now();
    for (auto it = open_.begin(); it != open_.end();) {
        Open& t = it->second;
        // The start of what may have been a report, and nothing after it: it was not one
        // (a program wrote ESC or ESC ] last and waits), so it is shown.
        if (t.reports.pending() && now - t.read_at >= kQuiet) {
            if (t.output.empty())
                t.output_since = now - kCoalesce;
            t.output.append(t.reports.take_pending());
        }
        if (!t.output.empty() && (now - t.output_since >= kCoalesce || t.hung_up))
            flush(it->first, t);
        if (t.hung_up) {
            finish(it->first, t, "exit", true);
            it = open_.erase(it);
        } else {
            ++it;
        }
    }
}

int Terminals::poll_timeout_ms() const
{
    int timeout = -1;
    auto sooner = [&](int ms) { timeout = timeout < 0 ? ms : std::min(timeout, ms); };
    for (const auto& [id, t] : open_) {
        if (!t.output.empty())
            sooner(ms_until(t.output_since + kCoalesce));
        if (t.reports.pending())
            sooner(ms_until(t.read_at + kQuiet));
    }
    if (active_since_)
        sooner(std::min(ms_until(last_output_ + kQuiet), ms_until(*active_since_ + kBusyRefresh)));
    return timeout;
}

std::optional<std::string> Terminals::mount_refresh_due()
{
    if (!active_since_)
        return std::nullopt;
    const auto now = Clock::now();
    if (now - last_output_ < kQuiet && now - *active_since_ < kBusyRefresh)
        return std::nullopt;
    active_since_.reset();
    return last_where_;
}

} // namespace mountlab::lab
