"""How the overview quotes a document: a span of its clean text or one of its footnotes, with the page and
section it stands on; and the pieces of text (running text and footnotes) the glossary, the timeline and who
is who are read from."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.text.marks import SUPERSCRIPT_BLANKS
from assistant.types import Document, Span


def place(doc: Document, start: int, end: int) -> Span:
    """A span of the clean text as a quote, with the page and section it stands on."""
    pages = doc.pages_between(start, end)
    return Span(doc_id=doc.meta.doc_id, quote=doc.text[start:end], page=pages[0] if pages else None,
                 section=" › ".join(doc.section_at(start)), start=start, end=end)


def footnote_place(doc: Document, number: int) -> Span:
    """A footnote's whole text as a quote, with its page and the section of its marker."""
    note = doc.footnotes[number]
    marker = next((off for off, n in doc.markers if n == number), None)
    return Span(doc_id=doc.meta.doc_id, quote=note.text, page=note.page, footnote=number,
                 section=" › ".join(doc.section_at(marker)) if marker is not None else "")


def pieces(doc: Document) -> Iterable[tuple[str, int, Span | None]]:
    """The running text (superscript markers blanked) and each footnote, with a way to cite a span of them."""
    yield doc.text.translate(SUPERSCRIPT_BLANKS), 0, None
    for number in sorted(doc.footnotes):
        yield doc.footnotes[number].text, number, footnote_place(doc, number)
