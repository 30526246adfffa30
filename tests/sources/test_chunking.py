"""Chunking of the merged bundled document, and the sentence splitter it builds on."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from conftest import CORPUS

from assistant.config import ChunkingSettings
from assistant.index import Index
from assistant.sources.chunking import chunk_document
from assistant.sources.corpus import discover
from assistant.sources.documents import build_document
from assistant.sources.loaders import load
from assistant.text.sentences import ENUMERATION_ITEM, sentence_spans
from assistant.types import Chunk, Document, DocumentMeta

DOC_ID = "kst-26643-1055"
SENTENCE_END = re.compile(r"[.!?;:…][»”’\"')\]⁰¹²³⁴⁵⁶⁷⁸⁹]*$")


def _merged() -> Document:
    (spec,) = discover(CORPUS)[0]
    return build_document(spec.meta, [load(path, fmt) for path, fmt in spec.files], "hash")


@pytest.fixture(scope="module")
def doc() -> Document:
    return _merged()


@pytest.fixture(scope="module")
def chunks(doc: Document) -> list[Chunk]:
    return chunk_document(doc, ChunkingSettings())


def _paragraph_end(doc: Document, offset: int) -> bool:
    return offset == len(doc.text) or doc.text.startswith("\n\n", offset)


def _section_end(doc: Document, offset: int) -> bool:
    rest = doc.text[offset:]
    return any(rest.lstrip().startswith(s.path[-1]) and s.start >= offset
               and not doc.text[offset : s.start].strip() for s in doc.sections)


def test_document_has_many_chunks(chunks):
    assert 35 <= len(chunks) <= 80
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert all(c.doc_id == DOC_ID for c in chunks)


def test_chunks_are_located_verbatim_by_their_offsets(doc, chunks):
    for c in chunks:
        assert c.text == doc.text[c.start : c.end]
        assert c.text == c.text.strip() and c.text
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


def test_no_chunk_is_cut_mid_sentence(doc, chunks):
    for c in chunks:
        assert SENTENCE_END.search(c.text) or _paragraph_end(doc, c.end) or _section_end(doc, c.end), (
            f"chunk {c.ordinal} ends mid-sentence: ...{c.text[-60:]!r}")
        before = doc.text[: c.start].rstrip()
        assert not before or SENTENCE_END.search(before) or doc.text[c.start - 2 : c.start] == "\n\n", (
            f"chunk {c.ordinal} starts mid-sentence: {c.text[:60]!r}")


def test_chunk_sizes_respect_the_settings(doc, chunks):
    settings = ChunkingSettings()
    for i, c in enumerate(chunks):
        single_sentence = len(sentence_spans(doc.text, c.start, c.end)) == 1
        assert len(c.text) <= settings.max_chars or single_sentence
        last_of_section = i + 1 == len(chunks) or chunks[i + 1].section != c.section
        if len(c.text) < 0.6 * settings.target_chars:
            assert last_of_section, f"chunk {c.ordinal} is small ({len(c.text)}) but not the end of its section"


def test_smaller_settings_give_smaller_chunks_and_cover_every_sentence(doc):
    settings = ChunkingSettings(target_chars=300, max_chars=400, overlap_sentences=0)
    small = chunk_document(doc, settings)
    assert len(small) > 2 * len(chunk_document(doc, ChunkingSettings()))
    for c in small:
        assert len(c.text) <= 400 or len(sentence_spans(doc.text, c.start, c.end)) == 1
    for a, b in pairwise(small):
        assert a.end <= b.start, "no overlap was asked for"
    covered = [False] * len(doc.text)
    for c in small:
        covered[c.start : c.end] = [True] * (c.end - c.start)
    headings = {(s.start, s.start + len(s.path[-1])) for s in doc.sections}
    for a, b in sentence_spans(doc.text):
        if (a, b) in headings or b <= small[0].start:
            continue
        assert all(covered[a:b]), f"sentence lost: {doc.text[a:b][:60]!r}"


def test_overlap_repeats_one_sentence(doc, chunks):
    """...or an enumeration's items shared with the sentence that announces them ("twee doelen. De eerste ...")."""
    longer = 0
    for a, b in pairwise(chunks):
        if a.section != b.section:
            assert a.end <= b.start
            continue
        assert b.start < a.end, "consecutive chunks of one section overlap by a sentence"
        shared = sentence_spans(doc.text, b.start, a.end)
        assert len(shared) == 1 or all(ENUMERATION_ITEM.match(doc.text, s) for s, _ in shared[1:]), [
            doc.text[s:e][:60] for s, e in shared]
        longer += len(shared) > 1
    assert longer >= 1
    goals = next(c for c in chunks if "De tweede is sneller" in c.text)
    assert goals.text.startswith("In de agenda «Coalities voor de digitale samenleving» streven we naar twee doelen.")


def test_an_enumeration_item_starts_no_chunk():
    items = " ".join(f"De {n} is een punt dat in deze zin uitvoerig wordt toegelicht met voorbeelden uit de praktijk."
                     for n in ("eerste", "tweede", "derde"))
    text = ("Dit is een inleiding over de samenwerking tussen gemeenten en het Rijk in de komende jaren. " * 8
            + "Het kabinet kent drie doelen. " + items + " Een slotzin volgt hier.")
    doc = Document(DocumentMeta("t", "t"), text, [], [], {}, [], "h")
    parts = chunk_document(doc, ChunkingSettings(target_chars=800, max_chars=1200))
    assert len(parts) > 1
    for c in parts[1:]:
        assert not ENUMERATION_ITEM.match(c.text), c.text[:60]
    assert any(c.text.startswith("Het kabinet kent drie doelen. De eerste") for c in parts)
    without = chunk_document(doc, ChunkingSettings(target_chars=800, max_chars=1200, overlap_sentences=0))
    assert all(b.start >= a.end for a, b in pairwise(without))  # no overlap asked: none made


def test_no_chunk_crosses_a_section_boundary(doc, chunks):
    for c in chunks:
        for s in doc.sections:
            assert not (c.start < s.start < c.end), f"chunk {c.ordinal} contains the heading {s.path[-1]!r}"
        assert c.section == doc.section_at(c.start) == doc.section_at(c.end - 1)
    ai = next(c for c in chunks if "Centre of Expertise Applied AI" in c.text)
    assert ai.section[-1] == "AI in de praktijk"
    assert ai.pages in {(9,), (8, 9)}


def test_no_chunk_lies_inside_another(doc, chunks):
    for a in chunks:
        for b in chunks:
            if a is not b:
                assert not (b.start <= a.start and a.end <= b.end), f"chunk {a.ordinal} repeats chunk {b.ordinal}"


def test_chunks_carry_pages_and_footnotes(doc, chunks):
    for c in chunks:
        assert c.pages == doc.pages_between(c.start, c.end)
        assert c.pages and list(c.pages) == sorted(c.pages)
        numbers = [n for offset, n in doc.markers if c.start <= offset < c.end]
        assert [f.number for f in c.footnotes] == numbers
    first = next(c for c in chunks if "Waardengedreven Digitaliseren¹" in c.text)
    assert first.footnotes[0].number == 1 and first.footnotes[0].text.startswith("Brief van de staatssecretaris")
    assert sum(len(c.footnotes) for c in chunks) >= 21


def test_chunk_ids_are_unique_and_stable(chunks):
    ids = [c.chunk_id for c in chunks]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(rf"{DOC_ID}:\d{{4}}-[0-9a-f]{{8}}", i) for i in ids)
    again = chunk_document(_merged(), ChunkingSettings())
    assert [c.chunk_id for c in again] == ids
    assert [(c.start, c.end) for c in again] == [(c.start, c.end) for c in chunks]


def test_the_index_holds_exactly_these_chunks(bundled, chunks):
    index = Index.open(bundled)
    assert [c.chunk_id for c in index.chunks] == [c.chunk_id for c in chunks]
    stored = index.document(DOC_ID)
    for c in index.chunks:
        assert stored.text[c.start : c.end] == c.text


def test_long_closing_sentence_is_not_repeated_as_a_chunk_of_its_own():
    """The overlap never makes a chunk of sentences the previous chunk already holds."""
    long = ("De tweede zin is lang en beschrijft " + "de samenwerking tussen gemeenten, provincies en het Rijk " * 10
            + "in de praktijk.")
    text = f"Dit is een korte inleidende zin over het beleid. {long}\n\nEen nieuwe alinea gaat over toezicht."
    doc = Document(DocumentMeta("t", "t"), text, [], [], {}, [], "h")
    parts = chunk_document(doc, ChunkingSettings())
    for a, b in pairwise(parts):
        assert b.end > a.end
    assert "".join(c.text for c in parts).count(long) <= 2
    assert any(c.text.endswith("over toezicht.") for c in parts)
    assert parts[0].text.startswith("Dit is een korte")


# --- sentence_spans ------------------------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize("text", [
    "Zie Kamerstukken II 2022/23, 26 643, nr. 1055 voor de volledige brief.",
    "Partijen zoals o.a. de VNG en het IPO doen mee.",
    "De brief is getekend door A.C. van Huffelen als staatssecretaris.",
    "Dit geldt bijv. voor gemeenten en d.w.z. ook voor provincies.",
    "Het gaat om Stcrt. 2022, nr. 35231 en art. 5 lid 2 van de wet.",
    "1. Toekomstbeelden rond de vraag wat we willen.",
    "De Werkagenda (nr. 940) en de brief (Kamerstukken II 2022/23, 26 643, nr. 1055) zijn verschenen.",
    "Het rapport van 12 jan. 2023 noemt de kosten incl. BTW en o.b.v. de begroting.",
])
def test_sentence_is_not_split_after_abbreviations(text):
    assert _sentences(text) == [text]


def test_sentence_splits():
    assert _sentences("Het jaar 2040 lijkt ver weg, ook in 2040. Maar wat we nu doen is bepalend.") == [
        "Het jaar 2040 lijkt ver weg, ook in 2040.", "Maar wat we nu doen is bepalend."]
    assert _sentences("Wat zijn de kansen? Hoe groot is het risico! Dat zien we.") == [
        "Wat zijn de kansen?", "Hoe groot is het risico!", "Dat zien we."]
    assert _sentences("Het gaat om het funderend onderwijs.¹⁵ Binnen NOLAI werken leraren mee.") == [
        "Het gaat om het funderend onderwijs.¹⁵", "Binnen NOLAI werken leraren mee."]
    # an enumeration that ends in "enz." or "etc." ends its sentence when a capital follows
    assert _sentences("Denk aan data, algoritmen enz. Daarna volgt de rest.") == [
        "Denk aan data, algoritmen enz.", "Daarna volgt de rest."]
    assert _sentences("Denk aan data, algoritmen enz. en de rest.") == ["Denk aan data, algoritmen enz. en de rest."]
    assert _sentences("Zij noemen dit «Sturen of gestuurd worden». Daarna volgt «meer».") == [
        "Zij noemen dit «Sturen of gestuurd worden».", "Daarna volgt «meer»."]
    # a paragraph break always ends a sentence, even without a full stop
    assert _sentences("Eerste regel zonder punt\n\ntweede alinea.") == ["Eerste regel zonder punt", "tweede alinea."]
    assert _sentences("Een zin die over\neen regel loopt. Nog een.") == [
        "Een zin die over\neen regel loopt.", "Nog een."]


def test_sentence_spans_within_a_range():
    text = "Eerste zin. Tweede zin. Derde zin."
    assert sentence_spans(text, 12, 23) == [(12, 23)]
    assert [text[a:b] for a, b in sentence_spans(text, 12)] == ["Tweede zin.", "Derde zin."]


def test_a_sentence_longer_than_any_sentence_is_cut_at_a_comma_or_a_space():
    words = "gemeenten provincies waterschappen uitvoeringsorganisaties ministeries".split()
    clauses = ", ".join(" ".join(words[(i + k) % 5] for k in range(9)) for i in range(60))  # ~4,000 chars
    text = f"Inleiding. De {clauses} en zo verder"
    spans = sentence_spans(text, longest=1000)
    pieces = [text[a:b] for a, b in spans]
    assert pieces[0] == "Inleiding." and all(len(p) <= 1000 for p in pieces) and len(pieces) >= 5
    assert all(p.endswith(",") for p in pieces[1:-1])  # each cut after a comma, none inside a word
    assert " ".join(pieces[1:]) == f"De {clauses} en zo verder"  # nothing lost, nothing repeated
    spaced = " ".join(["woord"] * 600)
    lengths = [b - a for a, b in sentence_spans(spaced, longest=300)]
    assert all(294 <= n <= 300 for n in lengths[:-1]) and sum(lengths) + len(lengths) - 1 == len(spaced)
    blob = "x" * 2500  # no space at all: cut where the limit falls
    assert [b - a for a, b in sentence_spans(blob, longest=1000)] == [1000, 1000, 500]


def test_a_paragraph_without_sentence_ends_gives_chunks_no_larger_than_the_settings_allow():
    text = " ".join(f"regel {n} van het logboek met de melding dat de dienst draaide" for n in range(2000))
    doc = Document(DocumentMeta("t", "t"), text, [], [], {}, [], "h")
    settings = ChunkingSettings()
    parts = chunk_document(doc, settings)
    assert len(parts) > 50 and all(len(c.text) <= settings.max_chars for c in parts)
    assert parts[0].start == 0 and parts[-1].end == len(text)
    assert all(not text[a.end : b.start].strip() for a, b in pairwise(parts))  # every word is in a chunk


def test_a_passage_the_document_repeats_word_for_word_is_one_chunk():
    block = " ".join(f"Zin {n} van het blok zegt steeds opnieuw hetzelfde over de digitale overheid en haar loketten."
                     for n in range(1, 8))
    text = f"Inleiding over het rapport en zijn opzet. {' '.join([block] * 40)} Een slotzin die anders is."
    doc = Document(DocumentMeta("t", "t"), text, [], [], {}, [], "h")
    parts = chunk_document(doc, ChunkingSettings())
    texts = [c.text for c in parts]
    assert len(texts) == len(set(texts)) and len(texts) <= 12  # 40 copies: not 40 times the chunks
    assert texts[0].startswith("Inleiding over het rapport") and texts[-1].endswith("Een slotzin die anders is.")
    assert [c.ordinal for c in parts] == list(range(len(parts)))
