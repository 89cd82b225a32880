#!/bin/bash
# Time and peak memory of `newsdex index` on the hostile inputs of
# benches/limits/generate.py; the figures are in benches/results/limits.md.
#
# usage: benches/limits/measure.sh BINARY LABEL INPUT_DIR [extra index options]
#   prints: LABEL | INPUT_DIR | wall seconds | CPU seconds (user+sys) | peak RSS |
#           exit code | articles indexed | first stderr line
# Needs GNU time (/usr/bin/time). Each run builds a fresh index in a temp dir
# with 2 threads, as the issue's measurements did.
set -u
bin=$1; label=$2; dir=$3; shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/time -f "%e %U %S %M %x" -o "$work/time" nice "$bin" --index "$work/idx" index "$dir" \
    --threads 2 -q --json "$@" > "$work/out" 2> "$work/err"
read -r secs user sys kb rc < <(tail -1 "$work/time")
cpu=$(echo "$user + $sys" | bc)
indexed=$(grep -o '"articles_indexed": [0-9]*' "$work/out" | grep -o '[0-9]*$')
echo "$label | $dir | ${secs} s | ${cpu} s | $((kb / 1024)) MB | exit $rc | indexed ${indexed:-?} | $(head -1 "$work/err")"
