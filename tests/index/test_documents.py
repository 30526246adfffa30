"""What both indexes see of a passage: the words that name its document, its section, its text and notes."""

from __future__ import annotations

from assistant.index.documents import indexed_text
from assistant.types import Chunk, DocumentMeta

CHUNK = Chunk("p-0", "p", 0, "Nine of the twelve administrations publish.", 0, 44, ("Executive summary",), (1,))


def test_a_passage_is_indexed_with_its_documents_title_and_series_identifier():
    meta = DocumentMeta("p", "Trustworthy AI", identifier="EPSIF Policy Paper No. 12")
    assert indexed_text(CHUNK, meta).split("\n") == [
        "Trustworthy AI · EPSIF Policy Paper No. 12", "Executive summary", CHUNK.text]


def test_an_official_identifier_is_left_out():
    """Every passage of a Kamerstuk carrying "2022/23" and "1055" would meet every question about 2022."""
    for identifier in ("Kamerstukken II 2022/23, 26 643, nr. 1055", "Stcrt. 2025, 18342"):
        meta = DocumentMeta("p", "Coalities", identifier=identifier)
        assert indexed_text(CHUNK, meta).split("\n")[0] == "Coalities"
    assert indexed_text(CHUNK, DocumentMeta("p", "Coalities")).split("\n")[0] == "Coalities"
