#include "theme.h"

#include <algorithm>

namespace mountlab::gui {

// Okabe-Ito colours: told apart with every common colour-vision deficiency.
QColor Theme::propagationColor(Propagation p)
{
    switch (p) {
    case Propagation::Shared:
        return QColor(0xE6, 0x9F, 0x00); // orange
    case Propagation::Slave:
        return QColor(0x00, 0x72, 0xB2); // blue
    case Propagation::SharedSlave:
        return QColor(0xE6, 0x9F, 0x00); // orange, with the slave's blue stripe
    case Propagation::Unbindable:
        return QColor(0xCC, 0x79, 0xA7); // reddish purple
    case Propagation::Private:
        break;
    }
    return QColor(0x00, 0x9E, 0x73); // bluish green
}

QColor Theme::propagationFill(Propagation p) const
{
    QColor c = propagationColor(p);
    return dark ? c.darker(340)
                : QColor::fromRgbF(1 - (1 - c.redF()) * 0.22, 1 - (1 - c.greenF()) * 0.22, 1 - (1 - c.blueF()) * 0.22);
}

QString Theme::propagationTeach(Propagation p)
{
    switch (p) {
    case Propagation::Shared:
        return QStringLiteral(
            "shared: in a peer group; mounts and unmounts under it propagate to every peer, and theirs to it");
    case Propagation::Slave:
        return QStringLiteral("slave: receives mounts and unmounts from its master's peer group, sends nothing back");
    case Propagation::SharedSlave:
        return QStringLiteral("shared and slave: receives from its master and shares with its own peers");
    case Propagation::Unbindable:
        return QStringLiteral("unbindable: private, and cannot be bind-mounted (a recursive bind skips it)");
    case Propagation::Private:
        break;
    }
    return QStringLiteral("private: nothing propagates to or from it");
}

namespace {

// The colours the two themes share: the replay mark, the mountinfo chips, the report.
void setSharedRoles(Theme& t)
{
    t.replayBadge = QColor(0x00, 0x72, 0xB2);
    t.replayBadgeText = QColor(0xFF, 0xFF, 0xFF);
    t.mountinfoChip[0] = QColor(0xE8, 0xEE, 0xF8);
    t.mountinfoChip[1] = QColor(0xF8, 0xEE, 0xE0);
    t.mountinfoChipText = QColor(0x11, 0x11, 0x11);
    t.reportText = QColor(0x1A, 0x1A, 0x1A);
    t.reportPre = QColor(0xF2, 0xF2, 0xEE);
    t.reportSyscall = QColor(0x44, 0x44, 0x44);
    t.reportOutput = QColor(0xFB, 0xFB, 0xF7);
    t.reportOutputRule = QColor(0xBB, 0xBB, 0xBB);
    t.reportFail = QColor(0xC0, 0x1C, 0x1C);
    t.reportPass = QColor(0x00, 0x7A, 0x4D);
    t.reportAdded = QColor(0xFF, 0xF3, 0xA0);
    t.reportRemoved = QColor(0x70, 0x70, 0x70); // 4.95:1 on white (#777 was 4.48)
    t.reportChanged = QColor(0xB0, 0x4A, 0x00); // vermillion darkened to 5.5:1 on white
    t.reportSys = QColor(0x55, 0x55, 0x55);
    t.reportRule = QColor(0xDD, 0xDD, 0xDD);
    t.reportResetRule = QColor(0xCC, 0xCC, 0xCC);
    t.reportHeadingRule = QColor(0x33, 0x33, 0x33);
}

} // namespace

Theme Theme::normal(int pointSize)
{
    Theme t;
    t.pointSize = pointSize;
    t.paneHeader = QColor(0xE8, 0xE8, 0xE2);
    t.groupBadgeFill = QColor(0xFF, 0xFF, 0xFF);
    t.addedBadgeText = QColor(0, 0, 0); // on the yellow glow
    t.markBadgeText = QColor(0xFF, 0xFF, 0xFF);
    t.upperLayer = QColor(0xFF, 0xF6, 0xC8);
    t.lowerLayer = QColor(0xEC, 0xEE, 0xF4);
    t.workLayer = QColor(0, 0, 0, 0); // no row: workdir is scratch space
    t.laneDiscRing = QColor(0xFF, 0xFF, 0xFF);
    t.laneNumber = QColor(0, 0, 0);
    t.travelDotRing = QColor(0, 0, 0);
    t.terminalInkDark = QColor(0, 0, 0);
    t.terminalInkLight = QColor(0xFF, 0xFF, 0xFF);
    t.background = QColor(0xFA, 0xFA, 0xF7);
    t.panel = QColor(0xFF, 0xFF, 0xFF);
    t.text = QColor(0x1A, 0x1A, 0x1A);
    t.dimText = QColor(0x5A, 0x5A, 0x5A);
    t.gridLine = QColor(0xD0, 0xD0, 0xD0);
    t.added = QColor(0xF0, 0xE4, 0x42); // yellow glow
    // The badges' white text reads on both (4.5:1 or more), and the navigator's running
    // step in `changed` reads on white and on the current step's yellow.
    t.removed = QColor(0x70, 0x70, 0x70);
    t.changed = QColor(0xB0, 0x4A, 0x00);     // vermillion, darkened
    t.outsideRoot = QColor(0x3D, 0x6A, 0x99); // slate blue: still there, out of reach
    t.selection = QColor(0x1A, 0x1A, 0x1A);
    t.terminalBackground = QColor(0xFF, 0xFF, 0xFF);
    t.terminalText = QColor(0x1A, 0x1A, 0x1A);
    t.terminalSelection = QColor(0xB4, 0xD5, 0xFE);
    t.bannerBackground = QColor(0xEC, 0xEC, 0xE6);
    t.bannerText = QColor(0x11, 0x11, 0x11);
    t.passText = QColor(0x00, 0x7A, 0x4D);
    t.failText = QColor(0xC0, 0x1C, 0x1C);
    t.currentStepBackground = QColor(0xFF, 0xF4, 0xB0);
    t.activeLessonBackground = QColor(0xE2, 0xEC, 0xF6);
    t.stageHeading = QColor(0x55, 0x55, 0x55);
    t.stepOutputBackground = QColor(0xF2, 0xF2, 0xEC);
    t.shellText = QColor(0x1A, 0x1A, 0x1A);
    t.shellBackground = QColor(0xF2, 0xF2, 0xEC);
    t.syscallText = QColor(0x44, 0x44, 0x44);
    t.lowerLayerBackground = QColor(0xDD, 0xF3, 0xE6);
    t.whiteoutBackground = QColor(0xD8, 0xD8, 0xD8);
    t.opaqueDirBackground = QColor(0xF3, 0xDC, 0xEB);
    t.copiedUpBackground = QColor(0xFF, 0xF3, 0xB0);
    t.layerText = QColor(0, 0, 0);
    t.practiceBackground = QColor(0xFB, 0xFB, 0xF8);
    t.practiceDone = QColor(0x00, 0x7A, 0x4D);
    t.practiceOpen = QColor(0x5A, 0x5A, 0x5A);
    t.practiceFailed = QColor(0xC0, 0x1C, 0x1C);
    t.practiceScriptBackground = QColor(0xF0, 0xF0, 0xEA);
    t.practiceScriptText = QColor(0x1A, 0x1A, 0x1A);
    setSharedRoles(t);
    return t;
}

Theme Theme::presenter(int pointSize)
{
    Theme t;
    t.dark = true;
    t.pointSize = pointSize;
    t.treeRowSpacing = 1.55;
    t.treeHeaderSpacing = 1.5;
    t.treeIndent = 1.8;
    t.treeBadgeScale = 0.72;
    t.legendScale = 0.8;
    t.legendRowSpacing = 1.35;
    t.paneHeader = QColor(0x22, 0x22, 0x22);
    t.groupBadgeFill = QColor(0, 0, 0);
    t.addedBadgeText = QColor(0, 0, 0);
    t.markBadgeText = QColor(0, 0, 0); // on the light grey, orange and blue badges
    t.upperLayer = QColor(0x3A, 0x33, 0x00);
    t.lowerLayer = QColor(0x20, 0x20, 0x28);
    t.workLayer = QColor(0, 0, 0, 0);
    t.laneDiscRing = QColor(0, 0, 0);
    t.laneNumber = QColor(0, 0, 0);
    t.travelDotRing = QColor(0xFF, 0xFF, 0xFF);
    t.terminalInkDark = QColor(0, 0, 0);
    t.terminalInkLight = QColor(0xFF, 0xFF, 0xFF);
    t.background = QColor(0, 0, 0);
    t.panel = QColor(0x10, 0x10, 0x10);
    t.text = QColor(0xFF, 0xFF, 0xFF);
    t.dimText = QColor(0xC8, 0xC8, 0xC8);
    t.gridLine = QColor(0x60, 0x60, 0x60);
    t.added = QColor(0xF0, 0xE4, 0x42);
    t.removed = QColor(0x9A, 0x9A, 0x9A);
    t.changed = QColor(0xFF, 0x7A, 0x1A);
    t.outsideRoot = QColor(0x8F, 0xB3, 0xD9);
    t.selection = QColor(0xFF, 0xFF, 0xFF);
    t.terminalBackground = QColor(0, 0, 0);
    t.terminalText = QColor(0xF2, 0xF2, 0xF2);
    t.terminalSelection = QColor(0x2F, 0x5A, 0x9A);
    t.paletteWindow = QColor(0x08, 0x08, 0x08);
    t.paletteBase = QColor(0, 0, 0);
    t.paletteAlternateBase = QColor(0x18, 0x18, 0x18);
    t.paletteButton = QColor(0x20, 0x20, 0x20);
    t.paletteText = QColor(0xFF, 0xFF, 0xFF);
    t.paletteHighlight = QColor(0xE6, 0x9F, 0x00);
    t.paletteHighlightedText = QColor(0, 0, 0);
    t.bannerBackground = QColor(0x20, 0x20, 0x20);
    t.bannerText = QColor(0xFF, 0xFF, 0xFF);
    t.passText = QColor(0x6C, 0xE0, 0xA0);
    t.failText = QColor(0xFF, 0x70, 0x70);
    t.currentStepBackground = QColor(0x33, 0x33, 0x10);
    t.activeLessonBackground = QColor(0x1A, 0x2A, 0x3A);
    t.stageHeading = QColor(0xAA, 0xAA, 0xAA);
    t.stepOutputBackground = QColor(0x1A, 0x1A, 0x1A);
    t.shellText = QColor(0xF0, 0xE4, 0x42);
    t.syscallText = QColor(0xCC, 0xCC, 0xCC); // shellBackground stays invalid: none on black
    t.lowerLayerBackground = QColor(0x10, 0x40, 0x30);
    t.whiteoutBackground = QColor(0x50, 0x50, 0x50);
    t.opaqueDirBackground = QColor(0x50, 0x25, 0x45);
    t.copiedUpBackground = QColor(0x4A, 0x40, 0x00);
    t.layerText = QColor(0xFF, 0xFF, 0xFF);
    t.practiceBackground = QColor(0x10, 0x10, 0x10);
    t.practiceDone = QColor(0x6C, 0xE0, 0xA0);
    t.practiceOpen = QColor(0xC8, 0xC8, 0xC8);
    t.practiceFailed = QColor(0xFF, 0x70, 0x70);
    t.practiceScriptBackground = QColor(0x1A, 0x1A, 0x1A);
    t.practiceScriptText = QColor(0xF0, 0xE4, 0x42);
    setSharedRoles(t);
    return t;
}

QColor Theme::ansiColor(int index, bool asBackground) const
{
    // Every foreground here has a contrast of at least 4.5:1 on its ground (WCAG AA),
    // "white" included: on white paper it is a mid grey, as bash's prompts and ls's
    // colours must stay readable from the back of a room.
    static const QRgb lightFg[16] = {
        0x1A1A1A, 0xB3261E, 0x17692F, 0x7A5500, 0x0B4FB3, 0x8A3A9C, 0x0A6673, 0x5E5E5E,
        0x4A4A4A, 0xD0211C, 0x1E7A38, 0x8F6400, 0x1F66D1, 0xA43FB8, 0x0B7885, 0x6A6A6A,
    };
    static const QRgb darkFg[16] = {
        0x5A5A5A, 0xFF6B6B, 0x5FD068, 0xF0D04B, 0x6CA8FF, 0xE68BFF, 0x4FD6E0, 0xD0D0D0,
        0x8A8A8A, 0xFF8F8F, 0x8CE99A, 0xFFE066, 0xA5C8FF, 0xF3A6FF, 0x99E9F2, 0xFFFFFF,
    };
    // Behind text: ls's "black on green" (/tmp), "white on red" (setuid) stay legible.
    static const QRgb lightBg[16] = {
        0x3A3A3A, 0xF4B4B0, 0xA8E0B4, 0xF3DC8A, 0xAFC8F2, 0xE2B8EC, 0xA6E0E6, 0xE4E4E4,
        0x8A8A8A, 0xF8C9C6, 0xC4EBCC, 0xF8E9B0, 0xCCDDF7, 0xEDD0F3, 0xC6ECF0, 0xF4F4F4,
    };
    static const QRgb darkBg[16] = {
        0x000000, 0x8B1A1A, 0x1B5E20, 0x6B5600, 0x123F8C, 0x6A1B7A, 0x0B5560, 0xBDBDBD,
        0x4A4A4A, 0xB03030, 0x2E7D32, 0x8D7300, 0x2456B0, 0x8E35A0, 0x117985, 0xE8E8E8,
    };
    index = std::clamp(index, 0, 15);
    if (asBackground)
        return QColor(dark ? darkBg[index] : lightBg[index]);
    return QColor(dark ? darkFg[index] : lightFg[index]);
}

QFont Theme::uiFont(double scale, bool bold) const
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(pointSize * scale);
    f.setBold(bold);
    return f;
}

QFont Theme::monoFont(double scale, bool bold) const
{
    QFont f(QStringLiteral("DejaVu Sans Mono"));
    f.setStyleHint(QFont::Monospace);
    f.setPointSizeF(pointSize * scale);
    f.setBold(bold);
    return f;
}

} // namespace mountlab::gui
