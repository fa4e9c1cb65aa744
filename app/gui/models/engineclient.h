// Where events come from: a live agent (`mountlab-cli agent`, a child process running
// as the user; its lab is a user namespace, and only its tracer helper asks pkexec for
// root), or a recording replayed step by step with no privilege.
// Lines go out through lineReceived(); commands go in through send().
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QVector>

namespace mountlab::gui {

// A saved event stream cut into frames: frame 0 is everything before the first step,
// then one frame per step (its begin to the next frame) and per terminal opened (its
// "opened" event and what follows it up to the next frame). During a practice, one
// frame per judgment: from the line after the last "practice" (or "practice-grade")
// event up to and including the next one, the command's terminal step with it.
struct Recording {
    QVector<QByteArray> lines;
    QVector<int> frameStarts;
    [[nodiscard]] int frameCount() const { return int(frameStarts.size()); }
    static bool load(const QString& path, Recording* out, QString* error);
    static Recording fromLines(const QVector<QByteArray>& lines);
};

class EngineClient : public QObject {
    Q_OBJECT
public:
    enum class Mode { None, Live, Replay };
    // How the agent traces system calls: Auto (eBPF in the engine when root, else the
    // tracer helper through pkexec), or None (mount-table changes only).
    enum class Tracing { Auto, None };
    Q_ENUM(Tracing)

    explicit EngineClient(QObject* parent = nullptr);
    ~EngineClient() override;

    // mountlab-cli next to this executable (MOUNTLAB_CLI overrides).
    [[nodiscard]] static QString agentPath();
    [[nodiscard]] static bool isRoot();

    // The agent runs with the GUI's own privileges: never through pkexec. Nothing a
    // process of the same user writes into its stdin can gain more than the user has.
    bool startAgent(Tracing tracing, QString* error = nullptr);
    // Traces the whole machine with eBPF (`mountlab-cli trace --all --json`); the
    // session keeps the lab's calls. Root only.
    bool startTracer(QString* error = nullptr);
    bool openRecording(const QString& path, QString* error = nullptr);
    void openRecording(const Recording& recording);
    void stop();
    // The lessons directory the next agent reads ($MOUNTLAB_LESSONS); "": the built-in.
    void setLessonsDir(const QString& dir) { m_lessonsDir = dir; }
    [[nodiscard]] QString lessonsDir() const { return m_lessonsDir; }

    [[nodiscard]] Mode mode() const { return m_mode; }
    [[nodiscard]] Tracing tracing() const { return m_tracing; }
    [[nodiscard]] bool tracerRunning() const { return m_tracer && m_tracer->state() != QProcess::NotRunning; }
    [[nodiscard]] QString recordingPath() const { return m_recordingPath; }

    // Live: one command line to the agent.
    void send(const QJsonObject& command);
    // Live: the agent's terminals (core/stream/README.md, "terminal-*"). The answer, a
    // "terminal" event, comes back through the stream like everything else.
    void terminalOpen(const QString& where, int rows, int cols);
    void terminalInput(int id, const QByteArray& bytes);
    void terminalResize(int id, int rows, int cols);
    void terminalClose(int id);
    // Live: practice an exercise (a fresh lab, its set-up, then "practice" events as it
    // is judged), judge it now, grade the commands typed in a fresh sandbox, leave it.
    void practice(const QString& lesson, const QString& exercise);
    void practiceCheck();
    void practiceSubmit();
    void practiceStop();

    // Replay: frames delivered so far (frame 0 is delivered on open).
    [[nodiscard]] int replayPosition() const { return m_replayPos; }
    [[nodiscard]] int replayFrameCount() const { return m_recording.frameCount(); }
    void replayNext();
    // The frame in which a navigator step begins (its lesson and index, or for old
    // recordings its stage and id): the last one already delivered, else the next; -1.
    [[nodiscard]] int frameOfStep(const QString& lesson, int index, const QString& stage, const QString& id) const;
    // Back to frame 0 (delivered again).
    void rewindReplay();

    [[nodiscard]] QString stderrText() const { return m_stderr; }

Q_SIGNALS:
    void lineReceived(const QByteArray& line);
    void traceLineReceived(const QByteArray& line);
    void agentFinished(int exitCode, const QString& why);
    void replayFinished();

private:
    void readAgent();
    void readTracer();

    Mode m_mode = Mode::None;
    Tracing m_tracing = Tracing::Auto;
    QPointer<QProcess> m_agent;
    QPointer<QProcess> m_tracer;
    QByteArray m_buffer;
    QByteArray m_traceBuffer;
    QString m_stderr;
    Recording m_recording;
    QString m_recordingPath;
    QString m_lessonsDir;
    int m_replayPos = 0;
};

} // namespace mountlab::gui
