#!/usr/bin/env bash
# bench/hspat.sh: the built-in catalogue's Hyperscan expressions as bench/hsbench reads them
# (FLAGS<TAB>EXPR), as the engine compiles them: {KEYSEP} reduced to its first byte, the allow
# marker last.
#
#   bench/hspat.sh [ID,ID,...]     (default: every re:/anchor: detector)
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
want=${1:-}
cat "$ROOT"/patterns/*.tsv | awk -F'\t' -v want=",$want," '
    !/^#/ && $3 ~ /^(anchor|re):/ {
        if (want != ",," && index(want, "," $1 ",") == 0) next
        e = $3; sub(/^(anchor|re):\//, "", e)
        fl = e; sub(/.*\//, "", fl); sub(/\/[a-z]*$/, "", e)
        printf "%s\t%s\n", (fl ~ /i/ ? "i" : "-"), e
    }
    END { print "s\tpiiscan:allow" }' | sed 's/{KEYSEP}/(=|:|"|'"'"'|\\\\|\\s)/g'
