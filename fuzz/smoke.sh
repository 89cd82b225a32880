#!/usr/bin/env bash
# CI smoke run: installs cargo-fuzz when missing, seeds, builds every target
# and runs each for SECONDS (default 20). Fails when any target finds a
# crash, timeout or out-of-memory.
#
#   fuzz/smoke.sh [SECONDS]        (FUZZ_ASSERTIONS=0: without debug assertions)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-20}"
started=$(date +%s)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
"$here/seed.sh"
assertions=(-a)
[ "${FUZZ_ASSERTIONS:-1}" = 0 ] && assertions=()
nice -n 19 cargo +nightly fuzz build -O "${assertions[@]}" -s none --fuzz-dir "$here"
failed=()
for target in text json sgml html decode dates query; do
    "$here/run.sh" "$target" "$seconds" || failed+=("$target")
done
echo "fuzz smoke: $(($(date +%s) - started)) s wall in all"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz smoke: findings in ${failed[*]} (fuzz/artifacts/)" >&2
    exit 1
fi
