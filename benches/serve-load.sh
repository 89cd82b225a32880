#!/usr/bin/env bash
# Load on `newsdex serve` over loopback with wrk: a mix of the API's requests
# (keyword and filtered searches, the page's search with facets and
# histogram, articles, mentions, related, entities, stats), then each kind
# alone. Each run is bounded in time (-d) and by a per-request timeout; the
# server is on 127.0.0.1 and stopped at the end. Prints a Markdown report.
# Usage: bash benches/serve-load.sh INDEX_DIR [SECONDS] [CONNECTIONS]
#        (needs a release build and wrk: apt-get install wrk)
# NEWSDEX_BIN picks the binary (default target/release/newsdex); KINDS picks
# the runs, as kind:connections (default: every kind, then search and page
# alone), e.g. KINDS="mix:8 search:1".
set -euo pipefail
cd "$(dirname "$0")/.."
index=${1:?usage: serve-load.sh INDEX_DIR [SECONDS] [CONNECTIONS]}
secs=${2:-20}
conns=${3:-8}
bin=${NEWSDEX_BIN:-target/release/newsdex}
[ -x "$bin" ] || cargo build --release --locked
command -v wrk > /dev/null || { echo "notice: wrk is not installed (apt-get install wrk)"; exit 0; }
source benches/lib.sh
work=$(mktemp -d)
serve_start "$bin" "$index" "$work"

# Request targets from the index itself: its top entities and some ids.
enc() { jq -rn --arg v "$1" '$v|@uri'; }
curl -sf "$url/api/stats" > /dev/null   # opens the index and reads the catalog once
mapfile -t persons < <(curl -sf "$url/api/entities?type=person&top=20" | jq -r '.values[].name')
mapfile -t places < <(curl -sf "$url/api/entities?type=place&top=20" | jq -r '.values[].name')
mapfile -t orgs < <(curl -sf "$url/api/entities?type=org&top=20" | jq -r '.values[].name')
words=(oil election bank minister talks price government police market trade
       strike court war football profit rates shares tax union wheat)
mapfile -t ids < <(for w in "${words[@]}"; do curl -sf "$url/api/search?q=$w&limit=3" | jq -r '.hits[].id'; done)
: > "$work/search" ; : > "$work/filtered" ; : > "$work/page" ; : > "$work/article" ; : > "$work/other"
for w in "${words[@]}"; do
  echo "/api/search?q=$w" >> "$work/search"
  echo "/api/search?q=$w&sort=newest&offset=10" >> "$work/search"
  echo "/api/search?q=$w&facets=1&histogram=month" >> "$work/page"
done
for i in "${!words[@]}"; do
  p=${places[$((i % ${#places[@]}))]}; n=${persons[$((i % ${#persons[@]}))]}; o=${orgs[$((i % ${#orgs[@]}))]}
  echo "/api/search?q=${words[$i]}&place=$(enc "$p")" >> "$work/filtered"
  echo "/api/search?person=$(enc "$n")&from=1990&to=2010" >> "$work/filtered"
  echo "/api/search?org=$(enc "$o")&sort=oldest" >> "$work/filtered"
done
for id in "${ids[@]}"; do
  echo "/api/article/$id" >> "$work/article"
  echo "/api/article/$id/mentions" >> "$work/article"
  echo "/api/related/$id" >> "$work/other"
done
for p in "${places[@]:0:10}"; do echo "/api/entities?type=place&within=$(enc "$p")" >> "$work/other"; done
echo "/api/entities?type=person&top=20" >> "$work/other"
echo "/api/stats" >> "$work/other"
# The mix: interleaved, so every stretch of the run has every kind.
paste -d '\n' "$work/search" "$work/filtered" "$work/page" "$work/article" "$work/other" | grep . > "$work/mix"

articles=$(curl -sf "$url/api/stats" | jq .articles)
echo "# newsdex serve under load"
echo
machine
echo "Index: $articles articles ($(du -sm "$index" | cut -f1) MB)."
echo "Binary: $bin"
echo "Command: bash benches/serve-load.sh INDEX $secs $conns  (wrk -t2 -c$conns -d${secs}s --timeout 5s, loopback; server with its defaults: one query worker per core, 10 s time limit)"
echo
echo "| requests | connections | targets | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | timeouts |"
echo "|---|---|---|---|---|---|---|---|---|---|"
# Each kind under load, then searches one at a time: the time a person
# waits for a page of results when nobody else is asking.
for spec in ${KINDS:-mix:$conns search:$conns filtered:$conns page:$conns article:$conns other:$conns search:1 page:1}; do
  kind=${spec%:*}; c=${spec#*:}; t=2; [ "$c" -lt 2 ] && t=1
  TARGETS="$work/$kind" wrk -t"$t" -c"$c" -d"${secs}s" --timeout 5s -s benches/serve-load.lua "$url" > "$work/wrk.out" 2>&1 || true
  read -r _ reqs _ status _ timeouts < <(grep '^requests ' "$work/wrk.out")
  read -r _ p50 _ p90 _ p99 _ max _ < <(grep '^p50_ms ' "$work/wrk.out")
  rps=$(grep '^rps ' "$work/wrk.out" | cut -d' ' -f2)
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" "$kind" "$c" "$(wc -l < "$work/$kind")" "$rps" "$p50" "$p90" "$p99" "$max" "$status" "$timeouts"
done
