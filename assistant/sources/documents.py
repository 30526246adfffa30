"""Merge the renderings of one document into a single clean text with pages, sections and footnotes.

The official publication's text is the cleanest (quote marks, no page furniture) but has no pages and no
footnote texts; the PDF has both. When a document has both, the clean text is kept and every word is
aligned to the PDF's words to learn its printed page, and the PDF's footnotes are attached to the markers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher

from assistant.sources.loaders import Block, Rendering, marker
from assistant.text import rules
from assistant.text.marks import TO_SUPERSCRIPT
from assistant.types import Document, DocumentMeta, Footnote, PageSpan, Section, TableSpan

_WORD = re.compile(r"[^\W_]+", re.U)
_CLOSING_HEADINGS = re.compile(
    r"^(vervolgproces|tot slot|afsluiting|slot|conclusies?|samenvatting|bijlagen?|ondertekening)\b", re.I
)
_CAPTION = rules.rule("layout", "caption")
_NUMBERED = [
    ("chapter", re.compile(r"^(hoofdstuk|deel)\s+\w+", re.I)),
    ("num2", re.compile(r"^\d{1,2}\.\d{1,2}\.?\s")),
    ("num1", re.compile(r"^\d{1,2}\.?\s")),
    ("thema", re.compile(r"^(thema|onderdeel|pijler|actielijn)\s+\d+\s*[:.]", re.I)),
]
_OPENERS = "•○◦▪■●–-*«„‘“\"'(["


def build_document(meta: DocumentMeta, renderings: list[Rendering], content_hash: str) -> Document:
    """One `Document` from every rendering of it (see the module docstring for who gives what)."""
    canonical = min(renderings, key=lambda r: (r.paged, {"html": 0, "text": 1, "markdown": 2}.get(r.format, 3)))
    text, offsets = _assemble(canonical.blocks)
    footnotes: dict[int, Footnote] = {}
    for rendering in sorted(renderings, key=lambda r: not r.paged):
        for number, note in rendering.footnotes.items():
            footnotes.setdefault(number, note)
    text, markers = _mark_footnotes(text, footnotes)
    paged = next((r for r in renderings if r.paged), None)
    if canonical.paged:
        pages = _own_pages(canonical.blocks, offsets, len(text))
    elif paged is not None:
        pages = _aligned_pages(text, paged)
    else:
        pages = []
    sections = _sections(canonical.blocks, offsets)
    return Document(meta, text, pages, sections, footnotes, markers, content_hash, _tables(canonical.blocks, offsets))


def _tables(blocks: list[Block], offsets: list[int]) -> list[TableSpan]:
    """Where each table's rows stand in the text (a loader marks a row with its table; the first is the header)."""
    rows: dict[int, list[tuple[int, int]]] = {}
    for block, offset in zip(blocks, offsets, strict=True):
        if block.table is not None:
            rows.setdefault(block.table, []).append((offset, offset + len(block.text)))
    return [TableSpan(spans[0][0], spans[0][1], spans[-1][1]) for spans in rows.values()]


def _assemble(blocks: list[Block]) -> tuple[str, list[int]]:
    """Blocks joined by blank lines, and where each block starts."""
    offsets, parts, pos = [], [], 0
    for block in blocks:
        offsets.append(pos)
        parts.append(block.text)
        pos += len(block.text) + 2
    return "\n\n".join(parts), offsets


def _mark_footnotes(text: str, footnotes: dict[int, Footnote]) -> tuple[str, list[tuple[int, int]]]:
    """Find each footnote's marker (`marker`: digits glued to the preceding word) in order; print it superscript.

    Superscript digits keep the text's length and fold back to plain digits under NFKC, so quotes stay
    verbatim against the source files. Without footnote texts, only a run of at least three numbered markers
    1, 2, 3... counts, so "CO2" in a document without footnotes is left alone.
    """
    numbers = sorted(footnotes) or list(range(1, 200))
    found: list[tuple[int, int]] = []
    pos = 0
    for number in numbers:
        m = marker(number).search(text, pos)
        if not m:
            if not footnotes:
                break
            continue
        found.append((m.start(), number))
        pos = m.end()
    if not footnotes and len(found) < 3:
        return text, []
    chars = list(text)
    for start, number in found:
        digits = str(number)
        chars[start : start + len(digits)] = list(digits.translate(TO_SUPERSCRIPT))
    return "".join(chars), found


def _own_pages(blocks: list[Block], offsets: list[int], length: int) -> list[PageSpan]:
    """Page spans of a paged rendering, from each block's page and the page breaks inside blocks."""
    starts: list[tuple[int, int]] = []
    for block, offset in zip(blocks, offsets, strict=True):
        if block.page is not None:
            starts.append((offset, block.page))
        starts.extend((offset + at, page) for at, page in block.breaks)
    return _spans(starts, length, restarts=True)


def _spans(starts: list[tuple[int, int]], length: int, restarts: bool = False) -> list[PageSpan]:
    """Merge (offset, page) starts into contiguous, non-overlapping spans covering the text. Page numbers only
    go up, except that a paged file's own numbering may start again at 1 (`restarts`: after the front matter)."""
    spans: list[PageSpan] = []
    for offset, page in sorted(starts):
        if spans and spans[-1].number == page:
            continue
        if spans and spans[-1].number > page and not (restarts and page == 1):
            continue  # an out-of-order page (bad alignment) never moves the page number back
        if spans:
            spans[-1] = PageSpan(spans[-1].number, spans[-1].start, offset)
        spans.append(PageSpan(page, 0 if not spans else offset, length))
    return spans


def _words(text: str) -> tuple[list[str], list[int]]:
    keys, positions = [], []
    for m in _WORD.finditer(text):
        keys.append(m.group().lower())
        positions.append(m.start())
    return keys, positions


def _aligned_pages(text: str, paged: Rendering) -> list[PageSpan]:
    """Pages for a text without pages, by aligning its words with the paged rendering's words."""
    other_text, other_offsets = _assemble(paged.blocks)
    other_pages = _own_pages(paged.blocks, other_offsets, len(other_text))
    page_starts = [p.start for p in other_pages]
    a_keys, a_pos = _words(text)
    b_keys, b_pos = _words(other_text)
    matcher = SequenceMatcher(None, a_keys, b_keys, autojunk=False)
    starts: list[tuple[int, int]] = []
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            page = other_pages[bisect_right(page_starts, b_pos[block.b + k]) - 1].number
            starts.append((a_pos[block.a + k], page))
    spans = _spans(starts, len(text))
    # Words align, but a page's first line may open with a bullet or quote mark: those belong to the new page.
    for i in range(1, len(spans)):
        start = spans[i].start
        while start > spans[i - 1].start + 1 and (text[start - 1].isspace() or text[start - 1] in _OPENERS):
            start -= 1
        spans[i - 1] = PageSpan(spans[i - 1].number, spans[i - 1].start, start)
        spans[i] = PageSpan(spans[i].number, start, spans[i].end)
    return spans


def _heading_class(title: str) -> str:
    for name, pattern in _NUMBERED:
        if pattern.match(title):
            return name
    return "plain"


def _sections(blocks: list[Block], offsets: list[int]) -> list[Section]:
    """Heading paths. Markup levels win; otherwise numbering tells the depth.

    Unnumbered headings before the first numbered one are top level; numbered headings nest under the last
    of those; an unnumbered heading after numbered ones is a subsection of the deepest open one, unless it is
    a closing heading ("Vervolgproces", "Tot slot"). Headings before the first paragraph are the document's
    front matter (title, dossier, number) and open no section, except a marked one deeper than the title ("## Doel"
    right under "# Plan"). Without markup, a dossier number or a date
    stands as a short paragraph between the title lines, so there the first paragraph is the first of over 150
    characters; a heading the markup marks (`#`, `<h2>`) after any paragraph opens a section ("## Wie kan
    subsidie aanvragen?" after "Deze pagina is bijgewerkt op ..."). A table's caption opens none (`layout.caption`).
    """
    first_para = next((i for i, b in enumerate(blocks) if b.kind == "para" and len(b.text) > 150), 0)
    first_marked = next((i for i, b in enumerate(blocks) if b.kind == "para"), 0)
    # the title's level: a marked heading below it opens a section even before any paragraph ("# Plan", "## Doel")
    title_level = next((b.level for b in blocks[:first_marked] if b.kind == "heading" and b.level is not None), 0)
    order: list[str] = []
    stack: list[tuple[int, str]] = []  # (level, title)
    sections: list[Section] = []
    for index, (block, offset) in enumerate(zip(blocks, offsets, strict=True)):
        if block.kind != "heading" or (index < first_para if block.level is None
                                       else index < first_marked and block.level <= title_level):
            continue
        if _CAPTION.match(block.text):  # the table under it stays in the section the caption stands in
            continue
        title = block.text
        if block.level is not None:
            level = block.level
        else:
            cls = _heading_class(title)
            if cls == "plain":
                numbered = [lvl for lvl, t in stack if _heading_class(t) != "plain"]
                level = 1 if not numbered or _CLOSING_HEADINGS.match(title) else max(numbered) + 1
            else:
                if cls not in order:
                    order.append(cls)
                base = 1 if any(_heading_class(t) == "plain" and lvl == 1 for lvl, t in stack) else 0
                level = base + 1 + order.index(cls)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        sections.append(Section(tuple(t for _, t in stack), offset))
    return sections
