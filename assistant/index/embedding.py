"""Embedding what the index keeps vectors of: each chunk (for dense search), every sentence and footnote of a
document, once at ingest, so answering can weigh evidence by meaning (across languages too) without embedding
anything at question time, and the words of the indexed text, so a question's words can be matched to the
documents' by meaning.

Embedding is nearly all of an ingest's time, so it happens here alone (the vector store is given the chunks'
vectors) and each distinct text is embedded once per ingest however often documents repeat it. The local
embedder reads each text of a batch on its own (no padding to the longest), so how texts are grouped changes
the time taken, never a vector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.config import Settings
from assistant.index.documents import indexed_text
from assistant.models.embeddings import get_embeddings
from assistant.text.sentences import sentence_units
from assistant.types import Chunk, Document


@dataclass(frozen=True)
class SentenceVectors:
    """A document's sentence units (start offsets, in order) and their unit-length embeddings, row by row; and
    its footnotes' (by number), so a footnote is weighed by what it says, not by its passage's similarity."""

    starts: list[int]
    matrix: np.ndarray
    notes: list[int]
    note_matrix: np.ndarray

    def by_start(self) -> dict[int, np.ndarray]:
        """Each sentence's vector by its start offset (see `text.sentences.sentence_units`)."""
        return dict(zip(self.starts, self.matrix, strict=True))


class Passages:
    """The embedder as one ingest uses it: each distinct text embedded once, in batches, its vector kept for the
    rest of the ingest (a sentence repeated in many documents, a word already met, cost nothing again)."""

    def __init__(self, settings: Settings) -> None:
        self._embedder = get_embeddings(settings)
        self._batch = settings.embeddings.batch_size
        self._known: dict[str, np.ndarray] = {}
        self.embedded = 0  # texts actually given to the embedder

    def vectors(self, texts: list[str]) -> np.ndarray:
        """The embedder's vectors of `texts` (as it returns them), row by row."""
        if not texts:  # nothing new to embed (every word already known): no width to shape by
            return np.zeros((0, 0), dtype=np.float32)
        new = list(dict.fromkeys(t for t in texts if t not in self._known))
        for start in range(0, len(new), self._batch):
            part = new[start : start + self._batch]
            found = np.asarray(self._embedder.embed_documents(part), dtype=np.float32).reshape(len(part), -1)
            self._known.update(zip(part, found, strict=True))
        self.embedded += len(new)
        return np.array([self._known[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def embed_document(passages: Passages, doc: Document, chunks: list[Chunk]) -> tuple[np.ndarray, SentenceVectors]:
    """`chunks`' vectors as the vector store keeps them (of `documents.indexed_text`), every sentence unit of
    them once (a sentence in two overlapping chunks is one unit) and every footnote once."""
    units = sorted({u for c in chunks for u in sentence_units(c)})
    notes = dict(sorted({f.number: f.text for c in chunks for f in c.footnotes}.items()))
    texts = [indexed_text(c, doc.meta) for c in chunks] + [doc.text[a:b] for a, b in units] + list(notes.values())
    vectors = passages.vectors(texts)
    sentences_end = len(chunks) + len(units)
    return vectors[: len(chunks)], SentenceVectors(
        [a for a, _ in units], _unit(vectors[len(chunks) : sentences_end]), list(notes), _unit(vectors[sentences_end:]))


def embed_words(passages: Passages, words: list[str]) -> dict[str, np.ndarray]:
    """Each of `words` alone, as the embedder sees it, with a unit-length vector."""
    return {w: v / max(float(np.linalg.norm(v)), 1e-12) for w, v in zip(words, passages.vectors(words), strict=True)}
