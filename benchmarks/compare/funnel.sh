#!/usr/bin/env bash
# siyu and DuckDB on the same funnel over the same generated brand, in one run: both load
# the sample brand's interchange CSV into their own database file, then each counts the
# funnel as a whole process from that file (what an operator's command costs), three times.
# The counts must be identical or the script fails; the medians are written to
# benchmarks/results/compare-funnel.json.
#
#   benchmarks/compare/funnel.sh                       # 1,000,000 customers (about 10 M events)
#   SIYU_COMPARE_CUSTOMERS=100000 benchmarks/compare/funnel.sh
#
# Needs node and npm (Debian: apt-get install nodejs npm) for DuckDB's prebuilt package.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
customers=${SIYU_COMPARE_CUSTOMERS:-1000000}
steps=${SIYU_COMPARE_STEPS:-friend_added,content_viewed,order_paid,order_paid}
window_days=${SIYU_COMPARE_WINDOW_DAYS:-7}
work=${SIYU_COMPARE_DIR:-${TMPDIR:-/tmp}/siyu-compare-$customers}
out=${SIYU_COMPARE_OUT:-benchmarks/results/compare-funnel.json}

if ! command -v node >/dev/null || ! command -v npm >/dev/null || [[ ! -x /usr/bin/time ]]; then
  echo "funnel.sh: installing nodejs, npm and time" >&2
  apt-get install -y -qq --no-install-recommends nodejs npm time >/dev/null
fi
cmake --preset release >/dev/null
cmake --build --preset release --target siyu_cli >/dev/null
siyu=$root/build/release/tools/siyu/siyu
(cd benchmarks/compare && npm install --no-audit --no-fund --silent)
duck="node $root/benchmarks/compare/duckdb_funnel.mjs"

mkdir -p "$work"
csv=$work/brand.db.events.csv
if [[ ! -f $csv ]]; then
  echo "generating the brand: $customers customers" >&2
  rm -f "$work"/brand.db*
  "$siyu" demo --db "$work/brand.db" --customers "$customers" >/dev/null
fi
events=$(($(wc -l <"$csv") - 1))

# Seconds and peak MiB of one command, as "seconds mib".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/stdout.txt"
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$work/time.txt"
}
median() { sort -n | sed -n 2p; }  # of three

echo "loading $events events" >&2
rm -f "$work"/siyu.db* "$work"/duck.db*
read -r siyu_load siyu_load_mib < <(measure "$siyu" import --db "$work/siyu.db" "$csv")
read -r duck_load duck_load_mib < <(measure $duck load "$work/duck.db" "$csv")

window_seconds=$((window_days * 86400))
siyu_times=() duck_times=()
for _ in 1 2 3; do
  read -r t siyu_mib < <(measure "$siyu" funnel --db "$work/siyu.db" --steps "$steps" \
    --window "${window_days}d" --format json)
  siyu_times+=("$t")
  siyu_counts=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
    console.log(JSON.stringify(r.steps.map((s) => s.customers)))' "$work/stdout.txt")
  read -r t duck_mib < <(measure $duck funnel "$work/duck.db" "$steps" "$window_seconds")
  duck_times+=("$t")
  duck_counts=$(node -e 'console.log(JSON.stringify(JSON.parse(require("fs")
    .readFileSync(process.argv[1])).steps))' "$work/stdout.txt")
done
siyu_funnel=$(printf '%s\n' "${siyu_times[@]}" | median)
duck_funnel=$(printf '%s\n' "${duck_times[@]}" | median)

match=true
[[ $siyu_counts == "$duck_counts" ]] || match=false
cat >"$out" <<EOF
{"command": "SIYU_COMPARE_CUSTOMERS=$customers benchmarks/compare/funnel.sh",
 "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "cpus": $(nproc),
 "customers": $customers, "events": $events, "steps": "$steps", "window_days": $window_days,
 "counts": {"siyu": $siyu_counts, "duckdb": $duck_counts, "identical": $match},
 "load_seconds": {"siyu_import": $siyu_load, "duckdb_load": $duck_load},
 "load_peak_mib": {"siyu_import": $siyu_load_mib, "duckdb_load": $duck_load_mib},
 "funnel_process_seconds": {"siyu": $siyu_funnel, "duckdb": $duck_funnel,
                            "siyu_runs": [$(IFS=,; echo "${siyu_times[*]}")],
                            "duckdb_runs": [$(IFS=,; echo "${duck_times[*]}")]},
 "funnel_peak_mib": {"siyu": $siyu_mib, "duckdb": $duck_mib}}
EOF
printf '%-28s %10s %10s\n' "" siyu duckdb
printf '%-28s %10s %10s\n' "load CSV (s)" "$siyu_load" "$duck_load"
printf '%-28s %10s %10s\n' "funnel, whole process (s)" "$siyu_funnel" "$duck_funnel"
printf '%-28s %10s %10s\n' "funnel peak memory (MiB)" "$siyu_mib" "$duck_mib"
echo "counts: siyu $siyu_counts, duckdb $duck_counts" >&2
echo "written to $out" >&2
if [[ $match != true ]]; then
  echo "funnel.sh: the counts differ" >&2
  exit 1
fi
