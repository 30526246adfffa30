"""Split a `Document` into retrievable chunks along sections, paragraphs and sentences.

A chunk never crosses a heading and never ends mid-sentence; it grows sentence by sentence to about
`target_chars`, prefers to stop at a paragraph end, and repeats the last `overlap_sentences` of the previous
chunk so a fact on a boundary is whole in at least one chunk (and, when those are items of an enumeration, the
sentences back to the one that announces them).
"""

from __future__ import annotations

import hashlib
import re

from assistant.config import ChunkingSettings
from assistant.schema import Chunk, Document

# Abbreviations after which a full stop does not end a Dutch (or English) sentence.
_ABBREVIATIONS = {
    "nr", "nrs", "bijv", "bv", "o.a", "e.d", "c.s", "resp", "ca", "dr", "mr", "prof", "drs", "ir", "ing",
    "jl", "t.a.v", "i.p.v", "m.b.t", "z.g", "zgn", "d.w.z", "e.a", "enz", "etc", "vs", "art", "lid", "blz",
    "min", "max", "mln", "mld", "jr", "st", "mw", "dhr", "i.o.m", "n.a.v", "t.b.v", "i.c.m", "m.n", "v.w.b",
    "e.g", "i.e", "no", "fig", "vol", "al", "p", "pp", "kamerstukken", "stb", "stcrt",
}
# Items given as sentences: "De eerste is ...", "Ten tweede ...", "The second ...".
ENUMERATION_ITEM = re.compile(r"\s*(?:(?:De|Het|Ten) (?:eerste|ene|tweede|andere|derde|vierde|vijfde|laatste)|"
                              r"(?:The )?(?:first|second|other|third|fourth|fifth|last)(?:ly)?)\b")
_MAX_ITEMS_BACK = 3
# How documents are cut; part of every document's content hash, so a document cut otherwise is cut again.
CHUNKER_VERSION = 2
_BULLET = re.compile(r"[•○◦▪■●]?\s*")
_BOUNDARY = re.compile(r"[.!?…]+[»”’\"')\]⁰¹²³⁴⁵⁶⁷⁸⁹]*(?=\s+[\"«„‘“(\[•○]?[A-ZÀ-Þ0-9•○])")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence [start, end) offsets in `text[start:end]`; paragraph breaks always end a sentence."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text[start:end]):
        p_start, p_text = start + para.start(), para.group()
        cursor = 0
        for m in _BOUNDARY.finditer(p_text):
            before = p_text[cursor : m.start()].rsplit(None, 1)[-1] if p_text[cursor : m.start()].strip() else ""
            token = before.lower().rstrip(".")
            list_number = p_text[cursor : m.start()].strip().isdigit()
            if token in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", before) or list_number:
                continue
            spans.append((p_start + cursor, p_start + m.end()))
            cursor = m.end()
            while cursor < len(p_text) and p_text[cursor].isspace():
                cursor += 1
        if cursor < len(p_text):
            spans.append((p_start + cursor, p_start + len(p_text.rstrip())))
    return [s for s in spans if s[1] > s[0]]


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
    for section_start, section_end in _section_ranges(doc):
        sentences = sentence_spans(doc.text, section_start, section_end)
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
            chunks.append(_make_chunk(doc, len(chunks), sentences[i][0], sentences[j - 1][1]))
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


def sentence_units(chunk: Chunk) -> list[tuple[int, int]]:
    """A chunk's sentences as [start, end) offsets in the document's clean text, list bullets left out
    (they are layout, not words to quote): the units evidence is chosen from."""
    units = []
    for a, b in sentence_spans(chunk.text):
        a += len(_BULLET.match(chunk.text, a).group())
        units.append((chunk.start + a, chunk.start + b))
    return units
