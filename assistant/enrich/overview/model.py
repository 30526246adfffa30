"""The onboarding view as data: cited quotes, section summaries, glossary entries, timeline events and actors,
per document (stored at ingest) and for the whole corpus (combined at read time)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assistant.types import Span


class SectionSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: list[str] = Field(description="Heading path; for a document without headings, the page range.")
    pages: list[int]
    summary: list[Span]
    condensed: str | None = Field(None, description="The summary in one sentence by a model, only where it "
                                  "verified against the quotes (`assistant overview --condense`).")
    condensed_by: str | None = Field(None, description="The model that wrote `condensed`.")


class DocumentMap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    identifier: str | None = None
    date: str | None = None
    kind: str = "document"
    by_pages: bool = Field(False, description="True when the document has no headings and is mapped by pages.")
    sections: list[SectionSummary]


class GlossaryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str
    kind: str = Field(description="`abbreviation` or `term`.")
    expansion: str | None = Field(None, description="What it stands for or means, as the document writes it.")
    source: str = Field("document", description="`document`, or `curated` when no document writes it out.")
    defined_at: list[Span] = Field(default_factory=list)
    used_at: list[Span] = Field(default_factory=list, description="First places it is used.")
    conflict: bool = Field(False, description="Defined differently elsewhere in the corpus.")


class TimelineEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    when: str = Field(description="YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn, YYYY-Hn, or a period: YYYY/YYYY, "
                      "YYYY-MM/YYYY-MM or YYYY-MM-DD/YYYY-MM-DD.")
    precision: str = Field(description="day, month, year, period, quarter or half.")
    as_written: str
    resolved: bool = Field(False, description="Resolved from a relative time against the document's date.")
    status: str = Field(description="`past`, `ongoing`, `planned` or `target`, from the date and the wording.")
    cited: Span
    current: bool = Field(True, description="False when read from a document that is no longer current (a "
                          "newer version replaces it, or it was withdrawn): what it dates may have changed.")


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str = Field(description="`organisation`, `office` or `member` (of parliament).")
    pages: list[int] = Field(default_factory=list)
    roles: list[Span] = Field(default_factory=list, description="Sentences that say what it does.")


class DocumentOverview(BaseModel):
    """What one document contributes to the overview; stored at ingest."""

    model_config = ConfigDict(extra="forbid")

    map: DocumentMap
    glossary: list[GlossaryEntry]
    timeline: list[TimelineEvent]
    actors: list[Actor]


class Overview(BaseModel):
    """The whole onboarding view of the corpus."""

    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentMap]
    glossary: list[GlossaryEntry]
    timeline: list[TimelineEvent]
    actors: list[Actor]
    outdated: list[str] = Field(default_factory=list, description="Documents left out: their part was made by an "
                                "earlier version of the assistant, and `assistant ingest` makes it again.")
