"""A question that names a document by its title or a series identifier ("volgens de EPSIF-paper") is met by
every sentence of that document: another document's sentence does not win for sharing the question's other
words. An official identifier names a document by numbers and counts for nothing."""

from __future__ import annotations

import pytest
from conftest import indexed, manifest

from assistant.answer.answerer import Answerer

PAPER = """# Trustworthy AI in Public Administration

This paper compares how twelve administrations govern their AI systems.

## Registers

Registers are most useful when entries are written in plain language.

Most administrations publish their registers once a year.
"""
LETTER = """# Voortgang van de registers

Met deze brief informeer ik uw Kamer over de registers.

## Registers

Gemeenten vinden hun registers het nuttigst wanneer burgers ze gebruiken.

De registers worden elk jaar bijgewerkt.
"""
MANIFEST = manifest(
    {"id": "paper", "title": "Trustworthy AI in Public Administration", "identifier": "EPSIF Policy Paper No. 12",
     "language": "en", "path": "paper.md"},
    {"id": "brief", "title": "Voortgang van de registers", "identifier": "Kamerstukken II 2024/25, 26 643, nr. 1201",
     "language": "nl", "path": "brief.md"},
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("named")
    return Answerer(indexed(base, {"paper.md": PAPER, "brief.md": LETTER, "manifest.toml": MANIFEST}), "extractive")


def test_every_sentence_of_a_paper_meets_the_words_of_its_series_identifier(answerer):
    question = "Registers in de EPSIF-paper?"
    hits = answerer.searcher.search(question, 5)
    coverage = {ev.span.quote: ev.coverage for ev in answerer.scorer.evidence(question, hits)}
    assert coverage["Registers are most useful when entries are written in plain language."] == 1.0
    assert coverage["De registers worden elk jaar bijgewerkt."] < 0.5
    assert "Registers" not in coverage  # a heading is named by every citation of its section: no evidence


def test_an_official_identifier_names_nothing(answerer):
    """Every sentence of the letter would meet "Kamerstukken" and "nr" if its identifier counted."""
    question = "Welke Kamerstukken noemt de brief?"
    evidence = answerer.scorer.evidence(question, answerer.searcher.search(question, 5))
    assert {ev.coverage for ev in evidence if ev.chunk.doc_id == "brief"} == {0.0}


SUBTITLED = """---
title: "Trustworthy AI in Public Administration: Practices from Twelve Member Administrations"
---

Trustworthy AI in Public Administration

Practices from Twelve Member Administrations

This paper draws on a survey of twelve national administrations and 37 case studies.

The survey identified 1,870 AI systems in use, of which 214 were classified as high-risk.
"""


def test_a_line_of_the_documents_title_is_no_evidence(tmp_path):
    """A title set over two lines (a PDF's cover) repeats what every citation names: its second line, which
    shares the question's words, is never quoted, and the sentence that answers is."""
    settings = indexed(tmp_path, {"paper.md": SUBTITLED})
    answer = Answerer(settings, "extractive").ask("How many member administrations are there?")
    quotes = [c.quote for c in answer.citations]
    assert any("twelve national administrations" in q for q in quotes), quotes
    assert not any(q.strip() in SUBTITLED.splitlines()[1] for q in quotes), quotes


IMPRINTED = """# Trustworthy AI in Public Administration

EPSIF Policy Paper No. 12, European Public Sector Innovation Forum, October 2024

This paper compares how twelve administrations govern their AI systems.

Registers are most useful when entries are written in plain language.
"""


@pytest.mark.parametrize("question", ["Who wrote the EPSIF paper?", "Wie heeft de EPSIF-paper geschreven?"])
def test_a_paper_called_by_its_series_identifier_is_asked_about_itself(tmp_path, question):
    """"the EPSIF paper" calls the paper by the words of its identifier, as "the policy paper" does by its kind:
    who issued it is its imprint line, not a sentence that happens to share the question's words."""
    files = {"paper.md": IMPRINTED, "manifest.toml": manifest(
        {"id": "paper", "title": "Trustworthy AI in Public Administration", "kind": "policy paper",
         "identifier": "EPSIF Policy Paper No. 12", "language": "en", "path": "paper.md"})}
    answer = Answerer(indexed(tmp_path, files), "extractive").ask(question)
    assert [c.quote for c in answer.citations] == [
        "EPSIF Policy Paper No. 12, European Public Sector Innovation Forum, October 2024"]
    assert answer.answer.startswith(("Issued by", "Uitgegeven door"))
