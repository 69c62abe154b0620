#!/usr/bin/env bash
# setup-debian.sh: installs what piiscan needs to build, test and benchmark on Debian 12, if
# missing. Idempotent: does nothing (not even apt-get update) when all is there. Run as root.
set -euo pipefail

need=(gcc make cmake pkg-config clang-format git
      libcriterion-dev libjansson-dev zlib1g-dev libarchive-dev libzstd-dev libisal-dev
      pre-commit python3-jsonschema  # the hook tests (real pre-commit) and the SARIF schema check
      ripgrep hyperfine python3
      clang libclang-rt-14-dev) # clang and its libFuzzer runtime: scripts/fuzz-smoke.sh
# Hyperscan where Intel's build exists; elsewhere its portable fork with the same API.
if [ "$(dpkg --print-architecture)" = amd64 ]; then need+=(libhyperscan-dev); else need+=(libvectorscan-dev); fi

missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
