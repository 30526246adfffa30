"""Consistency checks for the second test corpus (evals/corpus2): its build, manifest and question set.

The corpus is rendered from `evals/corpus2/sources/` by `evals/corpus2/build.py`; every evidence quote of
its question sets (`evals/corpus2/train.jsonl`, `dev.jsonl`, `test.jsonl`) must stand verbatim (after
:func:`assistant.text.normalize.match_key`) in the text extracted from its document's file, on the stated
page for PDFs. No models are loaded.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.evaluation.gold import Sources, load_gold  # noqa: E402
from assistant.sources.corpus import load_manifest  # noqa: E402
from assistant.text.normalize import match_key  # noqa: E402

HERE = ROOT / "evals" / "corpus2"
CORPUS = HERE / "corpus"
SETS = (HERE / "train.jsonl", HERE / "dev.jsonl", HERE / "test.jsonl")
SCAN_ID = "brief-gemeente-zuidwaarde-scan"
MIN_WORDS, MAX_WORDS = 8, 40


def _build_module():
    spec = importlib.util.spec_from_file_location("corpus2_build", HERE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()
MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["document"]
DOCS = {d["id"]: d for d in MANIFEST}
# Questions in users' own words (`w…`, evals/README.md): every record meets the same rules, the composition
# checks are the `c…` sets'.
OWN_WORDS = (HERE / "own-words.train.jsonl", HERE / "own-words.dev.jsonl", HERE / "own-words.test.jsonl")


def _records(paths: tuple[Path, ...]) -> list[dict]:
    return sorted((json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()),
                  key=lambda r: r["id"])


RECORDS = _records(SETS)
EVERY = _records(SETS + OWN_WORDS)
EVIDENCE = [pytest.param(r, ev, id=f"{r['id']}-ev{i}") for r in EVERY for i, ev in enumerate(r["evidence"])]


def _loose(text: str) -> str:
    return match_key(text).replace('"', "'")


@cache
def _texts(doc_id: str) -> tuple[str, ...]:
    """The document's extracted text: one entry per PDF page, or one entry for the whole file."""
    entry = DOCS[doc_id]
    path = CORPUS / entry["files"][0]["path"]
    fmt = entry["files"][0]["format"]
    if fmt == "pdf":
        from pypdf import PdfReader

        return tuple(page.extract_text() or "" for page in PdfReader(path).pages)
    text = path.read_text(encoding="utf-8")
    if fmt == "html":
        from bs4 import BeautifulSoup

        text = BeautifulSoup(text, "html.parser").get_text()
    return (text,)


@cache
def _sources() -> Sources:
    return Sources(CORPUS)


# ---------------------------------------------------------------- build and manifest


def test_build_is_deterministic_and_matches_the_checked_in_corpus(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    BUILD.build(first)
    BUILD.build(second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert names == sorted(p.name for p in CORPUS.iterdir()), "rebuild the corpus: evals/corpus2/build.py"
    for name in names:
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes(), f"{name} differs between two builds"
        assert data == (CORPUS / name).read_bytes(), f"{name} is stale: rebuild with evals/corpus2/build.py"


def test_manifest_parses_and_names_existing_files():
    entries = load_manifest(CORPUS)
    assert len(entries) >= 10
    assert len({e.id for e in entries}) == len(entries)
    for entry in entries:
        assert entry.title and entry.kind and entry.date and entry.identifier and entry.language in {"nl", "en"}
        for f in entry.files:
            assert (CORPUS / f.path).is_file(), f"{entry.id}: {f.path} missing"
    listed = {f.path for e in entries for f in e.files} | {"manifest.toml"}
    assert {p.name for p in CORPUS.iterdir()} == listed
    replaced = [e for e in entries if e.status == "replaced"]
    assert replaced and all(e.replaced_by in {x.id for x in entries} for e in replaced)
    assert {e.language for e in entries} == {"nl", "en"}


def test_pdfs_are_small_and_dated():
    from pypdf import PdfReader

    for entry in MANIFEST:
        path = CORPUS / entry["files"][0]["path"]
        if path.suffix == ".pdf":
            assert path.stat().st_size < 50_000, f"{path.name} is large"
            created = str(PdfReader(path).metadata["/CreationDate"])
            assert created.startswith("D:" + entry["date"].replace("-", "")), created


def test_scanned_pdf_has_no_text_layer():
    assert DOCS[SCAN_ID]["files"][0]["format"] == "pdf"
    pages = _texts(SCAN_ID)
    assert len(pages) == 1 and not pages[0].strip()


def test_report_has_page_numbers_tables_and_an_annex():
    pages = _texts("rapport-monitor-digitale-dienstverlening-2024")
    assert len(pages) >= 4
    for n, page in enumerate(pages, 1):
        assert f"Pagina {n} van {len(pages)}" in page
    assert any("Bijlage 1" in page for page in pages) and any("Tabel 4." in page for page in pages)


# ---------------------------------------------------------------- question set


def test_questions_load_without_problems():
    loaded = [load_gold(path) for path in SETS + OWN_WORDS]
    assert [g.problems for g in loaded] == [[] for _ in SETS + OWN_WORDS]
    assert sum(len(g.questions) for g in loaded) == len(EVERY) and len(RECORDS) >= 100


def test_no_question_is_in_two_sets():
    seen = Counter(match_key(r["question"]) for r in EVERY)
    assert [q for q, n in seen.items() if n > 1] == []


def test_ids_are_unique_over_all_sets():
    assert [i for i, n in Counter(r["id"] for r in EVERY).items() if n > 1] == []


def test_a_thread_of_follow_ups_stays_in_one_set():
    for path in SETS:
        ids = {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()}
        for r in RECORDS:
            if r["follow_up_of"] is not None:
                assert (r["id"] in ids) == (r["follow_up_of"] in ids), r["id"]


def test_ids_are_numbered_and_follow_ups_point_back():
    assert [r["id"] for r in RECORDS] == [f"c{n:03d}" for n in range(1, len(RECORDS) + 1)]
    seen: set[str] = set()
    for r in RECORDS:
        assert r["follow_up_of"] is None or r["follow_up_of"] in seen, r["id"]
        assert (r["type"] == "follow_up") == (r["follow_up_of"] is not None), r["id"]
        seen.add(r["id"])


def test_abstain_records_are_empty_and_answerable_ones_are_not():
    for r in EVERY:
        if r["abstain"]:
            assert r["keywords"] == [] and r["evidence"] == [], r["id"]
        else:
            assert r["keywords"] and r["evidence"], r["id"]
            assert all(e["doc_id"] != SCAN_ID and DOCS[e["doc_id"]]["status"] == "current" for e in r["evidence"])


def test_composition():
    abstain = [r for r in RECORDS if r["abstain"]]
    cross = [r for r in RECORDS if r["evidence"]
             and any(DOCS[e["doc_id"]]["language"] != r["language"] for e in r["evidence"])]
    assert len(abstain) >= 20
    assert sum(r["type"] == "unanswerable" for r in RECORDS) >= 20
    assert len(cross) >= 20
    assert any(r["language"] == "nl" for r in cross) and any(r["language"] == "en" for r in cross)


def test_changed_figures_cite_the_newer_version_only():
    old = next(d for d in MANIFEST if d["status"] == "replaced")
    old_key = _loose(_texts(old["id"])[0])
    changed = [r for r in RECORDS for e in r["evidence"]
               if e["doc_id"] == old["replaced_by"] and _loose(e["quote"]) not in old_key]
    assert len(changed) >= 5


def test_table_rows_are_asked_about():
    rows = set()
    for doc in BUILD.DOCUMENTS:
        if doc["source"]:
            for block in BUILD.parse((BUILD.SOURCES / doc["source"]).read_text(encoding="utf-8")):
                if block[0] == "table":
                    rows.update(_loose(" ".join(row)) for row in block[1][1:])
    asked = {r["id"] for r in RECORDS for e in r["evidence"] if _loose(e["quote"]) in rows}
    assert len(asked) >= 8


def test_keywords_occur_in_the_cited_documents():
    for r in EVERY:
        text = " ".join(_loose(t) for e in r["evidence"] for t in _texts(e["doc_id"]))
        for alternatives in r["keywords"]:
            assert any(_loose(k) in text for k in alternatives), f"{r['id']}: none of {alternatives} in its documents"


@pytest.mark.parametrize(("record", "ev"), EVIDENCE)
def test_quote_verbatim_on_its_page(record, ev):
    quote = ev["quote"]
    assert MIN_WORDS <= len(quote.split()) <= MAX_WORDS, f"{len(quote.split())} words"
    assert "\n" not in quote
    texts = _texts(ev["doc_id"])
    key = _loose(quote)
    if len(texts) > 1 or DOCS[ev["doc_id"]]["files"][0]["format"] == "pdf":
        pages = [n for n, page in enumerate(texts, 1) if key in _loose(page)]
        assert pages == [ev["page"]], f"quote on page(s) {pages}, gold says {ev['page']}"
    else:
        assert ev["page"] == 1
        assert key in _loose(texts[0])
    if ev["section"]:
        lines = {_loose(line) for text in texts for line in text.splitlines()}
        lines |= {_loose(re.sub(r"^#+\s*", "", line)) for text in texts for line in text.splitlines()}
        assert _loose(ev["section"]) in lines, f"section {ev['section']!r} is not a heading line of the document"


@pytest.mark.parametrize(("record", "ev"), EVIDENCE)
def test_quote_found_by_the_project_loaders(record, ev):
    assert _sources().contains(ev["doc_id"], ev["quote"])
