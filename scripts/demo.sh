#!/usr/bin/env bash
# The README's demo command: sets up a Debian 12 machine, builds the release preset and runs
# the main job.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
cmake --preset release
cmake --build --preset release

siyu=build/release/tools/siyu/siyu
"$siyu" --version
# `siyu demo` needs the data model and ingest, which are not built yet; until they are,
# the demo shows the command's version and runs the examples.
echo "siyu demo: not available in this version; running the examples instead"
for example in build/release/examples/example_*; do
  printf '\n== %s\n' "${example##*/example_}"
  "$example"
done
