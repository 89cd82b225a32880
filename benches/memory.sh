#!/usr/bin/env bash
# Memory of one indexing run and of the nothing-changed re-run after it:
# peak RSS (/usr/bin/time -v) and peak anonymous memory (RssAnon polled from
# /proc every 0.5 s, as benches/scale/measure.rs does), with wall seconds.
#
#   bash benches/memory.sh ARCHIVE INDEX [NEWSDEX]
#   bash benches/memory.sh /work/bench-data/raw-100000 /tmp/memory/idx-100000
#
# INDEX must not exist (the first run builds it); delete it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$1 index=$2 newsdex=${3:-target/release/newsdex}
[ -e "$index" ] && { echo "memory.sh: $index exists" >&2; exit 2; }
mkdir -p "$(dirname "$index")"

run() {
  local label=$1 log poll pid anon=0 kb
  log=$(mktemp) poll=$(mktemp)
  /usr/bin/time -v "$newsdex" --index "$index" index "$archive" --threads 2 --json >"$poll.json" 2>"$log" &
  pid=$!
  # The child of /usr/bin/time is newsdex.
  while kill -0 "$pid" 2>/dev/null; do
    for child in $(cat /proc/$pid/task/*/children 2>/dev/null); do
      kb=$(awk '/^RssAnon/{print $2}' /proc/$child/status 2>/dev/null || true)
      [ -n "$kb" ] && [ "$kb" -gt "$anon" ] && anon=$kb
    done
    sleep 0.5
  done
  wait "$pid"
  printf '%s: wall %s, peak RSS %d MB, peak anonymous %d MB, files read %s\n' "$label" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$log")" \
    "$(( $(awk -F': ' '/Maximum resident/{print $2}' "$log") / 1024 ))" \
    "$(( anon / 1024 ))" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files_read"])' "$poll.json")"
  rm -f "$log" "$poll" "$poll.json"
}

run "index"
run "re-run, nothing changed"
