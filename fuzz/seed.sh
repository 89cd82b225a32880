#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs taken at run time from the
# shared corpora (../shared, or $NEWSDEX_SHARED) and tests/fixtures. The
# corpus directories are git-ignored: the shared texts may not be
# redistributed. Idempotent; existing corpus files (what the fuzzer found)
# are kept.
#
#   fuzz/seed.sh              # every target
#   fuzz/seed.sh html dates   # some
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
shared="${NEWSDEX_SHARED:-$repo/../shared}"
# Worktrees live one level deeper than the main checkout.
[ -d "$shared" ] || shared="$repo/../../shared"
fixtures="$repo/tests/fixtures"
corpus="$here/corpus"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(text json sgml html decode dates query)
if [ -d "$shared/corpora" ]; then
    echo "seeding from $shared and $fixtures"
else
    echo "no shared corpora at $shared: seeding from $fixtures and built-in strings only"
    shared=""
fi

python3 - "$corpus" "$fixtures" "$shared" "${targets[@]}" <<'PY'
import glob, gzip, hashlib, json, os, re, sys

corpus, fixtures, shared, *targets = sys.argv[1:]

def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

def every(paths, n):
    """A deterministic sample of about n of the paths."""
    paths = sorted(paths)
    step = max(1, len(paths) // n) if n else 1
    return paths[::step][:n]

def fixture_files(*patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(fixtures, p))
    return sorted(out)

bbc = every(glob.glob(os.path.join(shared, "corpora/bbc/*/*.txt")), 150) if shared else []
reuters = sorted(glob.glob(os.path.join(shared, "corpora/reuters21578/reut2-*.sgm"))) if shared else []
pages = sorted(glob.glob(os.path.join(shared, "html/mozilla-readability/test-pages/*/source.html"))) if shared else []
metas = sorted(glob.glob(os.path.join(shared, "html/mozilla-readability/test-pages/*/expected-metadata.json"))) if shared else []

def reuters_records(limit):
    """Single and paired <REUTERS> records cut from the newswire files."""
    records = []
    for path in reuters[:3]:
        text = read(path)
        records += re.findall(rb"<REUTERS.*?</REUTERS>\n?", text, re.S)
    records = every(records, limit)
    return records

def bbc_article(path):
    text = read(path).decode("utf-8", "replace")
    title, _, body = text.partition("\n")
    return title.strip(), [p.strip() for p in body.split("\n\n") if p.strip()]

if "text" in targets:
    for p in bbc + fixture_files("formats/*.txt", "seed/*.txt", "bad/*.txt"):
        put("text", read(p))

if "json" in targets:
    for p in fixture_files("formats/*.json", "formats/*.jsonl", "formats/*.dat", "bad/*.json", "bad/*.jsonl"):
        put("json", read(p))
    for p in metas[:40]:
        put("json", read(p))
    # Crawler-shaped articles built from BBC texts: objects, arrays, lines.
    keys = [("title", "text"), ("headline", "article"), ("title", "body"), ("title", "content")]
    batch = []
    for i, p in enumerate(bbc[:60]):
        title, paras = bbc_article(p)
        tk, bk = keys[i % len(keys)]
        obj = {tk: title, bk: "\n\n".join(paras) if i % 2 else paras,
               "date": ["2019-12-30", "January 20, 2022", "1577664000", "2019-12-30T10:00:00+01:00"][i % 4],
               "authors": ["Sam Okafor"], "url": f"https://example.org/{i}", "source": "BBC"}
        put("json", json.dumps(obj))
        batch.append(obj)
        if len(batch) == 3:
            put("json", json.dumps(batch))
            put("json", json.dumps({"articles": batch}))
            put("json", "\n".join(json.dumps(o) for o in batch) + "\n")
            batch = []

if "sgml" in targets:
    for p in fixture_files("formats/*.sgm", "formats/sniffed-sgml", "bad/*.sgm"):
        put("sgml", read(p))
    records = reuters_records(120)
    for i, r in enumerate(records):
        put("sgml", r if i % 3 else r + records[(i + 1) % len(records)])

if "html" in targets:
    for p in fixture_files("formats/*.html", "html/*.html"):
        put("html", read(p))
    # Pages up to 128 KiB whole (max_len), larger ones as their first 128 KiB.
    for p in pages:
        put("html", read(p)[:128 * 1024])

if "decode" in targets:
    for p in fixture_files("formats/*", "bad/*"):
        put("decode", read(p))
    samples = [read(p) for p in bbc[:20]] + [read(p)[:16384] for p in pages[:10]] + reuters_records(10)
    for i, s in enumerate(samples):
        put("decode", gzip.compress(s, mtime=0))
        if i % 4 == 0:
            # Two gzip members, as concatenated dumps are.
            put("decode", gzip.compress(s[:len(s) // 2], mtime=0) + gzip.compress(s[len(s) // 2:], mtime=0))
        text = s.decode("utf-8", "replace")
        if i % 3 == 0:
            put("decode", b"\xff\xfe" + text.encode("utf-16-le"))
            put("decode", b"\xfe\xff" + text.encode("utf-16-be"))
        if i % 3 == 1:
            put("decode", text.encode("cp1252", "replace"))
            put("decode", b"\xef\xbb\xbf" + s)
    put("decode", b'<html><head><meta charset="iso-8859-1"></head><body>Caf\xe9</body></html>')
    put("decode", b'<?xml version="1.0" encoding="windows-1251"?><html><body>\xcf\xf0\xe8</body></html>')
    put("decode", b'<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">\x82\xa0')

if "dates" in targets:
    strings = [
        "2019-12-30", "2019-12-30T10:15:00Z", "2019-12-30T10:15:00+0100", "2019-12-30 10:15:00.123 +01:00",
        "Mon, 30 Dec 2019 10:15:00 GMT", "Monday 30th December 2019", "December 30, 2019 10:15",
        "30 Dec 2019", "26-FEB-1987 15:01:01.79", " 3-MAR-1987  09:15:05.40", "1577664000", "1577664000123",
        "20191230", "30.12.2019", "Dec. 30, 2019", "Published 30 Dec 2019", "Updated: 2019-12-30 10:15 EST",
        "archive/2019/12/30/story.txt", "news/2019-12-30-story.html", "x/20191230/a.json", "2019", "2019-06",
        "9999-12-31", "0001-01-01", "+275760-09-13T00:00:00Z", "2019-02-29", "2020-02-29",
    ]
    for s in strings:
        put("dates", s)
    for r in reuters_records(40):
        m = re.search(rb"<DATE>(.*?)</DATE>", r)
        if m:
            put("dates", m.group(1))
    for p in metas:
        meta = json.loads(read(p))
        for k in ("publishedTime", "published_time", "date"):
            if isinstance(meta.get(k), str):
                put("dates", meta[k])

if "query" in targets:
    queries = [
        "airstrike", "Syria AND coalition", '"state department" OR pentagon', "title:oil -opec",
        "published:[1987-03-01T00:00:00Z TO 1987-04-01T00:00:00Z] cocoa", "oil AND NOT wheat", "NOT wheat",
        'person:"Abu Mahdi al-Muhandis" place:Iraq after:2019-06 oil', "place:Iraq/Basra", "org:kataib",
        "before:2020 since:2019-12-30 storm", "source:\"Coast News\" museum", "tags:\"places:usa\"",
        "(iraq OR syria) AND (strike OR attack)", "body:wash* ", "title:museum~1", "entities:iraq",
        "id:3f2a9c0d1e4b5a67", "until:2019-12 from:2019-01", "",
        "muhandis\tmuhandis\tIraq\tkataib\t2019\t2020-01\tCoast News",
        "\x07storm\t\tIraq", "\x0cmuseum\t\t\t\t2022-01\t2022-02", "\x03\t\tIraq / Basra",
    ]
    for q in queries:
        put("query", q)
    if shared:
        for r in reuters_records(30):
            m = re.search(rb"<TITLE>(.*?)</TITLE>", r)
            if m:
                put("query", m.group(1))

for t in targets:
    d = os.path.join(corpus, t)
    n = len(os.listdir(d)) if os.path.isdir(d) else 0
    print(f"{t}: {n} inputs in {d}")
PY
