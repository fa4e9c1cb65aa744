#include "rawtty.h"

#include <csignal>
#include <initializer_list>
#include <unistd.h>

namespace mountlab::cli {

namespace {
// For the signal handler: the mode to put back (one raw terminal per process).
int g_fd = -1;
termios g_saved{};

void restore_and_die(int sig)
{
    if (g_fd >= 0)
        tcsetattr(g_fd, TCSANOW, &g_saved);
    signal(sig, SIG_DFL);
    raise(sig);
}
} // namespace

RawTty::RawTty(int fd) : fd_(fd)
{
    if (!isatty(fd) || tcgetattr(fd, &g_saved) != 0)
        return;
    termios raw = g_saved;
    cfmakeraw(&raw);
    g_fd = fd;
    for (int sig : {SIGTERM, SIGHUP, SIGQUIT})
        signal(sig, restore_and_die);
    active_ = tcsetattr(fd, TCSANOW, &raw) == 0;
}

RawTty::~RawTty()
{
    if (!active_)
        return;
    tcsetattr(fd_, TCSANOW, &g_saved);
    for (int sig : {SIGTERM, SIGHUP, SIGQUIT})
        signal(sig, SIG_DFL);
    g_fd = -1;
}

} // namespace mountlab::cli
