#!/usr/bin/env bash
# sample.sh: installs what is missing, builds piiscan, and scans the bundled sample, printing
# the summary. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
status=0
./build/piiscan --format summary corpora/samples/ || status=$?
# 1 means "found personal data", which is what the sample is for
[ "$status" -le 1 ] || exit "$status"
