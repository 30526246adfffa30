"""Loaders and document merging: pages, sections, footnotes and clean text, on the bundled corpus and on
files the tests generate (real PDFs via fpdf2, read back with pypdf)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import CORPUS, make_pdf

from assistant.config import ChunkingSettings
from assistant.sources.chunking import chunk_document
from assistant.sources.corpus import discover
from assistant.sources.documents import build_document
from assistant.sources.loaders import clean_text, find_date, load
from assistant.text.normalize import match_key
from assistant.text.sentences import sentence_spans
from assistant.types import AssistantError, Document, DocumentMeta

DOC_ID = "kst-26643-1055"
PDF_TEXT = "000_f05a9d83e50ba6a3.txt"
PUB_TEXT = "001_8ed86a11dc3d904d.txt"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_unicode_font = pytest.mark.skipif(not DEJAVU.exists(), reason="needs DejaVuSans.ttf to draw ligatures")
KAMER_FOOTER = "Tweede Kamer, vergaderjaar 2022-2023, 26 643, nr. 1055 {page}"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

AGENDA = "Agenda Coalities voor de digitale samenleving"
TOEKOMST = "1. Toekomstbeelden Nederlandse digitale samenleving 2040"
COALITIES = "2. Coalities voor de digitale samenleving"
THEMA1 = "Thema 1: Digitale ethiek"
THEMA2 = "Thema 2: AI in actie"
THEMA3 = "Thema 3: Verantwoord datagebruik voor de maatschappelijke opgaven"
THEMA4 = "Thema 4: Duurzaamheid en digitalisering"

# (start of the passage, its end (None: the start is the passage), printed pages, tail of the section path).
# Pages were read off the PDF text: a line starting with one space begins a new page.
KNOWN = [
    ("Hierbij bied ik u namens het kabinet de agenda", None, (1,), ()),
    ("In mijn Werkagenda Waardengedreven Digitaliseren is het beleid", "digitaal fundament uitgewerkt.", (2,),
     ("Inleiding en leeswijzer",)),
    ("Digitale veiligheid in de kabinetsbrede Nederlandse Cybersecuritystrategie", "(NLCS)", (2,),
     ("Inleiding en leeswijzer",)),
    ("De impact van digitalisering op onze samenleving wordt in sneltreinvaart", "groter.", (3,), (AGENDA,)),
    ("Het jaar 2040 lijkt nog ver weg.", None, (3,), (AGENDA, TOEKOMST)),
    ("Er zijn ook zekerheden.", None, (4,), (TOEKOMST,)),
    ("met meer ouderen en minder jongeren;", None, (5,), (TOEKOMST,)),
    ("Coalities kunnen worden gevormd door overheden", None, (6,), (COALITIES,)),
    ("Concreet werkt deze coalitie aan drie actielijnen", None, (7,), (COALITIES, THEMA1)),
    ("AI verandert onze samenleving fundamenteel.", None, (7,), (COALITIES, THEMA2)),
    ("Soms is de impact nog niet volledig te duiden.", None, (8,), (THEMA2,)),
    ("De Hogeschool van Amsterdam heeft een Centre of Expertise Applied AI", None, (9,),
     (THEMA2, "AI in de praktijk")),
    ("Veel organisaties worstelen echter met de vraag", "gestelde kaders en principes.", (9,), ("AI in de praktijk",)),
    ("Bij generatieve AI worden complexe algoritmes ingezet", None, (10,), (THEMA2, "Visie generatieve AI")),
    ("Een goede informatiepositie op basis van data", None, (10,), (COALITIES, THEMA3)),
    ("Er gebeurt al veel, maar een extra stap is nodig.", None, (11,), (THEMA3, "Thema overstijgende vraagstukken")),
    ("werkt aan de databeschikbaarheid voor het zorgdomein", None, (12,), ("Thema overstijgende vraagstukken",)),
    ("Wanneer we naar Nederland in 2040 kijken", None, (12,), (COALITIES, THEMA4)),
    ("Naar het exacte stroom- en waterverbruik van datacentra", None, (13,), (THEMA4,)),
    ("Vanuit de bedrijfsvoering van het Rijk wordt met een brede blik gewerkt", None, (13,),
     (THEMA4, "Bedrijfsvoering Rijk")),
    # this sentence runs from page 13 onto page 14
    ("Ik zal vanuit mijn verantwoordelijkheid voor de digitale overheid verkennen",
     "van de duurzaamheidsimpact van digitalisering.", (13, 14), ("Bedrijfsvoering Rijk",)),
    ("Vanuit mijn coördinerende rol", None, (14,), ("Vervolgproces",)),
]

# (number, printed page, start of the text) for all 21 footnotes of the PDF.
FOOTNOTES = [
    (1, 1, "Brief van de staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties van 4 november 2022 over"),
    (2, 1, "Brief van de staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties, de minister van Economische"),
    (3, 2, "Brief van de minister van Justitie en Veiligheid van 10 oktober 2022"),
    (4, 2, "Staatscourant nr. 35231 van 30 december 2022"),
    (5, 2, "Brief van de minister van Economische Zaken en Klimaat van 18 november 2022"),
    (6, 2, "Brief van de minister van Volksgezondheid, Welzijn en Sport van 6 april 2023"),
    (7, 2, "Een voorbeeld is het artikel ‘How the Netherlands is taming Big Tech’"),
    (8, 4, "Zie bijlage Toekomstbeelden Digitaal Nederland in 2040."),
    (9, 4, "https://toekomstnederland2040.nl/"),
    (10, 4, "Deze toekomstscenario’s houden geen rekening met disrupties"),
    (11, 6, "Het implementatiekader ‘Verantwoorde inzet van algoritmen’"),
    (12, 6, "Brief van de staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties van 10 februari 2023"),
    (13, 7, "https://www.raadopenbaarbestuur.nl/documenten/publicaties/2021/05/25/advies-sturen-of-gestuurd-worden"),
    (14, 7, "Rapport nr. 105 van de Wetenschappelijke Raad voor het Regeringsbeleid van 11 november 2021"),
    (15, 8, "www.nationaalgroeifonds.nl/projecten-ronde-1/nationaal-onderwijslab"),
    (16, 8, "www.algoritmeregister.nl"),
    (17, 8, "De nieuwe Directie Coördinatie Algoritmes (DCA)"),
    (18, 10, "Gewijzigde motie van de leden Dekker-Abdulaziz en Rajkowski van 4 april 2023"),
    (19, 11, "De Staat van de Uitvoering is een periodieke publicatie"),
    (20, 13, "Onderzoek door Stratix van 9 mei 2023"),
    (21, 13, "Kamerstukken 2023-2023, 26643, nr. 1005"),
]


def _unquote(text: str) -> str:
    """Heading text without quote marks: the renderings quote differently (‘...’ versus «...»)."""
    return re.sub(r"[«»‘’“”\"']", "", text)


def _locate(doc: Document, start: str, end: str | None) -> tuple[int, int]:
    i = doc.text.find(start)
    assert i >= 0, f"{start!r} not in the document"
    assert doc.text.find(start, i + 1) < 0, f"{start!r} occurs twice; pick a longer phrase"
    if end is None:
        return i, i + len(start)
    j = doc.text.find(end, i)
    assert 0 <= j - i < 600, f"{end!r} not found shortly after {start!r}"
    return i, j + len(end)


@pytest.fixture(scope="module")
def bundled_docs() -> dict[str, Document]:
    """The bundled document from the PDF text alone, the publication text alone and both merged."""
    specs, problems = discover(CORPUS)
    assert problems == []
    (spec,) = specs
    assert spec.meta.doc_id == DOC_ID
    formats = {path.name: fmt for path, fmt in spec.files}
    assert formats == {PDF_TEXT: "pdf-text", PUB_TEXT: "text"}
    pdf = load(CORPUS / PDF_TEXT, "pdf-text")
    pub = load(CORPUS / PUB_TEXT, "text")
    return {
        "pdf": build_document(spec.meta, [pdf], "pdf"),
        "pub": build_document(spec.meta, [pub], "pub"),
        "merged": build_document(spec.meta, [pdf, pub], "merged"),
    }


# --- bundled corpus: pages and sections ---------------------------------------------------------------------


@pytest.mark.parametrize("which", ["pdf", "pub", "merged"])
@pytest.mark.parametrize(("start", "end", "pages", "section"), KNOWN, ids=[k[0][:30] for k in KNOWN])
def test_known_passage_section(bundled_docs, which, start, end, pages, section):
    doc = bundled_docs[which]
    a, b = _locate(doc, start, end)
    path = tuple(_unquote(p) for p in doc.section_at(a))
    assert path[len(path) - len(section):] == section if section else path == ()
    assert doc.section_at(b - 1) == doc.section_at(a), "the passage must not straddle a heading"


@pytest.mark.parametrize("which", ["pdf", "merged"])
@pytest.mark.parametrize(("start", "end", "pages", "section"), KNOWN, ids=[k[0][:30] for k in KNOWN])
def test_known_passage_page(bundled_docs, which, start, end, pages, section):
    doc = bundled_docs[which]
    assert doc.pages_between(*_locate(doc, start, end)) == pages


def test_publication_text_alone_claims_no_pages(bundled_docs):
    doc = bundled_docs["pub"]
    assert doc.pages == []
    assert doc.pages_between(0, len(doc.text)) == ()


@pytest.mark.parametrize("which", ["pdf", "merged"])
def test_pages_cover_the_text_in_order(bundled_docs, which):
    doc = bundled_docs[which]
    assert [p.number for p in doc.pages] == list(range(1, 15))
    assert doc.pages[0].start == 0
    assert doc.pages[-1].end == len(doc.text)
    for before, after in pairwise(doc.pages):
        assert before.end == after.start < after.end


def test_merged_sentence_pages_agree_with_the_pdf(bundled_docs):
    """Every sentence of the merged text that the PDF rendering also has stands on the same pages there."""
    merged, pdf = bundled_docs["merged"], bundled_docs["pdf"]
    pdf_pages: dict[str, tuple[int, ...]] = {}
    for a, b in sentence_spans(pdf.text):
        pdf_pages.setdefault(match_key(pdf.text[a:b]), pdf.pages_between(a, b))
    compared, wrong = 0, []
    for a, b in sentence_spans(merged.text):
        key = match_key(merged.text[a:b])
        if key in pdf_pages:
            compared += 1
            if merged.pages_between(a, b) != pdf_pages[key]:
                wrong.append((merged.text[a:b][:60], merged.pages_between(a, b), pdf_pages[key]))
    assert compared > 200
    assert wrong == []


@pytest.mark.parametrize("which", ["pdf", "pub", "merged"])
def test_section_headings(bundled_docs, which):
    titles = [_unquote(s.path[-1]) for s in bundled_docs[which].sections]
    expected = ["Inleiding en leeswijzer", AGENDA, TOEKOMST, COALITIES, THEMA1, THEMA2, "AI in de praktijk",
                "Visie generatieve AI", THEMA3, "Thema overstijgende vraagstukken", THEMA4, "Bedrijfsvoering Rijk",
                "Vervolgproces"]
    assert titles[: len(expected)] == expected
    # each section starts at its heading's own text
    doc = bundled_docs[which]
    for section in doc.sections:
        assert doc.text[section.start : section.start + len(section.path[-1])] == section.path[-1]


# --- bundled corpus: footnotes, markers, typography ---------------------------------------------------------


@pytest.mark.parametrize("which", ["pdf", "merged"])
def test_all_footnotes_found(bundled_docs, which):
    footnotes = bundled_docs[which].footnotes
    assert sorted(footnotes) == list(range(1, 22))
    for number, page, start in FOOTNOTES:
        note = footnotes[number]
        assert note.number == number
        assert note.page == page, f"footnote {number}"
        assert note.text.startswith(start), f"footnote {number}: {note.text[:80]!r}"


def test_footnote_texts_are_whole_and_joined(bundled_docs):
    notes = bundled_docs["merged"].footnotes
    assert notes[12].text.endswith("(Kamerstuk 35510-16)’ (Kamerstukken 2022/23 26 643, nr. 971).")
    assert notes[7].text.endswith("in New York Times van 18 januari 2023.")
    assert notes[10].text == ("Deze toekomstscenario’s houden geen rekening met disrupties waardoor verdere "
                              "digitalisering van de samenleving niet doorzet.")


@pytest.mark.parametrize("which", ["pdf", "merged"])
def test_footnote_texts_are_not_in_the_body(bundled_docs, which):
    text = bundled_docs[which].text
    for leak in ("Staatscourant nr. 35231", "Onderzoek door Stratix", "Rapport nr. 105 van de Wetenschappelijke",
                 "toekomstnederland2040.nl", "Gewijzigde motie van de leden"):
        assert leak not in text


def test_markers_are_superscript_on_the_footnotes_page(bundled_docs):
    doc = bundled_docs["merged"]
    assert [n for _, n in doc.markers] == list(range(1, 22))
    for offset, number in doc.markers:
        digits = str(number).translate(SUPERSCRIPT)
        assert doc.text[offset : offset + len(digits)] == digits
        assert doc.pages_between(offset, offset + 1) == (doc.footnotes[number].page,), f"marker {number}"
    assert "Waardengedreven Digitaliseren¹, de inzet" in doc.text
    assert "er in 2040 uit zou kunnen zien¹⁰." in doc.text
    assert "Cybersecuritystrategie 2022–2028³." in doc.text
    # no plain-digit marker is left, and digits that are not markers stay as they are
    assert "Digitaliseren1," not in doc.text
    assert "CO2-voetafdruk" in doc.text
    assert "Toekomstbeeld 2040⁹" in doc.text


def test_merged_text_is_the_publication_text(bundled_docs):
    merged, pdf = bundled_docs["merged"].text, bundled_docs["pdf"].text
    assert "de agenda «Coalities voor de digitale samenleving» aan." in merged
    assert merged.count("«") == merged.count("»") >= 20
    assert "‘Coalities" not in merged[merged.index("Hierbij bied ik") :]  # only the title line uses ‘ ’
    assert "(Ministerie van SZW)" in merged
    # the PDF rendering keeps its own typography, with line-break hyphens handled
    assert "‘Coalities voor de digitale samenleving’" in pdf
    assert "Cybersecuritystrategie 2022-2028 (NLCS)" in pdf
    assert "Dat heeft positieve kanten. AI-toepassingen kunnen bijdragen" in pdf
    assert "\n " not in pdf and "  " not in pdf


def test_publication_metadata():
    pub = load(CORPUS / PUB_TEXT, "text")
    assert pub.metadata["date"] == "2023-07-07"
    assert pub.metadata["title"].startswith("Brief regering : Agenda")


# --- generated PDFs -----------------------------------------------------------------------------------------


def _pdf_document(path: Path) -> Document:
    rendering = load(path)
    assert rendering.format == "pdf" and rendering.paged
    return build_document(DocumentMeta(path.stem, path.stem), [rendering], "h")


def _pdf_lines(path: Path, pages: list[list[str]], title: str | None = None) -> Path:
    """A PDF whose text lines are exactly `pages` (cells, so fpdf2 keeps soft hyphens and ligatures as drawn)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    pdf.add_font("dv", fname=str(DEJAVU))
    pdf.set_font("dv", size=10)
    for lines in pages:
        pdf.add_page()
        for i, line in enumerate(lines):
            pdf.set_xy(20, 20 + 6 * i)
            pdf.cell(170, 5, line)
    pdf.output(str(path))
    return path


PAGES = [
    "Het kabinet werkt aan een digitale overheid die voor iedereen toegankelijk is. Dit is de eerste pagina.",
    "Op de tweede pagina staat een alinea over datadeling tussen gemeenten en het Rijk.",
    "De derde pagina beschrijft het toezicht op algoritmes door de toezichthouder.",
]


def test_pdf_kamerstuk_footer_gives_printed_pages_and_identifier(tmp_path):
    path = make_pdf(tmp_path / "brief.pdf", PAGES, footer=KAMER_FOOTER.replace("{page}", "1{page}"))
    rendering = load(path)
    assert rendering.metadata["identifier"] == "Kamerstukken II 2022/23, 26 643, nr. 1055"
    doc = build_document(DocumentMeta("brief", "brief"), [rendering], "h")
    assert [p.number for p in doc.pages] == [11, 12, 13]
    assert doc.pages_between(*_locate(doc, "Dit is de eerste pagina.", None)) == (11,)
    assert doc.pages_between(*_locate(doc, "datadeling tussen gemeenten", None)) == (12,)
    assert doc.pages_between(*_locate(doc, "toezicht op algoritmes", None)) == (13,)
    assert "Tweede Kamer" not in doc.text and "vergaderjaar" not in doc.text


def test_pdf_bare_page_number_footer(tmp_path):
    doc = _pdf_document(make_pdf(tmp_path / "nota.pdf", PAGES, footer="2{page}"))
    assert [p.number for p in doc.pages] == [21, 22, 23]
    assert doc.pages_between(*_locate(doc, "datadeling tussen gemeenten", None)) == (22,)
    assert not re.search(r"\b2[123]\b", doc.text), "page numbers must not stay in the text"


def test_pdf_without_printed_numbers_counts_pages(tmp_path):
    doc = _pdf_document(make_pdf(tmp_path / "nota.pdf", PAGES))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages_between(*_locate(doc, "toezicht op algoritmes", None)) == (3,)


def test_pdf_footnotes(tmp_path):
    pages = [
        "Inleiding\n\nDe Werkagenda beschrijft de inzet van het kabinet op digitalisering.1 Daarbij staan "
        "publieke waarden centraal.",
        "De coalities werken samen met gemeenten en provincies.2 Zij delen kennis over algoritmes.",
    ]
    notes = {1: ["1 Kamerstukken II 2022/23, 26 643, nr. 940."],
             2: ["2 Zie de brief van de staatssecretaris van 10 februari 2023 over de", "voortgangsrapportage."]}
    doc = _pdf_document(make_pdf(tmp_path / "noten.pdf", pages, footnotes=notes, footer=KAMER_FOOTER))
    assert sorted(doc.footnotes) == [1, 2]
    assert doc.footnotes[1].text == "Kamerstukken II 2022/23, 26 643, nr. 940."
    assert doc.footnotes[1].page == 1
    assert doc.footnotes[2].text == ("Zie de brief van de staatssecretaris van 10 februari 2023 over de "
                                     "voortgangsrapportage.")
    assert doc.footnotes[2].page == 2
    assert "op digitalisering.¹ Daarbij" in doc.text
    assert "en provincies.² Zij" in doc.text
    assert "Kamerstukken II" not in doc.text and "voortgangsrapportage" not in doc.text
    assert [n for _, n in doc.markers] == [1, 2]


def test_pdf_dehyphenation(tmp_path):
    pages = [
        "Het kabinet versnelt de digitali-\nsering van de publieke dienstverlening. Nieuwe AI-\ntoepassingen "
        "worden eerst getoetst.\nDe Cybersecuritystrategie 2022-\n2028 loopt door. Dit hoofdstuk gaat over de "
        "transfor-",
        "matie van de overheid in de komende jaren.",
    ]
    doc = _pdf_document(make_pdf(tmp_path / "afbreken.pdf", pages))
    assert "versnelt de digitalisering van de publieke dienstverlening." in doc.text
    assert "Nieuwe AI-toepassingen worden eerst getoetst." in doc.text
    assert "Cybersecuritystrategie 2022-2028 loopt door." in doc.text
    assert "digitali-" not in doc.text and "AI- " not in doc.text
    # a word broken across the page break is joined, and its sentence stands on both pages
    a, b = _locate(doc, "Dit hoofdstuk gaat over de transformatie van de overheid", "in de komende jaren.")
    assert doc.pages_between(a, b) == (1, 2)
    assert doc.pages_between(*_locate(doc, "in de komende jaren.", None)) == (2,)


@needs_unicode_font
def test_pdf_ligatures_and_soft_hyphens(tmp_path):
    path = _pdf_lines(tmp_path / "typografie.pdf", [[
        "De ﬁnanciering van het ﬂexibele programma is ge\u00adregeld in de begroting.",
        "Het eﬀect op de ofﬁciële cijfers wordt jaarlijks gemeten.",
    ]])
    from pypdf import PdfReader

    raw = PdfReader(str(path)).pages[0].extract_text()
    assert "ﬁ" in raw and "\u00ad" in raw, "the PDF must really contain what the loader has to clean"
    doc = _pdf_document(path)
    assert "De financiering van het flexibele programma is geregeld in de begroting." in doc.text
    assert "Het effect op de officiële cijfers wordt jaarlijks gemeten." in doc.text
    assert not set(doc.text) & {"ﬁ", "ﬂ", "ﬀ", "\u00ad"}


def test_pdf_metadata_title(tmp_path):
    rendering = load(make_pdf(tmp_path / "x.pdf", PAGES, title="Nota over digitale toegankelijkheid"))
    assert rendering.metadata["title"] == "Nota over digitale toegankelijkheid"


def test_pdf_running_header_is_dropped(tmp_path):
    pages = [f"Ministerie van Binnenlandse Zaken\n\n{text}" for text in PAGES]
    doc = _pdf_document(make_pdf(tmp_path / "kop.pdf", pages, footer="{page}"))
    assert "Ministerie van Binnenlandse Zaken" not in doc.text
    assert "Dit is de eerste pagina." in doc.text


# --- HTML, Markdown, text -----------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="nl"><head>
<title>Werkagenda digitale overheid</title>
<meta name="DCTERMS.issued" content="2022-11-04T10:00:00">
<script>var tracking = "volgscript";</script><style>body { color: red }</style>
</head><body>
<nav><a href="/">Home</a> Navigatiemenu</nav>
<header>Koptekst van de website</header>
<main>
<h1>Werkagenda digitale overheid</h1>
<p>De Werkagenda beschrijft hoe de overheid waardengedreven digitaliseert. Iedereen moet kunnen meedoen in de
digitale samenleving, ook wie minder digitaal vaardig is.</p>
<h2>Digitale inclusie</h2>
<p>Het kabinet investeert in digitale vaardigheden van burgers.</p>
<h3>Informatiepunten</h3>
<p>Bibliotheken bieden hulp bij <b>digitale</b> overheidsdiensten.</p>
<h2>Digitale identiteit</h2>
<p>Burgers krijgen regie over hun eigen gegevens.</p>
<ul><li>Eerste maatregel: een publieke inlogvoorziening.</li></ul>
</main>
<footer>Voettekst met copyright</footer>
<script>console.log("nog een script")</script>
</body></html>
"""


def test_html_loader(tmp_path):
    path = tmp_path / "werkagenda.html"
    path.write_text(HTML, encoding="utf-8")
    rendering = load(path)
    assert rendering.format == "html"
    assert rendering.metadata["title"] == "Werkagenda digitale overheid"
    assert rendering.metadata["date"] == "2022-11-04"
    levels = [(b.text, b.level) for b in rendering.blocks if b.kind == "heading"]
    assert levels == [("Werkagenda digitale overheid", 1), ("Digitale inclusie", 2), ("Informatiepunten", 3),
                      ("Digitale identiteit", 2)]
    doc = build_document(DocumentMeta("w", "w"), [rendering], "h")
    for gone in ("volgscript", "color: red", "Navigatiemenu", "Koptekst", "Voettekst", "console.log", "Home"):
        assert gone not in doc.text
    assert "Bibliotheken bieden hulp bij digitale overheidsdiensten." in doc.text
    assert "Eerste maatregel: een publieke inlogvoorziening." in doc.text
    informatiepunten = doc.section_at(doc.text.index("Bibliotheken bieden"))
    assert informatiepunten[-2:] == ("Digitale inclusie", "Informatiepunten")
    identiteit = doc.section_at(doc.text.index("Burgers krijgen regie"))
    assert identiteit[-1] == "Digitale identiteit"
    assert "Digitale inclusie" not in identiteit and "Informatiepunten" not in identiteit
    assert doc.pages == []


MARKDOWN = """# Nota datadeling

Deze nota beschrijft de afspraken over verantwoord datagebruik tussen gemeenten en het Rijk, vastgesteld op
3 maart 2023 in het bestuurlijk overleg.

## Afspraken

Gemeenten delen gegevens alleen met een wettelijke grondslag.

- Eerste afspraak over datadeling.
- Tweede afspraak over privacy.

### Uitzonderingen

In noodsituaties geldt een aparte regeling.

## Evaluatie

De afspraken worden na twee jaar geëvalueerd.
"""


def test_markdown_headings(tmp_path):
    path = tmp_path / "nota.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    rendering = load(path)
    assert rendering.format == "markdown"
    assert [(b.text, b.level) for b in rendering.blocks if b.kind == "heading"] == [
        ("Nota datadeling", 1), ("Afspraken", 2), ("Uitzonderingen", 3), ("Evaluatie", 2)]
    assert rendering.metadata == {"title": "Nota datadeling", "date": "2023-03-03"}
    doc = build_document(DocumentMeta("n", "n"), [rendering], "h")
    assert "#" not in doc.text
    assert "vastgesteld op 3 maart 2023 in het bestuurlijk overleg." in doc.text
    assert doc.section_at(doc.text.index("In noodsituaties"))[-2:] == ("Afspraken", "Uitzonderingen")
    assert doc.section_at(doc.text.index("Tweede afspraak"))[-1] == "Afspraken"
    evaluatie = doc.section_at(doc.text.index("na twee jaar"))
    assert evaluatie[-1] == "Evaluatie" and "Afspraken" not in evaluatie


def test_markdown_is_read_as_commonmark(tmp_path):
    """An underlined heading is a heading, a list item keeps its bullet or number (a list is recognised by it),
    a quotation loses its `>`, and a code block is one paragraph, its pipes and dashes no table."""
    path = tmp_path / "nota.md"
    path.write_text("Nota datadeling\n===============\n\nDe afspraken:\n\n- eerste afspraak;\n- tweede\n"
                    "  afspraak.\n\n3. Derde punt.\n\n> Een citaat dat\n> doorloopt.\n\nUitvoering\n---\n\n"
                    "```\nveld | waarde\n--- | ---\n```\n", encoding="utf-8")
    blocks = [(b.kind, b.text, b.level, b.table) for b in load(path).blocks]
    assert blocks == [
        ("heading", "Nota datadeling", 1, None), ("para", "De afspraken:", None, None),
        ("para", "- eerste afspraak;", None, None), ("para", "- tweede afspraak.", None, None),
        ("para", "3. Derde punt.", None, None), ("para", "Een citaat dat doorloopt.", None, None),
        ("heading", "Uitvoering", 2, None), ("para", "veld | waarde --- | ---", None, None)]



def _marked_document(tmp_path, name: str, text: str):
    """The document a Markdown or HTML file `name` holding `text` is read into."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_document(DocumentMeta(path.stem, path.stem), [load(path)], "h")


@pytest.mark.parametrize(("name", "text"), [
    ("faq.md", "# Veelgestelde vragen\n\nDeze pagina is bijgewerkt op 2 juni 2025.\n\n"
               "## Wie kan subsidie aanvragen?\n\nAlleen openbare bibliotheken kunnen subsidie aanvragen.\n"),
    ("faq.html", "<html><body><h1>Veelgestelde vragen</h1><p>Deze pagina is bijgewerkt op 2 juni 2025.</p>"
                 "<h2>Wie kan subsidie aanvragen?</h2><p>Alleen openbare bibliotheken kunnen subsidie aanvragen.</p>"
                 "</body></html>"),
])
def test_a_marked_heading_after_a_short_paragraph_opens_a_section(tmp_path, name, text):
    doc = _marked_document(tmp_path, name, text)
    assert doc.section_at(doc.text.index("Alleen openbare")) == ("Wie kan subsidie aanvragen?",)
    assert doc.section_at(doc.text.index("Deze pagina")) == ()  # the title before it is front matter
    chunks = chunk_document(doc, ChunkingSettings())
    assert not any("Wie kan" in c.text for c in chunks), "a heading is no sentence of a passage"
    assert any("Alleen openbare" in c.text for c in chunks)


@pytest.mark.parametrize(("name", "text"), [
    ("plan.md", "# Plan digitale overheid\n\n## Doel\n\nHet plan maakt de overheid toegankelijk.\n\n"
                "## Aanpak\n\nGemeenten werken samen met bibliotheken.\n"),
    ("plan.html", "<html><body><h1>Plan digitale overheid</h1><h2>Doel</h2><p>Het plan maakt de overheid "
                  "toegankelijk.</p><h2>Aanpak</h2><p>Gemeenten werken samen met bibliotheken.</p></body></html>"),
])
def test_a_marked_heading_right_under_the_title_opens_the_first_section(tmp_path, name, text):
    doc = _marked_document(tmp_path, name, text)
    assert doc.section_at(doc.text.index("Het plan maakt")) == ("Doel",)
    assert doc.section_at(doc.text.index("Gemeenten werken")) == ("Aanpak",)
    chunks = chunk_document(doc, ChunkingSettings())
    assert not any(line == "Doel" for c in chunks for line in c.text.splitlines()), "a heading is no passage text"
    assert doc.section_at(doc.text.index("Plan digitale")) == ()  # the title is front matter


def test_without_markup_a_short_line_between_title_lines_is_front_matter(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text("Tweede Kamer der Staten-Generaal\n\nNr. 1055\n\nBrief van de staatssecretaris\n\n"
                    + "Met deze brief informeer ik uw Kamer over de agenda voor de digitale samenleving. " * 3 + "\n",
                    encoding="utf-8")
    doc = build_document(DocumentMeta("b", "b"), [load(path)], "h")
    assert doc.sections == []

DUTCH = [
    "Coördinatie\n\nDe coördinatie van het beleid wordt geëvalueerd door het ministerie.\n",
    "Financiële zaken\n\nDe financiële middelen voor de reële uitgaven zijn geïnvesteerd in één programma. "
    "Het café in de wijk doet mee.\n",
    "Het idee: één café, reële kosten.",
]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
@pytest.mark.parametrize("text", DUTCH, ids=["coordinatie", "financieel", "kort"])
def test_non_utf8_text_is_decoded(tmp_path, encoding, text):
    path = tmp_path / "oud.txt"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    rendering = load(path)
    assert rendering.plain == "\n\n".join(p.strip() for p in text.strip().split("\n\n"))


def test_cp1252_quotes_are_decoded(tmp_path):
    path = tmp_path / "aanhalingen.txt"
    path.write_bytes("Het rapport „Sturen of gestuurd worden” kost € 12 – zegt de Raad.".encode("cp1252"))
    assert load(path).plain == "Het rapport „Sturen of gestuurd worden” kost € 12 – zegt de Raad."


def test_text_cleaning(tmp_path):
    path = tmp_path / "schoon.txt"
    path.write_bytes("\ufeffDe ﬁnanciering is ge\u00adregeld.\u00a0Het  eﬀect\twordt gemeten.\r\n".encode())
    assert load(path).plain == "De financiering is geregeld. Het effect wordt gemeten."
    assert clean_text("A\u00adB ﬂ\u2009C") == "AB fl C"


def test_find_date():
    assert find_date("Den Haag, 7 juli 2023") == "2023-07-07"
    assert find_date("op 14 Juni 2022 besloten") == "2022-06-14"
    assert find_date("in 2023 en daarna") is None
    assert find_date("EPSIF Policy Paper No. 12, published 8 October 2024") == "2024-10-08"  # English, too
    assert find_date("Administrations 8 may 2025 budgets") is None  # an English month is written with a capital


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("leeg.txt", b"", "empty file"),
    ("spaties.md", b"  \n\n \t\n", "empty file"),
    ("kapot.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> rommel\n%%EOF", "unreadable PDF"),
    ("geen.pdf", b"Dit is geen PDF maar platte tekst.", "not a PDF"),
    ("binair.txt", b"\x00\x01\x02\x03binair\x00", "binary"),
    ("brief.docx", b"PK\x03\x04", "not a readable Word document"),
    ("brief.doc", b"\xd0\xcf\x11\xe0", "unsupported file type .doc"),
    ("nota.odt", b"PK\x03\x04", "not a readable OpenDocument text"),
])
def test_bad_files_raise_clear_errors(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(AssistantError) as info:
        load(path)
    assert str(info.value).startswith(f"{name}: ")
    assert reason in str(info.value)


def test_utf16_text_with_bom_is_decoded(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("De coördinatie wordt geëvalueerd.".encode("utf-16"))
    assert load(path).plain == "De coördinatie wordt geëvalueerd."


def test_pdf_date_and_title_from_text(tmp_path):
    """A PDF without metadata still tells its date (first Dutch date) and title (first heading)."""
    pages = ["Kabinetsreactie op het rapport\n\nDen Haag, 14 maart 2023\n\nHet kabinet reageert hierbij op het "
             "rapport over digitale toegankelijkheid van overheidswebsites.", "Tweede pagina zonder datum."]
    rendering = load(make_pdf(tmp_path / "reactie.pdf", pages))
    assert rendering.metadata["date"] == "2023-03-14"
    assert rendering.metadata["title"] == "Kabinetsreactie op het rapport"
    # PDF metadata wins over the text
    titled = load(make_pdf(tmp_path / "titel.pdf", pages, title="Officiële titel"))
    assert titled.metadata["title"] == "Officiële titel"
    assert titled.metadata["date"] == "2023-03-14"


def _typeset(path: Path, lines: list[tuple[str, str, float]]) -> Path:
    """A PDF without bookmarks whose lines are (text, style, size): "B" bold, "" regular, in the core fonts."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    for text, style, size in lines:
        pdf.set_font("helvetica", style, size)
        pdf.cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


TYPESET = [
    ("Voortgang van het register", "B", 16),
    ("Practices from Twelve Administrations, Policy Paper No. 12, October 2024", "", 10.5),
    ("Met deze brief informeer ik uw Kamer over de voortgang van het register, zoals toegezegd in het", "", 10.5),
    ("commissiedebat van 12 februari 2025.1", "", 10.5),
    ("Stand van het register", "B", 13),
    ("Op 1 maart 2025 stonden 1.146 algoritmes in het register.", "", 10.5),
    ("Wat is het register?", "B", 13),
    ("Het register is een openbare lijst van algoritmes van de overheid.", "", 10.5),
    ("Registratie", "B", 10.5),
    ("Vanaf 2026 is registratie verplicht.", "", 10.5),
]


def test_headings_set_in_bold_or_larger_type_are_sections(tmp_path):
    """Without bookmarks, the type tells the headings the text's layout runs into a paragraph: one after a line
    ending in a footnote marker, one that asks a question; body-size bold is the lowest level."""
    doc = _pdf_document(_typeset(tmp_path / "brief.pdf", TYPESET))
    assert [s.path for s in doc.sections] == [
        ("Stand van het register",), ("Wat is het register?",), ("Wat is het register?", "Registratie")]
    at = doc.text.index("Op 1 maart 2025")
    assert doc.section_at(at) == ("Stand van het register",)
    assert "Stand" not in doc.text[doc.text.index("Met deze brief") :].split("\n\n")[0]
    assert doc.meta.title == "brief" and load(tmp_path / "brief.pdf").metadata["title"] == "Voortgang van het register"


def test_bold_type_smaller_than_the_body_is_no_heading(tmp_path):
    """A table's bold header row is set smaller than the running text: it is no heading."""
    from pypdf import PdfReader

    from assistant.sources.loaders.pdf import _read, _typeset_headings

    path = _typeset(tmp_path / "table.pdf", [*TYPESET[4:6], ("Kenmerk 2023 2024", "B", 9.5),
                                               ("Algoritmes 612 1.146", "", 9.5)])
    marks = _typeset_headings([lines for _, lines in map(_read, PdfReader(path).pages)])
    assert marks == [{"stand van het register": 1}]


def test_a_pdf_set_in_one_type_keeps_the_headings_its_layout_shows(tmp_path):
    """No line set apart: headings come from the layout as before (a short line standing alone)."""
    lines = [(text, "", 10.5) for text, _, _ in TYPESET[4:8]]
    doc = _pdf_document(_typeset(tmp_path / "plain.pdf", lines))
    assert [s.path for s in doc.sections] == [("Stand van het register",)]


LETTER_LINES = [
    "Voortgang Algoritmeregister en toezicht op algoritmes",
    "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
    "Den Haag, 3 april 2025",
    "Met deze brief informeer ik uw Kamer over de voortgang van het Algoritmeregister van de overheid en",
    "over de inrichting van het toezicht op algoritmes, zoals toegezegd tijdens het commissiedebat Digitale",
    "Zaken van 12 februari 2025.",
    "Op 1 maart 2025 stonden 1.146 algoritmes in het Algoritmeregister, gepubliceerd door 212",
    "overheidsorganisaties.",
    "Mijn doel is dat uiterlijk eind 2025 alle hoog-risico-algoritmes van de rijksoverheid in het register staan.",
    "Een jaar eerder waren dat nog 612 algoritmes van 139 organisaties, verdeeld over Rijk, provincies,",
    "Gemeenten en waterschappen die hun eigen registers bijhouden en daarover jaarlijks verslag uitbrengen.",
]


def test_a_line_that_stops_short_before_a_new_start_ends_its_block():
    """A letter's addressee and date each stand alone, not run into its first sentence; a wrapped sentence
    stays whole, also where a full line ends on a comma before a capital."""
    from assistant.sources.loaders.lines import blocks_from_lines

    texts = [b.text for b in blocks_from_lines(LETTER_LINES, 1)]
    assert texts[1:4] == [
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Den Haag, 3 april 2025",
        "Met deze brief informeer ik uw Kamer over de voortgang van het Algoritmeregister van de overheid en over de "
        "inrichting van het toezicht op algoritmes, zoals toegezegd tijdens het commissiedebat Digitale Zaken van 12 "
        "februari 2025.",
    ]
    assert "Rijk, provincies, Gemeenten en waterschappen" in texts[-1] and texts[-1].endswith("verslag uitbrengen.")


def test_a_web_pages_list_items_keep_the_bullet_or_number_a_browser_shows(tmp_path):
    path = tmp_path / "nota.html"
    path.write_text("<html><body><p>De nota maakt drie afspraken:</p><ul><li>eerste afspraak;</li>"
                    "<li>tweede afspraak;</li></ul><ol start='3'><li>derde afspraak.</li><li>vierde.</li></ol>"
                    "</body></html>", encoding="utf-8")
    assert [b.text for b in load(path).blocks] == [
        "De nota maakt drie afspraken:", "• eerste afspraak;", "• tweede afspraak;", "3. derde afspraak.",
        "4. vierde."]


def test_each_ordered_list_numbers_its_own_items_whatever_lists_stand_inside_them(tmp_path):
    path = tmp_path / "nota.html"
    items = "".join(f"<li>punt {n};</li>" for n in range(1, 301))
    path.write_text("<html><body><ol><li>eerste<ol><li>binnen</li><li>binnen</li></ol></li><li>tweede</li></ol>"
                    f"<p>En verder:</p><ol start='7'>{items}</ol></body></html>", encoding="utf-8")
    texts = [b.text for b in load(path).blocks]
    assert texts[:3] == ["1. eerste binnen binnen", "2. tweede", "En verder:"]
    assert texts[3] == "7. punt 1;" and texts[-1] == "306. punt 300;" and len(texts) == 303


def test_a_web_pages_text_outside_any_paragraph_is_read_where_it_stands(tmp_path):
    path = tmp_path / "pagina.html"
    path.write_text("<html><body><h1>Subsidie</h1><span>U kunt subsidie <b>aanvragen</b> tot 1 mei.</span>"
                    "<div>Inleidende tekst zonder alinea.<p>Een alinea.</p>Staart na de <a href='#'>link</a>."
                    "<!-- een opmerking --></div><figure><img src='x.png'><figcaption>Figuur 1: aanvragen per "
                    "maand</figcaption></figure><section>Tekst in een sectie.</section></body></html>",
                    encoding="utf-8")
    assert [(b.kind, b.text) for b in load(path).blocks] == [
        ("heading", "Subsidie"), ("para", "U kunt subsidie aanvragen tot 1 mei."),
        ("para", "Inleidende tekst zonder alinea."), ("para", "Een alinea."), ("para", "Staart na de link."),
        ("para", "Figuur 1: aanvragen per maand"), ("para", "Tekst in een sectie.")]


def test_a_markdown_files_front_matter_gives_its_title_and_date_and_is_no_text(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text('---\ntitle: "Uitvoeringsplan Digitale Inclusie"\ndate: 2025-03-14\nauthor: BZK\ntags: [a, b]\n'
                    "---\n\n# Aanpak\n\nHet plan beschrijft de aanpak.\n", encoding="utf-8")
    rendering = load(path)
    assert [(b.kind, b.text) for b in rendering.blocks] == [("heading", "Aanpak"),
                                                             ("para", "Het plan beschrijft de aanpak.")]
    assert rendering.metadata["title"] == "Uitvoeringsplan Digitale Inclusie"
    assert rendering.metadata["date"] == "2025-03-14"


def test_front_matter_whose_aliases_would_make_a_billion_items_is_not_expanded(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefg", "bcdefgh", strict=True)]
    path = tmp_path / "bom.md"
    path.write_text("---\n" + "\n".join(levels) + "\ndate: [*h, *h, *h]\ntitle: [*h]\n---\n\n# Kop\n\nTekst.\n",
                    encoding="utf-8")
    rendering = load(path)  # 9**9 items if printed; read, it is a few hundred objects
    assert rendering.metadata.get("title") == "Kop" and "date" not in rendering.metadata


@pytest.mark.parametrize("text", [
    "---\n\nEen tekst onder een lijn.\n\n---\n",  # a rule, text, a rule: no mapping
    "---\ntitle: [niet gesloten\n---\n\nEen tekst.\n",  # no YAML
    "---\ntitle: Nooit gesloten\n\nEen tekst.\n",  # no closing line
])
def test_a_markdown_file_that_only_opens_with_a_rule_keeps_its_text(tmp_path, text):
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8")
    rendering = load(path)
    assert any("tekst" in b.text for b in rendering.blocks)
    assert rendering.metadata.get("title") != "Nooit gesloten"


@pytest.mark.parametrize(("head", "h1", "title"), [
    ("<title>Kamerbrief over digitale inclusie | Kamerstuk | Rijksoverheid.nl</title>",
     "Kamerbrief over digitale inclusie", "Kamerbrief over digitale inclusie"),  # the site's name left off
    ("<title>Home - Rijksoverheid.nl</title><meta property='og:title' content='Kamerbrief over AI'>", "Menu",
     "Kamerbrief over AI"),  # the page's metadata names it
    ("<title>Nota datadelen 2025</title>", "Nota", "Nota datadelen 2025"),  # a longer title, not a site's name
])
def test_a_web_pages_title_is_the_documents_not_its_sites(tmp_path, head, h1, title):
    path = tmp_path / "p.html"
    path.write_text(f"<html><head>{head}</head><body><h1>{h1}</h1><p>Tekst.</p></body></html>", encoding="utf-8")
    assert load(path).metadata["title"] == title


@pytest.mark.parametrize("placeholder", ["Microsoft Word - nota_v3_def.docx", "Document1", "Untitled"])
def test_a_title_that_names_the_program_or_file_it_was_made_as_is_passed_over(tmp_path, placeholder):
    pdf = make_pdf(tmp_path / "nota.pdf", ["Nota datadelen\n\nDe nota beschrijft hoe overheden gegevens delen."],
                   title=placeholder)
    page = tmp_path / "p.html"
    page.write_text(f"<html><head><title>{placeholder}</title></head><body><h1>Nota datadelen</h1>"
                    "<p>Tekst.</p></body></html>", encoding="utf-8")
    assert load(pdf).metadata["title"] == "Nota datadelen"
    assert load(page).metadata["title"] == "Nota datadelen"
