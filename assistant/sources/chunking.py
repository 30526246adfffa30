"""Split a `Document` into retrievable chunks along sections, paragraphs and sentences.

A chunk never crosses a heading, never ends mid-sentence (a sentence longer than a chunk may be is cut, see
`text.sentences.sentence_spans`) and never splits a table that fits in it (its rows stay with their header); it
grows sentence by sentence to about `target_chars`, prefers to stop at a paragraph end, and repeats the last
`overlap_sentences` of the previous chunk so a fact on a boundary is whole in at least one chunk (and, when those
are items of an enumeration, the sentences back to the one that announces them). A passage the document repeats
word for word (a text that runs in circles, a block of boilerplate pasted again and again) is one chunk, not one
for each time: the copies would crowd out other documents' passages in search and say nothing new.
"""

from __future__ import annotations

import hashlib

from assistant.config import ChunkingSettings
from assistant.text.sentences import ENUMERATION_ITEM, LONGEST, sentence_spans
from assistant.types import Chunk, Document

_MAX_ITEMS_BACK = 3
# How documents are cut is part of every document's content hash, so a document cut otherwise is cut again:
# bump `chunks` in `assistant/index/versions.py` when this module cuts differently.


def _section_ranges(doc: Document) -> list[tuple[int, int]]:
    """Body ranges between headings (the heading line itself is left out of every chunk)."""
    bounds = [(s.start, s.start + len(s.path[-1]) if s.path else s.start) for s in doc.sections]
    ranges, cursor = [], 0
    for heading_start, heading_end in bounds:
        ranges.append((cursor, heading_start))
        cursor = heading_end
    ranges.append((cursor, len(doc.text)))
    return [(a, b) for a, b in ranges if doc.text[a:b].strip()]


def chunk_document(doc: Document, settings: ChunkingSettings) -> list[Chunk]:
    """The document's chunks, in reading order."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section_start, section_end in _section_ranges(doc):
        spans = sentence_spans(doc.text, section_start, section_end, min(settings.max_chars, LONGEST))
        sentences = _whole_tables(spans, doc, settings.max_chars)
        i = 0
        done = 0  # sentences[:done] are in earlier chunks
        while i < len(sentences):
            j = i
            size = 0
            while j < len(sentences):
                if j > i and sentences[j][1] - sentences[i][0] > settings.max_chars:
                    break
                size = sentences[j][1] - sentences[i][0]
                j += 1
                paragraph_end = j == len(sentences) or "\n\n" in doc.text[sentences[j - 1][1] : sentences[j][0]]
                if size >= settings.target_chars or (paragraph_end and size >= 0.6 * settings.target_chars):
                    break
            if j <= done:  # only overlap, nothing new: such a chunk would repeat part of the previous one
                i = done
                continue
            start, end = sentences[i][0], sentences[j - 1][1]
            if doc.text[start:end] not in seen:  # a passage the document repeats word for word is found once
                seen.add(doc.text[start:end])
                chunks.append(_make_chunk(doc, len(chunks), start, end))
            if j >= len(sentences):
                break
            done, first = j, i
            i = max(i + 1, j - settings.overlap_sentences)
            # an item of an enumeration ("De tweede is ...") starts no chunk: the sentence announcing it comes along
            for _ in range(_MAX_ITEMS_BACK if settings.overlap_sentences else 0):
                if i - 1 <= first or not ENUMERATION_ITEM.match(doc.text, sentences[i][0]) \
                        or sentences[j][1] - sentences[i - 1][0] > settings.max_chars:
                    break
                i -= 1
    return chunks


def _whole_tables(sentences: list[tuple[int, int]], doc: Document, max_chars: int) -> list[tuple[int, int]]:
    """The sentences, each table that fits in a chunk taken as one: its rows stay together with their header."""
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        table = next((t for t in doc.tables if t.start <= start < t.end and t.end - t.start <= max_chars), None)
        if table is not None and out and table.start <= out[-1][0] < table.end:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _make_chunk(doc: Document, ordinal: int, start: int, end: int) -> Chunk:
    text = doc.text[start:end]
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    numbers = [n for offset, n in doc.markers if start <= offset < end]
    return Chunk(
        chunk_id=f"{doc.meta.doc_id}:{ordinal:04d}-{digest}",
        doc_id=doc.meta.doc_id,
        ordinal=ordinal,
        text=text,
        start=start,
        end=end,
        section=doc.section_at(start),
        pages=doc.pages_between(start, end),
        footnotes=tuple(doc.footnotes[n] for n in numbers if n in doc.footnotes),
    )
