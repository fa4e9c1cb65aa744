#include "progress.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <utility>

namespace mountlab::gui {

namespace {

QLatin1String L(const char* s) { return QLatin1String(s); }

// The oldest entries go first when an array is past its bound.
QJsonArray appendBounded(QJsonArray array, const QJsonValue& v, int bound)
{
    array.append(v);
    while (array.size() > bound)
        array.removeFirst();
    return array;
}

// A name safe as a file name: what a lesson or exercise id holds ([a-z0-9-]), others as "_".
QString fileSafe(QString s)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    s.replace(unsafe, QStringLiteral("_"));
    if (s.startsWith(QLatin1Char('.')))
        s.replace(0, 1, QLatin1Char('_'));
    return s;
}

} // namespace

Progress::Progress(const QString& path, QObject* parent)
    : QObject(parent), m_path(path.isEmpty() ? defaultPath() : path)
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] { save(); });
}

Progress::~Progress() { flush(); }

QString Progress::defaultPath()
{
    const QString env = qEnvironmentVariable("MOUNTLAB_PROGRESS_FILE");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/mountlab/progress.json");
}

QString Progress::now() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

QString Progress::key(const QString& lesson, const QString& exercise) { return lesson + QLatin1Char('/') + exercise; }

void Progress::load()
{
    m_lessons = {};
    m_exercises = {};
    QFile f(m_path);
    if (!f.exists())
        return;
    if (!f.open(QIODevice::ReadOnly)) {
        Q_EMIT warning(tr("Progress not read: %1: %2").arg(m_path, f.errorString()));
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    f.close();
    if (!doc.isObject())
        return moveAside(error.error != QJsonParseError::NoError ? error.errorString() : tr("not a JSON object"));
    const QJsonObject root = doc.object();
    if (root.value(L("format")).toString() != L("mountlab-progress") ||
        root.value(L("version")).toInt(-1) != kFormatVersion)
        return moveAside(tr("unknown format or version %1").arg(root.value(L("version")).toVariant().toString()));
    m_lessons = root.value(L("lessons")).toObject();
    m_exercises = root.value(L("exercises")).toObject();
}

void Progress::moveAside(const QString& why)
{
    const QString aside = m_path + QStringLiteral(".bad-") +
                          QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmsszzz"));
    const bool moved = QFile::rename(m_path, aside);
    Q_EMIT warning(moved
                       ? tr("Progress file %1 was unreadable (%2): kept as %3; starting afresh").arg(m_path, why, aside)
                       : tr("Progress file %1 was unreadable (%2) and could not be moved aside").arg(m_path, why));
}

void Progress::flush()
{
    if (m_dirty)
        save();
}

void Progress::markChanged()
{
    m_dirty = true;
    if (!m_saveTimer.isActive())
        m_saveTimer.start();
    Q_EMIT changed();
}

QJsonObject Progress::toJson() const
{
    return QJsonObject{{L("format"), L("mountlab-progress")},
                       {L("version"), kFormatVersion},
                       {L("updated"), now()},
                       {L("lessons"), m_lessons},
                       {L("exercises"), m_exercises}};
}

bool Progress::save()
{
    m_saveTimer.stop();
    m_dirty = false;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile f(m_path); // a temp file in the same directory, renamed over the old one
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented)) < 0 ||
        !f.commit()) {
        Q_EMIT warning(tr("Progress not saved to %1: %2").arg(m_path, f.errorString()));
        return false;
    }
    Q_EMIT saved(m_path);
    return true;
}

void Progress::handleEvent(const QJsonObject& e)
{
    const QString kind = e.value(L("kind")).toString();
    if (kind == L("lesson")) {
        m_stepCounts.insert(e.value(L("id")).toString(), int(e.value(L("steps")).toArray().size()));
    } else if (kind == L("step")) {
        if (e.value(L("phase")).toString() != L("begin"))
            return onStepEnd(e);
        m_begin = e;
        const QString lesson = e.value(L("lesson")).toString();
        // A fresh lab, or the lab moved to another lesson: nothing passed in it yet.
        if (e.value(L("where")).toString() == L("lab") || (!lesson.isEmpty() && lesson != m_labLesson)) {
            m_labPassed.clear();
            m_labLesson = lesson;
        }
    } else if (kind == L("practice")) {
        onPractice(e);
    } else if (kind == L("command")) {
        onCommand(e);
    } else if (kind == L("practice-grade")) {
        onGrade(e);
    }
}

void Progress::onStepEnd(const QJsonObject& end)
{
    const QJsonObject begin = std::exchange(m_begin, {});
    if (!begin.contains(L("lesson")) || !begin.contains(L("index")))
        return;
    const QString lesson = begin.value(L("lesson")).toString();
    const int index = begin.value(L("index")).toInt();
    const bool passed = end.value(L("passed")).toBool();
    QJsonObject state = m_lessons.value(lesson).toObject();
    QJsonObject steps = state.value(L("steps")).toObject();
    QJsonObject step = steps.value(QString::number(index)).toObject();
    step.insert(L("id"), begin.value(L("id")).toString());
    step.insert(L("tried"), step.value(L("tried")).toInt() + 1);
    step.insert(L("passed"), step.value(L("passed")).toBool() || passed);
    // Done by typing its command (Try it yourself): the learner's own work, not a Run.
    if (passed && begin.value(L("op")).toObject().value(L("op")).toString() == L("typed"))
        step.insert(L("typed"), true);
    step.insert(L("last"), now());
    steps.insert(QString::number(index), step);
    state.insert(L("steps"), steps);
    if (passed)
        m_labPassed.insert(index);
    else
        m_labPassed.remove(index);
    // Finished: every step of the lesson passed in one lab.
    const int count = m_stepCounts.value(lesson, -1);
    bool all = count > 0;
    for (int i = 0; all && i < count; ++i)
        all = m_labPassed.contains(i);
    if (all && !state.value(L("finished")).toBool()) {
        state.insert(L("finished"), true);
        state.insert(L("finished_at"), now());
    } else if (!state.contains(L("finished"))) {
        state.insert(L("finished"), false);
    }
    m_lessons.insert(lesson, state);
    markChanged();
}

void Progress::onPractice(const QJsonObject& e)
{
    if (!e.value(L("active")).toBool()) {
        m_practiceLesson.clear();
        m_practiceExercise.clear();
        return;
    }
    m_practiceLesson = e.value(L("lesson")).toString();
    m_practiceExercise = e.value(L("exercise")).toString();
}

void Progress::onCommand(const QJsonObject& e)
{
    if (m_practiceLesson.isEmpty() || m_practiceExercise.isEmpty())
        return; // the lessons' own terminals: not an exercise's work
    const QString k = key(m_practiceLesson, m_practiceExercise);
    QJsonObject state = m_exercises.value(k).toObject();
    state.insert(L("lesson"), m_practiceLesson);
    state.insert(L("exercise"), m_practiceExercise);
    const QJsonObject command{{L("text"), e.value(L("text")).toString().left(kMaxCommandChars)},
                              {L("exit"), e.value(L("exit")).toInt()},
                              {L("time"), now()},
                              {L("where"), e.value(L("where")).toString()},
                              {L("nested"), e.value(L("nested")).toBool()}};
    state.insert(L("commands"), appendBounded(state.value(L("commands")).toArray(), command, kMaxCommands));
    m_exercises.insert(k, state);
    markChanged();
}

void Progress::onGrade(const QJsonObject& e)
{
    const QString lesson = e.value(L("lesson")).toString(m_practiceLesson);
    const QString exercise = e.value(L("exercise")).toString(m_practiceExercise);
    if (lesson.isEmpty() || exercise.isEmpty())
        return;
    const QJsonObject result = e.value(L("result")).toObject();
    const int score = result.value(L("score")).toInt();
    const int max = result.value(L("max_score")).toInt();
    const QJsonObject attempt{{L("time"), now()},
                              {L("score"), score},
                              {L("max"), max},
                              {L("status"), result.value(L("status")).toString()},
                              {L("script"), e.value(L("script")).toString().left(kMaxScriptChars)}};
    const QString k = key(lesson, exercise);
    QJsonObject state = m_exercises.value(k).toObject();
    state.insert(L("lesson"), lesson);
    state.insert(L("exercise"), exercise);
    state.insert(L("attempts"), appendBounded(state.value(L("attempts")).toArray(), attempt, kMaxAttempts));
    if (!state.contains(L("best")) || score > state.value(L("best")).toInt())
        state.insert(L("best"), score);
    state.insert(L("max"), max);
    m_exercises.insert(k, state);
    markChanged();
}

void Progress::recordHint(const QString& lesson, const QString& exercise, int count)
{
    const QString k = key(lesson, exercise);
    QJsonObject state = m_exercises.value(k).toObject();
    if (state.value(L("hints")).toInt() >= count)
        return;
    state.insert(L("lesson"), lesson);
    state.insert(L("exercise"), exercise);
    state.insert(L("hints"), count);
    m_exercises.insert(k, state);
    markChanged();
}

void Progress::recordPrediction(const QString& lesson, int index, const QString& stepId, const QString& choice,
                                bool correct)
{
    if (lesson.isEmpty() || index < 0)
        return;
    QJsonObject state = m_lessons.value(lesson).toObject();
    QJsonObject steps = state.value(L("steps")).toObject();
    QJsonObject step = steps.value(QString::number(index)).toObject();
    step.insert(L("id"), stepId);
    step.insert(L("predicted"),
                QJsonObject{{L("choice"), choice.left(kMaxCommandChars)}, {L("correct"), correct}, {L("time"), now()}});
    steps.insert(QString::number(index), step);
    state.insert(L("steps"), steps);
    m_lessons.insert(lesson, state);
    markChanged();
}

QJsonObject Progress::prediction(const QString& lesson, int index) const
{
    return lessonState(lesson)
        .value(L("steps"))
        .toObject()
        .value(QString::number(index))
        .toObject()
        .value(L("predicted"))
        .toObject();
}

QJsonObject Progress::lessonState(const QString& lesson) const { return m_lessons.value(lesson).toObject(); }

bool Progress::lessonFinished(const QString& lesson) const { return lessonState(lesson).value(L("finished")).toBool(); }

QJsonObject Progress::exerciseState(const QString& lesson, const QString& exercise) const
{
    return m_exercises.value(key(lesson, exercise)).toObject();
}

int Progress::exerciseBest(const QString& lesson, const QString& exercise) const
{
    return exerciseState(lesson, exercise).value(L("best")).toInt(-1);
}

QJsonArray Progress::attempts(const QString& lesson, const QString& exercise) const
{
    return exerciseState(lesson, exercise).value(L("attempts")).toArray();
}

QStringList Progress::exerciseKeys() const { return m_exercises.keys(); }

QString Progress::scriptFor(const QString& lesson, const QString& exercise) const
{
    const QJsonObject state = exerciseState(lesson, exercise);
    const QJsonArray tries = state.value(L("attempts")).toArray();
    if (!tries.isEmpty())
        return tries.last().toObject().value(L("script")).toString();
    // As Submit grades them: the container's top-level shell, in order.
    QString script;
    for (const QJsonValue& v : state.value(L("commands")).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(L("where")).toString(QStringLiteral("container")) == L("container") &&
            !c.value(L("nested")).toBool())
            script += c.value(L("text")).toString() + QLatin1Char('\n');
    }
    return script.isEmpty() ? QString() : QStringLiteral("#!/bin/bash\n") + script;
}

int Progress::exportScripts(const QString& dir, QString* error) const
{
    int written = 0;
    for (auto it = m_exercises.constBegin(); it != m_exercises.constEnd(); ++it) {
        const QJsonObject state = it.value().toObject();
        const QString lesson = state.value(L("lesson")).toString();
        const QString exercise = state.value(L("exercise")).toString();
        const QString script = scriptFor(lesson, exercise);
        if (script.isEmpty())
            continue;
        QSaveFile f(
            QDir(dir).filePath(fileSafe(lesson) + QLatin1Char('-') + fileSafe(exercise) + QStringLiteral(".sh")));
        if (!f.open(QIODevice::WriteOnly) || f.write(script.toUtf8()) < 0 || !f.commit()) {
            if (error)
                *error = tr("%1: %2").arg(f.fileName(), f.errorString());
            return -1;
        }
        QFile::setPermissions(f.fileName(), QFile::permissions(f.fileName()) | QFileDevice::ExeOwner);
        ++written;
    }
    return written;
}

} // namespace mountlab::gui
