// Mutation testing of every exercise: each reference solution (good*.sh under
// tests/data/submissions/<lesson>/<exercise>/) is mutated, one change at a time
// (tests/common/mutants.h: every single-line deletion, every swap of adjacent lines, and
// a table of domain mutations: swap the lowerdir order, drop the umount, drop
// --make-rprivate, chroot for pivot_root, private for slave, drop mkdir, ...). Every
// mutant is graded; one with full marks survives, and a survivor fails the test unless
// tests/data/mutants/equivalent.txt lists it with the reason. Prints the mutation score
// per exercise (killed/total).
#include "mutants.h"
#include "testutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace mountlab;

namespace {

// "lesson/exercise/file.sh:ID reason" lines.
QMap<QString, QString> equivalents()
{
    QMap<QString, QString> e;
    QFile f(test::data_path("mutants/equivalent.txt"));
    if (!f.open(QIODevice::ReadOnly))
        return e;
    for (const QString& line : QString::fromUtf8(f.readAll()).split('\n')) {
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        const int sp = line.indexOf(' ');
        e.insert(line.left(sp), sp > 0 ? line.mid(sp + 1).trimmed() : QString());
    }
    return e;
}

} // namespace

class TestGradeMutants : public QObject {
    Q_OBJECT

private slots:
    void every_mutant_is_caught()
    {
        MOUNTLAB_REQUIRE_ROOT();
        const QMap<QString, QString> equiv = equivalents();
        for (auto it = equiv.begin(); it != equiv.end(); ++it)
            QVERIFY2(it.value().size() > 10, qPrintable(it.key() + ": an equivalent mutant needs its reason"));
        QDir root(test::data_path("submissions"));
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        QStringList survivors;
        int total_killed = 0, total = 0;
        QElapsedTimer all;
        all.start();
        for (const QString& l : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            for (const QString& e : QDir(root.filePath(l)).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
                QDir ex(root.filePath(l + "/" + e));
                QStringList files;
                QMap<QString, QString> origin; // mutant file -> "lesson/exercise/good.sh:ID"
                for (const QString& g : ex.entryList({QStringLiteral("good*.sh")}, QDir::Files, QDir::Name)) {
                    QFile f(ex.filePath(g));
                    QVERIFY(f.open(QIODevice::ReadOnly));
                    const QString script = QString::fromUtf8(f.readAll());
                    int n = 0;
                    for (const test::Mutant& m : test::mutants_of(script.toStdString())) {
                        const QString path =
                            tmp.filePath(QStringLiteral("%1-%2-%3-%4.sh").arg(l, e, QFileInfo(g).baseName()).arg(++n));
                        QFile out(path);
                        QVERIFY(out.open(QIODevice::WriteOnly));
                        out.write(m.text.data(), static_cast<qint64>(m.text.size()));
                        out.close();
                        files << path;
                        origin.insert(QFileInfo(path).fileName(),
                                      l + "/" + e + "/" + g + ":" + QString::fromStdString(m.id));
                    }
                }
                if (files.isEmpty())
                    continue;
                auto grade_files = [&](const QStringList& these) {
                    QStringList args{QStringLiteral("grade"), l, QStringLiteral("-e"), e};
                    args << these << QStringLiteral("-f") << QStringLiteral("json") << QStringLiteral("-j")
                         << QStringLiteral("2") << QStringLiteral("--no-trace");
                    const test::ProcessResult r = test::run(QStringLiteral(MOUNTLAB_CLI), args, {}, 600000);
                    const QJsonArray subs = QJsonDocument::fromJson(r.out).object()["submissions"].toArray();
                    if (subs.size() != these.size())
                        qWarning("grade said: %s", r.err.constData());
                    return subs;
                };
                const QJsonArray subs = grade_files(files);
                QCOMPARE(subs.size(), files.size());
                int killed = 0, counted = 0;
                QStringList alive; // files of this exercise's surviving mutants
                for (const auto& sv : subs) {
                    const QJsonObject s = sv.toObject();
                    const QString id = origin.value(s["name"].toString());
                    const bool full = s["status"].toString() == QLatin1String("passed");
                    if (full && equiv.contains(id))
                        continue; // equivalent: not counted
                    ++counted;
                    if (!full)
                        ++killed;
                    else
                        alive << s["file"].toString();
                }
                // A wrong answer that races (a file read before another process wrote it)
                // may win its race once: a survivor is graded twice more, and one that
                // fails then is caught (and named: the grader gives it full marks when it wins).
                for (int round = 1; round <= 2 && !alive.isEmpty(); ++round) {
                    QStringList still;
                    for (const auto& sv : grade_files(alive)) {
                        const QJsonObject s = sv.toObject();
                        if (s["status"].toString() == QLatin1String("passed")) {
                            still << s["file"].toString();
                        } else {
                            ++killed;
                            qInfo("caught on re-grade %d (a race it sometimes wins): %s", round,
                                  qPrintable(origin.value(s["name"].toString())));
                        }
                    }
                    alive = still;
                }
                for (const QString& f : alive) {
                    survivors << origin.value(QFileInfo(f).fileName());
                    qInfo("survivor %s", qPrintable(origin.value(QFileInfo(f).fileName())));
                }
                qInfo("mutation score %s/%s: %d/%d killed", qPrintable(l), qPrintable(e), killed, counted);
                total_killed += killed;
                total += counted;
            }
        }
        qInfo("mutation score, all exercises: %d/%d killed in %.1f s", total_killed, total, all.elapsed() / 1000.0);
        QVERIFY2(survivors.isEmpty(), qPrintable("mutants with full marks (a check is missing, or list them in "
                                                 "tests/data/mutants/equivalent.txt with the reason):\n  " +
                                                 survivors.join("\n  ")));
    }
};

QTEST_GUILESS_MAIN(TestGradeMutants)
#include "tst_grade_mutants.moc"
