#!/usr/bin/env bash
# Time from request to response of the page's first request for a keyword
# search (a page of 10 hits) on `newsdex serve`, and of its second (facets
# and month histogram over every match, no hits), one request at a time over
# loopback, each on a new connection (curl). The server is warmed with one
# request (it opens the index and reads its catalog on first use). Prints the
# median and the largest time per word, and the median over all words.
# Usage: bash benches/serve-first.sh INDEX_DIR [ROUNDS]
#        NEWSDEX_BIN picks the binary (default target/release/newsdex).
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
index=${1:?usage: serve-first.sh INDEX_DIR [ROUNDS]}
rounds=${2:-5}
bin=${NEWSDEX_BIN:-target/release/newsdex}
work=$(mktemp -d)
serve_start "$bin" "$index" "$work"
curl -sf "$url/api/stats" > /dev/null
words=(oil election bank minister talks price government police market trade
       strike court war football profit rates shares tax union wheat)
ms() { curl -s -o /dev/null -w '%{time_total}\n' "$1" | awk '{printf "%.1f\n", $1 * 1000}'; }
echo "Binary: $bin; index: $index ($(curl -sf "$url/api/stats" | jq .articles) articles); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| word | matches | hits p50 ms | hits max ms | counts p50 ms | counts max ms |"
echo "|---|---|---|---|---|---|"
: > "$work/hits.all"; : > "$work/counts.all"
for w in "${words[@]}"; do
  : > "$work/hits"; : > "$work/counts"
  for _ in $(seq "$rounds"); do
    ms "$url/api/search?q=$w&limit=10" >> "$work/hits"
    ms "$url/api/search?q=$w&limit=0&facets=1&histogram=month" >> "$work/counts"
  done
  cat "$work/hits" >> "$work/hits.all"; cat "$work/counts" >> "$work/counts.all"
  total=$(curl -sf "$url/api/search?q=$w&limit=0" | jq .total)
  printf "| %s | %s | %s | %s | %s | %s |\n" "$w" "$total" "$(median < "$work/hits")" \
    "$(sort -n "$work/hits" | tail -1)" "$(median < "$work/counts")" "$(sort -n "$work/counts" | tail -1)"
done
printf "| **all** | | **%s** | %s | **%s** | %s |\n" "$(median < "$work/hits.all")" \
  "$(sort -n "$work/hits.all" | tail -1)" "$(median < "$work/counts.all")" "$(sort -n "$work/counts.all" | tail -1)"
