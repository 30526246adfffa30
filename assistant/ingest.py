"""Bring the index in line with the corpus: only what changed is read, chunked and embedded.

Each document's content hash covers its files and manifest entry; an unchanged hash costs nothing. A file
that fails to load is reported and skipped, and a version of it already in the index stays there. Everything
the index keeps about a document is derived here (chunks, sentence vectors, references, overview part): the
index only stores it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from assistant.config import Settings
from assistant.enrich.overview import describe
from assistant.enrich.refs import PUBLICATIONS, extract, parse_id
from assistant.health import Health, check
from assistant.index import Analyses, Index, Writer, current_generation, ingest_lock
from assistant.index.embedding import Passages, embed_document
from assistant.index.versions import stamp
from assistant.sources.chunking import chunk_document
from assistant.sources.corpus import (
    DocumentSpec,
    ManifestEntry,
    add_to_corpus,
    discover,
    document_slug,
    download_publication,
    load_manifest,
    record,
    remove_document,
)
from assistant.sources.documents import build_document
from assistant.sources.loaders import SUPPORTED, Rendering, load
from assistant.text.normalize import language_of
from assistant.types import AssistantError, Chunk, Document, harmless

Progress = Callable[[str, int, int], None]  # (what: documents done of all, pages done, pages in all)
_LANGUAGE_CHARS = 20_000  # of a document's text, read for the language it is written in


@dataclass
class FileResult:
    """What happened to one document (or a file that could not become one)."""

    name: str
    status: str  # added | updated | unchanged | removed | skipped | failed
    doc_id: str | None = None
    message: str = ""
    pages: int = 0
    chunks: int = 0

    def __post_init__(self) -> None:
        self.message = harmless(self.message)


@dataclass
class IngestReport:
    """The summary `assistant ingest` prints."""

    results: list[FileResult] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0
    generation: str | None = None
    repaired: list[str] = field(default_factory=list)  # what the integrity check found and this ingest mended

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
    """Files, manifest metadata, chunking settings and the chunks' version (which covers sentence splitting):
    any change means the document is rebuilt."""
    payload = json.dumps(
        [sorted(files.items()), spec.meta.to_dict() if spec.listed else None, settings.chunking.model_dump(),
         stamp("chunks")],
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _infer(spec: DocumentSpec, renderings: list[Rendering]) -> None:
    """Fill the metadata a document's manifest entry does not give (all of it for a file without one) from what
    its files say: file metadata, an official publication's head, the first heading, a date, the language its
    text is written in. An English paper added without saying so is English, not the default Dutch."""
    found: dict[str, str] = {"language": language_of(" ".join(r.plain[:_LANGUAGE_CHARS] for r in renderings))}
    for rendering in renderings:
        for key, value in rendering.metadata.items():
            found.setdefault(key, value)
    meta = spec.meta
    for key in sorted(spec.inferable):
        if value := found.get(key):
            setattr(meta, key, value[:200] if key == "title" else value)
    # not given: found in the files, or stood in for (a title by the file's name, a kind by "document")
    given_by_files = [k for k in sorted(spec.inferable) if k in found or k in {"title", "kind"}]
    meta.inferred = list(dict.fromkeys([*meta.inferred, *given_by_files]))


def analyse(settings: Settings, doc: Document, chunks: list[Chunk], passages: Passages | None = None) -> Analyses:
    """What the index stores beside a document's chunks: their vectors and its sentences', what it cites, its
    overview part. `passages` is the ingest's embedder (a writer's), so a text met twice is embedded once."""
    chunk_vectors, sentences = embed_document(passages or Passages(settings), doc, chunks)
    return Analyses(chunk_vectors, sentences, extract(doc), describe(doc, sentences.by_start()))


def _prepare(spec: DocumentSpec, content_hash: str, settings: Settings) -> tuple[Document, list[Chunk], int]:
    renderings = [load(path, fmt) for path, fmt in spec.files]
    _infer(spec, renderings)
    doc = build_document(spec.meta, renderings, content_hash)
    chunks = chunk_document(doc, settings.chunking)
    if not chunks:
        raise AssistantError(f"{spec.files[0][0].name}: no text to index")
    return doc, chunks, len(doc.pages)


def ingest(
    settings: Settings, paths: list[Path] | None = None, rebuild: bool = False, progress: Progress | None = None,
    force: set[str] | None = None,
) -> IngestReport:
    """Sync the index with the corpus directory (after copying `paths` into it).

    Documents in `force` are read again even when unchanged. Before anything, the live index gets the quick
    integrity check (`doctor`): a document whose parts disagree is read again, an index whose stores disagree
    as a whole is rebuilt. Returns the report; per-file failures are in it rather than raised, so one bad file
    never stops the rest.
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
        force = set(force or ())
        live = _live(settings, rebuild)
        if live is not None:
            health = check(settings, quick=True, index=live)
            if health.whole_index:
                rebuild, live = True, None
            force |= set(health.damaged_documents)
            report.repaired = [f"{p.doc_id}: {p.what}" if p.doc_id else p.what for p in health.problems]
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
            if previous and previous["content_hash"] == content_hash and spec.meta.doc_id not in force:
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
        stale = live is not None and live.state.get("lexical", 1) != stamp("lexical")
        if stale:
            report.repaired.append("the lexical index was made by another version of the assistant; made anew")
        if prepared or removed or rebuild or live is None or stale:
            try:
                report.generation, report.embedded = _write(settings, rebuild or live is None, prepared, removed,
                                                             known, report, progress)
            except OSError as exc:  # a full disk or a file-size limit: the live index was never touched
                raise AssistantError(f"cannot write the index in {settings.index_dir} ({exc.strerror or exc}); "
                                     "the index is as it was before this ingest") from exc
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
    writer = Writer(settings, rebuild=fresh, replaced={spec.meta.doc_id for spec, *_ in prepared} | set(removed))
    try:
        for doc_id in removed:
            writer.remove(doc_id)
            report.results.append(FileResult(doc_id, "removed", doc_id))
        total = sum(max(pages, 1) for *_, pages in prepared)  # a text without page breaks is one page
        done = 0
        for number, (spec, files, doc, chunks, pages) in enumerate(prepared, 1):
            writer.add(doc, chunks, files, analyse(settings, doc, chunks, writer.passages))
            status = "updated" if spec.meta.doc_id in known and not fresh else "added"
            report.results.append(FileResult(", ".join(files), status, spec.meta.doc_id, pages=pages,
                                             chunks=len(chunks)))
            done += max(pages, 1)
            if progress:
                progress(f"{number}/{len(prepared)} documents", done, total)
        if progress:
            progress("the word vectors and the lexical index", done, total)
        return writer.commit(), sum(len(chunks) for *_, chunks, _ in prepared)
    except BaseException:
        writer.abandon()
        raise


_ARCHIVES = {".docx": "Word document (.docx)", ".odt": "OpenDocument text (.odt)"}


def file_problem(path: Path, max_mb: int) -> str | None:
    """Why a file cannot be added: type (by its content, not only its name) or size."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        return f"unsupported file type {suffix or '(none)'}; use {', '.join(sorted(SUPPORTED))}"
    size = path.stat().st_size
    if size == 0:
        return "the file is empty"
    if size > max_mb * 1024 * 1024:
        return f"larger than {max_mb} MB"
    data = path.read_bytes()
    if suffix == ".pdf" and not data.startswith(b"%PDF-"):
        return "not a PDF (its content does not start with %PDF-)"
    if suffix in _ARCHIVES:  # a zip archive of XML parts; whether a document's, its loader tells
        return None if data.startswith(b"PK\x03\x04") else f"not a readable {_ARCHIVES[suffix]}: no zip archive"
    if suffix != ".pdf" and (b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return "binary content in a text file"
    return None


def add_document(settings: Settings, source: Path, doc_id: str | None = None, progress: Progress | None = None,
                 **meta: str | None) -> FileResult:
    """Put one file in the corpus with its manifest entry (`meta`: title, kind, date, identifier, url; what is
    not given, the file says) and ingest it. An existing document is never replaced, and on any failure nothing of
    it stays behind.

    Raises:
        AssistantError: why the file was refused or did not ingest.
    """
    if not source.is_file():
        raise AssistantError(f"{source}: no such file")
    problem = file_problem(source, settings.ingest.max_file_mb)
    if problem:
        raise AssistantError(f"{source.name}: {problem}")
    corpus = settings.corpus_dir
    doc_id = doc_id or document_slug(source.stem)
    name = document_slug(doc_id) + source.suffix.lower()  # no path separators or tricks survive
    target = corpus / name
    if target.exists():
        raise AssistantError(f"{name}: the corpus already has a file with this name")
    listed = {e.id for e in load_manifest(corpus)}
    known = Index.open(settings).documents if current_generation(settings.index_dir) else {}
    if doc_id in listed or doc_id in known:
        raise AssistantError(f"{name}: a document with id {doc_id} is already in the corpus; remove it first or "
                             "choose another id")
    fields = {k: v.strip() for k, v in meta.items() if v and v.strip()}
    try:
        entry = ManifestEntry(id=doc_id, **fields, files=[{"path": name}])  # the rest the file says (`_infer`)
    except ValidationError as exc:
        raise AssistantError(f"{name}: " + "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors())) from exc
    corpus.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    try:
        record(corpus, entry)
    except AssistantError:
        target.unlink(missing_ok=True)
        raise
    report = ingest(settings, progress=progress)
    result = next((r for r in report.results if r.doc_id == doc_id), None)
    if result is None or result.status == "failed":  # take it out again: nothing half-added stays behind
        remove_document(corpus, doc_id, [])
        target.unlink(missing_ok=True)  # never part of the corpus, so not kept in its trash either
        ingest(settings)
        raise AssistantError(f"{name}: failed: {result.message if result else 'not ingested'}")
    return result


def add_reference(settings: Settings, ref_id: str, progress: Progress | None = None) -> FileResult:
    """Download a cited official publication by its reference id and add it like a file, with the metadata the
    citing documents and its page give."""
    import tempfile


    canonical = parse_id(ref_id)
    if canonical is None:
        raise AssistantError(f"{ref_id} is neither a file nor a reference id; see `assistant refs` for ids "
                             "(kst-26643-940, stcrt-2022-35231, ...)")
    live = Index.open(settings) if current_generation(settings.index_dir) else None
    cited = next((r for r in live.references() if r.id == canonical), None) if live else None
    if cited and cited.in_corpus:
        raise AssistantError(f"{canonical} is already in the corpus as {cited.in_corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        publication = download_publication(canonical, settings.ingest.publications_url,
                                           settings.ingest.download_timeout_s, Path(tmp))
        return add_document(
            settings, publication.path, canonical, progress,
            title=(cited.title if cited else None) or publication.title or canonical,
            kind={"kamerstuk": "Kamerstuk", "motie": "motie"}.get(cited.kind if cited else "", "publicatie")
            if canonical.startswith("kst-") else "Staatscourant" if canonical.startswith("stcrt-") else "Staatsblad",
            date=(cited.date if cited else None) or publication.date,
            identifier=cited.identifier if cited else None,
            url=f"{PUBLICATIONS}/{canonical}.html",
        )


def repair(settings: Settings) -> tuple[Health, Health]:
    """Re-ingest what is inconsistent (the whole index when it cannot be read or its stores disagree as a
    whole); returns the health before and after."""
    before = check(settings)
    if before.ok and not before.pending:
        return before, before
    unreadable = before.generation is None or before.whole_index
    ingest(settings, rebuild=unreadable, force=set(before.damaged_documents))
    return before, check(settings)
