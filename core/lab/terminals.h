// Terminals: the engine's side of the lab's terminals. Each is a PTY master the lab
// passed over (core/lab/terminal.h); the engine reads it and streams what the shell
// writes as "terminal" events, as it comes (a few milliseconds' worth coalesced into
// one event), and writes what the user types straight to it: no relay through the lab
// per keystroke. The owner polls the masters with its other descriptors (fds(),
// service()), and asks mount_refresh_due() when to look at the mount tables: after the
// terminals' output goes quiet, or every kBusyRefresh while it goes on.
#pragma once

#include "lab/commandreport.h"
#include "lab/lab.h"
#include "stream/events.h"

#include <chrono>
#include <map>
#include <optional>
#include <poll.h>
#include <string>
#include <vector>

namespace mountlab::lab {

// A command a terminal's shell ran (lab/commandreport.h), and which terminal.
struct TypedCommand {
    int terminal = 0;
    std::string where;
    CommandReport report;
};

class Terminals {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto kCoalesce = std::chrono::milliseconds(5);
    static constexpr auto kQuiet = std::chrono::milliseconds(100);
    static constexpr auto kBusyRefresh = std::chrono::milliseconds(200);
    static constexpr size_t kMaxEventBytes = 32 * 1024;

    Terminals(Lab& lab, stream::Sink sink) : lab_(lab), sink_(std::move(sink)) {}

    // Opens one and says so ({"kind":"terminal","id":N,"opened":true,...}); its id.
    // own_pid_namespace: the shell in a PID namespace of its own (Lab::open_terminal).
    [[nodiscard]] Result<int> open(const std::string& where, int rows, int cols, bool own_pid_namespace = false);
    [[nodiscard]] Status input(int id, std::string_view bytes);
    [[nodiscard]] Status resize(int id, int rows, int cols);
    // Closes the master (the kernel hangs up the shell's session), collects the
    // shell's exit status, and says so ({"closed":true,"exit":S}).
    [[nodiscard]] Status close(int id);
    // Every terminal in `where` ("" for all), because that process is being replaced
    // (a reset): closed with "exit": null and this reason.
    void close_in(const std::string& where, const std::string& reason);

    // The descriptors to poll (each master: POLLIN, and POLLOUT while input waits).
    [[nodiscard]] std::vector<pollfd> fds() const;
    // After poll: reads and writes what is ready, sends output that is due, notices
    // shells that exited. `ready` is what poll returned for fds() (may be empty).
    void service(const std::vector<pollfd>& ready);
    // How long poll may wait before service() or a mount refresh has something to do
    // (-1: nothing pending).
    [[nodiscard]] int poll_timeout_ms() const;
    // Where output last came from, when the mount tables are due a look; clears it.
    [[nodiscard]] std::optional<std::string> mount_refresh_due();

    [[nodiscard]] bool empty() const { return open_.empty(); }

    // The commands the shells reported since the last call, in the order they ended.
    [[nodiscard]] std::vector<TypedCommand> take_commands() { return std::exchange(commands_, {}); }

    // The job in the foreground of the container terminal used last (a program the shell
    // runs, not the shell itself at its prompt), in the lab's PID namespace: the container
    // view follows it, so that what `unshare --mount bash` or `chroot DIR` did in the
    // terminal shows in the tree. -1 when no container terminal is open, the shell
    // itself is in the foreground, or it cannot be told.
    [[nodiscard]] pid_t container_foreground() const;

private:
    struct Open {
        std::string where;
        pid_t pid = -1;
        UniqueFd master;
        std::string output;             // read, not yet sent
        Clock::time_point output_since; // when the oldest unsent byte was read
        std::string input;              // typed, not yet written (the shell reads slowly)
        bool hung_up = false;
        CommandReportFilter reports; // takes the shell's command reports out of its output
        // By reporting shell ($$ and $SHLVL: a nested PID namespace's shell is PID 1 too):
        // its last history number. A shell's first report is where it starts, no command.
        std::map<std::pair<long, int>, long> last_reported;
        Clock::time_point read_at; // the last read: what the filter keeps back is shown
                                   // once the shell has been quiet for kQuiet
    };

    void read_output(int id, Open& t);
    void write_input(Open& t);
    void flush(int id, Open& t);
    void finish(int id, Open& t, const std::string& reason, bool wait_for_exit);

    Lab& lab_;
    stream::Sink sink_;
    std::map<int, Open> open_;
    int next_id_ = 1;
    // Output seen since the tables were last looked at: when it started, when it was last seen.
    std::optional<Clock::time_point> active_since_;
    Clock::time_point last_output_;
    std::string last_where_;
    int last_container_ = -1; // the container terminal that was opened or wrote last
    std::vector<TypedCommand> commands_;
};

} // namespace mountlab::lab
