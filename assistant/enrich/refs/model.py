"""The reference registry as data: where a reference is cited, one citation as found in one document, and a
cited document with all its spellings and places."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from assistant.types import Span

KINDS = ("kamerstuk", "motie", "staatscourant", "staatsblad", "rapport", "beleidsstuk", "eu", "publicatie", "url")


class Place(Span):
    """Where a reference is cited: a footnote's text or a sentence of the running text (`quote`, stored and
    shown as `sentence`), with the citation as the document writes it."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    quote: str = Field(alias="sentence", description="The citing sentence (or footnote text), verbatim.")
    as_written: str = Field(description="The citation exactly as the document writes it.")


class Mention(BaseModel):
    """One citation found in one document, before merging."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: str
    title: str | None = None
    date: str | None = None
    identifier: str | None = None
    url: str | None = None
    names: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    place: Place


class Reference(BaseModel):
    """A cited document, once, however many spellings and places it has."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Canonical id, e.g. kst-26643-940, stcrt-2022-35231, wrr-105.")
    kind: str
    title: str | None = Field(None, description="Title as cited.")
    date: str | None = Field(None, description="ISO date of the cited document where the text gives it.")
    identifier: str | None = Field(None, description="Official identifier in a standard spelling.")
    url: str | None = Field(None, description="Where the official publication is.")
    names: list[str] = Field(default_factory=list, description="Every spelling the documents use.")
    flags: list[str] = Field(default_factory=list, description="Problems in how it is cited, e.g. `year`.")
    in_corpus: str | None = Field(None, description="Id of the corpus document that is this reference.")
    places: list[Place] = Field(default_factory=list)

    @property
    def missing_hint(self) -> str:
        """The command that adds a cited document that is not in the corpus."""
        if self.in_corpus:
            return ""
        if re.match(r"(?:kst|stcrt|stb)-", self.id) and "partial" not in self.flags:
            return f"assistant corpus add {self.id}"
        title = (self.title or (self.names[0] if self.names else self.id)).replace('"', "'")
        return f'assistant corpus add FILE --id {self.id} --title "{title}"' + (
            f" --date {self.date}" if self.date else "")
