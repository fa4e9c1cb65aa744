// The real agent (`mountlab-cli agent`) driven as a front end drives it: commands in,
// events read as they come, a terminal typed into. For integration tests.
#pragma once

#include "base/base64.h"

#include <QElapsedTimer>
#include <QProcess>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

namespace mountlab::test {

using Json = nlohmann::ordered_json;

struct Event {
    Json json;
    qint64 ms; // when it arrived, since the agent started
};

// `mountlab-cli agent` with its events read as they come.
class Agent {
public:
    bool start(const QString& tracer = QStringLiteral("none"))
    {
        proc_.setProgram(MOUNTLAB_CLI);
        proc_.setArguments({"agent", "--tracer", tracer});
        proc_.start();
        clock_.start();
        return proc_.waitForStarted(5000) &&
               wait_for([](const Json& e) { return e.value("kind", "") == "session"; }, 10000);
    }
    ~Agent()
    {
        if (proc_.state() != QProcess::NotRunning) {
            send(Json{{"cmd", "quit"}});
            if (!proc_.waitForFinished(5000))
                proc_.kill();
            proc_.waitForFinished(2000);
        }
    }
    void send(const Json& command)
    {
        proc_.write(QByteArray::fromStdString(command.dump() + "\n"));
        proc_.waitForBytesWritten(1000);
    }
    void type(int id, const std::string& bytes)
    {
        send(Json{{"cmd", "terminal-input"}, {"id", id}, {"data", base64_encode(bytes)}});
    }
    // Opens a terminal; its id (0 when it did not open).
    int open(const std::string& where = "container", int rows = 24, int cols = 80)
    {
        send(Json{{"cmd", "terminal-open"}, {"where", where}, {"rows", rows}, {"cols", cols}});
        const Json* e =
            wait_for([](const Json& j) { return j.value("kind", "") == "terminal" && j.value("opened", false); }, 5000);
        if (!e)
            return 0;
        const int id = e->value("id", 0);
        // The first prompt: the shell is reading.
        return wait_output(id, "]# ", 5000) ? id : 0;
    }
    // The first event from now on (or already read but not yet looked at) that matches.
    const Json* wait_for(const std::function<bool(const Json&)>& match, int timeout_ms)
    {
        QElapsedTimer t;
        t.start();
        while (true) {
            for (; seen_ < events_.size(); ++seen_)
                if (match(events_[seen_].json))
                    return &events_[seen_++].json;
            if (t.elapsed() > timeout_ms || !read_more(timeout_ms - t.elapsed()))
                return nullptr;
        }
    }
    // Everything terminal `id` wrote so far, exactly.
    QByteArray output(int id) const
    {
        QByteArray out;
        for (const Event& e : events_)
            if (e.json.value("kind", "") == "terminal" && e.json.value("id", 0) == id && e.json.contains("data"))
                out += QByteArray::fromStdString(
                    base64_decode(e.json["data"].get<std::string>()).value_or("<not base64>"));
        return out;
    }
    // The output as a screen shows its text: without bash's bracketed-paste switches
    // (ESC[?2004h before a prompt, ESC[?2004l after a line is entered).
    QByteArray text_of(int id) const
    {
        QByteArray out = output(id);
        out.replace("\033[?2004h", "");
        out.replace("\033[?2004l\r", "");
        out.replace("\033[?2004l", "");
        return out;
    }
    // Waits until the output (as text_of gives it) from offset `from` on contains `text`.
    bool wait_output(int id, const QByteArray& text, int timeout_ms, int from = 0)
    {
        QElapsedTimer t;
        t.start();
        while (text_of(id).indexOf(text, from) < 0)
            if (t.elapsed() > timeout_ms || !read_more(timeout_ms - t.elapsed()))
                return false;
        return true;
    }
    // Reads until the agent has been silent for quiet_ms (at most max_ms in all): what a
    // command typed in a terminal does has then arrived, its step included.
    void settle(int quiet_ms, int max_ms = 15000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < max_ms && read_more(quiet_ms)) {
        }
    }
    // The newest event of this kind (and view, for tables) read so far; null when none.
    const Json* last(const std::string& kind, const std::string& view = {}) const
    {
        for (auto it = events_.rbegin(); it != events_.rend(); ++it)
            if (it->json.value("kind", "") == kind && (view.empty() || it->json.value("view", "") == view))
                return &it->json;
        return nullptr;
    }
    // Marks every event read so far as looked at: wait_for matches only newer ones.
    void skip_seen() { seen_ = events_.size(); }
    const std::vector<Event>& events() const { return events_; }
    qint64 now() const { return clock_.elapsed(); }
    qint64 pid() const { return proc_.processId(); }

private:
    bool read_more(qint64 timeout_ms)
    {
        if (!proc_.waitForReadyRead(static_cast<int>(std::max<qint64>(timeout_ms, 1))))
            return false;
        buffer_ += proc_.readAllStandardOutput();
        int nl;
        while ((nl = buffer_.indexOf('\n')) >= 0) {
            const QByteArray line = buffer_.left(nl);
            buffer_.remove(0, nl + 1);
            Json j = Json::parse(line.toStdString(), nullptr, false);
            if (!j.is_discarded())
                events_.push_back({std::move(j), clock_.elapsed()});
        }
        return true;
    }

    QProcess proc_;
    QElapsedTimer clock_;
    QByteArray buffer_;
    std::vector<Event> events_;
    size_t seen_ = 0;
};

} // namespace mountlab::test
