"""Index integrity: the manifest, the Chroma collection, the lexical index, the word vectors, the per-document
files (text, sentence vectors, references, overview) and the recorded embedder must agree, and every stored
analysis must be of this version (`index.versions`).

`check` lists what disagrees; `quick=True` (what ingest and serve run at start) compares counts, file presence
and the versions of the stored analyses only, the full check compares every chunk id and loads every file. It
only looks: `ingest.repair` (and every ingest) mends what it finds.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

import numpy as np

from assistant.config import Settings
from assistant.index import Index, current_generation
from assistant.index.documents import ANALYSES, FILES
from assistant.index.versions import stamp
from assistant.sources.corpus import discover
from assistant.types import AssistantError


@dataclass
class Problem:
    """One disagreement; `doc_id` None means the index as a whole."""

    what: str
    doc_id: str | None = None


@dataclass
class Health:
    """The outcome of a check."""

    generation: str | None = None
    documents: int = 0
    chunks: int = 0
    problems: list[Problem] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # in the corpus but not (yet) indexed, or changed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def damaged_documents(self) -> list[str]:
        return sorted({p.doc_id for p in self.problems if p.doc_id})

    @property
    def whole_index(self) -> bool:
        return any(p.doc_id is None for p in self.problems)


def check(settings: Settings, quick: bool = False, index: Index | None = None) -> Health:
    """What disagrees between the parts of the live index (and what the corpus has that it lacks); `index`, when
    the caller has the live index open already."""
    health = Health()
    try:
        health.generation = index.gen_dir.name if index else current_generation(settings.index_dir)
        if health.generation is None:
            health.problems.append(Problem("no index yet; run `assistant ingest`"))
            return health
        index = index or Index.open(settings)
    except AssistantError as exc:
        health.problems.append(Problem(str(exc)))
        return health
    health.documents, health.chunks = len(index.documents), len(index.chunks)
    _check_documents(index, health, quick)
    _check_stores(index, health, quick)
    _check_words(index, health, quick)
    try:
        specs, _ = discover(settings.corpus_dir)
        health.pending = sorted(s.meta.doc_id for s in specs if s.meta.doc_id not in index.documents)
    except AssistantError as exc:
        health.problems.append(Problem(f"corpus: {exc}"))
    return health


def _check_documents(index: Index, health: Health, quick: bool) -> None:
    by_doc: dict[str, list[str]] = {}
    for chunk in index.chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk.chunk_id)
    for doc_id in sorted(set(by_doc) - set(index.documents)):
        health.problems.append(Problem("chunks of a document the index does not list", doc_id))
    docs = index.gen_dir / "docs"
    for doc_id, entry in sorted(index.documents.items()):
        if by_doc.get(doc_id, []) != entry["chunk_ids"]:
            health.problems.append(Problem("its chunks differ from the ones recorded for it", doc_id))
        for suffix in FILES:
            if not (docs / f"{doc_id}{suffix}").is_file():
                health.problems.append(Problem(f"{doc_id}{suffix} is missing", doc_id))
        _check_analyses(index, doc_id, health)
        if quick:
            continue
        try:
            index.document(doc_id)
            with np.load(docs / f"{doc_id}.sentences.npz") as data:
                if len(data["starts"]) != len(data["vectors"]) or not np.isfinite(data["vectors"]).all():
                    raise ValueError("sentence vectors do not match their sentences")
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            health.problems.append(Problem(f"a file cannot be read ({type(exc).__name__}: {exc})", doc_id))


def outdated(index: Index) -> str | None:
    """A warning when some stored analyses were made by another version of the assistant (after an upgrade) or
    cannot be read: until an ingest makes them again, answers go without them (a glossary without that document's
    definitions, a registry without its references), and nothing else would say so."""
    health = Health()
    for doc_id in sorted(index.documents):
        _check_analyses(index, doc_id, health)
    if not health.problems:
        return None
    more = f" and {len(health.problems) - 1} more" if len(health.problems) > 1 else ""
    return (f"{health.problems[0].what}{more}: answers go without what they hold until `assistant ingest` makes "
            "them again")


def _check_analyses(index: Index, doc_id: str, health: Health) -> None:
    """A stored analysis that cannot be read or was made by another version is made again by the next ingest."""
    for name, suffix in ANALYSES.items():
        if not (index.gen_dir / "docs" / f"{doc_id}{suffix}").is_file():
            continue  # reported as missing
        try:
            version = index.analysis_stamp(doc_id, name)
        except (OSError, ValueError) as exc:
            health.problems.append(Problem(f"a file cannot be read ({type(exc).__name__}: {exc})", doc_id))
            continue
        if version != stamp(name):
            health.problems.append(Problem(f"{doc_id}{suffix} was made by another version ({version}, now "
                                           f"{stamp(name)})", doc_id))


def _check_stores(index: Index, health: Health, quick: bool) -> None:
    try:
        collection = index.store.collection()
        count = collection.count()
    except AssistantError as exc:
        health.problems.append(Problem(str(exc)))
        return
    if count != len(index.chunks):
        health.problems.append(Problem(f"the vector collection holds {count} chunks, the index {len(index.chunks)}"))
    if not quick or count != len(index.chunks):
        stored = set()
        for offset in range(0, count, 5000):
            stored.update(collection.get(offset=offset, limit=5000, include=[])["ids"])
        for chunk in index.chunks:
            if chunk.chunk_id not in stored:
                health.problems.append(Problem(f"chunk {chunk.chunk_id} has no vector", chunk.doc_id))
    try:
        lexical = int(index.bm25.scores["num_docs"])
    except (OSError, ValueError, KeyError) as exc:
        health.problems.append(Problem(f"the lexical index cannot be read ({type(exc).__name__}: {exc})"))
        return
    if lexical != max(len(index.chunks), 1) and index.chunks:
        health.problems.append(Problem(f"the lexical index holds {lexical} chunks, the index {len(index.chunks)}"))


def _check_words(index: Index, health: Health, quick: bool) -> None:
    path = index.gen_dir / "words.npz"
    if not path.is_file():
        health.problems.append(Problem("words.npz is missing (an index made by an older version)"))
    elif not quick:
        try:
            with np.load(path) as data:
                if not len(data["stems"]) == len(data["words"]) == len(data["vectors"]):
                    raise ValueError("word vectors do not match their words")
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            health.problems.append(Problem(f"words.npz cannot be read ({type(exc).__name__}: {exc})"))
