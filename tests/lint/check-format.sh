#!/bin/sh
# Every C and C++ file the project tracks is formatted as .clang-format says. Fails
# naming each file that is not, with the first lines of the change clang-format would
# make; `make format` applies it. Usage: check-format.sh SOURCE_DIR [CLANG_FORMAT]
set -eu
src=${1:?usage: check-format.sh SOURCE_DIR [CLANG_FORMAT]}
cf=${2:-clang-format}
cd "$src"
if ! command -v "$cf" >/dev/null 2>&1; then
    echo "check-format: $cf is not installed (Debian package clang-format; scripts/setup-deps.sh installs it)" >&2
    exit 1
fi
# Tracked files when this is a git checkout; every file under the source folders otherwise.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files -- '*.c' '*.cpp' '*.h')
else
    files=$(find app bpf core tests -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.h' \) | LC_ALL=C sort)
fi
bad=0
n=0
for f in $files; do
    n=$((n + 1))
    if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
        bad=$((bad + 1))
        echo "$f: not formatted as .clang-format says; the change clang-format would make:"
        "$cf" --style=file "$f" | diff -u "$f" - | sed -n '3,14p' | sed 's/^/    /'
    fi
done
if [ "$bad" -ne 0 ]; then
    echo "check-format: $bad of $n files are not formatted (make format fixes them)"
    exit 1
fi
echo "check-format: all $n files formatted"
