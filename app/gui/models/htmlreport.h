// A run as an HTML report: every step with its status, shell equivalent, syscall,
// checks and mount-table changes, from the recorded event stream alone.
#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace mountlab::gui {

// treeSvg: the final tree drawn as SVG (embedded as is), or empty.
[[nodiscard]] QString htmlReport(const QVector<QByteArray>& events, const QString& treeSvg = {});

} // namespace mountlab::gui
