#!/usr/bin/env bash
# Runs one fuzz target for a time budget and reports executions, exec/s and
# what it found:
#
#   fuzz/run.sh TARGET SECONDS
#
# One libFuzzer process at a time under `nice -n 19` (the machine is shared).
# A crash, timeout or out-of-memory ends a libFuzzer process; the artifact is
# kept under fuzz/artifacts/TARGET/ and a new process continues with the
# rest of the budget, so one bug does not end the run. Logs and a summary
# line go to fuzz/logs/. Exit status: 0 when nothing was found, 1 otherwise.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: fuzz/run.sh TARGET SECONDS}"
seconds="${2:?usage: fuzz/run.sh TARGET SECONDS}"

# Largest input per target: about the size of the realistic inputs that
# still run fast; slow or huge behaviour shows up as a timeout anyway.
case "$target" in
    text | json | sgml | decode) max_len=65536 ;;
    html) max_len=131072 ;;
    dates) max_len=256 ;;
    query) max_len=4096 ;;
    *)
        echo "unknown target $target (text json sgml html decode dates query)" >&2
        exit 2
        ;;
esac
dict="$here/dict/$target.dict"
[ "$target" = decode ] && dict="$here/dict/html.dict"
[ "$target" = text ] && dict=""

cd "$here"
[ -n "$(ls -A "corpus/$target" 2>/dev/null)" ] || ./seed.sh "$target"
# Release with debug assertions and overflow checks (FUZZ_ASSERTIONS=0: as
# users' release builds run, which skips Tantivy 0.27's known debug assertion
# in PhraseScorer, see src/query/fuzz_findings_test.rs); no sanitizer: the
# crate forbids unsafe code, and without ASan twice as many inputs run.
assertions=(-a)
[ "${FUZZ_ASSERTIONS:-1}" = 0 ] && assertions=()
nice -n 19 cargo +nightly fuzz build -O "${assertions[@]}" -s none --fuzz-dir "$here" "$target"
bin="$here/target/x86_64-unknown-linux-gnu/release/$target"

mkdir -p "logs" "artifacts/$target"
log="logs/$target.log"
: >"$log"
stamp="logs/$target.started"
touch "$stamp"
end=$(($(date +%s) + seconds))
execs=0
runs=0
while :; do
    left=$((end - $(date +%s)))
    [ "$left" -gt 0 ] || break
    runs=$((runs + 1))
    started=$(date +%s)
    set +e
    nice -n 19 "$bin" "corpus/$target" \
        -max_total_time="$left" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        ${dict:+-dict="$dict"} -print_final_stats=1 -artifact_prefix="artifacts/$target/" \
        >>"$log" 2>&1
    status=$?
    set -e
    ran=$(grep -a 'stat::number_of_executed_units' "$log" | tail -1 | awk '{print $2}')
    execs=$((execs + ${ran:-0}))
    # A fresh stats line per process: mark this one as counted.
    sed -i 's/^stat::number_of_executed_units/counted::number_of_executed_units/' "$log"
    [ "$status" -eq 0 ] && break
    echo "run $runs of $target stopped with status $status after $(($(date +%s) - started)) s (see $log)" >&2
    # A failure at start-up (a seed that crashes) would loop: stop.
    if [ $(($(date +%s) - started)) -lt 5 ] || [ "$runs" -ge 50 ]; then
        break
    fi
done
took=$((seconds - (end - $(date +%s))))
[ "$took" -gt 0 ] || took=1
found=$(find "artifacts/$target" -type f -newer "$stamp" | wc -l)
summary="$target: $execs executions in $took s ($((execs / took)) exec/s), $runs libFuzzer process(es), $found new artifact(s) in fuzz/artifacts/$target"
echo "$summary" | tee "logs/$target.summary"
[ "$found" -eq 0 ]
