#!/bin/sh
# Descriptors in core/ and app/ are held in UniqueFd (core/base/fd.h), so that every
# early return and every exception closes what was opened. This fails, naming file:line,
# for any raw close(2) there outside fd.h and the files of the allowlist (each listed
# as `path:reason`). An allowlist entry whose file has no raw close any more fails too.
# Usage: no-raw-close.sh SOURCE_DIR [ALLOWLIST]
set -eu
src=${1:?usage: no-raw-close.sh SOURCE_DIR [ALLOWLIST]}
if [ $# -ge 2 ]; then
    allow=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
else
    allow=tests/lint/raw-close-allowlist.txt
fi
cd "$src"

# The allowlist's paths; a line without a reason is itself an error.
allowed=$(awk -v list="$allow" '
    /^[[:space:]]*(#|$)/ { next }
    {
        colon = index($0, ":")
        path = colon ? substr($0, 1, colon - 1) : $0
        reason = colon ? substr($0, colon + 1) : ""
        gsub(/^[[:space:]]+|[[:space:]]+$/, "", reason)
        if (reason == "") { printf "%s:%d: `%s` has no reason\n", list, NR, path > "/dev/stderr"; bad = 1 }
        print path
    }
    END { exit bad }' "$allow") || exit 1

# A call of the free function: close(x), ::close(x) or syscall(SYS_close, ...). Not a
# member (a.close(), p->close(), Terminals::close), not close() without an argument (a
# local lambda), not a declaration (close(int id)), fclose/pclose/close_range, or a
# comment.
find core app -type f \( -name '*.c' -o -name '*.cc' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp' \) |
    LC_ALL=C sort | awk -v allowed="$allowed" -v list="$allow" '
    BEGIN {
        n = split(allowed, a, "\n")
        for (i = 1; i <= n; ++i) if (a[i] != "") { skip[a[i]] = 1; unused[a[i]] = 1 }
        skip["core/base/fd.h"] = 1
    }
    {
        file = $0
        line = 0
        while ((getline text < file) > 0) {
            ++line
            code = text
            sub(/\/\/.*/, "", code)
            if (code ~ /^[[:space:]]*(\*|\/\*)/)
                continue
            raw = code ~ /(^|[^A-Za-z0-9_.>:])close[[:space:]]*\([[:space:]]*[^)[:space:]]/ ||
                  code ~ /(^|[^A-Za-z0-9_:])::close[[:space:]]*\(/ ||
                  code ~ /SYS_close([^A-Za-z0-9_]|$)/
            if (raw && code ~ /close[[:space:]]*\([[:space:]]*(int|unsigned|const)[[:space:]]/)
                raw = 0
            if (!raw)
                continue
            if (file in skip) {
                delete unused[file]
                continue
            }
            sub(/^[[:space:]]+/, "", text)
            printf "%s:%d: raw close(): hold the descriptor in a UniqueFd (core/base/fd.h) and reset() it, or list the file in %s with the reason\n    %s\n", file, line, list, text
            ++found
        }
        close(file)
    }
    END {
        for (f in unused) {
            if (f == "core/base/fd.h") continue
            printf "%s: listed in %s but has no raw close(): remove the entry\n", f, list
            ++found
        }
        if (found) { printf "%d raw close() problem(s)\n", found; exit 1 }
        print "no raw close() in core/ or app/ outside core/base/fd.h and the allowlist"
    }'
