"""What every loader produces: a `Rendering` of headings and paragraphs, and what the text says about itself.

The blocks' text is already cleaned the way citations need it, so `documents` can merge renderings of one
document and `chunking` never sees layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.text import rules
from assistant.text.dates import MONTH_NAMES, month_number
from assistant.types import Footnote

_HEAD_CHARS = 1500  # where an official publication's head stands
_PLACEHOLDER_TITLE = rules.rule("publications", "placeholder-title")
_DATE = re.compile(rf"\b(\d{{1,2}})\s+({MONTH_NAMES})\s+(\d{{4}})\b", re.I)


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
    """The first long-form date, Dutch or English ("7 juli 2023", "8 October 2024"), in `text`, as ISO."""
    m = _DATE.search(text)
    if not m:
        return None
    return f"{int(m.group(3)):04d}-{month_number(m.group(2)):02d}-{int(m.group(1)):02d}"


def text_metadata(rendering: Rendering) -> None:
    """Title, identifier and kind from an official publication's head (`assistant/rules/publications.toml`),
    else the title from the first heading; the date from the first long-form date. What the file gave stays, but for
    a title that only names the program, template or file it was made as ("Microsoft Word - nota_v3.docx",
    "Document1": `publications.placeholder-title`)."""
    if _PLACEHOLDER_TITLE.search(rendering.metadata.get("title", "")):
        del rendering.metadata["title"]
    for key, value in official_head(rendering.plain[:_HEAD_CHARS]).items():
        rendering.metadata.setdefault(key, value)
    heading = next((b.text for b in rendering.blocks if b.kind == "heading"), None)
    if heading:
        rendering.metadata.setdefault("title", heading)
    date = find_date(rendering.plain[:3000])
    if date:
        rendering.metadata.setdefault("date", date)


def official_head(text: str) -> dict[str, str]:
    """What a Kamerstuk's or Staatscourant's head says it is: title, identifier, kind (none for other text).

    A title written in capitals ("MOTIE VAN HET LID BROUWER-KAYA C.S.") takes each word as the text writes it
    elsewhere ("Brouwer-Kaya"), else in lower case: "Motie van het lid Brouwer-Kaya c.s."."""
    if m := rules.rule("publications", "kamerstuk-head").search(text):
        chamber = "II" if m.group("chamber") == "Tweede" else "I"
        title = _cased(m.group("title").strip(), text)
        kinds = rules.table("publications", "kamerstuk-kinds")
        return {"title": title, "kind": kinds.get(m.group("title").split()[0].upper(), "Kamerstuk"),
                "identifier": f"Kamerstukken {chamber} {m.group('first')}/{m.group('second')}, "
                              f"{m.group('dossier')}, nr. {m.group('nr')}"}
    if m := rules.rule("publications", "staatscourant-head").search(text):
        return {"title": (m.group("short") or m.group("title")).strip(), "kind": "staatscourant",
                "identifier": f"Stcrt. {m.group('year')}, {m.group('nr')}"}
    return {}


def _cased(line: str, text: str) -> str:
    """`line` as a sentence, if written in capitals: each word in lower case, unless `text` only ever writes
    it capitalised (a name: "Brouwer-Kaya", "Binnenlandse Zaken")."""
    if not line.isupper():
        return line
    written: dict[str, str] = {}
    for m in re.finditer(r"[^\W\d][\w.’'-]*", text):
        word, before = m.group(), text[max(0, m.start() - 3) : m.start()].rstrip(" ")[-1:]
        if word.isupper() or (word[0].isupper() and before in {"", ".", "?", "!", ":", "\n"}):
            continue  # a sentence's first word says nothing of how the word is written
        if written.get(word.lower()) != word.lower():
            written[word.lower()] = word  # in lower case if ever so: "van", not the "Van" of "Van Dijkhuizen"
    words = [written.get(w.lower(), w.lower()) for w in line.split()]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])
