#!/bin/sh
# no-raw-close.sh on a fixture tree: it must name exactly the lines marked RAW, the stale
# allowlist entry and nothing else, and fail.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fixture=$here/fixtures/raw-close
out=$(sh "$here/no-raw-close.sh" "$fixture" "$fixture/allowlist.txt")
rc=$?
got=$(printf '%s\n' "$out" | grep -E '^[^ ].*: (raw close|listed in)' | sed -E 's/^([^:]*:[0-9]*):.*/\1/; s/^([^:]*): listed in.*/\1 stale/')
want=$(cd "$fixture" && grep -n 'RAW$' core/calls.cpp | cut -d: -f1 | sed 's|^|core/calls.cpp:|'; echo "core/gone.cpp stale")
if [ "$rc" -ne 1 ] || [ "$got" != "$want" ]; then
    printf 'no-raw-close.sh on the fixture: exit %s, expected 1\nit named:\n%s\nexpected:\n%s\nits output:\n%s\n' "$rc" "$got" "$want" "$out"
    exit 1
fi
echo "no-raw-close.sh names every raw close of the fixture and nothing else"
