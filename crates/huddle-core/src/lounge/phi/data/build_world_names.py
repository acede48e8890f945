#!/usr/bin/env python3
"""Rebuilds world_first_names.txt and world_surnames.txt from the person providers of the
PyPI package Faker (MIT licence), every locale whose names are written in Latin letters,
plus the romanized names of ja_JP, zh_CN and zh_TW:

    python3 -m venv V && V/bin/pip install faker==40.54.0
    V/bin/python build_world_names.py

Run after build.py: a name that is a word of the English or medical lists, an eponym, a
clinical term, a state or a country, or is already a census name, is left out; so are
names shorter than 4 letters, and names of 5 letters or fewer that begin an English or
medical word (notes clip words: "fami", "orie", "colum"). Lower case, one a line, sorted.
"""
import importlib
import pkgutil
import re
import unicodedata
from pathlib import Path

import faker.providers.person as person

out = Path(__file__).resolve().parent


def load(name):
    return {
        line.strip()
        for line in (out / name).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


blocked = set()
for f in [
    "english_words.txt",
    "english_extra.txt",
    "medical_terms.txt",
    "eponyms.txt",
    "clinical_terms.txt",
    "states_countries.txt",
]:
    blocked |= load(f)
census_first = load("first_names.txt")
census_last = load("surnames.txt")
prefixes = set()
for w in load("english_words.txt") | load("english_extra.txt") | load("medical_terms.txt"):
    for k in range(4, min(len(w), 5) + 1):
        if k < len(w):
            prefixes.add(w[:k])
shape = re.compile(r"^[^\W\d_]+(?:['\-][^\W\d_]+)*$")


def latin(w):
    return all("LATIN" in unicodedata.name(c, "") or c in "-'" for c in w)


firsts, lasts = set(), set()
for m in pkgutil.iter_modules(person.__path__):
    provider = getattr(importlib.import_module("faker.providers.person." + m.name), "Provider", None)
    if provider is None:
        continue
    for attr in dir(provider):
        if not (attr.startswith(("first_names", "last_names", "first_romanized_names", "last_romanized_names"))):
            continue
        value = getattr(provider, attr)
        items = value.keys() if isinstance(value, dict) else value if isinstance(value, (list, tuple, set)) else []
        for n in items:
            if not isinstance(n, str):
                continue
            for w in n.split():
                w = w.lower()
                if len(w) >= 4 and shape.match(w) and latin(w) and w not in prefixes:
                    (firsts if attr.startswith("first") else lasts).add(w)

world_first = sorted(w for w in firsts if w not in blocked and w not in census_first)
world_last = sorted(
    w for w in lasts
    if w not in blocked and w not in census_last and w not in census_first and w not in world_first
)
(out / "world_first_names.txt").write_text("\n".join(world_first) + "\n")
(out / "world_surnames.txt").write_text("\n".join(world_last) + "\n")
print(len(world_first), "first names,", len(world_last), "surnames")
