"""Bring the index in line with the corpus: only what changed is read, chunked and embedded.

Each document's content hash covers its files and manifest entry; an unchanged hash costs nothing. A file
that fails to load is reported and skipped, and a version of it already in the index stays there.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.chunking import chunk_document
from assistant.config import Settings
from assistant.corpus import DocumentSpec, add_to_corpus, discover
from assistant.documents import build_document
from assistant.index import Index, Writer, current_generation, ingest_lock
from assistant.loaders import Rendering, load
from assistant.schema import AssistantError, Chunk, Document

Progress = Callable[[str, int, int], None]


@dataclass
class FileResult:
    """What happened to one document (or a file that could not become one)."""

    name: str
    status: str  # added | updated | unchanged | removed | skipped | failed
    doc_id: str | None = None
    message: str = ""
    pages: int = 0
    chunks: int = 0


@dataclass
class IngestReport:
    """The summary `assistant ingest` prints."""

    results: list[FileResult] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0
    generation: str | None = None

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.results if r.status in statuses)


def _size_problem(spec: DocumentSpec, max_mb: int) -> str | None:
    """Empty and oversized files fail before anything reads them."""
    for path, _ in spec.files:
        size = path.stat().st_size
        if size == 0:
            return f"{path.name}: empty file"
        if size > max_mb * 1024 * 1024:
            return f"{path.name}: larger than {max_mb} MB"
    return None


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _content_hash(spec: DocumentSpec, files: dict[str, str], settings: Settings) -> str:
    """Files, manifest metadata and chunking settings: any change means the document is rebuilt."""
    payload = json.dumps(
        [sorted(files.items()), spec.meta.to_dict() if spec.listed else None, settings.chunking.model_dump()],
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _infer(spec: DocumentSpec, renderings: list[Rendering]) -> None:
    """Fill an unlisted document's metadata from what its file says (PDF metadata, first heading, a date)."""
    if spec.listed:
        return
    found: dict[str, str] = {}
    for rendering in renderings:
        for key, value in rendering.metadata.items():
            found.setdefault(key, value)
    meta = spec.meta
    if found.get("title"):
        meta.title = found["title"][:200]
    if found.get("date"):
        meta.date, meta.inferred = found["date"], [*meta.inferred, "date"]
    if found.get("identifier"):
        meta.identifier, meta.inferred = found["identifier"], [*meta.inferred, "identifier"]


def _prepare(spec: DocumentSpec, content_hash: str, settings: Settings) -> tuple[Document, list[Chunk], int]:
    renderings = [load(path, fmt) for path, fmt in spec.files]
    _infer(spec, renderings)
    doc = build_document(spec.meta, renderings, content_hash)
    chunks = chunk_document(doc, settings.chunking)
    if not chunks:
        raise AssistantError(f"{spec.files[0][0].name}: no text to index")
    return doc, chunks, len(doc.pages)


def ingest(
    settings: Settings, paths: list[Path] | None = None, rebuild: bool = False, progress: Progress | None = None
) -> IngestReport:
    """Sync the index with the corpus directory (after copying `paths` into it).

    Returns the report; per-file failures are in it rather than raised, so one bad file never stops the rest.
    """
    started = time.perf_counter()
    report = IngestReport()
    for path in paths or []:
        try:
            add_to_corpus(settings.corpus_dir, path)
        except AssistantError as exc:
            report.results.append(FileResult(str(path), "failed", message=str(exc)))
    specs, problems = discover(settings.corpus_dir)
    report.results += [FileResult(name, "failed", message=reason) for name, reason in problems]

    with ingest_lock(settings):
        live = _live(settings, rebuild)
        known = live.documents if live else {}
        seen_files: dict[str, str] = {}
        todo: list[tuple[DocumentSpec, str, dict[str, str]]] = []
        keep: set[str] = set()
        for spec in specs:
            name = ", ".join(p.name for p, _ in spec.files)
            bad = _size_problem(spec, settings.ingest.max_file_mb)
            if bad:
                report.results.append(FileResult(name, "failed", spec.meta.doc_id, bad))
                keep.add(spec.meta.doc_id)  # a version already indexed stays
                continue
            files = {p.name: _file_hash(p) for p, _ in spec.files}
            twin = next((seen_files[h] for h in files.values() if h in seen_files), None)
            if twin is not None:
                report.results.append(FileResult(name, "skipped", spec.meta.doc_id, f"duplicate of {twin}"))
                continue
            seen_files.update({h: spec.meta.doc_id for h in files.values()})
            content_hash = _content_hash(spec, files, settings)
            previous = known.get(spec.meta.doc_id)
            if previous and previous["content_hash"] == content_hash:
                keep.add(spec.meta.doc_id)
                report.results.append(FileResult(name, "unchanged", spec.meta.doc_id, pages=previous.get("pages", 0),
                                                 chunks=len(previous["chunk_ids"])))
                continue
            todo.append((spec, content_hash, files))
        keep |= {spec.meta.doc_id for spec, _, _ in todo}
        removed = [doc_id for doc_id in known if doc_id not in keep]
        prepared: list[Prepared] = []
        for spec, content_hash, files in todo:
            name = ", ".join(p.name for p, _ in spec.files)
            try:
                prepared.append((spec, files, *_prepare(spec, content_hash, settings)))
            except AssistantError as exc:
                report.results.append(FileResult(name, "failed", spec.meta.doc_id, str(exc)))
        if prepared or removed or rebuild or live is None:
            report.generation, report.embedded = _write(settings, rebuild or live is None, prepared, removed,
                                                         known, report, progress)
        else:
            report.generation = live.gen_dir.name
    report.seconds = time.perf_counter() - started
    return report


def _live(settings: Settings, rebuild: bool) -> Index | None:
    if rebuild or current_generation(settings.index_dir) is None:
        return None
    try:
        return Index.open(settings)
    except AssistantError:
        return None  # damaged or built by another embedder/schema: rebuilt from scratch


Prepared = tuple[DocumentSpec, dict[str, str], Document, list[Chunk], int]


def _write(
    settings: Settings,
    fresh: bool,
    prepared: list[Prepared],
    removed: list[str],
    known: dict[str, dict],
    report: IngestReport,
    progress: Progress | None,
) -> tuple[str, int]:
    """Apply removals and additions to a new generation and make it live; abandon it on any failure."""
    writer = Writer(settings, rebuild=fresh)
    try:
        for doc_id in removed:
            writer.remove(doc_id)
            report.results.append(FileResult(doc_id, "removed", doc_id))
        total = sum(len(chunks) for *_, chunks, _ in prepared)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("embedding", done, total)

        for spec, files, doc, chunks, pages in prepared:
            writer.add(doc, chunks, files, advance)
            status = "updated" if spec.meta.doc_id in known and not fresh else "added"
            report.results.append(FileResult(", ".join(files), status, spec.meta.doc_id, pages=pages,
                                             chunks=len(chunks)))
        return writer.commit(), writer.embedded
    except BaseException:
        writer.abandon()
        raise
