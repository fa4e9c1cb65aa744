#include "lab/channel.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <vector>

namespace mountlab::lab {

namespace {
constexpr uint32_t kMaxFrame = 256u << 20;

bool write_all(int fd, const char* p, size_t n)
{
    while (n > 0) {
        const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

// 0 ok, else errno (ECONNRESET when the peer closed).
int read_all(int fd, char* p, size_t n)
{
    while (n > 0) {
        const ssize_t r = ::read(fd, p, n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (r == 0)
            return ECONNRESET;
        p += r;
        n -= static_cast<size_t>(r);
    }
    return 0;
}

// 0 when fd is readable within timeout_ms (-1: forever), else ETIMEDOUT or errno.
int wait_readable(int fd, int timeout_ms)
{
    if (timeout_ms < 0)
        return 0;
    pollfd p{fd, POLLIN, 0};
    int r;
    while ((r = ::poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
    }
    return r > 0 ? 0 : r == 0 ? ETIMEDOUT : errno;
}

constexpr char kFdByte = 'F';
} // namespace

Status Channel::send(const Json& message) const
{
    const std::string text = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    const auto len = static_cast<uint32_t>(text.size());
    char header[4] = {static_cast<char>(len & 0xff), static_cast<char>((len >> 8) & 0xff),
                      static_cast<char>((len >> 16) & 0xff), static_cast<char>((len >> 24) & 0xff)};
    if (!write_all(fd_.get(), header, 4) || !write_all(fd_.get(), text.data(), text.size()))
        return system_error(errno, "send to the lab");
    return Ok{};
}

Result<Json> Channel::receive(int timeout_ms) const
{
    if (wait_readable(fd_.get(), timeout_ms) == ETIMEDOUT)
        return Error{ETIMEDOUT, fmt::format("no answer from the lab within {} ms", timeout_ms)};
    unsigned char header[4];
    if (int e = read_all(fd_.get(), reinterpret_cast<char*>(header), 4))
        return Error{e, e == ECONNRESET ? "the lab process exited (connection closed)" : "receive from the lab"};
    const uint32_t len = header[0] | (header[1] << 8) | (header[2] << 16) | (static_cast<uint32_t>(header[3]) << 24);
    if (len > kMaxFrame)
        return Error{EPROTO, fmt::format("a message of {} bytes from the lab is too large", len)};
    std::string text(len, '\0');
    if (int e = read_all(fd_.get(), text.data(), len))
        return Error{e, "the lab process exited in the middle of a message"};
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded())
        return Error{EPROTO, "the lab sent a message that is not JSON"};
    return j;
}

Result<Json> Channel::call(const Json& request, int timeout_ms) const
{
    if (Status s = send(request); !s)
        return s.error();
    return receive(timeout_ms);
}

Status Channel::send_fd(int fd) const
{
    char byte = kFdByte;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    ssize_t w;
    while ((w = ::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    if (w != 1)
        return system_error(errno, "pass a descriptor to the lab (sendmsg SCM_RIGHTS)");
    return Ok{};
}

Result<UniqueFd> Channel::receive_fd(int timeout_ms) const
{
    if (int e = wait_readable(fd_.get(), timeout_ms))
        return e == ETIMEDOUT ? Error{ETIMEDOUT, fmt::format("no descriptor from the lab within {} ms", timeout_ms)}
                              : system_error(e, "wait for a descriptor from the lab");
    char byte = 0;
    iovec iov{&byte, 1};
    // Room for a few: whatever arrives is closed unless it is exactly one.
    alignas(cmsghdr) char control[CMSG_SPACE(4 * sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t r;
    while ((r = ::recvmsg(fd_.get(), &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (r < 0)
        return system_error(errno, "receive a descriptor from the lab (recvmsg)");
    if (r == 0)
        return Error{ECONNRESET, "the lab process exited before it passed a descriptor (connection closed)"};
    std::vector<UniqueFd> fds;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        const size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; ++i) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            fds.emplace_back(fd);
        }
    }
    if ((msg.msg_flags & MSG_CTRUNC) || fds.size() > 1)
        return Error{EPROTO, fmt::format("the lab passed {} descriptors where one was due", fds.size())};
    if (byte != kFdByte || fds.empty())
        return Error{EPROTO, "the lab sent a byte without a descriptor where one was due"};
    return std::move(fds.front());
}

Result<std::pair<Channel, Channel>> Channel::pair()
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return system_error(errno, "socketpair");
    return std::make_pair(Channel(UniqueFd(sv[0])), Channel(UniqueFd(sv[1])));
}

} // namespace mountlab::lab
