#!/usr/bin/env bash
# Records one benchmark program's figures in benchmarks/results/<area>.json: the release
# build, pinned to one core (the machine is shared; migrations between cores add noise),
# 5 repetitions, aggregates only (mean, median, stddev, cv). Usage: benchmarks/record.sh core
set -euo pipefail
cd "$(dirname "$0")/.."
area=${1:?usage: benchmarks/record.sh <area>}
cmake --preset release >/dev/null
cmake --build --preset release --target "${area}_bench" >/dev/null
taskset -c 0 "build/release/benchmarks/${area}_bench" --benchmark_repetitions=5 \
  --benchmark_min_time=1 --benchmark_report_aggregates_only=true \
  --benchmark_out="benchmarks/results/${area}.json" --benchmark_out_format=json
