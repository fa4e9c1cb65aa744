// A session as an HTML report for a teacher: when and where it ran, each lesson's
// marks at the end, then every step as it happened (grouped by lesson, the lesson's
// Markdown rendered) with its shell equivalent, syscall, result, output, checks, the
// calls traced and the mount-table changes. From the recorded event stream alone.
#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace mountlab::gui {

// treeSvg: the final tree drawn as SVG (embedded as is), or empty.
[[nodiscard]] QString htmlReport(const QVector<QByteArray>& events, const QString& treeSvg = {});

} // namespace mountlab::gui
