"""Footnotes at the foot of a PDF's pages: which numbered lines are a footnote block, and where their markers are.

A page's text layer gives no type sizes, so a footnote block is recognised by what it does: it runs to the foot
of the page, it goes on from the document's last footnote number, every number in it has its marker in the body
text before it (in order, on this page or an earlier one), and it does not start inside a table. Without the
last two, a table row that opens with a number ("1 januari tot en met ...") after a caption ("Tabel B1.") is
taken for a footnote, and the row is lost from the body text.
"""

from __future__ import annotations

import re

from assistant.sources.loaders.lines import join_lines
from assistant.text.marks import TO_SUPERSCRIPT
from assistant.types import Footnote

# What a footnote marker is glued to: a word of two letters or more ("Digitaliseren1", not the label "B1"),
# closing punctuation ("(NLCS)3", "beleid.2", "2025.1"; not the decimals or section numbers "14,2", "2.1") or a
# year ("2022-20283").
_GLUED_TO = (r"(?:(?<=[^\W\d_]{2})|(?<=[»”’\"')\]])|(?<=\D[.,;:])|(?<=\b(?:19|20)\d\d)"
             r"|(?<=\b(?:19|20)\d\d[.,;:]))")
_SUPERSCRIPTS = "0123456789".translate(TO_SUPERSCRIPT)
_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
# A table's caption: a word, a label of digits (perhaps after one capital) and a full stop or colon, then the
# title ("Tabel B1. Bronnen", "Figuur 2: Gebruik"). Its rows end no sentence, so the table runs until one does.
_CAPTION = re.compile(r"^[^\W\d_]+\s+[A-Z]?\d+(?:\.\d+)*[.:]\s+\S")
_SENTENCE_END = re.compile(r"[.!?][»”’\"')]*$")


def marker(number: int) -> re.Pattern[str]:
    """Footnote `number`'s marker in running text: its digits glued to what precedes them, or in superscript; not
    the first digits of a decimal or a version (`version="1.0"`)."""
    sup = str(number).translate(TO_SUPERSCRIPT)
    return re.compile(rf"{_GLUED_TO}{number}(?!\d)(?![.,]\d)|(?<![{_SUPERSCRIPTS}]){sup}(?![{_SUPERSCRIPTS}])")


class FootnoteBlocks:
    """Lifts the footnote block off each page of one document, read in page order.

    The body text read so far is kept, so a marker may stand on an earlier page than its footnote, and where
    the last lifted footnote's marker was, so the next footnote's marker is looked for after it.
    """

    def __init__(self) -> None:
        self.footnotes: dict[int, Footnote] = {}
        self._read = ""
        self._marked = 0

    def lift(self, body: list[str], page: int) -> list[str]:
        """`body` without its footnote block, whose notes go into `footnotes`; the body as it was if none."""
        expected = max(self.footnotes, default=0) + 1
        for start, line in enumerate(body):
            first = _START.match(line)
            if (not first or int(first.group(1)) != expected or _inside_table(body[:start])
                    or not any(body[:start])):  # at the foot of a page, under its text: not a chapter "1 Introduction"
                continue
            notes = _numbered_to_the_foot(body[start:], expected)
            if not notes:
                continue
            before = self._read + " " + " ".join(body[:start])
            marked = _markers_in_order(before, sorted(notes), self._marked)
            if marked is None:
                continue
            for number, parts in notes.items():
                self.footnotes[number] = Footnote(number, join_lines(parts), page)
            self._read, self._marked = before, marked
            return body[:start]
        self._read += " " + " ".join(body)
        return body


def _inside_table(above: list[str]) -> bool:
    """Whether the lines above (on the same page) end inside a table: after its caption, no sentence ended."""
    for line in reversed(above):
        if _CAPTION.match(line):
            return True
        if not line or _SENTENCE_END.search(line):
            return False
    return False


def _numbered_to_the_foot(lines: list[str], first: int) -> dict[int, list[str]] | None:
    """The notes, numbered on from `first`, that fill `lines` to the foot of the page; None if other text does."""
    notes: dict[int, list[str]] = {}
    current = first
    for line in lines:
        start = _START.match(line)
        if start and int(start.group(1)) == current + (1 if current in notes else 0):
            current = int(start.group(1))
            notes[current] = [start.group(2)]
        elif line and current in notes:
            notes[current].append(line)
        elif line:
            return None
    return notes or None


def _markers_in_order(text: str, numbers: list[int], after: int) -> int | None:
    """Where the last of the numbers' markers ends in `text`, each found after the one before; None if one lacks."""
    for number in numbers:
        found = marker(number).search(text, after)
        if not found:
            return None
        after = found.end()
    return after
