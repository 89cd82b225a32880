#!/usr/bin/env bash
# Indexes all of ../shared/corpora (BBC + Reuters, real articles) from scratch
# with 2 threads, with and without entity extraction, then a no-change re-run,
# then times whole `newsdex search` processes. Prints a Markdown report.
# Usage: bash benches/corpora.sh [RUNS]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}

# shellcheck source=benches/lib.sh
source benches/lib.sh
corpora_bench

echo "# Indexing ../shared/corpora (BBC + Reuters-21578, real articles)"
echo
machine
echo "Command: bash benches/corpora.sh $runs  (median of $runs runs each)"
echo
echo "| run | wall s | articles/s | MB/s | peak RSS MB | index MB |"
echo "|---|---|---|---|---|---|"
for mode in entities no-entities; do
  extra=""; [ "$mode" = no-entities ] && extra="--no-entities"
  walls=(); rates=(); mbs=(); rss=(); size=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/idx"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --index "$work/idx" index "$corpora" --threads 2 --json $extra > "$work/summary.json" 2>/dev/null || true
    read -r wall kb < <(tail -n 1 "$work/time")
    walls+=("$wall"); rss+=("$((kb / 1024))")
    rates+=("$(field "$work/summary.json" articles_per_sec)"); mbs+=("$(field "$work/summary.json" mb_per_sec)")
    size+=("$(du -sm "$work/idx" | cut -f1)")
  done
  printf "| from scratch, %s | %s | %.0f | %.2f | %s | %s |\n" "$mode" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${rates[@]}" | median)" \
    "$(printf '%s\n' "${mbs[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median)" "$(printf '%s\n' "${size[@]}" | median)"
done
# The last index is without entities; rebuild with them for the rest.
rm -rf "$work/idx"; "$bin" --index "$work/idx" index "$corpora" --threads 2 --quiet >/dev/null 2>&1 || true
walls=()
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --index "$work/idx" index "$corpora" --threads 2 --json > "$work/summary.json" 2>/dev/null || true
  read -r wall kb < <(tail -n 1 "$work/time"); walls+=("$wall")
done
echo "| no-change re-run | $(printf '%s\n' "${walls[@]}" | median) | | | | |"
echo
echo "Whole-process \`newsdex search\` wall time (start-up included), median of 30:"
echo
echo "| command | ms |"
echo "|---|---|"
for q in "search oil" "search \"crude oil\" --format json" "search oil --sort newest" "search --place Iran" "search --person reagan --count" "search oil --facets" "search --facets --limit 0" "entities --type person"; do
  ms=$(python3 - "$bin" "$work/idx" "$q" <<'PY'
import shlex, statistics, subprocess, sys, time
b, idx, q = sys.argv[1], sys.argv[2], sys.argv[3]
xs = []
for _ in range(30):
    t = time.perf_counter()
    subprocess.run([b, "--index", idx] + shlex.split(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    xs.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(xs):.1f}")
PY
)
  echo "| \`newsdex $q\` | $ms |"
done
