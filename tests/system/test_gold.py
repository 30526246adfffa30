"""Consistency checks for the evaluation sets: gold, held-out (dev), training and test (evals/*.jsonl).

Every evidence quote must be verbatim (after :func:`assistant.text.normalize.match_key`) in the corpus, on the
page it claims, under the section it claims. The gold file can be pointed elsewhere with GOLD_FILE.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.text.normalize import match_key  # noqa: E402

GOLD = Path(os.environ.get("GOLD_FILE", ROOT / "evals" / "gold.jsonl"))
CORPUS = ROOT / "corpus"
PDF_FILE = CORPUS / "000_f05a9d83e50ba6a3.txt"  # PDF text: page starts are lines beginning " <non-space>"
PUB_FILE = CORPUS / "001_8ed86a11dc3d904d.txt"  # official publication text: headings on their own line
DOC_ID = "kst-26643-1055"
N_PAGES = 14

TYPES = (
    "single_fact",
    "date_number",
    "list",
    "definition",
    "synthesis",
    "reference_lookup",
    "follow_up",
    "english",
    "unanswerable",
    "out_of_scope",
    "false_premise",
    "injection",
)
ALWAYS_ABSTAIN = {"unanswerable", "out_of_scope"}
NEVER_ABSTAIN = {"single_fact", "date_number", "list", "definition", "synthesis", "reference_lookup", "english"}
MIN_PER_TYPE = 8
MIN_TOTAL = 100
MIN_WORDS, MAX_WORDS = 8, 40

SECTIONS = (
    "",
    "Inleiding en leeswijzer",
    "Agenda «Coalities voor de digitale samenleving»",
    "1. Toekomstbeelden Nederlandse digitale samenleving 2040",
    "2. Coalities voor de digitale samenleving",
    "Thema 1: Digitale ethiek",
    "Thema 2: AI in actie",
    "AI in de praktijk",
    "Visie generatieve AI",
    "Thema 3: Verantwoord datagebruik voor de maatschappelijke opgaven",
    "Thema overstijgende vraagstukken",
    "Thema 4: Duurzaamheid en digitalisering",
    "Bedrijfsvoering Rijk",
    "Vervolgproces",
)

RECORD_KEYS = {
    "id": str,
    "question": str,
    "language": str,
    "type": str,
    "keywords": list,
    "evidence": list,
    "abstain": bool,
    "follow_up_of": (str, type(None)),
}
EVIDENCE_KEYS = {"doc_id": str, "quote": str, "page": int, "section": str}


# ---------------------------------------------------------------- loading


def _load_gold() -> list[dict]:
    records = []
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            raise AssertionError(f"{GOLD}:{n}: blank line")
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as a collection error
            raise AssertionError(f"{GOLD}:{n}: invalid JSON: {exc}") from exc
    return records


def _pdf_pages(text: str) -> list[str]:
    pages: list[list[str]] = []
    for i, line in enumerate(text.split("\n")):
        if i == 0 or re.match(r" \S", line):
            pages.append([])
        pages[-1].append(line)
    return ["\n".join(p) for p in pages]


def _loose(key: str) -> str:
    """match_key output with remaining typographic variants (quote style, dash) folded too."""
    return key.replace('"', "'").replace("\u2013", "-").replace("\u2014", "-")


def _publication_sections(text: str) -> dict[str, str]:
    """Loose key of the publication text under each heading ("" = before the first heading)."""
    headings = {s for s in SECTIONS if s}
    chunks: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        if line.strip() in headings:
            current = line.strip()
            chunks.setdefault(current, [])
            continue
        chunks[current].append(line)
    return {name: _loose(match_key("\n".join(lines))) for name, lines in chunks.items()}


GOLD_RECORDS = _load_gold()
PDF_TEXT = PDF_FILE.read_text(encoding="utf-8")
PUB_TEXT = PUB_FILE.read_text(encoding="utf-8")
PDF_PAGE_KEYS = [match_key(p) for p in _pdf_pages(PDF_TEXT)]
PDF_PAGE_LOOSE = [_loose(k) for k in PDF_PAGE_KEYS]
PDF_KEY = match_key(PDF_TEXT)
PUB_KEY = match_key(PUB_TEXT)
PDF_LOOSE = _loose(PDF_KEY)
CORPUS_KEYS = [match_key(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
PUB_SECTION_KEYS = _publication_sections(PUB_TEXT)


def _rid(record: dict) -> str:
    return str(record.get("id", "?"))


EVIDENCE = [
    pytest.param(record, i, ev, id=f"{_rid(record)}-ev{i}")
    for record in GOLD_RECORDS
    for i, ev in enumerate(record.get("evidence") or [])
    if isinstance(ev, dict)
]
RECORDS = [pytest.param(record, id=_rid(record)) for record in GOLD_RECORDS]


# ---------------------------------------------------------------- corpus sanity


def test_corpus_layout():
    assert len(PDF_PAGE_KEYS) == N_PAGES, "PDF rendering should have 14 pages"
    missing = [s for s in SECTIONS if s and s not in PUB_SECTION_KEYS]
    assert not missing, f"headings not found as lines in the publication text: {missing}"


# ---------------------------------------------------------------- file level


def test_ids_unique():
    counts = Counter(r.get("id") for r in GOLD_RECORDS)
    dupes = sorted(str(k) for k, v in counts.items() if v > 1)
    assert not dupes, f"duplicate ids: {dupes}"


def test_ids_share_one_prefix():
    """`g001` … in the gold set, `h001` … in the held-out set: an id names its set."""
    prefixes = {str(r.get("id"))[:1] for r in GOLD_RECORDS}
    assert len(prefixes) == 1, f"ids with several prefixes: {sorted(prefixes)}"


# The sets of questions in users' own words (evals/README.md) are smaller, and written for their wording, not
# for a mix of types: they meet every rule but those of a set's size and mix.
OWN_WORDS = ["own-words.train.jsonl", "own-words.dev.jsonl", "own-words.test.jsonl"]
SIZE_AND_MIX = "not test_total_count and not test_type_count and not test_english_share"


@pytest.mark.skipif("GOLD_FILE" in os.environ, reason="checks one other set already")
@pytest.mark.parametrize("other", ["heldout.jsonl", "train.jsonl", "test.jsonl", *OWN_WORDS])
def test_the_other_sets_pass_the_same_checks(other):
    """The held-out (dev) set, the training sets and the test set (see evals/README.md) meet the same rules."""
    import subprocess

    chosen = ["-k", SIZE_AND_MIX] if other in OWN_WORDS else []
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, *chosen],
                          env={**os.environ, "GOLD_FILE": str(ROOT / "evals" / other)},
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and " failed" not in done.stdout, done.stdout[-3000:]


@pytest.mark.skipif("GOLD_FILE" in os.environ, reason="compares the sets in evals/, not another file")
def test_no_question_is_in_two_sets():
    """A question the answerer was fitted or chosen on, asked again in the test set, would flatter the test."""
    seen: dict[str, str] = {}
    repeated = []
    for name in ("gold.jsonl", "heldout.jsonl", "train.jsonl", "test.jsonl", *OWN_WORDS):
        for line in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            key = match_key(record["question"])
            if key in seen:
                repeated.append(f"{seen[key]} and {record['id']}: {record['question']}")
            seen.setdefault(key, record["id"])
    assert repeated == []


def test_total_count():
    assert len(GOLD_RECORDS) >= MIN_TOTAL, f"only {len(GOLD_RECORDS)} questions, need >= {MIN_TOTAL}"


@pytest.mark.parametrize("qtype", TYPES)
def test_type_count(qtype):
    n = sum(1 for r in GOLD_RECORDS if r.get("type") == qtype)
    assert n >= MIN_PER_TYPE, f"type {qtype!r} has {n} questions, need >= {MIN_PER_TYPE}"


def test_english_share():
    n_en = sum(1 for r in GOLD_RECORDS if r.get("language") == "en")
    share = n_en / max(len(GOLD_RECORDS), 1)
    assert 0.20 <= share <= 0.35, f"English share {share:.0%} outside 20-35%"


def test_questions_unique():
    counts = Counter(" ".join(str(r.get("question", "")).lower().split()) for r in GOLD_RECORDS)
    dupes = [q for q, n in counts.items() if n > 1]
    assert not dupes, f"duplicate questions: {dupes}"


# ---------------------------------------------------------------- record level


@pytest.mark.parametrize("record", RECORDS)
def test_schema(record):
    assert set(record) == set(RECORD_KEYS), f"keys {sorted(record)} != {sorted(RECORD_KEYS)}"
    for key, typ in RECORD_KEYS.items():
        assert isinstance(record[key], typ), f"{key} has type {type(record[key]).__name__}"
    assert re.fullmatch(r"[a-z]\d{3,}", record["id"]), f"bad id {record['id']!r}"
    assert record["question"].strip(), "empty question"
    assert record["language"] in ("nl", "en"), f"bad language {record['language']!r}"
    assert record["type"] in TYPES, f"unknown type {record['type']!r}"
    for group in record["keywords"]:
        assert isinstance(group, list) and group, f"keyword group must be a non-empty list: {group!r}"
        for alt in group:
            assert isinstance(alt, str) and alt.strip(), f"keyword alternatives must be non-empty strings: {group!r}"
    for ev in record["evidence"]:
        assert isinstance(ev, dict), f"evidence item is not an object: {ev!r}"
        assert set(ev) == set(EVIDENCE_KEYS), f"evidence keys {sorted(ev)} != {sorted(EVIDENCE_KEYS)}"
        for key, typ in EVIDENCE_KEYS.items():
            assert isinstance(ev[key], typ) and not isinstance(ev[key], bool), f"evidence {key} has wrong type"


@pytest.mark.parametrize("record", RECORDS)
def test_abstain_consistency(record):
    qtype = record.get("type")
    if record.get("abstain"):
        assert record.get("evidence") == [], "abstain question must have no evidence"
        assert record.get("keywords") == [], "abstain question must have no keywords"
        assert qtype not in NEVER_ABSTAIN, f"type {qtype!r} must not abstain"
    else:
        assert record.get("evidence"), "answerable question needs evidence"
        assert record.get("keywords"), "answerable question needs keywords"
        assert qtype not in ALWAYS_ABSTAIN, f"type {qtype!r} must abstain"


@pytest.mark.parametrize("record", RECORDS)
def test_type_rules(record):
    qtype = record.get("type")
    if qtype == "english":
        assert record.get("language") == "en", "english questions must have language 'en'"
    if qtype == "synthesis":
        sections = {(ev.get("section"), ev.get("page")) for ev in record.get("evidence", [])}
        assert len(record.get("evidence", [])) >= 2, "synthesis needs >= 2 evidence items"
        assert len({s for s, _ in sections}) >= 2, "synthesis evidence must come from >= 2 sections"
    if qtype == "follow_up":
        assert record.get("follow_up_of"), "follow_up question must set follow_up_of"
    else:
        assert record.get("follow_up_of") is None, "only follow_up questions may set follow_up_of"


@pytest.mark.parametrize("record", RECORDS)
def test_follow_up_points_to_earlier_id(record):
    target = record.get("follow_up_of")
    if target is None:
        return
    earlier = []
    for r in GOLD_RECORDS:
        if r is record:
            break
        earlier.append(r.get("id"))
    assert target in earlier, f"follow_up_of {target!r} is not an earlier id"
    assert target != record.get("id")


@pytest.mark.parametrize("record", RECORDS)
def test_keywords_grounded_in_corpus(record):
    """Each keyword group needs at least one alternative that occurs in the corpus text."""
    for group in record.get("keywords", []):
        assert any(match_key(alt) in key for alt in group for key in CORPUS_KEYS), (
            f"no alternative of {group!r} occurs in the corpus"
        )


# ---------------------------------------------------------------- evidence level


@pytest.mark.parametrize(("record", "index", "ev"), EVIDENCE)
def test_evidence_doc_and_section(record, index, ev):
    assert ev.get("doc_id") == DOC_ID, f"doc_id {ev.get('doc_id')!r} != {DOC_ID!r}"
    assert ev.get("section") in SECTIONS, f"unknown section {ev.get('section')!r}"


@pytest.mark.parametrize(("record", "index", "ev"), EVIDENCE)
def test_evidence_quote_length(record, index, ev):
    n = len(str(ev.get("quote", "")).split())
    assert MIN_WORDS <= n <= MAX_WORDS, f"quote has {n} words, need {MIN_WORDS}..{MAX_WORDS}"


@pytest.mark.parametrize(("record", "index", "ev"), EVIDENCE)
def test_evidence_quote_verbatim(record, index, ev):
    key = match_key(str(ev.get("quote", "")))
    assert key, "empty quote"
    assert any(key in corpus_key for corpus_key in CORPUS_KEYS), f"quote not found verbatim in corpus: {key!r}"


@pytest.mark.parametrize(("record", "index", "ev"), EVIDENCE)
def test_evidence_page(record, index, ev):
    """The quote must be on the stated page of the PDF rendering.

    Quote-mark and dash variants are folded, so a quote copied from the publication rendering is still
    located in the PDF. Only text that the PDF rendering does not have at all (publication header,
    signature, the coalition-agreement reference) falls back to the publication rendering.
    """
    page = ev.get("page")
    assert isinstance(page, int) and not isinstance(page, bool), f"page {page!r} is not an int"
    assert 1 <= page <= N_PAGES, f"page {page!r} outside 1..{N_PAGES}"
    key = _loose(match_key(str(ev.get("quote", ""))))
    if key in PDF_PAGE_LOOSE[page - 1]:
        return
    on_pages = [i + 1 for i, p in enumerate(PDF_PAGE_LOOSE) if key in p]
    assert not on_pages, f"quote is on PDF page(s) {on_pages}, not page {page}"
    assert key not in PDF_LOOSE, "quote crosses a page break in the PDF rendering"
    assert key in _loose(PUB_KEY), f"quote not on PDF page {page} and not in the publication rendering"
    # Text that is in both renderings but split by a page break or footnote block in the PDF is not
    # publication-only text: both halves of some split would then occur in the PDF rendering.
    words = key.split()
    for i in range(1, len(words)):
        left, right = " ".join(words[:i]), " ".join(words[i:])
        assert not (left in PDF_LOOSE and right in PDF_LOOSE), (
            f"quote crosses a page break or footnote block in the PDF rendering (before {words[i]!r})"
        )


@pytest.mark.parametrize(("record", "index", "ev"), EVIDENCE)
def test_evidence_section_matches_position(record, index, ev):
    """Body quotes must sit under the heading named in 'section' (checked on the publication text).

    Quotes that occur only in the PDF rendering (footnote text) are not located; their section is
    the body section holding the footnote marker, which the membership test above covers.
    """
    key = _loose(match_key(str(ev.get("quote", ""))))
    found_in = [name for name, chunk in PUB_SECTION_KEYS.items() if key in chunk]
    if not found_in:
        assert key not in _loose(PUB_KEY), "quote spans a heading in the publication text"
        return
    assert ev.get("section") in found_in, f"quote is under section(s) {found_in}, not {ev.get('section')!r}"
