"""Ingest against a real index (Chroma + bm25s in temporary directories, the default embedder).

Documents are tiny (one or two chunks) so embedding stays cheap; read-only checks use the session `bundled` index.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MOTION_HEAD, cli_env, make_pdf, make_settings

from assistant.cli import cli
from assistant.config import Settings
from assistant.health import check
from assistant.index import Index, current_generation, ingest_lock, versions
from assistant.index.versions import Version, stamp
from assistant.ingest import IngestReport, ingest
from assistant.retrieve import Searcher
from assistant.sources.corpus import ManifestEntry
from assistant.text.normalize import match_key
from assistant.types import AssistantError

DOC_ID = "kst-26643-1055"
KAMER_FOOTER = "Tweede Kamer, vergaderjaar 2022-2023, 26 643, nr. 1055 {page}"

ARMOEDE = ("Datadeling\n\nGemeenten delen gegevens over armoede alleen met een wettelijke grondslag. De wijkteams "
           "krijgen daarvoor een eigen loket met zonnepanelen op het dak.\n")
TOEZICHT = ("# Toezicht op algoritmes\n\nDe toezichthouder controleert algoritmes bij uitvoeringsorganisaties. "
            "Zij rapporteert jaarlijks aan de Tweede Kamer over de risico's.\n")
INCLUSIE = ["Digitale inclusie\n\nHet kabinet investeert in digitale vaardigheden van burgers. Bibliotheken helpen "
            "inwoners met overheidsdiensten."]


def _status(report: IngestReport) -> dict[str, str]:
    return {r.doc_id or r.name: r.status for r in report.results}


def _result(report: IngestReport, name: str):
    matches = [r for r in report.results if name in r.name]
    assert len(matches) == 1, (name, report.results)
    return matches[0]


def _vector_ids(settings: Settings, doc_id: str | None = None) -> set[str]:
    """Ids stored on the dense side (Chroma), optionally of one document."""
    where = {"doc_id": doc_id} if doc_id else None
    return set(Index.open(settings).vectors.get(where=where, include=[])["ids"])


def _run_cli(settings: Settings, *args: str):
    env = {"ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir)}
    return CliRunner().invoke(cli, list(args), env=env)


def _generations(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.index_dir.iterdir() if re.fullmatch(r"gen-\d{6}", p.name))


# --- incremental ingest -------------------------------------------------------------------------------------


def test_unchanged_corpus_costs_no_embedding(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    (workspace.corpus_dir / "toezicht.md").write_text(TOEZICHT, encoding="utf-8")
    first = ingest(workspace)
    assert not first.failed
    assert _status(first) == {"armoede": "added", "toezicht": "added"}
    assert first.embedded == 2
    assert current_generation(workspace.index_dir) == first.generation

    os.utime(workspace.corpus_dir / "armoede.txt", (1, 1))  # a new mtime alone is no change
    second = ingest(workspace)
    assert second.embedded == 0
    assert second.generation == first.generation
    assert _status(second) == {"armoede": "unchanged", "toezicht": "unchanged"}
    assert [r.chunks for r in second.results] == [1, 1]
    assert current_generation(workspace.index_dir) == first.generation
    assert _generations(workspace) == [first.generation]


def test_changed_file_is_reembedded_alone_and_its_old_chunks_are_gone(workspace):
    armoede = workspace.corpus_dir / "armoede.txt"
    armoede.write_text(ARMOEDE, encoding="utf-8")
    (workspace.corpus_dir / "toezicht.md").write_text(TOEZICHT, encoding="utf-8")
    ingest(workspace)
    before = Index.open(workspace)
    old_ids = set(before.documents["armoede"]["chunk_ids"])
    toezicht_ids = set(before.documents["toezicht"]["chunk_ids"])
    toezicht_vectors = before.vectors.get(ids=sorted(toezicht_ids), include=["embeddings"])["embeddings"]
    assert Searcher(workspace).lexical("zonnepanelen", 10)

    armoede.write_text(ARMOEDE.replace("zonnepanelen op het dak", "windmolens in de wijk"), encoding="utf-8")
    report = ingest(workspace)
    assert _status(report) == {"armoede": "updated", "toezicht": "unchanged"}
    assert report.embedded == 1
    assert report.generation != before.gen_dir.name

    index = Index.open(workspace)
    new_ids = set(index.documents["armoede"]["chunk_ids"])
    assert new_ids and not new_ids & old_ids
    assert {c.chunk_id for c in index.chunks} == new_ids | toezicht_ids
    # dense side: old vectors gone, the other document's vectors copied untouched
    assert _vector_ids(workspace) == new_ids | toezicht_ids
    assert index.vectors.get(ids=sorted(old_ids), include=[])["ids"] == []
    kept = index.vectors.get(ids=sorted(toezicht_ids), include=["embeddings"])["embeddings"]
    assert [list(v) for v in kept] == [list(v) for v in toezicht_vectors]
    # lexical side: the old word is nowhere, the new one is found
    searcher = Searcher(workspace)
    assert searcher.lexical("zonnepanelen", 10) == []
    assert all("zonnepanelen" not in hit.chunk.text for hit in searcher.search("zonnepanelen op het dak"))
    stored = index.vectors.get(where={"doc_id": "armoede"}, include=["documents"])["documents"]
    assert stored and all("zonnepanelen" not in text for text in stored)
    assert searcher.search("windmolens", k=1)[0].chunk.doc_id == "armoede"
    assert "windmolens" in index.document("armoede").text


def test_removed_file_leaves_both_indexes(workspace):
    armoede = workspace.corpus_dir / "armoede.txt"
    armoede.write_text(ARMOEDE, encoding="utf-8")
    (workspace.corpus_dir / "toezicht.md").write_text(TOEZICHT, encoding="utf-8")
    ingest(workspace)
    assert _vector_ids(workspace, "armoede")

    armoede.unlink()
    report = ingest(workspace)
    assert _status(report) == {"armoede": "removed", "toezicht": "unchanged"}
    assert report.embedded == 0
    index = Index.open(workspace)
    assert set(index.documents) == {"toezicht"}
    assert {c.doc_id for c in index.chunks} == {"toezicht"}
    assert _vector_ids(workspace, "armoede") == set()
    assert _vector_ids(workspace) == set(index.documents["toezicht"]["chunk_ids"])
    assert Searcher(workspace).lexical("zonnepanelen wijkteams armoede", 10) == []
    assert {h.chunk.doc_id for h in Searcher(workspace).search("armoede wijkteams")} == {"toezicht"}
    assert not (index.gen_dir / "docs" / "armoede.json").exists()


def test_duplicate_under_another_name_is_skipped(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    (workspace.corpus_dir / "kopie van armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    report = ingest(workspace)
    skipped = _result(report, "kopie van armoede.txt")
    assert skipped.status == "skipped"
    assert skipped.message == "duplicate of armoede"
    assert report.embedded == 1
    assert set(Index.open(workspace).documents) == {"armoede"}
    assert _run_cli(workspace, "ingest").exit_code == 0, "a skipped duplicate is not an error"


def test_progress_is_reported(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    (workspace.corpus_dir / "toezicht.md").write_text(TOEZICHT, encoding="utf-8")
    calls: list[tuple[str, int, int]] = []
    ingest(workspace, progress=lambda what, done, total: calls.append((what, done, total)))
    documents = [call for call in calls if call[0].endswith("documents")]
    assert documents == [("1/2 documents", 1, 2), ("2/2 documents", 2, 2)], "pages done of all, per document"
    assert calls[-1] == ("the word vectors and the lexical index", 2, 2)
    assert [done for _, done, _ in calls] == sorted(done for _, done, _ in calls)


# --- one document from several renderings -------------------------------------------------------------------


def test_renderings_listed_together_are_one_document(workspace):
    pages = ["Nota digitale inclusie\n\nHet kabinet investeert in digitale vaardigheden van burgers. Bibliotheken "
             "helpen inwoners bij het gebruik van overheidsdiensten.",
             "Gemeenten openen informatiepunten in de wijk. Zo kan iedereen meedoen in de digitale samenleving."]
    make_pdf(workspace.corpus_dir / "nota.pdf", pages, footer="{page}")
    (workspace.corpus_dir / "nota.txt").write_text("\n\n".join(pages) + "\n", encoding="utf-8")
    (workspace.corpus_dir / "manifest.toml").write_text(
        '[[document]]\nid = "nota-inclusie"\ntitle = "Nota digitale inclusie"\ndate = "2023-05-01"\n'
        'files = [{ path = "nota.pdf" }, { path = "nota.txt", format = "text" }]\n', encoding="utf-8")
    report = ingest(workspace)
    assert not report.failed
    assert [(r.doc_id, r.status, r.name) for r in report.results] == [
        ("nota-inclusie", "added", "nota.pdf, nota.txt")]
    index = Index.open(workspace)
    assert set(index.documents) == {"nota-inclusie"}
    assert index.documents["nota-inclusie"]["pages"] == 2
    texts = [match_key(c.text) for c in index.chunks]
    assert len(texts) == len(set(texts))
    assert "informatiepunten in de wijk" in index.document("nota-inclusie").text
    assert index.document("nota-inclusie").text.count("informatiepunten in de wijk") == 1
    hit = next(c for c in index.chunks if "informatiepunten" in c.text)
    assert 2 in hit.pages


QUERIES = [
    "Centre of Expertise Applied AI", "toekomstbeelden 2040 scenario's", "digitale ethiek coalitie actielijnen",
    "algoritmeregister", "energieverbruik datacenters", "Basis Data Infrastructuur logistiek",
    "gezondheidsinformatiestelsel", "Argumentenfabriek", "generatieve AI visie kabinet", "vervolgproces coalities",
    "50.000 apparaten kwetsbare groepen", "Nationaal Onderwijslab NOLAI", "federatief datastelsel",
    "armoede en schuldenproblematiek", "Raad voor het Openbaar Bestuur", "twin transition",
    "What does the letter say about AI in education?", "Werkagenda Waardengedreven Digitaliseren",
    "Nederlandse Cybersecuritystrategie", "Hogeschool van Amsterdam",
]


def test_bundled_renderings_are_one_document_and_no_passage_comes_twice(bundled):
    index = Index.open(bundled)
    assert list(index.documents) == [DOC_ID]
    assert sorted(index.documents[DOC_ID]["files"]) == ["000_f05a9d83e50ba6a3.txt", "001_8ed86a11dc3d904d.txt"]
    assert index.documents[DOC_ID]["meta"]["identifier"] == "Kamerstukken II 2022/23, 26 643, nr. 1055"
    assert sorted(index.vectors.get(include=[])["ids"]) == sorted(c.chunk_id for c in index.chunks)
    searcher = Searcher(bundled, index)
    for query in QUERIES:
        hits = searcher.search(query, k=10)
        assert len(hits) == 10, query
        assert {h.chunk.doc_id for h in hits} == {DOC_ID}
        assert len({h.chunk.chunk_id for h in hits}) == 10
        keys = [match_key(h.chunk.text) for h in hits]
        for i, a in enumerate(keys):
            for j, b in enumerate(keys):
                assert i == j or a not in b, f"{query!r}: hit {i + 1} repeats within hit {j + 1}"


# --- inferred metadata ----------------------------------------------------------------------------------------


def test_unlisted_files_get_inferred_metadata(workspace):
    make_pdf(workspace.corpus_dir / "Rapport toegankelijkheid.pdf",
             ["Den Haag, 12 mei 2023\n\nDit rapport beschrijft de digitale toegankelijkheid van overheidswebsites."],
             footer=KAMER_FOOTER, title="Rapport digitale toegankelijkheid")
    (workspace.corpus_dir / "nota.md").write_text(
        "# Nota datadeling\n\nVastgesteld op 3 maart 2023. Gemeenten delen gegevens met een grondslag.\n",
        encoding="utf-8")
    (workspace.corpus_dir / "losse notitie.txt").write_text(
        "losse aantekening over het beheer van gegevens, zonder kop en zonder datum.\n", encoding="utf-8")
    report = ingest(workspace)
    assert not report.failed
    docs = Index.open(workspace).documents
    assert set(docs) == {"rapport-toegankelijkheid", "nota", "losse-notitie"}

    rapport = docs["rapport-toegankelijkheid"]["meta"]
    assert rapport["title"] == "Rapport digitale toegankelijkheid"
    assert rapport["date"] == "2023-05-12"
    assert rapport["identifier"] == "Kamerstukken II 2022/23, 26 643, nr. 1055"
    assert {"title", "date", "identifier"} <= set(rapport["inferred"])
    assert rapport["files"] == ["Rapport toegankelijkheid.pdf"]

    nota = docs["nota"]["meta"]
    assert (nota["title"], nota["date"]) == ("Nota datadeling", "2023-03-03")
    assert {"title", "date"} <= set(nota["inferred"])

    losse = docs["losse-notitie"]["meta"]
    assert losse["title"] == "losse notitie"
    assert losse["date"] is None and "date" not in losse["inferred"]

    listing = _run_cli(workspace, "docs")
    assert listing.exit_code == 0
    assert "Rapport digitale toegankelijkheid*" in listing.stdout
    assert "2023-05-12*" in listing.stdout


ENGLISH = ("# Trustworthy AI in public administration\n\nThis paper draws on a survey of twelve national "
           "administrations and of the case studies that were carried out in the first half of 2024.\n")


def test_a_documents_language_is_read_from_its_text_unless_the_manifest_gives_it(workspace):
    for name in ("paper", "listed", "said"):  # the first without a manifest entry
        (workspace.corpus_dir / f"{name}.md").write_text(f"{ENGLISH}\nThe {name} copy.\n", encoding="utf-8")
    (workspace.corpus_dir / "manifest.toml").write_text(
        '[[document]]\nid = "listed"\nkind = "paper"\n[[document.files]]\npath = "listed.md"\n\n'
        '[[document]]\nid = "said"\ntitle = "Gegeven titel"\nlanguage = "nl"\n[[document.files]]\npath = "said.md"\n',
        encoding="utf-8")
    assert not ingest(workspace).failed
    docs = {d: v["meta"] for d, v in Index.open(workspace).documents.items()}
    assert (docs["paper"]["language"], docs["listed"]["language"], docs["said"]["language"]) == ("en", "en", "nl")
    assert "language" in docs["paper"]["inferred"] and "language" not in docs["said"]["inferred"]
    # what an entry leaves out, the file says; what it gives stands
    assert docs["listed"]["title"] == "Trustworthy AI in public administration" and docs["listed"]["kind"] == "paper"
    assert docs["said"]["title"] == "Gegeven titel"
    assert "English*" in _run_cli(workspace, "docs").stdout


def test_corpus_add_records_only_what_it_was_given_and_the_file_says_the_rest(workspace, tmp_path):
    source = tmp_path / "Nota Datadelen.md"
    source.write_text("---\ntitle: Nota over datadelen\ndate: 2025-02-01\n---\n\n# Aanleiding\n\n"
                      "De nota beschrijft hoe overheden gegevens delen.\n", encoding="utf-8")
    result = _run_cli(workspace, "corpus", "add", str(source), "--kind", "nota")
    assert result.exit_code == 0, result.output
    manifest = (workspace.corpus_dir / "manifest.toml").read_text(encoding="utf-8")
    assert 'kind = "nota"' in manifest and "title" not in manifest and "language" not in manifest
    meta = Index.open(workspace).documents["nota-datadelen"]["meta"]
    assert (meta["title"], meta["date"], meta["kind"], meta["language"]) == (
        "Nota over datadelen", "2025-02-01", "nota", "nl")
    assert {"title", "date", "language"} <= set(meta["inferred"]) and "kind" not in meta["inferred"]


MOTION = MOTION_HEAD + """
De Kamer, gehoord de beraadslaging, verzoekt de regering om bij elke overheidsdienst een niet-digitale
terugvaloptie te garanderen, en gaat over tot de orde van de dag.

Brouwer-Kaya
Van Dijkhuizen
"""

REGULATION = (
    "STAATSCOURANT\nOfficiële uitgave van het Koninkrijk der Nederlanden sinds 1814.\nNr. 18342, 28 mei 2025\n\n"
    "Regeling van de Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties van 21 mei 2025, houdende regels "
    "voor subsidies voor digitale hulppunten (Regeling subsidie digitale hulppunten 2025)\n\n"
    "Artikel 1. Begripsbepalingen\n\nIn deze regeling wordt verstaan onder hulppunt: een plek in een bibliotheek.\n"
)


def test_an_official_publication_is_named_by_its_head(workspace):
    """A Kamerstuk or Staatscourant added as plain text, without a manifest entry: its head gives title,
    identifier and kind; the first heading ("Artikel 1. Begripsbepalingen") is a section's."""
    (workspace.corpus_dir / "kst-26643-1209.txt").write_text(MOTION, encoding="utf-8")
    (workspace.corpus_dir / "stcrt-2025-18342.txt").write_text(REGULATION, encoding="utf-8")
    assert not ingest(workspace).failed
    docs = Index.open(workspace).documents
    motion, regulation = docs["kst-26643-1209"]["meta"], docs["stcrt-2025-18342"]["meta"]
    assert (motion["title"], motion["identifier"], motion["kind"], motion["date"]) == (
        "Motie van het lid Brouwer-Kaya c.s.", "Kamerstukken II 2024/25, 26 643, nr. 1209", "motie", "2025-04-17")
    assert (regulation["title"], regulation["identifier"], regulation["kind"], regulation["date"]) == (
        "Regeling subsidie digitale hulppunten 2025", "Stcrt. 2025, 18342", "staatscourant", "2025-05-28")
    assert {"title", "identifier", "kind"} <= set(motion["inferred"]) & set(regulation["inferred"])


# --- bad input ------------------------------------------------------------------------------------------------


def _encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(150, 10, "Vertrouwelijke tekst over de begroting.")
    pdf.set_encryption(owner_password="eigenaar", user_password="secret")
    pdf.output(str(path))


def _scanned_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    pdf.output(str(path))


def _zero_page_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    with open(path, "wb") as fh:
        PdfWriter().write(fh)


BAD = {
    "kapot.pdf": "unreadable PDF",
    "versleuteld.pdf": "encrypted PDF",
    "scan.pdf": "OCR",
    "leeg.txt": "empty file",
    "leeg.pdf": "empty file",
    "nulpagina.pdf": "no pages",
    "brief.docx": "not a readable Word document",
    "brief.doc": "unsupported file type .doc",
    "nota.odt": "not a readable OpenDocument text",
    "ontbreekt.pdf": "not found",
}


def test_bad_inputs_fail_per_file_and_nothing_indexed_is_lost(workspace):
    corpus = workspace.corpus_dir
    make_pdf(corpus / "inclusie.pdf", INCLUSIE)
    (corpus / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    ingest(workspace)
    before = Index.open(workspace)
    chunk_ids = [c.chunk_id for c in before.chunks]

    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> rommel\n%%EOF\n")
    _encrypted_pdf(corpus / "versleuteld.pdf")
    _scanned_pdf(corpus / "scan.pdf")
    (corpus / "leeg.txt").write_bytes(b"")
    (corpus / "leeg.pdf").write_bytes(b"")
    _zero_page_pdf(corpus / "nulpagina.pdf")
    (corpus / "brief.docx").write_bytes(b"PK\x03\x04 geen echt Word-bestand")
    (corpus / "brief.doc").write_bytes(b"\xd0\xcf\x11\xe0 een Word-bestand van voor 2007")
    (corpus / "nota.odt").write_bytes(b"PK\x03\x04 geen echte OpenDocument-tekst")
    (corpus / "oud.txt").write_bytes(
        "Coördinatie\n\nDe coördinatie van het beleid wordt geëvalueerd in één reële pilot met het café.\n"
        .encode("cp1252"))
    (corpus / "manifest.toml").write_text(
        '[[document]]\nid = "ontbreekt"\ntitle = "Ontbrekend document"\nfiles = [{ path = "ontbreekt.pdf" }]\n',
        encoding="utf-8")

    report = ingest(workspace)
    failed = {r.name: r.message for r in report.failed}
    assert set(failed) == set(BAD), failed
    for name, reason in BAD.items():
        assert reason in failed[name], (name, failed[name])
        if name not in {"brief.doc", "ontbreekt.pdf"}:
            assert failed[name].startswith(f"{name}: "), failed[name]
    assert "listed in manifest.toml for ontbreekt" in failed["ontbreekt.pdf"]

    assert _result(report, "oud.txt").status == "added"
    assert _result(report, "inclusie.pdf").status == "unchanged"
    assert _result(report, "armoede.txt").status == "unchanged"
    index = Index.open(workspace)
    assert set(index.documents) == {"inclusie", "armoede", "oud"}
    assert index.documents["oud"]["meta"]["title"] == "Coördinatie"
    assert "geëvalueerd in één reële pilot met het café" in index.document("oud").text
    assert [c.chunk_id for c in index.chunks if c.doc_id != "oud"] == chunk_ids
    assert Searcher(workspace).search("digitale vaardigheden bibliotheken", k=1)[0].chunk.doc_id == "inclusie"

    result = _run_cli(workspace, "ingest")
    assert result.exit_code == 1
    for name, reason in BAD.items():
        assert re.search(rf"^error: {re.escape(name)}: .*{re.escape(reason)}", result.stderr, re.M), name
    assert "Traceback" not in result.output
    assert set(Index.open(workspace).documents) == {"inclusie", "armoede", "oud"}


def test_indexed_file_that_breaks_keeps_its_previous_version(workspace):
    path = make_pdf(workspace.corpus_dir / "inclusie.pdf", INCLUSIE)
    good = path.read_bytes()
    ingest(workspace)
    chunk_ids = Index.open(workspace).documents["inclusie"]["chunk_ids"]

    path.write_bytes(good[: len(good) // 3])  # a truncated download
    report = ingest(workspace)
    assert _result(report, "inclusie.pdf").status == "failed"
    assert report.embedded == 0
    assert Index.open(workspace).documents["inclusie"]["chunk_ids"] == chunk_ids
    assert Searcher(workspace).search("bibliotheken", k=1)[0].chunk.chunk_id in chunk_ids

    path.write_bytes(good)
    report = ingest(workspace)
    assert not report.failed
    assert Index.open(workspace).documents["inclusie"]["chunk_ids"] == chunk_ids


def test_cli_ingest_of_a_missing_path(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    result = _run_cli(workspace, "ingest", "/nonexistent.pdf")
    assert result.exit_code == 1
    assert "error: /nonexistent.pdf: /nonexistent.pdf: no such file" in result.stderr
    assert "Traceback" not in result.output
    assert set(Index.open(workspace).documents) == {"armoede"}, "the rest of the ingest still ran"


def test_cli_ingest_copies_given_files_into_the_corpus(workspace, tmp_path):
    source = make_pdf(tmp_path / "Werkagenda Digitaal.pdf", INCLUSIE)
    result = _run_cli(workspace, "ingest", str(source))
    assert result.exit_code == 0, result.output
    assert (workspace.corpus_dir / "werkagenda-digitaal.pdf").read_bytes() == source.read_bytes()
    assert set(Index.open(workspace).documents) == {"werkagenda-digitaal"}


def test_index_dir_that_cannot_be_created(tmp_path, workspace):
    blocker = tmp_path / "geen-map"
    blocker.write_text("een gewoon bestand", encoding="utf-8")
    settings = make_settings(workspace.corpus_dir, blocker / "index")
    (settings.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    with pytest.raises(AssistantError, match=r"index directory .*geen-map/index is not writable"):
        ingest(settings)
    result = _run_cli(settings, "ingest")
    assert result.exit_code == 1
    assert "is not writable" in result.stderr and str(blocker / "index") in result.stderr
    assert "Traceback" not in result.output
    assert blocker.read_text(encoding="utf-8") == "een gewoon bestand"


def test_read_only_index_dir_refuses_ingest_but_still_answers(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    ingest(workspace)
    (workspace.corpus_dir / "toezicht.md").write_text(TOEZICHT, encoding="utf-8")
    os.chmod(workspace.index_dir, 0o500)
    try:
        if os.access(workspace.index_dir, os.W_OK):
            pytest.skip("as root chmod does not stop writes; test_index_dir_that_cannot_be_created covers this")
        result = _run_cli(workspace, "ingest")
        assert result.exit_code == 1
        assert "is not writable" in result.stderr
        assert "Traceback" not in result.output
        assert set(Index.open(workspace).documents) == {"armoede"}
        assert Searcher(workspace).search("armoede", k=1)[0].chunk.doc_id == "armoede"
    finally:
        os.chmod(workspace.index_dir, 0o700)


def test_broken_manifest_stops_before_anything_changes(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    first = ingest(workspace)
    (workspace.corpus_dir / "manifest.toml").write_text("[[document]\nid = ", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"manifest\.toml: not valid TOML"):
        ingest(workspace)
    assert current_generation(workspace.index_dir) == first.generation
    result = _run_cli(workspace, "ingest")
    assert result.exit_code == 1 and "not valid TOML" in result.stderr


# --- incompatible indexes --------------------------------------------------------------------------------------


def test_index_built_by_another_embedder(workspace, monkeypatch):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS__BACKEND", "use")
    use_settings = Settings(corpus_dir=workspace.corpus_dir, index_dir=workspace.index_dir)
    assert use_settings.embeddings.backend == "use"
    built = ingest(use_settings)
    assert Index.open(use_settings).state["embedder"] == "use:multilingual-v3"
    monkeypatch.delenv("ASSISTANT_EMBEDDINGS__BACKEND")

    with pytest.raises(AssistantError) as info:
        Index.open(workspace)
    assert "use:multilingual-v3" in str(info.value) and "`assistant ingest --rebuild`" in str(info.value)
    with pytest.raises(AssistantError, match="--rebuild"):
        Searcher(workspace)
    result = _run_cli(workspace, "search", "armoede")
    assert result.exit_code == 1 and "--rebuild" in result.stderr and "Traceback" not in result.output

    report = ingest(workspace)  # a plain ingest rebuilds with the configured embedder
    assert not report.failed
    assert report.embedded == 1
    assert report.generation != built.generation
    assert Index.open(workspace).state["embedder"] == "e5:multilingual-e5-small-q4"
    assert Searcher(workspace).search("wijkteams", k=1)[0].chunk.doc_id == "armoede"


def test_index_with_an_older_schema(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    built = ingest(workspace)
    state_path = workspace.index_dir / built.generation / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["schema"] = 0
    state_path.write_text(json.dumps(state), encoding="utf-8")

    with pytest.raises(AssistantError, match=r"index schema 0 .*run `assistant ingest --rebuild`"):
        Index.open(workspace)
    result = _run_cli(workspace, "search", "armoede")
    assert result.exit_code == 1
    assert "assistant ingest --rebuild" in result.stderr and "Traceback" not in result.output

    report = ingest(workspace)
    assert report.embedded == 1 and report.generation != built.generation
    assert Searcher(workspace).search("wijkteams", k=1)[0].chunk.doc_id == "armoede"


def test_index_tokenised_by_an_older_version_gets_its_lexical_index_anew(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE.replace("grondslag.", "grondslag¹."), encoding="utf-8")
    built = ingest(workspace)
    state_path = workspace.index_dir / built.generation / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    assert state["lexical"] == stamp("lexical")
    del state["lexical"]  # as an older version wrote it
    state_path.write_text(json.dumps(state), encoding="utf-8")

    report = ingest(workspace)
    assert report.embedded == 0 and report.generation != built.generation  # vectors kept, BM25 made anew
    assert any("lexical index" in what for what in report.repaired)
    assert Index.open(workspace).state["lexical"] == stamp("lexical")
    assert Searcher(workspace).lexical("grondslag", 1)  # the word before the footnote marker is found
    again = ingest(workspace)
    assert again.generation == report.generation and not again.repaired


def test_bumping_the_sentence_version_makes_chunks_references_and_overview_anew(workspace, monkeypatch):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    built = ingest(workspace)
    content_hash = Index.open(workspace).documents["armoede"]["content_hash"]
    before = {name: stamp(name) for name in ("chunks", "refs", "overview", "lexical")}
    monkeypatch.setitem(versions.TABLE, "sentences", Version(versions.TABLE["sentences"].own + 1))
    after = {name: stamp(name) for name in before}
    assert after == {"chunks": before["chunks"] + 1, "refs": before["refs"] + 1,
                     "overview": before["overview"] + 1, "lexical": before["lexical"]}

    health = check(workspace, quick=True)  # what every ingest runs at start
    assert health.damaged_documents == ["armoede"] and not health.whole_index
    assert {p.what for p in health.problems} == {
        f"armoede.refs.json was made by another version ({before['refs']}, now {after['refs']})",
        f"armoede.overview.json was made by another version ({before['overview']}, now {after['overview']})"}
    report = ingest(workspace)
    assert _status(report) == {"armoede": "updated"} and report.embedded == 1  # its chunks were cut again
    assert report.generation != built.generation
    docs = workspace.index_dir / report.generation / "docs"
    for name in ("refs", "overview"):
        assert json.loads((docs / f"armoede.{name}.json").read_text(encoding="utf-8"))["version"] == after[name]
    assert Index.open(workspace).documents["armoede"]["content_hash"] != content_hash
    assert check(workspace).ok


def test_asking_over_parts_made_by_an_earlier_version_says_so_until_an_ingest(workspace, monkeypatch):
    """After an upgrade, a document's overview of the old version is left out: a definition it held goes
    unanswered, which `ask` and `eval` now say, until `assistant ingest` makes the part again."""
    (workspace.corpus_dir / "kapitaal.txt").write_text(
        "# Digitaal kapitaal\n\nOnder digitaal kapitaal wordt verstaan het geheel van digitale vaardigheden en "
        "middelen van een burger.\n", encoding="utf-8")
    assert not ingest(workspace).failed
    monkeypatch.setitem(versions.TABLE, "overview", Version(versions.TABLE["overview"].own + 1))
    question = ["ask", "--backend", "extractive", "Wat wordt verstaan onder digitaal kapitaal?"]
    stale = CliRunner().invoke(cli, question, env=cli_env(workspace))
    assert stale.exit_code == 0, stale.output
    assert "warning: kapitaal.overview.json was made by another version" in stale.stderr
    assert "`assistant ingest`" in stale.stderr
    evaluated = CliRunner().invoke(cli, ["eval", "--backend", "extractive", "--no-baseline", "--set",
                                         str(Path(__file__).parents[2] / "evals" / "gold.jsonl"), "--out",
                                         str(workspace.index_dir.parent / "report")], env=cli_env(workspace))
    assert "warning: kapitaal.overview.json was made by another version" in evaluated.stderr
    assert not ingest(workspace).failed
    mended = CliRunner().invoke(cli, question, env=cli_env(workspace))
    assert mended.exit_code == 0 and "warning" not in mended.stderr, mended.stderr
    assert "digitaal kapitaal wordt verstaan" in mended.stdout


# --- scale and concurrency -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_300_page_pdf(workspace):
    pages = [f"Maatregel {n} betreft de digitale overheid." for n in range(1, 301)]
    make_pdf(workspace.corpus_dir / "groot.pdf", pages, footer="{page}")
    result = _run_cli(workspace, "ingest")
    assert result.exit_code == 0, result.output
    summary = " ".join(result.stderr.split())
    m = re.search(r"1 documents, 300 pages, (\d+) chunks \((\d+) embedded\), 0 skipped, 0 failed, [\d.]+ s", summary)
    assert m, summary[-500:]
    assert m.group(1) == m.group(2)
    index = Index.open(workspace)
    assert index.documents["groot"]["pages"] == 300
    assert index.chunks[0].pages[0] == 1 and index.chunks[-1].pages[-1] == 300
    doc = index.document("groot")
    start = doc.text.index("Maatregel 157 ")
    assert doc.pages_between(start, start + 10) == (157,)


def test_second_concurrent_ingest_refuses(workspace):
    (workspace.corpus_dir / "armoede.txt").write_text(ARMOEDE, encoding="utf-8")
    with ingest_lock(workspace):
        proc = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest"], env=cli_env(workspace),
                              capture_output=True, text=True, timeout=600, cwd=workspace.corpus_dir.parent)
    assert proc.returncode == 1, proc.stderr
    assert "another ingest is writing" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert current_generation(workspace.index_dir) is None
    assert not ingest(workspace).failed, "the lock is free again once the first ingest is done"


@pytest.mark.parametrize(("written", "code"), [
    ("EN", "en"), ("en-GB", "en"), (" English ", "en"), ("Engels", "en"), ("nl_NL", "nl"), ("Nederlands", "nl"),
    ("de", "de"), ("Deutsch", "Deutsch"),
])
def test_a_manifests_language_is_read_however_dutch_or_english_is_written(written, code):
    """"en-GB" is English: a document listed so is read in English words and its quotes framed as English;
    a language the answerer does not read apart stays as written."""
    entry = ManifestEntry(id="paper", language=written, files=[{"path": "paper.md"}])
    assert entry.language == code
