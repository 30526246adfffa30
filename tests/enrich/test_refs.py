"""The reference registry: the grammar on many spellings, merging into one entry per cited document, the oracle
of the bundled letter, per-document storage at ingest, the `refs` commands and `corpus add`.

Read-only checks use the session `bundled` index; everything that ingests gets a workspace of its own. Documents
are built through the real loaders (`make_pdf` + `load` + `build_document`) unless a test needs the index.
"""

from __future__ import annotations

import http.server
import json
import random
import re
import socket
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, cli_env, make_pdf

from assistant.cli import cli
from assistant.config import Settings
from assistant.enrich.refs import (
    Mention,
    Reference,
    build_registry,
    extract,
    find,
    name_key,
    parse_id,
    score,
)
from assistant.health import check
from assistant.index import Index, current_generation
from assistant.index.versions import stamp
from assistant.ingest import add_document, ingest
from assistant.sources.documents import build_document
from assistant.sources.loaders import load
from assistant.types import AssistantError, Document, DocumentMeta, Footnote, PageSpan, Section

DOC_ID = "kst-26643-1055"
ORACLE = ROOT / "evals" / "refs" / "kst-26643-1055.json"
PUBLICATIONS = "https://zoek.officielebekendmakingen.nl"


# --------------------------------------------------------------------------------------------------- helpers


def _doc(path: Path, doc_id: str, title: str = "Notitie", **meta: str) -> Document:
    """A Document built by the real loader and merger from one file."""
    return build_document(DocumentMeta(doc_id=doc_id, title=title, **meta), [load(path)], "hash-" + doc_id)


def _pdf_doc(tmp_path: Path, doc_id: str, pages: list[str], footnotes: dict[int, list[str]] | None = None,
             **meta: str) -> Document:
    return _doc(make_pdf(tmp_path / f"{doc_id}.pdf", pages, footnotes=footnotes), doc_id, **meta)


def _text_doc(tmp_path: Path, doc_id: str, text: str, **meta: str) -> Document:
    path = tmp_path / f"{doc_id}.txt"
    path.write_text(text, encoding="utf-8")
    return _doc(path, doc_id, **meta)


def _registry(*docs: Document, corpus: list[DocumentMeta] | None = None) -> dict[str, Reference]:
    metas = {d.meta.doc_id: d.meta for d in docs}
    metas.update({m.doc_id: m for m in corpus or []})
    return {r.id: r for r in build_registry({d.meta.doc_id: extract(d) for d in docs}, metas)}


def _ids(mentions: list[Mention]) -> list[str]:
    return [m.id for m in mentions]


def _snapshot(settings: Settings) -> dict[str, bytes | str | None]:
    """Every byte of the corpus, plus which index generation is live and which generations exist."""
    files: dict[str, bytes | str | None] = {
        p.relative_to(settings.corpus_dir).as_posix(): p.read_bytes()
        for p in sorted(settings.corpus_dir.rglob("*")) if p.is_file()}
    files["<CURRENT>"] = current_generation(settings.index_dir) if settings.index_dir.exists() else None
    files["<generations>"] = ",".join(sorted(p.name for p in settings.index_dir.glob("gen-*"))) \
        if settings.index_dir.exists() else ""
    return files


def _invoke(settings: Settings, *args: str, **env: str):
    base = {"ASSISTANT_INDEX_DIR": str(settings.index_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir)}
    return CliRunner().invoke(cli, list(args), env={**base, **env})


def _collapse(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------------------- bundled oracle


@pytest.fixture(scope="module")
def bundled_refs(bundled: Settings) -> dict[str, Reference]:
    return {r.id: r for r in Index.open(bundled).references()}


@pytest.fixture(scope="module")
def oracle() -> list[dict]:
    data = json.loads(ORACLE.read_text(encoding="utf-8"))
    assert data["doc_id"] == DOC_ID
    return data["references"]


def test_oracle_scores_precision_and_recall_of_at_least_095(bundled, oracle):
    references = Index.open(bundled).references()
    result = score(references, oracle)
    units = {(e["id"], p["page"], p["footnote"]) for e in oracle for p in e["cited_at"]}
    assert result["units"] == len(units) >= 40
    assert result["precision"] >= 0.95, result["extra"]
    assert result["recall"] >= 0.95, result["missed"]
    assert result["extracted"] >= 0.95 * len(units)


def test_score_counts_a_wrong_page_as_a_miss(bundled, oracle):
    """The scorer itself can fail: one place moved to another page costs a unit of both measures."""
    references = [r.model_copy(deep=True) for r in Index.open(bundled).references()]
    werkagenda = next(r for r in references if r.id == "kst-26643-940")
    footnote_place = next(p for p in werkagenda.places if p.footnote == 1)
    footnote_place.page = 9
    before = score(Index.open(bundled).references(), oracle)
    after = score(references, oracle)
    assert ("kst-26643-940", 1, 1) in after["missed"] and ("kst-26643-940", 9, 1) in after["extra"]
    assert after["recall"] < before["recall"] and after["precision"] < before["precision"]
    assert score([], oracle)["recall"] == 0


def _pdf_pages() -> list[str]:
    """The PDF rendering's pages by the README's rule: page n starts at the n-th line ' X…'."""
    pages: list[list[str]] = []
    for line in (CORPUS / "000_f05a9d83e50ba6a3.txt").read_text(encoding="utf-8").split("\n"):
        if re.match(r" \S", line) or not pages:
            pages.append([])
        pages[-1].append(line)
    return [_collapse("\n".join(p)) for p in pages]


def test_every_oracle_quote_is_verbatim_in_the_corpus_and_on_its_page(oracle):
    pages = _pdf_pages()
    assert len(pages) == 14
    pdf = _collapse((CORPUS / "000_f05a9d83e50ba6a3.txt").read_text(encoding="utf-8"))
    publication = _collapse((CORPUS / "001_8ed86a11dc3d904d.txt").read_text(encoding="utf-8"))
    quotes = [(e["id"], p) for e in oracle for p in e["cited_at"]]
    assert len(quotes) >= 40
    for rid, place in quotes:
        quote = _collapse(place["quote"])
        assert quote, rid
        assert quote in pdf or quote in publication, (rid, quote)
        if quote in pdf:
            assert quote in pages[place["page"] - 1], (rid, place)


def test_werkagenda_is_one_entry_with_its_title_date_and_places(bundled_refs):
    ref = bundled_refs["kst-26643-940"]
    assert ref.kind == "kamerstuk"
    assert "Waardengedreven Digitaliseren" in ref.title
    assert ref.date == "2022-11-04"
    assert ref.url == f"{PUBLICATIONS}/kst-26643-940.html"
    assert ref.identifier == "Kamerstuk 26 643, nr. 940"
    assert ref.in_corpus is None
    notes = [p for p in ref.places if p.footnote is not None]
    assert [(p.footnote, p.page) for p in notes] == [(1, 1)]
    assert "Kamerstukken" in notes[0].as_written and "940" in notes[0].as_written
    running = {p.page for p in ref.places if p.footnote is None}
    assert running == {1, 2, 5, 13, 14}
    for place in ref.places:
        assert place.doc_id == DOC_ID
        assert place.as_written in place.quote
    assert sum(p.footnote is None and p.page == 2 for p in ref.places) >= 3
    assert sum(r.id.endswith("-940") for r in bundled_refs.values()) == 1


def test_impossible_session_year_is_flagged_and_kept_as_written(bundled_refs):
    ref = bundled_refs["kst-26643-1005"]
    assert "year" in ref.flags
    assert [(p.page, p.footnote, p.as_written) for p in ref.places] == [
        (13, 21, "Kamerstukken 2023-2023, 26643, nr. 1005")]
    assert not any("year" in r.flags for rid, r in bundled_refs.items() if rid != "kst-26643-1005")


@pytest.mark.parametrize(("rid", "member"), [("kst-35510-21", "Marijnissen"), ("kst-35510-16", "Klaver")])
def test_motions_are_motions_named_after_their_submitter(bundled_refs, rid, member):
    ref = bundled_refs[rid]
    assert ref.kind == "motie"
    assert any(member in n for n in ref.names)
    other = "Klaver" if member == "Marijnissen" else "Marijnissen"
    assert not any(other in n for n in ref.names)
    assert {(p.page, p.footnote) for p in ref.places} == {(6, 12)}


def test_the_letter_never_cites_itself(bundled, bundled_refs):
    assert DOC_ID not in bundled_refs
    assert not any(r.in_corpus == DOC_ID for r in bundled_refs.values())
    assert not any("1055" in r.id for r in bundled_refs.values())
    assert not any(m.id == DOC_ID for m in Index.open(bundled).mentions(DOC_ID))


def test_kinds_of_the_bundled_registry(bundled_refs):
    kinds = {r.kind for r in bundled_refs.values()}
    assert {"kamerstuk", "motie", "staatscourant", "rapport", "beleidsstuk", "eu", "publicatie", "url"} <= kinds
    assert bundled_refs["stcrt-2022-35231"].kind == "staatscourant"
    assert bundled_refs["wrr-105"].kind == "rapport"
    assert bundled_refs["kst-26643-1003"].kind == "motie"
    assert bundled_refs["url-algoritmeregister-nl"].kind == "url"
    assert bundled_refs["eu-reg-2016-679"].url == "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
    assert [p.as_written for p in bundled_refs["eu-reg-2016-679"].places] == ["AVG"]


def test_stored_mentions_of_the_live_generation(bundled):
    index = Index.open(bundled)
    assert index.gen_dir.name == current_generation(bundled.index_dir)
    for doc_id in index.documents:
        stored = json.loads((index.gen_dir / "docs" / f"{doc_id}.refs.json").read_text(encoding="utf-8"))
        assert stored["version"] == stamp("refs")
        mentions = [Mention(**m) for m in stored["mentions"]]
        assert mentions == index.mentions(doc_id) == extract(index.document(doc_id))
        assert len(mentions) >= 40


# ------------------------------------------------------------------------------------------------- grammar

SPELLINGS = [
    # (citation, id, kind, flags)
    ("Kamerstukken II 2019/20, 35 300 VII, nr. 12", "kst-35300-vii-12", "kamerstuk", []),
    ("Kamerstuk 26643-940", "kst-26643-940", "kamerstuk", []),
    ("Kamerstukken I 2022/2023, 36 200 VII, nr. A", "kst-36200-vii-a", "kamerstuk", []),
    ("Kamerstukken II 2021–22, 30 821, nr. 150", "kst-30821-150", "kamerstuk", []),
    ("Kamerstuk 31 490 nr. 7", "kst-31490-7", "kamerstuk", []),
    ("Kamerstukken 2020-2020, 32 761, nr. 88", "kst-32761-88", "kamerstuk", ["year"]),
    ("Kamerstukken II 2018/21, 34 775, nr. 3", "kst-34775-3", "kamerstuk", ["year"]),
    ("Kamerstuk 26 643", "kst-26643", "kamerstuk", ["partial"]),
    ("Stcrt. 2021, 1234", "stcrt-2021-1234", "staatscourant", []),
    ("Staatscourant 2021, nr. 5", "stcrt-2021-5", "staatscourant", []),
    ("Staatscourant nr. 35231 van 30 december 2022", "stcrt-2022-35231", "staatscourant", []),
    ("Stb. 2018, 123", "stb-2018-123", "staatsblad", []),
    ("Staatsblad 2019, nr. 45", "stb-2019-45", "staatsblad", []),
    ("WRR-rapport nr. 98", "wrr-98", "rapport", []),
    ("WRR rapport 101", "wrr-101", "rapport", []),
    ("Verordening (EU) 2016/679", "eu-reg-2016-679", "eu", []),
    ("Richtlijn (EU) 2022/2555", "eu-dir-2022-2555", "eu", []),
]


@pytest.mark.parametrize(("citation", "rid", "kind", "flags"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_spelling_in_running_text_of_a_text_file(tmp_path, citation, rid, kind, flags):
    text = f"De minister verwijst in deze notitie naar {citation} en licht dat hieronder toe.\n"
    mentions = extract(_text_doc(tmp_path, "notitie", text))
    found = [m for m in mentions if m.place.as_written == citation]
    assert [(m.id, m.kind, sorted(m.flags)) for m in found] == [(rid, kind, sorted(flags))], _ids(mentions)
    assert found[0].place.footnote is None
    assert found[0].place.quote.strip() == text.strip()
    assert [m.id for m in mentions if m.id.startswith(rid.split("-")[0] + "-")] == [rid]


@pytest.mark.parametrize(("citation", "rid", "kind", "flags"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_spelling_in_a_pdf_footnote(tmp_path, citation, rid, kind, flags):
    doc = _pdf_doc(tmp_path, "nota", [
        "Deze nota gaat over digitale weerbaarheid van gemeenten en over de samenwerking met de provincies "
        "bij het versterken daarvan.1 De uitvoering volgt later dit jaar."],
        footnotes={1: [f"1 Zie {citation}."]})
    assert doc.footnotes[1].text == f"Zie {citation}."
    found = [m for m in extract(doc) if m.place.footnote == 1]
    assert [(m.id, m.kind, sorted(m.flags), m.place.as_written, m.place.page) for m in found] == [
        (rid, kind, sorted(flags), citation, 1)]


def test_identifier_and_official_address_of_a_kamerstuk(tmp_path):
    doc = _text_doc(tmp_path, "notitie", "Zie Kamerstukken II 2019/20, 35 300 VII, nr. 12 voor de begroting.\n")
    (mention,) = [m for m in extract(doc) if m.id.startswith("kst-")]
    assert mention.identifier == "Kamerstuk 35 300 VII, nr. 12"
    ref = _registry(doc)["kst-35300-vii-12"]
    assert ref.url and ref.url.startswith(f"{PUBLICATIONS}/") and ref.url.lower().endswith("kst-35300-vii-12.html")


def test_partial_kamerstuk_keeps_the_dossier_and_says_so(tmp_path):
    doc = _text_doc(tmp_path, "notitie", "Het dossier Kamerstuk 26 643 bevat alle brieven over digitalisering.\n")
    ref = _registry(doc)["kst-26643"]
    assert "partial" in ref.flags and ref.kind == "kamerstuk"
    assert [p.as_written for p in ref.places] == ["Kamerstuk 26 643"]


@pytest.mark.parametrize(("text", "address", "rid"), [
    ("Meer informatie staat op https://example.org/pad/doc.html.", "https://example.org/pad/doc.html",
     "url-example-org-pad-doc-html"),
    ("Meer informatie (zie https://example.org/pad/doc.html), en verder niets.", "https://example.org/pad/doc.html",
     "url-example-org-pad-doc-html"),
    ("Kijk op www.voorbeeld.nl/digitaal/; daar staat alles.", "www.voorbeeld.nl/digitaal/",
     "url-voorbeeld-nl-digitaal"),
    ("Het register «https://register.example.nl/a?b=1»! Daar staat het.", "https://register.example.nl/a?b=1",
     "url-register-example-nl-a-b-1"),
    ("Volgens “http://data.example.com/set”, zo staat het er.", "http://data.example.com/set",
     "url-data-example-com-set"),
    ("Zie ‘https://example.nl/x’: de bron.", "https://example.nl/x", "url-example-nl-x"),
])
def test_url_without_the_punctuation_around_it(tmp_path, text, address, rid):
    mentions = [m for m in extract(_text_doc(tmp_path, "notitie", text + "\n")) if m.kind == "url"]
    assert [(m.id, m.place.as_written) for m in mentions] == [(rid, address)]


def test_url_in_square_brackets(tmp_path):
    doc = _text_doc(tmp_path, "notitie", "De bron [https://www.example.nl/bron] is openbaar.\n")
    mentions = [m for m in extract(doc) if m.kind == "url"]
    assert [(m.id, m.place.as_written) for m in mentions] == [("url-example-nl-bron", "https://www.example.nl/bron")]


@pytest.mark.parametrize("text", [
    "Start de server en open `http://localhost:8080/api` in de browser.",  # code, between backticks
    "De testomgeving draait op http://127.0.0.1:7860/ en op http://192.168.1.20/intranet.",  # this machine
])
def test_an_address_in_code_or_on_this_machine_is_no_source(tmp_path, text):
    doc = _text_doc(tmp_path, "handleiding", f"{text} Zie ook https://www.example.nl/bron voor de bron.\n")
    assert [m.place.as_written for m in extract(doc) if m.kind == "url"] == ["https://www.example.nl/bron"]


MALFORMED = [
    "Kamerstuk nr.",
    "Kamerstukken 20xx/yy",
    "Staatscourant",
    "Stcrt.",
    "Stb. ,",
    "Kamerstukken II , nr. 12",
    "WRR-rapport nr.",
    "Verordening (EU) /679",
    "https://",
    "www.",
    "motie van het lid",
    "‘ongesloten titel (Kamerstukken II 2022/23, nr.",
    "«»“”‘’\"\" (())",
    "Ⅻ 𝔎𝔞𝔪𝔢𝔯𝔰𝔱𝔲𝔨 ١٢٣ 漢字 🙂 ﬁ \u200b\u202e",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_pieces_do_not_crash_and_cite_nothing_official(tmp_path, text):
    body = f"In deze alinea staat een onvolledige verwijzing: {text} Daarna gaat de tekst gewoon verder.\n"
    mentions = extract(_text_doc(tmp_path, "notitie", body))
    assert not [m for m in mentions if re.match(r"(kst|stcrt|stb|wrr|eu)-", m.id)], _ids(mentions)
    in_note = _pdf_doc(tmp_path, "nota", ["Een korte tekst over digitale weerbaarheid bij gemeenten.1 Meer niet."],
                       footnotes={1: [f"1 {text}"]})
    assert not [m for m in extract(in_note) if re.match(r"(kst|stcrt|stb|wrr|eu)-", m.id)]


def test_ten_thousand_characters_of_noise(tmp_path):
    rng = random.Random(20240607)
    alphabet = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:/-–()[]«»‘’“”\"'§€ëéïüß漢🙂"
                + "Kamerstuk Staatscourant Stcrt. Stb. nr. van WRR-rapport Verordening (EU) https:// www. ")
    noise = "".join(rng.choice(alphabet) for _ in range(10_000))  # a pattern that backtracks without end is
    # stopped by the suite's per-test timeout; the time extraction takes is evals/bench_refs.py's
    mentions = extract(_text_doc(tmp_path, "ruis", noise + "\n"))
    assert isinstance(mentions, list)
    for m in mentions:
        assert m.place.as_written and m.place.as_written in m.place.quote
    # the same noise around one real citation: the citation is still found
    around = noise[:5000] + "\n\nZie Kamerstukken II 2022/23, 26 643, nr. 940 voor de werkagenda.\n\n" + noise[5000:]
    found = extract(_text_doc(tmp_path, "ruis-2", around + "\n"))
    assert "kst-26643-940" in _ids(found)


def test_extract_on_a_hand_made_document():
    """`extract` reads a Document's footnotes and running text; places carry page, section and footnote."""
    body = ("Inleiding\n\nHet kabinet presenteert de Nationale Weerbaarheidsstrategie¹ aan de Kamer. "
            "De uitwerking volgt in de Staatscourant 2023, nr. 777.\n\n"
            "Vervolg\n\nIn de Nationale Weerbaarheidsstrategie staat ook de aanpak voor gemeenten.")
    page_two = body.index("Vervolg")
    marker = body.index("¹")
    doc = Document(
        meta=DocumentMeta(doc_id="hand", title="Handgemaakt"),
        text=body,
        pages=[PageSpan(1, 0, page_two), PageSpan(2, page_two, len(body))],
        sections=[Section(("Inleiding",), 0), Section(("Vervolg",), page_two)],
        footnotes={1: Footnote(1, "Brief van 1 maart 2023 over de ‘Nationale Weerbaarheidsstrategie’ "
                                  "(Kamerstukken II 2022/23, 30 821, nr. 180).", page=1)},
        markers=[(marker, 1)],
        content_hash="x",
    )
    mentions = extract(doc)
    note = [m for m in mentions if m.place.footnote == 1]
    assert [(m.id, m.title, m.date, m.place.page, m.place.section) for m in note] == [
        ("kst-30821-180", "Nationale Weerbaarheidsstrategie", "2023-03-01", 1, "Inleiding")]
    running = {(m.id, m.place.page, m.place.section, m.place.as_written) for m in mentions if m.place.footnote is None}
    assert running == {
        ("kst-30821-180", 1, "Inleiding", "Nationale Weerbaarheidsstrategie"),
        ("stcrt-2023-777", 1, "Inleiding", "Staatscourant 2023, nr. 777"),
        ("kst-30821-180", 2, "Vervolg", "Nationale Weerbaarheidsstrategie"),
    }
    for m in mentions:
        if m.place.footnote is None:
            assert body[m.place.start : m.place.end] == m.place.quote
            assert m.place.as_written in m.place.quote


def test_pdf_with_footnotes_gives_pages_and_footnote_numbers(tmp_path):
    doc = _pdf_doc(tmp_path, "brief", [
        "Met deze brief informeer ik uw Kamer over de voortgang van de digitale overheid en de afspraken met "
        "gemeenten.1 De afspraken zijn gepubliceerd in Stcrt. 2021, 1234 en gelden vanaf 2022.",
        "Op deze pagina volgt de wetgeving: Stb. 2018, 123 is de basis, en de motie van het lid Jansen c.s. "
        "(Kamerstuk 35510-30) vraagt om meer.2 Ook het WRR-rapport nr. 98 is relevant.",
    ], footnotes={1: ["1 Kamerstukken II 2021/22, 29 362, nr. 300."],
                  2: ["2 Verordening (EU) 2016/679, zie ook https://eur-lex.europa.eu/eli/reg/2016/679/oj."]})
    where = {(m.id, m.place.page, m.place.footnote) for m in extract(doc)}
    assert {("kst-29362-300", 1, 1), ("stcrt-2021-1234", 1, None), ("stb-2018-123", 2, None),
            ("kst-35510-30", 2, None), ("wrr-98", 2, None), ("eu-reg-2016-679", 2, 2),
            ("url-eur-lex-europa-eu-eli-reg-2016-679-oj", 2, 2)} <= where
    motion = next(m for m in extract(doc) if m.id == "kst-35510-30")
    assert motion.kind == "motie" and any("Jansen" in n for n in motion.names)


@pytest.mark.parametrize(("typed", "rid"), [
    ("kst-26643-940", "kst-26643-940"),
    ("26 643, nr. 940", "kst-26643-940"),
    ("26643-940", "kst-26643-940"),
    ("Kamerstuk 26643-940", "kst-26643-940"),
    ("Kamerstukken II 2022/23, 26 643, nr. 940", "kst-26643-940"),
    ("  35 300 VII, nr. 12 ", "kst-35300-vii-12"),
    ("wrr-105", "wrr-105"),
    ("hallo wereld", None),
    ("", None),
])
def test_parse_id(typed, rid):
    assert parse_id(typed) == rid


def test_name_key_ignores_case_years_abbreviations_and_small_words():
    assert name_key("Nederlandse Cybersecuritystrategie 2022–2028 (NLCS)") == name_key(
        "de nederlandse cybersecuritystrategie")
    assert name_key("Strategie voor de Digitale Economie") == name_key("Strategie Digitale Economie")
    assert name_key("Werkagenda Digitale Overheid") != name_key("Werkagenda Digitale Economie")


# ------------------------------------------------------------------------------------------------- merging


def test_one_kamerstuk_in_two_spellings_in_two_documents_is_one_entry(tmp_path):
    first = _pdf_doc(tmp_path, "brief-a", [
        "In deze brief beschrijf ik de stand van zaken van het digitaliseringsbeleid bij gemeenten.1 "
        "Daarover later meer."], footnotes={1: ["1 Kamerstukken II 2022/23, 26 643, nr. 940."]})
    second = _text_doc(tmp_path, "brief-b", "Eerder schreef ik daarover in Kamerstuk 26643-940 aan uw Kamer.\n"
                                            "Zie ook Kamerstukken II 2022–2023, 26 643, nr. 940 voor details.\n")
    registry = _registry(first, second)
    assert [rid for rid in registry if rid.endswith("-940")] == ["kst-26643-940"]
    ref = registry["kst-26643-940"]
    assert {p.doc_id for p in ref.places} == {"brief-a", "brief-b"}
    assert sorted(p.as_written for p in ref.places) == sorted([
        "Kamerstukken II 2022/23, 26 643, nr. 940", "Kamerstuk 26643-940",
        "Kamerstukken II 2022–2023, 26 643, nr. 940"])
    assert ref.identifier == "Kamerstuk 26 643, nr. 940"


STRATEGY_PAGES = [
    "Het kabinet heeft de Nationale Weerbaarheidsstrategie1 vastgesteld en stuurt die hierbij aan uw Kamer. "
    "Gemeenten en provincies werken mee aan de uitvoering.",
    "De Nationale Weerbaarheidsstrategie vraagt ook om oefeningen met de veiligheidsregio's en de waterschappen.",
]


def test_named_strategy_takes_the_id_its_footnote_gives(tmp_path):
    doc = _pdf_doc(tmp_path, "brief", STRATEGY_PAGES, footnotes={1: [
        "1 Brief van de minister van Justitie en Veiligheid van 3 juni 2022 over de ‘Nationale "
        "Weerbaarheidsstrategie’ (Kamerstukken II 2021/22, 30 821, nr. 150)."]})
    later = _text_doc(tmp_path, "notitie", "Gemeenten volgen de Nationale Weerbaarheidsstrategie bij hun "
                                           "eigen crisisplannen.\n")
    registry = _registry(doc, later)
    ref = registry["kst-30821-150"]
    assert ref.kind == "kamerstuk" and ref.date == "2022-06-03"
    assert {(p.doc_id, p.page, p.footnote) for p in ref.places} == {
        ("brief", 1, 1), ("brief", 1, None), ("brief", 2, None), ("notitie", None, None)}
    assert not [rid for rid in registry if "weerbaarheid" in rid], list(registry)
    assert find(list(registry.values()), "Nationale Weerbaarheidsstrategie").id == "kst-30821-150"


def test_named_strategy_takes_the_id_of_a_footnote_with_only_an_identifier(tmp_path):
    doc = _pdf_doc(tmp_path, "brief", STRATEGY_PAGES,
                   footnotes={1: ["1 Kamerstukken II 2021/22, 30 821, nr. 150."]})
    registry = _registry(doc)
    assert {(p.page, p.footnote) for p in registry["kst-30821-150"].places} == {(1, 1), (1, None), (2, None)}


CITING = ("Deze notitie bouwt voort op de werkagenda (Kamerstukken II 2022/23, 26 643, nr. 940) en op "
          "Stb. 2018, 123.\n")


@pytest.mark.parametrize("corpus_meta", [
    DocumentMeta(doc_id="werkagenda", title="Werkagenda", identifier="Kamerstukken II 2022/23, 26 643, nr. 940"),
    DocumentMeta(doc_id="kst-26643-940", title="Werkagenda"),
], ids=["by identifier", "by id"])
def test_cited_document_in_the_corpus_is_linked_not_duplicated(tmp_path, corpus_meta):
    citing = _text_doc(tmp_path, "notitie", CITING)
    registry = _registry(citing, corpus=[corpus_meta])
    assert registry["kst-26643-940"].in_corpus == corpus_meta.doc_id
    assert registry["stb-2018-123"].in_corpus is None
    assert not [r for r in registry.values() if r.id != "kst-26643-940" and r.in_corpus == corpus_meta.doc_id]
    assert corpus_meta.doc_id not in registry or corpus_meta.doc_id == "kst-26643-940"
    assert sum(r.id.endswith("-940") for r in registry.values()) == 1
    assert registry["kst-26643-940"].missing_hint == ""
    assert "assistant corpus add stb-2018-123" in registry["stb-2018-123"].missing_hint


def test_corpus_document_does_not_cite_itself_by_its_identifier(tmp_path):
    doc = _text_doc(tmp_path, "werkagenda", "Deze brief (Kamerstukken II 2022/23, 26 643, nr. 940) vervangt "
                                            "Kamerstuk 26643-842 niet.\n",
                    identifier="Kamerstukken II 2022/23, 26 643, nr. 940")
    assert _ids(extract(doc)) == ["kst-26643-842"]


def test_avg_is_the_gdpr_whatever_it_is_called(tmp_path):
    doc = _text_doc(tmp_path, "notitie",
                    "Gemeenten moeten bij datadeling de AVG naleven.\n\n"
                    "In het Engels heet die de General Data Protection Regulation (GDPR), ook voor provincies.\n\n"
                    "Formeel heet zij Verordening (EU) 2016/679 en die geldt sinds 2018.\n")
    registry = _registry(doc)
    ref = registry["eu-reg-2016-679"]
    assert ref.kind == "eu"
    assert ref.identifier == "Verordening (EU) 2016/679"
    assert sorted(p.as_written for p in ref.places) == sorted([
        "AVG", "General Data Protection Regulation (GDPR)", "Verordening (EU) 2016/679"])
    assert not [rid for rid in registry if rid != "eu-reg-2016-679" and rid.startswith("eu-")]
    assert find(list(registry.values()), "AVG").id == "eu-reg-2016-679"


@pytest.mark.parametrize(("name", "rid"), [
    ("AVG", "eu-reg-2016-679"),
    ("GDPR", "eu-reg-2016-679"),
    ("AI Act", "eu-reg-2024-1689"),
    ("AI-verordening", "eu-reg-2024-1689"),
    ("Digital Services Act", "eu-reg-2022-2065"),
    ("Dataverordening", "eu-reg-2023-2854"),
    ("NIS2-richtlijn", "eu-dir-2022-2555"),
    ("Algemene verordening gegevensbescherming", "eu-reg-2016-679"),
    ("eIDAS-verordening", "eu-reg-2014-910"),
    ("Europese datastrategie", "eu-com-2020-66"),
    ("NIS 2", "eu-dir-2022-2555"),
])
def test_curated_eu_names_in_running_text(tmp_path, name, rid):
    doc = _text_doc(tmp_path, "notitie", f"Gemeenten passen de {name} toe bij het delen van gegevens.\n")
    assert [(m.id, m.kind) for m in extract(doc)] == [(rid, "eu")]


def test_avg_has_its_eur_lex_address(tmp_path):
    registry = _registry(_text_doc(tmp_path, "notitie", "Gemeenten moeten bij datadeling de AVG naleven.\n"))
    assert registry["eu-reg-2016-679"].url == "https://eur-lex.europa.eu/eli/reg/2016/679/oj"


def test_url_reference_has_its_address(tmp_path):
    registry = _registry(_text_doc(tmp_path, "notitie", "Meer op www.algoritmeregister.nl voor iedereen.\n"))
    assert registry["url-algoritmeregister-nl"].url == "https://www.algoritmeregister.nl"


# ---------------------------------------------------------------------------------------- incremental ingest

A_TEXT = ("Digitale inclusie\n\nDeze notitie volgt Kamerstukken II 2022/23, 26 643, nr. 940 en regelt de "
          "uitvoering via Stb. 2018, 123. Bibliotheken helpen inwoners met overheidsdiensten.\n")
B_TEXT = ("Toezicht op algoritmes\n\nDe toezichthouder volgt Kamerstuk 26643-940 en de regeling in "
          "Stcrt. 2021, 1234. Zij rapporteert jaarlijks aan de Tweede Kamer.\n")
C_TEXT = ("Datadeling\n\nHet WRR-rapport nr. 98 en Kamerstukken II 2022–2023, 26 643, nr. 940 sturen de "
          "datadeling tussen gemeenten.\n")


def _refs_files(settings: Settings) -> dict[str, bytes]:
    gen = settings.index_dir / current_generation(settings.index_dir) / "docs"
    return {p.name: p.read_bytes() for p in sorted(gen.glob("*.refs.json"))}


def _places_by_ref(settings: Settings) -> dict[str, set[str]]:
    return {r.id: {p.doc_id for p in r.places} for r in Index.open(settings).references()}


def test_ingest_stores_refs_per_document_and_changes_only_what_changed(workspace, tmp_path):
    (workspace.corpus_dir / "inclusie.txt").write_text(A_TEXT, encoding="utf-8")
    (workspace.corpus_dir / "toezicht.txt").write_text(B_TEXT, encoding="utf-8")
    assert not ingest(workspace).failed
    index = Index.open(workspace)
    assert set(index.documents) == {"inclusie", "toezicht"}
    first = _refs_files(workspace)
    assert set(first) == {"inclusie.refs.json", "toezicht.refs.json"}
    for doc_id in index.documents:
        data = json.loads(first[f"{doc_id}.refs.json"])
        assert data["version"] == stamp("refs")
        assert [Mention(**m) for m in data["mentions"]] == extract(index.document(doc_id))
    assert _places_by_ref(workspace) == {"kst-26643-940": {"inclusie", "toezicht"}, "stb-2018-123": {"inclusie"},
                                         "stcrt-2021-1234": {"toezicht"}}
    only_b = _invoke(workspace, "refs", "--doc", "toezicht", "--json")
    assert only_b.exit_code == 0, only_b.output
    cited_by_b = [json.loads(line) for line in only_b.stdout.strip().split("\n")]
    assert sorted(o["id"] for o in cited_by_b) == ["kst-26643-940", "stcrt-2021-1234"]
    assert all(p["doc_id"] == "toezicht" for o in cited_by_b for p in o["places"])
    assert next(o for o in cited_by_b if o["id"] == "kst-26643-940")["cited"] == 1

    # adding a document adds its references; the other documents' stored extractions are copied as they were
    source = tmp_path / "Datadeling.txt"
    source.write_text(C_TEXT, encoding="utf-8")
    result = add_document(workspace, source, "datadeling", title="Datadeling")
    assert result.status == "added"
    second = _refs_files(workspace)
    assert set(second) == {"inclusie.refs.json", "toezicht.refs.json", "datadeling.refs.json"}
    assert second["inclusie.refs.json"] == first["inclusie.refs.json"]
    assert second["toezicht.refs.json"] == first["toezicht.refs.json"]
    places = _places_by_ref(workspace)
    assert places["kst-26643-940"] == {"inclusie", "toezicht", "datadeling"}
    assert places["wrr-98"] == {"datadeling"}

    # removing a document removes its places, its stored extraction and what only it cited
    (workspace.corpus_dir / "inclusie.txt").unlink()
    report = ingest(workspace)
    assert {r.doc_id: r.status for r in report.results}["inclusie"] == "removed"
    third = _refs_files(workspace)
    assert set(third) == {"toezicht.refs.json", "datadeling.refs.json"}
    assert third["toezicht.refs.json"] == first["toezicht.refs.json"]
    assert third["datadeling.refs.json"] == second["datadeling.refs.json"]
    places = _places_by_ref(workspace)
    assert "stb-2018-123" not in places
    assert places["kst-26643-940"] == {"toezicht", "datadeling"}
    assert not any("inclusie" in docs for docs in places.values())


def test_stored_extraction_of_another_grammar_version_is_redone(workspace):
    (workspace.corpus_dir / "inclusie.txt").write_text(A_TEXT, encoding="utf-8")
    assert not ingest(workspace).failed
    index = Index.open(workspace)
    path = index.gen_dir / "docs" / "inclusie.refs.json"
    path.write_text(json.dumps({"version": stamp("refs") - 1, "mentions": []}), encoding="utf-8")
    assert not check(workspace, quick=True).ok  # reported, and so made again by the next ingest
    assert ingest(workspace).repaired
    assert _ids(Index.open(workspace).mentions("inclusie")) == ["kst-26643-940", "stb-2018-123"]


# ------------------------------------------------------------------------------------------------------ CLI


def test_refs_lists_every_reference_with_counts(bundled):
    result = _invoke(bundled, "refs")
    assert result.exit_code == 0, result.output
    total = len(Index.open(bundled).references())
    assert result.stderr.strip() == f"{total} references"
    out = result.stdout
    assert "kst-26643-940  [kamerstuk]  Werkagenda “Waardengedreven Digitaliseren” (2022-11-04)" in out
    assert "cited 8× (p. 1, 2, 5, 13, 14; voetnoot 1)" in out
    assert out.count("cited, not in corpus") == total
    assert "as cited: year (kept as written)" in out
    heads = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert len(heads) == total == len(set(heads))


def test_refs_kind_motie(bundled):
    result = _invoke(bundled, "refs", "--kind", "motie")
    assert result.exit_code == 0
    heads = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert sorted(heads) == ["kst-26643-1003", "kst-35510-16", "kst-35510-21"]
    assert all("[motie]" in line for line in result.stdout.splitlines() if not line.startswith(" "))
    assert result.stderr.strip() == "3 references"


def test_refs_unknown_kind_is_a_usage_error(bundled):
    result = _invoke(bundled, "refs", "--kind", "boek")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_refs_json_is_one_object_per_line_with_places(bundled):
    result = _invoke(bundled, "refs", "--json")
    assert result.exit_code == 0
    lines = result.stdout.strip().split("\n")
    objects = [json.loads(line) for line in lines]
    references = Index.open(bundled).references()
    assert [o["id"] for o in objects] == [r.id for r in references]
    for o, ref in zip(objects, references, strict=True):
        assert o["cited"] == len(o["places"]) == len(ref.places) >= 1
        assert {"id", "kind", "title", "date", "identifier", "url", "names", "flags", "in_corpus"} <= set(o)
        assert all({"doc_id", "page", "footnote", "sentence", "as_written"} <= set(p) for p in o["places"])
    werkagenda = next(o for o in objects if o["id"] == "kst-26643-940")
    assert werkagenda["date"] == "2022-11-04" and werkagenda["cited"] == 8


def test_refs_missing_and_doc_filters(bundled):
    everything = _invoke(bundled, "refs", "--json").stdout
    missing = _invoke(bundled, "refs", "--missing", "--json")
    assert missing.exit_code == 0
    assert missing.stdout == everything  # nothing the letter cites is in the bundled corpus
    by_doc = _invoke(bundled, "refs", "--doc", DOC_ID, "--json")
    assert by_doc.exit_code == 0 and by_doc.stdout == everything


def test_refs_unknown_document(bundled):
    result = _invoke(bundled, "refs", "--doc", "kst-0-0")
    assert result.exit_code == 1
    assert "unknown document id kst-0-0" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.output


@pytest.mark.parametrize("query", ["kst-26643-940", "26 643, nr. 940", "Kamerstukken II 2022/23, 26 643, nr. 940",
                                   "Werkagenda Waardengedreven Digitaliseren", "werkagenda “waardengedreven "
                                   "digitaliseren”"])
def test_refs_show(bundled, query):
    result = _invoke(bundled, "refs", "show", query)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("kst-26643-940  [kamerstuk]  Werkagenda")
    assert "  date       2022-11-04" in lines
    assert f"  official   {PUBLICATIONS}/kst-26643-940.html" in lines
    assert "assistant corpus add kst-26643-940" in result.stdout
    assert "Cited 8×:" in result.stdout
    assert sum(line.startswith("- kst-26643-1055, p.") for line in lines) == 8
    assert "«Deze brief betreft, conform mijn toezegging aan de Kamer in de Werkagenda Waardengedreven " \
           "Digitaliseren¹" in result.stdout


def test_refs_show_by_name_and_json(bundled):
    result = _invoke(bundled, "refs", "show", "Nederlandse Cybersecuritystrategie", "--json")
    assert result.exit_code == 0
    ref = Reference.model_validate_json(result.stdout)
    assert ref.id == "kst-26643-925" and ref.places
    avg = _invoke(bundled, "refs", "show", "AVG", "--json")
    assert json.loads(avg.stdout)["id"] == "eu-reg-2016-679"
    motion = _invoke(bundled, "refs", "show", "motie van het lid Marijnissen c.s.")
    assert motion.exit_code == 0 and motion.stdout.startswith("kst-35510-21  [motie]")


@pytest.mark.parametrize(("query", "rid"), [("NLCS", "kst-26643-925"),
                                            ("IBDS", "beleidsstuk-interbestuurlijke-datastrategie")])
def test_refs_show_by_abbreviation_as_cited(bundled, query, rid):
    result = _invoke(bundled, "refs", "show", query, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == rid


@pytest.mark.parametrize("query", ["kst-99999-1", "Nergens Genoemde Strategie", "Kamerstuk 12 345, nr. 6"])
def test_refs_show_unknown(bundled, query):
    result = _invoke(bundled, "refs", "show", query)
    assert result.exit_code == 1
    assert "no reference" in result.stderr and query in result.stderr
    assert result.stdout == "" and "Traceback" not in result.output


def test_refs_show_unknown_in_a_real_process(bundled):
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "refs", "show", "kst-1-2"], env=cli_env(bundled),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "Error: no reference 'kst-1-2' is cited; see `assistant refs`"
    assert proc.stdout == ""


# -------------------------------------------------------------------------------------------- corpus add FILE


def _note(tmp_path: Path, name: str = "Werkagenda digitaal.txt") -> Path:
    path = tmp_path / "downloads" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("Werkagenda\n\nDe werkagenda beschrijft hoe het kabinet waardengedreven digitaliseert, met "
                    "aandacht voor publieke waarden en digitale inclusie.\n", encoding="utf-8")
    return path


def test_corpus_add_a_file_with_its_metadata(workspace, tmp_path):
    (workspace.corpus_dir / "notitie.txt").write_text(CITING, encoding="utf-8")
    assert not ingest(workspace).failed
    source = _note(tmp_path)
    result = _invoke(workspace, "corpus", "add", str(source), "--id", "werkagenda", "--title",
                     "Werkagenda Waardengedreven Digitaliseren", "--kind", "Kamerbrief", "--date", "2022-11-04",
                     "--identifier", "Kamerstukken II 2022/23, 26 643, nr. 940")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("werkagenda: added,")
    manifest = tomllib.loads((workspace.corpus_dir / "manifest.toml").read_text(encoding="utf-8"))
    (entry,) = [d for d in manifest["document"] if d["id"] == "werkagenda"]
    assert (entry["title"], entry["kind"], entry["date"], entry["identifier"]) == (
        "Werkagenda Waardengedreven Digitaliseren", "Kamerbrief", "2022-11-04",
        "Kamerstukken II 2022/23, 26 643, nr. 940")
    assert (workspace.corpus_dir / entry["files"][0]["path"]).read_bytes() == source.read_bytes()
    meta = Index.open(workspace).meta("werkagenda")
    assert (meta.title, meta.kind, meta.date) == (
        "Werkagenda Waardengedreven Digitaliseren", "Kamerbrief", "2022-11-04")
    docs = _invoke(workspace, "docs")
    assert "werkagenda  Werkagenda Waardengedreven Digitaliseren" in docs.stdout
    assert "Kamerbrief, Dutch*, 2022-11-04, Kamerstukken II 2022/23, 26 643, nr. 940" in docs.stdout
    # the cited Kamerstuk is now in the corpus, linked by its identifier
    ref = next(r for r in Index.open(workspace).references() if r.id == "kst-26643-940")
    assert ref.in_corpus == "werkagenda"
    missing = _invoke(workspace, "refs", "--missing")
    assert "kst-26643-940" not in missing.stdout and "stb-2018-123" in missing.stdout
    assert "in corpus: werkagenda" in _invoke(workspace, "refs").stdout


def _existing(workspace: Settings) -> None:
    """A corpus with one listed document (no ingest needed: the manifest is what makes the id taken)."""
    (workspace.corpus_dir / "werkagenda.txt").write_text("Werkagenda\n\nEen bestaande tekst.\n", encoding="utf-8")
    (workspace.corpus_dir / "manifest.toml").write_text(
        '[[document]]\nid = "werkagenda"\ntitle = "Werkagenda"\nfiles = [{ path = "werkagenda.txt" }]\n',
        encoding="utf-8")


@pytest.mark.parametrize(("make", "options", "message"), [
    (lambda tmp: _note(tmp), ["--id", "nieuw", "--date", "4 november 2022"], "date"),
    (lambda tmp: _note(tmp), ["--id", "nieuw", "--date", "2022/11/04"], "date"),
    (lambda tmp: _note(tmp, "werkagenda.doc"), ["--id", "nieuw"], "unsupported file type .doc"),
    (lambda tmp: _note(tmp, "werkagenda.docx"), ["--id", "nieuw"], "not a readable Word document"),
    (lambda tmp: _note(tmp, "leeg.txt").write_text("") or tmp / "downloads" / "leeg.txt", ["--id", "nieuw"], "empty"),
    (lambda tmp: _note(tmp, "nep.pdf"), ["--id", "nieuw"], "not a PDF"),
    (lambda tmp: _note(tmp), ["--id", "werkagenda"], "werkagenda"),
    (lambda tmp: _note(tmp, "werkagenda.md"), ["--id", "werkagenda"], "already in the corpus"),
    (lambda tmp: _note(tmp), ["--id", "Nieuw Document!"], "id"),
], ids=["long date", "slashed date", "doc", "docx that is none", "empty", "fake pdf", "existing id",
        "existing id, other suffix", "bad id"])
def test_corpus_add_refuses_and_changes_nothing(workspace, tmp_path, make, options, message):
    _existing(workspace)
    source = make(tmp_path)
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", str(source), *options)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    assert _snapshot(workspace) == before


def test_corpus_add_refuses_an_impossible_date(workspace, tmp_path):
    _existing(workspace)
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", str(_note(tmp_path)), "--id", "nieuw", "--date", "2022-13-45")
    assert result.exit_code == 1 and "date" in result.stderr
    assert _snapshot(workspace) == before


def test_corpus_add_metadata_options_need_a_file(workspace):
    result = _invoke(workspace, "corpus", "add", "kst-26643-940", "--title", "Werkagenda")
    assert result.exit_code == 2 and "no such file" in result.stderr


# ---------------------------------------------------------------------------------------- corpus add <ref id>

WERKAGENDA_HTML = """<!DOCTYPE html>
<html lang="nl"><head>
<meta charset="utf-8">
<meta name="DC.identifier" content="{identifier}">
<meta name="DC.title" content="Werkagenda Waardengedreven Digitaliseren">
<meta name="DCTERMS.issued" content="2022-11-04">
<title>{title}</title>
</head><body>
<h1>Tweede Kamer der Staten-Generaal</h1>
<p>Vergaderjaar 2022-2023</p>
<p>26 643 Informatie- en communicatietechnologie (ICT)</p>
<p>Nr. {number} BRIEF VAN DE STAATSSECRETARIS VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES</p>
<p>Met deze werkagenda zet het kabinet de koers voor een waardengedreven digitale overheid. Iedereen moet
kunnen meedoen in de digitale samenleving, en publieke waarden staan voorop bij elke digitale dienst.</p>
</body></html>
"""


class _Server:
    """A publication site on 127.0.0.1: path -> (status, body); records the paths asked for."""

    def __init__(self, pages: dict[str, tuple[int, str]]) -> None:
        self.pages = pages
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                status, body = outer.pages.get(self.path, (404, "niet gevonden"))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site():
    server = _Server({})
    yield server
    server.close()


def _cited_workspace(workspace: Settings, tmp_path: Path) -> Settings:
    """A corpus with one letter that cites the Werkagenda in a footnote (title, date) and in its running text."""
    make_pdf(workspace.corpus_dir / "brief.pdf", [
        "Deze brief volgt op de Werkagenda Waardengedreven Digitaliseren1 en beschrijft hoe gemeenten en het Rijk "
        "daar samen uitvoering aan geven."],
        footnotes={1: ["1 Brief van 4 november 2022 over ‘Werkagenda “Waardengedreven Digitaliseren”’ "
                       "(Kamerstukken II 2022/23, 26 643, nr. 940)."]})
    assert not ingest(workspace).failed
    return workspace


def test_corpus_add_by_reference_id(workspace, tmp_path, site):
    _cited_workspace(workspace, tmp_path)
    site.pages["/kst-26643-940.html"] = (200, WERKAGENDA_HTML.format(
        identifier="kst-26643-940", title="Werkagenda Waardengedreven Digitaliseren", number=940))
    before = next(r for r in Index.open(workspace).references() if r.id == "kst-26643-940")
    assert before.in_corpus is None
    assert {(p.doc_id, p.page, p.footnote) for p in before.places} == {("brief", 1, 1), ("brief", 1, None)}
    assert "Waardengedreven Digitaliseren" in before.title and before.date == "2022-11-04"

    result = _invoke(workspace, "corpus", "add", "kst-26643-940", ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("kst-26643-940: added,")
    assert site.requests == ["/kst-26643-940.html"]

    index = Index.open(workspace)
    assert set(index.documents) == {"brief", "kst-26643-940"}
    meta = index.meta("kst-26643-940")
    assert "Waardengedreven Digitaliseren" in meta.title
    assert meta.date == "2022-11-04"
    assert meta.kind == "Kamerstuk" and meta.identifier == "Kamerstuk 26 643, nr. 940"
    assert meta.url == f"{PUBLICATIONS}/kst-26643-940.html"
    assert "publieke waarden staan voorop" in index.document("kst-26643-940").text
    references = index.references()
    (ref,) = [r for r in references if r.id.endswith("-940")]
    assert ref.in_corpus == "kst-26643-940"
    assert {p.doc_id for p in ref.places} == {"brief"}, "the added document does not cite itself"
    assert not [r for r in references if r.in_corpus and r.id != "kst-26643-940"]
    listed = _invoke(workspace, "refs", "show", "kst-26643-940")
    assert "corpus     kst-26643-940" in listed.stdout
    assert "kst-26643-940" not in _invoke(workspace, "refs", "--missing").stdout
    # once it is in, adding it again is refused and downloads nothing
    again = _invoke(workspace, "corpus", "add", "kst-26643-940", ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert again.exit_code == 1 and "already in the corpus" in again.stderr
    assert site.requests == ["/kst-26643-940.html"]


def test_corpus_add_by_reference_id_checks_the_numbers_in_the_text(workspace, site):
    """Without the identifier in a meta tag, the dossier number and `Nr. N` in the text identify the page."""
    site.pages["/kst-26643-940.html"] = (200, WERKAGENDA_HTML.format(identifier="", title="Werkagenda", number=940))
    result = _invoke(workspace, "corpus", "add", "kst-26643-940", ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert result.exit_code == 0, result.output
    assert set(Index.open(workspace).documents) == {"kst-26643-940"}


@pytest.mark.parametrize("page", [
    WERKAGENDA_HTML.format(identifier="kst-26643-941", title="Strategie Digitale Economie", number=941),
    WERKAGENDA_HTML.format(identifier="", title="Strategie Digitale Economie", number=941),
    "<html><head><title>Zoeken</title></head><body><p>Geen resultaten gevonden.</p></body></html>",
], ids=["other identifier", "other number", "search page"])
def test_corpus_add_refuses_a_page_that_is_another_document(workspace, tmp_path, site, page):
    _cited_workspace(workspace, tmp_path)
    site.pages["/kst-26643-940.html"] = (200, page)
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", "kst-26643-940", ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert result.exit_code == 1, result.output
    assert f"{site.url}/kst-26643-940.html did not return kst-26643-940" in result.stderr
    assert "nothing was added" in result.stderr and "Traceback" not in result.output
    assert _snapshot(workspace) == before
    assert set(Index.open(workspace).documents) == {"brief"}


def test_corpus_add_by_reference_id_http_error(workspace, site):
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", "kst-26643-940", ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert result.exit_code == 1
    assert f"cannot download {site.url}/kst-26643-940.html (Not Found)" in result.stderr
    assert _snapshot(workspace) == before


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("base", [_closed_port(), "http://publicaties.invalid"], ids=["closed port", "no such host"])
def test_corpus_add_offline_fails_fast_and_says_what_to_download(workspace, tmp_path, base):
    _cited_workspace(workspace, tmp_path)
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", "kst-26643-940", ASSISTANT_INGEST__PUBLICATIONS_URL=base)
    assert result.exit_code == 1
    assert f"cannot download {base}/kst-26643-940.html" in result.stderr
    # fast: the refusal itself ends it, not a download timeout that ran out
    assert "timed out" not in result.stderr.lower()
    assert re.search(r"refused|name or service|name resolution|nodename|not known", result.stderr, re.I), result.stderr
    assert "by hand" in result.stderr and "assistant corpus add FILE --id kst-26643-940" in result.stderr
    assert "Traceback" not in result.output
    assert _snapshot(workspace) == before


@pytest.mark.parametrize(("source", "message"), [
    ("foo-bar-baz", "foo-bar-baz"),
    ("hallo wereld", "neither a file nor a reference id"),
    ("./bestaat-niet.pdf", "bestaat-niet.pdf"),
])
def test_corpus_add_unknown_id_or_string(workspace, site, source, message):
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", source, ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert "Traceback" not in result.output
    assert site.requests == []
    assert _snapshot(workspace) == before


def test_corpus_add_a_dossier_id_is_a_clear_error(workspace, site):
    site.pages["/kst-26643.html"] = (200, "<html><body><p>Dossier 26 643 Informatie- en communicatietechnologie "
                                          "(ICT)</p></body></html>")
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", "kst-26643", ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "kst-26643" in result.stderr
    assert _snapshot(workspace) == before


def test_corpus_add_a_report_says_how_to_add_it_as_a_file(workspace, site):
    before = _snapshot(workspace)
    result = _invoke(workspace, "corpus", "add", "wrr-105", ASSISTANT_INGEST__PUBLICATIONS_URL=site.url)
    assert result.exit_code == 1
    assert "wrr-105 is not published on officielebekendmakingen.nl" in result.stderr
    assert "assistant corpus add FILE --id wrr-105" in result.stderr
    assert site.requests == [] and "Traceback" not in result.output
    assert _snapshot(workspace) == before


def test_add_reference_refuses_before_ingesting_when_the_publication_is_bad(workspace, site):
    """The library function, not only the CLI: AssistantError, nothing written."""
    from assistant.ingest import add_reference

    site.pages["/stcrt-2021-1234.html"] = (200, "<html><body><p>Staatscourant 2021, nr. 99</p></body></html>")
    settings = workspace.model_copy(update={"ingest": workspace.ingest.model_copy(
        update={"publications_url": site.url})})
    before = _snapshot(workspace)
    with pytest.raises(AssistantError, match="did not return stcrt-2021-1234"):
        add_reference(settings, "stcrt-2021-1234")
    assert _snapshot(workspace) == before
