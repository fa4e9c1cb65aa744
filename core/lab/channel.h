// Channel: length-prefixed JSON messages over a stream socket, between the engine,
// the lab host and the container process. Frames are a 4-byte little-endian length
// and the JSON text; a mount table of 10,000 lines fits in one. A descriptor (a
// terminal's PTY) travels on its own, as one byte 'F' carrying it in SCM_RIGHTS,
// after the message that announces it.
#pragma once

#include "base/error.h"
#include "base/fd.h"
#include "base/json.h"

#include <nlohmann/json.hpp>

namespace mountlab::lab {

class Channel {
public:
    Channel() = default;
    explicit Channel(UniqueFd fd) : fd_(std::move(fd)) {}

    [[nodiscard]] Status send(const Json& message) const;
    // Waits up to timeout_ms (-1: forever). ETIMEDOUT on timeout; EPIPE-like
    // "closed" when the peer is gone.
    [[nodiscard]] Result<Json> receive(int timeout_ms = -1) const;
    // send() then receive().
    [[nodiscard]] Result<Json> call(const Json& request, int timeout_ms = -1) const;

    // Passes a descriptor to the peer (the peer gets its own copy; ours stays open).
    [[nodiscard]] Status send_fd(int fd) const;
    // The descriptor the peer passed with send_fd, close-on-exec. An error when the
    // next byte carries none (or more than one: all are closed), or on timeout.
    [[nodiscard]] Result<UniqueFd> receive_fd(int timeout_ms = -1) const;

    [[nodiscard]] int fd() const { return fd_.get(); }
    [[nodiscard]] bool valid() const { return fd_.valid(); }
    void close() { fd_.reset(); }

    // A connected pair (socketpair, SOCK_STREAM, close-on-exec).
    [[nodiscard]] static Result<std::pair<Channel, Channel>> pair();

private:
    UniqueFd fd_;
};

} // namespace mountlab::lab
