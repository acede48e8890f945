#!/usr/bin/env python3
"""Rebuilds month_names.txt: the names of the twelve months in the languages written in
scripts other than Latin, from the Unicode CLDR data shipped in the PyPI package Babel
(Unicode licence; Babel itself is BSD-3-Clause):

    python3 -m venv V && V/bin/pip install babel==2.19.0
    V/bin/python build_month_names.py

Wide and abbreviated names, as written in a date and standing alone ("марта", "март",
"মার্চ", "มีนาคม", "มี.ค."), without a final full stop. Left out: names with a digit
("3월", "3月": the date rules read those by their digits) and names in Latin letters (the
rules of `../dates.rs` write those out, language by language). One name a line, sorted.
"""
import unicodedata
from pathlib import Path

from babel import Locale

out = Path(__file__).resolve().parent

LOCALES = [
    "am", "ar", "as", "be", "bg", "bn", "el", "fa", "gu", "he", "hi", "hy", "ka", "kk",
    "km", "kn", "ky", "lo", "mk", "ml", "mn", "mr", "my", "ne", "or", "pa", "ps", "ru",
    "sd", "si", "sr", "ta", "te", "th", "ti", "uk", "ur", "yi",
]

names = set()
for code in LOCALES:
    months = Locale.parse(code).months
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for name in months[context][width].values():
                name = unicodedata.normalize("NFC", name.strip().rstrip("."))
                latin = any("LATIN" in unicodedata.name(c, "") for c in name)
                if len(name) >= 2 and not latin and not any(c.isdigit() for c in name):
                    names.add(name)
(out / "month_names.txt").write_text("\n".join(sorted(names)) + "\n")
