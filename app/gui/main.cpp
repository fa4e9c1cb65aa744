// mountlab: the desktop walkthrough. Little more than argument parsing; the window and
// the models live in their libraries (app/gui/widgets, app/gui/models).
#include "lessonpack.h"
#include "screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>

namespace {

// A screenshot needs no display: render off screen when there is none.
void renderOffscreenForScreenshot(int argc, char** argv)
{
    bool wantsScreenshot = false;
    for (int i = 1; i < argc; ++i)
        wantsScreenshot |= qstrcmp(argv[i], "--screenshot") == 0;
    if (wantsScreenshot && qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

void nameApplication()
{
    QApplication::setApplicationName(QStringLiteral("mountlab"));
    QApplication::setOrganizationName(QStringLiteral("MountLab"));
    QApplication::setApplicationVersion(QStringLiteral(MOUNTLAB_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/mountlab/mountlab.svg")));
}

// The command line's options.
struct CommandLine {
    const QCommandLineOption replay{QStringLiteral("replay"),
                                    QStringLiteral("Replay a recording (.jsonl); needs no privilege."),
                                    QStringLiteral("FILE")};
    const QCommandLineOption explore{
        QStringLiteral("explore"),
        QStringLiteral("Explore this machine's mount table (or a mountinfo FILE given with --mountinfo).")};
    const QCommandLineOption mountinfo{QStringLiteral("mountinfo"),
                                       QStringLiteral("The mountinfo file --explore shows."), QStringLiteral("FILE")};
    // --rootless is the old name: every lab is a user namespace now, traced or not.
    const QCommandLineOption rootless{
        QStringList{QStringLiteral("no-trace"), QStringLiteral("rootless")},
        QStringLiteral(
            "Do not trace system calls (no pkexec prompt for the tracer helper); the trees still show every change.")};
    const QCommandLineOption presenter{QStringLiteral("presenter"), QStringLiteral("Start in presenter mode (F11).")};
    const QCommandLineOption lessons{
        QStringLiteral("lessons"),
        QStringLiteral("Open these lessons instead of the built-in ones: a folder or a .tar/.tar.gz/.tgz pack."),
        QStringLiteral("PATH")};
    const QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                        QStringLiteral("Render a state to a PNG and exit."), QStringLiteral("FILE")};
    const QCommandLineOption lesson{
        QStringLiteral("lesson"),
        QStringLiteral("With --screenshot: the lesson (\"walkthrough\", or a lesson's id: mountlab-cli lessons)."),
        QStringLiteral("ID"), QStringLiteral("walkthrough")};
    const QCommandLineOption step{
        QStringLiteral("step"), QStringLiteral("With --screenshot: run the lesson's first N steps (0: its overview)."),
        QStringLiteral("N"), QStringLiteral("0")};
    const QCommandLineOption size{QStringLiteral("size"), QStringLiteral("With --screenshot: the window size."),
                                  QStringLiteral("WxH"), QStringLiteral("1600x1000")};
    const QCommandLineOption select{
        QStringLiteral("select"),
        QStringLiteral("With --screenshot: select the mount on this target (container first)."),
        QStringLiteral("TARGET")};
    const QCommandLineOption tab{QStringLiteral("tab"),
                                 QStringLiteral("With --screenshot: show this tab (trace, copy-up, terminal)."),
                                 QStringLiteral("NAME")};
    const QCommandLineOption report{QStringLiteral("report"),
                                    QStringLiteral("With --screenshot: also write the run as an HTML report."),
                                    QStringLiteral("FILE")};
};

void setupParser(QCommandLineParser& parser, const CommandLine& cl)
{
    parser.setApplicationDescription(
        QStringLiteral("MountLab: how a container gets its filesystem, step by step, on the real kernel"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({cl.replay, cl.explore, cl.mountinfo, cl.rootless, cl.presenter, cl.lessons, cl.screenshot,
                       cl.lesson, cl.step, cl.size, cl.select, cl.tab, cl.report});
    parser.addPositionalArgument(
        QStringLiteral("RECORDING"),
        QStringLiteral("A recording (.jsonl) to replay, as --replay (how the file manager opens one)."),
        QStringLiteral("[RECORDING]"));
}

// The recording to replay: --replay FILE or the one positional argument, not both.
bool readRecording(const QCommandLineParser& parser, const CommandLine& cl, mountlab::gui::StartOptions& options)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1 || (positional.size() == 1 && parser.isSet(cl.replay))) {
        std::fprintf(
            stderr, "mountlab: one recording at a time (got %s)\n",
            qPrintable((parser.isSet(cl.replay) ? QStringList{parser.value(cl.replay)} + positional : positional)
                           .join(QStringLiteral(", "))));
        return false;
    }
    options.replay = positional.isEmpty() ? parser.value(cl.replay) : positional.front();
    return true;
}

bool readStep(const QCommandLineParser& parser, const CommandLine& cl, mountlab::gui::StartOptions& options)
{
    bool stepOk = false;
    options.step = parser.value(cl.step).toInt(&stepOk);
    if (!stepOk || options.step < 0) {
        std::fprintf(stderr, "mountlab: --step %s: not a number of steps (0 or more)\n",
                     qPrintable(parser.value(cl.step)));
        return false;
    }
    return true;
}

bool readSize(const QCommandLineParser& parser, const CommandLine& cl, mountlab::gui::StartOptions& options)
{
    const QStringList wh = parser.value(cl.size).split(QLatin1Char('x'));
    bool wOk = false, hOk = false;
    if (wh.size() == 2)
        options.size = QSize(wh[0].toInt(&wOk), wh[1].toInt(&hOk));
    if (!wOk || !hOk || options.size.width() < 200 || options.size.height() < 150) {
        std::fprintf(stderr, "mountlab: --size %s: want WIDTHxHEIGHT, at least 200x150 (such as 1600x1000)\n",
                     qPrintable(parser.value(cl.size)));
        return false;
    }
    return true;
}

// False (with the reason on stderr) for a command line that makes no sense.
bool readOptions(const QCommandLineParser& parser, const CommandLine& cl, mountlab::gui::StartOptions& options)
{
    if (!readRecording(parser, cl, options))
        return false;
    options.explore = parser.isSet(cl.explore);
    options.mountinfo = parser.value(cl.mountinfo);
    options.noTrace = parser.isSet(cl.rootless);
    options.presenter = parser.isSet(cl.presenter);
    options.screenshot = parser.value(cl.screenshot);
    options.lesson = parser.value(cl.lesson);
    if (!readStep(parser, cl, options))
        return false;
    options.select = parser.value(cl.select);
    options.tab = parser.value(cl.tab);
    options.report = parser.value(cl.report);
    return readSize(parser, cl, options);
}

} // namespace

int main(int argc, char** argv)
{
    renderOffscreenForScreenshot(argc, argv);
    QApplication app(argc, argv);
    nameApplication();
    const CommandLine cl;
    QCommandLineParser parser;
    setupParser(parser, cl);
    parser.process(app);
    mountlab::gui::StartOptions options;
    if (!readOptions(parser, cl, options))
        return 2;
    // --lessons: the window stages them (and names the pack in its title and messages).
    if (parser.isSet(cl.lessons))
        options.lessons = parser.value(cl.lessons);
    return mountlab::gui::runApplication(app, options);
}
