#include "lessonpack.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QProcess>

namespace mountlab::gui {

namespace {

bool runTar(const QStringList& args, QByteArray* out, QString* error)
{
    QProcess tar;
    tar.start(QStringLiteral("/bin/tar"), args);
    if (!tar.waitForFinished(30000) || tar.exitStatus() != QProcess::NormalExit || tar.exitCode() != 0) {
        *error = QStringLiteral("tar: %1").arg(QString::fromUtf8(tar.readAllStandardError()).trimmed());
        tar.kill();
        return false;
    }
    *out = tar.readAllStandardOutput();
    return true;
}

// `tar -tv` lines: mode, owner, size, date, time, name. Only plain files and folders.
bool checkMembers(const QString& archive, QString* error)
{
    QByteArray names, verbose;
    if (!runTar({QStringLiteral("-tf"), archive}, &names, error) ||
        !runTar({QStringLiteral("-tvf"), archive}, &verbose, error))
        return false;
    for (const QByteArray& raw : names.split('\n')) {
        const QString n = QString::fromUtf8(raw);
        if (n.isEmpty())
            continue;
        if (n.startsWith(QLatin1Char('/')) || n.split(QLatin1Char('/')).contains(QStringLiteral(".."))) {
            *error = QStringLiteral("%1: the member %2 would land outside the pack; refused").arg(archive, n);
            return false;
        }
    }
    for (const QByteArray& raw : verbose.split('\n')) {
        const QList<QByteArray> f = raw.simplified().split(' ');
        if (raw.isEmpty() || f.size() < 6)
            continue;
        const QString name = QString::fromUtf8(f.mid(5).join(' '));
        if (f[0][0] != '-' && f[0][0] != 'd') {
            *error = QStringLiteral("%1: the member %2 is a link or a special file; a pack holds only files")
                         .arg(archive, name);
            return false;
        }
        if (f[2].toLongLong() > LessonPack::kMaxMemberBytes) {
            *error = QStringLiteral("%1: the member %2 is over %3 bytes; refused")
                         .arg(archive, name)
                         .arg(LessonPack::kMaxMemberBytes);
            return false;
        }
    }
    return true;
}

// The folder that holds the lessons: the root, or its one subfolder.
QString lessonRoot(const QString& dir)
{
    const QDir d(dir);
    const QStringList sub = d.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (d.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files).isEmpty() && sub.size() == 1)
        return d.filePath(sub.front());
    return dir;
}

// `shown`: how the teacher knows `from` ("pack.tgz: pack/" for an archive's folder).
bool copyLessons(const QString& from, const QString& shown, const QString& to, QString* error)
{
    const QStringList files =
        QDir(from).entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files | QDir::NoSymLinks);
    if (files.isEmpty()) {
        *error = QStringLiteral("%1 holds no lesson (*.yaml)").arg(shown);
        return false;
    }
    for (const QString& f : files) {
        if (QFileInfo(QDir(from).filePath(f)).size() > LessonPack::kMaxMemberBytes ||
            !QFile::copy(QDir(from).filePath(f), QDir(to).filePath(f))) {
            *error = QStringLiteral("%1%2: cannot be read, or is over %3 bytes")
                         .arg(shown, f)
                         .arg(LessonPack::kMaxMemberBytes);
            return false;
        }
    }
    return true;
}

// The engine opens on the walkthrough: the built-in one, unless the pack has its own.
void addWalkthrough(const QString& to)
{
    const QDir builtin(LessonPack::builtinDir());
    for (const QString& f : builtin.entryList({QStringLiteral("*.yaml")}, QDir::Files)) {
        QFile file(builtin.filePath(f));
        if (!file.open(QIODevice::ReadOnly) || !file.readAll().contains("\nid: walkthrough\n"))
            continue;
        for (const QString& g : QDir(to).entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files)) {
            QFile mine(QDir(to).filePath(g));
            if (mine.open(QIODevice::ReadOnly) && mine.readAll().contains("\nid: walkthrough\n"))
                return;
        }
        QFile::copy(builtin.filePath(f), QDir(to).filePath(QStringLiteral("00-builtin-walkthrough.yaml")));
        return;
    }
}

} // namespace

QString LessonPack::builtinDir()
{
    const QString env = qEnvironmentVariable("MOUNTLAB_LESSONS");
    if (!env.isEmpty())
        return env;
    const QDir bin(QCoreApplication::applicationDirPath());
    for (const QString& c :
         {QStringLiteral("../share/mountlab/lessons"), QStringLiteral("../../lessons"), QStringLiteral("../lessons")})
        if (QFileInfo(bin.filePath(c)).isDir())
            return QDir::cleanPath(bin.filePath(c));
    return QStringLiteral(MOUNTLAB_SOURCE_LESSONS);
}

bool LessonPack::open(const QString& source, QString* error)
{
    auto dir = std::make_unique<QTemporaryDir>();
    const QString unpacked = dir->filePath(QStringLiteral("unpacked"));
    const QString staged = dir->filePath(QStringLiteral("lessons"));
    if (!dir->isValid() || !QDir().mkpath(unpacked) || !QDir().mkpath(staged)) {
        *error = QStringLiteral("no temporary directory for the pack");
        return false;
    }
    const QFileInfo info(source);
    QString root = source;
    if (!info.exists()) {
        *error = QStringLiteral("%1: no such folder or file").arg(source);
        return false;
    }
    if (!info.isDir()) {
        static const QStringList kinds{QStringLiteral(".tar"), QStringLiteral(".tar.gz"), QStringLiteral(".tgz")};
        if (!std::any_of(kinds.begin(), kinds.end(), [&](const QString& k) { return source.endsWith(k); })) {
            *error = QStringLiteral("%1: a lesson pack is a folder or a .tar, .tar.gz or .tgz archive").arg(source);
            return false;
        }
        QByteArray ignored;
        if (!checkMembers(source, error) ||
            !runTar({QStringLiteral("-xf"), source, QStringLiteral("--no-same-owner"),
                     QStringLiteral("--no-same-permissions"), QStringLiteral("-C"), unpacked},
                    &ignored, error))
            return false;
        root = lessonRoot(unpacked);
    }
    // A file of the pack as the teacher knows it: the folder's own path, or the archive
    // and the member's name in it (never the staged copy's temporary path).
    QString shown = QDir::cleanPath(root) + QLatin1Char('/');
    if (!info.isDir()) {
        const QString inside = QDir(unpacked).relativeFilePath(root);
        shown = source + QStringLiteral(": ") +
                (inside == QLatin1String(".") || inside.isEmpty() ? QString() : inside + QLatin1Char('/'));
    }
    if (!copyLessons(root, shown, staged, error))
        return false;
    addWalkthrough(staged);
    m_dir = std::move(dir);
    m_source = source;
    m_shown = shown;
    return true;
}

QString LessonPack::describe(const QString& text) const
{
    if (!m_dir)
        return text;
    QString out = text;
    out.replace(lessonsDir() + QStringLiteral("/00-builtin-walkthrough.yaml"),
                QStringLiteral("the built-in walkthrough"));
    out.replace(lessonsDir() + QLatin1Char('/'), m_shown);
    return out.replace(lessonsDir(), name()); // the directory itself
}

QString LessonPack::lessonsDir() const { return m_dir ? m_dir->filePath(QStringLiteral("lessons")) : QString(); }

QString LessonPack::name() const { return QFileInfo(m_source).fileName(); }

} // namespace mountlab::gui
