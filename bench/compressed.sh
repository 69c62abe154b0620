#!/usr/bin/env bash
# bench/compressed.sh: scanning a compressed input against decompressing it alone, single
# thread, in one run: .gz (ISA-L and zlib), .zst, .tar.gz, .zip (ISA-L, zlib, libarchive) of the
# bench corpus prefix.
# Usage: bench/compressed.sh [--build DIR] [--size-prefix BYTES]   (after bench/run.sh built the corpus)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
BYTES=268435456
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$2; shift 2 ;;
    --size-prefix) BYTES=$2; shift 2 ;;
    *) echo "compressed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
CORPUS=$(ls "$ROOT"/bench/corpus/loghub-1G-*.log 2>/dev/null | grep -v prefix | head -1)
[ -n "$CORPUS" ] || { echo "compressed.sh: run bench/run.sh first (no corpus)" >&2; exit 2; }
OUT=$ROOT/bench/out/compressed
mkdir -p "$OUT"
PLAIN=$OUT/corpus.log
[ -s "$PLAIN" ] && [ "$(stat -c %s "$PLAIN")" = "$BYTES" ] || head -c "$BYTES" "$CORPUS" >"$PLAIN"
[ -s "$OUT/corpus.log.gz" ] || gzip -6 -c "$PLAIN" >"$OUT/corpus.log.gz"
[ -s "$OUT/corpus.log.zst" ] || zstd -q -3 -c "$PLAIN" >"$OUT/corpus.log.zst"
[ -s "$OUT/corpus.tar.gz" ] || tar -C "$OUT" -czf "$OUT/corpus.tar.gz" corpus.log
if command -v zip >/dev/null; then [ -s "$OUT/corpus.zip" ] || (cd "$OUT" && zip -q corpus.zip corpus.log); fi

RUNSTAT=$BUILD/bench/runstat
med() { "$RUNSTAT" -n 3 -- "$@" | sed -n 's/.*wall_med=\([0-9.]*\).*/\1/p'; }
printf '| input | decode alone s | scan s | scan / decode | scan GB/s (expanded) |\n|---|---|---|---|---|\n'
row() {
    local label=$1 file=$2 env=$3
    local d s
    d=$(env $env "$RUNSTAT" -n 3 -- "$BUILD/bench/decode" "$file" | sed -n 's/.*wall_med=\([0-9.]*\).*/\1/p')
    s=$(env $env "$RUNSTAT" -n 3 -- "$BUILD/piiscan" --format summary "$file" | sed -n 's/.*wall_med=\([0-9.]*\).*/\1/p')
    awk -v l="$label" -v d="$d" -v s="$s" -v b="$BYTES" \
        'BEGIN { printf "| %s | %.3f | %.3f | %.2f | %.3f |\n", l, d, s, s / d, b / s / 1e9 }'
}
row "plain (read only)" "$PLAIN" "X=1"
row ".gz, ISA-L" "$OUT/corpus.log.gz" "X=1"
row ".gz, zlib" "$OUT/corpus.log.gz" "PIISCAN_GZIP=zlib"
row ".zst" "$OUT/corpus.log.zst" "X=1"
row ".tar.gz" "$OUT/corpus.tar.gz" "X=1"
if [ -s "$OUT/corpus.zip" ]; then
    row ".zip, ISA-L (central directory)" "$OUT/corpus.zip" "X=1"
    row ".zip, zlib (central directory)" "$OUT/corpus.zip" "PIISCAN_GZIP=zlib"
    row ".zip, libarchive (as before)" "$OUT/corpus.zip" "PIISCAN_ZIP=libarchive"
fi
exit 0
