// Explore mode: this machine's own mount table (or a mountinfo file) in the tree, read
// again every second, its changes marked as a step's are. Read only: no engine, no lab.
#pragma once

#include "mount/mountinfo.h"
#include "mountforest.h"

#include <QObject>
#include <QString>
#include <QVector>
#include <vector>

class QTimer;

namespace mountlab::gui {

class MountTreeScene;

class ExploreMode : public QObject {
    Q_OBJECT
public:
    // The scene must outlive it.
    explicit ExploreMode(MountTreeScene* scene, QObject* parent = nullptr);

    // The table into the scene's one pane, then every second. False (nothing shown)
    // when it cannot be read; `mountinfoFile` empty: /proc/self/mountinfo.
    bool start(const QString& mountinfoFile = {});
    // No more refreshes (the caller gives the scene its forests back).
    void stop();
    [[nodiscard]] bool active() const { return m_active; }

private:
    [[nodiscard]] Result<MountTable> read() const;
    void refresh();

    MountTreeScene* m_scene;
    bool m_active = false;
    QString m_file;
    MountForest m_machine;
    QVector<MountRow> m_rows;
    std::vector<mountlab::Mount> m_last;
    QTimer* m_timer = nullptr;
};

} // namespace mountlab::gui
