// Text for a terminal or a CI log, from bytes we do not control (mount paths, student
// output, file names, lesson text). As findmnt does: every C0 control, DEL, C1 and
// every byte of invalid UTF-8 becomes `\xNN`, valid UTF-8 ("ü", "→") stays. A
// backslash before an `x` is written `\x5c`, so an escape in the output is never
// ambiguous. Nothing here knows about colours: escape first, paint afterwards.
#pragma once

#include <string>
#include <string_view>

namespace mountlab {

// One line: '\n' is escaped too.
[[nodiscard]] std::string escape_text(std::string_view s);
// Multi-line text: '\n' is kept, everything else as escape_text.
[[nodiscard]] std::string escape_multiline(std::string_view s);

// Multi-line text quoted for a report: escaped, and every line after the first starts
// with `prefix` (e.g. "  | "), so that no line of it can start a GitHub Actions
// workflow command ("::error::", "::add-mask::") or pass for the report's own lines.
[[nodiscard]] std::string quote_lines(std::string_view s, std::string_view prefix);

// The last line of defence for a whole text report: a line that, after leading
// whitespace (as GitHub's runner trims it, Unicode spaces included), starts with "::"
// gets its first ':' written as `\x3a`. Other lines are unchanged.
[[nodiscard]] std::string defuse_workflow_commands(std::string_view text);

} // namespace mountlab
