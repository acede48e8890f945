#!/usr/bin/env python3
"""Rebuilds stop_words.txt: the little words (pronouns, articles, conjunctions, prepositions,
common adverbs and verbs) of the European languages whose posts write them with a capital
at the head of a sentence or a line ("Han er postoperativ", "Und wie schnell", "Sal 2: Hon
extuberades"), from the PyPI package stop-words (BSD-3-Clause):

    pip download --no-deps stop-words==2025.11.4 && unzip stop_words-2025.11.4-py3-none-any.whl -d SRC
    python3 build_stop_words.py SRC

One line a word: the language's code, a tab, the word in lower case. Sorted.
"""
import sys
import unicodedata
from pathlib import Path

src = Path(sys.argv[1]) / "stop_words" / "stop-words"
out = Path(__file__).resolve().parent

LANGUAGES = {
    "da": "danish", "de": "german", "es": "spanish", "fi": "finnish", "fr": "french",
    "it": "italian", "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese",
    "sv": "swedish",
}

rows = set()
for code, name in LANGUAGES.items():
    for word in (src / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        word = unicodedata.normalize("NFC", word.strip().lower())
        if word and not word.startswith("#") and " " not in word:
            rows.add(f"{code}\t{word}")
(out / "stop_words.txt").write_text("\n".join(sorted(rows)) + "\n", encoding="utf-8")
