#!/bin/sh
# Runs every benchmark binary of a build: each prints its figures next to the reference.
set -eu
build=${1:-build}
for b in "$build"/bin/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
  echo
done
