#!/usr/bin/env bash
# fuzz-smoke.sh: builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan in
# build-fuzz, then runs each for a short while on a copy of its seed corpus (corpora/fuzz/<target>/,
# left unmodified). Fails if any target crashes, leaks, times out or trips a sanitizer; the
# input that did it is kept in build-fuzz/artifacts/. FUZZ_SECONDS overrides the 15 s per target.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-15}
jobs=$(nproc)
targets=(fuzz_source fuzz_scan fuzz_patterns fuzz_validate)

echo "== libFuzzer build (clang)"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DPII_FUZZ=ON -DPII_SANITIZE=ON -DPII_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf build-fuzz/artifacts && mkdir -p build-fuzz/artifacts
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fail=0
echo "== fuzzing each target for ${secs}s"
for t in "${targets[@]}"; do
  cp -r "corpora/fuzz/$t" "$work/$t"
  log="$work/$t.log"
  rc=0
  # a single allocation over the RSS limit is a finding too (libFuzzer's default); libarchive's
  # claimed-size allocations fail in fuzz_source instead (its __asan_default_options)
  "build-fuzz/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t-" "$work/$t" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's|.* corp: \([0-9]*\)/.*|\1|p' <<<"$last")
  if [ "$rc" -eq 0 ]; then
    printf '%-14s ok    %8s runs  cov %5s  corpus %4s\n' "$t" "${runs:-?}" "${cov:-?}" "${corp:-?}"
  else
    printf '%-14s FAIL  exit %s after %s runs; log follows\n' "$t" "$rc" "${runs:-?}"
    grep -vE '^(#[0-9]+|INFO:|MS:|stat::|\s*$)' "$log" | head -60
    ls build-fuzz/artifacts/"$t"-* 2>/dev/null | sed 's/^/  reproducer: /'
    fail=1
  fi
done
exit $fail
