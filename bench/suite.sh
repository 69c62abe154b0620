#!/usr/bin/env bash
# bench/suite.sh: the performance suite (issue 5). Builds its inputs from the bench corpus and
# prints one table: plain, .gz, .zst, tar.gz of 1,000 members, 10,000 small files, one 1 MB
# line, a 20-file commit; for each piiscan with -j1 and all threads, ripgrep with the
# equivalent patterns (-j1 and default), decompression alone, peak RSS, and the speed-up from
# 1 to all threads, all measured in the same run. Table also in bench/out/suite.md.
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
SIZE=1G
RUNS=3
ROWS=all
CORPUS=
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --quick) SIZE=64M; RUNS=1; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    -h | --help)
        echo "usage: bench/suite.sh [--quick] [--size 1G] [--runs 3] [--build DIR] [--rows LIST]"
        echo "  --rows: some rows only, comma-separated: plain,gz,zst,tar,small,line,commit,startup"
        echo "  --corpus DIR: the inputs of an earlier run (e.g. another worktree's bench/corpus/suite-64M),"
        echo "    read only: nothing is generated or written there"
        echo "  PIISCAN=BIN: another piiscan binary (a baseline, in the same session)"
        exit 0 ;;
    *) echo "suite.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
PIISCAN=${PIISCAN:-$BUILD/piiscan}
RUNSTAT=$BUILD/bench/runstat
DECODE=$BUILD/bench/decode
MKCORPUS=$BUILD/bench/mkcorpus
READTREE=$BUILD/bench/readtree
for t in "$PIISCAN" "$RUNSTAT" "$DECODE" "$MKCORPUS" "$READTREE"; do
    [ -x "$t" ] || { echo "suite.sh: $t missing: build first (cmake --build build)" >&2; exit 2; }
done
command -v rg >/dev/null || { echo "suite.sh: ripgrep (rg) is required" >&2; exit 2; }
log() { printf '[suite] %s\n' "$*" >&2; }

LOGHUB=${PII_LOGHUB:-}
for d in "$ROOT/corpora/loghub" "$ROOT/../shared/data/loghub" /work/shared/data/loghub; do
    [ -n "$LOGHUB" ] && break
    if ls "$d"/*.log >/dev/null 2>&1; then LOGHUB=$d; fi
done
[ -n "$LOGHUB" ] || { echo "suite.sh: no loghub *.log files (PII_LOGHUB)" >&2; exit 2; }

IN=$ROOT/bench/corpus/suite-$SIZE
OUT=$ROOT/bench/out
if [ -n "$CORPUS" ]; then
    IN=$(cd "$CORPUS" && pwd)
    for x in plain.log plain.log.gz plain.log.zst members.tar.gz small line.log commit; do
        [ -e "$IN/$x" ] || { echo "suite.sh: $IN/$x missing (--corpus is read only)" >&2; exit 2; }
    done
fi
mkdir -p "$IN" "$OUT"
PLAIN=$IN/plain.log
if [ ! -s "$PLAIN" ]; then
    log "generating $PLAIN"
    "$MKCORPUS" --loghub "$LOGHUB" --size "$SIZE" --seed 42 --out "$PLAIN" >&2
fi
[ -s "$PLAIN.gz" ] || { log "gzip"; gzip -6 -c "$PLAIN" >"$PLAIN.gz"; }
[ -s "$PLAIN.zst" ] || { log "zstd"; zstd -q -3 -c "$PLAIN" >"$PLAIN.zst"; }
BYTES=$(stat -c %s "$PLAIN")
if [ ! -s "$IN/members.tar.gz" ]; then
    log "tar.gz of 1,000 members"
    rm -rf "$IN/members" && mkdir -p "$IN/members"
    split -n 1000 -d -a 4 "$PLAIN" "$IN/members/part-"
    tar -C "$IN" -czf "$IN/members.tar.gz" members
    rm -rf "$IN/members"
fi
if [ ! -d "$IN/small" ]; then
    log "10,000 small files"
    rm -rf "$IN/small.tmp" "$IN/small.tmp2"
    mkdir -p "$IN/small.tmp"
    head -c 40000000 "$PLAIN" >"$IN/small.src"
    split -n 10000 -d -a 5 "$IN/small.src" "$IN/small.tmp/f-"
    rm -f "$IN/small.src"
    mkdir -p "$IN/small.tmp2"
    for i in $(seq 0 99); do mkdir "$IN/small.tmp2/d$i"; done
    i=0
    for f in "$IN"/small.tmp/f-*; do mv "$f" "$IN/small.tmp2/d$((i % 100))/"; i=$((i + 1)); done
    rmdir "$IN/small.tmp"
    mv "$IN/small.tmp2" "$IN/small"
fi
[ -s "$IN/line.log" ] || { head -c 1048575 "$PLAIN" | tr '\n' ' ' >"$IN/line.log"; echo >>"$IN/line.log"; }
if [ ! -d "$IN/commit" ]; then
    mkdir -p "$IN/commit"
    for i in $(seq 1 20); do tail -c +$((i * 7919)) "$PLAIN" | head -c $((2000 + i * 300)) >"$IN/commit/f$i.txt"; done
fi
ONELINE=$OUT/oneline.log
printf '2024-11-21 03:14:07 INFO sshd[4211]: Accepted publickey for deploy from host-a port 52214\n' >"$ONELINE"

RS=""
run() { RS=$("$RUNSTAT" -n "$RUNS" -w 1 "$@"); }
f() { printf '%s\n' "$RS" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
gbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.3f", b / s / 1e9; else print "-" }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
PAT=$ROOT/bench/rg_patterns.txt
NPROC=$(nproc)

MD=$OUT/suite.md.tmp
: >"$MD"
md() { printf '%s\n' "$*" >>"$MD"; }
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)
md "## piiscan performance suite — $(date -u '+%Y-%m-%d %H:%M UTC')"
md ""
md "machine: $NPROC cores, ${CPU:-unknown CPU}, $(uname -sr); repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); $(rg --version | sed -n 1p); median of $RUNS runs"
md "GB/s = 10^9 input bytes (expanded) per wall second. jN = default threads ($NPROC). speed-up = -j1 wall ÷ -jN wall."
md "vs rg = piiscan -jN GB/s ÷ rg (default threads) GB/s; vs decode = piiscan -jN GB/s ÷ decompression alone GB/s."
md "CPU s = user + system seconds of one piiscan run (median): on a shared machine the wall-clock speed-up is bounded by the CPU others leave, CPU seconds are not."
md "load average (1 min) at the start: $(cut -d' ' -f1 /proc/loadavg)"
md ""
md "| input | MB | piiscan -j1 GB/s | piiscan -jN GB/s | -jN wall ms | speed-up | CPU s -j1 / -jN | load | peak RSS MB -j1 / -jN | rg -j1 GB/s | rg GB/s | vs rg | decode alone GB/s | vs decode |"
md "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

want() { [ "$ROWS" = all ] || [[ ",$ROWS," == *",$1,"* ]]; }
# row KEY LABEL BYTES RGFLAGS(comma-separated or -) DECODE(yes/no) PATHS...
row() {
    local key=$1
    shift
    want "$key" || return 0
    local label=$1 bytes=$2 rgflags=$3 dec=$4
    shift 4
    log "$label"
    run -- "$PIISCAN" --format summary -j1 "$@"
    local w1 r1 wn rn c1 cn load
    load=$(cut -d' ' -f1 /proc/loadavg)
    w1=$(f wall_med); r1=$(f rss_kb); c1=$(f cpu_med)
    run -- "$PIISCAN" --format summary "$@"
    wn=$(f wall_med); rn=$(f rss_kb); cn=$(f cpu_med)
    local rgf=()
    [ "$rgflags" != "-" ] && IFS=, read -r -a rgf <<<"$rgflags"
    run -- rg -j1 --count-matches "${rgf[@]}" -f "$PAT" "$@"
    local rg1; rg1=$(gbps "$bytes" "$(f wall_med)")
    run -- rg --count-matches "${rgf[@]}" -f "$PAT" "$@"
    local rgn; rgn=$(gbps "$bytes" "$(f wall_med)")
    local dg="-"
    if [ "$dec" = yes ]; then run -- "$DECODE" "$1"; dg=$(gbps "$bytes" "$(f wall_med)"); fi
    local g1 gn
    g1=$(gbps "$bytes" "$w1"); gn=$(gbps "$bytes" "$wn")
    md "| $label | $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') | $g1 | **$gn** | $(awk -v w="$wn" 'BEGIN { printf "%.1f", w * 1e3 }') | **$(div "$w1" "$wn")** | $(awk -v a="$c1" -v b="$cn" 'BEGIN { printf "%.2f / %.2f", a, b }') | $load | $(awk -v a="$r1" -v b="$rn" 'BEGIN { printf "%.1f / %.1f", a / 1024, b / 1024 }') | $rg1 | $rgn | $(div "$gn" "$rgn") | $dg | $(div "$gn" "$dg") |"
}
SMALL_BYTES=$(du -sb "$IN/small" | cut -f1)
COMMIT_BYTES=$(cat "$IN"/commit/* | wc -c)
row plain "plain" "$BYTES" - yes "$PLAIN"
row gz ".gz" "$BYTES" -z yes "$PLAIN.gz"
row zst ".zst" "$BYTES" -z yes "$PLAIN.zst"
row tar "tar.gz, 1,000 members" "$BYTES" "-z,-a" yes "$IN/members.tar.gz"
row small "10,000 small files" "$SMALL_BYTES" - no "$IN/small"
# What this machine allows on many small files, measured in the same run: the same work as two
# processes with nothing shared (each -j1 on half of the directories), one after the other and
# at once; and the reading alone (bench/readtree) the same three ways. The speed-up of two
# independent processes bounds what any threading of one process can reach here.
if want small; then
    log "10,000 small files: the machine's ceiling"
    H1=() H2=()
    i=0
    for x in "$IN"/small/*; do
        if ((i % 2)); then H2+=("$x"); else H1+=("$x"); fi
        i=$((i + 1))
    done
    # pair FILE seq|conc CMD...: a script running CMD on each half, one after the other or at once
    pair() {
        local file=$1 mode=$2 amp=
        shift 2
        [ "$mode" = conc ] && amp='&'
        {
            echo '#!/usr/bin/env bash'
            printf '%q ' "$@" "${H1[@]}"
            echo ">/dev/null $amp"
            printf '%q ' "$@" "${H2[@]}"
            echo '>/dev/null'
            echo 'wait'
        } >"$file"
    }
    ms() { awk -v w="$1" 'BEGIN { printf "%.1f", w * 1e3 }'; }
    pair "$OUT/pair-seq.sh" seq "$PIISCAN" --format summary -j1
    pair "$OUT/pair-conc.sh" conc "$PIISCAN" --format summary -j1
    pair "$OUT/read-seq.sh" seq "$READTREE"
    pair "$OUT/read-conc.sh" conc "$READTREE"
    run -- "$PIISCAN" --format summary -j1 "$IN/small"; C1=$(f wall_med)
    run -- "$PIISCAN" --format summary "$IN/small"; CN=$(f wall_med)
    run -- bash "$OUT/pair-seq.sh"; PS=$(f wall_med); PSC=$(f cpu_med)
    run -- bash "$OUT/pair-conc.sh"; PC=$(f wall_med); PCC=$(f cpu_med)
    run -- "$READTREE" "$IN/small"; R1=$(f wall_med)
    run -- bash "$OUT/read-seq.sh"; RSQ=$(f wall_med); RSC=$(f cpu_med)
    run -- bash "$OUT/read-conc.sh"; RCO=$(f wall_med); RCC=$(f cpu_med)
    CEIL_MD="10,000 small files, what this machine allows (same run, median of $RUNS): piiscan -j1 $(ms "$C1") ms, -j$NPROC $(ms "$CN") ms: **$(div "$C1" "$CN")x**. The same work as two independent piiscan -j1 processes on halves of the directories (no memory, lock or queue shared): one after the other $(ms "$PS") ms, at once $(ms "$PC") ms: **$(div "$PS" "$PC")x** (CPU $(awk -v a="$PSC" -v b="$PCC" 'BEGIN { printf "%.3f -> %.3f s", a, b }')). Reading the files alone (bench/readtree: openat, read, close; $(ms "$R1") ms as one process): halves one after the other $(ms "$RSQ") ms, at once $(ms "$RCO") ms: **$(div "$RSQ" "$RCO")x** (CPU $(awk -v a="$RSC" -v b="$RCC" 'BEGIN { printf "%.3f -> %.3f s", a, b }'))."
fi
row line "one 1 MB line" "$(stat -c %s "$IN/line.log")" - no "$IN/line.log"
row commit "20-file commit" "$COMMIT_BYTES" - no "$IN"/commit/*
if [ -n "${CEIL_MD:-}" ]; then
    md ""
    md "$CEIL_MD"
fi
if ! want startup; then
    mv "$MD" "$OUT/suite.md"
    cat "$OUT/suite.md"
    exit 0
fi
log "start-up"
RS=$("$RUNSTAT" -n 30 -w 3 -- "$PIISCAN" "$ONELINE")
PST=$(f wall_med)
RS=$("$RUNSTAT" -n 30 -w 3 -- rg -f "$PAT" "$ONELINE")
RST=$(f wall_med)
md ""
md "start-up to the first result, one-line input (built-in catalogue: embedded database): piiscan $(awk -v w="$PST" 'BEGIN { printf "%.2f", w * 1e3 }') ms, rg $(awk -v w="$RST" 'BEGIN { printf "%.2f", w * 1e3 }') ms (30 runs, median)."
PATF=$OUT/suite-user.tsv
printf 'employee_id\tcustom\tre:/EMP-[0-9]{6}/\t-\temployee|staff\t32,8\tA\tno\tmedium\t80\temployee number\n' >"$PATF"
export XDG_CACHE_HOME=$OUT/suite-cache
rm -rf "$XDG_CACHE_HOME"
RS=$("$RUNSTAT" -n 5 -- "$PIISCAN" --no-cache --patterns "$PATF" "$ONELINE")
COLD=$(f wall_med)
RS=$("$RUNSTAT" -n 30 -w 3 -- "$PIISCAN" --patterns "$PATF" "$ONELINE")
WARM=$(f wall_med)
md "with one user pattern (--patterns): $(awk -v w="$COLD" 'BEGIN { printf "%.2f", w * 1e3 }') ms compiling (--no-cache), $(awk -v w="$WARM" 'BEGIN { printf "%.2f", w * 1e3 }') ms from the warm disk cache."
mv "$MD" "$OUT/suite.md"
cat "$OUT/suite.md"
