"""Grounded answers: retrieve, choose evidence, let a model condense it, verify, cite, or abstain.

A question goes through these steps, each in its own module:

1. `guard`: sentences that instruct the assistant are left out of the question;
2. `followup`: a follow-up is made to stand on its own, or read with the question before it;
3. `retrieve.Searcher`: the passages that best match it (hybrid BM25 and embedding search);
4. `evidence`: every sentence of those passages scored against the question, and those an answer rests on
   chosen (`chosen` puts them in the order they are quoted);
5. `responders`: the ways of answering each propose a draft (the document's header and signature, the
   reference registry, the documents' definitions, the evidence sentences) with the share of the question it
   accounts for; the best draft answers, and when none proposes one the assistant abstains;
6. `generate`: with a model, the evidence is condensed and every sentence verified against it (`cite.verify`);
   without one, or when nothing verifies, the answer is the evidence sentences themselves, quoted (`compose`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from assistant.answer import audit, compose
from assistant.answer.changes import Changes
from assistant.answer.chosen import Evidence
from assistant.answer.evidence import Scorer
from assistant.answer.followup import Turn, standalone, understood
from assistant.answer.generate import DECLINED, ModelWriter
from assistant.answer.guard import prepared
from assistant.answer.named import Named
from assistant.answer.parts import Parts
from assistant.answer.responders import (
    AboutDocument,
    Asked,
    Definitions,
    Draft,
    FromEvidence,
    Inventory,
    Registry,
    Responder,
    Subject,
    holds_asked,
)
from assistant.answer.topics import DocumentsAbout, SaidAbout
from assistant.config import Settings
from assistant.models import servers
from assistant.models.llm import Backend, get_backend
from assistant.retrieve import Filters, Searcher
from assistant.types import Answer, Citation, Document

__all__ = ["Answerer", "Turn"]


class Answerer:
    """Answers questions over an opened index; build once, ask many times."""

    def __init__(self, settings: Settings, backend: Backend | str | None = None,
                 searcher: Searcher | None = None) -> None:
        self.settings = settings
        self.searcher = searcher or Searcher(settings)
        self.index = self.searcher.index
        self.backend = backend if isinstance(backend, Backend) else get_backend(settings, backend)
        self._documents: dict[str, Document] = {}
        self.via = "cli"  # which surface asks, for the audit log (the web interface sets "web")
        self.scorer = Scorer(settings, self.index, self.document)
        self.registry = Registry(self.scorer)
        self.definitions = Definitions(self.scorer)
        # among drafts that account for as much of the question, the first answers: lookups, then the evidence
        self.responders: list[Responder] = [
            AboutDocument(self.scorer), Subject(self.scorer), Inventory(self.scorer),
            DocumentsAbout(self.scorer, self.searcher), SaidAbout(self.scorer, self.searcher), Changes(self.scorer),
            Parts(self.scorer), Named(self.scorer), self.registry, self.definitions, FromEvidence(self.scorer)]
        self.writer = ModelWriter(settings, self.backend, self.index)

    def document(self, doc_id: str) -> Document:
        """A document's pages and text, read from the index once per process."""
        if doc_id not in self._documents:
            self._documents[doc_id] = self.index.document(doc_id)
        return self._documents[doc_id]

    def standalone(self, question: str, history: Sequence[Turn]) -> tuple[str, str]:
        """A follow-up made to stand on its own, and the earlier question it still leans on ("" if none)."""
        return standalone(question, history, self.backend, self.settings)

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
            via: str | None = None) -> Answer:
        """Answer `question` (a follow-up of `history`) from the index, or abstain with related passages."""
        *_, answer = self.stream(question, history, filters, via)
        assert isinstance(answer, Answer)
        return answer

    def stream(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
               via: str | None = None) -> Iterator[str | Answer]:
        """The model's words as it writes them, then the verified `Answer` (whose text may differ); `via` names
        who asked in the audit log (default: this answerer's surface)."""
        started = time.perf_counter()
        question, asked, language, notices = prepared(question)
        asked = self.searcher.spelled_out(self.searcher.unshouted(asked))
        alone, context = self.standalone(asked or question, history)
        searched = f"{context} {alone}".strip()
        hits = self.searcher.search(searched, self.settings.retrieval.k, filters)
        retrieved = time.perf_counter()
        bridges = self.searcher.bridged(searched)
        candidates = self.scorer.evidence(alone, hits, context, bridges)
        draft: Draft | None = None
        if asked:  # a question made only of instructions is not answered
            request = Asked(alone, language, hits, candidates, filters, bridges, context)
            drafts = [d for r in self.responders if (d := r.propose(request)) is not None and holds_asked(alone, d)]
            draft = max(drafts, key=lambda d: d.score, default=None)  # the first among equals
        timings: dict[str, float] = {}
        fallback = None
        chosen = draft.evidence if draft else []
        if draft is None or chosen:  # what the documents never write out, whether they answer or not
            notices += self.definitions.curated_meaning(alone)
        if draft is None:
            text, citations = compose.abstention(language), []
        elif not chosen:  # a lookup wrote its answer
            text, citations = draft.text, draft.citations
            yield text
        elif self.backend.chat is None:
            text, citations = self._quoted(draft, language)
            yield text
        else:
            pieces: list[str] = []
            try:
                for piece in self.writer.generate(f"{context} {alone}".strip(), chosen, language):
                    if piece:
                        timings.setdefault("first_token_ms", round(_ms(started), 1))
                        pieces.append(piece)
                        yield piece
            except Exception as exc:  # the model server died or refused mid-answer: the evidence still stands
                fallback = servers.failure(exc)
            removed = 0
            if fallback is None:
                text, citations, fallback, removed = self.writer.verified("".join(pieces), alone, chosen, language)
            if fallback == DECLINED:  # an instructed model judged the evidence beside the point
                text, citations = compose.abstention(language), []
                notices.append(DECLINED)
            elif fallback:
                text, citations = self._quoted(draft, language)
                notices.append(f"{fallback}; the answer quotes the sources instead")
            elif removed:
                notices.append(f"{removed} sentence(s) of the model's answer left out: the sources do not support them")
        # passages that may help where the documents do not answer; not where a lookup said why it did not ("Welk
        # document bedoelt u?"): passages found for "dit" are about nothing
        related = [] if citations or (draft and not chosen) else [
            compose.citation(self.index, i, ev) for i, ev in enumerate(chosen or first_per_chunk(candidates), 1)]
        replaced = sorted({c.doc_id for c in citations if c.status != "current"})
        if replaced:
            notices.append("cites documents that are no longer current: " + ", ".join(replaced))
        if alone != (asked or question):
            notices.append(f"understood as: {alone}")
        if context:  # a chain of follow-ups is read with each question it leaned on (`followup.understood`)
            several = "s" if sum(q in context for q in understood(history)) > 1 else ""
            notices.append(f"read together with the previous question{several}: {context}")
        answer = Answer(
            question=question, answer=text, abstained=not citations, citations=citations, related=related[:3],
            backend=self.backend.name, model=self.backend.model, language=language, notices=notices,
            fallback=fallback, references=compose.references_in(self.index, citations),
            timings={"retrieve_ms": round((retrieved - started) * 1000, 1),
                     "generate_ms": round(_ms(retrieved), 1), **timings, "total_ms": round(_ms(started), 1)},
        )
        if self.settings.audit_path is not None:
            audit.record(self.settings.audit_path, answer, via or self.via)
        yield answer

    def _quoted(self, draft: Draft, language: str) -> tuple[str, list[Citation]]:
        """The draft's evidence sentences as the answer, each quoted with its marker."""
        citations = [compose.citation(self.index, n, ev) for n, ev in enumerate(draft.evidence, 1)]
        return compose.quoted(citations, language), citations


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def first_per_chunk(candidates: list[Evidence]) -> list[Evidence]:
    """The best sentence of each retrieved passage, each sentence once (what an abstention offers as maybe related):
    passages overlap, and the sentence two of them hold was offered twice."""
    chunks: set[str] = set()
    spans: set[tuple[str, int, int]] = set()
    out = []
    for ev in candidates:
        where = (ev.chunk.doc_id, ev.span.start, ev.span.end)
        if ev.chunk.chunk_id not in chunks and where not in spans and ev.span.footnote is None:
            chunks.add(ev.chunk.chunk_id)
            spans.add(where)
            out.append(ev)
    return out
