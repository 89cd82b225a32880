#!/usr/bin/env bash
# Median CPU ms (task-clock) of a facet query with and without the alias
# files, runs alternating, so load on a shared machine hits both alike
# (medians, as the means of benches/aliases.sh swing with page-fault storms):
#
#   bash benches/aliases-median.sh BIN INDEX_DIR RUNS QUERY
#
# Moves the alias files aside and back; do not run it while editing aliases.
set -euo pipefail
BIN=$1 IDX=$2 RUNS=$3 Q=$4
T=$(mktemp -d)
one() { perf stat -x, -e task-clock "$BIN" --index "$IDX" search "$Q" --facets --limit 0 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}'; }
aside() { for f in aliases.tsv aliases-auto.tsv; do [ -f "$IDX/$f" ] && mv "$IDX/$f" "$IDX/$f.aside"; done; true; }
back() { for f in aliases.tsv aliases-auto.tsv; do [ -f "$IDX/$f.aside" ] && mv "$IDX/$f.aside" "$IDX/$f"; done; true; }
trap 'back; rm -rf "$T"' EXIT
# names.idx is rebuilt when the alias files change: keep one per state.
aside; "$BIN" --index "$IDX" search --facets --limit 0 >/dev/null; cp "$IDX/names.idx" $T/names-none.idx; back
"$BIN" --index "$IDX" search --facets --limit 0 >/dev/null; cp "$IDX/names.idx" $T/names-with.idx
: > $T/m-none; : > $T/m-with
for i in $(seq "$RUNS"); do
  aside; cp $T/names-none.idx "$IDX/names.idx"; one >> $T/m-none; back
  cp $T/names-with.idx "$IDX/names.idx"; one >> $T/m-with
done
med() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
n=$(med $T/m-none); w=$(med $T/m-with)
echo "query '$Q': median no aliases $n ms, with aliases $w ms, ratio $(awk -v a="$w" -v b="$n" 'BEGIN {printf "%.3f", a / b}')"
