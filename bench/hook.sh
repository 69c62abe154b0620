#!/usr/bin/env bash
# bench/hook.sh: the pre-commit hook's latency on a 20-file commit, warm cache: piiscan
# --pre-commit on 20 generated fixtures (what the pre-commit framework runs), and piiscan git
# --staged over the same 20 files staged in a temporary repository (what install-hook runs).
# References in the same run: `git diff --cached --stat` (the cheapest git call the hook
# cannot avoid) and the one `git diff` that `git --staged` runs. CPU ms (user + sys, children
# included) are printed with the wall times: on a loaded machine they are the steadier figure.
# Usage: bench/hook.sh [--build DIR] [--runs N]. Needs git and hyperfine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
RUNS=50
while [ $# -gt 0 ]; do
    case $1 in
    --build) BUILD=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "hook.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
PIISCAN=$(cd "$BUILD" && pwd)/piiscan
[ -x "$PIISCAN" ] || { echo "hook.sh: no $PIISCAN (build first)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hook.sh: needs hyperfine" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME=$T GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.com \
    GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.com
git init -q "$T/repo"
cd "$T/repo"
mkdir -p tests/data
echo init >README && git add README && git commit -qm init
# 20 fixtures of 200 lines (about 12 KiB each): log-like records, every fifth carrying test
# values (an e-mail, an SSN, a card, an IP, a phone), so the commit passes with 1,000 notes
for i in $(seq -w 1 20); do
    awk -v f="$i" 'BEGIN { for (l = 1; l <= 200; l++)
        if (l % 5) printf "2026-01-%02d 12:00:%02d INFO job %s-%d finished in %d ms, 0 errors\n", l % 28 + 1, l % 60, f, l, l * 7
        else printf "%s-%d,user%d@example.com,987-65-432%d,4111 1111 1111 1111,192.0.2.%d,(212) 555-01%02d\n",
               f, l, l, l % 10, l % 250, l % 100 }' >"tests/data/fixture$i.csv"
done
git add tests/data
files=$(ls tests/data/*.csv | tr '\n' ' ')
"$PIISCAN" --pre-commit $files 2>/dev/null || { echo "hook.sh: the fixtures should pass" >&2; exit 1; }
# the git processes `git --staged` starts (git traces every one it runs)
GIT_TRACE="$T/trace" "$PIISCAN" git --staged 2>/dev/null
echo "git --staged runs $(grep -c 'built-in: git' "$T/trace") git process(es):" \
    "$(sed -n 's/.*built-in: git \([a-z-]*\).*/\1/p' "$T/trace" | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
diff_cmd='git diff --cached --patch-with-raw -z --no-abbrev --no-renames --diff-filter=AMT --no-color --no-ext-diff --no-textconv --no-relative --submodule=short --src-prefix=a/ --dst-prefix=b/ --unified=999999999'
hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$T/h.json" \
    -n 'git diff --cached --stat (reference)' 'git diff --cached --stat' \
    -n 'the git diff of git --staged (reference)' "$diff_cmd" \
    -n 'piiscan --pre-commit (20 files)' "$PIISCAN --pre-commit $files" \
    -n 'piiscan git --staged (20 files)' "$PIISCAN git --staged" \
    -n 'piiscan git --staged --all-lines (20 files)' "$PIISCAN git --staged --all-lines" >/dev/null
python3 - "$T/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ref = r[0]["median"]
print("| command | median ms | min ms | cpu ms (user+sys) | / git diff --stat |\n|---|---|---|---|---|")
for x in r:
    cpu = (x['user'] + x['system']) * 1e3
    print(f"| {x['command']} | {x['median']*1e3:.2f} | {x['min']*1e3:.2f} | {cpu:.2f} | {x['median']/ref:.1f}x |")
PY
