#!/bin/sh
# The `sanitize` ctest test: configure the "asan" preset (Debug, AddressSanitizer and
# UBSan) into its own build directory, build it, and run the unit and GUI tests there.
# Any sanitizer report fails the test (UBSan halts on its first runtime error; ASan on
# its first error, leaks included, but for the suppressions in lsan.supp).
#   run-sanitize.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1
build=$2
mkdir -p "$build"
echo "sanitize: build in $build"
cmake -S "$src" -B "$build" --preset asan -DMOUNTLAB_BENCH=OFF > "$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j "${MOUNTLAB_SANITIZE_JOBS:-2}" > "$build/build.log" 2>&1 || { tail -50 "$build/build.log"; exit 1; }
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/sanitize/lsan.supp:print_suppressions=0}"
# The unit tests and the GUI's (offscreen); the privileged ones among them need root,
# as the plain build's do.
ctest --test-dir "$build" -L 'unit|gui' --output-on-failure
