"""Tables in a PDF's pages, one line per row.

A PDF's text layer gives a row's cells one after the other, a wrapped cell as several lines ("Inlogsessies met
DigiD" / "(miljoen)" / "561 623 681 742"), so the rows of a table run together into one paragraph and no sentence
holds a label with its figures. pdfplumber finds the ruled tables of a page and their cells; the lines of the page
text that hold a table are replaced by its rows, each its own paragraph: the row is then a sentence that can be
quoted ("Inlogsessies met eHerkenning (miljoen) 38 45 51 57"). A table without rulings stays text as pypdf reads it.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.lines import join_lines

_log = logging.getLogger(__name__)
_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)\s+"
_RULE = re.compile(rb"(?:" + _NUMBER * 4 + rb"re|" + _NUMBER * 2 + rb"l)\b")
# Share of a table's words that may be missing from the page text's lines (a character pypdf reads otherwise).
_MISSING = 0.1


@dataclass
class Table:
    """A table's rows, the header row first, each the text of its cells in reading order."""

    rows: list[str]

    @property
    def words(self) -> list[str]:
        return [w for row in self.rows for w in row.split()]


def draws_rules(content: bytes) -> bool:
    """Whether a page's content stream draws a rectangle or a line (`x y w h re`, `x y l`): only such a page can
    hold a ruled table, and reading a page's layout costs many times reading its text."""
    return bool(_RULE.search(content))


def page_tables(data: bytes, ruled: set[int] | None = None) -> list[list[Table]]:
    """The ruled tables of each page of a PDF (of the pages in `ruled` only, when given); none for a page (or a
    file) pdfplumber cannot read, whose text pypdf still gives."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[Table]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index, page in enumerate(pdf.pages):
                tables = []
                for found in page.find_tables() if ruled is None or index in ruled else ():
                    rows = [_row(cells) for cells in found.extract()]
                    if len(rows := [r for r in rows if r]) >= 2:
                        tables.append(Table(rows))
                pages.append(tables)
                page.close()  # pdfplumber keeps every page's objects otherwise
    except Exception as exc:  # pdfminer raises many types on files pypdf reads; the text is what counts
        _log.warning("tables not read (%s: %s); the pages are read as text", type(exc).__name__, exc)
        return []
    return pages


def _row(cells: list[str | None]) -> str:
    """A row's text: its cells in order, a wrapped cell's lines joined as wrapped lines of running text are."""
    return " ".join(filter(None, (join_lines(clean_text(cell).split("\n")) for cell in cells if cell)))


def split(lines: list[str], tables: list[Table]) -> list[list[str] | Table]:
    """A page's lines in reading order, with each table found among them in their stead (lines that are not a
    table's stay lists of lines)."""
    parts: list[list[str] | Table] = [lines]
    for table in tables:
        for i, part in enumerate(parts):
            if isinstance(part, list) and (found := _region(part, table)):
                start, end = found
                parts[i : i + 1] = [part[:start], table, part[end:]]
                break
    return [p for p in parts if not isinstance(p, list) or p]


def _region(lines: list[str], table: Table) -> tuple[int, int] | None:
    """The run of lines that holds a table: from a line that starts with the table's first word, the lines whose
    words (a word broken over two lines joined again) all belong to the table, until its words are used up (all
    but `_MISSING` of them)."""
    words = Counter(table.words)
    first = table.words[0]
    for start, line in enumerate(lines):
        if not line.split() or line.split()[0] != first:
            continue
        end, best = start, None
        while end < len(lines):
            read = join_lines(lines[start : end + 1]).split()
            extra = Counter(read) - words
            if extra and not (len(extra) == 1 and read[-1].endswith("-") and read[-1] in extra):
                break  # a word that is not the table's (not the first half of one broken over two lines)
            end += 1
            left = (words - Counter(read)).total()
            if left <= _MISSING * words.total():
                best = end
                if not left:
                    break
        if best is not None:
            return start, best
    return None
