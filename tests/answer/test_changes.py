"""A question what changed between two versions of a document is answered by the sentences the newer version
changes, adds or drops, each quoted from the version it stands in; a question why something changed, or what a
document without another version changes, is answered from the evidence as any other."""

from __future__ import annotations

import pytest
from conftest import indexed, manifest

from assistant.answer.answerer import Answerer
from assistant.answer.changes import Changes, differences, what_differs
from assistant.answer.questions import asks_changes
from assistant.answer.responders import Asked
from assistant.retrieve import Filters

OLD = """# Uitvoeringsplan Registers (versie 1.0)

## 1. Doel

Het plan maakt de registers van de overheid beter leesbaar voor burgers.

## 2. Uitvoering

In 2025 publiceren 40 organisaties hun algoritmes in het register.
Iedere organisatie wijst een contactpersoon voor het register aan.
De eerste evaluatie verschijnt in september 2025.
"""
NEW = """# Uitvoeringsplan Registers (versie 2.0)

## 1. Doel

Het plan maakt de registers van de overheid beter leesbaar voor burgers.
Na de Voorjaarsnota zijn de doelen van het plan bijgesteld, omdat er meer geld beschikbaar kwam.

## 2. Uitvoering

In 2025 publiceren 55 organisaties hun algoritmes in het register.
De eerste evaluatie verschijnt in oktober 2025.
"""
OTHER = """# Monitor Registers 2024

## Cijfers

In 2024 publiceerden 212 organisaties samen 1.146 algoritmes in het register van de overheid.
"""
MANIFEST = manifest(
    {"id": "plan-v1", "title": "Uitvoeringsplan Registers (versie 1.0)", "kind": "uitvoeringsplan", "language": "nl",
     "date": "2025-02-10", "status": "replaced", "replaced_by": "plan-v2", "path": "plan-v1.md"},
    {"id": "plan-v2", "title": "Uitvoeringsplan Registers (versie 2.0)", "kind": "uitvoeringsplan", "language": "nl",
     "date": "2025-06-23", "path": "plan-v2.md"},
    {"id": "monitor", "title": "Monitor Registers 2024", "kind": "rapport", "language": "nl", "path": "monitor.md"},
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("changes")
    files = {"plan-v1.md": OLD, "plan-v2.md": NEW, "monitor.md": OTHER, "manifest.toml": MANIFEST}
    return Answerer(indexed(base, files), "extractive")


def test_the_differences_are_the_sentences_changed_added_and_dropped_in_the_newer_versions_order(answerer):
    found = differences(answerer.document("plan-v1"), answerer.document("plan-v2"), answerer.index)
    shown = [(c.kind, c.old.quote if c.old else None, c.new.quote if c.new else None) for c in found]
    assert ("added", None, "Na de Voorjaarsnota zijn de doelen van het plan bijgesteld, omdat er meer geld "
            "beschikbaar kwam.") in shown
    assert ("changed", "In 2025 publiceren 40 organisaties hun algoritmes in het register.",
            "In 2025 publiceren 55 organisaties hun algoritmes in het register.") in shown
    assert ("removed", "Iedere organisatie wijst een contactpersoon voor het register aan.", None) in shown
    assert ("changed", "De eerste evaluatie verschijnt in september 2025.",
            "De eerste evaluatie verschijnt in oktober 2025.") in shown
    # the sentence both versions hold is no difference; the order is the newer version's
    assert not any("beter leesbaar" in (q or "") for _, q, _ in shown)
    kinds = [k for k, *_ in shown]
    assert kinds.index("added") < kinds.index("removed") < len(kinds) - 1


def test_what_differs_in_a_changed_sentence_is_spelt_out_only_when_it_is_a_few_words():
    assert what_differs("In 2025 groeit het netwerk naar 650 locaties.", "In 2025 groeit het netwerk naar 720 "
                        "locaties.") == [("650", "720")]
    assert what_differs("Het budget is 8,1 miljoen en 4,3 miljoen.", "Het budget is 10,4 miljoen en 5,6 miljoen.") == [
        ("8,1", "10,4"), ("4,3", "5,6")]
    assert what_differs("De minister stuurt de Kamer in het najaar een brief over de registers.",
                        "Het kabinet heeft besloten het register voorlopig niet wettelijk te verplichten.") == []


def test_a_question_what_changed_between_versions_is_answered_by_the_differences_quoted_from_both(answerer):
    answer = answerer.ask("Wat is er veranderd ten opzichte van de vorige versie van het uitvoeringsplan?")
    assert not answer.abstained
    assert {c.doc_id for c in answer.citations} == {"plan-v1", "plan-v2"}
    assert "(40 → 55)" in answer.answer and "(september → oktober)" in answer.answer
    assert "vervallen:" in answer.answer and "toegevoegd:" in answer.answer
    for c in answer.citations:  # every quote is the document's own words, where the citation says
        assert answerer.document(c.doc_id).text[c.start:c.end] == c.quote
        assert f"[{c.n}]" in answer.answer
    assert any("no longer current" in n and "plan-v1" in n for n in answer.notices)
    assert answer.answer.startswith("Uitvoeringsplan Registers (versie 2.0)")


def test_an_english_question_gets_the_differences_in_english_words_around_the_dutch_quotes(answerer):
    answer = answerer.ask("What changed between the two versions of the implementation plan?")
    assert "now reads" in answer.answer and "(quoted in Dutch)" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"plan-v1", "plan-v2"}


def test_a_question_why_something_changed_is_answered_by_the_reason_the_document_gives(answerer):
    assert not asks_changes("Waarom zijn de doelen in de herziene versie van het plan bijgesteld?")
    answer = answerer.ask("Waarom zijn de doelen in de herziene versie van het plan bijgesteld?")
    assert answer.citations[0].quote.startswith("Na de Voorjaarsnota zijn de doelen van het plan bijgesteld")
    assert "→" not in answer.answer


def test_without_another_version_among_what_the_question_concerns_no_differences_are_proposed(answerer):
    question = "Wat is er veranderd in de vorige versie van de monitor?"
    hits = [h for h in answerer.searcher.search(question, 5) if h.chunk.doc_id == "monitor"]
    assert hits and Changes(answerer.scorer).propose(Asked(question, "nl", hits, [])) is None
    # filtered to a document without versions, the plan's versions are not compared either
    filtered = answerer.ask(question, filters=Filters(doc_ids=["monitor"]))
    assert "→" not in filtered.answer and all(c.doc_id == "monitor" for c in filtered.citations)


def test_a_question_about_the_earlier_version_is_answered_from_it_with_a_notice(answerer):
    now = answerer.ask("Hoeveel organisaties publiceren in 2025 hun algoritmes in het register?")
    assert now.citations[0].doc_id == "plan-v2" and "55 organisaties" in now.citations[0].quote
    assert not any(c.doc_id == "plan-v1" for c in now.citations)
    before = answerer.ask("Hoeveel organisaties publiceren volgens de eerste versie in 2025 hun algoritmes?")
    assert before.citations[0].doc_id == "plan-v1" and "40 organisaties" in before.citations[0].quote
    assert not any(c.doc_id == "plan-v2" for c in before.citations)
    assert any("no longer current" in n for n in before.notices)
