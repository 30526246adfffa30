"""The corpus directory and its manifest: which files make which document, with what metadata.

`corpus/manifest.toml` lists documents as `[[document]]` tables. Several files can render one document
(the PDF and the official publication text): they are merged into one document, never indexed twice.
Files without a manifest entry are still ingested, each as its own document with inferred metadata.
"""

from __future__ import annotations

import datetime
import re
import shutil
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.enrich.refs import official_name
from assistant.sources.loaders import SUPPORTED
from assistant.text.normalize import slug
from assistant.types import AssistantError, DocumentMeta

MANIFEST = "manifest.toml"
_IGNORED = {MANIFEST, "README.md", "README.txt"}


class FileEntry(BaseModel):
    """One rendering of a document."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="File name relative to the corpus directory.")
    format: Literal["pdf", "pdf-text", "html", "text", "markdown", "docx", "odt"] | None = Field(
        None,
        description="How to read it; by default from the suffix. `pdf-text` is text extracted from a PDF where "
        "form feeds, or a line starting with one space, begin a new page.",
    )


# How a manifest may name the two languages the answerer reads in their own words (stemming, framing of quotes)
_LANGUAGE_NAMES = {"nl": "nl", "dutch": "nl", "nederlands": "nl", "en": "en", "english": "en", "engels": "en"}


class ManifestEntry(BaseModel):
    """A document as the manifest describes it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", description="Stable id, e.g. kst-26643-1055.")
    title: str | None = Field(None, description="Title (default: what the file says, see `INFERABLE`).")
    kind: str = Field("document", description="Kamerbrief, strategie, rapport, motie, ...")
    date: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        """A date that exists: 2022-13-45 is refused, not stored."""
        if value:
            year, month, day = [*value.split("-"), "01", "01"][:3]
            datetime.date(int(year), int(month), int(day))  # ValueError becomes a validation error
        return value
    identifier: str | None = Field(
        None, description='Official identifier, e.g. "Kamerstukken II 2022/23, 26 643, nr. 1055".'
    )
    url: str | None = None
    language: str | None = Field(None, description="nl or en (default: read from the text).")
    ministry: str | None = None
    status: Literal["current", "replaced", "withdrawn"] = "current"
    replaced_by: str | None = None
    files: list[FileEntry] = Field(min_length=1)

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str | None) -> str | None:
        """Dutch and English however written ("EN", "en-GB", "English", "Nederlands") as the codes the answerer
        reads a document's words by (`_LANGUAGE_NAMES`); any other language as given."""
        if value is None:
            return None
        primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
        return _LANGUAGE_NAMES.get(primary, value.strip())


# What a document's files say of it where its manifest entry does not (or it has none): its title (file metadata,
# an official publication's head, the first heading), kind, date, identifier and language (`ingest._infer`).
INFERABLE = frozenset(("title", "kind", "date", "identifier", "language"))


@dataclass
class DocumentSpec:
    """A document to ingest: its metadata, the files that render it, and which of its metadata its files are to
    give (`INFERABLE` less what its manifest entry gives)."""

    meta: DocumentMeta
    files: list[tuple[Path, str | None]] = field(default_factory=list)
    listed: bool = True
    inferable: frozenset[str] = INFERABLE


_SLUG_CHARS = 96


def document_slug(name: str) -> str:
    """A safe id from a file name: ASCII, lower case, dashes, and short enough that the index's per-document
    file names stay under the file system's 255 bytes (a long name keeps its start and a hash of the rest)."""
    return slug(name, _SLUG_CHARS, "document")


def load_manifest(corpus_dir: Path) -> list[ManifestEntry]:
    """The manifest's entries; a broken manifest stops the ingest before anything changes."""
    path = corpus_dir / MANIFEST
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries = [ManifestEntry(**d) for d in data.get("document", [])]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: not valid TOML: {exc}") from exc
    except (ValidationError, TypeError) as exc:
        raise AssistantError(f"{path}: {exc}") from exc
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise AssistantError(f"{path}: document id(s) listed twice: {', '.join(duplicates)}")
    return entries


def discover(corpus_dir: Path) -> tuple[list[DocumentSpec], list[tuple[str, str]]]:
    """Every document in the corpus, and (file, reason) for what cannot be one."""
    if not corpus_dir.is_dir():
        raise AssistantError(f"corpus directory {corpus_dir} does not exist")
    specs: list[DocumentSpec] = []
    problems: list[tuple[str, str]] = []
    listed: set[str] = set()
    for entry in load_manifest(corpus_dir):
        meta = DocumentMeta(
            doc_id=entry.id, title=entry.title or Path(entry.files[0].path).stem, kind=entry.kind, date=entry.date,
            identifier=entry.identifier, url=entry.url, language=entry.language or "nl", ministry=entry.ministry,
            status=entry.status, replaced_by=entry.replaced_by, files=[f.path for f in entry.files],
        )
        spec = DocumentSpec(meta, inferable=INFERABLE - {k for k in entry.model_fields_set if getattr(entry, k)})
        for f in entry.files:
            listed.add(f.path)
            path = corpus_dir / f.path
            if not path.is_file():
                problems.append((f.path, f"listed in {MANIFEST} for {entry.id} but not found in {corpus_dir}"))
                continue
            spec.files.append((path, f.format))
        if spec.files:
            specs.append(spec)
    taken = {s.meta.doc_id for s in specs}
    for path in sorted(p for p in corpus_dir.rglob("*") if not p.is_dir()):
        rel = path.relative_to(corpus_dir).as_posix()
        if rel in listed or path.name in _IGNORED or any(part.startswith(".") for part in path.parts):
            continue
        if not path.is_file():
            problems.append((rel, "not a readable file (a broken or looping link, a pipe or a device)"))
            continue
        if path.suffix.lower() not in SUPPORTED:
            kinds = ", ".join(sorted(SUPPORTED))
            problems.append((rel, f"unsupported file type {path.suffix or '(none)'}; use {kinds}"))
            continue
        doc_id = document_slug(path.stem)
        while doc_id in taken:
            doc_id += "-2"
        taken.add(doc_id)
        meta = DocumentMeta(doc_id=doc_id, title=path.stem, files=[rel], inferred=["id", "title", "kind"])
        specs.append(DocumentSpec(meta, [(path, None)], listed=False))
    return specs, problems


def add_to_corpus(corpus_dir: Path, source: Path) -> Path:
    """Copy a file into the corpus under a safe name; an existing different file is never overwritten."""
    if not source.is_file():
        raise AssistantError(f"{source}: no such file")
    name = document_slug(source.stem) + source.suffix.lower()
    target = corpus_dir / name
    if source.resolve() == target.resolve() or source.resolve().is_relative_to(corpus_dir.resolve()):
        return source
    if target.exists() and target.read_bytes() != source.read_bytes():
        raise AssistantError(f"{source}: the corpus already has a different file named {name}")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return target


def record(corpus_dir: Path, entry: ManifestEntry) -> None:
    """Add (or replace) a document's entry in the manifest, keeping the file's comments and layout."""
    import tomlkit

    path = corpus_dir / MANIFEST
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    tables = doc.setdefault("document", tomlkit.aot())
    for i in reversed(range(len(tables))):
        if tables[i].get("id") == entry.id:
            del tables[i]
    table = tomlkit.table()
    for key, value in entry.model_dump(exclude_none=True, exclude_unset=True).items():  # what was given, no more
        if key == "files":
            value = [{k: v for k, v in f.items() if v is not None} for f in value]
        table[key] = value
    tables.append(table)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    load_manifest_text(tmp)
    tmp.replace(path)


def load_manifest_text(path: Path) -> None:
    """Refuse to write a manifest that would not load."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        [ManifestEntry(**d) for d in data.get("document", [])]
    except (tomllib.TOMLDecodeError, ValidationError, TypeError) as exc:
        path.unlink(missing_ok=True)
        raise AssistantError(f"the manifest would become invalid: {exc}") from exc


def remove_document(corpus_dir: Path, doc_id: str, files: list[str]) -> list[str]:
    """Take a document out of the corpus: its manifest entry goes, its files move to `.removed/` (never
    deleted, so a mistake can be undone). Returns the files moved."""
    import tomlkit

    path = corpus_dir / MANIFEST
    if path.exists():
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
        tables = doc.get("document", [])
        for i in reversed(range(len(tables))):
            if tables[i].get("id") == doc_id:
                del tables[i]
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
        load_manifest_text(tmp)
        tmp.replace(path)
    moved = []
    trash = corpus_dir / ".removed"
    for rel in files:
        source = corpus_dir / rel  # a link is moved itself: what it points to, maybe outside, is left alone
        if (source.is_file() or source.is_symlink()) and source.parent.resolve().is_relative_to(corpus_dir.resolve()):
            trash.mkdir(exist_ok=True)
            target = trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{source.name}"
            source.replace(target)
            moved.append(rel)
    return moved


@dataclass
class Publication:
    """An official publication fetched for the corpus, with what its page says about itself."""

    path: Path
    title: str | None = None
    date: str | None = None


_OFFICIAL = re.compile(r"^(?P<series>kst|stcrt|stb)-(?P<a>\d+)(?:-(?P<b>[a-z0-9]+))?(?:-(?P<c>[a-z0-9]+))?$")


def download_publication(ref_id: str, base_url: str, timeout_s: float, dest: Path) -> Publication:
    """Fetch the official HTML of a Kamerstuk, Staatscourant or Staatsblad issue into `dest`, and check that the
    page is that document (its identifier in the page's metadata or its numbers in the text)."""
    import urllib.error
    import urllib.request

    from bs4 import BeautifulSoup

    if not _OFFICIAL.match(ref_id):
        raise AssistantError(f"{ref_id} is not published on officielebekendmakingen.nl; download it yourself and "
                             f"add it with `assistant corpus add FILE --id {ref_id} --title ...`")
    if re.fullmatch(r"kst-\d+(?:-[ivxlc]{2,})?", ref_id):
        raise AssistantError(f"{ref_id} is a dossier, not one document; add its documents one by one "
                             f"({ref_id}-<nr>)")
    url = f"{base_url.rstrip('/')}/{official_name(ref_id)}.html"
    request = urllib.request.Request(url, headers={"User-Agent": "assistant (policy documents)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read(50 * 1024 * 1024)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise AssistantError(f"cannot download {url} ({reason}); download it by hand and add it with "
                             f"`assistant corpus add FILE --id {ref_id}`") from exc
    soup = BeautifulSoup(body, "lxml")
    metas = {(m.get("name") or m.get("property") or "").lower(): (m.get("content") or "").strip()
             for m in soup.find_all("meta")}
    text = " ".join(soup.get_text(" ").split())
    if not _is_publication(ref_id, metas, text):
        raise AssistantError(f"{url} did not return {ref_id} (the page does not carry its identifier); "
                             "nothing was added")
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{ref_id}.html"
    path.write_bytes(body)
    title = next((metas[k] for k in ("dc.title", "dcterms.title", "og:title") if metas.get(k)), None)
    title = title or (soup.title.get_text(" ", strip=True) if soup.title else None)
    date = next((v[:10] for k, v in sorted(metas.items()) if re.search(r"date|issued|available", k)
                 and re.match(r"\d{4}-\d{2}-\d{2}", v)), None)
    return Publication(path, title, date)


def _is_publication(ref_id: str, metas: dict[str, str], text: str) -> bool:
    if any(v.lower() == ref_id for v in metas.values()):
        return True
    m = _OFFICIAL.match(ref_id)
    if m is None:
        return False
    if m.group("series") == "kst":
        dossier = m.group("a")
        number = m.group("c") or m.group("b")
        spaced = rf"{dossier[:2]}\s?{dossier[2:]}"
        return bool(re.search(spaced, text) and re.search(rf"\b[Nn]r\.?\s*{re.escape(number)}\b", text, re.I))
    series = "Staatscourant" if m.group("series") == "stcrt" else "Staatsblad"
    return bool(re.search(series, text) and re.search(rf"\b{m.group('a')}\b", text)
                and re.search(rf"\b(?:[Nn]r\.?\s*)?{m.group('b')}\b", text))
