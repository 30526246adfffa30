"""A question which documents say something about a topic is answered by each document that does, with its
sentence that says most about it, quoted; not by the sentences of the one document that says most."""

from __future__ import annotations

import pytest
from conftest import indexed, manifest

from assistant.answer.answerer import Answerer
from assistant.answer.questions import asked_topic
from assistant.retrieve import Filters

LETTER = """# Voortgang Algoritmeregister

## Stand

Op 1 maart 2025 stonden 1.146 algoritmes in het Algoritmeregister van de overheid.

## Toezicht

De Autoriteit Persoonsgegevens houdt toezicht op het gebruik van algoritmes door de overheid.
"""
PAPER = """# Trustworthy AI in Public Administration

## Registers

An algorithm register is a public list of the algorithms an administration uses.

## Skills

Administrations train their staff before they deploy an AI system.
"""
PLAN = """# Uitvoeringsplan Digitale Inclusie

## Hulp in de buurt

In 2025 groeit het netwerk van informatiepunten naar 720 locaties in openbare bibliotheken.
"""
MANIFEST = manifest(
    {"id": "brief", "title": "Voortgang Algoritmeregister", "kind": "Kamerbrief", "date": "2025-04-03",
     "identifier": "Kamerstukken II 2024/25, 26 643, nr. 1201", "language": "nl", "path": "brief.md"},
    {"id": "paper", "title": "Trustworthy AI in Public Administration", "kind": "policy paper", "language": "en",
     "path": "paper.md"},
    {"id": "plan", "title": "Uitvoeringsplan Digitale Inclusie", "kind": "uitvoeringsplan", "language": "nl",
     "path": "plan.md"},
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("topics")
    files = {"brief.md": LETTER, "paper.md": PAPER, "plan.md": PLAN, "manifest.toml": MANIFEST}
    return Answerer(indexed(base, files), "extractive")


@pytest.mark.parametrize(("question", "topic"), [
    ("Welke documenten gaan over algoritmes?", "algoritmes"),
    ("In welk document staat iets over het subsidieplafond?", "het subsidieplafond"),
    ("Where can I read about algorithm registers?", "algorithm registers"),
    ("Welke stukken noemen de Autoriteit Persoonsgegevens", "de Autoriteit Persoonsgegevens"),
    ("In welke stukken komen de openbare bibliotheken aan bod?", "de openbare bibliotheken"),
    ("Ik zoek alles over digitale inclusie. In welke documenten staat daar iets over?", "digitale inclusie"),
    ("where is generative AI discussed?", "generative AI"),
    ("Welke documenten noemt de brief over het Algoritmeregister?", None),
    ("Welke documenten noemt de brief?", None),
    ("Welke documenten zijn er?", None),
])
def test_the_topic_is_what_the_question_asks_documents_about(question, topic):
    assert asked_topic(question) == topic


def test_each_document_that_says_something_about_the_topic_is_listed_with_its_sentence(answerer):
    answer = answerer.ask("Welke documenten gaan over algoritmes?")
    assert answer.answer.startswith("Over “algoritmes” schrijven deze documenten (deels geciteerd in het Engels):")
    assert {c.doc_id for c in answer.citations} == {"brief", "paper"}  # the plan says nothing about them
    assert len(answer.citations) == 2  # one sentence a document
    assert "- Voortgang Algoritmeregister (Kamerstukken II 2024/25, 26 643, nr. 1201, 3 april 2025): “" in answer.answer
    for c in answer.citations:
        assert answerer.document(c.doc_id).text[c.start:c.end] == c.quote


def test_the_documents_a_question_is_filtered_to_are_the_only_ones_listed(answerer):
    answer = answerer.ask("Which documents are about algorithms?", filters=Filters(doc_ids=["paper"]))
    assert answer.answer.startswith("On “algorithms”, this document says:")
    assert [c.doc_id for c in answer.citations] == ["paper"]


def test_a_topic_no_document_says_anything_about_lists_none(answerer):
    answer = answerer.ask("Welke documenten gaan over de Omgevingswet?")
    assert "schrijven deze documenten" not in answer.answer and "schrijft dit document" not in answer.answer


def test_a_document_whose_title_names_the_topic_is_about_it_though_its_sentences_do_not_repeat_it(answerer):
    answer = answerer.ask("Welke documenten gaan over digitale inclusie?")
    assert answer.answer.startswith("Over “digitale inclusie” schrijft dit document:")
    assert [c.doc_id for c in answer.citations] == ["plan"]
    assert answer.citations[0].quote.startswith("In 2025 groeit het netwerk van informatiepunten")
    # a title that names a part of the topic does not: "Digitale Inclusie" says nothing of digital skills
    partly = answerer.ask("Welke documenten gaan over digitale vaardigheden?")
    assert "plan" not in {c.doc_id for c in partly.citations}
