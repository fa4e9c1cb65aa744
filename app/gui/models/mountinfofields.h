// A mountinfo line explained field by field (proc(5)), with a sentence that teaches
// for each field and for each optional field (shared:N, master:N, ...).
#pragma once

#include <QString>
#include <QVector>

namespace mountlab::gui {

struct MountinfoField {
    QString name;    // "mount ID", "optional fields", ...
    QString text;    // as written in the line
    QString explain; // what it means here
};

// Parsed with core's parse_mountinfo; empty when the line is not a mountinfo line.
[[nodiscard]] QVector<MountinfoField> explainMountinfoLine(const QString& line);

// "peer group 1: mounts and unmounts here propagate to every peer", for one tag.
[[nodiscard]] QString explainOptionalField(const QString& tag);

} // namespace mountlab::gui
