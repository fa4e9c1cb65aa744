// A teacher's lesson pack (a folder, or a .tar/.tar.gz/.tgz of one) staged for the engine:
// its YAML lessons copied into a private temporary directory, with the built-in
// walkthrough beside them (the engine opens on it), so the agent reads that directory as
// its lessons directory ($MOUNTLAB_LESSONS). An archive is listed before it is unpacked:
// absolute names, `..`, links and oversized members are refused with the member named.
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace mountlab::gui {

class LessonPack {
public:
    static constexpr qint64 kMaxMemberBytes = 4 * 1024 * 1024;

    // Stages `source`; false with a clear error (and nothing staged) when it cannot be.
    bool open(const QString& source, QString* error);
    [[nodiscard]] bool isOpen() const { return m_dir != nullptr; }
    [[nodiscard]] QString lessonsDir() const; // the staged directory ("" when none)
    [[nodiscard]] QString source() const { return m_source; }
    [[nodiscard]] QString name() const; // the pack's file or folder name
    // `text` (the engine's message about a lesson file) with each staged file named as
    // the teacher knows it: "pack.tar.gz: pack/b.yaml:6:1: ...", or the folder's path.
    [[nodiscard]] QString describe(const QString& text) const;
    // True when `described` (describe()'s) names one of the pack's own files.
    [[nodiscard]] bool namesMember(const QString& described) const
    {
        return m_dir && !m_shown.isEmpty() && described.contains(m_shown);
    }
    // The built-in lessons (the rule of core's lessons_dir(), seen from the GUI).
    [[nodiscard]] static QString builtinDir();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_source;
    QString m_shown; // what a staged file's directory stands for (describe())
};

} // namespace mountlab::gui
