"""Sentences: where they start and end in a text, which abbreviations do not end one, and which sentences are
items of an enumeration ("De eerste is ...")."""

from __future__ import annotations

import re

from assistant.types import Chunk

# Abbreviations after which a full stop does not end a Dutch (or English) sentence. "enz." and "etc." close an
# enumeration, often at the end of a sentence: followed by a capital, they end it.
_ABBREVIATIONS = {
    "nr", "nrs", "bijv", "bv", "o.a", "e.d", "c.s", "resp", "ca", "dr", "mr", "prof", "drs", "ir", "ing",
    "jl", "t.a.v", "i.p.v", "m.b.t", "z.g", "zgn", "d.w.z", "e.a", "vs", "art", "lid", "blz",
    "min", "max", "mln", "mld", "jr", "st", "mw", "dhr", "i.o.m", "n.a.v", "t.b.v", "i.c.m", "m.n", "v.w.b",
    "e.g", "i.e", "no", "fig", "vol", "al", "p", "pp", "kamerstukken", "stb", "stcrt",
    "incl", "excl", "o.b.v", "i.s.m", "m.i.v", "t.o.v", "a.s", "j.l", "jan", "feb", "mrt", "apr", "jun", "jul",
    "aug", "sep", "sept", "okt", "nov", "dec",
}
# What may stand before an abbreviation in the same word: "(nr. 940)", "«o.a. de VNG»".
_OPENING = "([«‘“\"'"
# Items given as sentences: "De eerste is ...", "Ten tweede ...", "The second ...".
ENUMERATION_ITEM = re.compile(r"\s*(?:(?:De|Het|Ten) (?:eerste|ene|tweede|andere|derde|vierde|vijfde|laatste)|"
                              r"(?:The )?(?:first|second|other|third|fourth|fifth|last)(?:ly)?)\b")
_BULLET = re.compile(r"[•○◦▪■●]?\s*")
_BOUNDARY = re.compile(r"[.!?…]+[»”’\"')\]⁰¹²³⁴⁵⁶⁷⁸⁹]*(?=\s+[\"«„‘“(\[•○]?[A-ZÀ-Þ0-9•○])")


# Chunks, references and overview are all read sentence by sentence: bump `sentences` in
# `assistant/index/versions.py` when `sentence_spans` ends sentences differently, and all of them are made anew.
LONGEST = 1500  # characters: no sentence of a policy text runs longer (the bundled letter's longest has 515)


def sentence_spans(text: str, start: int = 0, end: int | None = None,
                   longest: int = LONGEST) -> list[tuple[int, int]]:
    """Sentence [start, end) offsets in `text[start:end]`; paragraph breaks always end a sentence, and a
    "sentence" longer than `longest` is cut into pieces (`_pieces`)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text[start:end]):
        p_start, p_text = start + para.start(), para.group()
        cursor = 0
        for m in _BOUNDARY.finditer(p_text):
            before = p_text[cursor : m.start()].rsplit(None, 1)[-1] if p_text[cursor : m.start()].strip() else ""
            token = before.lower().lstrip(_OPENING).rstrip(".")
            list_number = p_text[cursor : m.start()].strip().isdigit()
            if token in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", before) or list_number:
                continue
            spans.append((p_start + cursor, p_start + m.end()))
            cursor = m.end()
            while cursor < len(p_text) and p_text[cursor].isspace():
                cursor += 1
        if cursor < len(p_text):
            spans.append((p_start + cursor, p_start + len(p_text.rstrip())))
    return [piece for a, b in spans if b > a for piece in _pieces(text, a, b, longest)]


def _pieces(text: str, start: int, end: int, longest: int) -> list[tuple[int, int]]:
    """A sentence cut into pieces of at most `longest` characters: text without sentence ends (a transcript, a
    table flattened into one line, a listing) would otherwise be one sentence however long, read as one chunk,
    embedded only as far as the embedder reads and quoted whole. A piece ends after the last ';', ':' or ','
    in its second half, else at its last space, else (no space at all) at `longest`."""
    pieces: list[tuple[int, int]] = []
    while end - start > longest:
        window = text[start : start + longest]
        cut = max(window.rfind(mark) for mark in ("; ", ": ", ", ")) + 1
        if cut <= longest // 2:
            cut = text.rfind(" ", start, start + longest + 1) - start  # a space just past the window ends a word
        if cut <= 0:
            cut = longest
        pieces.append((start, start + len(window[:cut].rstrip())))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    return [*pieces, (start, end)]


def sentence_units(chunk: Chunk) -> list[tuple[int, int]]:
    """A chunk's sentences as [start, end) offsets in the document's clean text, list bullets left out
    (they are layout, not words to quote): the units evidence is chosen from."""
    units = []
    for a, b in sentence_spans(chunk.text):
        a += len(_BULLET.match(chunk.text, a).group())
        units.append((chunk.start + a, chunk.start + b))
    return units
