"""Wrapped lines of plain text into headings and paragraphs, as PDF extracts and text files lay them out.

Layout is guessed from the text alone: blank lines, bullets, sentence ends and how full a line is. Hyphenated
word breaks are undone here too, so a quote reads as the document printed it.
"""

from __future__ import annotations

import re

from assistant.sources.loaders.rendering import Block
from assistant.text import rules

_TERMINAL = ".!?:;»”’\")"
BULLET = re.compile(r"^(?:[•○◦▪■●\-–*]|o(?= [A-Z])|\d{1,2}[.)]|[a-z][.)])\s")
_CODE = rules.rule("layout", "code-line")
_SECTION_NUMBER = re.compile(r"^(?:\d+|[A-Z])(?:\.\d+)*\.?\s+")
# A line shorter than this share of the width lines wrap at stops before it is full (see `_set_apart`).
_SET_APART = 0.7
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|Thema\s+\d+:|Hoofdstuk\s+\d+|Bijlage\s+\w+)\s*\S")


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: hyphenated word breaks are undone, real hyphens ("AI-", "2022-") kept."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and ("://" in out.rsplit(" ", 1)[-1] or "www." in out.rsplit(" ", 1)[-1]):
            out += line
        elif re.search(r"[a-zà-ÿ]-$", out) and line[:1].islower() and not re.search(r"\b[A-Z0-9]+-$", out):
            out = out[:-1] + line
        elif out.endswith("-"):
            out += line
        else:
            out += " " + line
    return out


def is_heading(line: str, prev: str | None, nxt: str | None, blank_style: bool, wrap: int) -> bool:
    """A short line standing alone, not ending a sentence, and no line of code ("Version ::= INTEGER").

    `prev`/`nxt` are the neighbouring lines ("" when blank, None at the edges). Where the text separates
    paragraphs by blank lines (PDF extracts), a heading has blank lines around it; elsewhere it must end before
    the line is full, so a wrapped sentence is never taken for one.
    """
    if not line or len(line) > 90 or line[-1] in ".!?:;,-" or (line[-1] in "’”»\"'" and line[-2:-1] in ".!?"):
        return False
    if (BULLET.match(line) and not _NUMBERED_HEADING.match(line)) or _CODE.search(line):
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if blank_style:
        return not prev and not nxt
    if prev and prev[-1] not in _TERMINAL:
        return False
    if nxt and len(line) + 1 + len(nxt.split(" ", 1)[0]) > wrap:
        return False
    return not nxt or nxt[0].isupper() or nxt[0] in "•○◦▪■●-–*«‘\"" or nxt[0].isdigit()


def _set_apart(line: str, nxt: str | None, wrap: int) -> bool:
    """Whether a line ends its block though it ends no sentence: it stops well before the line is full and the
    next line starts anew ("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", then "Den Haag, 3 april
    2025", then the letter's first sentence). A wrapped sentence fills its lines; only its last line is short,
    and that one ends the sentence. A line that breaks off at a comma or hyphen goes on in the next, and so does
    one before a number: the cells of a table row wrap that way ("1 januari tot en met 31", "december 2024")."""
    return (len(line) < _SET_APART * wrap and line[-1] not in ",-–(" and nxt is not None and nxt[:1].isupper())


def layout(lines: list[str]) -> tuple[int, bool]:
    """How a page's lines are laid out: the width they wrap at, and whether blank lines part its paragraphs."""
    widths = sorted(len(ln) for ln in lines if ln)
    return (widths[int(len(widths) * 0.75)] if widths else 80), sum(1 for ln in lines if not ln) > 0.05 * len(lines)


def outline_key(title: str) -> str:
    """A heading as an outline entry names it: without its number, case or spacing ("2.1 ASN.1 syntax" and the
    bookmark "ASN.1 syntax" meet)."""
    return _SECTION_NUMBER.sub("", " ".join(title.split())).lower()


def blocks_from_lines(lines: list[str], page: int | None, laid_out: tuple[int, bool] | None = None,
                      outline: dict[str, int] | None = None, typeset: dict[str, int] | None = None) -> list[Block]:
    """Group wrapped lines into headings and paragraphs (blank lines, bullets and sentence ends split);
    `laid_out` is the `layout` of the page they are part of (default: of these lines). Where the file has an
    outline, `outline` holds the `outline_key`s of this page's entries with their levels: those lines, and only
    those, are headings. Otherwise the lines `typeset` as headings (bold or large, by `outline_key`, with their
    levels) are headings, and so are lines the layout shows as one."""
    blocks: list[Block] = []
    para: list[str] = []
    wrap, blank_style = laid_out or layout(lines)

    def flush() -> None:
        if para:
            blocks.append(Block("para", join_lines(para), page))
            para.clear()

    for i, line in enumerate(lines):
        if not line:
            flush()
            continue
        prev = (lines[i - 1] if para or not blank_style else "") if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (level := (outline if outline is not None else typeset or {}).get(outline_key(line))):
            flush()
            blocks.append(Block("heading", line, page, level=level))
            continue
        if outline is None and is_heading(line, prev, nxt, blank_style, wrap):
            flush()
            blocks.append(Block("heading", line, page))
            continue
        if BULLET.match(line) and para:
            flush()
        para.append(line)
        if not blank_style and ((line[-1] in _TERMINAL and len(line) < 0.8 * wrap) or _set_apart(line, nxt, wrap)):
            flush()
    flush()
    return blocks
