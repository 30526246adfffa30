"""A question what a document is about ("Waar gaat deze brief over?", "Summarise the report") is answered by the
sentences in which the document says so itself, quoted, and by its parts; a question what anything else is about
("Waar gaan de registers over?") is not taken for one. A question which documents there are lists them, each
with what it says it is about."""

from __future__ import annotations

import pytest
from conftest import indexed, manifest

from assistant.answer.answerer import Answerer
from assistant.answer.questions import asked_subject, asks_inventory
from assistant.answer.responders import Asked, Subject
from assistant.enrich import colophon
from assistant.retrieve import Filters

NOTA = """# Beleidsnota Registers

## 1. Aanleiding

Overheidsorganisaties houden steeds meer registers bij over hun algoritmes en hun gegevens.
Deze nota beschrijft hoe het kabinet de registers van de overheid betrouwbaarder wil maken.

## 2. Uitgangspunten

Deze coalitie van ministeries werkt samen met gemeenten aan de registers van de overheid.
Registers worden in gewone taal geschreven, zodat iedere burger ze kan lezen.

## 3. Financiën

Voor de registers is elk jaar 4 miljoen euro beschikbaar op de begroting van het ministerie.
"""
REPORT = """# Monitor Registers 2024

## Samenvatting

In 2024 publiceerden 212 organisaties samen 1.146 algoritmes in het register van de overheid.

## 1. Cijfers

Het aantal gepubliceerde algoritmes groeide in 2024 met ruim een derde ten opzichte van het jaar ervoor.

## 2. Conclusies

De meeste organisaties publiceren hun algoritmes pas nadat ze in gebruik zijn genomen.
"""
MANIFEST = manifest(
    {"id": "nota", "title": "Beleidsnota Registers", "kind": "nota", "language": "nl", "path": "nota.md"},
    {"id": "monitor", "title": "Monitor Registers 2024", "kind": "rapport", "language": "nl", "path": "monitor.md"},
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("subject")
    files = {"nota.md": NOTA, "monitor.md": REPORT, "manifest.toml": MANIFEST}
    return Answerer(indexed(base, files), "extractive")


def _subject_of(answerer: Answerer, question: str) -> str | None:
    hits = answerer.searcher.search(question, 5)
    doc = Subject(answerer.scorer).named(Asked(question, "nl", hits, []))
    return doc.meta.doc_id if doc else None


def test_a_document_says_what_it_is_about_where_it_names_itself_by_its_kind_or_title(answerer):
    said = [s.quote for s in colophon.says_itself(answerer.document("nota"))]
    # "Deze coalitie" names no document; "deze nota" names the nota by its kind
    assert said == ["Deze nota beschrijft hoe het kabinet de registers van de overheid betrouwbaarder wil maken."]
    assert colophon.says_itself(answerer.document("monitor")) == []


@pytest.mark.parametrize(("question", "doc_id"), [
    ("Waar gaat de nota over?", "nota"),
    ("What is the report about?", "monitor"),  # "report" translates the kind "rapport"
    ("Vat de monitor samen.", "monitor"),  # the head of its title
    ("Wat is het onderwerp van de beleidsnota registers?", "nota"),
    ("Waar gaan de registers over?", None),  # a subject of the documents, not a document
    ("Waar gaat het register van de overheid over?", None),
    ("Waar gaat de brief over?", None),  # neither is a letter
])
def test_the_document_asked_about_is_the_one_the_question_names(answerer, question, doc_id):
    assert _subject_of(answerer, question) == doc_id


def test_what_a_document_is_about_is_quoted_from_where_it_says_so_with_its_parts(answerer):
    answer = answerer.ask("Waar gaat de nota over?")
    assert not answer.abstained
    assert [c.quote for c in answer.citations] == [
        "Deze nota beschrijft hoe het kabinet de registers van de overheid betrouwbaarder wil maken."]
    assert answer.citations[0].section == "1. Aanleiding"
    assert answer.answer.startswith("Beleidsnota Registers: ")
    assert answer.answer.endswith("Onderdelen: 1. Aanleiding; 2. Uitgangspunten; 3. Financiën.")


def test_a_document_that_never_names_itself_is_summed_up_by_its_first_sections(answerer):
    answer = answerer.ask("What is the report about?")
    assert not answer.abstained and {c.doc_id for c in answer.citations} == {"monitor"}
    assert [c.quote for c in answer.citations] == [
        "In 2024 publiceerden 212 organisaties samen 1.146 algoritmes in het register van de overheid.",
        "Het aantal gepubliceerde algoritmes groeide in 2024 met ruim een derde ten opzichte van het jaar ervoor."]
    assert "(quoted in Dutch)" in answer.answer
    assert answer.answer.endswith("Its parts: Samenvatting; 1. Cijfers; 2. Conclusies.")


def test_a_question_about_a_subject_of_the_documents_is_answered_from_the_evidence(answerer):
    answer = answerer.ask("Waar gaan de registers over?")
    assert "Onderdelen:" not in answer.answer


@pytest.mark.parametrize(("question", "subject"), [
    ("Waar gaat deze brief over?", "deze brief"),
    ("Summarise the report.", "the report"),
    ("Geef een samenvatting van het document", "het document"),
    ("Wat zegt de brief over AI?", None),
    ("What does the letter say about AI?", None),
])
def test_a_question_asks_what_a_document_is_about_only_as_a_whole(question, subject):
    assert asked_subject(question) == subject


def test_the_bundled_letter_says_what_it_is_about_and_lists_its_themes(bundled):
    answer = Answerer(bundled, "extractive").ask("What is this letter about?")
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Deze brief betreft, conform mijn toezegging aan de Kamer")
    assert answer.citations[0].page == 1
    assert "Thema 1: Digitale ethiek; Thema 2: AI in actie" in answer.answer


@pytest.mark.parametrize("question", ["Welke documenten zijn er?", "What documents are indexed?"])
def test_a_question_which_documents_there_are_lists_each_with_what_it_says_it_is_about(answerer, question):
    answer = answerer.ask(question)
    assert not answer.abstained
    assert [(c.doc_id, c.quote) for c in answer.citations] == [
        ("nota", "Deze nota beschrijft hoe het kabinet de registers van de overheid betrouwbaarder wil maken."),
        ("monitor", "In 2024 publiceerden 212 organisaties samen 1.146 algoritmes in het register van de overheid.")]
    lines = answer.answer.splitlines()
    assert lines[0] == ("The documents (quoted in Dutch):" if question.startswith("What") else "De documenten:")
    assert lines[1].startswith("- Beleidsnota Registers: “Deze nota beschrijft") and lines[1].endswith("” [1]")
    assert lines[2].startswith("- Monitor Registers 2024: “In 2024 publiceerden") and lines[2].endswith("” [2]")


def test_the_documents_listed_are_those_the_question_is_limited_to(answerer):
    answer = answerer.ask("Welke documenten zijn er?", filters=Filters(doc_ids=["monitor"]))
    assert [c.doc_id for c in answer.citations] == ["monitor"]


@pytest.mark.parametrize(("question", "inventory"), [
    ("Welke documenten heb je?", True),
    ("Waarover kan ik vragen stellen?", True),
    ("Welke documenten noemt de brief?", False),  # what the documents cite: the registry
    ("Which documents are there on data sharing?", False),
])
def test_only_a_question_about_the_documents_held_asks_which_there_are(question, inventory):
    assert asks_inventory(question) is inventory
