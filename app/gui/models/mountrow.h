// One mount as the GUI holds it: the event stream's keys (findmnt's, ours, the raw
// mountinfo line), read from JSON or from core's parser (explore mode).
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace mountlab {
struct Mount;
struct MountDiff;
} // namespace mountlab

namespace mountlab::gui {

// One colour each in every view (Theme maps these to colours).
enum class Propagation { Private, Shared, Slave, SharedSlave, Unbindable };

// OutsideRoot: still mounted in the namespace, but the viewing process's root no
// longer reaches it (after chroot), so its mountinfo leaves it out. Not "removed".
enum class Change { None, Added, Removed, Changed, OutsideRoot };

// An overlay's layers, read from its fs-options (super options).
struct OverlayLayers {
    QStringList lowerdirs; // first is topmost, as lowerdir= lists them
    QString upperdir;
    QString workdir;
    [[nodiscard]] bool isEmpty() const { return lowerdirs.isEmpty() && upperdir.isEmpty(); }
};
[[nodiscard]] OverlayLayers parseOverlayOptions(const QString& fsOptions);

struct MountRow {
    int id = 0;
    int parentId = 0;
    QString target;
    QString source;
    QString fstype;
    QString fsroot;
    QString vfsOptions;
    QString fsOptions;
    QString optFields;
    QString majMin;
    QString raw;
    int peerGroup = 0;     // shared:N
    int master = 0;        // master:N
    int propagateFrom = 0; // propagate_from:N
    bool unbindable = false;
    // Only in normalised diffs (across namespaces): where the mount hangs.
    QString parentTarget;
    int stack = 0;

    [[nodiscard]] Propagation propagation() const;
    // As findmnt prints it: "shared", "private,slave", ...
    [[nodiscard]] QString propagationText() const;
    // "shared:1 master:3", or "private".
    [[nodiscard]] QString groupText() const;
    [[nodiscard]] OverlayLayers overlay() const { return parseOverlayOptions(fsOptions); }
    [[nodiscard]] bool isOverlay() const { return fstype == QLatin1String("overlay"); }
    bool operator==(const MountRow& o) const = default;
};

[[nodiscard]] MountRow mountFromJson(const QJsonObject& o);
[[nodiscard]] MountRow mountFromCore(const mountlab::Mount& m);
[[nodiscard]] QString propagationName(Propagation p);

// A "diff" event's content.
struct MountDiffRows {
    struct Changed {
        MountRow before;
        MountRow after;
        QStringList fields;
    };
    QVector<MountRow> added;
    QVector<MountRow> removed;
    QVector<Changed> changed;
    bool normalised = false; // matched by target (the container entered a new namespace)
    [[nodiscard]] bool isEmpty() const { return added.isEmpty() && removed.isEmpty() && changed.isEmpty(); }
};
[[nodiscard]] MountDiffRows diffFromJson(const QJsonObject& o);
// From core's diff of two snapshots of one namespace (explore mode, the benchmark).
[[nodiscard]] MountDiffRows diffFromCore(const mountlab::MountDiff& d);

} // namespace mountlab::gui
