// Colours and sizes used everywhere: one colour per propagation type (tree, legend,
// trace), the diff marks, and the presenter mode's high contrast.
#pragma once

#include "mountrow.h"

#include <QColor>
#include <QFont>

namespace mountlab::gui {

struct Theme {
    bool dark = false; // presenter mode: high contrast on black
    int pointSize = 11;
    // The drawn tree's rows: their height in lines of its font (presenter mode's large
    // type needs less air around it), and its pane titles'.
    double treeRowSpacing = 1.9, treeHeaderSpacing = 2.0;
    // A child's indent in characters of the tree's font, and the badges' type: presenter
    // mode's large type keeps the room for the mount points.
    double treeIndent = 2.6, treeBadgeScale = 0.85;
    // The legend's type (of the UI font) and its rows' height in lines of it: in presenter
    // mode a key read once, smaller than the tree it explains.
    double legendScale = 0.95, legendRowSpacing = 1.6;

    // The drawn mount tree's own shades: a pane's header, the badges' fill and text,
    // an overlay's layer rows, the ring and number of a lane's disc, the ring of the
    // dot that shows propagation travelling. And the terminal's last-resort inks, for
    // text whose chosen colours would not read on their ground.
    QColor paneHeader, groupBadgeFill, addedBadgeText, markBadgeText;
    QColor upperLayer, lowerLayer, workLayer;
    QColor laneDiscRing, laneNumber, travelDotRing;
    QColor terminalInkDark, terminalInkLight;

    QColor background, text, dimText, panel, gridLine;
    QColor added, removed, changed, selection;
    // A mount outside the viewing process's root (after chroot): still in the namespace.
    QColor outsideRoot;

    [[nodiscard]] static Theme normal(int pointSize);
    [[nodiscard]] static Theme presenter(int pointSize);

    [[nodiscard]] static QColor propagationColor(Propagation p);
    [[nodiscard]] QColor propagationFill(Propagation p) const;
    [[nodiscard]] static QString propagationTeach(Propagation p);
    // The terminal: its ground, its default text, and the 16 ANSI colours (0-7, then
    // the bright 8-15) picked to read on that ground (darker on the light theme,
    // lighter on presenter black). `asBackground`: the shade used behind text (a
    // pastel on the light theme, so the default dark text stays readable on it).
    QColor terminalBackground, terminalText, terminalSelection;
    [[nodiscard]] QColor ansiColor(int index, bool asBackground) const;
    [[nodiscard]] QFont uiFont(double scale = 1.0, bool bold = false) const;
    [[nodiscard]] QFont monoFont(double scale = 1.0, bool bold = false) const;

    // The window's parts (mainwindow, step panel, navigator, trace and copy-up tables).
    // The presenter's palette: the light theme keeps the desktop's (these stay invalid).
    QColor paletteWindow, paletteBase, paletteAlternateBase, paletteButton, paletteText, paletteHighlight,
        paletteHighlightedText;
    QColor bannerBackground, bannerText;
    QColor replayBadge, replayBadgeText; // the banner's REPLAY mark
    QColor passText, failText;           // a step or check that behaved as the lesson says, or not
    QColor currentStepBackground, activeLessonBackground, stageHeading; // the navigator
    QColor stepOutputBackground, shellText, shellBackground, syscallText;
    // The copy-up table: a lower layer's file, and upper's whiteout, opaque dir, copy-up.
    QColor lowerLayerBackground, whiteoutBackground, opaqueDirBackground, copiedUpBackground, layerText;
    QColor mountinfoChip[2], mountinfoChipText; // the fields of a mountinfo line, alternating
    // The practice panel: its ground, a check that holds (✓), one not yet, one that
    // failed a Check or a grade, and the graded script / solution on its own ground.
    QColor practiceBackground, practiceDone, practiceOpen, practiceFailed, practiceScriptBackground, practiceScriptText;
    // The HTML report: a light page whatever the window shows (the same in both themes).
    QColor reportText, reportPre, reportSyscall, reportOutput, reportOutputRule, reportFail, reportPass, reportAdded,
        reportRemoved, reportChanged, reportSys, reportRule, reportResetRule, reportHeadingRule;
};

} // namespace mountlab::gui
