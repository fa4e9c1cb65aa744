#!/bin/sh
# No function of core/ or app/ is longer than 80 lines (clang-tidy's
# readability-function-size, LineThreshold 80, run on every translation unit of
# compile_commands.json). Fails naming file:line and the function of each that is.
# Usage: function-size.sh SOURCE_DIR BUILD_DIR [CLANG_TIDY]
set -eu
src=${1:?usage: function-size.sh SOURCE_DIR BUILD_DIR [CLANG_TIDY]}
build=${2:?usage: function-size.sh SOURCE_DIR BUILD_DIR [CLANG_TIDY]}
tidy=${3:-clang-tidy}
limit=${MOUNTLAB_FUNCTION_LINES:-80}
if ! command -v "$tidy" >/dev/null 2>&1; then
    echo "function-size: $tidy is not installed (Debian package clang-tidy; scripts/setup-deps.sh installs it)" >&2
    exit 1
fi
if [ ! -f "$build/compile_commands.json" ]; then
    echo "function-size: $build/compile_commands.json is missing (CMAKE_EXPORT_COMPILE_COMMANDS)" >&2
    exit 1
fi
src=$(cd "$src" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The project's own translation units (not moc's, not the tests').
python3 - "$build/compile_commands.json" "$src" <<'PY' |
import json, sys
src = sys.argv[2].rstrip("/") + "/"
seen = set()
for e in json.load(open(sys.argv[1])):
    f = e["file"]
    if f.startswith(src + "core/") or f.startswith(src + "app/"):
        if f not in seen and f.endswith((".cpp", ".c")):
            seen.add(f)
            print(f)
PY
    xargs -P "$(nproc)" -n 4 "$tidy" -p "$build" --quiet \
        --checks='-*,readability-function-size' \
        --config="{CheckOptions: [{key: readability-function-size.LineThreshold, value: '$limit'}]}" \
        --header-filter="^$src/(core|app)/" >"$out" 2>/dev/null || true
# clang-tidy prints: FILE:LINE:COL: warning: function 'NAME' exceeds recommended size/complexity thresholds
#                    FILE:LINE:COL: note: N lines including whitespace and comments (threshold 80)
found=$(awk -v src="$src/" '
    /warning: function .* exceeds recommended size/ {
        loc = $1; sub(/:[0-9]+:$/, "", loc); sub(src, "", loc)
        name = $0; sub(/.*warning: function /, "", name); sub(/ exceeds.*/, "", name)
        next
    }
    /note: [0-9]+ lines including/ && loc != "" {
        n = $0; sub(/.*note: /, "", n); sub(/ lines.*/, "", n)
        print loc ": " name " is " n " lines"
        loc = ""
    }' "$out" | LC_ALL=C sort -u)
if [ -n "$found" ]; then
    printf '%s\n' "$found"
    echo "function-size: $(printf '%s\n' "$found" | wc -l) functions are over $limit lines; split them into steps named for what they do"
    exit 1
fi
echo "function-size: no function of core/ or app/ is over $limit lines"
