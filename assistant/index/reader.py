"""Reading the live generation: its chunks, documents, vectors (dense, lexical, per sentence and per word) and
the analyses stored with each document, combined across the corpus once per process."""

from __future__ import annotations

import json
import zipfile
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.enrich.overview import DocumentOverview, Overview, combine
from assistant.enrich.refs import Mention, Reference, build_registry
from assistant.index.documents import ANALYSES, document_from_dict
from assistant.index.generations import current_generation
from assistant.index.lexical import load_lexical
from assistant.index.vectors import VectorStore
from assistant.index.versions import stamp
from assistant.models.embeddings import embedder_identity
from assistant.types import AssistantError, Chunk, Document, DocumentMeta


class Index:
    """A read-only view of the live generation."""

    def __init__(self, settings: Settings, gen_dir: Path) -> None:
        self.settings = settings
        self.gen_dir = gen_dir
        state_path = gen_dir / "state.json"
        try:
            self.state: dict[str, Any] = json.loads(state_path.read_text(encoding="utf-8"))
            self.chunks: list[Chunk] = [
                Chunk.from_dict(json.loads(line))
                for line in (gen_dir / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
                if line
            ]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AssistantError(
                f"index at {gen_dir} is damaged ({type(exc).__name__}: {exc}); run `assistant ingest --rebuild`"
            ) from exc
        self._by_id = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.store = VectorStore(settings, gen_dir)
        self._bm25: Any = None
        self._vectors: Any = None
        self._sentences: dict[str, tuple[dict[int, np.ndarray], dict[int, np.ndarray]]] = {}
        self._references: list[Reference] | None = None
        self._overview: Overview | None = None

    @classmethod
    def open(cls, settings: Settings) -> Index:
        """The live generation, checked against the configured embedder and this version's schema."""
        gen = current_generation(settings.index_dir)
        if gen is None:
            raise AssistantError(f"no index in {settings.index_dir}; run `assistant ingest` first")
        index = cls(settings, settings.index_dir / gen)
        index.check_compatible()
        return index

    def check_compatible(self) -> None:
        """Refuse an index of another schema or embedder: it has to be rebuilt."""
        schema, wanted_schema = self.state.get("schema"), stamp("schema")
        if schema != wanted_schema:
            raise AssistantError(
                f"index schema {schema} is not this version's schema {wanted_schema}; "
                "run `assistant ingest --rebuild`"
            )
        wanted = embedder_identity(self.settings.embeddings)
        if self.state.get("embedder") != wanted:
            raise AssistantError(
                f"index was built with embedder {self.state.get('embedder')!r} but settings ask for {wanted!r}; "
                "run `assistant ingest --rebuild` (or set ASSISTANT_EMBEDDINGS__BACKEND to match)"
            )

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        """Per document: its metadata, content hash, files and chunk ids."""
        return self.state["documents"]

    def meta(self, doc_id: str) -> DocumentMeta:
        """A document's metadata."""
        return DocumentMeta(**self.documents[doc_id]["meta"])

    def document(self, doc_id: str) -> Document:
        """The full clean document (text, pages, sections, footnotes), for highlighting quotes in context."""
        path = self.gen_dir / "docs" / f"{doc_id}.json"
        return document_from_dict(json.loads(path.read_text(encoding="utf-8")))

    def chunk(self, chunk_id: str) -> Chunk:
        """A chunk by its id."""
        return self.chunks[self._by_id[chunk_id]]

    def sentence_vectors(self, doc_id: str) -> dict[int, np.ndarray]:
        """Unit-length embeddings of a document's sentences, by start offset (see `text.sentences.sentence_units`)."""
        return self._analysed_vectors(doc_id)[0]

    def footnote_vectors(self, doc_id: str) -> dict[int, np.ndarray]:
        """Unit-length embeddings of a document's footnotes, by number (none in an index made before they were
        kept: the next ingest reads every document again and adds them)."""
        return self._analysed_vectors(doc_id)[1]

    def _analysed_vectors(self, doc_id: str) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
        if doc_id not in self._sentences:
            data = np.load(self.gen_dir / "docs" / f"{doc_id}.sentences.npz")
            # kept as stored (float16): a large corpus holds millions of sentences
            notes = dict(zip(data["notes"].tolist(), data["note_vectors"], strict=True)) if "notes" in data else {}
            self._sentences[doc_id] = dict(zip(data["starts"].tolist(), data["vectors"], strict=True)), notes
        return self._sentences[doc_id]

    @cached_property
    def words(self) -> tuple[list[str], list[str], np.ndarray]:
        """The stems of the indexed text, their commonest words and those words' unit-length embeddings (none
        for an index made before they were kept: the next ingest adds them)."""
        try:
            data = np.load(self.gen_dir / "words.npz")
            return data["stems"].tolist(), data["words"].tolist(), data["vectors"].astype(np.float32)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return [], [], np.zeros((0, 0), dtype=np.float32)

    def analysis_stamp(self, doc_id: str, name: str) -> int | None:
        """The version stamped on a document's stored analysis `name` (a key of `documents.ANALYSES`), None when
        it has none.

        Raises:
            OSError, ValueError: the file is missing or is not JSON.
        """
        data = json.loads((self.gen_dir / "docs" / f"{doc_id}{ANALYSES[name]}").read_text(encoding="utf-8"))
        return data.get("version") if isinstance(data, dict) else None

    def _analysis(self, doc_id: str, name: str) -> Any:
        """A document's stored analysis `name`, or None when missing, unreadable or made by another version
        (which `doctor` reports and the next ingest makes anew)."""
        try:
            data = json.loads((self.gen_dir / "docs" / f"{doc_id}{ANALYSES[name]}").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == stamp(name) else None

    def mentions(self, doc_id: str) -> list[Mention]:
        """What a document cites, as extracted at ingest (none while its extraction is of another version)."""
        data = self._analysis(doc_id, "refs")
        return [Mention(**m) for m in data["mentions"]] if data else []

    def references(self) -> list[Reference]:
        """The reference registry: every cited document once, with its places, linked to the corpus."""
        if self._references is None:
            self._references = build_registry({d: self.mentions(d) for d in self.documents},
                                              {d: self.meta(d) for d in self.documents})
        return self._references

    def overview_part(self, doc_id: str) -> DocumentOverview | None:
        """A document's map, glossary, timeline and actors, as made at ingest (None while that part is of
        another version)."""
        data = self._analysis(doc_id, "overview")
        return DocumentOverview(**data["overview"]) if data else None

    def overview(self) -> Overview:
        """The onboarding view of the whole corpus, made once per process from the stored parts."""
        if self._overview is None:
            parts = {d: part for d in self.documents if (part := self.overview_part(d)) is not None}
            self._overview = combine(parts, {d: self.meta(d) for d in parts}, set(self.documents) - set(parts))
        return self._overview

    def position(self, chunk_id: str) -> int:
        """A chunk's position in the lexical index (and in `chunks`)."""
        return self._by_id[chunk_id]

    @property
    def vectors(self) -> Any:
        """The dense side as a LangChain `VectorStore` (langchain-chroma over this generation's collection)."""
        if self._vectors is None:
            self._vectors = self.store.vectorstore()
        return self._vectors

    @property
    def bm25(self) -> Any:
        """The lexical side: this generation's bm25s index."""
        if self._bm25 is None:
            self._bm25 = load_lexical(self.gen_dir)
        return self._bm25
