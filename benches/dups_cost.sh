#!/usr/bin/env bash
# What near-duplicate detection costs at index time: ../shared/corpora (BBC +
# Reuters-21578) indexed from scratch with 2 threads, with detection (the
# default) and with --no-dups, runs alternating, with and without entities;
# then an incremental run (BBC into an index already holding Reuters, where
# every new article's bands are looked up in the committed index).
# Prints a Markdown table: median wall time, articles/s, the ratio, index size.
# Usage: bash benches/dups_cost.sh [RUNS]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}

# shellcheck source=benches/lib.sh
source benches/lib.sh
corpora_bench

# run NAME PRE-PATH PATH EXTRA...: one timed run into a fresh index (after
# an untimed run over PRE-PATH when it is not "-"); appends "wall rate MB rss".
run() {
  local name=$1 pre=$2 path=$3; shift 3
  rm -rf "$work/idx"
  if [ "$pre" != - ]; then "$bin" --index "$work/idx" index "$pre" --threads 2 -q "$@" > /dev/null 2>&1 || true; fi
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --index "$work/idx" index "$path" --threads 2 --json "$@" > "$work/summary.json" 2>/dev/null || true
  read -r wall kb < <(tail -n 1 "$work/time")
  echo "$wall $(field "$work/summary.json" articles_per_sec) $(du -sk "$work/idx" | cut -f1) $((kb / 1024))" >> "$work/$name"
}

echo "# Cost of near-duplicate detection at index time"
echo
machine
echo "Command: bash benches/dups_cost.sh $runs  (median of $runs runs each, with and without detection alternating)"
echo
echo "| run | detection | wall s | articles/s | index KB | peak RSS MB | throughput with / without |"
echo "|---|---|---|---|---|---|---|"
for mode in entities no-entities incremental; do
  case $mode in
    entities) pre=-; path=$corpora; extra=() ;;
    no-entities) pre=-; path=$corpora; extra=(--no-entities) ;;
    incremental) pre=$corpora/reuters21578; path=$corpora/bbc; extra=(--no-entities) ;;
  esac
  rm -f "$work/on" "$work/off"
  for _ in $(seq "$runs"); do
    run on "$pre" "$path" "${extra[@]}"
    run off "$pre" "$path" "${extra[@]}" --no-dups
  done
  on_rate=$(cut -d' ' -f2 "$work/on" | median); off_rate=$(cut -d' ' -f2 "$work/off" | median)
  for side in on off; do
    label=$([ $side = on ] && echo "yes" || echo "--no-dups")
    ratio=$([ $side = on ] && python3 -c "print(f'{$on_rate / $off_rate:.3f}')" || echo "")
    printf "| %s | %s | %s | %.0f | %s | %s | %s |\n" "$mode" "$label" \
      "$(cut -d' ' -f1 "$work/$side" | median)" "$(cut -d' ' -f2 "$work/$side" | median)" \
      "$(cut -d' ' -f3 "$work/$side" | median)" "$(cut -d' ' -f4 "$work/$side" | median)" "$ratio"
  done
done
