#!/usr/bin/env bash
# test.sh: installs what is missing, then builds and runs the whole test suite three times:
# plain (GCC, RelWithDebInfo), under AddressSanitizer + UndefinedBehaviorSanitizer, and built by
# clang (Release); the source tests in a GCC Release (-O3) build without ISA-L; then a short
# libFuzzer smoke run. Also checks formatting and banned functions. Idempotent; used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
bash scripts/checksrc.sh
jobs=$(nproc)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# ctest_count DIR: runs DIR's whole ctest suite (the caller's environment applies) and prints
# how many tests ran, or fails when a test does (errexit does not reach into $(...))
ctest_count() {
  (cd "$1" && ctest --output-on-failure -j"$jobs") | tee "$log" >&2 || return 1
  sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1
}

echo "== plain build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
plain=$(ctest_count build)

echo "== ASan + UBSan build"
# -O1: ASan's recommendation (usable stack traces, tolerable speed)
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" \
      -DPII_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
asan=$(ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest_count build-asan)

echo "== Release build (-O3) without ISA-L (zlib inflates gzip and zip): the source tests"
# Release as well: GCC's -O3 inlining warns where -O2 does not (an uninitialized-use warning
# in source.c once failed a user's Release build under -Werror while this suite passed)
cmake -S . -B build-noisal -DCMAKE_BUILD_TYPE=Release -DPII_ISAL=OFF >/dev/null
cmake --build build-noisal -j"$jobs" --target piiscan_cli test_source test_zip
build-noisal/tests/test_source --jobs 1 -q
build-noisal/tests/test_zip --jobs 1 -q
noisal=2

echo "== clang build (Release): the whole suite"
# clang warns where GCC does not (-Wstring-concatenation once failed the tests' build under
# -Werror while this suite, all GCC, passed)
CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-clang -j"$jobs"
clang=$(ctest_count build-clang)

echo "== libFuzzer smoke run (clang)"
bash scripts/fuzz-smoke.sh | tee "$log"
fuzz=$(grep -c ' ok ' "$log" || true)

# pipefail made any failure above fatal, so reaching here means all passed
echo "== ctest $plain, ctest under ASan/UBSan $asan, without ISA-L $noisal, clang $clang, fuzz targets $fuzz"
echo "tests: $((plain + asan + noisal + clang + fuzz)) passed, 0 failed"
