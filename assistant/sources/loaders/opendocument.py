"""An OpenDocument text (.odt, the open standard Dutch government is asked to use) into blocks, read from its
`content.xml`: headings with their outline level, paragraphs, list items with their bullet or number, a table's rows one
paragraph each under its header rows, footnotes and endnotes lifted with superscript markers glued to their
word, as a PDF's are. A paragraph in the Title style heads the document, its headings a level below it. The
title comes from its `meta.xml`, else from its first heading.

odfpy's converter to HTML fails on such documents under Python 3, so the few elements that carry text are read
here with lxml; a table of contents or an index repeats the headings and is left out.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.rendering import Block, Rendering, text_metadata
from assistant.text.marks import TO_SUPERSCRIPT
from assistant.types import AssistantError, Footnote

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_SKIPPED = {f"{{{_TEXT}}}{name}" for name in ("table-of-content", "alphabetical-index", "illustration-index",
                                              "table-index", "object-index", "user-index", "bibliography",
                                              "tracked-changes", "sequence-decls")}
# entities are never expanded, nor anything fetched: the file is not trusted
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def load_odt(path: Path, data: bytes) -> Rendering:
    """An .odt file's text as blocks, with its footnotes and the title its metadata gives."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = etree.fromstring(archive.read("content.xml"), _PARSER)
            names = set(archive.namelist())
            styles = etree.fromstring(archive.read("styles.xml"), _PARSER) if "styles.xml" in names else None
            meta = archive.read("meta.xml") if "meta.xml" in names else None
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise AssistantError(f"{path.name}: not a readable OpenDocument text (.odt) ({exc})") from exc
    body = content.find(f".//{{{_OFFICE}}}text")
    reader = _Reader(_titles(content), _numbered(content) | (_numbered(styles) if styles is not None else set()))
    if body is not None:
        reader.read(body)
    title = office_title(meta)
    rendering = Rendering(path, "odt", reader.blocks, reader.notes, metadata={"title": title} if title else {})
    text_metadata(rendering)
    return rendering


class _Reader:
    """Walks a document's body once, gathering its blocks and its notes."""

    def __init__(self, titles: set[str], numbered: set[str]) -> None:
        self.titles = titles  # the paragraph styles of the document's title (`_titles`)
        self.numbered = numbered  # the list styles that number their items (`_numbered`)
        self.blocks: list[Block] = []
        self.notes: dict[int, Footnote] = {}
        self.tables = 0  # tables with header rows read so far: the next one's number

    def read(self, element: etree._Element, bullet: str = "") -> None:
        """The blocks of `element`'s children; `bullet` opens the first paragraph of a list item."""
        for child in element:
            tag = child.tag
            if tag in _SKIPPED or not isinstance(tag, str):
                continue
            if tag == f"{{{_TEXT}}}h":  # a level below the title, as Writer shows it
                self._add("heading", self.inline(child), level=int(child.get(f"{{{_TEXT}}}outline-level") or 1) + 1)
            elif tag == f"{{{_TEXT}}}p" and child.get(f"{{{_TEXT}}}style-name") in self.titles:
                self._add("heading", self.inline(child), level=1)
            elif tag == f"{{{_TEXT}}}p":
                self._add("para", bullet + self.inline(child))
                bullet = ""
            elif tag == f"{{{_TEXT}}}list":  # its items with a bullet, or numbered as its style says
                numbered = child.get(f"{{{_TEXT}}}style-name") in self.numbered
                n = 0
                for item in child:  # a list's header, if any, is read as it stands
                    is_item = item.tag == f"{{{_TEXT}}}list-item"
                    n += is_item
                    self.read(item, (f"{n}. " if numbered else "• ") if is_item else "")
            elif tag == f"{{{_TABLE}}}table":
                self.table(child)
            else:  # sections, a list item's content: their paragraphs are read in order
                self.read(child, bullet)

    def table(self, table: etree._Element) -> None:
        """One paragraph per row, cells in order; marked as a table when it has header rows."""
        rows = [(row, row.getparent().tag == f"{{{_TABLE}}}table-header-rows")
                for row in table.iter(f"{{{_TABLE}}}table-row") if _table_of(row) is table]
        number = self.tables if rows and rows[0][1] else None
        self.tables += number is not None
        for row, _ in rows:
            cells = [c for c in row if c.tag == f"{{{_TABLE}}}table-cell"]
            if len(cells) < 2:  # a table used for layout: its text as it stands
                for cell in cells:
                    self.read(cell)
                continue
            line = " ".join(text for cell in cells if (text := " ".join(map(self.inline, _paragraphs(cell)))))
            self._add("para", line, table=number)

    def inline(self, element: etree._Element) -> str:
        """A paragraph's text on one line: its spaces and tabs as spaces, a note as its superscript marker (the
        note's text kept as a footnote)."""
        parts = [element.text or ""]
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == f"{{{_TEXT}}}s":
                parts.append(" " * int(child.get(f"{{{_TEXT}}}c") or 1))
            elif tag in {f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"}:
                parts.append(" ")
            elif tag == f"{{{_TEXT}}}note":
                parts.append(self._note(child))
            elif tag:
                parts.append(self.inline(child))
            parts.append(child.tail or "")
        return " ".join(clean_text("".join(parts)).split())

    def _note(self, note: etree._Element) -> str:
        """A footnote's or endnote's marker, superscript, its text kept under its number."""
        label = (note.findtext(f"{{{_TEXT}}}note-citation") or "").strip()
        body = note.find(f"{{{_TEXT}}}note-body")
        if not label.isdigit() or body is None:
            return ""
        text = " ".join(map(self.inline, _paragraphs(body)))
        if text:
            self.notes.setdefault(int(label), Footnote(int(label), text))
        return label.translate(TO_SUPERSCRIPT)

    def _add(self, kind: str, text: str, level: int | None = None, table: int | None = None) -> None:
        if text:
            self.blocks.append(Block(kind, text, level=level, table=table))


def office_title(part: bytes | None) -> str:
    """The title an office file's metadata part (an OpenDocument's meta.xml, a Word document's
    docProps/core.xml) gives in Dublin Core, read with the same untrusting parser; "" if none."""
    if part is None:
        return ""
    try:
        return " ".join((etree.fromstring(part, _PARSER).findtext(f".//{_TITLE}") or "").split())
    except etree.XMLSyntaxError:
        return ""


def _table_of(row: etree._Element) -> etree._Element | None:
    """The table a row stands in (not one that holds that table in a cell)."""
    return next(row.iterancestors(f"{{{_TABLE}}}table"), None)


def _paragraphs(element: etree._Element) -> list[etree._Element]:
    """The paragraphs and headings in `element`, not those of a note in one of them (read as the note)."""
    note = f"{{{_TEXT}}}note-body"
    return [p for p in element.iter(f"{{{_TEXT}}}p", f"{{{_TEXT}}}h")
            if not any(a.tag == note for a in p.iterancestors() if a is not element)]


def _titles(content: etree._Element) -> set[str]:
    """The paragraph styles that set a document's title: Writer's "Title", and the automatic styles it makes from
    it when a title is edited ("P1" with "Title" as its parent)."""
    return {"Title"} | {str(s.get(f"{{{_STYLE}}}name")) for s in content.iter(f"{{{_STYLE}}}style")
                        if s.get(f"{{{_STYLE}}}parent-style-name") == "Title"}


def _numbered(styles: etree._Element) -> set[str]:
    """The list styles whose first level numbers its items ("1.", "2.") rather than bullets them."""
    return {str(s.get(f"{{{_STYLE}}}name")) for s in styles.iter(f"{{{_TEXT}}}list-style")
            if any(level.get(f"{{{_TEXT}}}level") == "1"
                   for level in s.iter(f"{{{_TEXT}}}list-level-style-number"))}
