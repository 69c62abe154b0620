#!/usr/bin/env bash
# bench/run.sh: builds the loghub+PII corpus and measures piiscan against ripgrep in one run.
# Prints one markdown table (also written to bench/out/latest.md); see bench/README.md.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
SIZE=1G
SEED=42
RATE=0.02
RUNS=3
BUILD=$ROOT/build
RECALL=1
LOGHUB=${PII_LOGHUB:-}
PREFIX_BYTES=268435456 # per-detector table and recall: the first 256 MiB

usage() {
    cat <<'EOF'
usage: bench/run.sh [--size 1G] [--build DIR] [--quick] [--seed N] [--rate R] [--runs N]
                    [--loghub DIR] [--no-recall]
  --size     corpus size (binary suffixes k, M, G; default 1G)
  --build    CMake build directory holding piiscan (default: build/); PIISCAN=path overrides
  --quick    64M corpus, for smoke tests
  --runs     runs per measurement, median reported (default 3)
  --loghub   directory of loghub *_2k.log files (default: $PII_LOGHUB, corpora/loghub,
             ../shared/data/loghub, /work/shared/data/loghub)
EOF
}

while [ $# -gt 0 ]; do
    case $1 in
    --size) SIZE=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --quick) SIZE=64M; shift ;;
    --seed) SEED=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --loghub) LOGHUB=$2; shift 2 ;;
    --no-recall) RECALL=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done
BUILD=$(cd "$BUILD" 2>/dev/null && pwd || echo "$BUILD")

OUT=$BENCH/out
CORPUS_DIR=$BENCH/corpus
mkdir -p "$OUT" "$OUT/bin" "$CORPUS_DIR"
RAW=$OUT/raw.txt
: >"$RAW"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

if [ -z "$LOGHUB" ]; then
    for d in "$ROOT/corpora/loghub" "$ROOT/../shared/data/loghub" /work/shared/data/loghub; do
        if ls "$d"/*.log >/dev/null 2>&1; then LOGHUB=$d; break; fi
    done
fi
if [ -z "$LOGHUB" ] || ! ls "$LOGHUB"/*.log >/dev/null 2>&1; then
    die "no loghub *.log files found (use --loghub)"
fi
command -v rg >/dev/null || die "ripgrep (rg) is required"

# ---- helper programs: the CMake-built ones when current, else compiled here (they are standalone C)
tool() {
    local name=$1 src=$BENCH/$1.c
    if [ -x "$BUILD/bench/$name" ] && [ "$BUILD/bench/$name" -nt "$src" ]; then
        echo "$BUILD/bench/$name"
        return
    fi
    if [ ! -x "$OUT/bin/$name" ] || [ "$src" -nt "$OUT/bin/$name" ]; then
        log "compiling $name"
        ${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -o "$OUT/bin/$name" "$src" >&2 || die "cannot compile $src"
    fi
    echo "$OUT/bin/$name"
}
MKCORPUS=$(tool mkcorpus)
RUNSTAT=$(tool runstat)

# ---- corpus (reused when size, seed, rate and generator are unchanged)
stamp_of() { printf 'size=%s seed=%s rate=%s gen=%s\n' "$SIZE" "$SEED" "$RATE" \
    "$(sha256sum "$BENCH/mkcorpus.c" | cut -c1-16)"; }
NAME=loghub-$SIZE-s$SEED
CORPUS=$CORPUS_DIR/$NAME.log
TRUTH=$CORPUS_DIR/$NAME.truth.tsv
STAMP=$CORPUS_DIR/$NAME.stamp
if [ -f "$CORPUS" ] && [ -f "$TRUTH" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(stamp_of)" ]; then
    log "reusing $CORPUS"
    GEN_NOTE="reused"
else
    log "generating $CORPUS"
    rm -f "$STAMP"
    GEN_LINE=$("$MKCORPUS" --loghub "$LOGHUB" --size "$SIZE" --seed "$SEED" --rate "$RATE" \
        --out "$CORPUS" --truth "$TRUTH" 2>&1) || die "mkcorpus failed: $GEN_LINE"
    log "$GEN_LINE"
    GEN_NOTE=$(printf '%s' "$GEN_LINE" | sed -n 's/.*, \([0-9.]* s (.*)\)$/generated in \1/p')
    stamp_of >"$STAMP"
fi
BYTES=$(stat -c %s "$CORPUS")
TRUTH_N=$(wc -l <"$TRUTH")

# Per-detector prefix (the whole corpus when it is smaller than 256 MiB).
if [ "$BYTES" -le "$PREFIX_BYTES" ]; then
    PREFIX=$CORPUS
else
    PREFIX=$CORPUS_DIR/$NAME.prefix256M.log
    if [ ! -f "$PREFIX" ] || [ "$PREFIX" -ot "$CORPUS" ]; then head -c "$PREFIX_BYTES" "$CORPUS" >"$PREFIX"; fi
fi
PBYTES=$(stat -c %s "$PREFIX")
SMALL=$OUT/prefix5M.log
head -c 5000000 "$CORPUS" >"$SMALL"
ONELINE=$OUT/oneline.log
printf '2024-11-21 03:14:07 INFO sshd[4211]: Accepted publickey for deploy from host-a port 52214\n' >"$ONELINE"

# ---- measuring: runstat prints "wall_med=… wall_min=… wall_max=… rss_kb=… exit=… runs=…"
RS=""
measure() { # measure LABEL [runstat options] -- CMD...
    local label=$1
    shift
    RS=$("$RUNSTAT" "$@") || die "runstat failed for $label"
    printf '%s\t%s\t%s\n' "$label" "$RS" "${*}" >>"$RAW"
}
field() { printf '%s\n' "$RS" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
gbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.3f", b / s / 1e9; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
secs() { awk -v m="$(field wall_med)" -v lo="$(field wall_min)" -v hi="$(field wall_max)" \
    'BEGIN { printf "%.3f (%.3f–%.3f)", m, lo, hi }'; }
ms() { awk -v m="$(field wall_med)" -v lo="$(field wall_min)" -v hi="$(field wall_max)" \
    'BEGIN { printf "%.2f ms (%.2f–%.2f)", m * 1e3, lo * 1e3, hi * 1e3 }'; }
cpu() { awk -v c="$(field cpu_med)" 'BEGIN { printf "%.3f", c }'; }
mb() { awk -v k="$(field rss_kb)" 'BEGIN { printf "%.1f", k / 1024 }'; }
first_int() { # first_int KEY FILE: the first "KEY": N in a JSON file
    grep -o "\"$1\"[[:space:]]*:[[:space:]]*[0-9]*" "$2" 2>/dev/null | sed -n 1p | sed 's/.*:[[:space:]]*//'
}

# ---- piiscan (optional: the rg figures are still useful without it)
PIISCAN=${PIISCAN:-$BUILD/piiscan}
HAVE_PII=0
JFLAG=()
SJ=()
if [ -x "$PIISCAN" ]; then
    HAVE_PII=1
    set +e
    "$PIISCAN" --format summary -j1 "$ONELINE" >/dev/null 2>&1
    if [ $? -le 1 ]; then JFLAG=(-j1); else log "piiscan rejects -j1: measuring without it"; fi
    "$PIISCAN" --format summary --summary-json "$OUT/probe.json" "$ONELINE" >/dev/null 2>&1
    if [ $? -le 1 ]; then SJ=(--summary-json "$OUT/summary.json"); else log "piiscan rejects --summary-json"; fi
    set -e
    PII_VERSION=$("$PIISCAN" --version 2>/dev/null | sed -n 1p || true)
else
    log "no piiscan at $PIISCAN: piiscan figures skipped"
fi
pii_findings() { [ ${#SJ[@]} -gt 0 ] && first_int findings "$OUT/summary.json" || echo "-"; }
DETS=(email phone credit_card iban us_ssn ipv4 ipv6 mac_address aws_access_key aws_secret_key
    api_token jwt private_key password url_clickstream geo_coordinates)
PATTERNS=$BENCH/rg_patterns.txt
[ "$(grep -c '' "$PATTERNS")" -eq ${#DETS[@]} ] || die "rg_patterns.txt must hold ${#DETS[@]} lines"

MD=$OUT/latest.md.tmp
: >"$MD"
md() { printf '%s\n' "$*" >>"$MD"; }

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)
FLAGS=$(grep -m1 -o -w -E 'avx512bw|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ' || true)
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
md "## piiscan benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
md ""
md "machine: $(nproc) cores, ${CPU:-unknown CPU} (${FLAGS% }), $(uname -sr); repo $REV; $(rg --version | sed -n 1p)${PII_VERSION:+; $PII_VERSION}"
md "corpus: $(basename "$CORPUS"), $BYTES bytes, $TRUTH_N injected values (seed $SEED, rate $RATE, $GEN_NOTE); GB/s = 10^9 bytes/s; median of $RUNS runs (min–max)"
md ""
md "| # | measurement | GB/s | wall s | CPU s | peak RSS MB | count | ratio |"
md "|---|---|---|---|---|---|---|---|"

# (g) read ceiling; also warms the page cache for everything after it.
log "(g) cat"
measure cat -n "$RUNS" -- cat "$CORPUS"
CAT_G=$(gbps "$BYTES" "$(field wall_med)")
md "| g | \`cat corpus > /dev/null\` (read ceiling) | $CAT_G | $(secs) | $(cpu) | $(mb) | - | - |"

# (b), (c) ripgrep with the equivalent 16 patterns.
log "(b) rg --count-matches -j1"
measure rg_j1 -n "$RUNS" --stdout "$OUT/rg.count" -- rg -j1 --count-matches -f "$PATTERNS" "$CORPUS"
RG1_G=$(gbps "$BYTES" "$(field wall_med)")
RG1_ROW="| b | \`rg -j1 --count-matches -f rg_patterns.txt\` (reference) | $RG1_G | $(secs) | $(cpu) | $(mb) | $(head -1 "$OUT/rg.count") | 1.00 |"
log "(b) rg --count-matches"
measure rg_jN -n "$RUNS" --stdout "$OUT/rg.count" -- rg --count-matches -f "$PATTERNS" "$CORPUS"
RGN_G=$(gbps "$BYTES" "$(field wall_med)")
RGN_ROW="| b | \`rg --count-matches\` (default threads) | $RGN_G | $(secs) | $(cpu) | $(mb) | $(head -1 "$OUT/rg.count") | $(ratio "$RGN_G" "$RG1_G") |"
log "(c) rg -c"
measure rg_c -n "$RUNS" --stdout "$OUT/rg.count" -- rg -j1 -c -f "$PATTERNS" "$CORPUS"
RGC_G=$(gbps "$BYTES" "$(field wall_med)")
RGC_ROW="| c | \`rg -j1 -c\` (lines with a match) | $RGC_G | $(secs) | $(cpu) | $(mb) | $(head -1 "$OUT/rg.count") lines | $(ratio "$RGC_G" "$RG1_G") |"

# (a) piiscan, one thread.
if [ $HAVE_PII = 1 ]; then
    log "(a) piiscan ${JFLAG[*]}"
    measure pii_j1 -n "$RUNS" --stdout "$OUT/pii.summary" -- "$PIISCAN" --format summary "${JFLAG[@]}" "${SJ[@]}" "$CORPUS"
    PII_G=$(gbps "$BYTES" "$(field wall_med)")
    PII_EXIT=$(field exit)
    SEEN=$(first_int bytes "$OUT/summary.json" || true)
    JNOTE=${JFLAG[*]:-(no -j option)}
    md "| a | \`piiscan --format summary\` $JNOTE, exit $PII_EXIT | **$PII_G** | $(secs) | $(cpu) | $(mb) | $(pii_findings) findings | **$(ratio "$PII_G" "$RG1_G")** |"
    if [ -n "${SEEN:-}" ] && [ "$SEEN" != "$BYTES" ]; then log "WARNING: piiscan reports $SEEN bytes, corpus has $BYTES"; fi
    # (a16) the 16 detectors rg_patterns.txt stands for: their own database (compiled into
    # the cache by the first, unmeasured run)
    D16=$(IFS=,; echo "${DETS[*]}")
    log "(a16) piiscan --detectors <16> ${JFLAG[*]}"
    "$PIISCAN" --detectors "$D16" --format summary "$ONELINE" >/dev/null 2>&1 || true
    measure pii_16 -n "$RUNS" -- "$PIISCAN" --format summary "${JFLAG[@]}" --detectors "$D16" "$CORPUS"
    PII16_G=$(gbps "$BYTES" "$(field wall_med)")
    md "| a16 | same, \`--detectors\` the 16 of rg_patterns.txt | **$PII16_G** | $(secs) | $(cpu) | $(mb) | - | **$(ratio "$PII16_G" "$RG1_G")** |"
fi
md "$RG1_ROW"
md "$RGN_ROW"
md "$RGC_ROW"

# (d) start-up on a one-line file, against rg on the same file.
log "(d) start-up"
measure rg_start -n 30 -w 3 -- rg -f "$PATTERNS" "$ONELINE"
RG_START=$(field wall_med)
RG_START_ROW="| d | start-up: \`rg -f rg_patterns.txt\` one-line file | - | $(ms) | $(cpu) | $(mb) | - | 1.00 |"
if [ $HAVE_PII = 1 ]; then
    measure pii_start -n 30 -w 3 -- "$PIISCAN" "$ONELINE"
    md "| d | start-up: \`piiscan FILE\` one-line file (exit $(field exit)) | - | **$(ms)** | $(cpu) | $(mb) | - | $(ratio "$(field wall_med)" "$RG_START") |"
fi
md "$RG_START_ROW"

# (e) memory must not grow with the input: 5 MB vs the whole corpus through a pipe.
if [ $HAVE_PII = 1 ]; then
    log "(e) memory through stdin"
    measure pii_pipe_small -n "$RUNS" --stdin-pipe "$SMALL" -- "$PIISCAN" --format summary -
    SMALL_KB=$(field rss_kb)
    md "| e | \`cat 5MB-prefix \| piiscan --format summary -\` | $(gbps 5000000 "$(field wall_med)") | $(secs) | $(cpu) | $(mb) | - | - |"
    measure pii_pipe_full -n "$RUNS" --stdin-pipe "$CORPUS" -- "$PIISCAN" --format summary -
    md "| e | \`cat corpus \| piiscan --format summary -\` (RSS ratio full/5MB) | $(gbps "$BYTES" "$(field wall_med)") | $(secs) | $(cpu) | $(mb) | - | $(ratio "$(field rss_kb)" "$SMALL_KB") |"
fi

# (f) per-detector cost on the prefix, and recall against the ground truth.
PMB=$((PBYTES / 1048576))
declare -A TRUTH_CNT FOUND_CNT
if [ $HAVE_PII = 1 ] && [ $RECALL = 1 ]; then
    log "recall: piiscan --format jsonl on the ${PMB} MiB prefix"
    set +e
    "$PIISCAN" --format jsonl "$PREFIX" >"$OUT/findings.jsonl" 2>"$OUT/findings.err"
    [ $? -le 1 ] || log "WARNING: piiscan --format jsonl failed: $(head -3 "$OUT/findings.err")"
    set -e
    {
        awk -v max="$PBYTES" -F '\t' '$1 + $2 <= max { printf "%s\t%.0f\t%.0f\tT\n", $3, $1, $1 + $2 }' "$TRUTH"
        awk '
        function num(key,   s) {
            if (!match($0, "\"" key "\"[ \t]*:[ \t]*[0-9]+")) return ""
            s = substr($0, RSTART, RLENGTH); sub(/^[^:]*:[ \t]*/, "", s); return s
        }
        {
            if (!match($0, /"detector"[ \t]*:[ \t]*"[^"]*"/)) next
            d = substr($0, RSTART, RLENGTH); sub(/^[^:]*:[ \t]*"/, "", d); sub(/"$/, "", d)
            o = num("offset"); l = num("length")
            if (o != "" && l != "") printf "%s\t%.0f\t%.0f\tF\n", d, o, o + l
        }' "$OUT/findings.jsonl"
    } | sort -t "$(printf '\t')" -k1,1 -k2,2n -k4,4 | awk -F '\t' '
        # Sweep per detector in start order: a truth span is found when a finding of the same
        # detector overlaps it (one that started before and ends after its start, or one that
        # starts inside it).
        $1 != det { if (det != "") print det, total, found; det = $1; total = found = 0; maxend = -1; np = 0 }
        $4 == "T" { total++; if (maxend > $2) found++; else pend[np++] = $3; next }
        { for (i = 0; i < np; i++) if (pend[i] > $2) found++
          np = 0; if ($3 > maxend) maxend = $3 }
        END { if (det != "") print det, total, found }' >"$OUT/recall.txt"
    while read -r d t f; do TRUTH_CNT[$d]=$t; FOUND_CNT[$d]=$f; done <"$OUT/recall.txt"
fi

log "(f) per-detector table on the ${PMB} MiB prefix"
md ""
md "Per detector, first $PBYTES bytes ($PMB MiB); ratio = piiscan GB/s ÷ rg GB/s (same pattern alone);"
md "recall = injected values found (a finding of the same detector overlaps the truth span) ÷ injected."
md ""
md "| detector | piiscan GB/s | findings | rg GB/s | rg matches | ratio | injected | found | recall |"
md "|---|---|---|---|---|---|---|---|---|"
ALL_T=0
ALL_F=0
i=0
while IFS= read -r pat; do
    d=${DETS[$i]}
    i=$((i + 1))
    measure "rg_$d" -n "$RUNS" --stdout "$OUT/rg.count" -- rg -j1 --count-matches -e "$pat" "$PREFIX"
    RG_G=$(gbps "$PBYTES" "$(field wall_med)")
    RG_N=$(head -1 "$OUT/rg.count")
    P_G="-"
    P_N="-"
    if [ $HAVE_PII = 1 ]; then
        rm -f "$OUT/summary.json"
        measure "pii_$d" -n "$RUNS" -- "$PIISCAN" --format summary "${JFLAG[@]}" "${SJ[@]}" --detectors "$d" "$PREFIX"
        if [ "$(field exit)" -le 1 ]; then
            P_G=$(gbps "$PBYTES" "$(field wall_med)")
            P_N=$(pii_findings)
        else
            P_N="error (exit $(field exit))"
        fi
    fi
    T=${TRUTH_CNT[$d]:-}
    F=${FOUND_CNT[$d]:-}
    if [ -z "$T" ]; then
        T=$(awk -v max="$PBYTES" -v d="$d" -F '\t' '$3 == d && $1 + $2 <= max' "$TRUTH" | wc -l)
        F=0
    fi
    R="-"
    if [ $HAVE_PII = 1 ] && [ $RECALL = 1 ]; then
        R=$(awk -v f="$F" -v t="$T" 'BEGIN { if (t > 0) printf "%.1f %%", 100 * f / t; else print "-" }')
        ALL_T=$((ALL_T + T))
        ALL_F=$((ALL_F + F))
    else
        F="-"
    fi
    md "| $d | $P_G | $P_N | $RG_G | ${RG_N:-0} | $(ratio "$P_G" "$RG_G") | $T | $F | $R |"
done <"$PATTERNS"
if [ "$ALL_T" -gt 0 ]; then
    md "| **all** | | | | | | $ALL_T | $ALL_F | $(awk -v f=$ALL_F -v t=$ALL_T 'BEGIN { printf "%.1f %%", 100 * f / t }') |"
fi
md ""
md "rg maps a single file into memory, so its peak RSS includes the mapped corpus pages."
md "Raw runstat lines: bench/out/raw.txt; recall details: bench/out/recall.txt."

mv "$MD" "$OUT/latest.md"
cat "$OUT/latest.md"
