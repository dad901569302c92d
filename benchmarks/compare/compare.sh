#!/usr/bin/env bash
# siyu against DuckDB, SQLite and ClickHouse (chdb) on the same funnel, cohort table and RFM
# over the same generated brand, in one run. Every engine loads the brand's interchange CSV
# into its own database; then each metric runs three times per engine as a whole process
# from that database, and the engines' results must be identical to siyu's or the script
# fails. Also measured: each peer's query time inside its process, and siyu's time on a
# pool loaded from the same CSV (metrics_bench, medians of three). Results and medians go to
# benchmarks/results/compare.json; a table of times and ratios is printed.
#
#   benchmarks/compare/compare.sh                       # 1,000,000 customers (about 10 M events)
#   SIYU_COMPARE_CUSTOMERS=100000 benchmarks/compare/compare.sh
#   SIYU_COMPARE_ENGINES="duckdb clickhouse" benchmarks/compare/compare.sh
#
# Needs node and npm (the peers come prebuilt from npm, pinned in package.json), sqlite3 and
# GNU time; the script installs them with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
customers=${SIYU_COMPARE_CUSTOMERS:-1000000}
engines=${SIYU_COMPARE_ENGINES:-duckdb sqlite clickhouse}
steps=friend_added,content_viewed,order_paid,order_paid
window_days=7
periods=8
zone=+08:00 zone_seconds=28800  # the sample brand's zone
work=${SIYU_COMPARE_DIR:-${TMPDIR:-/tmp}/siyu-compare-$customers}
out=${SIYU_COMPARE_OUT:-benchmarks/results/compare.json}

if ! command -v node >/dev/null || ! command -v npm >/dev/null || ! command -v sqlite3 >/dev/null ||
  [[ ! -x /usr/bin/time ]]; then
  echo "compare.sh: installing nodejs, npm, sqlite3 and time" >&2
  apt-get install -y -qq --no-install-recommends nodejs npm sqlite3 time >/dev/null
fi
cmake --preset release >/dev/null
cmake --build --preset release --target siyu_cli metrics_bench >/dev/null
siyu=$root/build/release/tools/siyu/siyu
(cd benchmarks/compare && npm install --no-audit --no-fund --silent)
peers="node $root/benchmarks/compare/peers.mjs"

mkdir -p "$work"
csv=$work/brand.db.events.csv
if [[ ! -f $csv ]]; then
  echo "generating the brand: $customers customers" >&2
  rm -f "$work"/brand.db*
  "$siyu" demo --db "$work/brand.db" --customers "$customers" >/dev/null
fi
events=$(($(wc -l <"$csv") - 1))
database() { case $1 in siyu) echo "$work/siyu.db" ;; sqlite) echo "$work/sqlite.db" ;;
  duckdb) echo "$work/duckdb.db" ;; clickhouse) echo "$work/clickhouse" ;; esac; }

# Runs a command, keeping its stdout in $work/stdout.txt; prints "seconds peak_mib".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/stdout.txt"
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$work/time.txt"
}
median() { sort -n | sed -n 2p; }  # of three
json_list() { local IFS=,; echo "[$*]"; }

declare -A load_seconds load_mib
echo "loading $events events" >&2
for engine in siyu $engines; do
  db=$(database "$engine")
  rm -rf "$db" "$db"-*
  if [[ $engine == siyu ]]; then
    read -r s m < <(measure "$siyu" import --db "$db" "$csv")
  else
    read -r s m < <(measure $peers "$engine" load "$db" "$csv")
  fi
  load_seconds[$engine]=$s load_mib[$engine]=$m
  echo "  $engine: ${s}s" >&2
done

# The command line of one metric for siyu, and the arguments for the peers.
siyu_command() {
  case $1 in
    funnel) echo funnel --steps "$steps" --window "${window_days}d" ;;
    retention) echo retention --cohort friend_added --return any --period week \
      --periods "$periods" --zone "$zone" ;;
    rfm) echo rfm --customers --zone "$zone" ;;
  esac
}
peer_arguments() {
  case $1 in
    funnel) echo "$steps" $((window_days * 86400)) ;;
    retention) echo "$zone_seconds" "$periods" ;;
    rfm) echo "$zone_seconds" ;;
  esac
}

identical=true
declare -A process_seconds query_seconds peak_mib results
for metric in funnel retention rfm; do
  for engine in siyu $engines; do
    db=$(database "$engine")
    times=() queries=()
    for _ in 1 2 3; do
      if [[ $engine == siyu ]]; then
        # shellcheck disable=SC2046  # the command's words
        read -r t m < <(measure "$siyu" $(siyu_command "$metric") --db "$db" --format json)
        result=$($peers siyu "$metric" "$work/stdout.txt" | node -pe \
          'JSON.stringify(JSON.parse(require("fs").readFileSync(0)).result)')
      else
        # shellcheck disable=SC2046
        read -r t m < <(measure $peers "$engine" "$metric" "$db" $(peer_arguments "$metric"))
        result=$(node -pe 'JSON.stringify(JSON.parse(require("fs").readFileSync(0)).result)' \
          <"$work/stdout.txt")
        queries+=("$(node -pe 'JSON.parse(require("fs").readFileSync(0)).query_seconds' \
          <"$work/stdout.txt")")
      fi
      times+=("$t")
    done
    key=$metric.$engine
    process_seconds[$key]=$(printf '%s\n' "${times[@]}" | median)
    peak_mib[$key]=$m results[$key]=$result
    if ((${#queries[@]})); then query_seconds[$key]=$(printf '%s\n' "${queries[@]}" | median); fi
    if [[ $result != "${results[$metric.siyu]}" ]]; then
      identical=false
      echo "compare.sh: $engine's $metric differs from siyu's" >&2
    fi
    echo "  $metric, $engine: ${process_seconds[$key]}s" >&2
  done
done

# ClickHouse's own windowFunnel, for its speed (it counts differently: peers.mjs says why).
window_funnel=null
if [[ " $engines " == *" clickhouse "* ]]; then
  times=() queries=()
  for _ in 1 2 3; do
    read -r t _ < <(measure $peers clickhouse window-funnel "$(database clickhouse)" \
      "$steps" $((window_days * 86400)))
    times+=("$t")
    queries+=("$(node -pe 'JSON.parse(require("fs").readFileSync(0)).query_seconds' <"$work/stdout.txt")")
  done
  window_funnel="{\"steps\": $(node -pe 'JSON.stringify(JSON.parse(require("fs").readFileSync(0)).result.steps)' \
    <"$work/stdout.txt"), \"process_seconds\": $(printf '%s\n' "${times[@]}" | median),
    \"query_seconds\": $(printf '%s\n' "${queries[@]}" | median)}"
fi

# siyu inside the process: the same three metrics on a pool ingested from the same CSV.
echo "siyu in-process (metrics_bench)" >&2
SIYU_BENCH_CUSTOMERS=$customers taskset -c 0 build/release/benchmarks/metrics_bench \
  --benchmark_filter='^(funnel_default|retention_weekly_any|rfm)$' --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$work/bench.json"
for pair in funnel:funnel_default retention:retention_weekly_any rfm:rfm; do
  # (Google Benchmark writes NaN for the spread of a constant counter, which JSON lacks.)
  query_seconds[${pair%%:*}.siyu]=$(node -pe '(JSON.parse(require("fs").readFileSync(0, "utf8")
    .replaceAll("NaN", "null")).benchmarks.find((b) => b.name === process.argv[1] + "_median")
    .real_time / 1000).toFixed(4)' \
    "${pair#*:}" <"$work/bench.json")
done

{
  echo "{\"command\": \"SIYU_COMPARE_CUSTOMERS=$customers benchmarks/compare/compare.sh\","
  echo " \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"cpus\": $(nproc), \"threads\": 1,"
  echo " \"customers\": $customers, \"events\": $events, \"identical\": $identical,"
  echo " \"funnel\": {\"steps\": \"$steps\", \"window_days\": $window_days},"
  echo " \"retention\": {\"cohort\": \"friend_added\", \"return\": \"any\", \"period\": \"week\", \"periods\": $periods, \"zone\": \"$zone\"},"
  echo " \"rfm\": {\"at\": \"latest event\", \"zone\": \"$zone\"},"
  echo " \"engines\": {"
  first=true
  for engine in siyu $engines; do
    $first || echo ","
    first=false
    echo "  \"$engine\": {\"load_seconds\": ${load_seconds[$engine]}, \"load_peak_mib\": ${load_mib[$engine]},"
    for metric in funnel retention rfm; do
      key=$metric.$engine
      echo "   \"$metric\": {\"process_seconds\": ${process_seconds[$key]}, \"query_seconds\": ${query_seconds[$key]},"
      echo "     \"peak_mib\": ${peak_mib[$key]}, \"result\": ${results[$key]}}$([[ $metric == rfm ]] || echo ,)"
    done
    echo -n "  }"
  done
  echo "},"
  echo " \"clickhouse_window_funnel\": $window_funnel}"
} >"$out"

printf '%-12s %-12s %12s %12s %14s %14s\n' metric engine "process (s)" "query (s)" \
  "process ÷ siyu" "query ÷ siyu"
for metric in funnel retention rfm; do
  for engine in siyu $engines; do
    key=$metric.$engine
    awk -v m="$metric" -v e="$engine" -v p="${process_seconds[$key]}" -v q="${query_seconds[$key]}" \
      -v sp="${process_seconds[$metric.siyu]}" -v sq="${query_seconds[$metric.siyu]}" \
      'BEGIN { printf "%-12s %-12s %12s %12s %14.1f %14.1f\n", m, e, p, q, p / sp, q / sq }'
  done
done
echo "written to $out" >&2
if [[ $identical != true ]]; then
  echo "compare.sh: the results differ" >&2
  exit 1
fi
