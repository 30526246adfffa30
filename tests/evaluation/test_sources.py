"""Quote fidelity's reference: which quotes stand verbatim in a document's files (`Sources`), footnotes included."""

from __future__ import annotations

import pytest
from conftest import make_pdf

from assistant.evaluation.gold import Sources

PAGES = [
    "Voortgang Algoritmeregister\n\nMet deze brief informeer ik uw Kamer over het Algoritmeregister, zoals "
    "toegezegd in het commissiedebat van 12 februari 2025.1 Van de algoritmes is 27 procent als hoog-risico "
    "aangemerkt.2",
]
NOTES = {1: ["1 Kamerstukken II 2024/25, 26 643, nr. 1174 (verslag van het", "commissiedebat).",
             "2 Hoog-risico in de zin van bijlage III van de Europese AI-verordening."]}  # page 1's footnotes


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    corpus = tmp_path_factory.mktemp("corpus")
    make_pdf(corpus / "brief-algoritmeregister.pdf", PAGES, footnotes=NOTES)
    return Sources(corpus)


@pytest.mark.parametrize("quote", [
    "Kamerstukken II 2024/25, 26 643, nr. 1174 (verslag van het commissiedebat).",
    "Hoog-risico in de zin van bijlage III van de Europese AI-verordening.",
    "Van de algoritmes is 27 procent als hoog-risico aangemerkt.²",
])
def test_body_text_and_footnotes_are_verbatim(sources, quote):
    assert sources.contains("brief-algoritmeregister", quote)


@pytest.mark.parametrize("quote", [
    "Kamerstukken II 2024/25, 26 643, nr. 1175 (verslag van het commissiedebat).",  # another number
    "Hoog-risico in de zin van bijlage II van de Europese AI-verordening.",  # another annex
    "Kamerstukken II 2024/25, 26 643, nr. 1174 (verslag van het commissiedebat). Hoog-risico in de zin",
    "als hoog-risico aangemerkt.2 Kamerstukken II 2024/25",  # from the body into a footnote
])
def test_text_the_document_does_not_hold_is_not_verbatim(sources, quote):
    assert not sources.contains("brief-algoritmeregister", quote)
