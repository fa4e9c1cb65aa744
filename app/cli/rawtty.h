// RawTty: the local terminal in raw mode for as long as it lives (mountlab-cli shell),
// restored when it goes out of scope, on an error, and on SIGTERM/SIGHUP/SIGQUIT.
#pragma once

#include <termios.h>

namespace mountlab::cli {

class RawTty {
public:
    // Nothing happens when fd is not a terminal (active() says).
    explicit RawTty(int fd);
    ~RawTty();
    RawTty(const RawTty&) = delete;
    RawTty& operator=(const RawTty&) = delete;
    [[nodiscard]] bool active() const { return active_; }

private:
    int fd_;
    bool active_ = false;
};

} // namespace mountlab::cli
