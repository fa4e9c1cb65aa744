// What the terminal widget's files share (terminalwidget.cpp, terminalpainting.cpp,
// terminalselection.cpp). Internal to the widget.
#pragma once

#include <QString>

namespace mountlab::gui::terminal_internal {

inline constexpr int kPadding = 4;

inline QString cellText(char32_t ch) { return QString::fromUcs4(&ch, 1); }

} // namespace mountlab::gui::terminal_internal
