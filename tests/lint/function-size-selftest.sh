#!/bin/sh
# function-size.sh on a scratch tree with a compilation database: one function of 81
# lines, one of 80 (the limit is "over 80"), one short: it must fail and name exactly
# the first.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/core" "$tmp/build"
body() { # a function NAME of N lines, signature to closing brace (clang-tidy counts N - 1)
    echo "int $1(int a)"
    echo "{"
    i=3
    while [ "$i" -lt "$2" ]; do echo "    a += $i;"; i=$((i + 1)); done
    echo "    return a;"
    echo "}"
}
{ body too_long 82; body at_limit 81; echo 'int short_one(int a) { return a; }'; } >"$tmp/core/sizes.cpp"
cat >"$tmp/build/compile_commands.json" <<JSON
[{"directory": "$tmp/build", "command": "c++ -std=c++20 -c $tmp/core/sizes.cpp -o sizes.o", "file": "$tmp/core/sizes.cpp"}]
JSON
out=$(sh "$here/function-size.sh" "$tmp" "$tmp/build")
rc=$?
named=$(printf '%s\n' "$out" | grep -E "^core/" | sed -E "s/^([^:]*):[0-9]+: '([^']*)'.*/\1 \2/")
if [ "$rc" -ne 1 ] || [ "$named" != "core/sizes.cpp too_long" ]; then
    printf 'function-size.sh on the scratch tree: exit %s, expected 1; named:\n%s\nexpected: core/sizes.cpp too_long\nits output:\n%s\n' "$rc" "$named" "$out"
    exit 1
fi
echo "function-size.sh names the function over 80 lines and only it"
