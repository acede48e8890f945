#!/usr/bin/env python3
"""Build posts.jsonl from the hand-written, inline-marked posts.txt.

posts.txt: posts separated by a line holding only `---`. PHI is marked inline as
`[[TYPE|value]]`, names as `[[NAME:patient|value]]`, `[[NAME:clinician|value]]` or
`[[NAME:unknown|value]]`. The marked value must be the bare identifier (no title, no
keyword). Output: one JSON object per post, in the format of /work/shared/phi/README.md,
with UTF-8 byte offsets. Any malformed markup stops the build with an error.

Usage: python3 build.py [posts.txt] [posts.jsonl]
One converter for every hand-written set: `python3 bench/phi-written/build.py
bench/phi-written2/posts.txt` writes bench/phi-written2/posts.jsonl with ids "written2-…".
"""
import collections
import json
import os
import re
import sys

TYPES = {"NAME", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN", "ACCOUNT", "LICENSE",
         "ID", "URL", "IP", "ADDRESS", "LOCATION", "ZIP", "OTHER"}
WHO = {"patient", "clinician", "unknown"}
MARK = re.compile(r"\[\[([A-Z]+)(?::([a-z]+))?\|([^\[\]|]*)\]\]")
TITLES = re.compile(r"^(mr|mrs|ms|miss|dr|prof|rn|np|pa|md|sr|jr)\b\.?", re.I)
KEYWORDS = re.compile(r"^(mrn|dob|ssn|acct|account|ph|tel|phone|email|#|no\.|member)\b", re.I)
AGE_WORDS = re.compile(r"^(ninety|one hundred|a hundred|hundred)[a-z -]*$", re.I)


class BuildError(Exception):
    pass


def fail(post_no, line_no, msg):
    raise BuildError(f"post {post_no} (posts.txt line {line_no}): {msg}")


def split_posts(raw):
    """Yield (first line number, post text) for each non-empty post."""
    posts, cur, start = [], [], 1
    for i, line in enumerate(raw.split("\n"), 1):
        if line.strip() == "---":
            if line != "---":
                raise BuildError(f"line {i}: separator with surrounding whitespace")
            posts.append((start, "\n".join(cur)))
            cur, start = [], i + 1
        else:
            cur.append(line)
    posts.append((start, "\n".join(cur)))
    out = []
    for start, text in posts:
        # drop blank lines at both ends, keep the inside exactly as written
        lines = text.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
            start += 1
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            out.append((start, "\n".join(lines).rstrip()))
    return out


def parse(post_no, line_no, marked):
    text_parts, spans = [], []
    pos = 0  # position in the plain text, in UTF-8 bytes
    last = 0
    for m in MARK.finditer(marked):
        before = marked[last:m.start()]
        text_parts.append(before)
        pos += len(before.encode("utf-8"))
        typ, who, val = m.group(1), m.group(2), m.group(3)
        if typ not in TYPES:
            fail(post_no, line_no, f"unknown type {typ!r} in {m.group(0)!r}")
        if typ == "NAME":
            if who not in WHO:
                fail(post_no, line_no, f"NAME needs :patient, :clinician or :unknown in {m.group(0)!r}")
        elif who is not None:
            fail(post_no, line_no, f"only NAME takes a who in {m.group(0)!r}")
        if not val or val != val.strip():
            fail(post_no, line_no, f"empty value or value with edge whitespace in {m.group(0)!r}")
        if typ == "NAME" and TITLES.match(val):
            fail(post_no, line_no, f"title inside a NAME span: {m.group(0)!r}")
        if KEYWORDS.match(val) and typ not in ("NAME", "LOCATION", "ADDRESS"):
            fail(post_no, line_no, f"keyword inside a span: {m.group(0)!r}")
        if typ == "AGE":
            if val.isdigit():
                if int(val) <= 89:
                    fail(post_no, line_no, f"age {val} is not over 89: {m.group(0)!r}")
            elif not AGE_WORDS.match(val):
                fail(post_no, line_no, f"AGE must be a number over 89 or in words: {m.group(0)!r}")
        if val[-1] in ".,;:" and typ not in ("NAME",) and not val.endswith(("Jr.", "St.", "Ave.", "Rd.", "Dr.")):
            fail(post_no, line_no, f"trailing punctuation inside a span: {m.group(0)!r}")
        b = len(val.encode("utf-8"))
        span = {"start": pos, "end": pos + b, "type": typ}
        if typ == "NAME":
            span["who"] = who
        span["label"] = typ if typ != "NAME" else f"NAME/{who}"
        spans.append(span)
        text_parts.append(val)
        pos += b
        last = m.end()
    text_parts.append(marked[last:])
    text = "".join(text_parts)
    for bad in ("[[", "]]"):
        if bad in text:
            i = text.index(bad)
            fail(post_no, line_no, f"unparsed markup {bad!r} near {text[max(0, i - 30):i + 30]!r}")
    # sanity: spans sorted, non-overlapping, on character boundaries
    tb = text.encode("utf-8")
    prev_end = -1
    for s in spans:
        if s["start"] < prev_end:
            fail(post_no, line_no, "overlapping spans")
        prev_end = s["end"]
        tb[s["start"]:s["end"]].decode("utf-8")  # raises if off a character boundary
    return text, spans


LINT = [
    ("email-like", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    ("phone-like", re.compile(r"\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")),
    ("ssn-like", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("ip-like", re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")),
]


def lint(pid, text, spans):
    """Warn (not fail) about identifier-looking strings left outside every span."""
    b = text.encode("utf-8")
    covered = bytearray(len(b))
    for s in spans:
        for i in range(s["start"], s["end"]):
            covered[i] = 1
    for name, rx in LINT:
        for m in rx.finditer(text):
            st = len(text[:m.start()].encode("utf-8"))
            en = len(text[:m.end()].encode("utf-8"))
            if not any(covered[st:en]):
                print(f"lint: {pid}: unlabelled {name} {m.group(0)!r}", file=sys.stderr)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "posts.txt")
    folder = os.path.dirname(os.path.abspath(src))
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(folder, "posts.jsonl")
    # Ids name the set: bench/phi-written2/posts.txt gives "written2-0001"...
    prefix = os.path.basename(folder).removeprefix("phi-") or "written"
    with open(src, encoding="utf-8") as f:
        raw = f.read()
    try:
        posts = split_posts(raw)
        records = []
        for n, (line_no, marked) in enumerate(posts, 1):
            text, spans = parse(n, line_no, marked)
            rid = f"{prefix}-{n:04d}"
            lint(rid, text, spans)
            records.append({"id": rid, "text": text, "spans": spans})
    except BuildError as e:
        sys.exit(f"build.py: error: {e}")
    with open(dst, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = collections.Counter()
    clean = 0
    for r in records:
        phi = [s for s in r["spans"] if not (s["type"] == "NAME" and s["who"] == "clinician")]
        if not phi:
            clean += 1
        for s in r["spans"]:
            counts[s["type"] + ("/" + s["who"] if s["type"] == "NAME" else "")] += 1
    print(f"{len(records)} posts; {clean} without PHI (clinician names aside); "
          f"{sum(1 for r in records if not r['spans'])} with no span at all; "
          f"{sum(counts.values())} spans")
    for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {k:18s} {v}")


if __name__ == "__main__":
    main()
