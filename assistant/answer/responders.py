"""Responders: each way of answering proposes a draft, or nothing when it does not apply.

A question about the document itself is answered from its header and signature, one about what the documents
cite from the reference registry, one about what a term means from the documents' own definitions: each quoted
from where the document says it. Any question is also answered from the evidence sentences retrieval found.

Every draft carries a score on one scale: the (idf-weighted) share of the question's terms it accounts for, so
that a lookup triggered by a few words ("datum", "brief") does not take a question whose subject it leaves
out ("Op welke datum stemde het Europees Parlement in met de AI Act, volgens de brief?"). The answerer takes the
best draft, the first in its list of responders among equals; a new way of answering is a class with a
`propose` method added there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from assistant.answer import compose
from assistant.answer.chosen import Evidence
from assistant.answer.evidence import FUNCTION_STEMS_EN, Scorer, Term
from assistant.answer.questions import (
    ABOUT_CONTENT,
    PLURAL,
    QUESTION_WORDS,
    REFERENCE_NOUNS,
    REFERENCE_QUESTION,
    asked_subject,
    asked_term,
    asks_inventory,
    has_asked_type,
)
from assistant.enrich import colophon
from assistant.enrich.overview import GlossaryEntry
from assistant.enrich.refs import Place, Reference
from assistant.index import Index
from assistant.retrieve import Filters, Hit
from assistant.text.sentences import sentence_units
from assistant.text.tokens import lexical_tokens
from assistant.types import Chunk, Citation, Document, Span

_MAX_REFERENCES = 8
_MAX_PARTS = 12  # headings that name a document's parts: as many levels of them as fit
_SAYS = 2  # sentences that say what a document is about
_MAX_DOCUMENTS = 12  # listed when asked which documents there are; the others are counted


@dataclass
class Asked:
    """A question as the responders see it: made to stand on its own, with what retrieval found for it."""

    question: str
    language: str
    hits: list[Hit]
    candidates: list[Evidence]
    filters: Filters | None = None
    bridges: dict[str, list[str]] = field(default_factory=dict)  # the documents' words searched for its words
    context: str = ""  # the earlier question a follow-up leans on, searched with it


@dataclass
class Draft:
    """What a responder proposes: an answer already written from a lookup (`text` with its `citations`), or the
    evidence sentences an answer is to be written from (`evidence`, best first)."""

    responder: str
    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 1.0  # the share of the question the draft accounts for


def holds_asked(question: str, draft: Draft) -> bool:
    """Whether a draft gives the kind of thing the question asks for where it asks for one (a time, a count, an
    amount: `has_asked_type`), whichever responder wrote it. A lookup found by the question's subject does not
    answer when it is asked: "Wanneer is het algoritmeregister gepubliceerd?" names a register the documents cite,
    and its web address gives no date. Evidence is chosen holding it (`Scorer.choose`)."""
    return bool(draft.evidence) or has_asked_type(question, [draft.text])


class Responder(Protocol):
    """One way of answering."""

    name: str

    def propose(self, asked: Asked) -> Draft | None:
        """A draft answer to `asked`, or None when this way of answering does not apply to it."""
        ...


class OverTheIndex:
    """A responder that reads the index through the evidence scorer (documents, registry, glossary, coverage)."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer

    def _in_scope(self, filters: Filters | None) -> list[str]:
        """The documents a question can mean without naming one: those it is filtered to, else the current ones
        the index holds."""
        index = self.scorer.index
        if filters and filters.doc_ids:
            return [d for d in filters.doc_ids if d in index.documents]
        return [d for d in index.documents if index.meta(d).status == "current"]


class AboutDocument(OverTheIndex):
    """Who signed the document, its number, date, addressee: what the best retrieved document says of itself."""

    name = "about-document"

    def propose(self, asked: Asked) -> Draft | None:
        if (colophon.stands_for_document(asked.question) and colophon.asked(asked.question, called=True)
                and not asked.context and len(scope := self._in_scope(asked.filters)) > 1):
            # "Wie heeft dit geschreven?" over several documents, and no earlier question says which: ask which
            return Draft(self.name, compose.which_document(len(scope), asked.language))
        facts = self.facts(asked.question, asked.hits, asked.bridges, asked.filters, bool(asked.context))
        if not facts:
            return None
        citations = [compose.place_citation(self.scorer.index, n, fact.cited) for n, fact in enumerate(facts, 1)]
        # the words that name the document ("deze brief over de digitale overheid", "de nota": its title and kind)
        # are accounted for by it too
        meta = self.scorer.index.meta(facts[0].cited.doc_id)
        said = [colophon.asking_words(asked.question, fact.kind) for fact in facts] + [
            f.cited.quote for f in facts] + [meta.title, meta.identifier or "", meta.kind]
        return Draft(self.name, compose.about(facts, citations, asked.language), citations,
                     score=self.scorer.accounted(asked.question, " ".join(said), asked.bridges))

    def facts(self, question: str, hits: list[Hit], bridges: dict[str, list[str]] | None = None,
              filters: Filters | None = None, follows: bool = False) -> list[colophon.Fact]:
        """For a question about the document itself (who signed it, its number, date, addressee), what the
        retrieved document it names by its title ("de brief over de agenda coalities"), else the best retrieved
        one, says of that about itself; empty for any other question. A question that names it by a pronoun
        alone ("Wie heeft dit geschreven?") means the one document in scope (`--doc`, or the only one held), or,
        when it `follows` an earlier question it was searched with, the best retrieved one."""
        if not hits:
            return []
        retrieved = [self.scorer.document(d) for d in dict.fromkeys(h.chunk.doc_id for h in hits)]
        scope = self._in_scope(filters) if colophon.stands_for_document(question) else []
        only = (self.scorer.document(scope[0]) if len(scope) == 1
                else retrieved[0] if scope and follows else None)
        called = only or next((d for d in retrieved if colophon.called_in(question, d)), None)
        doc = called or next((d for d in retrieved if colophon.names(question, d.meta.title, bridges or {})),
                             retrieved[0])
        kind = colophon.asked(question, doc.meta.title, bridges, called=called is not None)
        if kind is None:
            return []
        facts = colophon.facts(doc)
        signed = any(f.kind == "signer" for f in facts)
        # who wrote it: its sender and who signed; a publication that is no letter names who issued it instead,
        # which is also all it says of who signed it ("Wie heeft de nota ondertekend?")
        wanted = {"sender": {"sender", "signer", "issuer"}, "signer": {"signer"} if signed else {"issuer"}}.get(
            kind, {kind})
        return [f for f in facts if f.kind in wanted]

class Subject(OverTheIndex):
    """What a document is about ("Waar gaat deze brief over?", "Summarise the report"): where it says so itself,
    and its parts. One sentence that shares a word with the question is no answer to it."""

    name = "subject"

    def propose(self, asked: Asked) -> Draft | None:
        subject = asked_subject(asked.question)
        scope = self._in_scope(asked.filters) if subject and colophon.stands_for_document(subject) else []
        if len(scope) > 1 and not asked.context:  # "Waar gaat het over?" over several documents: ask which
            return Draft(self.name, compose.which_document(len(scope), asked.language))
        doc = self.scorer.document(scope[0]) if len(scope) == 1 else self.named(asked)
        if doc is None:
            return None
        index = self.scorer.index
        spans = _said_about(index, doc)
        if not spans:
            return None
        citations = [compose.place_citation(index, n, span) for n, span in enumerate(spans, 1)]
        parts = _parts(doc)
        return Draft(self.name, compose.subject(doc.meta, citations, parts, asked.language), citations)

    def named(self, asked: Asked) -> Document | None:
        """The document a question asks the subject of: the first retrieved one its words name ("deze brief",
        "het rapport", "the EPSIF paper"), else any indexed one; None for a question about anything else ("Waar
        gaat het implementatiekader over?")."""
        subject = asked_subject(asked.question)
        if subject is None:
            return None
        allowed = asked.filters.doc_ids if asked.filters and asked.filters.doc_ids else None
        order = [*dict.fromkeys(h.chunk.doc_id for h in asked.hits), *self.scorer.index.documents]
        for doc_id in dict.fromkeys(order):
            doc = self.scorer.document(doc_id)
            if (allowed is None or doc_id in allowed) and colophon.names_document(subject, doc):
                return doc
        return None


class Inventory(OverTheIndex):
    """Which documents the assistant holds ("Welke documenten zijn er?", "What can I ask about?"): each with its
    identifier and date and what it says it is about, quoted."""

    name = "inventory"

    def propose(self, asked: Asked) -> Draft | None:
        if not asks_inventory(asked.question):
            return None
        index = self.scorer.index
        allowed = asked.filters.doc_ids if asked.filters and asked.filters.doc_ids else None
        held = [d for d in index.documents if allowed is None or d in allowed]
        shown = []
        for doc in (self.scorer.document(doc_id) for doc_id in held[:_MAX_DOCUMENTS]):
            said = _said_about(index, doc)[:1]
            shown += [(doc.meta, said[0])] if said else []
        if not shown:
            return None
        listed = [(meta, compose.place_citation(index, n, span)) for n, (meta, span) in enumerate(shown, 1)]
        return Draft(self.name, compose.inventory(listed, len(held) - len(shown), asked.language),
                     [c for _, c in listed])


class Registry(OverTheIndex):
    """Which Kamerstuk, motion or report the documents cite: the registry answers, citing where each is cited."""

    name = "registry"

    def propose(self, asked: Asked) -> Draft | None:
        cited = self.cited(asked.question, asked.filters)
        if not cited:
            return None
        shown: dict[tuple, Citation] = {}  # references cited in one footnote share its citation
        for _, place in cited:
            key = (place.doc_id, place.footnote, place.start)
            if key not in shown:
                shown[key] = compose.place_citation(self.scorer.index, len(shown) + 1, place)
        text = compose.references([(ref, shown[(p.doc_id, p.footnote, p.start)]) for ref, p in cited], asked.language)
        said = [m.group(0) for m in REFERENCE_QUESTION.finditer(asked.question)] + [
            w for ref, place in cited for w in (ref.title, ref.identifier, *ref.names, place.quote) if w]
        return Draft(self.name, text, list(shown.values()),
                     score=self.scorer.accounted(asked.question, " ".join(said), asked.bridges))

    def cited(self, question: str, filters: Filters | None = None) -> list[tuple[Reference, Place]]:
        """For a question about what the documents cite, the references it asks for, each with the place that
        best shows it (the footnote that gives its identifier); empty for any other question.

        A reference matches when most of the question's own terms occur in its names and title, or, for a list
        question ("Welke Kamerstukken over AI ..."), in its names or in the sentences that cite it."""
        if not REFERENCE_QUESTION.search(question) or ABOUT_CONTENT.search(question):
            return []
        kinds = {k for pattern, ks in REFERENCE_NOUNS.items() if re.search(rf"\b(?:{pattern})\b", question, re.I)
                 for k in ks}
        terms = set(lexical_tokens(REFERENCE_QUESTION.sub(" ", question))) - QUESTION_WORDS - FUNCTION_STEMS_EN
        asked = {t: Term(1.0, {t: 1.0}) for t in terms}
        many = bool(PLURAL.search(question))
        scored = []
        for ref in self.scorer.index.references():
            places = [p for p in ref.places if not filters or not filters.doc_ids or p.doc_id in filters.doc_ids]
            if not places or (kinds and ref.kind not in kinds):
                continue
            if ref.in_corpus in self.scorer.index.documents and not ref.title:
                # a reference that is a document of the corpus is called by that document's title where the
                # citing words give it none ("Zie ook de Beleidsnota …, Kamerstukken II 2024/25, 26 643, nr. 1178")
                ref = ref.model_copy(update={"title": self.scorer.index.meta(ref.in_corpus).title})
            named = self.scorer.coverage(asked, " ".join(filter(None, [ref.title, ref.identifier, *ref.names])))
            said = self.scorer.coverage(asked, " ".join(p.quote for p in places))
            if (named >= 0.5 or (many and said >= 0.5)) if terms else many:
                scored.append((named + 0.5 * said, ref, places))
        scored.sort(key=lambda s: -s[0])
        if not many:
            scored = [s for s in scored if s[0] == scored[0][0]]
        return [(ref, _showing_place(ref, places)) for _, ref, places in scored[:_MAX_REFERENCES]]


class Definitions(OverTheIndex):
    """What an abbreviation or term means: the documents' own definition answers, quoting it."""

    name = "definitions"

    def propose(self, asked: Asked) -> Draft | None:
        defined = self.defined(asked.question, asked.filters)
        if not defined:
            return None
        citations = [compose.place_citation(self.scorer.index, n, c) for n, (_, c) in enumerate(defined, 1)]
        text = compose.definitions([(e, c) for (e, _), c in zip(defined, citations, strict=True)], asked.language)
        return Draft(self.name, text, citations)

    def defined(self, question: str, filters: Filters | None = None) -> list[tuple[GlossaryEntry, Span]]:
        """For a question what an abbreviation or term means, the documents' definitions of it, each with its
        defining sentence; empty for any other question, or a term no document defines."""
        asked = asked_term(question)
        found = []
        for entry in self.scorer.index.overview().glossary:
            if asked is None or entry.term.lower() != asked or not entry.defined_at:
                continue
            places = [c for c in entry.defined_at if not filters or not filters.doc_ids or c.doc_id in filters.doc_ids]
            if places:
                found.append((entry, places[0]))
        return found

    def curated_meaning(self, question: str) -> list[str]:
        """What an abbreviation the documents never write out stands for, from the curated list: a notice marked
        as not from the documents, never part of an answer."""
        asked = asked_term(question)
        return [f"{e.term}: {e.expansion} (from the list of known abbreviations, not from the documents)"
                for e in self.scorer.index.overview().glossary
                if asked and e.term.lower() == asked and e.source == "curated" and e.expansion]


class FromEvidence(OverTheIndex):
    """Any other question: the evidence sentences that answer it, to be quoted or written up by a model."""

    name = "evidence"

    def propose(self, asked: Asked) -> Draft | None:
        chosen = self.scorer.choose(asked.candidates, asked.hits, asked.language, asked.question, asked.bridges)
        if not chosen:
            return None
        return Draft(self.name, evidence=chosen,
                     score=self.scorer.accounted(asked.question, " ".join(ev.span.quote for ev in chosen),
                                                 asked.bridges))


def sentences_of(doc: Document, chunks: list[Chunk]) -> list[tuple[Chunk, Span]]:
    """A document's sentences in order, each with its passage and as a quotable span (its page and section with
    it): what a responder that reads a whole document (its versions, its parts) reads, in one pass over the
    index's passages."""
    found = []
    for chunk in (c for c in chunks if c.doc_id == doc.meta.doc_id):
        section = " › ".join(chunk.section)
        for start, end in sentence_units(chunk):
            quote = doc.text[start:end]
            if quote.strip():
                page = next(iter(doc.pages_between(start, start + 1)), None)
                found.append((chunk, Span(doc_id=doc.meta.doc_id, quote=quote, page=page, section=section,
                                          start=start, end=end)))
    return found


def _said_about(index: Index, doc: Document) -> list[Span]:
    """What a document says it is about (`colophon.says_itself`); for one that never names itself, the central
    sentences of its first sections after its title (the overview's summaries), not the header line that gives
    its number."""
    if said := colophon.says_itself(doc):
        return said
    part = index.overview_part(doc.meta.doc_id)
    if part is None:
        return []
    header = colophon.identifier_span(doc) or (0, 0)
    return [span for s in part.map.sections if s.path != [doc.meta.title] for span in s.summary
            if not (span.start is not None and span.end is not None
                    and span.start < header[1] and header[0] < span.end)][:_SAYS]


def _parts(doc: Document) -> list[str]:
    """A document's parts, by their headings: its sections, and as many levels of subsections as fit in
    `_MAX_PARTS` ("Thema 1: Digitale ethiek" under "2. Coalities …", not "AI in de praktijk" under it)."""
    headings = [s.path for s in doc.sections if s.path and s.path[-1] != doc.meta.title]
    parts: list[str] = []
    for depth in range(1, max((len(p) for p in headings), default=0) + 1):
        level = list(dict.fromkeys(p[-1] for p in headings if len(p) <= depth))
        if len(level) > _MAX_PARTS:
            break
        parts = level
    return parts


def _showing_place(ref: Reference, places: list[Place]) -> Place:
    """The place that shows a reference best: a footnote or sentence that writes its identifier or title."""
    def rank(p: Place) -> tuple[int, int]:
        shows = bool(ref.identifier) and any(ch.isdigit() for ch in p.as_written)
        return (not shows, p.footnote is None)

    return min(places, key=rank)
