// UniqueFd: a file descriptor closed when it goes out of scope (crun's cleanup_close).
#pragma once

#include "base/error.h"

#include <cerrno>
#include <unistd.h>
#include <utility>

namespace mountlab {

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept
    {
        if (this != &o)
            reset(std::exchange(o.fd_, -1));
        return *this;
    }
    ~UniqueFd() { reset(); }

    [[nodiscard]] int get() const { return fd_; }
    [[nodiscard]] bool valid() const { return fd_ >= 0; }
    explicit operator bool() const { return valid(); }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1)
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

// pipe2(2) with both ends held, the read end first: an early return closes both.
[[nodiscard]] inline Result<std::pair<UniqueFd, UniqueFd>> make_pipe(int flags)
{
    int p[2];
    if (pipe2(p, flags) != 0)
        return system_error(errno, "pipe");
    return std::make_pair(UniqueFd(p[0]), UniqueFd(p[1]));
}

} // namespace mountlab
