"""A web page's article into blocks: navigation and page chrome dropped, footnotes lifted, metadata kept.

Headings keep the level their markup gives; a page without block markup falls back to its text, laid out as
plain text is. A list item keeps the bullet or number a browser shows. A table's row is one paragraph, its cells
in reading order ("eHerkenning 51 57"), as a PDF's are (`tables`): read cell by cell, no sentence would hold a
figure with what it is of. A table with a header row (in `<thead>`, or all `<th>`) is marked as one, so its rows
are chunked together and read under that header; a row of a single cell (a table used for layout) is read as the
text it holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.lines import blocks_from_lines
from assistant.sources.loaders.rendering import Block, Rendering, text_metadata
from assistant.types import AssistantError, Footnote

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

_HTML_DROP = (
    "script, style, nav, header, footer, aside, form, noscript, template, iframe, svg, button, [role=navigation]"
)
_HTML_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dd", "dt", "td", "th", "pre", "blockquote", "caption"]
_BLOCK_NAMES = frozenset([*_HTML_BLOCKS, "tr"])
# Block elements that may hold blocks of their own, and the blocks that, held, are read each on its own.
_HOLDERS = frozenset(("td", "th", "blockquote", "dd"))
_HELD = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "blockquote", "dl"]
# What a page's `<title>` adds to its heading: the site's name after a separator.
_SITE_SUFFIX = re.compile(r"(?:\s*[|·–—:-]\s+\S.*)?")
# Elements that flow within a line: text in them, outside any block element, joins the text around it.
_INLINE = frozenset(("a abbr b bdi bdo br cite code data del dfn em font i img ins kbd label mark q s samp small "
                     "span strong sub sup time u var wbr").split())


def load_html(path: Path, text: str) -> Rendering:
    """An HTML page's main content as blocks, with the title, date and identifier its head gives."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml refuses some pathological documents
        raise AssistantError(f"{path.name}: unparseable HTML ({exc})") from exc
    metadata: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        content = (meta.get("content") or "").strip()
        if name in {"dcterms.title", "dc.title", "og:title"} and content:
            metadata.setdefault("title", clean_text(content))
        if name in {"dcterms.issued", "dc.date", "dcterms.created", "date", "article:published_time"} and content:
            metadata.setdefault("date", content[:10])
        if name in {"dcterms.identifier", "dc.identifier"} and content:
            metadata.setdefault("identifier", content)
    if "title" not in metadata and (title := _page_title(soup)):
        metadata["title"] = title
    for tag in soup.select(_HTML_DROP):
        tag.decompose()
    footnotes: dict[int, Footnote] = {}
    for note in soup.select("[class*=voetnoot], [class*=footnote], [id^=fn], [class*=noot]"):
        m = re.match(r"^\s*(\d{1,3})[.)]?\s+(.+)$", clean_text(note.get_text(" ", strip=True)), re.S)
        if m:
            footnotes.setdefault(int(m.group(1)), Footnote(int(m.group(1)), " ".join(m.group(2).split())))
            note.decompose()
    rendering = Rendering(path, "html", body_blocks(soup), footnotes, metadata=metadata)
    text_metadata(rendering)
    return rendering


def _page_title(soup: BeautifulSoup) -> str:
    """The page's `<title>` without the site's name a browser tab shows after it ("Kamerbrief over … |
    Rijksoverheid.nl", "… - Digitale Overheid"): its first `<h1>` where the `<title>` starts with that."""
    title = clean_text(soup.title.get_text(" ", strip=True)) if soup.title else ""
    h1 = soup.find("h1")
    heading = clean_text(h1.get_text(" ", strip=True)) if h1 else ""
    if heading and title.startswith(heading) and _SITE_SUFFIX.fullmatch(title[len(heading) :]):
        return heading
    return title


def fragment_blocks(markup: str) -> list[Block]:
    """A fragment of HTML (a Markdown file's HTML block) as blocks, read as a page's body is: what a browser
    shows of it, its comments, scripts and forms left out, a table's rows under its header."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.select(_HTML_DROP):
        tag.decompose()
    return body_blocks(soup)


def body_blocks(soup: BeautifulSoup, headed: bool = False) -> list[Block]:
    """The blocks of a page's main content (its footnotes and chrome already taken out); with `headed`, every
    table's first row is its header, marked or not (as a PDF's is)."""
    root = soup.find("main") or soup.find("article") or soup.find(id="content") or soup.body or soup
    reader = _Reader(headed)
    blocks = reader.read(root)
    if not reader.marked:  # no block markup at all: laid out as plain text is
        return blocks_from_lines(clean_text(root.get_text("\n")).split("\n"), None)
    return blocks


class _Reader:
    """Reads a page's blocks in document order, in one pass over its elements: each block element (a paragraph,
    heading, list item, table row) as a block, and text that stands outside any of them, between two (a `<div>`'s
    own text before its first `<p>`, a `<span>` under a heading) as a paragraph of its own, as a browser shows it:
    no text of the page is left unread."""

    def __init__(self, headed: bool) -> None:
        self.headed = headed
        self.blocks: list[Block] = []
        self.marked = 0  # blocks read from a block element (a paragraph, heading, item, row), not loose text
        self.loose: list[str] = []  # text outside any block element since the last block or container boundary
        self.tables: dict[int, int | None] = {}  # a table (by id) with a header row: its number among them
        self.cells_of: dict[int, list[Tag]] = {}  # a row's own cells (by the row's id), found once per row
        self.numbers: dict[int, dict[int, int]] = {}  # an ordered list's (by id) items: each one's place in it
        self.holds: dict[int, bool] = {}  # a cell (by id): whether it holds blocks of its own (`_whole`)
        self.within: dict[int, Tag | None] = {}  # an element (by id): the one read whole it is or stands in
        self.rows: dict[int, Tag | None] = {}  # an element (by id): the table row it is or stands in

    def read(self, root: Tag) -> list[Block]:
        from bs4 import NavigableString, Tag

        for node in root.descendants:
            if isinstance(node, Tag):
                if node.name in _BLOCK_NAMES:
                    self._flush()
                    self._element(node)
                elif node.name not in _INLINE:  # a container (`<div>`, `<section>`, a list) ends loose text
                    self._flush()
            elif type(node) is NavigableString and node.strip() and not self._within(node.parent):
                self.loose.append(node.strip())  # not a comment, nor text a block element reads
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        if line := _joined(" ".join(self.loose)):
            self.blocks.append(Block("para", line))
        self.loose.clear()

    def _element(self, element: Tag) -> None:
        row = self._row(element)
        if row is not None and len(own := self._cells(row)) > 1:
            outer = self._row(row.parent)
            if element is row and (outer is None or len(self._cells(outer)) < 2):  # else read with its cell or row
                line = " ".join(cell for cell in map(_line, own) if cell)
                if line:
                    table = _table_number(row, self.tables, self.headed)
                    self._add(Block("para", line, table=table))
            return
        if element.name == "tr" or not self._whole(element) or self._within(element.parent):
            return  # nested blocks are read with their parent; a cell that holds paragraphs, as its paragraphs
        if not (line := _line(element)):
            return
        if element.name[0] == "h" and element.name[1:].isdigit():
            self._add(Block("heading", line, level=int(element.name[1:])))
        else:
            self._add(Block("para", self._bullet(element) + line))

    def _whole(self, tag: Tag) -> bool:
        """Whether an element is read as one paragraph: a table's row, and any block element but a cell, quotation
        or description that holds paragraphs, headings or lists of its own, such as the one cell an old page lays
        its text out in (its headings open sections, its paragraphs stay apart)."""
        if tag.name == "tr":  # a table's row is read whole, its cells' text in order; a layout table's is not
            return len(self._cells(tag)) > 1
        if tag.name not in _HOLDERS:
            return tag.name in _HTML_BLOCKS
        if id(tag) not in self.holds:
            self.holds[id(tag)] = tag.find(_HELD) is not None
        return not self.holds[id(tag)]

    def _within(self, tag: Tag | None) -> bool:
        """Whether `tag` is, or stands inside, a block element read whole."""
        return self._nearest(tag, self._whole, self.within) is not None

    def _row(self, tag: Tag | None) -> Tag | None:
        """The table row `tag` is or stands in."""
        return self._nearest(tag, lambda t: t.name == "tr", self.rows)

    @staticmethod
    def _nearest(tag: Tag | None, test: Callable[[Tag], bool], known: dict[int, Tag | None]) -> Tag | None:
        """The nearest of `tag` and its ancestors that passes `test`, kept in `known` for every element climbed
        past: the page is read in document order, so a page nested 10,000 deep is not climbed again for each
        element (as bs4's `find_parent` would)."""
        path = []
        while tag is not None and id(tag) not in known and not test(tag):
            path.append(tag)
            tag = tag.parent
        found = known[id(tag)] if tag is not None and id(tag) in known else tag
        for step in path:
            known[id(step)] = found
        return found

    def _add(self, block: Block) -> None:
        self.blocks.append(block)
        self.marked += 1

    def _cells(self, row: Tag) -> list[Tag]:
        if id(row) not in self.cells_of:
            self.cells_of[id(row)] = _cells(row)
        return self.cells_of[id(row)]

    def _bullet(self, item: Tag) -> str:
        """A list item's bullet or number as a browser shows it ("• ", "3. "): a sentence that announces a list
        ("De nota maakt drie afspraken:") takes along the items that follow it, known by their bullets, as in a
        PDF's text. An ordered list's items are counted once, not again for each of them."""
        if item.name != "li" or (parent := item.find_parent(["ul", "ol"])) is None:
            return ""
        if parent.name == "ul":
            return "• "
        if id(parent) not in self.numbers:
            own = (li for li in parent.find_all("li") if li.find_parent(["ul", "ol"]) is parent)
            self.numbers[id(parent)] = {id(li): place for place, li in enumerate(own)}
        start = str(parent.get("start", "1"))
        return f"{(int(start) if start.isdigit() else 1) + self.numbers[id(parent)][id(item)]}. "


def _line(element: Tag) -> str:
    """An element's text on one line, without the space markup leaves before punctuation."""
    return _joined(element.get_text(" ", strip=True))


def _joined(text: str) -> str:
    """Text on one line, without the space markup leaves before punctuation."""
    return re.sub(r"\s+([,.;:!?)»])", r"\1", " ".join(clean_text(text).split()))


def _cells(row: Tag) -> list[Tag]:
    """A table row's own cells (not those of a table inside one of them)."""
    return [cell for cell in row.find_all(["td", "th"]) if cell.find_parent("tr") is row]


def _table_number(row: Tag, tables: dict[int, int | None], headed: bool = False) -> int | None:
    """The number of the table `row` stands in, among the tables read so far that open with a header row (in
    `<thead>`, or all `<th>`, or any first row if `headed`); None for a table without one, whose first row holds
    figures like the others."""
    table = row.find_parent("table")
    if table is None:
        return None
    if id(table) not in tables:
        first = next((r for r in table.find_all("tr") if r.find_parent("table") is table), row)
        header = headed or first.find_parent("thead") is not None or all(c.name == "th" for c in _cells(first))
        tables[id(table)] = sum(n is not None for n in tables.values()) if header else None
    return tables[id(table)]
