"""A document as a generation keeps it: which files it has in `docs/`, its clean text as JSON, and the text of
each of its chunks that both the dense and the lexical index see."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.enrich.refs.grammar import named_in_words
from assistant.types import Chunk, Document, DocumentMeta, Footnote, PageSpan, Section, TableSpan

# A document's files in `docs/`: clean text, sentence vectors and its stored analyses.
FILES = (".json", ".sentences.npz", ".refs.json", ".overview.json")
# The stored analyses, by the name of the version (`versions.TABLE`) each is stamped with.
ANALYSES = {"refs": ".refs.json", "overview": ".overview.json"}


def indexed_text(chunk: Chunk, meta: DocumentMeta) -> str:
    """What both indexes see: title and section give context the passage itself may lack; so does an identifier
    that names the document in words (a question says "volgens de EPSIF-paper" of "EPSIF Policy Paper No. 12").
    An official identifier ("Kamerstukken II 2022/23, 26 643, nr. 1055") names it by numbers no question about
    its content uses: it is left out."""
    notes = " ".join(f.text for f in chunk.footnotes)
    named = " · ".join(p for p in (meta.title, named_in_words(meta.identifier)) if p)
    return "\n".join(p for p in (named, " › ".join(chunk.section), chunk.text, notes) if p)


def document_to_dict(doc: Document) -> dict[str, Any]:
    """`doc` as the JSON of `docs/<id>.json`."""
    return {
        "meta": doc.meta.to_dict(),
        "text": doc.text,
        "pages": [asdict(p) for p in doc.pages],
        "sections": [{"path": list(s.path), "start": s.start} for s in doc.sections],
        "footnotes": [asdict(f) for f in doc.footnotes.values()],
        "markers": doc.markers,
        "content_hash": doc.content_hash,
        "tables": [asdict(t) for t in doc.tables],
    }


def document_from_dict(data: dict[str, Any]) -> Document:
    """The document that `document_to_dict` wrote."""
    return Document(
        meta=DocumentMeta(**data["meta"]),
        text=data["text"],
        pages=[PageSpan(**p) for p in data["pages"]],
        sections=[Section(tuple(s["path"]), s["start"]) for s in data["sections"]],
        footnotes={f["number"]: Footnote(**f) for f in data["footnotes"]},
        markers=[tuple(m) for m in data["markers"]],
        content_hash=data["content_hash"],
        tables=[TableSpan(**t) for t in data.get("tables", [])],
    )
