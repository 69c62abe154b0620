#!/usr/bin/env bash
# bench/hsprice.sh: what each Hyperscan pattern of the built-in catalogue costs, on this CPU.
#
#   bench/hsprice.sh [--build DIR] [--runs N] [FILE]
#
# Compiles the database of every `re:`/`anchor:` detector and, for each one, the database
# without it (leave one out), scans FILE (default: the first 64 MiB of the bench corpus) with
# each, and prints the thread CPU time of the scan (build/bench/stages, STAGES_ONLY=hs, best of
# N runs) and what leaving the detector out saves. A negative saving means the database is
# faster WITH the pattern: Hyperscan chooses its literal matcher from the whole literal set (a
# one-byte literal such as email's '@' changes that choice), so a pattern's price is not the
# cost of its own matches. Run it on the CPU that matters: the choice differs between the AVX2
# and AVX-512 runtimes (valgrind shows only AVX2). The whole database is measured first and
# last; their difference is the noise the shared machine added meanwhile.
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
RUNS=5
FILE=
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "hsprice.sh: unknown option $1" >&2; exit 2 ;;
    *) FILE=$1; shift ;;
    esac
done
STAGES=$BUILD/bench/stages
[ -x "$STAGES" ] || { echo "hsprice.sh: $STAGES missing: build first" >&2; exit 2; }
if [ -z "$FILE" ]; then
    big=$ROOT/bench/corpus/loghub-1G-s42.log
    [ -s "$big" ] || { echo "hsprice.sh: no FILE and no $big (bench/run.sh builds it)" >&2; exit 2; }
    FILE=$ROOT/bench/out/hsprice-64M.log
    mkdir -p "$ROOT/bench/out"
    [ -s "$FILE" ] || head -c 67108864 "$big" >"$FILE"
fi

# the Hyperscan detectors, in catalogue order
mapfile -t ids < <(cat "$ROOT"/patterns/*.tsv | awk -F'\t' '!/^#/ && $3 ~ /^(anchor|re):/ {print $1}')
[ ${#ids[@]} -gt 1 ] || { echo "hsprice.sh: fewer than two Hyperscan detectors" >&2; exit 2; }
join() { local IFS=,; echo "$*"; }
hs_ms() { # detector list -> best CPU ms of the Hyperscan scan
    PIISCAN_COMPILE_DB=1 STAGES_ONLY=hs "$STAGES" "$FILE" "$1" "$RUNS" |
        awk '/^hyperscan alone/ {print $3}'
}

all=$(join "${ids[@]}")
base=$(hs_ms "$all")
printf '%s, %d Hyperscan detectors, best of %d, thread CPU time\n' "$(basename "$FILE")" \
    ${#ids[@]} "$RUNS"
printf '| database | ms | saves ms | saves %% |\n|---|---|---|---|\n'
printf '| all %d | %s | | |\n' ${#ids[@]} "$base"
for id in "${ids[@]}"; do
    rest=()
    for o in "${ids[@]}"; do [ "$o" = "$id" ] || rest+=("$o"); done
    ms=$(hs_ms "$(join "${rest[@]}")")
    awk -v id="$id" -v ms="$ms" -v b="$base" \
        'BEGIN { printf "| without %s | %s | %.1f | %.1f |\n", id, ms, b - ms, 100 * (b - ms) / b }'
done
# the same database again: how far the machine's load moved the figures meanwhile
printf '| all %d, again | %s | | |\n' ${#ids[@]} "$(hs_ms "$all")"
