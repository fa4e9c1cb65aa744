#include "lab/shmemwatchdog.h"

#include "mount/mountinfo.h"

#include <chrono>
#include <csignal>
#include <cstdlib>

namespace mountlab::lab {

namespace {

constexpr long long kMiB = 1 << 20;

// "Shmem:            8872 kB" -> 8872 * 1024.
long long kb_field(std::string_view text, std::string_view key)
{
    size_t at = 0;
    while ((at = text.find(key, at)) != std::string_view::npos) {
        if ((at == 0 || text[at - 1] == '\n') && text.substr(at + key.size(), 1) == ":")
            return std::atoll(std::string(text.substr(at + key.size() + 1, 32)).c_str()) * 1024;
        at += key.size();
    }
    return -1;
}

} // namespace

MemInfo parse_meminfo(std::string_view text)
{
    return MemInfo{kb_field(text, "Shmem"), kb_field(text, "MemAvailable")};
}

Result<MemInfo> read_meminfo()
{
    auto text = read_whole_file("/proc/meminfo", 1 << 20);
    if (!text)
        return text.error();
    MemInfo m = parse_meminfo(*text);
    if (m.shmem < 0 || m.available < 0)
        return Error{EINVAL, "`/proc/meminfo` has no Shmem or MemAvailable line"};
    return m;
}

ShmemWatchdog::ShmemWatchdog(pid_t pid, long long budget_bytes, int period_ms)
    : pid_(pid), budget_(budget_bytes), period_ms_(period_ms)
{
    auto now = read_meminfo();
    start_ = now ? *now : MemInfo{};
    thread_ = std::thread([this] { watch(); });
}

void ShmemWatchdog::stop()
{
    if (!thread_.joinable())
        return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

std::string ShmemWatchdog::reason() const
{
    std::lock_guard lock(mutex_);
    return reason_;
}

bool ShmemWatchdog::over_budget()
{
    auto now = read_meminfo();
    if (!now || start_.shmem < 0)
        return false;
    const long long growth = now->shmem - start_.shmem;
    if (growth > peak_growth_.load())
        peak_growth_ = growth;
    std::lock_guard lock(mutex_);
    if (growth > budget_)
        reason_ = fmt::format("the machine's Shmem grew by {} MiB while the script ran (the budget is {} MiB)",
                              growth / kMiB, budget_ / kMiB);
    else if (now->available < budget_ && now->available < start_.available)
        reason_ = fmt::format("the machine's MemAvailable fell to {} MiB while the script ran (from {} MiB)",
                              now->available / kMiB, start_.available / kMiB);
    return !reason_.empty();
}

void ShmemWatchdog::watch()
{
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        const bool over = over_budget();
        if (over) {
            kill(pid_, SIGKILL);
            fired_ = true;
            return;
        }
        lock.lock();
        wake_.wait_for(lock, std::chrono::milliseconds(period_ms_), [this] { return stop_; });
    }
}

} // namespace mountlab::lab
