"""Footnote blocks at the foot of PDF pages, and the markers that tie them to the body text.

The pages are written as `pdf-text` (form feeds between pages), which the PDF loader reads the same way as a
PDF's text layer, so each case shows exactly the lines the loader sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.sources.documents import build_document
from assistant.sources.loaders import Rendering, load, marker
from assistant.types import DocumentMeta

ANNEX_TABLE = [
    "Tabel B1. Bronnen en meetperiodes",
    "Onderwerp Bron Meetperiode Omvang",
    "Gebruik inlogmiddelen Logius",
    "1 januari tot en met 31",
    "december 2024",
    "799 miljoen sessies",
    "Toegankelijkheid websites",
    "Bureau Monitoring",
    "2 september tot en met",
    "29 november 2024",
    "1.203 websites",
]


def _pages(tmp_path: Path, *pages: list[str]) -> Rendering:
    path = tmp_path / "extract.txt"
    path.write_text("\f".join("\n".join(lines) for lines in pages), encoding="utf-8")
    return load(path, "pdf-text")


@pytest.mark.parametrize(("number", "text"), [
    (1, "de Werkagenda Waardengedreven Digitaliseren1, de inzet"),
    (1, "het commissiedebat van 12 februari 2025.1 Stand"),
    (3, "de Nederlandse Cybersecuritystrategie 2022-20283. En"),
    (12, "de geboorteplaats12. Daarna"),
    (2, "zoals beschreven in de hoofdlijnenbrief² over"),
])
def test_marker_is_found(number, text):
    assert marker(number).search(text)


@pytest.mark.parametrize(("number", "text"), [
    (1, "Tabel B1. Bronnen en meetperiodes"),  # a label, not a word
    (1, "2.1 Inlogmiddelen"),  # a section number
    (2, "13,8 14,2 miljoen"),  # a decimal
    (1, "algoritmes11 in het register"),  # the marker of footnote 11
    (1, "Tabel 1 toont het gebruik"),  # a number standing alone
])
def test_marker_is_not_found(number, text):
    assert not marker(number).search(text)


def test_a_table_row_opening_with_a_number_is_not_a_footnote(tmp_path):
    rendering = _pages(tmp_path, ["Bijlage 1. Verantwoording", "De cijfers komen van Logius.", *ANNEX_TABLE])
    assert rendering.footnotes == {}
    assert "Gebruik inlogmiddelen Logius 1 januari tot en met 31 december 2024 799 miljoen sessies" in rendering.plain
    assert "Bureau Monitoring 2 september tot en met 29 november 2024 1.203 websites" in rendering.plain


def test_the_footnotes_below_a_table_are_lifted_and_its_rows_kept(tmp_path):
    # The markers 1 and 2 stand in the text, so only the caption tells the rows from footnotes.
    rendering = _pages(tmp_path, [
        "De cijfers over inlogsessies komen van Logius.1 De websites toetste het Bureau zelf.2",
        *ANNEX_TABLE,
        "Websites die offline werden gehaald, zijn niet opgenomen.",
        "1 Logius levert de cijfers per kwartaal.",
        "2 Zie de toelichting bij de",
        "toetsing.",
    ])
    assert {n: (note.text, note.page) for n, note in rendering.footnotes.items()} == {
        1: ("Logius levert de cijfers per kwartaal.", 1),
        2: ("Zie de toelichting bij de toetsing.", 1),
    }
    assert "Gebruik inlogmiddelen Logius 1 januari tot en met 31 december 2024" in rendering.plain
    assert "niet opgenomen." in rendering.plain and "per kwartaal" not in rendering.plain


def test_every_number_of_the_block_needs_its_marker(tmp_path):
    # Marker 1 stands in the text, but nothing marks a 2: the numbered lines are the page's own list.
    lines = ["Het kabinet neemt twee stappen, die de Kamer eerder vroeg.1", "1 Eerst komt er een register.",
             "2 Daarna volgt een wettelijke plicht."]
    rendering = _pages(tmp_path, lines)
    assert rendering.footnotes == {}
    assert "Eerst komt er een register." in rendering.plain and "Daarna volgt een wettelijke plicht." in rendering.plain


def test_a_marker_may_stand_on_an_earlier_page(tmp_path):
    rendering = _pages(tmp_path, ["Het register telt nu 1.146 algoritmes.1 Het toezicht is geregeld.2"],
                       ["De Autoriteit Persoonsgegevens coördineert het toezicht.", "",
                        "1 Stand op 1 maart 2025.", "2 Zie de jaarrapportage."])
    assert {n: (note.text, note.page) for n, note in rendering.footnotes.items()} == {
        1: ("Stand op 1 maart 2025.", 2), 2: ("Zie de jaarrapportage.", 2)}
    assert rendering.plain.endswith("De Autoriteit Persoonsgegevens coördineert het toezicht.")


def test_decimals_and_section_numbers_are_not_taken_for_markers(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("2.1 Financiering\n\nVoor het plan is 14,2 miljoen euro beschikbaar, waarvan 4,3 miljoen euro "
                    "voor cursussen op taalniveau B1.\n", encoding="utf-8")
    doc = build_document(DocumentMeta("plan", "plan"), [load(path, "text")], "h")
    assert doc.markers == []
    assert "2.1 Financiering" in doc.text and "14,2 miljoen" in doc.text and "4,3 miljoen" in doc.text


@pytest.mark.parametrize(("text", "found"), [
    ("opgericht1 en verder", True),
    ("zoals «AI in actie»1 laat zien", True),
    ('<?xml version="1.0"?>', False),  # a version, not a marker
    ('de factor "1,5" geldt', False),  # a decimal in quotes
])
def test_a_marker_is_no_decimal_or_version(text, found):
    assert bool(marker(1).search(text)) is found
