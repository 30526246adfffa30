"""What every loader produces: a `Rendering` of headings and paragraphs, and what the text says about itself.

The blocks' text is already cleaned the way citations need it, so `documents` can merge renderings of one
document and `chunking` never sees layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.text.dates import MONTHS
from assistant.types import Footnote

_DATE_NL = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.I)


@dataclass
class Block:
    """A heading or paragraph; `breaks` lists (offset in text, page) where a new page begins inside it."""

    kind: str  # "heading" | "para"
    text: str
    page: int | None = None
    breaks: list[tuple[int, int]] = field(default_factory=list)
    level: int | None = None  # from markup (HTML h1-h6, Markdown #); None means infer from the text
    table: int | None = None  # a table's row: which table of the rendering (its first row is the header)


@dataclass
class Rendering:
    """One file's text as blocks, plus what the file itself says about the document."""

    path: Path
    format: str
    blocks: list[Block]
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    paged: bool = False
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def plain(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


def find_date(text: str) -> str | None:
    """The first Dutch long-form date ("7 juli 2023") in `text`, as ISO."""
    m = _DATE_NL.search(text)
    if not m:
        return None
    return f"{int(m.group(3)):04d}-{MONTHS.index(m.group(2).lower()) + 1:02d}-{int(m.group(1)):02d}"


def text_metadata(rendering: Rendering) -> None:
    """Title (first heading) and date (first Dutch date) from the text, where the file gave none."""
    heading = next((b.text for b in rendering.blocks if b.kind == "heading"), None)
    if heading:
        rendering.metadata.setdefault("title", heading)
    date = find_date(rendering.plain[:3000])
    if date:
        rendering.metadata.setdefault("date", date)
