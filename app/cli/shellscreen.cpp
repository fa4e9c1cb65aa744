#include "shellscreen.h"

#include "base/base64.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace mountlab::cli {

void write_out(std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t w = write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        bytes.remove_prefix(static_cast<size_t>(w));
    }
}

std::pair<int, int> window_size()
{
    winsize ws{};
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        return {ws.ws_row, ws.ws_col};
    return {24, 80};
}

namespace {
int g_winch_pipe = -1;
void on_winch(int) { (void)!write(g_winch_pipe, "w", 1); }
} // namespace

Status WindowChanges::open()
{
    auto ends = make_pipe(O_CLOEXEC | O_NONBLOCK);
    if (!ends)
        return ends.error();
    read_ = std::move(ends->first);
    write_ = std::move(ends->second);
    g_winch_pipe = write_.get();
    signal(SIGWINCH, on_winch);
    return Ok{};
}

WindowChanges::~WindowChanges()
{
    if (write_)
        signal(SIGWINCH, SIG_DFL);
    g_winch_pipe = -1;
}

Result<bool> console_round(lab::Terminals& terminals, const WindowChanges& changes, int id)
{
    std::vector<pollfd> fds = terminals.fds();
    fds.push_back(pollfd{STDIN_FILENO, POLLIN, 0});
    fds.push_back(pollfd{changes.fd(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), terminals.poll_timeout_ms()) < 0 && errno != EINTR)
        return system_error(errno, "poll the console and the lab's terminal");
    const pollfd keys = fds[fds.size() - 2], resized = fds.back();
    fds.resize(fds.size() - 2);
    terminals.service(fds);
    if (resized.revents) {
        char drain[64];
        (void)!read(changes.fd(), drain, sizeof drain);
        const auto [rows, cols] = window_size();
        (void)terminals.resize(id, rows, cols);
    }
    return keys.revents != 0;
}

ShellScreen::ShellScreen() : mem_(open_memstream(&text_, &size_)), printer_(mem_) {}

ShellScreen::~ShellScreen()
{
    fclose(mem_);
    free(text_);
}

void ShellScreen::operator()(const Json& e)
{
    const std::string kind = e.value("kind", "");
    if (kind == "terminal") {
        terminal(e);
        return;
    }
    printer_(e);
    fflush(mem_);
    if (size_ == shown_)
        return;
    std::string block(text_ + shown_, size_ - shown_);
    shown_ = size_;
    say(block);
}

void ShellScreen::say(const std::string& block)
{
    if (!raw_) {
        write_out(block);
        return;
    }
    std::string crlf = "\r\n";
    for (char c : block)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    write_out(crlf + line_);
}

void ShellScreen::terminal(const Json& e)
{
    if (e.value("closed", false)) {
        closed_ = true;
        exit_ = e.contains("exit") && e["exit"].is_number_integer() ? e["exit"].get<int>() : 1;
        return;
    }
    if (!e.contains("data"))
        return;
    const std::string bytes = base64_decode(e.value("data", "")).value_or("");
    write_out(bytes);
    const size_t nl = bytes.rfind('\n');
    line_ = nl == std::string::npos ? line_ + bytes : bytes.substr(nl + 1);
    if (line_.size() > 4096)
        line_.erase(0, line_.size() - 4096);
}

} // namespace mountlab::cli
