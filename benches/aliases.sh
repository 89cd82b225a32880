#!/usr/bin/env bash
# Aliases on a built index: distinct values before/after the automatic
# merges, the largest merges, name resolution time per process, and what
# alias edits cost keyword and facet queries. Results: benches/results/aliases.md.
#
#   bash benches/aliases.sh INDEX_DIR [RUNS] [PERSON ...]
#
# INDEX_DIR must have been built by `newsdex index` (so aliases-auto.tsv
# exists). The script moves the alias files aside for the "no aliases"
# figures and puts them back; do not run it while editing aliases.
set -euo pipefail
BIN=${NEWSDEX:-target/release/newsdex}
IDX=$1
RUNS=${2:-21}
shift 2 || true
NAMES=("$@")
[ ${#NAMES[@]} -gt 0 ] || NAMES=("Blair" "Reagan" "Baker")
BASE=${NEWSDEX_BASE:-}   # optional: an older binary to compare resolution with

# CPU time of a command (task-clock, mean of RUNS runs after one warm-up),
# in ms: on a shared machine, far steadier than wall time.
ms() {
    "$@" >/dev/null 2>&1 || true
    perf stat -x, -e task-clock -r "$RUNS" "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {printf "%.2f", $1}'
}
n() { "$@" 2>/dev/null | wc -l; }

aside() { for f in aliases.tsv aliases-auto.tsv; do [ -f "$IDX/$f" ] && mv "$IDX/$f" "$IDX/$f.aside"; done; true; }
back() { for f in aliases.tsv aliases-auto.tsv; do [ -f "$IDX/$f.aside" ] && mv "$IDX/$f.aside" "$IDX/$f"; done; true; }
trap back EXIT

echo "## Distinct values"
echo
aside
raw_person=$(n "$BIN" --index "$IDX" entities --type person --top 10000000 --format ids)
raw_org=$(n "$BIN" --index "$IDX" entities --type org --top 10000000 --format ids)
"$BIN" --index "$IDX" entities --type person --top 10000000 --format tsv >/tmp/aliases-raw-person.tsv
"$BIN" --index "$IDX" entities --type org --top 10000000 --format tsv >/tmp/aliases-raw-org.tsv
noalias_kw=$(ms "$BIN" --index "$IDX" search 'oil prices' --limit 10)
noalias_facet=$(ms "$BIN" --index "$IDX" search 'election' --facets --limit 0)
alias_all=$(ms "$BIN" --index "$IDX" search --facets --limit 0)
noalias_all=$(ms "$BIN" --index "$IDX" search --facets --limit 0)
back
merged_person=$(n "$BIN" --index "$IDX" entities --type person --top 10000000 --format ids)
merged_org=$(n "$BIN" --index "$IDX" entities --type org --top 10000000 --format ids)
echo "| type | values before | after automatic merges |"
echo "|---|---:|---:|"
echo "| person | $((raw_person - 1)) | $((merged_person - 1)) |"
echo "| org | $((raw_org - 1)) | $((merged_org - 1)) |"
echo
echo "## The 20 largest automatic merges (by articles of the merged value)"
echo
echo "| type | value | articles | merged into | why |"
echo "|---|---|---:|---|---|"
cat /tmp/aliases-raw-person.tsv /tmp/aliases-raw-org.tsv |
    awk -F'\t' 'NR==FNR { if ($1 != "merge") next; key[$2 "\t" $3] = $4 "\t" $5; next }
                ($1 "\t" $2) in key { split(key[$1 "\t" $2], t, "\t"); print $3 "\t" $1 "\t" $2 "\t" t[1] "\t" t[2] }' \
        <(grep -v '^#' "$IDX/aliases-auto.tsv") - |
    sort -t$'\t' -k1,1nr | awk -F'\t' 'NR <= 20 {printf "| %s | %s | %s | %s | %s |\n", $2, $3, $1, $4, $5}'
echo
echo "## Name resolution per process (CPU ms, mean of $RUNS runs)"
echo
echo "Whole-process CPU time of \`search --count\` with a name filter, minus the same without a filter."
echo
plain=$(ms "$BIN" --index "$IDX" search --count)
[ -n "$BASE" ] && base_plain=$(ms "$BASE" --index "$IDX" search --count)
echo "| name | with filter | resolution | resolution, older binary |"
echo "|---|---:|---:|---:|"
for name in "${NAMES[@]}"; do
    with=$(ms "$BIN" --index "$IDX" search --count --person "$name")
    older="—"
    if [ -n "$BASE" ]; then
        base_with=$(ms "$BASE" --index "$IDX" search --count --person "$name")
        older=$(awk -v a="$base_with" -v b="$base_plain" 'BEGIN {printf "%.2f", a - b}')
    fi
    echo "| $name | $with | $(awk -v a="$with" -v b="$plain" 'BEGIN {printf "%.2f", a - b}') | $older |"
done
echo
echo "## Cost of aliases on queries (CPU ms per process, mean of $RUNS runs)"
echo
# Twenty user edits on top of the automatic table.
cp "$IDX/aliases.tsv" /tmp/aliases-user-backup.tsv 2>/dev/null || rm -f /tmp/aliases-user-backup.tsv
"$BIN" --index "$IDX" entities --type org --top 40 --format ids | tail -n +21 | while read -r org; do
    "$BIN" --index "$IDX" alias drop --type org "$org" >/dev/null 2>&1 || true
done
edits=$(grep -vc '^#' "$IDX/aliases.tsv" || true)
alias_kw=$(ms "$BIN" --index "$IDX" search 'oil prices' --limit 10)
alias_facet=$(ms "$BIN" --index "$IDX" search 'election' --facets --limit 0)
alias_all=$(ms "$BIN" --index "$IDX" search --facets --limit 0)
if [ -f /tmp/aliases-user-backup.tsv ]; then cp /tmp/aliases-user-backup.tsv "$IDX/aliases.tsv"; else rm -f "$IDX/aliases.tsv"; fi
"$BIN" --index "$IDX" search --count >/dev/null
echo "| query | no aliases | automatic table + $edits user edits |"
echo "|---|---:|---:|"
echo "| \`search 'oil prices' --limit 10\` | $noalias_kw | $alias_kw |"
echo "| \`search election --facets --limit 0\` | $noalias_facet | $alias_facet |"
echo "| \`search --facets --limit 0\` (every article) | $noalias_all | $alias_all |"
