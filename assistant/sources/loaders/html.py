"""A web page's article into blocks: navigation and page chrome dropped, footnotes lifted, metadata kept.

Headings keep the level their markup gives; a page without block markup falls back to its text, laid out as
plain text is.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.sources.loaders.decoding import clean_text
from assistant.sources.loaders.lines import blocks_from_lines
from assistant.sources.loaders.rendering import Block, Rendering, text_metadata
from assistant.types import AssistantError, Footnote

_HTML_DROP = (
    "script, style, nav, header, footer, aside, form, noscript, template, iframe, svg, button, [role=navigation]"
)
_HTML_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dd", "dt", "td", "th", "pre", "blockquote"]


def load_html(path: Path, text: str) -> Rendering:
    """An HTML page's main content as blocks, with the title, date and identifier its head gives."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml refuses some pathological documents
        raise AssistantError(f"{path.name}: unparseable HTML ({exc})") from exc
    metadata: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        metadata["title"] = clean_text(soup.title.get_text(" ", strip=True))
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        content = (meta.get("content") or "").strip()
        if name in {"dcterms.issued", "dc.date", "dcterms.created", "date", "article:published_time"} and content:
            metadata.setdefault("date", content[:10])
        if name in {"dcterms.identifier", "dc.identifier"} and content:
            metadata.setdefault("identifier", content)
    for tag in soup.select(_HTML_DROP):
        tag.decompose()
    footnotes: dict[int, Footnote] = {}
    for note in soup.select("[class*=voetnoot], [class*=footnote], [id^=fn], [class*=noot]"):
        m = re.match(r"^\s*(\d{1,3})[.)]?\s+(.+)$", clean_text(note.get_text(" ", strip=True)), re.S)
        if m:
            footnotes.setdefault(int(m.group(1)), Footnote(int(m.group(1)), " ".join(m.group(2).split())))
            note.decompose()
    root = soup.find("main") or soup.find("article") or soup.find(id="content") or soup.body or soup
    blocks: list[Block] = []
    for element in root.find_all(_HTML_BLOCKS):
        if element.find_parent(_HTML_BLOCKS) is not None:
            continue  # nested blocks are read with their parent
        line = " ".join(clean_text(element.get_text(" ", strip=True)).split())
        line = re.sub(r"\s+([,.;:!?)»])", r"\1", line)
        if not line:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            blocks.append(Block("heading", line, level=int(element.name[1:])))
        else:
            blocks.append(Block("para", line))
    if not blocks:
        lines = clean_text(root.get_text("\n")).split("\n")
        blocks = blocks_from_lines(lines, None)
    rendering = Rendering(path, "html", blocks, footnotes, metadata=metadata)
    text_metadata(rendering)
    return rendering
