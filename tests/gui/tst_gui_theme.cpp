// Every text colour of both themes reads on the ground it is drawn on: WCAG 2.x AA
// (contrast ratio >= 4.5:1, relative luminance as WCAG defines it).
#include "theme.h"

#include <QtTest>

#include <cmath>

using namespace mountlab::gui;

namespace {

double channel(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

double luminance(const QColor& c)
{
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct Pair {
    const char* what;
    QColor ink, ground;
};

// Each text colour with every ground the GUI draws it on.
QVector<Pair> textPairs(const Theme& t)
{
    const QColor white(0xFF, 0xFF, 0xFF);
    // The light theme keeps the desktop's palette (white views); the presenter sets its own.
    const QColor base = t.paletteBase.isValid() ? t.paletteBase : white;
    const QColor shellGround = t.shellBackground.isValid() ? t.shellBackground : t.stepOutputBackground;
    return {
        {"text on background", t.text, t.background},
        {"text on panel", t.text, t.panel},
        {"text on a pane header", t.text, t.paneHeader},
        {"dimText on background", t.dimText, t.background},
        {"dimText on panel", t.dimText, t.panel},
        {"dimText on a pane header", t.dimText, t.paneHeader},
        {"+ new badge", t.addedBadgeText, t.added},
        {"− gone badge", t.markBadgeText, t.removed},
        {"~ changed badge", t.markBadgeText, t.changed},
        {"outside-root badge", t.markBadgeText, t.outsideRoot},
        {"lane number", t.laneNumber, Theme::propagationColor(Propagation::Shared)},
        {"terminal text", t.terminalText, t.terminalBackground},
        {"banner", t.bannerText, t.bannerBackground},
        {"REPLAY mark", t.replayBadgeText, t.replayBadge},
        {"passed step", t.passText, base},
        {"failed step", t.failText, base},
        {"running step (navigator)", t.changed, base},
        {"running current step", t.changed, t.currentStepBackground},
        {"passed current step", t.passText, t.currentStepBackground},
        {"failed current step", t.failText, t.currentStepBackground},
        {"text of the current step", t.text, t.currentStepBackground},
        {"text of the active lesson", t.text, t.activeLessonBackground},
        {"stage heading", t.stageHeading, base},
        {"shell line", t.shellText, shellGround},
        {"syscall line", t.syscallText, base},
        {"syscall line on the step output", t.syscallText, t.stepOutputBackground},
        {"copy-up: lower layer", t.layerText, t.lowerLayerBackground},
        {"copy-up: whiteout", t.layerText, t.whiteoutBackground},
        {"copy-up: opaque dir", t.layerText, t.opaqueDirBackground},
        {"copy-up: copied up", t.layerText, t.copiedUpBackground},
        {"mountinfo chip 0", t.mountinfoChipText, t.mountinfoChip[0]},
        {"mountinfo chip 1", t.mountinfoChipText, t.mountinfoChip[1]},
        {"report text", t.reportText, white},
        {"report text in pre", t.reportText, t.reportPre},
        {"report output", t.reportText, t.reportOutput},
        {"report added", t.reportText, t.reportAdded},
        {"report syscall", t.reportSyscall, t.reportPre},
        {"report syscall on white", t.reportSyscall, white},
        {"report fail", t.reportFail, white},
        {"report pass", t.reportPass, white},
        {"report removed", t.reportRemoved, white},
        {"report changed", t.reportChanged, white},
        {"report sys", t.reportSys, white},
        {"practice: text", t.text, t.practiceBackground},
        {"practice: a check that holds", t.practiceDone, t.practiceBackground},
        {"practice: a check not yet", t.practiceOpen, t.practiceBackground},
        {"practice: a failed check", t.practiceFailed, t.practiceBackground},
        {"practice: the script", t.practiceScriptText, t.practiceScriptBackground},
    };
}

} // namespace

class TestTheme : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void contrast_knownValues()
    {
        // The formula itself: black on white is 21:1, a colour on itself 1:1, #777 on white 4.48.
        QCOMPARE(qRound(contrast(Qt::black, Qt::white) * 100), 2100);
        QCOMPARE(contrast(QColor(0x12, 0x34, 0x56), QColor(0x12, 0x34, 0x56)), 1.0);
        QCOMPARE(qRound(contrast(QColor(0x77, 0x77, 0x77), Qt::white) * 100), 448);
    }
    void textColours_meetWcagAA_data()
    {
        QTest::addColumn<bool>("presenter");
        QTest::newRow("normal") << false;
        QTest::newRow("presenter") << true;
    }
    void textColours_meetWcagAA()
    {
        QFETCH(bool, presenter);
        const Theme t = presenter ? Theme::presenter(11) : Theme::normal(11);
        QStringList failing;
        for (const Pair& p : textPairs(t)) {
            QVERIFY2(p.ink.isValid() && p.ground.isValid(), p.what);
            const double r = contrast(p.ink, p.ground);
            if (r < 4.5)
                failing << QStringLiteral("%1: %2 on %3 is %4:1")
                               .arg(QLatin1String(p.what), p.ink.name(), p.ground.name())
                               .arg(r, 0, 'f', 2);
        }
        QVERIFY2(failing.isEmpty(), qPrintable(failing.join(QStringLiteral("; "))));
    }
};

QTEST_GUILESS_MAIN(TestTheme)
#include "tst_gui_theme.moc"
