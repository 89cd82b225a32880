#!/usr/bin/env bash
# Export throughput and peak memory: `newsdex export` of a whole index to
# Elasticsearch and Quickwit files, RUNS times each, runs alternating.
# Prints a Markdown table: median wall and CPU (user + system) time, articles/s,
# MB of NDJSON written per second of wall time and per CPU second, peak RSS. The export goes to /tmp/export/ and is deleted after.
# Usage: bash benches/export.sh INDEX [RUNS]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
index=$1
runs=${2:-3}
bin=${NEWSDEX_BIN:-target/release/newsdex}
[ -x "$bin" ] || cargo build --release --locked --bin newsdex
out=/tmp/export
work=$(mktemp -d)
trap 'rm -rf "$work" "$out"' EXIT

# shellcheck source=benches/lib.sh
source benches/lib.sh

# run ENGINE: one timed export; appends "wall articles bytes rss cpu".
run() {
  rm -rf "$out"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" nice "$bin" --index "$index" export --to "$1" --out "$out" -q --json > "$work/summary.json"
  read -r wall kb user sys < <(tail -n 1 "$work/time")
  echo "$wall $(field "$work/summary.json" written) $(field "$work/summary.json" bytes) $((kb / 1024)) $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" >> "$work/$1"
}

for _ in $(seq "$runs"); do
  for engine in elasticsearch quickwit; do run "$engine"; done
done
echo "| engine | articles | NDJSON MB | wall s (median of $runs) | CPU s | articles/s | MB/s (wall) | MB per CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
for engine in elasticsearch quickwit; do
  wall=$(cut -d' ' -f1 "$work/$engine" | median)
  articles=$(cut -d' ' -f2 "$work/$engine" | head -1)
  mb=$(cut -d' ' -f3 "$work/$engine" | head -1 | awk '{printf "%.1f", $1 / 1e6}')
  rss=$(cut -d' ' -f4 "$work/$engine" | median)
  cpu=$(cut -d' ' -f5 "$work/$engine" | median)
  echo "| $engine | $articles | $mb | $wall | $cpu | $(awk -v a="$articles" -v w="$wall" 'BEGIN {printf "%.0f", a / w}') | $(awk -v m="$mb" -v w="$wall" 'BEGIN {printf "%.1f", m / w}') | $(awk -v m="$mb" -v c="$cpu" 'BEGIN {printf "%.0f", m / c}') | $rss |"
done
