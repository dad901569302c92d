#!/usr/bin/env bash
# Installs everything siyu's build, tests, docs and lint need on Debian 12 (bookworm).
# Idempotent and non-interactive; run as root (no sudo is assumed). Both README commands
# (scripts/demo.sh, scripts/test.sh) call it first, so a fresh machine needs nothing else.
set -euo pipefail

packages=(
  # toolchain and build
  build-essential cmake ninja-build pkgconf git ca-certificates
  # library dependencies (docs/dependencies.md says why each is there)
  libboost-dev libboost-date-time-dev libfmt-dev libsqlite3-dev libsqlitecpp-dev libxxhash-dev
  libsimdjson-dev
  libsodium-dev
  # command line
  libcli11-dev
  # tests and benchmarks (python3-jsonschema checks docs/schemas/ against the rule files)
  catch2 libbenchmark-dev python3 python3-jsonschema
  # docs
  doxygen
  # lint, the fuzz preset's libFuzzer and its sanitizer runtime
  clang-16 clang-format-16 clang-tidy-16 libclang-rt-16-dev
)
# Hyperscan, for sensitive words, is built for amd64 only; elsewhere siyu uses its own matcher.
if [[ $(dpkg --print-architecture) == amd64 ]]; then
  packages+=(libhyperscan-dev)
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-debian.sh: run as root (it calls apt-get)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup-debian.sh: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup-debian.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-debian.sh: done"
