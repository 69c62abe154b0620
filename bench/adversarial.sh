#!/usr/bin/env bash
# bench/adversarial.sh: the worst inputs we know of, for speed. Each is 8 MiB of one short
# string repeated on a single line (no newline: one line of 8 MiB, so every window edge and
# every validator's forward and backward walk is as long as it can be), built to make one
# finder or validator fire at every few bytes: '@' runs, "http://" chains, URL queries,
# user-agent openings, key=value labels, digit, hex and separator runs. Prints, for each,
# piiscan's -j1 throughput (CPU seconds, median of RUNS), its findings and peak RSS, and the
# ratio to the bench corpus's throughput measured in the same run: how much slower the worst
# case is than ordinary logs. Nothing here is asserted; tests/ checks what is found.
#
#   bench/adversarial.sh [--build DIR] [--runs N]
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
RUNS=3
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "adversarial.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
PIISCAN=${PIISCAN:-$BUILD/piiscan}
RUNSTAT=$BUILD/bench/runstat
for t in "$PIISCAN" "$RUNSTAT"; do
    [ -x "$t" ] || { echo "adversarial.sh: $t missing: build first" >&2; exit 2; }
done
IN=$ROOT/bench/corpus/adversarial
OUT=$ROOT/bench/out
mkdir -p "$IN" "$OUT"
SIZE=8388608

# name, then the string repeated (printf %b: \\ is one backslash)
inputs=(
    'at|@'
    'at-words|a@b.'
    'scheme-chain|http://'
    'url-query|https://a.io/?x=1&'
    'user-agent|Mozilla/5.0 ('
    'label-user|user='
    'label-quoted|"user":"'
    'label-password|password=password='
    'label-vat|vat:'
    'label-passport|passport '
    'street|1 Main St '
    'name-key|name='
    'title|Mr. A'
    'escaped-at|\\u0040'
    'percent-40|%40'
    'private-key|-----BEGIN PRIVATE KEY-----AAAA'
    'jwt-heads|eyJhbGciOiJIUzI1NiJ9'
    'digits|0123456789'
    'digit-pairs|12-'
    'dotted|1.2.3.4.'
    'colons|a:'
    'hex-colons|ab:cd:'
    'mac-chain|00:1a:2b:3c:4d:5e:'
    'ipv6-double-colon|fe80::'
    'decimal-commas|1.5,'
    'spaces| '
)

cpu_of() { sed -n 's/.*cpu_med=\([0-9.]*\).*/\1/p' <<<"$1"; }
rss_of() { sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' <<<"$1"; }

# the reference: ordinary logs, the first 8 MiB of the bench corpus (or of loghub)
REF=$IN/reference.log
if [ ! -s "$REF" ]; then
    src=$ROOT/bench/corpus/loghub-1G-s42.log
    [ -s "$src" ] || src=$(ls "$ROOT"/../shared/data/loghub/*.log /work/shared/data/loghub/*.log 2>/dev/null | head -1)
    [ -n "$src" ] || { echo "adversarial.sh: no bench corpus or loghub log" >&2; exit 2; }
    : >"$REF.tmp"
    while [ "$(stat -c %s "$REF.tmp")" -lt "$SIZE" ]; do cat "$src" >>"$REF.tmp"; done
    head -c "$SIZE" "$REF.tmp" >"$REF" && rm -f "$REF.tmp"
fi
r=$("$RUNSTAT" -n "$RUNS" --stdout /dev/null -- "$PIISCAN" --format summary -j1 "$REF")
ref_cpu=$(cpu_of "$r")
ref_mbs=$(awk -v c="$ref_cpu" -v n="$SIZE" 'BEGIN { printf "%.1f", n / c / 1e6 }')

{
    echo "8 MiB single-line inputs, piiscan -j1 --format summary, median of $RUNS runs, CPU time"
    echo "reference: ordinary logs (bench corpus, 8 MiB): $ref_mbs MB/s"
    echo
    echo "| input | repeated | MB/s | findings | peak RSS MB | x slower than logs |"
    echo "|---|---|---|---|---|---|"
    for spec in "${inputs[@]}"; do
        name=${spec%%|*} unit=${spec#*|}
        f=$IN/$name.txt
        if [ ! -s "$f" ]; then
            yes -- "$(printf '%b' "$unit")" | tr -d '\n' | head -c "$SIZE" >"$f" || true
        fi
        r=$("$RUNSTAT" -n "$RUNS" --stdout /dev/null -- "$PIISCAN" --format summary -j1 "$f")
        cpu=$(cpu_of "$r")
        n=$("$PIISCAN" --format summary -j1 "$f" | awk '/^  findings/ {print $2}' || true)
        awk -v nm="$name" -v u="$unit" -v c="$cpu" -v sz="$SIZE" -v n="${n:-0}" \
            -v rss="$(rss_of "$r")" -v ref="$ref_cpu" 'BEGIN {
                gsub(/\|/, "\\|", u)
                printf "| %s | `%s` | %.1f | %s | %.1f | %.1f |\n", nm, u, sz / c / 1e6, n,
                       rss / 1024, c / ref
            }'
    done
} | tee "$OUT/adversarial.md"
