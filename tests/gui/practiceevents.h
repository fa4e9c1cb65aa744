// The practice events tst_gui_practice feeds, as the agent writes them
// (core/stream/events.h: practice, practice-grade), and a lesson with exercises.
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace practice_events {

inline QByteArray compact(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

inline QJsonObject check(const QString& name, int points, int max, bool passed, const QString& message = {},
                         const QString& feedback = {})
{
    return QJsonObject{{QStringLiteral("name"), name},       {QStringLiteral("points"), points},
                       {QStringLiteral("max"), max},         {QStringLiteral("passed"), passed},
                       {QStringLiteral("message"), message}, {QStringLiteral("feedback"), feedback}};
}

// bind-mounts/leaky-volume as the practice protocol describes its events.
inline QJsonObject leakyVolume(const QString& reason, const QJsonArray& checks, int score, bool withSolution = false)
{
    QJsonObject e{{QStringLiteral("kind"), QStringLiteral("practice")},
                  {QStringLiteral("active"), true},
                  {QStringLiteral("lesson"), QStringLiteral("bind-mounts")},
                  {QStringLiteral("exercise"), QStringLiteral("leaky-volume")},
                  {QStringLiteral("title"), QStringLiteral("Why does this volume leak to the lab host?")},
                  {QStringLiteral("task"), QStringLiteral("A runtime bound a volume on `/srv/data`. But the lab "
                                                          "host sees it too: the volume **leaked**.")},
                  {QStringLiteral("hints"), QJsonArray{QStringLiteral("Look at field 7 of /srv's line."),
                                                       QStringLiteral("`--make-private /` is not recursive."),
                                                       QStringLiteral("umount, --make-rprivate, bind again.")}},
                  {QStringLiteral("reason"), reason},
                  {QStringLiteral("score"), score},
                  {QStringLiteral("max"), 10},
                  {QStringLiteral("commands"), 0},
                  {QStringLiteral("checks"), checks}};
    if (withSolution)
        e.insert(QStringLiteral("solution"),
                 QStringLiteral("#!/bin/bash\numount /srv/data\nmount --make-rprivate /\n"));
    return e;
}

inline QJsonArray leakyChecks(bool firstPasses)
{
    return {
        check(QStringLiteral("the lab host has no /srv/data mount"), firstPasses ? 4 : 0, 4, firstPasses,
              firstPasses ? QString() : QStringLiteral("the lab host has /srv/data (tmpfs? no: a bind)"),
              QStringLiteral("Unmount the leaked bind while the umount still propagates.")),
        check(QStringLiteral("the container has the volume on /srv/data"), 2, 2, true),
        check(QStringLiteral("nothing propagates to the lab host"), 0, 2, false,
              QStringLiteral("/srv is shared:12 with the lab host"),
              QStringLiteral("--make-private is not recursive: use --make-rprivate.")),
        check(QStringLiteral("/tmp/cause.txt names the cause"), 0, 1, false, QStringLiteral("no /tmp/cause.txt")),
        check(QStringLiteral("/tmp/cause.txt says it propagated"), 0, 1, false, QStringLiteral("no /tmp/cause.txt"))};
}

// The exercise with the most checks (overlay-advanced/rename-config: 8) and, for the
// height, the longest task text of any lesson's.
inline QJsonObject longestExercise()
{
    const QString why = QStringLiteral("/root/why.txt does not name the option that lets overlayfs rename a lower "
                                       "directory itself: redirect_dir=on (which userxattr, in a user namespace, "
                                       "does not allow).");
    QJsonArray checks{
        check(QStringLiteral("app/config.old/settings.conf is the image's"), 0, 2, false,
              QStringLiteral("no such file"), why),
        check(QStringLiteral("app/config.old has secrets.conf too"), 0, 1, false, QStringLiteral("no such file"), why),
        check(QStringLiteral("app/config is not in the merged view"), 0, 2, false, QStringLiteral("it is"), why),
        check(QStringLiteral("the upper layer has a whiteout for app/config"), 0, 1, false,
              QStringLiteral("not a whiteout"), why),
        check(QStringLiteral("the overlay on /var/lib/mountlab/c1/merged is the image's"), 0, 0, true),
        check(QStringLiteral("why.txt names the error"), 0, 1, false, QStringLiteral("no /root/why.txt"), why),
        check(QStringLiteral("why.txt says where app/config lives"), 0, 1, false, QStringLiteral("no /root/why.txt"),
              why),
        check(QStringLiteral("why.txt names the option"), 0, 2, false, QStringLiteral("no /root/why.txt"), why)};
    QString task;
    for (int i = 0; i < 6; ++i)
        task += QStringLiteral("Your script runs in a container whose image is mounted as an overlay on "
                               "`/var/lib/mountlab/c1/merged`; the image's updater renames a directory and it "
                               "fails with EXDEV. ");
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("practice")},
                       {QStringLiteral("active"), true},
                       {QStringLiteral("lesson"), QStringLiteral("overlay-advanced")},
                       {QStringLiteral("exercise"), QStringLiteral("rename-config")},
                       {QStringLiteral("title"), QStringLiteral("A rename that fails with EXDEV")},
                       {QStringLiteral("task"), task},
                       {QStringLiteral("hints"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}},
                       {QStringLiteral("reason"), QStringLiteral("start")},
                       {QStringLiteral("score"), 0},
                       {QStringLiteral("max"), 10},
                       {QStringLiteral("checks"), checks}};
}

inline const char* kLesson =
    "{\"kind\":\"lesson\",\"id\":\"bind-mounts\",\"title\":\"Bind mounts\",\"summary\":\"Binds.\",\"steps\":["
    "{\"id\":\"bind\",\"title\":\"Bind a directory\",\"shell\":\"mount --bind a b\",\"text\":\"Bound.\"}],"
    "\"exercises\":[{\"id\":\"leaky-volume\",\"title\":\"Why does this volume leak to the lab host?\","
    "\"points\":10,\"task\":\"Fix it.\",\"hints\":[]},"
    "{\"id\":\"ro-volume\",\"title\":\"A read-only volume\",\"points\":10,\"task\":\"Make it.\",\"hints\":[]}]}";

} // namespace practice_events
