// Channel: JSON frames and descriptors passed with SCM_RIGHTS between lab processes,
// over a real socketpair.
#include "lab/channel.h"
#include "testutil.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace mountlab;
using namespace mountlab::lab;

class TestChannel : public QObject {
    Q_OBJECT
private slots:
    void passedDescriptor_reachesTheSamePipe()
    {
        auto pair = Channel::pair();
        QVERIFY(pair.ok());
        int p[2];
        QCOMPARE(pipe2(p, O_CLOEXEC), 0);
        UniqueFd read_end(p[0]), write_end(p[1]);
        QVERIFY(pair->first.send(Json{{"op", "terminal"}}).ok());
        QVERIFY(pair->first.send_fd(write_end.get()).ok());
        QVERIFY(pair->first.send(Json{{"after", 1}}).ok());
        write_end.reset(); // only the passed copy is left

        auto msg = pair->second.receive(1000);
        QVERIFY(msg.ok());
        QCOMPARE(json_string_of(*msg), std::string("terminal"));
        auto fd = pair->second.receive_fd(1000);
        QVERIFY2(fd.ok(), fd.ok() ? "" : fd.error().message.c_str());
        QVERIFY(fcntl(fd->get(), F_GETFD) & FD_CLOEXEC);
        QCOMPARE(write(fd->get(), "via fd", 6), ssize_t(6));
        fd->reset();
        char buf[16] = {};
        QCOMPARE(read(read_end.get(), buf, sizeof buf), ssize_t(6));
        QCOMPARE(QByteArray(buf), QByteArray("via fd"));
        QCOMPARE(read(read_end.get(), buf, sizeof buf), ssize_t(0)); // no copy left anywhere
        // The frame after the descriptor is whole.
        auto after = pair->second.receive(1000);
        QVERIFY(after.ok());
        QCOMPARE((*after)["after"].get<int>(), 1);
    }

    void frameWhereDescriptorIsDue_isAnError()
    {
        auto pair = Channel::pair();
        QVERIFY(pair.ok());
        QVERIFY(pair->first.send(Json{{"x", 1}}).ok());
        auto fd = pair->second.receive_fd(1000);
        QVERIFY(!fd.ok());
        QCOMPARE(fd.error().errnum, EPROTO);
    }

    void twoDescriptorsWhereOneIsDue_areRefused()
    {
        int sv[2];
        QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        Channel receiver{UniqueFd(sv[1])};
        UniqueFd sender(sv[0]);
        int fds[2] = {0, 1};
        char byte = 'F';
        iovec iov{&byte, 1};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)] = {};
        msghdr m{};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof fds);
        memcpy(CMSG_DATA(c), fds, sizeof fds);
        QCOMPARE(sendmsg(sender.get(), &m, 0), ssize_t(1));
        auto fd = receiver.receive_fd(1000);
        QVERIFY(!fd.ok());
        QCOMPARE(fd.error().errnum, EPROTO);
    }

    void noDescriptor_timesOut_andClosedPeer_says()
    {
        auto pair = Channel::pair();
        QVERIFY(pair.ok());
        auto fd = pair->second.receive_fd(20);
        QVERIFY(!fd.ok());
        QCOMPARE(fd.error().errnum, ETIMEDOUT);
        pair->first.close();
        fd = pair->second.receive_fd(1000);
        QVERIFY(!fd.ok());
        QCOMPARE(fd.error().errnum, ECONNRESET);
    }

private:
    static std::string json_string_of(const Json& j) { return j.value("op", ""); }
};

QTEST_GUILESS_MAIN(TestChannel)
#include "tst_channel.moc"
