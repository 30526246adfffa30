"""PDF pages into blocks: the text layer read, page furniture dropped, footnotes lifted, pages joined.

Text extracted from a PDF (`pdf-text`: form feeds, or a line starting with one space, begin a page) goes the
same way, so a document gives the same blocks, pages and footnotes whichever of the two the corpus holds.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.footnotes import FootnoteBlocks
from assistant.sources.loaders.lines import blocks_from_lines, join_lines, layout, outline_key
from assistant.sources.loaders.rendering import Block, Rendering, text_metadata
from assistant.sources.loaders.tables import Table, draws_rules, page_tables, split
from assistant.types import AssistantError

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

_FOOTER = re.compile(
    r"^Tweede Kamer,\s+vergaderjaar\s+(?P<year>\d{4}\s*[-–]\s*\d{4}),\s+(?P<dossier>[\d ]+?),\s+nr\.\s*(?P<nr>\d+)"
    r"\s+(?P<page>\d{1,4})$"
)
_BOLD = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)  # font names: "Helvetica-Bold", "Arial-BoldMT"
Line = list[tuple[str, bool, float]]  # a line of a page: its pieces set in one font, (text, bold, size)
_LARGER = 1.15  # a heading set in the body's font, not bold, is at least this much larger
_MAX_HEADING = 120  # characters: a longer line set apart is emphasis, no heading
_PAGE_ONLY = re.compile(r"^(?:pagina\s+|page\s+|blz\.\s*)?(\d{1,4})(?:\s+(?:van|of)\s+\d{1,4})?$", re.I)


def split_pages(text: str) -> list[str]:
    """Pages of extracted PDF text: form feeds, or (pdf-text convention) a line starting with one space."""
    if "\f" in text:
        return text.split("\f")
    pages: list[list[str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if re.match(r"^ \S", line) or not pages:
            pages.append([])
        pages[-1].append(line)
    return ["\n".join(p) for p in pages]


def load_pdf(path: Path, data: bytes) -> Rendering:
    """A PDF's text layer as a paged rendering, with the title and author its metadata gives."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip().startswith(b"%PDF"):
        raise AssistantError(f"{path.name}: not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise AssistantError(f"{path.name}: encrypted PDF; save an unprotected copy and add that")
            except (NotImplementedError, PdfReadError) as exc:
                raise AssistantError(f"{path.name}: encrypted PDF ({exc}); save an unprotected copy") from exc
        read = [_read(page) for page in reader.pages]
        texts = [text for text, _ in read]
        ruled = {i for i, page in enumerate(reader.pages) if draws_rules(_content(page))}
        info = reader.metadata or {}
        outline = _outline(reader, reader.outline)
        labels = _labels(reader)
        headings = None if outline else _typeset_headings([lines for _, lines in read])
    except AssistantError:
        raise
    except Exception as exc:  # pypdf raises many types for broken files
        raise AssistantError(f"{path.name}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not texts:
        raise AssistantError(f"{path.name}: PDF has no pages")
    if not any(t.strip() for t in texts):
        raise AssistantError(
            f"{path.name}: PDF has no text layer (scanned?); run OCR first, e.g. `ocrmypdf in.pdf out.pdf`"
        )
    rendering = paged(path, "pdf", texts, page_tables(data, ruled) if ruled else [], outline, labels, headings)
    for key, name in (("/Title", "title"), ("/Author", "author")):
        value = str(info.get(key) or "").strip()
        if value:
            rendering.metadata[name] = value
    text_metadata(rendering)  # no /Title nor running title: the first heading; a date from the text (if no metadata)
    return rendering


def paged(path: Path, fmt: str, pages: list[str], tables: list[list[Table]] | None = None,
          outline: list[tuple[int, str, int]] | None = None, labels: list[int | None] | None = None,
          headings: list[dict[str, int]] | None = None) -> Rendering:
    """Turn page texts into blocks: drop running headers/footers, lift footnotes, join lines and pages; the
    lines of a page's `tables` become one paragraph per row; where the file has an `outline` (level, title,
    page index), its entries are the headings, and where it has none, the lines it sets apart by type as
    `headings` (`outline_key` and level, per page) and those its layout shows as headings; where it has page
    `labels`, a page's number is its label's."""
    page_lines = [[ln for ln in clean_text(p).split("\n")] for p in pages]
    furniture = _running_lines(page_lines)
    footnotes = FootnoteBlocks()
    metadata: dict[str, str] = {}
    first = next((ln for ln in page_lines[0] if ln.strip()), "") if page_lines else ""
    entries = {outline_key(t) for _, t, _ in outline or []}
    if first and (first in furniture or (entries and outline_key(first) not in entries)):
        # the first line, repeated at the head of every page as a running head, or standing above the outline's
        # first entry: the title (with an outline, the first heading is a chapter's)
        metadata["title"] = first
    blocks: list[Block] = []
    printed: int | None = None  # the previous page's number
    read_tables = 0  # tables made rows so far: the next one's number
    for index, lines in enumerate(page_lines):
        number = index + 1
        body: list[str] = []
        for line in lines:
            footer = _FOOTER.match(line)
            if footer:
                number = int(footer.group("page"))
                first, second = re.split(r"\s*[-–]\s*", footer.group("year"))
                metadata.setdefault(
                    "identifier",
                    f"Kamerstukken II {first}/{second[2:]}, {footer.group('dossier').strip()}, "
                    f"nr. {footer.group('nr')}",
                )
                continue
            if line in furniture:
                continue
            body.append(line)
        label = labels[index] if labels and index < len(labels) else None
        number = label or number
        body, number = _strip_page_number(body, number, label or (None if printed is None else printed + 1))
        printed = number
        body = footnotes.lift(body, number)
        laid_out = layout(body)
        marks = {outline_key(t): level for level, t, at in outline if at == index} if outline else None
        typeset = headings[index] if headings and index < len(headings) else None
        for i, part in enumerate(split(body, tables[index] if tables and index < len(tables) else [])):
            if isinstance(part, Table):
                blocks.extend(Block("para", row, number, table=read_tables) for row in part.rows)
                read_tables += 1
            else:
                _append_page(blocks, part, number, laid_out, marks, typeset, continues=i == 0)
    return Rendering(path, fmt, [b for b in blocks if b.text], footnotes.footnotes, paged=True, metadata=metadata)


def _content(page: PageObject) -> bytes:
    """A page's content stream, decompressed (empty for a page without one)."""
    contents = page.get_contents()
    return contents.get_data() if contents is not None else b""


def _outline(reader: PdfReader, items: list, level: int = 1) -> list[tuple[int, str, int]]:
    """A PDF's outline (bookmarks) as (level, title, page index) in reading order; empty when it has none or it
    cannot be read (a bookmark pointing nowhere)."""
    entries: list[tuple[int, str, int]] = []
    try:
        for item in items:
            if isinstance(item, list):
                entries += _outline(reader, item, level + 1)
            elif (page := reader.get_destination_page_number(item)) is not None and page >= 0:
                entries.append((level, str(item.title), page))
    except Exception:  # pypdf raises many types for a broken outline; the pages' text still gives headings
        return []
    return entries


def _typeset_headings(pages: list[list[Line]]) -> list[dict[str, int]] | None:
    """The lines each page sets as headings, by `outline_key`, with their level: lines set wholly in bold, or
    larger than the body text, and at least as large (a bold table header row is smaller). Levels follow the
    size, largest first; bold at body size comes last. None when no line is set apart. In a PDF without
    bookmarks, the type tells a heading that the text's layout alone (`lines.is_heading`) runs into the paragraph
    around it: one after a line ending in a footnote marker, a title wider than a column, a question."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes.update({size: len(text) for text, _, size in line})
    if not sizes:
        return None
    body = sizes.most_common(1)[0][0]
    marked: list[list[tuple[str, float]]] = [[] for _ in pages]
    for index, lines in enumerate(pages):
        for line in lines:
            text = clean_text(" ".join(part.strip() for part, _, _ in line)).strip()
            size = max(s for _, _, s in line)
            if (len(text) <= _MAX_HEADING and any(c.isalpha() for c in text) and min(s for _, _, s in line) >= body
                    and all(bold or s >= _LARGER * body for _, bold, s in line)):
                marked[index].append((text, size))
    levels = sorted({size for page in marked for _, size in page}, reverse=True)
    if not levels:
        return None
    return [{outline_key(text): levels.index(size) + 1 for text, size in page} for page in marked]


def _read(page: PageObject) -> tuple[str, list[Line]]:
    """A page's text, and its lines as pypdf reads them, each the pieces set in one font: (text, bold, size)."""
    lines: list[Line] = [[]]

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        bold = bool(_BOLD.search(str((font or {}).get("/BaseFont", ""))))
        scaled = round(size * abs(tm[3] * cm[3]), 1) if tm and cm else round(size, 1)
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append([])
            if part.strip():
                lines[-1].append((part, bold, scaled))

    text = page.extract_text(visitor_text=visit) or ""
    return text, [line for line in lines if line]


def _labels(reader: PdfReader) -> list[int | None] | None:
    """The number each page is printed with, from the PDF's page labels ("T-1", "i", "1", …): the front matter's
    roman numbers do not shift the body's, which starts again at 1. None for a PDF without labels (pypdf then
    makes them up from the page order) and for a page whose label is no number."""
    try:
        if "/PageLabels" not in reader.trailer["/Root"]:
            return None
        return [int(label) if label.isdigit() else None for label in reader.page_labels]
    except Exception:  # pypdf raises many types for broken labels; the pages' own numbers still count
        return None


def _running_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages (running heads, letterheads)."""
    if len(page_lines) < 3:
        return set()
    edges = Counter()
    for lines in page_lines:
        content = [ln for ln in lines if ln]
        edges.update(set(content[:2] + content[-2:]))
    return {ln for ln, n in edges.items() if n >= max(3, 0.6 * len(page_lines)) and len(ln) < 120}


def _strip_page_number(body: list[str], number: int, expected: int | None) -> tuple[list[str], int]:
    """A bare page number on the first or last non-empty line is furniture, and the printed number; so is a
    running head that ends with the number the page after the previous one has (`expected`): "Chapter 2: ASN.1
    structure handling 3" after page 2. (Not one that starts with it: a footnote does.)"""
    content = [i for i, ln in enumerate(body) if ln]
    for i in (content[:1] + content[-1:]) if len(content) > 1 else []:
        m = _PAGE_ONLY.match(body[i])
        words = body[i].split()
        if m or (expected is not None and len(words) > 1 and words[-1] == str(expected)):
            number = int(m.group(1)) if m else expected
            body = body[:i] + body[i + 1 :]
            break
    return body, number


def _append_page(blocks: list[Block], body: list[str], page: int, laid_out: tuple[int, bool],
                 outline: dict[str, int] | None, typeset: dict[str, int] | None, continues: bool) -> None:
    """Add lines of a page (laid out as `laid_out`; its `outline` entries, or else the lines `typeset` as
    headings, are headings); where they open the page (`continues`), a paragraph cut by the page break continues
    into the previous block."""
    new = blocks_from_lines(body, page, laid_out, outline, typeset)
    if not new:
        return
    first = new[0]
    last = blocks[-1] if blocks else None
    if (
        continues
        and last is not None
        and last.kind == "para"
        and first.kind == "para"
        and last.text[-1:] not in ".!?:;»”\""
        and (first.text[:1].islower() or last.text[-1:] in ",-")
    ):
        joined = join_lines([last.text, first.text])
        last.breaks.append((len(joined) - len(first.text), page))
        last.text = joined
        new = new[1:]
    blocks.extend(new)
