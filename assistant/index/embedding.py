"""Embedding what the index keeps vectors of besides its chunks: every sentence of a document, once at ingest,
so answering can weigh evidence by meaning (across languages too) without embedding anything at question
time, and the words of the indexed text, so a question's words can be matched to the documents' by meaning."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.config import Settings
from assistant.models.embeddings import get_embeddings
from assistant.text.sentences import sentence_units
from assistant.types import Chunk, Document

_WORD_BATCH = 64  # words are short: larger batches than passages cost the embedder no more memory


@dataclass(frozen=True)
class SentenceVectors:
    """A document's sentence units (start offsets, in order) and their unit-length embeddings, row by row."""

    starts: list[int]
    matrix: np.ndarray

    def by_start(self) -> dict[int, np.ndarray]:
        """Each sentence's vector by its start offset (see `text.sentences.sentence_units`)."""
        return dict(zip(self.starts, self.matrix, strict=True))


def embed_sentences(settings: Settings, doc: Document, chunks: list[Chunk]) -> SentenceVectors:
    """Embed every sentence unit of `chunks` once (a sentence in two overlapping chunks is one unit)."""
    units = sorted({u for c in chunks for u in sentence_units(c)})
    embedder = get_embeddings(settings)
    batch = settings.embeddings.batch_size
    vectors = [v for i in range(0, len(units), batch)
               for v in embedder.embed_documents([doc.text[a:b] for a, b in units[i : i + batch]])]
    matrix = np.array(vectors, dtype=np.float32).reshape(len(units), -1)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return SentenceVectors([a for a, _ in units], matrix)


def embed_words(settings: Settings, words: list[str]) -> dict[str, np.ndarray]:
    """Each of `words` alone, as the embedder sees it, with a unit-length vector."""
    embedder = get_embeddings(settings)
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(words), _WORD_BATCH):
        part = words[start : start + _WORD_BATCH]
        for word, vector in zip(part, np.array(embedder.embed_documents(part), dtype=np.float32), strict=True):
            found[word] = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return found
