"""The onboarding view: for each document a map of its sections with cited summaries, and across the corpus a
glossary of the abbreviations and terms the documents define, a timeline of their dated events and
commitments, and who is who.

Every line carries a verbatim quote and its place, like an answer. Nothing comes from a model's memory: the
only text not from the documents is the curated list of abbreviations (`assistant/abbreviations.toml`) that
documents use without writing out, and it is marked as such.

How each part is made (per document, at ingest, stored as `docs/<id>.overview.json` next to the document):

- **Map**: the section tree from the headings; each section's summary is its one or two most central
  sentences (closest in meaning to the section as a whole, by the sentence embeddings computed at ingest,
  with a small preference for early sentences), quoted. A document without headings is mapped by pages.
- **Glossary**: "Basis Data Infrastructuur (BDI)": a bracketed abbreviation whose letters occur, in order, in
  the words before it (the first letter starting the first word, at least four in five letters matched), in
  the spirit of Schwartz and Hearst (2003). "provincies (IPO)" is not a definition. Abbreviations used but
  never written out are listed as such. Terms the text defines ("Hierbij moet digitaal kapitaal worden
  gezien als ...", "De Staat van de Uitvoering is een periodieke publicatie ...") come with their sentence.
- **Timeline**: dates ("7 juli 2023"), days without a year ("14 juni jongstleden"), months, years with a
  preposition ("vóór 2030", "in 2040"), periods ("2022–2028") and relative times ("eind dit jaar", "begin
  volgend jaar"), resolved against the document's date where the text allows and marked as resolved.
- **Who is who**: organisations (names with an organisation noun: Ministerie, Raad, Autoriteit, Hogeschool,
  Netwerk, Coalitie, ...; or an abbreviation that stands for one) and office holders ("de staatssecretaris
  van BZK"), with the sentences that give them a role.

The parts are made in `sections`, `glossary`, `timeline` and `actors`, from the models in `model` and the
quotes of `quotes`; this module assembles one document's part and combines the parts into the corpus view.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np

from assistant.enrich.overview.actors import actors_of, listed, names_organisation
from assistant.enrich.overview.glossary import curated_expansions, expansions, glossary_entries
from assistant.enrich.overview.model import (
    Actor,
    DocumentMap,
    DocumentOverview,
    GlossaryEntry,
    Overview,
    SectionSummary,
    Span,
    TimelineEvent,
)
from assistant.enrich.overview.quotes import place
from assistant.enrich.overview.sections import document_map
from assistant.enrich.overview.timeline import TIME_EXPRESSION, timeline_events
from assistant.types import Document, DocumentMeta

__all__ = [
    "TIME_EXPRESSION",
    "Actor",
    "DocumentMap",
    "DocumentOverview",
    "GlossaryEntry",
    "Overview",
    "SectionSummary",
    "Span",
    "TimelineEvent",
    "combine",
    "describe",
    "expansions",
    "names_organisation",
    "place",
]

# Stored per document with a version: bump `overview` in `assistant/index/versions.py` when how any part is
# made changes, and the next ingest makes it again.
def describe(doc: Document, vectors: dict[int, np.ndarray]) -> DocumentOverview:
    """Everything one document contributes to the overview; `vectors` (its sentence embeddings by start
    offset, made at ingest) choose the summaries."""
    glossary = glossary_entries(doc)
    return DocumentOverview(map=document_map(doc, vectors), glossary=glossary, timeline=timeline_events(doc),
                            actors=actors_of(doc, glossary))


def _meaning(expansion: str) -> str:
    return " ".join(re.sub(r"\d{4}(?:\s?[–-]\s?\d{2,4})?|[–—-]", " ", expansion).lower().split())


def combine(parts: dict[str, DocumentOverview], metas: dict[str, DocumentMeta],
            outdated: Collection[str] = ()) -> Overview:
    """The corpus overview from each document's part: a term defined in one document is not "undefined" in
    another, and one abbreviation defined two ways is shown both ways, marked as a conflict; an event read from
    a document that is no longer current is marked so (two versions of a plan date different figures).
    `outdated` names the documents whose part is missing."""
    glossary: dict[tuple[str, str], GlossaryEntry] = {}
    for doc_id in sorted(parts):
        for e in parts[doc_id].glossary:
            key = (e.term, (e.expansion or "").lower() if e.defined_at or e.kind == "term" else "?")
            if key in glossary:
                glossary[key].defined_at += e.defined_at
                glossary[key].used_at += e.used_at[: max(0, 3 - len(glossary[key].used_at))]
                if e.source == "curated" and e.expansion != glossary[key].expansion:  # used in both languages
                    glossary[key].expansion = curated_expansions().get(e.term)
            else:
                glossary[key] = e.model_copy(deep=True)
    defined = {term for term, exp in glossary if exp != "?"}
    merged = [e for (term, exp), e in glossary.items() if exp != "?" or term not in defined]
    meanings: dict[str, set[str]] = {}
    for e in merged:
        if e.kind == "abbreviation" and e.defined_at:
            meanings.setdefault(e.term, set()).add(_meaning(e.expansion or ""))
    for e in merged:  # "NLCS" with and without "2022–2028" is one meaning; BDI written out two ways is not
        e.conflict = len(meanings.get(e.term, ())) > 1 and bool(e.defined_at)
    old = {d for d in parts if d in metas and metas[d].status != "current"}
    actors: dict[str, Actor] = {}
    for doc_id in sorted(parts, key=lambda d: (d in old, d)):  # what is said of them now first, as it stands now
        for a in parts[doc_id].actors:
            key = a.name.lower()  # "Staatssecretaris van …" opening a signature is the "staatssecretaris van …"
            if key in actors:
                actors[key].roles += a.roles[: max(0, 3 - len(actors[key].roles))]
                actors[key].aliases = sorted(set(actors[key].aliases) | set(a.aliases))
            else:
                actors[key] = a.model_copy(deep=True)
    for key in list(actors):  # "Tweede Kamer" is the "Tweede Kamer der Staten-Generaal" another names in full
        full = next((k for k in actors if k.startswith(f"{key} der ") and actors[k].kind == actors[key].kind), None)
        if full and " " in key:
            short = actors.pop(key)
            actors[full].aliases = sorted({*actors[full].aliases, short.name, *short.aliases})
            actors[full].roles += short.roles[: max(0, 3 - len(actors[full].roles))]
    order = sorted(parts, key=lambda d: (metas[d].date or "", d) if d in metas else ("", d))
    return Overview(
        documents=[parts[d].map for d in order],
        glossary=sorted(merged, key=lambda e: (e.term.lower(), e.expansion or "")),
        timeline=sorted((t.model_copy(update={"current": False}) if d in old else t
                         for d in order for t in parts[d].timeline), key=lambda t: (t.when, t.cited.doc_id)),
        actors=sorted(actors.values(), key=listed),
        outdated=sorted(outdated),
    )
