#!/usr/bin/env python3
"""Hostile inputs for the resource-limit measurements in benches/results/limits.md.

Generated, never committed: every file is rebuilt from ../shared/corpora/bbc
(real BBC paragraphs) or from nothing (bombs, nested markup).

usage: generate.py KIND OUT [SIZE_MB]
  line       one article, one line of SIZE_MB of BBC text, no line breaks
  nostop     the same with sentence punctuation removed (no sentence breaks)
  bomb       a gzip file expanding to SIZE_MB (MiB) of "spam and eggs"
  liarbomb   the same with a trailer that claims 100 bytes
  jsonarray  a JSON array of 2,000,000 small articles (or SIZE_MB worth)
  divs       an HTML page of 200,000 nested <div>s
"""
import gzip
import json
import os
import re
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
BBC = os.path.join(HERE, "..", "..", "..", "shared", "corpora", "bbc")


def bbc_text():
    parts = []
    for root, _, files in sorted(os.walk(BBC)):
        for f in sorted(files):
            if f.endswith(".txt"):
                with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
                    parts.append(fh.read())
    return " ".join(" ".join(parts).split())


def one_line(out, size, strip_stops):
    text = bbc_text()
    if strip_stops:
        text = re.sub(r"[.?!\u2026]", "", text)
    with open(out, "w") as fh:
        fh.write("A title for one very long line\n\n")
        written = 0
        while written < size:
            chunk = text[: size - written]
            fh.write(chunk)
            written += len(chunk)
            if written < size:
                fh.write(" ")
                written += 1
        fh.write("\n")


def bomb(out, size):
    block = (b"spam and eggs " * 4096)[: 1 << 16]
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(out, "wb") as fh:
        for _ in range(size // len(block)):
            fh.write(comp.compress(block))
        fh.write(comp.flush())


def lie_about_size(out):
    with open(out, "r+b") as fh:
        fh.seek(-4, os.SEEK_END)
        fh.write((100).to_bytes(4, "little"))


def json_array(out, count):
    with open(out, "w") as fh:
        fh.write("[")
        for i in range(count):
            if i:
                fh.write(",")
            fh.write(json.dumps({"title": f"T{i}", "body": f"Story {i}."}, separators=(",", ":")))
        fh.write("]\n")


def divs(out, depth):
    with open(out, "w") as fh:
        fh.write("<html><head><title>Deep</title></head><body>")
        fh.write("<div>" * depth)
        fh.write("<p>The text at the bottom of a very deep page.</p>")
        fh.write("</div>" * depth)
        fh.write("</body></html>\n")


def main():
    kind, out = sys.argv[1], sys.argv[2]
    mb = float(sys.argv[3]) if len(sys.argv) > 3 else None
    if kind in ("line", "nostop"):
        one_line(out, int(mb * 1_000_000), kind == "nostop")
    elif kind in ("bomb", "liarbomb"):
        bomb(out, int((mb or 2048) * (1 << 20)))
        if kind == "liarbomb":
            lie_about_size(out)
    elif kind == "jsonarray":
        json_array(out, int(mb) if mb else 2_000_000)
    elif kind == "divs":
        divs(out, int(mb) if mb else 200_000)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
