"""What the documents say about a topic: which documents say something about it ("Welke documenten gaan over
algoritmes?", "Where can I read about digital identity?"), each with the sentence of it that says most, quoted;
and what a document says about it ("Wat zegt de brief over ouderen?"), the sentences that say something about it.

The evidence would answer with the few sentences that share most of the question's words, from the passages an
answer reads: a newcomer asking where to read wants each document that says something, and one asking what a
document says about a topic wants what it says wherever it does. A sentence says something about the topic where
it would be evidence for it: its own words (not its document's title) cover as much of the topic's as an answer
must, or, in another language than the question, some of them (through their translations) and it is as near to
the topic in meaning as cross-language evidence must be.
"""

from __future__ import annotations

from assistant.answer import compose
from assistant.answer.chosen import Evidence
from assistant.answer.evidence import Scorer, Terms
from assistant.answer.questions import asked_said_about, asked_topic
from assistant.answer.responders import Asked, Draft, OverTheIndex
from assistant.enrich import colophon
from assistant.retrieve import Searcher
from assistant.text.tokens import lexical_tokens

_PASSAGES = 20  # searched for the topic: more than an answer reads, so that every place that has it is found
_MAX_DOCUMENTS = 8


class _Topical(OverTheIndex):
    """A responder that reads what the documents say about a topic in more passages than an answer does."""

    def __init__(self, scorer: Scorer, searcher: Searcher) -> None:
        super().__init__(scorer)
        self.searcher = searcher

    def saying(self, topic: str, asked: Asked, question: str | None = None, titled: bool = False) -> list[Evidence]:
        """The sentences that say something about `topic`, best first for `question` and the question it follows
        up (the topic itself when None: what else the question says, such as who says it, orders them). With
        `titled`, every sentence of a document whose title names the topic, each of its words (or its one
        translation), is about it: the "Uitvoeringsplan Digitale Inclusie" is about digital inclusion on every
        page, though few of its sentences repeat the words."""
        searched = question or topic
        context = asked.context if question else ""  # "Wat zegt die strategie over …": the one asked about before
        hits = self.searcher.search(f"{context} {searched}".strip(), _PASSAGES, asked.filters, asked.language)
        bridges = self.searcher.bridged(searched, asked.language)
        candidates = self.scorer.evidence(searched, hits, context, bridges)
        terms = self.scorer.terms(topic, bridges=self.searcher.bridged(topic, asked.language))
        a = self.scorer.settings.answer
        index = self.scorer.index
        named = self._titled({ev.chunk.doc_id for ev in candidates}, terms) if titled else set()
        found = []
        for ev in candidates:  # best first
            if ev.span.footnote is not None:
                continue
            if ev.chunk.doc_id in named:
                found.append(ev)
                continue
            # the sentence's own words and its heading's ("Privacy"), not its document's title: "Public
            # Administration" says nothing about "openbare bibliotheken"; and one of them at least where meaning
            # alone would carry it across
            said = self.scorer.coverage(terms, f"{ev.chunk.section[-1] if ev.chunk.section else ''} {ev.span.quote}")
            crossing = index.meta(ev.chunk.doc_id).language != asked.language
            if said >= a.min_coverage or (crossing and said > 0 and ev.similarity >= a.min_cross_evidence_similarity):
                found.append(ev)
        return found

    def _titled(self, doc_ids: set[str], terms: Terms) -> set[str]:
        """The documents whose title names the topic: each of its `terms`, by itself or by its one translation
        (not by one guess among several)."""
        index = self.scorer.index
        return {d for d in doc_ids if all({form for form, c in term.forms.items() if c == 1.0}
                                          & set(lexical_tokens(index.meta(d).title, index.meta(d).language))
                                          for term in terms.values())}


class DocumentsAbout(_Topical):
    """The documents that say something about the topic a question names, best first."""

    name = "documents-about"

    def propose(self, asked: Asked) -> Draft | None:
        topic = asked_topic(asked.question)
        if topic is None:
            return None
        best: dict[str, Evidence] = {}
        for ev in self.saying(topic, asked, titled=True):
            best.setdefault(ev.chunk.doc_id, ev)
        found = list(best.values())[:_MAX_DOCUMENTS]
        if not found:
            return None
        index = self.scorer.index
        citations = [compose.citation(index, n, ev) for n, ev in enumerate(found, 1)]
        text = compose.documents_about(topic, [(index.meta(c.doc_id), c) for c in citations], asked.language)
        return Draft(self.name, text, citations)


class SaidAbout(_Topical):
    """What a document, or someone in it, says about a topic: the sentences that say something about it, the best
    first and the others in the order they stand, from the document the question names if it names one."""

    name = "said-about"

    def propose(self, asked: Asked) -> Draft | None:
        said = asked_said_about(asked.question)
        if said is None:
            return None
        who, topic = said
        found = self.saying(topic, asked, asked.question)
        named = {d for d in {ev.chunk.doc_id for ev in found}
                 if who and colophon.names_document(who, self.scorer.document(d))}
        chosen: list[Evidence] = []
        for ev in found:
            if len(chosen) == self.scorer.settings.answer.max_sentences_broad:
                break
            if (not named or ev.chunk.doc_id in named) and not any(ev.span.overlaps(c.span) for c in chosen):
                chosen.append(ev)
        if not chosen:
            return None
        lead, *others = chosen
        chosen = [lead, *sorted(others, key=lambda ev: (ev.chunk.doc_id, ev.span.start))]
        # the words that name the document ("the EPSIF paper") are accounted for by it
        return Draft(self.name, evidence=chosen, score=self.scorer.accounted(
            asked.question, " ".join([*(ev.span.quote for ev in chosen), who if named else ""]), asked.bridges))

