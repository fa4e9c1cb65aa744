// A session as an HTML report for a teacher: when and where it ran, each lesson's
// marks at the end, then every step as it happened (grouped by lesson, the lesson's
// Markdown rendered) with its shell equivalent, syscall, result, output, checks, the
// calls traced and the mount-table changes. From the recorded event stream alone.
#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace mountlab::gui {

class Progress;

// The report's Content-Security-Policy: nothing is fetched or run, only its own inline
// styles apply. The tree SVG is inline vector paths (no <image>), so no img-src is needed.
inline constexpr const char* kReportCsp =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

// treeSvg: the final tree drawn as SVG (embedded as is), or empty. progress: the
// learner's kept exercise attempts (each one's score, status and script), or none.
[[nodiscard]] QString htmlReport(const QVector<QByteArray>& events, const QString& treeSvg = {},
                                 const Progress* progress = nullptr);

} // namespace mountlab::gui
