#!/bin/sh
# The `fuzz` ctest test: configure the "fuzz" preset (clang, -fsanitize=fuzzer with
# ASan and UBSan) into its own build directory, build every target that has a corpus
# in tests/fuzz/corpus/<target>/, and run each over it for SECONDS. A crash, a
# sanitizer report or a leak fails the test; the input is kept in BUILD/artifacts/.
#   run-fuzz.sh SOURCE_DIR BUILD_DIR [SECONDS]
# Without clang or libFuzzer it is skipped (exit 77), unless MOUNTLAB_REQUIRE_FUZZ=1.
set -eu
src=$1
build=$2
seconds=${3:-60}

skip() {
  if [ "${MOUNTLAB_REQUIRE_FUZZ:-0}" = 1 ]; then
    echo "fuzz: MOUNTLAB_REQUIRE_FUZZ is set but: $1" >&2
    exit 1
  fi
  echo "fuzz: skipped: $1"
  exit 77
}

mkdir -p "$build"
command -v clang++ >/dev/null 2>&1 || skip "clang++ is not installed (Debian: clang)"
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$build/probe.cpp"
clang++ -fsanitize=fuzzer,address,undefined "$build/probe.cpp" -o "$build/probe" 2> "$build/probe.log" ||
  skip "clang++ cannot link a libFuzzer target (Debian: libclang-rt-14-dev): $(head -c 300 "$build/probe.log")"

targets=$(ls "$src/tests/fuzz/corpus")
echo "fuzz: targets: $(echo $targets); ${seconds}s each; build in $build"
cmake -S "$src" -B "$build" --preset fuzz > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
# shellcheck disable=SC2086
cmake --build "$build" --target $targets -j "${MOUNTLAB_FUZZ_JOBS:-2}" > "$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log"; exit 1; }

# UBSan only prints by default: make a runtime error end the run (and fail the test).
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
status=0
for t in $targets; do
  work="$build/corpus/$t"
  mkdir -p "$work" "$build/artifacts"
  echo "fuzz: $t"
  # New inputs go to the work corpus; the committed seeds are only read.
  if ! "$build/bin/$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$t-" "$work" "$src/tests/fuzz/corpus/$t" > "$build/$t.log" 2>&1; then
    echo "fuzz: $t FAILED; the input is in $build/artifacts/:" >&2
    grep -A30 -m1 'ERROR\|==ERROR\|runtime error\|deadly signal' "$build/$t.log" >&2 || tail -40 "$build/$t.log" >&2
    status=1
  else
    grep 'stat::number_of_executed_units\|Done' "$build/$t.log" || true
  fi
done
exit $status
