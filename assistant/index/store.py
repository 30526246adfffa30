"""The index: Chroma (dense) and bm25s (lexical) side by side, in crash-safe generations.

Layout of the index directory::

    CURRENT          name of the live generation (replaced atomically)
    LOCK             held by the one ingest that may write
    gen-000007/      state.json, chunks.jsonl, bm25/, chroma/ (embedded mode),
                     docs/<id>.json (clean text), <id>.sentences.npz (sentence vectors),
                     <id>.refs.json (what the document cites, see `refs`),
                     <id>.overview.json (its map, glossary, timeline, actors, see `overview`),
                     words.npz (each stem of the indexed text with its commonest word's embedding)

An ingest copies the live generation, changes the copy, and only then points CURRENT at it. A kill at any
moment leaves CURRENT naming a complete generation, and readers never see a half-written one. With a Chroma
server, each generation is a collection of its own on the server instead of a `chroma/` folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.enrich.overview import OVERVIEW_VERSION, DocumentOverview, Overview, combine, describe
from assistant.enrich.refs import REFS_VERSION, Mention, Reference, build_registry, extract
from assistant.models.embeddings import embedder_identity, get_embeddings
from assistant.text.sentences import sentence_units
from assistant.text.tokens import LEXICAL_VERSION, lexical_tokens, vocabulary
from assistant.types import AssistantError, Chunk, Document, DocumentMeta, Footnote, PageSpan, Section

SCHEMA_VERSION = 2
_GEN = re.compile(r"^gen-(\d{6})$")
_WORD_BATCH = 64  # words are short: larger batches than passages cost the embedder no more memory


def indexed_text(chunk: Chunk, meta: DocumentMeta) -> str:
    """What both indexes see: title and section give context the passage itself may lack."""
    notes = " ".join(f.text for f in chunk.footnotes)
    return "\n".join(p for p in (meta.title, " › ".join(chunk.section), chunk.text, notes) if p)


def _date_number(date: str | None) -> int:
    return int(date.replace("-", "")[:8].ljust(8, "0")) if date and date[:4].isdigit() else 0


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {
        "meta": doc.meta.to_dict(),
        "text": doc.text,
        "pages": [asdict(p) for p in doc.pages],
        "sections": [{"path": list(s.path), "start": s.start} for s in doc.sections],
        "footnotes": [asdict(f) for f in doc.footnotes.values()],
        "markers": doc.markers,
        "content_hash": doc.content_hash,
    }


def document_from_dict(data: dict[str, Any]) -> Document:
    return Document(
        meta=DocumentMeta(**data["meta"]),
        text=data["text"],
        pages=[PageSpan(**p) for p in data["pages"]],
        sections=[Section(tuple(s["path"]), s["start"]) for s in data["sections"]],
        footnotes={f["number"]: Footnote(**f) for f in data["footnotes"]},
        markers=[tuple(m) for m in data["markers"]],
        content_hash=data["content_hash"],
    )


class _Store:
    """Where one generation's vectors live: a Chroma folder of its own, or a collection on a server."""

    def __init__(self, settings: Settings, gen_dir: Path) -> None:
        self.settings = settings
        self.gen_dir = gen_dir

    @property
    def collection_name(self) -> str:
        """Embedded, each generation has a Chroma folder of its own; on a server, a collection of its own."""
        prefix = self.settings.chroma.collection
        return f"{prefix}-{self.gen_dir.name}" if self.settings.chroma.host else prefix

    def client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaClientSettings

        client_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
        chroma = self.settings.chroma
        try:
            if chroma.host:
                return chromadb.HttpClient(host=chroma.host, port=chroma.port, settings=client_settings)
            return chromadb.PersistentClient(path=str(self.gen_dir / "chroma"), settings=client_settings)
        except Exception as exc:  # chromadb raises plain Exceptions for unreachable servers
            where = f"Chroma server {chroma.host}:{chroma.port}" if chroma.host else "the embedded Chroma index"
            raise AssistantError(f"cannot open {where}: {exc}") from exc

    def collection(self, create: bool = False, client: Any = None) -> Any:
        client = client or self.client()
        if create:
            return client.get_or_create_collection(
                self.collection_name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        try:
            return client.get_collection(self.collection_name, embedding_function=None)
        except Exception as exc:
            raise AssistantError(
                f"the vector collection {self.collection_name} is missing or damaged ({exc}); "
                "run `assistant ingest --rebuild`"
            ) from exc

    def vectorstore(self, create: bool = False) -> Any:
        """This generation's vectors as a LangChain `VectorStore`, embedding with the configured embedder."""
        from langchain_chroma import Chroma

        client = self.client()
        self.collection(create=create, client=client)  # a clear error when missing; created with cosine distance
        return Chroma(
            client=client,
            collection_name=self.collection_name,
            embedding_function=get_embeddings(self.settings),
            create_collection_if_not_exists=False,
        )

    def clone_into(self, target: _Store) -> None:
        """Copy this generation's vectors to `target` without embedding anything again."""
        if not self.settings.chroma.host:
            if (self.gen_dir / "chroma").exists():
                shutil.copytree(self.gen_dir / "chroma", target.gen_dir / "chroma")
            return
        source, dest = self.collection(), target.collection(create=True)
        total = source.count()
        for offset in range(0, total, 500):
            batch = source.get(offset=offset, limit=500, include=["embeddings", "documents", "metadatas"])
            if batch["ids"]:
                dest.add(ids=batch["ids"], embeddings=batch["embeddings"], documents=batch["documents"],
                         metadatas=batch["metadatas"])

    def drop(self) -> None:
        if self.settings.chroma.host:
            try:
                self.client().delete_collection(self.collection_name)
            except Exception:  # already gone: nothing to drop
                pass


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
        self._store = _Store(settings, gen_dir)
        self._bm25: Any = None
        self._vectors: Any = None
        self._sentences: dict[str, dict[int, np.ndarray]] = {}
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
        schema = self.state.get("schema")
        if schema != SCHEMA_VERSION:
            raise AssistantError(
                f"index schema {schema} is not this version's schema {SCHEMA_VERSION}; run `assistant ingest --rebuild`"
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
        return DocumentMeta(**self.documents[doc_id]["meta"])

    def document(self, doc_id: str) -> Document:
        """The full clean document (text, pages, sections, footnotes), for highlighting quotes in context."""
        path = self.gen_dir / "docs" / f"{doc_id}.json"
        return document_from_dict(json.loads(path.read_text(encoding="utf-8")))

    def chunk(self, chunk_id: str) -> Chunk:
        return self.chunks[self._by_id[chunk_id]]

    def sentence_vectors(self, doc_id: str) -> dict[int, np.ndarray]:
        """Unit-length embeddings of a document's sentences, by start offset (see `text.sentences.sentence_units`)."""
        if doc_id not in self._sentences:
            data = np.load(self.gen_dir / "docs" / f"{doc_id}.sentences.npz")
            vectors = data["vectors"]  # kept as stored (float16): a large corpus holds millions of sentences
            self._sentences[doc_id] = dict(zip(data["starts"].tolist(), vectors, strict=True))
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

    def mentions(self, doc_id: str) -> list[Mention]:
        """What a document cites, as extracted at ingest (or now, when that was by an older grammar)."""
        return _load_mentions(self.gen_dir / "docs" / f"{doc_id}.refs.json") or extract(self.document(doc_id))

    def references(self) -> list[Reference]:
        """The reference registry: every cited document once, with its places, linked to the corpus."""
        if self._references is None:
            self._references = build_registry({d: self.mentions(d) for d in self.documents},
                                              {d: self.meta(d) for d in self.documents})
        return self._references

    def overview_part(self, doc_id: str) -> DocumentOverview:
        """A document's map, glossary, timeline and actors, as made at ingest (or now, by a newer version)."""
        try:
            data = json.loads((self.gen_dir / "docs" / f"{doc_id}.overview.json").read_text(encoding="utf-8"))
            if data.get("version") == OVERVIEW_VERSION:
                return DocumentOverview(**data["overview"])
        except (OSError, ValueError):
            pass
        return describe(self.document(doc_id), self.sentence_vectors(doc_id))

    def overview(self) -> Overview:
        """The onboarding view of the whole corpus, made once per process from the stored parts."""
        if self._overview is None:
            self._overview = combine({d: self.overview_part(d) for d in self.documents},
                                     {d: self.meta(d) for d in self.documents})
        return self._overview

    def position(self, chunk_id: str) -> int:
        return self._by_id[chunk_id]

    @property
    def vectors(self) -> Any:
        """The dense side as a LangChain `VectorStore` (langchain-chroma over this generation's collection)."""
        if self._vectors is None:
            self._vectors = self._store.vectorstore()
        return self._vectors

    @property
    def bm25(self) -> Any:
        if self._bm25 is None:
            import bm25s

            self._bm25 = bm25s.BM25.load(str(self.gen_dir / "bm25"), mmap=False)
        return self._bm25


def _stored(part: DocumentOverview) -> dict[str, Any]:
    return {"version": OVERVIEW_VERSION, "overview": part.model_dump()}


def _load_mentions(path: Path) -> list[Mention] | None:
    """Stored mentions, or None when missing or extracted by another version of the grammar."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("version") != REFS_VERSION:
        return None
    return [Mention(**m) for m in data["mentions"]]


def current_generation(index_dir: Path) -> str | None:
    """Name of the live generation, or None when nothing was ever committed."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AssistantError(f"cannot read index directory {index_dir}: {exc}") from exc
    if not _GEN.match(name) or not (index_dir / name / "state.json").exists():
        raise AssistantError(f"index pointer {index_dir / 'CURRENT'} is damaged; run `assistant ingest --rebuild`")
    return name


def check_writable(index_dir: Path) -> None:
    """Create the index directory if needed and prove it writable with a file of this process's own (a shared
    probe name let two ingests starting together remove each other's probe)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=index_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise AssistantError(f"index directory {index_dir} is not writable: {exc.strerror or exc}") from exc


@contextmanager
def ingest_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time; a second ingest waits `lock_timeout_s`, then refuses with a clear message."""
    from filelock import FileLock, Timeout

    index_dir = settings.index_dir
    check_writable(index_dir)
    lock = FileLock(str(index_dir / "LOCK"))
    try:
        lock.acquire(timeout=settings.ingest.lock_timeout_s)
    except Timeout as exc:
        raise AssistantError(
            f"another ingest is writing {index_dir}; wait for it to finish (or set ASSISTANT_INGEST__LOCK_TIMEOUT_S)"
        ) from exc
    try:
        yield
    finally:
        lock.release()


class Writer:
    """Builds the next generation from the live one; nothing is visible until `commit`."""

    def __init__(self, settings: Settings, rebuild: bool = False, replaced: set[str] | None = None) -> None:
        self.settings = settings
        self.index_dir = settings.index_dir
        live = None if rebuild else self._live_or_none()
        self.index_dir.mkdir(parents=True, exist_ok=True)
        number = max((int(m.group(1)) for p in self.index_dir.iterdir() if (m := _GEN.match(p.name))), default=0)
        self.gen_dir = self.index_dir / f"gen-{number + 1:06d}"
        self._sweep(keep=live.gen_dir.name if live else None)
        (self.gen_dir / "docs").mkdir(parents=True)
        self.store = _Store(settings, self.gen_dir)
        self.documents: dict[str, dict[str, Any]] = {}
        self.chunks: dict[str, list[Chunk]] = {}
        self._known_words: dict[str, np.ndarray] = {}
        if live is not None:
            _, words, vectors = live.words
            self._known_words = dict(zip(words, vectors, strict=True))
            live._store.clone_into(self.store)
            self.documents = dict(live.documents)
            for chunk in live.chunks:
                self.chunks.setdefault(chunk.doc_id, []).append(chunk)
        unreadable = []
        for doc_id in list(self.documents) if live is not None else []:
            if doc_id in (replaced or ()):  # about to be written anew (maybe because its files are damaged)
                continue
            try:
                for name in (f"{doc_id}.json", f"{doc_id}.sentences.npz"):
                    shutil.copy2(live.gen_dir / "docs" / name, self.gen_dir / "docs" / name)
                self._write_mentions(doc_id, live.mentions(doc_id))
                _write_json(self.gen_dir / "docs" / f"{doc_id}.overview.json", _stored(live.overview_part(doc_id)))
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                unreadable.append(doc_id)  # damaged and not being re-read: left out rather than copied broken
        self._vectors = self.store.vectorstore(create=True)
        self.embedded = 0
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
        gens = sorted(p for p in self.index_dir.iterdir() if _GEN.match(p.name))
        previous = [p.name for p in gens if live and p.name < live][-1:]
        for path in gens:
            if path.name not in {keep, live, *previous}:
                _Store(self.settings, path).drop()
                shutil.rmtree(path, ignore_errors=True)

    def remove(self, doc_id: str) -> None:
        """Drop a document from both indexes."""
        ids = [c.chunk_id for c in self.chunks.pop(doc_id, [])]
        for start in range(0, len(ids), 500):
            self._vectors.delete(ids=ids[start : start + 500])
        self.documents.pop(doc_id, None)
        for name in (f"{doc_id}.json", f"{doc_id}.sentences.npz", f"{doc_id}.refs.json", f"{doc_id}.overview.json"):
            (self.gen_dir / "docs" / name).unlink(missing_ok=True)

    def add(self, doc: Document, chunks: list[Chunk], files: dict[str, str], progress: Any = None) -> None:
        """Replace `doc` (if present) with its new chunks, embedding them in batches."""
        self.remove(doc.meta.doc_id)
        meta = doc.meta
        batch = self.settings.embeddings.batch_size
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            self._vectors.add_texts(
                [indexed_text(c, meta) for c in part],
                ids=[c.chunk_id for c in part],
                metadatas=[
                    {"doc_id": c.doc_id, "kind": meta.kind, "date": _date_number(meta.date), "ordinal": c.ordinal}
                    for c in part
                ],
            )
            self.embedded += len(part)
            if progress is not None:
                progress(len(part))
        vectors = self._embed_sentences(doc, chunks)
        _write_json(self.gen_dir / "docs" / f"{meta.doc_id}.json", document_to_dict(doc))
        self._write_mentions(meta.doc_id, extract(doc))
        _write_json(self.gen_dir / "docs" / f"{meta.doc_id}.overview.json", _stored(describe(doc, vectors)))
        self.chunks[meta.doc_id] = chunks
        self.documents[meta.doc_id] = {
            "meta": meta.to_dict(),
            "content_hash": doc.content_hash,
            "files": files,
            "chunk_ids": [c.chunk_id for c in chunks],
            "pages": len(doc.pages),
        }

    def _write_mentions(self, doc_id: str, mentions: list[Mention]) -> None:
        _write_json(self.gen_dir / "docs" / f"{doc_id}.refs.json",
                    {"version": REFS_VERSION, "mentions": [m.model_dump() for m in mentions]})

    def _embed_sentences(self, doc: Document, chunks: list[Chunk]) -> dict[int, np.ndarray]:
        """Embed every sentence once, so answering can weigh evidence by meaning (across languages too)
        without embedding anything at question time."""
        units = sorted({u for c in chunks for u in sentence_units(c)})
        embedder = get_embeddings(self.settings)
        batch = self.settings.embeddings.batch_size
        vectors = [v for i in range(0, len(units), batch)
                   for v in embedder.embed_documents([doc.text[a:b] for a, b in units[i : i + batch]])]
        matrix = np.array(vectors, dtype=np.float32).reshape(len(units), -1)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        with open(self.gen_dir / "docs" / f"{doc.meta.doc_id}.sentences.npz", "wb") as fh:
            np.savez(fh, starts=np.array([a for a, _ in units], dtype=np.int64), vectors=matrix.astype(np.float16))
        return {a: v for (a, _), v in zip(units, matrix, strict=True)}

    def _write_words(self, chunks: list[Chunk]) -> None:
        """Embed the words of the indexed text that the live generation had not embedded yet."""
        forms = vocabulary(t for c in chunks for t in (c.text, *(f.text for f in c.footnotes)))
        new = [w for w in forms.values() if w not in self._known_words]
        embedder = get_embeddings(self.settings)
        for start in range(0, len(new), _WORD_BATCH):
            part = new[start : start + _WORD_BATCH]
            for word, vector in zip(part, np.array(embedder.embed_documents(part), dtype=np.float32), strict=True):
                self._known_words[word] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        width = len(next(iter(self._known_words.values()))) if self._known_words else 0
        matrix = np.array([self._known_words[w] for w in forms.values()], dtype=np.float16).reshape(len(forms), width)
        with open(self.gen_dir / "words.npz", "wb") as fh:
            np.savez(fh, stems=np.array(list(forms), dtype=str), words=np.array(list(forms.values()), dtype=str),
                     vectors=matrix)

    def commit(self) -> str:
        """Write the lexical index and state, then make this generation the live one."""
        import bm25s

        all_chunks = [c for doc_id in sorted(self.chunks) for c in self.chunks[doc_id]]
        with open(self.gen_dir / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for chunk in all_chunks:
                fh.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        retriever = bm25s.BM25()
        metas = {doc_id: DocumentMeta(**d["meta"]) for doc_id, d in self.documents.items()}
        tokens = [lexical_tokens(indexed_text(c, metas[c.doc_id])) for c in all_chunks]
        # bm25s cannot index an empty corpus; an empty index is still a valid, searchable state
        retriever.index(tokens or [["\u2205"]], show_progress=False)
        retriever.save(str(self.gen_dir / "bm25"), show_progress=False)
        self._write_words(all_chunks)
        _write_json(
            self.gen_dir / "state.json",
            {
                "schema": SCHEMA_VERSION,
                "lexical": LEXICAL_VERSION,
                "embedder": embedder_identity(self.settings.embeddings),
                "chunking": self.settings.chunking.model_dump(),
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "documents": self.documents,
            },
        )
        _fsync_dir(self.gen_dir)
        pointer = self.index_dir / "CURRENT.tmp"
        pointer.write_text(self.gen_dir.name, encoding="utf-8")
        os.replace(pointer, self.index_dir / "CURRENT")
        _fsync_dir(self.index_dir)
        return self.gen_dir.name

    def abandon(self) -> None:
        """Throw the unfinished generation away (the live one is untouched)."""
        self.store.drop()
        shutil.rmtree(self.gen_dir, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

