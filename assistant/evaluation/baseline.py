"""The naive pipeline every gain of the real one is measured against, run on the same questions and backend.

What a first retrieval-augmented prototype does: each document's text cut into fixed 1,000-character chunks,
ranked by the configured embedder alone, the top four put into the answer prompt, and whatever the model
writes taken as the answer, citing the chunks it marks (or all four): no evidence selection, no attribution
check, no verification, no abstention beyond the model declining. Without a model (`extractive`) the answer is
the leading sentences of the top chunk, citing it. Its vectors live in a cache folder under the index
directory, keyed by the documents' text and the embedder, so a rerun embeds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer.cite import NO_ANSWER
from assistant.config import Settings
from assistant.index import Index
from assistant.models import prompts
from assistant.models.embeddings import embedder_identity, get_embeddings
from assistant.models.llm import Backend
from assistant.text.normalize import language_of
from assistant.text.sentences import sentence_spans
from assistant.types import Answer, Chunk, Citation

CHUNK_CHARS = 1000
TOP = 4
_COMPLETE = "complete"


class Baseline:
    """Fixed chunks, dense ranking, the top four stuffed into the prompt."""

    def __init__(self, settings: Settings, index: Index, backend: Backend) -> None:
        self.settings = settings
        self.index = index
        self.backend = backend
        self.chunks: list[Chunk] = []
        digest = hashlib.sha256(json.dumps([embedder_identity(settings.embeddings), CHUNK_CHARS]).encode())
        for doc_id in sorted(index.documents):
            doc = index.document(doc_id)
            digest.update(doc_id.encode() + b"\0" + doc.text.encode() + b"\0")
            for ordinal, start in enumerate(range(0, len(doc.text), CHUNK_CHARS)):
                end = min(start + CHUNK_CHARS, len(doc.text))
                self.chunks.append(Chunk(f"{doc_id}:fixed-{ordinal:05d}", doc_id, ordinal, doc.text[start:end],
                                         start, end, doc.section_at(start), doc.pages_between(start, end)))
        self.folder = settings.index_dir / "baseline" / digest.hexdigest()[:16]
        self._position = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    @cached_property
    def collection(self) -> Any:
        """The chunks' vectors in a Chroma collection of their own, embedded once per corpus content."""
        import chromadb
        from chromadb.config import Settings as ChromaClientSettings
        from filelock import FileLock

        self.folder.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.folder.parent / "LOCK")):  # two runs at once embed it once
            built = (self.folder / _COMPLETE).exists()
            if not built:
                for stale in self.folder.parent.iterdir():  # earlier contents of the corpus, or a build cut short
                    if stale.is_dir():
                        shutil.rmtree(stale)
            client = chromadb.PersistentClient(path=str(self.folder / "chroma"),
                                               settings=ChromaClientSettings(anonymized_telemetry=False))
            collection = client.get_or_create_collection("baseline", embedding_function=None,
                                                          metadata={"hnsw:space": "cosine"})
            if not built:
                embedder = get_embeddings(self.settings)
                batch = self.settings.embeddings.batch_size
                for i in range(0, len(self.chunks), batch):
                    part = self.chunks[i : i + batch]
                    collection.add(ids=[c.chunk_id for c in part], documents=[c.text for c in part],
                                   embeddings=embedder.embed_documents([c.text for c in part]))
                (self.folder / _COMPLETE).write_text(str(len(self.chunks)), encoding="utf-8")
        return collection

    def rank(self, query: str, n: int) -> list[int]:
        """Positions in `chunks` of the `n` chunks closest in meaning to `query`."""
        if not self.chunks:
            return []
        vector = get_embeddings(self.settings).embed_query(query)
        found = self.collection.query(query_embeddings=[vector], n_results=min(n, len(self.chunks)),
                                      include=["distances"])
        return [self._position[i] for i in found["ids"][0]]

    def _citation(self, n: int, chunk: Chunk) -> Citation:
        meta = self.index.meta(chunk.doc_id)
        return Citation(n=n, doc_id=chunk.doc_id, title=meta.title, identifier=meta.identifier,
                        page=next(iter(chunk.pages), None), section=" › ".join(chunk.section), quote=chunk.text,
                        chunk_id=chunk.chunk_id, url=meta.url, start=chunk.start, end=chunk.end, status=meta.status)

    def _write(self, question: str, top: list[Chunk], language: str) -> Iterator[str]:
        assert self.backend.chat is not None
        template = prompts.load(self.settings.prompts_dir, "answer", language)
        stuffed = "\n".join(f"[{n}] {' '.join(c.text.split())}" for n, c in enumerate(top, 1))
        messages = [SystemMessage(prompts.load(self.settings.prompts_dir, "system", language)),
                    HumanMessage(prompts.render(template, question=question, sources=stuffed))]
        return (str(piece.content) for piece in self.backend.chat.stream(messages) if piece.content)

    def ask(self, question: str, previous: str = "") -> Answer:
        """Answer `question`; a follow-up is simply asked together with the question before it."""
        started = time.perf_counter()
        asked = f"{previous} {question}".strip()
        language = language_of(question)
        top = [self.chunks[p] for p in self.rank(asked, TOP)]
        retrieved = time.perf_counter()
        citations = [self._citation(n, c) for n, c in enumerate(top, 1)]
        timings: dict[str, float] = {}
        if not top:
            text = ""
        elif self.backend.chat is None:
            lead = [top[0].text[a:b] for a, b in sentence_spans(top[0].text)[: self.settings.answer.max_sentences]]
            text, citations = " ".join(" ".join(lead).split()) + " [1]", citations[:1]
        else:
            draft = []
            for piece in self._write(asked, top, language):
                timings.setdefault("first_token_ms", round((time.perf_counter() - started) * 1000, 1))
                draft.append(piece)
            text = " ".join("".join(draft).split())
            marked = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
            citations = [c for c in citations if c.n in marked] or citations
        if not text or text.strip("*_\"'“” ").upper().startswith(NO_ANSWER):
            citations = []
        ended = time.perf_counter()
        return Answer(question=question, answer=text, abstained=not citations, citations=citations,
                      backend=self.backend.name, model=self.backend.model, language=language,
                      timings={"retrieve_ms": round((retrieved - started) * 1000, 1),
                               "generate_ms": round((ended - retrieved) * 1000, 1), **timings,
                               "total_ms": round((ended - started) * 1000, 1)})
