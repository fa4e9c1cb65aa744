// The copy-up panel: an overlay's layers as columns (lowerdirs, bottom first, then
// upper) and, by default, one row per path in its current state (what upperdir holds
// for it now: the last change the engine found, "copyup" events); with the history
// on, one row per change in the order they happened.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QVector>

namespace mountlab::gui {

struct CopyUpChange {
    int step = 0;
    QString path; // in the merged view
    QString kind; // copied-up, copied-up-dir, created, modified, whiteout, opaque-dir, removed-from-upper
    QString upperPath;
    QString lowerLayer; // the layer that holds the original, when the engine named it
    bool lowerUnchanged = true;
};

class CopyUpModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Columns: PathColumn, then one per layer (layerCount()), the upper layer last.
    enum Columns { PathColumn, FirstLayerColumn };
    enum Roles { KindRole = Qt::UserRole, StepRole, IsLatestRole, LayerPathRole };

    explicit CopyUpModel(QObject* parent = nullptr);

    // The changes kept: each event rebuilds the rows from all of them, so a recording
    // of endless copy-ups stops being read here, not the window.
    static constexpr int kMaxChanges = 10000;
    // False when the event's changes were dropped (kMaxChanges reached).
    bool addEvent(const QJsonObject& copyup);
    void clear();
    [[nodiscard]] QStringList layers() const { return m_layers; } // bottom first, upper last
    [[nodiscard]] int layerCount() const { return int(m_layers.size()); }
    [[nodiscard]] QString upperdir() const { return m_upper; }
    // Every change, in order (the history).
    [[nodiscard]] const QVector<CopyUpChange>& changes() const { return m_changes; }
    // Rows: every change (true) or each path's current state (false, the default).
    void setShowHistory(bool history);
    [[nodiscard]] bool showsHistory() const { return m_history; }
    [[nodiscard]] static QString kindText(const QString& kind);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] QStringList describe() const;

private:
    QStringList m_layers;
    QString m_upper;
    QVector<CopyUpChange> m_changes;
    QVector<int> m_rows; // the changes shown, by index in m_changes
    bool m_history = false;
    int m_latestStep = 0;
    // The rows again after the changes or the mode changed.
    [[nodiscard]] QVector<int> rowsShown() const;
};

} // namespace mountlab::gui
