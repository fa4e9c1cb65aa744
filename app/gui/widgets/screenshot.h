// How the application starts: live, replay, explore, or a screenshot of a state
// (`mountlab --screenshot FILE --lesson walkthrough --step N`).
#pragma once

#include <QSize>
#include <QString>

class QApplication;

namespace mountlab::gui {

struct StartOptions {
    QString replay;
    bool explore = false;
    QString mountinfo;
    bool noTrace = false;
    bool presenter = false;
    QString screenshot;
    QString lesson = QStringLiteral("walkthrough");
    int step = 0;
    QString select;
    QString tab;
    QString report;  // with --screenshot: also the run as an HTML report
    QString lessons; // --lessons: a folder or pack instead of the built-in lessons
    QSize size{1600, 1000};
};

int runApplication(QApplication& app, const StartOptions& options);

} // namespace mountlab::gui
