"""Which documents say something about a topic ("Welke documenten gaan over algoritmes?", "Where can I read about
digital identity?"): each document that does, with the sentence of it that says most about the topic, quoted.

The evidence would answer with the sentences of the one document that says most; a newcomer asking where to read
wants to know each document that says something, which is why this is a responder of its own. A document says
something about the topic where its best sentence would be evidence for it: its own words (not its document's
title) cover as much of the topic's as an answer must, or, in another language than the question, some of them
(through their translations) and it is as near to the topic in meaning as cross-language evidence must be.
"""

from __future__ import annotations

from assistant.answer import compose
from assistant.answer.evidence import Evidence, Scorer
from assistant.answer.questions import asked_topic
from assistant.answer.responders import Asked, Draft, OverTheIndex
from assistant.retrieve import Searcher

_PASSAGES = 20  # searched for the topic: more than an answer reads, so that every document that has it is found
_MAX_DOCUMENTS = 8


class DocumentsAbout(OverTheIndex):
    """The documents that say something about the topic a question names, best first."""

    name = "documents-about"

    def __init__(self, scorer: Scorer, searcher: Searcher) -> None:
        super().__init__(scorer)
        self.searcher = searcher

    def propose(self, asked: Asked) -> Draft | None:
        topic = asked_topic(asked.question)
        if topic is None:
            return None
        found = self.documents_about(topic, asked)
        if not found:
            return None
        index = self.scorer.index
        citations = [compose.citation(index, n, ev) for n, ev in enumerate(found, 1)]
        text = compose.documents_about(topic, [(index.meta(c.doc_id), c) for c in citations], asked.language)
        return Draft(self.name, text, citations)

    def documents_about(self, topic: str, asked: Asked) -> list[Evidence]:
        """Each document's best sentence on `topic`, for the documents whose best one would be evidence for it."""
        hits = self.searcher.search(topic, _PASSAGES, asked.filters)
        bridges = self.searcher.bridged(topic)
        candidates = self.scorer.evidence(topic, hits, bridges=bridges)
        terms = self.scorer.terms(topic, bridges=bridges)
        a = self.scorer.settings.answer
        best: dict[str, Evidence] = {}
        for ev in candidates:  # best first
            if ev.chunk.doc_id in best or ev.span.footnote is not None:
                continue
            # the sentence's own words, not its document's title: "Public Administration" says nothing about
            # "openbare bibliotheken"; and one of them at least where meaning alone would carry it across
            said = self.scorer.coverage(terms, ev.span.quote)
            crossing = self.scorer.index.meta(ev.chunk.doc_id).language != asked.language
            if said >= a.min_coverage or (crossing and said > 0 and ev.similarity >= a.min_cross_evidence_similarity):
                best[ev.chunk.doc_id] = ev
        return list(best.values())[:_MAX_DOCUMENTS]
