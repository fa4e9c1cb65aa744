// libFuzzer target for recordings (.jsonl): a file anyone can hand to the GUI. It is
// read as the GUI reads it, through Recording::load (app/gui/models/engineclient.cpp),
// and every line goes through Session::handleLine (app/gui/models/session.cpp), as a
// replay does, and through handleTraceLine; then every model is read as the views
// read it. The models are QtCore only, so this links them without a display. Any
// crash or sanitizer report is a bug (Qt itself is not instrumented).
// Build: cmake --preset fuzz && cmake --build build-fuzz --target fuzz_recording
// Run:   build-fuzz/bin/fuzz_recording tests/fuzz/corpus/fuzz_recording
#include "engineclient.h"
#include "session.h"

#include <QAbstractItemModel>
#include <QCoreApplication>

#include <cstddef>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace {

using mountlab::gui::Recording;
using mountlab::gui::Session;

int g_memfd = -1;

// Reads every cell (display, tool tip and the models' own roles) of up to `budget`
// rows, children included.
void read_model(const QAbstractItemModel& m, const QModelIndex& parent, int& budget)
{
    const int rows = m.rowCount(parent), cols = m.columnCount(parent);
    for (int r = 0; r < rows && budget > 0; ++r, --budget)
        for (int c = 0; c < cols; ++c) {
            const QModelIndex i = m.index(r, c, parent);
            for (int role :
                 {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::DecorationRole), int(Qt::ForegroundRole)})
                (void)m.data(i, role);
            for (int role = Qt::UserRole; role < Qt::UserRole + 24; ++role)
                (void)m.data(i, role);
            (void)m.flags(i);
            if (c == 0)
                read_model(m, i, budget);
        }
}

void read_models(Session& s)
{
    int budget = 20000;
    for (const QAbstractItemModel* m : std::initializer_list<const QAbstractItemModel*>{
             s.navigator(), s.hostModel(), s.containerModel(), s.trace(), s.copyUp()})
        read_model(*m, {}, budget);
    (void)s.traceSource();
    (void)s.resultOf(s.lastFlat());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv);
    g_memfd = memfd_create("recording.jsonl", 0);
    return g_memfd >= 0 ? 0 : 1;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (ftruncate(g_memfd, 0) != 0 || pwrite(g_memfd, data, size, 0) != static_cast<ssize_t>(size))
        return 0;
    Recording rec;
    QString error;
    const bool loaded = Recording::load(QStringLiteral("/proc/self/fd/%1").arg(g_memfd), &rec, &error);
    if (!loaded && error.isEmpty())
        __builtin_trap();
    if (loaded && (rec.frameCount() < 1 || rec.frameStarts.front() != 0))
        __builtin_trap();
    Session session;
    const QVector<QByteArray> lines =
        loaded ? rec.lines : QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)).split('\n');
    for (const QByteArray& line : lines)
        session.handleLine(line);
    for (const QByteArray& line : lines)
        session.handleTraceLine(line);
    read_models(session);
    return 0;
}
