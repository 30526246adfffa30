"""The map of a document: its section tree from the headings (or ranges of pages when it has none), each
section summarised by its one or two most central sentences, quoted."""

from __future__ import annotations

import numpy as np

from assistant.enrich.overview.model import DocumentMap, SectionSummary
from assistant.enrich.overview.quotes import place
from assistant.text.sentences import sentence_spans
from assistant.types import Document, Span


def _ranges(doc: Document) -> list[tuple[tuple[str, ...], int, int]]:
    """(path, body start, end) of each section; a document without headings: a range per two pages."""
    if doc.sections:
        bounds = [(s.path, s.start + len(s.path[-1]) if s.path else s.start) for s in doc.sections]
        starts = [s.start for s in doc.sections[1:]] + [len(doc.text)]
        out = [(path, body, end) for (path, body), end in zip(bounds, starts, strict=True)]
        if doc.sections[0].start > 0:
            out.insert(0, ((), 0, doc.sections[0].start))
        return [(p, a, b) for p, a, b in out if doc.text[a:b].strip()]
    pages = doc.pages or []
    out = []
    for i in range(0, len(pages), 2):
        group = pages[i : i + 2]
        label = f"p. {group[0].number}" + (f"–{group[-1].number}" if len(group) > 1 else "")
        out.append(((label,), group[0].start, group[-1].end))
    return out or [((), 0, len(doc.text))]  # no pages either (a web page, a text file): the document as one part


def _summary(doc: Document, start: int, end: int, vectors: dict[int, np.ndarray]) -> list[Span]:
    """The section's most central sentences (one, or two for a long section), in document order."""
    title = doc.meta.title.lower()
    spans = [(a, b) for a, b in sentence_spans(doc.text, start, end) if 6 <= len(doc.text[a:b].split()) <= 70
             and not doc.text[a:b].rstrip().endswith(":") and not (title in doc.text[a:b].lower()
                                                                   and b - a < len(title) + 30)]
    if not spans:
        return []
    have = [(a, b) for a, b in spans if a in vectors]
    if have:
        matrix = np.stack([vectors[a].astype(np.float32) for a, _ in have])
        centre = matrix.mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        scores = matrix @ centre - 0.01 * np.arange(len(have))
        order = [have[i] for i in np.argsort(-scores, kind="stable")]
    else:
        order = spans
    chosen = sorted(order[: 2 if len(spans) > 8 else 1])
    return [place(doc, a, b) for a, b in chosen]


def document_map(doc: Document, vectors: dict[int, np.ndarray]) -> DocumentMap:
    """The document's sections with their summaries; `vectors` are its sentence embeddings by start offset."""
    m = doc.meta
    sections = [SectionSummary(path=list(path) or [m.title], pages=list(doc.pages_between(a, b)),
                               summary=_summary(doc, a, b, vectors)) for path, a, b in _ranges(doc)]
    return DocumentMap(doc_id=m.doc_id, title=m.title, identifier=m.identifier, date=m.date, kind=m.kind,
                       by_pages=not doc.sections and bool(doc.pages), sections=sections)
