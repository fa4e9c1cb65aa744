// bench_term_screen: the terminal screen fed 10 MB of `ls --color` output (short
// coloured names, CR LF, scrolling into a 5000-line scrollback) and 10 MB of a top-like
// full-screen repaint on the alternate screen. The GUI feeds what the PTY gives it on
// its own thread's time: a `cat` of a big listing must not make it fall behind.
#include "term/screen.h"

#include <fmt/core.h>

#include <chrono>
#include <string>

using namespace mountlab::term;
using Clock = std::chrono::steady_clock;

namespace {

// Lines as coreutils writes them: each name wrapped in its colour and a reset, padded
// into columns.
std::string ls_output(size_t bytes)
{
    static const char* const kColours[] = {"01;34", "01;36", "01;32", "00", "30;42", "01;31"};
    std::string out;
    out.reserve(bytes + 256);
    for (unsigned n = 0; out.size() < bytes; ++n) {
        for (int col = 0; col < 4; ++col) {
            const unsigned k = n * 4 + static_cast<unsigned>(col);
            out += "\x1b[0m\x1b[";
            out += kColours[k % 6];
            out += 'm';
            const std::string name = "entry-" + std::to_string(k) + (k % 3 ? ".txt" : "");
            out += name;
            out += "\x1b[0m";
            out.append(name.size() < 18 ? 18 - name.size() : 1, ' ');
        }
        out += "\r\n";
    }
    return out;
}

// A full-screen program's frames: home, a reverse-video header, rows placed by CUP with
// EL, a UTF-8 bar.
std::string top_frames(size_t bytes)
{
    std::string out = "\x1b[?1049h\x1b[?25l";
    for (unsigned frame = 0; out.size() < bytes; ++frame) {
        out += "\x1b[H\x1b[7m  PID USER      PR  NI    VIRT    RES  %CPU  COMMAND\x1b[K\x1b[m";
        for (int r = 2; r <= 24; ++r) {
            out += "\x1b[" + std::to_string(r) + ";1H";
            out += std::to_string(1000 + frame + static_cast<unsigned>(r)) + " root      20   0  \x1b[1m" +
                   std::to_string(frame % 997) + "\x1b[m  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x91 bash\x1b[K";
        }
    }
    return out + "\x1b[?1049l";
}

// Milliseconds to feed `data` in 4 KB reads, as the PTY hands it over.
double feed_ms(const std::string& data, Screen& s)
{
    const auto t0 = Clock::now();
    for (size_t at = 0; at < data.size(); at += 4096)
        s.feed(std::string_view(data).substr(at, 4096));
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

} // namespace

int main()
{
    constexpr size_t kBytes = 10 * 1024 * 1024;
    const std::string ls = ls_output(kBytes);
    const std::string top = top_frames(kBytes);
    Screen a(24, 80, 5000);
    const double ls_ms = feed_ms(ls, a);
    Screen b(24, 80, 5000);
    const double top_ms = feed_ms(top, b);
    fmt::print("bench_term_screen: 24x80, 5000 lines of scrollback, 4 KB reads\n");
    fmt::print("  {:<36} {:>10} {:>16}\n", "", "MountLab", "reference");
    fmt::print("  {:<36} {:>7.0f} ms {:>16}\n", "10 MB of ls --color", ls_ms, "target < 1000 ms");
    fmt::print("  {:<36} {:>7.0f} MB/s\n", "", ls.size() / 1048576.0 / (ls_ms / 1000));
    fmt::print("  {:<36} {:>7.0f} ms {:>16}\n", "10 MB of top-like repaints", top_ms, "target < 1000 ms");
    fmt::print("  {:<36} {:>7.0f} MB/s\n", "", top.size() / 1048576.0 / (top_ms / 1000));
    fmt::print("  {:<36} {:>10}\n", "scrollback after ls", a.scrollback_size());
    return 0;
}
