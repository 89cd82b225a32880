#!/usr/bin/env bash
# Export throughput and peak memory: `newsdex export` of a whole index to
# Elasticsearch and Quickwit files, RUNS times each, runs alternating.
# Prints a Markdown table: median wall time, articles/s, MB of NDJSON written
# per second, peak RSS. The export goes to /tmp/export/ and is deleted after.
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

# run ENGINE: one timed export; appends "wall articles MB rss".
run() {
  rm -rf "$out"
  /usr/bin/time -f "%e %M" -o "$work/time" nice "$bin" --index "$index" export --to "$1" --out "$out" -q --json > "$work/summary.json"
  read -r wall kb < <(tail -n 1 "$work/time")
  echo "$wall $(field "$work/summary.json" written) $(field "$work/summary.json" bytes) $((kb / 1024))" >> "$work/$1"
}

for _ in $(seq "$runs"); do
  for engine in elasticsearch quickwit; do run "$engine"; done
done
echo "| engine | articles | NDJSON MB | wall s (median of $runs) | articles/s | MB/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for engine in elasticsearch quickwit; do
  wall=$(cut -d' ' -f1 "$work/$engine" | median)
  articles=$(cut -d' ' -f2 "$work/$engine" | head -1)
  mb=$(cut -d' ' -f3 "$work/$engine" | head -1 | awk '{printf "%.1f", $1 / 1e6}')
  rss=$(cut -d' ' -f4 "$work/$engine" | median)
  echo "| $engine | $articles | $mb | $wall | $(awk -v a="$articles" -v w="$wall" 'BEGIN {printf "%.0f", a / w}') | $(awk -v m="$mb" -v w="$wall" 'BEGIN {printf "%.1f", m / w}') | $rss |"
done
