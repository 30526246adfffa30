"""Build `assistant/rules/lexicon/nl-en.tsv`, the Dutch–English word pairs that let a question in one language meet
a sentence in the other, from the FreeDict dictionaries as Debian ships them (GPL-2+, see
`assistant/rules/lexicon/README.md`).

Usage:  apt-get download dict-freedict-nld-eng dict-freedict-eng-nld
        dpkg-deb -x dict-freedict-nld-eng_*.deb DIR; dpkg-deb -x dict-freedict-eng-nld_*.deb DIR
        python evals/build_lexicon.py DIR/usr/share/dictd

Kept: pairs of single lower-case words of three letters or more (names, phrases and abbreviations are not
translated: they are the same words in both languages or not words at all), from both directions, once.
"""

from __future__ import annotations

import argparse
import gzip
import re
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assistant" / "rules" / "lexicon" / "nl-en.tsv"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_WORD = re.compile(r"^[a-zà-ÿ]{3,}$")


def _number(text: str) -> int:
    """dictd's base-64 offsets and lengths."""
    value = 0
    for char in text:
        value = value * 64 + _B64.index(char)
    return value


def _plain(word: str) -> str:
    """A word as the documents write it: the dictionaries spell Dutch "ij" as one letter ("tĳd", "mogelĳk")."""
    return unicodedata.normalize("NFKC", word)


def _entries(folder: Path, name: str) -> list[tuple[str, list[str]]]:
    """(headword, its translations) of one dictionary."""
    data = gzip.open(folder / f"{name}.dict.dz").read()
    entries = []
    for line in (folder / f"{name}.index").read_text(encoding="utf-8").splitlines():
        head, offset, length = line.split("\t")
        if head.startswith("00-database"):
            continue
        body = data[_number(offset) : _number(offset) + _number(length)].decode("utf-8").splitlines()[1:]
        words = [w.strip() for line in body for w in re.sub(r"^\s*\d+\.\s*", "", line).split(",")]
        entries.append((_plain(head), [_plain(w) for w in words]))
    return entries


def main(folder: Path) -> None:
    pairs: set[tuple[str, str]] = set()
    for name, dutch_first in (("freedict-nld-eng", True), ("freedict-eng-nld", False)):
        for head, words in _entries(folder, name):
            if not _WORD.match(head):
                continue
            for word in words:
                if _WORD.match(word) and word != head:
                    pairs.add((head, word) if dutch_first else (word, head))
    OUT.write_text("".join(f"{nl}\t{en}\n" for nl, en in sorted(pairs)), encoding="utf-8")
    print(f"{len(pairs)} pairs -> {OUT}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dictd", type=Path, help="the folder holding freedict-nld-eng.* and freedict-eng-nld.*")
    main(parser.parse_args().dictd)
