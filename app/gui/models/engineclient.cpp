#include "engineclient.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#include <unistd.h>

#include <algorithm>

namespace mountlab::gui {

bool Recording::load(const QString& path, Recording* out, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    QVector<QByteArray> lines;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            lines.push_back(line);
    }
    if (lines.isEmpty() || !lines.front().contains("\"kind\":\"session\"")) {
        if (error)
            *error = QStringLiteral("%1 is not a MountLab recording: it must start with a \"session\" event").arg(path);
        return false;
    }
    *out = fromLines(lines);
    return true;
}

Recording Recording::fromLines(const QVector<QByteArray>& lines)
{
    Recording r;
    r.lines = lines;
    r.frameStarts.push_back(0);
    // In a practice a frame is one judgment: what the learner typed, what it printed and
    // changed (its terminal step), and the "practice" event that judged it (or a
    // Submit's grade); the next frame starts after it. Each Space then shows the
    // checklist as it was after that command, a tick at a time.
    bool practising = false, stepOpen = false, cutPending = false;
    auto cut = [&](int i) {
        if (r.frameStarts.back() != i)
            r.frameStarts.push_back(i);
        cutPending = false;
    };
    for (int i = 1; i < lines.size(); ++i) {
        const QByteArray& l = lines[i];
        const bool begin = l.contains("\"kind\":\"step\"") && l.contains("\"phase\":\"begin\"");
        const bool end = l.contains("\"kind\":\"step\"") && !begin;
        const bool shell = l.contains("\"kind\":\"terminal\"") && l.contains("\"opened\":true");
        const bool judged = l.contains("\"kind\":\"practice\"") || l.contains("\"kind\":\"practice-grade\"");
        // The judged command's trailing calls stay with it: the next frame starts with the
        // next thing shown (a shell's output, a step, a judgment).
        const bool quiet =
            l.contains("\"kind\":\"syscall\"") || l.contains("\"kind\":\"log\"") || l.contains("\"kind\":\"summary\"");
        if (cutPending && !stepOpen && !quiet)
            cut(i);
        // A step, or a shell opening (with the calls that started it): what Space plays
        // next; but a command's terminal step during a practice is that command's frame.
        const bool terminalStep = begin && l.contains("\"stage\":\"terminal\"");
        if ((begin && !(practising && terminalStep)) || shell)
            cut(i);
        stepOpen = begin || (stepOpen && !end);
        // Frame 0 stays everything before the first step (a real practice starts with the
        // lab's reset and the exercise's set-up, two steps).
        if (judged && r.frameStarts.size() > 1) {
            practising = !l.contains("\"kind\":\"practice\"") || l.contains("\"active\":true");
            // After the practice's end nothing judges what follows: it stays in this
            // frame (a frame with no judgment, step or shell would not play on).
            cutPending = practising;
        }
    }
    // What follows the last judgment with nothing to show of its own (the shell's
    // prompt, the summary) stays in the last judgment's frame.
    if (r.frameStarts.size() > 1) {
        bool substantial = false;
        for (int i = r.frameStarts.back(); i < lines.size() && !substantial; ++i) {
            const QByteArray& l = lines[i];
            substantial = l.contains("\"kind\":\"step\"") || l.contains("\"kind\":\"practice") ||
                          l.contains("\"kind\":\"command\"") || l.contains("\"opened\":true") ||
                          l.contains("\"kind\":\"table\"");
        }
        if (!substantial)
            r.frameStarts.pop_back();
    }
    return r;
}

EngineClient::EngineClient(QObject* parent) : QObject(parent) {}

EngineClient::~EngineClient() { stop(); }

QString EngineClient::agentPath()
{
    const QString env = qEnvironmentVariable("MOUNTLAB_CLI");
    if (!env.isEmpty())
        return env;
    return QCoreApplication::applicationDirPath() + QStringLiteral("/mountlab-cli");
}

bool EngineClient::isRoot() { return ::geteuid() == 0; }

bool EngineClient::startAgent(Tracing tracing, QString* error)
{
    stop();
    const QString cli = agentPath();
    if (!QFileInfo(cli).isExecutable()) {
        if (error)
            *error = QStringLiteral("the engine %1 is missing or not executable").arg(cli);
        return false;
    }
    m_tracing = tracing;
    m_mode = Mode::Live;
    m_buffer.clear();
    m_stderr.clear();
    m_agent = new QProcess(this);
    // MOUNTLAB_AGENT_TRACER picks the agent's --tracer (tests: "helper" as root).
    const QString how = tracing == Tracing::None ? QStringLiteral("none")
                        : qEnvironmentVariableIsSet("MOUNTLAB_AGENT_TRACER")
                            ? qEnvironmentVariable("MOUNTLAB_AGENT_TRACER")
                            : QStringLiteral("auto");
    const QStringList args{QStringLiteral("agent"), QStringLiteral("--tracer"), how};
    const QString program = cli;
    connect(m_agent, &QProcess::readyReadStandardOutput, this, &EngineClient::readAgent);
    connect(m_agent, &QProcess::readyReadStandardError, this,
            [this] { m_stderr += QString::fromUtf8(m_agent->readAllStandardError()); });
    connect(m_agent, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readAgent();
        QString why = m_stderr.trimmed();
        if (status == QProcess::CrashExit)
            why = QStringLiteral("the engine crashed. %1").arg(why);
        Q_EMIT agentFinished(code, why);
    });
    if (!m_lessonsDir.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MOUNTLAB_LESSONS"), m_lessonsDir);
        m_agent->setProcessEnvironment(env);
    }
    m_agent->start(program, args);
    if (!m_agent->waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("could not start %1: %2").arg(program, m_agent->errorString());
        delete m_agent;
        m_mode = Mode::None;
        return false;
    }
    return true;
}

bool EngineClient::startTracer(QString* error)
{
    if (!isRoot()) {
        if (error)
            *error = QStringLiteral("eBPF tracing needs root");
        return false;
    }
    if (m_tracer)
        return true;
    m_tracer = new QProcess(this);
    m_traceBuffer.clear();
    m_tracer->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_tracer, &QProcess::readyReadStandardOutput, this, &EngineClient::readTracer);
    connect(m_tracer, &QProcess::readyReadStandardError, this, [this] { m_tracer->readAllStandardError(); });
    m_tracer->start(agentPath(), {QStringLiteral("trace"), QStringLiteral("--all"), QStringLiteral("--json")});
    if (!m_tracer->waitForStarted(10000)) {
        if (error)
            *error = m_tracer->errorString();
        delete m_tracer;
        return false;
    }
    return true;
}

static void splitLines(QByteArray* buffer, const std::function<void(const QByteArray&)>& emitLine)
{
    int start = 0;
    for (;;) {
        const int nl = int(buffer->indexOf('\n', start));
        if (nl < 0)
            break;
        const QByteArray line = buffer->mid(start, nl - start);
        start = nl + 1;
        if (!line.trimmed().isEmpty())
            emitLine(line);
    }
    buffer->remove(0, start);
}

void EngineClient::readAgent()
{
    if (!m_agent)
        return;
    m_buffer += m_agent->readAllStandardOutput();
    static const bool debug = qEnvironmentVariableIsSet("MOUNTLAB_DEBUG_EVENTS");
    splitLines(&m_buffer, [this](const QByteArray& l) {
        if (debug)
            qDebug("event: %s", l.left(160).constData());
        Q_EMIT lineReceived(l);
    });
}

void EngineClient::readTracer()
{
    if (!m_tracer)
        return;
    m_traceBuffer += m_tracer->readAllStandardOutput();
    splitLines(&m_traceBuffer, [this](const QByteArray& l) { Q_EMIT traceLineReceived(l); });
}

bool EngineClient::openRecording(const QString& path, QString* error)
{
    Recording r;
    if (!Recording::load(path, &r, error))
        return false;
    openRecording(r);
    m_recordingPath = path;
    return true;
}

void EngineClient::openRecording(const Recording& recording)
{
    stop();
    m_mode = Mode::Replay;
    m_recording = recording;
    m_recordingPath.clear();
    m_replayPos = 0;
    replayNext(); // frame 0: the session, the walkthrough, the tables before step 1
}

void EngineClient::replayNext()
{
    if (m_mode != Mode::Replay || m_replayPos >= m_recording.frameCount())
        return;
    const int begin = m_recording.frameStarts[m_replayPos];
    const int end = m_replayPos + 1 < m_recording.frameCount() ? m_recording.frameStarts[m_replayPos + 1]
                                                               : int(m_recording.lines.size());
    ++m_replayPos;
    for (int i = begin; i < end; ++i)
        Q_EMIT lineReceived(m_recording.lines[i]);
    if (m_replayPos >= m_recording.frameCount())
        Q_EMIT replayFinished();
}

int EngineClient::frameOfStep(const QString& lesson, int index, const QString& stage, const QString& id) const
{
    int before = -1, after = -1;
    for (int k = 1; k < m_recording.frameCount(); ++k) {
        const QJsonObject e = QJsonDocument::fromJson(m_recording.lines[m_recording.frameStarts[k]]).object();
        const bool match =
            e.contains(QLatin1String("lesson"))
                ? e.value(QLatin1String("lesson")).toString() == lesson &&
                      e.value(QLatin1String("index")).toInt(-1) == index
                : e.value(QLatin1String("stage")).toString() == stage && e.value(QLatin1String("id")).toString() == id;
        if (!match)
            continue;
        if (k < m_replayPos)
            before = k;
        else if (after < 0)
            after = k;
    }
    return before >= 0 ? before : after;
}

void EngineClient::rewindReplay()
{
    if (m_mode != Mode::Replay)
        return;
    m_replayPos = 0;
    replayNext();
}

void EngineClient::send(const QJsonObject& command)
{
    if (m_mode != Mode::Live || !m_agent || m_agent->state() != QProcess::Running)
        return;
    m_agent->write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

void EngineClient::terminalOpen(const QString& where, int rows, int cols)
{
    send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("terminal-open")},
                     {QStringLiteral("where"), where},
                     {QStringLiteral("rows"), std::clamp(rows, 1, 1000)},
                     {QStringLiteral("cols"), std::clamp(cols, 1, 1000)}});
}

void EngineClient::terminalInput(int id, const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return;
    // Base64: the bytes go as they are (a paste may hold anything, NUL and invalid UTF-8
    // too), in pieces well under the agent's 1 MiB line limit.
    constexpr qsizetype kChunk = 64 * 1024;
    for (qsizetype at = 0; at < bytes.size(); at += kChunk)
        send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("terminal-input")},
                         {QStringLiteral("id"), id},
                         {QStringLiteral("data"), QString::fromLatin1(bytes.mid(at, kChunk).toBase64())}});
}

void EngineClient::terminalResize(int id, int rows, int cols)
{
    send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("terminal-resize")},
                     {QStringLiteral("id"), id},
                     {QStringLiteral("rows"), std::clamp(rows, 1, 1000)},
                     {QStringLiteral("cols"), std::clamp(cols, 1, 1000)}});
}

void EngineClient::terminalClose(int id)
{
    send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("terminal-close")}, {QStringLiteral("id"), id}});
}

void EngineClient::practice(const QString& lesson, const QString& exercise)
{
    send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("practice")},
                     {QStringLiteral("lesson"), lesson},
                     {QStringLiteral("exercise"), exercise}});
}

void EngineClient::practiceCheck() { send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("practice-check")}}); }

void EngineClient::practiceSubmit() { send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("practice-submit")}}); }

void EngineClient::practiceStop() { send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("practice-stop")}}); }

void EngineClient::stop()
{
    // Only our own children, by their handle: quit politely, then kill.
    for (QPointer<QProcess>* p : {&m_agent, &m_tracer}) {
        QProcess* proc = *p;
        if (!proc)
            continue;
        proc->disconnect(this);
        if (proc->state() != QProcess::NotRunning) {
            if (proc == m_agent)
                proc->write("{\"cmd\":\"quit\"}\n");
            proc->closeWriteChannel();
            if (proc == m_tracer)
                proc->terminate();
            if (!proc->waitForFinished(3000)) {
                proc->kill();
                proc->waitForFinished(2000);
            }
        }
        delete proc;
    }
    m_mode = Mode::None;
}

} // namespace mountlab::gui
