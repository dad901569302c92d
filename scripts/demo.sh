#!/usr/bin/env bash
# The README's demo command: sets up a Debian 12 machine, builds the release preset and runs
# the main job: `siyu demo` generates a tea brand (20,000 customers over 180 days), imports it
# into a SQLite database through the same path as `siyu import`, and prints what the pool
# holds, measured from the log. Extra arguments go to `siyu demo` (e.g. --customers 100000).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
cmake --preset release
cmake --build --preset release --target siyu_cli

siyu=build/release/tools/siyu/siyu
db=build/release/siyu-demo.db
rm -f "$db" "$db"-wal "$db"-shm "$db".events.csv
"$siyu" --version
"$siyu" demo --db "$db" "$@"
