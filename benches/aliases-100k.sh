#!/usr/bin/env bash
# ~100k generated articles (bash benches/aliases-100k.sh SRC OUT): ../shared/corpora copied six times, the copy
# number added to every title (BBC line 1, Reuters <TITLE> and <BODY>) so
# each copy is a distinct article.
set -euo pipefail
SRC=$1 OUT=$2
rm -rf "$OUT"; mkdir -p "$OUT"
for c in 1 2 3 4 5 6; do
  for f in "$SRC"/bbc/*/*.txt; do
    rel=${f#"$SRC"/}; mkdir -p "$OUT/c$c/$(dirname "$rel")"
    sed "1s/\$/ (copy $c)/" "$f" > "$OUT/c$c/$rel"
  done
  mkdir -p "$OUT/c$c/reuters"
  for f in "$SRC"/reuters21578/reut2-*.sgm; do
    sed -e "s|</TITLE>| copy $c</TITLE>|g" -e "s|<BODY>|<BODY>Copy $c. |g" "$f" > "$OUT/c$c/reuters/$(basename "$f")"
  done
done
