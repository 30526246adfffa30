"""Answer texts and their citations: quoted evidence with markers, what a document says about itself, what the
documents cite, what a term means, and the abstention."""

from __future__ import annotations

import re

from assistant.answer.evidence import Evidence
from assistant.enrich import colophon
from assistant.enrich.overview import GlossaryEntry
from assistant.enrich.refs import Reference
from assistant.index import Index
from assistant.text.dates import MONTHS, MONTHS_EN
from assistant.types import Citation, ReferenceLink, Span


def citation(index: Index, n: int, ev: Evidence) -> Citation:
    meta = index.meta(ev.span.doc_id)
    return Citation(n=n, **ev.span.model_dump(), title=meta.title, identifier=meta.identifier,
                    chunk_id=ev.chunk.chunk_id, url=meta.url, status=meta.status)


def place_citation(index: Index, n: int, place: Span) -> Citation:
    """A citation of a place the registry or the glossary points to: its footnote's text or its sentence."""
    meta = index.meta(place.doc_id)
    chunks = [c for c in index.chunks if c.doc_id == place.doc_id]
    if place.footnote is not None:
        chunk = next(c for c in chunks if any(f.number == place.footnote for f in c.footnotes))
        start = end = chunk.start
    else:
        chunk = next((c for c in chunks if c.start <= (place.start or 0) < c.end), chunks[0])
        start, end = place.start or chunk.start, place.end or chunk.end
    return Citation(
        n=n, doc_id=meta.doc_id, title=meta.title, identifier=meta.identifier, page=place.page,
        section=place.section, quote=place.quote,
        chunk_id=chunk.chunk_id, url=meta.url, start=start, end=end,
        footnote=place.footnote, status=meta.status,
    )

def references_in(index: Index, citations: list[Citation]) -> list[ReferenceLink]:
    """The references the cited passages cite, so every answer that mentions one shows its identifier and
    link."""
    links: dict[str, ReferenceLink] = {}
    for ref in index.references():
        for c in citations:
            if any(p.doc_id == c.doc_id and (p.footnote == c.footnote if c.footnote is not None
                                             else p.footnote is None and p.start is not None
                                             and p.start < c.end and c.start < (p.end or p.start))
                   for p in ref.places):
                links[ref.id] = ReferenceLink(id=ref.id, kind=ref.kind, title=ref.title,
                                              identifier=ref.identifier, url=ref.url, in_corpus=ref.in_corpus)
    return list(links.values())


def marked(sentence: str, marks: str) -> str:
    """A sentence with its markers before its closing punctuation, as the model is asked to write them."""
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, ".")
    return f"{body} {marks}{end}"


def quoted(citations: list[Citation], language: str) -> str:
    """The answer text: each quoted sentence followed by its marker (English answers say the source is Dutch)."""
    quotes = [(" ".join(c.quote.split()), c.n) for c in citations]
    if language == "en":
        return "The documents say (quoted in Dutch): " + " ".join(f"“{q}” [{n}]" for q, n in quotes)
    return " ".join(f"{q} [{n}]" for q, n in quotes)


def abstention(language: str) -> str:
    if language == "en":
        return "The documents do not answer this question."
    return "De documenten geven geen antwoord op deze vraag."


def _date_words(date: str | None, language: str) -> str:
    """An ISO date as the documents write it ("4 november 2022") or in English."""
    if not date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return date or ""
    year, month, day = (int(x) for x in date.split("-"))
    return f"{day} {(MONTHS_EN if language == 'en' else MONTHS)[month - 1]} {year}"


def definitions(defined: list[tuple[GlossaryEntry, Citation]], language: str) -> str:
    """An abbreviation's expansion as the document writes it, or the sentence that defines a term, cited."""
    sentences = []
    for entry, c in defined:
        if entry.kind == "abbreviation":
            says = " stands for " if language == "en" else " staat voor "
            sentences.append(f"{entry.term}{says}{entry.expansion} [{c.n}].")
        else:
            sentences.append(f"{' '.join(c.quote.split())} [{c.n}]")
    if language == "en" and any(e.kind == "term" for e, _ in defined):
        return "The documents say (quoted in Dutch): " + " ".join(sentences)
    return " ".join(sentences)


_ABOUT = {
    "nl": {"signer": "Ondertekend door: ", "sender": "Afzender: ", "addressee": "Gericht aan: ",
           "date": "Gedateerd: ", "identifier": "Vindplaats: "},
    "en": {"signer": "Signed by: ", "sender": "Sent by: ", "addressee": "Addressed to: ", "date": "Dated: ",
           "identifier": "Published as: "},
}


def about(facts: list[colophon.Fact], citations: list[Citation], language: str) -> str:
    """What the document says about itself, one labelled quote per fact (in English the quote stays Dutch)."""
    english = language == "en"
    labels = _ABOUT["en" if english else "nl"]
    quotes = [(" ".join(c.quote.split()), c.n) for c in citations]
    return " ".join(f"{labels[f.kind]}{f'“{q}”' if english else q} [{n}]."
                    for f, (q, n) in zip(facts, quotes, strict=True))


def references(cited: list[tuple[Reference, Citation]], language: str) -> str:
    """One sentence per reference: what it is called, its identifier and date, with the place that cites it.
    A reference without an identifier is answered with the citing words themselves."""
    sentences = []
    for ref, c in cited:
        date = _date_words(ref.date, language)
        if ref.identifier and not ref.id.startswith("url-"):
            joiner = {"en": ", dated " if date else ""}.get(language, ", van " if date else "")
            subject = ref.title or ref.identifier
            motion = next((n for n in ref.names if re.match(r"(?:\w+\s+)?motie\b", n, re.I)), None)
            if ref.kind == "motie" and motion:
                subject = motion if motion == subject else f"{motion} over ‘{subject}’"
            sentences.append(f"{subject[0].upper()}{subject[1:]} is {ref.identifier}{joiner}{date} [{c.n}].")
        else:
            quote = " ".join(c.quote.split())
            sentences.append(f"“{quote}” [{c.n}]" if language == "en" else f"{quote} [{c.n}]")
    lead = "The documents cite (titles in Dutch): " if language == "en" else ""
    return lead + " ".join(sentences)
