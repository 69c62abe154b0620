#!/usr/bin/env bash
# checksrc.sh: the source rules CI enforces: clang-format clean, and none of the banned
# functions (sprintf, strcpy, strcat, strtok, atoi, gets) in C sources.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find scanner tests bench include -name '*.[ch]')
[ -n "$files" ] || exit 0
fail=0
if ! clang-format --dry-run --Werror $files 2>/tmp/checksrc.$$; then
  head -20 /tmp/checksrc.$$; echo "checksrc: run clang-format -i on the files above"; fail=1
fi
rm -f /tmp/checksrc.$$
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)\s*\(' $files | grep -v 'checksrc: allow'; then
  echo "checksrc: banned function (use snprintf, memcpy, strtol)"; fail=1
fi
exit $fail
