"""The values that cross stage boundaries: corpus -> Document -> Chunk -> Hit."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_CAPTION_LENGTH = 200  # a longer line before a table is a paragraph that introduces it, no caption
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def harmless(text: str) -> str:
    """`text` with control characters and direction overrides written as escapes, for messages that quote file
    names: a name cannot recolour the terminal, or show "\u202etxt.exe" as "exe.txt"."""
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


class AssistantError(Exception):
    """A failure the user can act on; the CLI prints its message without a traceback."""

    def __str__(self) -> str:
        return harmless(super().__str__())


@dataclass(frozen=True)
class Footnote:
    """A footnote's text and the printed page it stands on."""

    number: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class PageSpan:
    """Characters [start, end) of a document's clean text printed on page `number`."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class TableSpan:
    """A table of rows in a document's clean text: [start, end), the header row [start, header_end)."""

    start: int
    header_end: int
    end: int


@dataclass(frozen=True)
class Section:
    """A heading: its path from the top of the document and where its body starts in the clean text."""

    path: tuple[str, ...]
    start: int


@dataclass
class DocumentMeta:
    """What the manifest (or inference, see `inferred`) says about a document."""

    doc_id: str
    title: str
    kind: str = "document"
    date: str | None = None
    identifier: str | None = None
    url: str | None = None
    language: str = "nl"
    ministry: str | None = None
    status: str = "current"
    replaced_by: str | None = None
    files: list[str] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    """One document, however many renderings it came from, as a single clean text with its structure."""

    meta: DocumentMeta
    text: str
    pages: list[PageSpan]
    sections: list[Section]
    footnotes: dict[int, Footnote]
    markers: list[tuple[int, int]]  # (offset in text, footnote number)
    content_hash: str
    tables: list[TableSpan] = field(default_factory=list)

    def table_header(self, offset: int) -> str | None:
        """The header row of the table whose rows hold `offset`; None outside a table's rows."""
        return next((self.text[t.start : t.header_end] for t in self.tables if t.header_end < offset < t.end), None)

    def table_caption(self, offset: int) -> str:
        """The line the table whose rows hold `offset` stands under ("Tabel 4. Uitgaven … (miljoen euro)"): it says
        what the figures are, and in which unit. A table continued on a later page (its header repeated right
        after its last row) has its first part's caption. Empty outside a table's rows, or where none stands."""
        caption = ""
        previous: TableSpan | None = None
        for t in self.tables:
            continued = (previous is not None and not self.text[previous.end : t.start].strip()
                         and self.text[t.start : t.header_end] == self.text[previous.start : previous.header_end])
            if not continued:  # the last line before the table, found without copying the text before it
                end = t.start
                while end and self.text[end - 1].isspace():
                    end -= 1
                line = self.text[self.text.rfind("\n", 0, end) + 1 : end]
                caption = line if len(line) <= _CAPTION_LENGTH else ""
            if t.header_end < offset < t.end:
                return caption
            previous = t
        return ""

    def rows_beside(self, offset: int) -> list[str]:
        """The other rows of the table whose row holds `offset` (none outside a table's rows): the rows it is one
        of, told apart by their labels ("Inlogsessies met eHerkenning" beside "Unieke gebruikers van DigiD")."""
        table = next((t for t in self.tables if t.header_end < offset < t.end), None)
        if table is None:
            return []
        rows, at = [], table.header_end
        for row in self.text[table.header_end : table.end].split("\n\n"):  # a row is a block of its own
            if row.strip() and not at <= offset < at + len(row):
                rows.append(row.strip())
            at += len(row) + 2
        return rows

    def in_table_header(self, offset: int) -> bool:
        """Whether `offset` falls in a table's header row: the names of its columns, which say nothing alone."""
        return any(t.start <= offset < t.header_end for t in self.tables)

    def pages_between(self, start: int, end: int) -> tuple[int, ...]:
        """Printed page numbers that characters [start, end) fall on."""
        return tuple(p.number for p in self.pages if p.start < max(end, start + 1) and p.end > start)

    def section_at(self, offset: int) -> tuple[str, ...]:
        """Heading path in force at `offset`."""
        path: tuple[str, ...] = ()
        for section in self.sections:
            if section.start > offset:
                break
            path = section.path
        return path


@dataclass
class Chunk:
    """A retrievable passage with everything a citation needs."""

    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    section: tuple[str, ...]
    pages: tuple[int, ...]
    footnotes: tuple[Footnote, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        data = dict(data)
        data["section"] = tuple(data["section"])
        data["pages"] = tuple(data["pages"])
        data["footnotes"] = tuple(Footnote(**f) for f in data.get("footnotes", ()))
        return cls(**data)


class SearchHit(BaseModel):
    """One ranked passage as `search --json` prints it."""

    model_config = ConfigDict(extra="forbid")

    rank: int
    score: float = Field(description="Fused reciprocal-rank score; higher is better.")
    chunk_id: str
    doc_id: str
    title: str
    identifier: str | None
    section: list[str]
    pages: list[int]
    start: int = Field(description="Offset of the passage in the document's clean text.")
    end: int
    text: str
    footnotes: list[dict[str, Any]] = Field(default_factory=list)
    lexical_rank: int | None = None
    dense_rank: int | None = None


class Span(BaseModel):
    """A verbatim quote and where it stands. The one type every layer gives a quote's place in: an overview's
    summaries, definitions and dates, a reference's citing sentence (`enrich.refs.Place`, which adds the citation
    as written), an answer's citations (`Citation`, which adds its number and the document's title)."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    quote: str = Field(description="Verbatim words of the source.")
    page: int | None = Field(None, description="Printed page the quote starts on.")
    section: str = Field("", description="Section path, levels joined by ' › '.")
    footnote: int | None = Field(None, description="Footnote number when the quote is a footnote's text.")
    start: int | None = Field(None, description="Offset of the quote in the document's clean text.")
    end: int | None = None
    table_header: str | None = Field(
        None, description="For a table's row: the table's header row, which names the row's figures (copied from "
        "the index like the quote).",
    )

    def overlaps(self, other: Span) -> bool:
        """Whether two spans say the same: the same words, or running text of one document that overlaps (a
        footnote's span stands where its passage starts, so only its words tell)."""
        if self.quote == other.quote:
            return True
        if self.doc_id != other.doc_id or self.footnote is not None or other.footnote is not None:
            return False
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return False
        return self.start < other.end and other.start < self.end


class Citation(Span):
    """A numbered source of an answer: where the quote stands and the quote itself, copied from the index."""

    n: int = Field(description="The number the answer's [n] markers use.")
    title: str
    identifier: str | None = Field(None, description="Official identifier of the document.")
    chunk_id: str
    url: str | None = None
    start: int = Field(description="Offset of the quote in the document's clean text.")
    end: int
    status: str = Field("current", description="Document status; `replaced`/`withdrawn` deserve a warning.")
    language: str = Field(
        "nl", description="Language of the quote ('nl' or 'en'): its own words', or else its document's."
    )


class ReferenceLink(BaseModel):
    """A document the cited passages refer to (see `assistant refs`), so a reader can look it up."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Registry id, e.g. kst-26643-940.")
    kind: str
    title: str | None = None
    identifier: str | None = Field(None, description="Official identifier, e.g. Kamerstuk 26 643, nr. 940.")
    url: str | None = Field(None, description="Where the official publication is.")
    in_corpus: str | None = Field(None, description="Corpus document id when it is in the corpus.")


class Answer(BaseModel):
    """What `ask --json` prints: the contract other tools rely on."""

    model_config = ConfigDict(extra="forbid")

    question: str
    answer: str = Field(description="Text with [n] markers that resolve to `citations`.")
    abstained: bool = Field(description="True when the documents do not answer the question.")
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="Closest passages shown when abstaining.")
    backend: str
    model: str | None = None
    language: str = "nl"
    notices: list[str] = Field(default_factory=list, description="E.g. that a long question was truncated.")
    fallback: str | None = Field(
        None, description="Why the model's answer was replaced by the quoted evidence, when it was."
    )
    references: list[ReferenceLink] = Field(
        default_factory=list, description="Documents the cited passages refer to, with identifier and link."
    )
    timings: dict[str, float] = Field(default_factory=dict, description="retrieve_ms, generate_ms, total_ms.")
