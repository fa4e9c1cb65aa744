// File ▸ Export: the mount trees as SVG or PNG, and the run as a self-contained HTML
// report (the recording's steps, with the trees as inline SVG). Each returns false when
// the file cannot be written.
#pragma once

#include <QByteArray>
#include <QColor>
#include <QString>
#include <QVector>

namespace mountlab::gui {

class MountTreeScene;
class Progress;

bool exportTreeSvg(MountTreeScene& scene, const QString& path);
// `background`: the theme's, since a PNG has no page behind it.
bool exportTreePng(MountTreeScene& scene, const QColor& background, const QString& path);
// `recorded`: every event-stream line of the session (Session::recorded()).
bool exportHtmlReport(MountTreeScene& scene, const QVector<QByteArray>& recorded, const QString& path,
                      const Progress* progress = nullptr);

} // namespace mountlab::gui
