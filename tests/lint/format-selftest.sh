#!/bin/sh
# check-format.sh on a scratch repository holding the project's .clang-format, one file
# formatted and one not: it must fail and name exactly the one that is not.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/../../.clang-format" "$tmp/"
printf 'int good(int a)\n{\n    int b = a + 1;\n    return b * 2;\n}\n' >"$tmp/good.cpp"
printf 'int  bad( int a ){ return a+1; }\n' >"$tmp/bad.cpp"
(cd "$tmp" && git init -q && git add .) || exit 1
out=$(sh "$here/check-format.sh" "$tmp")
rc=$?
named=$(printf '%s\n' "$out" | grep -E '^[^ ].*: not formatted' | cut -d: -f1)
if [ "$rc" -ne 1 ] || [ "$named" != "bad.cpp" ]; then
    printf 'check-format.sh on the scratch repository: exit %s, expected 1; named:\n%s\nexpected: bad.cpp\nits output:\n%s\n' "$rc" "$named" "$out"
    exit 1
fi
echo "check-format.sh names the unformatted file and only it"
