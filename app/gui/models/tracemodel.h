// The live trace table: one row per traced system call ("syscall" events).
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonObject>
#include <QVector>

namespace mountlab::gui {

struct TraceRow {
    qint64 tsNs = 0;
    qint64 latencyNs = 0;
    int pid = 0;
    int step = 0;
    QString comm;
    quint64 mntnsBefore = 0;
    quint64 mntnsAfter = 0;
    QString name;
    QVector<QPair<QString, QJsonValue>> args; // in the call's order
    qint64 ret = 0;
    QString errnoName;
    [[nodiscard]] QString call() const;       // mount("leak", "/mnt/leak", "tmpfs", 0, NULL)
    [[nodiscard]] QString result() const;     // 0, or -1 EBUSY
    [[nodiscard]] QString targetPath() const; // the mount point the call acted on, if any
};

// Reads a "syscall" event. line keeps the args' order (QJsonObject sorts keys).
[[nodiscard]] TraceRow traceRowFromEvent(const QJsonObject& event, const QByteArray& line);

class TraceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        TimeColumn,
        PidColumn,
        CommColumn,
        MntNsColumn,
        CallColumn,
        ResultColumn,
        LatencyColumn,
        NUM_COLUMNS
    };
    enum Roles {
        TargetPathRole = Qt::UserRole,
        IsErrorRole,
        StepRole,
        SyscallNameRole,
        TimestampRole,
    };

    explicit TraceModel(QObject* parent = nullptr);

    void addRow(const TraceRow& row);
    void clear();
    // Names shown next to namespace inodes ("lab host", "container").
    void setNamespaceName(quint64 mntns, const QString& name);
    [[nodiscard]] QString namespaceName(quint64 mntns) const { return m_nsNames.value(mntns); }
    [[nodiscard]] const TraceRow& row(int r) const { return m_rows[r]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] QStringList describe() const;

    // What an empty trace table says instead of nothing. `tracing`: calls are being
    // traced (whyNot: the reason when not); `stepOnly`: the table shows one step's calls;
    // `filter`: the filter's text; `anyCalls`: the session traced some call.
    struct EmptyState {
        bool tracing = true;
        QString whyNot;
        bool stepOnly = true;
        QString filter;
        bool anyCalls = false;
    };
    [[nodiscard]] static QString emptyText(const EmptyState& s);

private:
    [[nodiscard]] QString nsText(quint64 ns) const;
    QVector<TraceRow> m_rows;
    qint64 m_t0 = -1;
    // Times count from the step's start: its first traced call (by engine step number).
    QHash<int, qint64> m_stepT0;
    QHash<quint64, QString> m_nsNames;
};

} // namespace mountlab::gui
