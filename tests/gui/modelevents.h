// The event stream's JSON as the agent writes it (a walkthrough, lessons, mounts and
// tables), for the tests of the GUI's models (tst_gui_navigator, tst_gui_mountforest,
// tst_gui_tracecopyup, tst_gui_session).
#pragma once

#include "mountforest.h"
#include "mountrow.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace mountlab::gui::test {

inline QJsonObject json(const char* text) { return QJsonDocument::fromJson(QByteArray(text)).object(); }

inline const char* const kWalkthrough =
    "{\"kind\":\"walkthrough\",\"stages\":[{\"id\":\"unshare\",\"title\":\"A mount namespace of its own\"},"
    "{\"id\":\"propagation\",\"title\":\"Propagation\"}],\"steps\":["
    "{\"index\":0,\"stage\":\"unshare\",\"id\":\"unshare-mount\",\"title\":\"Give the container its own mount namespace\","
    "\"shell\":\"unshare --mount\",\"syscall\":\"unshare(CLONE_NEWNS)\",\"explain\":\"copy\",\"where\":\"container\"},"
    "{\"index\":1,\"stage\":\"propagation\",\"id\":\"leak\",\"title\":\"Mount a tmpfs: it leaks\","
    "\"shell\":\"mount -t tmpfs leak /mnt/leak\",\"syscall\":\"mount(...)\",\"explain\":\"\",\"where\":\"container\"},"
    "{\"index\":2,\"stage\":\"propagation\",\"id\":\"unleak\",\"title\":\"Unmount it\","
    "\"shell\":\"umount /mnt/leak\",\"syscall\":\"umount2(...)\",\"explain\":\"\",\"where\":\"container\"}]}";

inline const char* const kLessonPropagation =
    "{\"kind\":\"lesson\",\"id\":\"propagation\",\"title\":\"Propagation\",\"summary\":\"Peer groups.\","
    "\"file\":\"lessons/04-propagation.yaml\",\"prerequisites\":[\"mount-namespaces\"],\"steps\":["
    "{\"id\":\"leak\",\"title\":\"A mount leaks\",\"shell\":\"mount -t tmpfs leak /mnt/leak\",\"syscall\":\"mount(...)\","
    "\"text\":\"The lab host **sees** it.\",\"where\":\"container\"},"
    "{\"id\":\"private\",\"title\":\"Make / private\",\"shell\":\"mount --make-rprivate /\",\"syscall\":\"mount(...)\","
    "\"text\":\"Nothing propagates.\",\"where\":\"container\"}],"
    "\"exercises\":[{\"id\":\"private-tmpfs\",\"title\":\"A private tmpfs\",\"points\":10,\"task\":\"Mount it.\",\"hints\":[]}]}";

inline const char* const kLessonOverlay =
    "{\"kind\":\"lesson\",\"id\":\"overlay\",\"title\":\"Overlay filesystems\",\"summary\":\"Layers.\",\"steps\":["
    "{\"id\":\"mount\",\"title\":\"Mount the layers\",\"shell\":\"mount -t overlay ...\",\"text\":\"Merged.\"}],"
    "\"exercises\":[]}";

inline QByteArray mountJson(int id, int parent, const char* target, const char* fstype, int peer, int master = 0,
                            const char* fsopts = "rw")
{
    const QString raw = QStringLiteral("%1 %2 0:40 / %3 rw,relatime %4 - %5 src %6")
                            .arg(id)
                            .arg(parent)
                            .arg(QLatin1String(target))
                            .arg(peer     ? QStringLiteral("shared:%1").arg(peer)
                                 : master ? QStringLiteral("master:%1").arg(master)
                                          : QString())
                            .arg(QLatin1String(fstype), QLatin1String(fsopts));
    return QStringLiteral(
               "{\"id\":%1,\"parent\":%2,\"target\":\"%3\",\"source\":\"src\",\"fstype\":\"%4\",\"fsroot\":\"/\",\"vfs-options\":\"rw,relatime\",\"fs-options\":\"%5\",\"peer_group\":%6,\"master\":%7,\"unbindable\":false,\"raw\":\"%8\"}")
        .arg(id)
        .arg(parent)
        .arg(QLatin1String(target), QLatin1String(fstype), QLatin1String(fsopts))
        .arg(peer ? QString::number(peer) : QStringLiteral("null"))
        .arg(master ? QString::number(master) : QStringLiteral("null"))
        .arg(raw.simplified())
        .toUtf8();
}

inline QByteArray tableLine(int step, const char* view, const QList<QByteArray>& mounts)
{
    return "{\"kind\":\"table\",\"step\":" + QByteArray::number(step) + ",\"view\":\"" + view +
           "\",\"mntns\":4026532177,\"mounts\":[" + mounts.join(',') + "]}";
}

inline QVector<MountRow> rowsOf(const QList<QByteArray>& mounts)
{
    QVector<MountRow> rows;
    for (const QByteArray& m : mounts)
        rows << mountFromJson(QJsonDocument::fromJson(m).object());
    return rows;
}

inline QStringList targets(const MountForest& f)
{
    QStringList out;
    for (const auto& n : f.nodes())
        out << n.mount().target;
    return out;
}

} // namespace mountlab::gui::test
