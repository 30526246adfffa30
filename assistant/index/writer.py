"""Writing the next generation: the live one copied, documents removed and added, then committed whole.

The writer only stores: a document comes with everything ingest derived from it (chunks and their vectors,
sentence vectors, references, overview part); at commit the writer makes the lexical index and the word
vectors from all chunks. Its `passages` is the one embedder of the ingest, so a text met twice is embedded once.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.enrich.overview import DocumentOverview
from assistant.enrich.refs import Mention
from assistant.index.documents import FILES, document_to_dict, indexed_text
from assistant.index.embedding import Passages, SentenceVectors, embed_words
from assistant.index.generations import (
    current_generation,
    generation_dirs,
    make_current,
    next_generation,
    write_json,
)
from assistant.index.lexical import write_lexical
from assistant.index.reader import Index
from assistant.index.vectors import VectorStore, chunk_metadata
from assistant.index.versions import stamp
from assistant.models.embeddings import embedder_identity
from assistant.text.tokens import vocabulary
from assistant.types import AssistantError, Chunk, Document, DocumentMeta


@dataclass(frozen=True)
class Analyses:
    """What ingest derived from a document, stored beside it: its chunks' vectors (row by row), its sentence
    vectors, what it cites and its part of the overview."""

    chunk_vectors: np.ndarray
    sentences: SentenceVectors
    mentions: list[Mention]
    overview: DocumentOverview


class Writer:
    """Builds the next generation from the live one; nothing is visible until `commit`."""

    def __init__(self, settings: Settings, rebuild: bool = False, replaced: set[str] | None = None) -> None:
        self.settings = settings
        self.index_dir = settings.index_dir
        live = None if rebuild else self._live_or_none()
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.gen_dir = next_generation(self.index_dir)
        self._sweep(keep=live.gen_dir.name if live else None)
        (self.gen_dir / "docs").mkdir(parents=True)
        self.store = VectorStore(settings, self.gen_dir)
        self.documents: dict[str, dict[str, Any]] = {}
        self.chunks: dict[str, list[Chunk]] = {}
        self._known_words: dict[str, np.ndarray] = {}
        if live is not None:
            _, words, vectors = live.words
            self._known_words = dict(zip(words, vectors, strict=True))
            live.store.clone_into(self.store)
            self.documents = dict(live.documents)
            for chunk in live.chunks:
                self.chunks.setdefault(chunk.doc_id, []).append(chunk)
        unreadable = []
        for doc_id in list(self.documents) if live is not None else []:
            if doc_id in (replaced or ()):  # about to be written anew (maybe because its files are damaged)
                continue
            try:
                for name in (f"{doc_id}{suffix}" for suffix in FILES):
                    shutil.copy2(live.gen_dir / "docs" / name, self.gen_dir / "docs" / name)
            except OSError:
                unreadable.append(doc_id)  # a file gone and not being re-read: left out rather than kept incomplete
        self._collection = self.store.collection(create=True)
        self.passages = Passages(settings)
        for doc_id in unreadable:
            self.remove(doc_id)

    def _live_or_none(self) -> Index | None:
        """The live generation if it can be built upon; a damaged or incompatible one is rebuilt from scratch."""
        try:
            return Index.open(self.settings)
        except AssistantError:
            return None

    def _sweep(self, keep: str | None) -> None:
        """Remove generations other than the live one and the one before it (left by crashes or old)."""
        try:
            live = current_generation(self.index_dir)
        except AssistantError:  # a damaged pointer names nothing worth keeping; this build replaces it
            live = None
        gens = generation_dirs(self.index_dir)
        previous = [p.name for p in gens if live and p.name < live][-1:]
        for path in gens:
            if path.name not in {keep, live, *previous}:
                VectorStore(self.settings, path).drop()
                shutil.rmtree(path, ignore_errors=True)

    def remove(self, doc_id: str) -> None:
        """Drop a document from both indexes."""
        ids = [c.chunk_id for c in self.chunks.pop(doc_id, [])]
        for start in range(0, len(ids), 500):
            self._collection.delete(ids=ids[start : start + 500])
        self.documents.pop(doc_id, None)
        for suffix in FILES:
            (self.gen_dir / "docs" / f"{doc_id}{suffix}").unlink(missing_ok=True)

    def add(self, doc: Document, chunks: list[Chunk], files: dict[str, str], analyses: Analyses) -> None:
        """Replace `doc` (if present) with its new chunks and their vectors, and store its analyses."""
        self.remove(doc.meta.doc_id)
        meta = doc.meta
        for start in range(0, len(chunks), 500):
            part = chunks[start : start + 500]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=analyses.chunk_vectors[start : start + 500].tolist(),
                documents=[indexed_text(c, meta) for c in part],
                metadatas=[chunk_metadata(c, meta) for c in part],
            )
        docs = self.gen_dir / "docs"
        with open(docs / f"{meta.doc_id}.sentences.npz", "wb") as fh:
            sentences = analyses.sentences
            np.savez(fh, starts=np.array(sentences.starts, dtype=np.int64),
                     vectors=sentences.matrix.astype(np.float16), notes=np.array(sentences.notes, dtype=np.int64),
                     note_vectors=sentences.note_matrix.astype(np.float16))
        write_json(docs / f"{meta.doc_id}.json", document_to_dict(doc))
        write_json(docs / f"{meta.doc_id}.refs.json",
                   {"version": stamp("refs"), "mentions": [m.model_dump() for m in analyses.mentions]})
        write_json(docs / f"{meta.doc_id}.overview.json",
                   {"version": stamp("overview"), "overview": analyses.overview.model_dump()})
        self.chunks[meta.doc_id] = chunks
        self.documents[meta.doc_id] = {
            "meta": meta.to_dict(),
            "content_hash": doc.content_hash,
            "files": files,
            "chunk_ids": [c.chunk_id for c in chunks],
            "pages": len(doc.pages),
        }

    def _write_words(self, chunks: list[Chunk]) -> None:
        """Embed the words of the indexed text that the live generation had not embedded yet."""
        forms = vocabulary(t for c in chunks for t in (c.text, *(f.text for f in c.footnotes)))
        self._known_words.update(embed_words(self.passages, [w for w in forms.values() if w not in self._known_words]))
        width = len(next(iter(self._known_words.values()))) if self._known_words else 0
        matrix = np.array([self._known_words[w] for w in forms.values()], dtype=np.float16).reshape(len(forms), width)
        with open(self.gen_dir / "words.npz", "wb") as fh:
            np.savez(fh, stems=np.array(list(forms), dtype=str), words=np.array(list(forms.values()), dtype=str),
                     vectors=matrix)

    def commit(self) -> str:
        """Write the lexical index and state, then make this generation the live one."""
        all_chunks = [c for doc_id in sorted(self.chunks) for c in self.chunks[doc_id]]
        with open(self.gen_dir / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for chunk in all_chunks:
                fh.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        metas = {doc_id: DocumentMeta(**d["meta"]) for doc_id, d in self.documents.items()}
        write_lexical(self.gen_dir, all_chunks, metas)
        self._write_words(all_chunks)
        write_json(
            self.gen_dir / "state.json",
            {
                "schema": stamp("schema"),
                "lexical": stamp("lexical"),
                "embedder": embedder_identity(self.settings.embeddings),
                "chunking": self.settings.chunking.model_dump(),
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "documents": self.documents,
            },
        )
        make_current(self.gen_dir)
        return self.gen_dir.name

    def abandon(self) -> None:
        """Throw the unfinished generation away (the live one is untouched)."""
        self.store.drop()
        shutil.rmtree(self.gen_dir, ignore_errors=True)
