"""A question what a document says about a topic is answered by the sentences of that document that say something
about it, wherever they stand: the best first, the others in the order they stand; a sentence says something about
the topic by its own words or its heading's, not by its document's title."""

from __future__ import annotations

import pytest
from conftest import indexed, manifest

from assistant.answer.answerer import Answerer
from assistant.answer.questions import asked_said_about
from assistant.types import Span

NOTA = """# Nota Betrouwbaar Datadelen

## Aanleiding

Overheidsorganisaties delen steeds vaker gegevens met elkaar om burgers beter te helpen.
Bij het delen van gegevens staat de privacy van burgers voorop.

## Privacy

Gegevens worden alleen gedeeld als daar een wettelijke grondslag voor is.

## Financiering

Voor de uitvoering van deze nota is jaarlijks 23 miljoen euro beschikbaar.

## Toezicht

De Autoriteit Persoonsgegevens ziet erop toe dat de privacy van burgers bij het delen van gegevens beschermd blijft.
"""
MOTIE = """# Motie van het lid Brouwer-Kaya over datadelen

De Kamer, gehoord de beraadslaging, verzoekt de regering de privacy van burgers bij datadelen jaarlijks te laten \
toetsen.
"""
MANIFEST = manifest(
    {"id": "nota", "title": "Nota Betrouwbaar Datadelen", "kind": "nota", "language": "nl", "path": "nota.md"},
    {"id": "motie", "title": "Motie van het lid Brouwer-Kaya over datadelen", "kind": "motie", "language": "nl",
     "path": "motie.md"},
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("said")
    return Answerer(indexed(base, {"nota.md": NOTA, "motie.md": MOTIE, "manifest.toml": MANIFEST}), "extractive")


@pytest.mark.parametrize(("question", "said"), [
    ("Wat zegt de brief over ouderen?", ("de brief", "ouderen")),
    ("wat zegt de brief allemaal over datacenters?", ("de brief", "datacenters")),
    ("Wat staat er in de monitor over storingen?", ("de monitor", "storingen")),
    ("Wat staat er over storingen?", ("", "storingen")),
    ("Wat wordt er in het rapport gezegd over chatbots?", ("het rapport", "chatbots")),
    ("Wat schrijft de staatssecretaris over digitale inclusie?", ("de staatssecretaris", "digitale inclusie")),
    ("What does the letter say about the power of companies?", ("the letter", "the power of companies")),
    ("What is said about generative AI in the letter?", ("the letter", "generative AI")),
    ("Wat vindt de staatssecretaris van generatieve AI?", ("de staatssecretaris", "generatieve AI")),
    ("Wat is het standpunt van het kabinet over datacenters?", ("het kabinet", "datacenters")),
    ("Hoe kijkt het kabinet aan tegen de AI Act?", ("het kabinet", "de AI Act")),
    ("What is the cabinet's position on data centres?", ("the cabinet", "data centres")),
    ("What does the state secretary think about generative AI?", ("the state secretary", "generative AI")),
    ("Waar komt de VNG voor in de brief?", ("de brief", "de VNG")),  # where it is mentioned: what says it
    ("Op welke plekken komt privacy terug?", ("", "privacy")),
    ("Welke documenten zeggen iets over algoritmes?", None),
    ("Waar vindt de Catshuissessie plaats?", None),
    ("Waar komt het geld voor de coalities vandaan?", None),
    ("Hoe staat het met de coalities?", None),
    ("Wat staat er in de brief?", None),
    ("What does the letter recommend?", None),
    ("Wie zegt dat AI een systeemtechnologie is?", None),
])
def test_who_and_the_topic_are_what_the_question_asks_about(question, said):
    assert asked_said_about(question) == said


def test_the_named_documents_sentences_on_the_topic_answer_the_best_first_then_in_order(answerer):
    answer = answerer.ask("Wat zegt de nota over privacy?")
    assert {c.doc_id for c in answer.citations} == {"nota"}  # the motion says something too, but is not asked
    quotes = [c.quote for c in answer.citations]
    assert "Bij het delen van gegevens staat de privacy van burgers voorop." in quotes
    assert any("Autoriteit Persoonsgegevens" in q for q in quotes)  # a section further on says it too
    assert "Gegevens worden alleen gedeeld als daar een wettelijke grondslag voor is." in quotes  # under "Privacy"
    assert not any("23 miljoen" in q for q in quotes)
    starts = [c.start for c in answer.citations[1:]]
    assert starts == sorted(starts)


def test_a_document_named_by_its_kind_is_the_one_quoted(answerer):
    answer = answerer.ask("Wat zegt de motie over privacy?")
    assert [c.doc_id for c in answer.citations] == ["motie"]
    assert "verzoekt de regering" in answer.citations[0].quote


def test_a_question_that_names_no_document_is_answered_from_every_one(answerer):
    answer = answerer.ask("Wat staat er over privacy?")
    assert {c.doc_id for c in answer.citations} == {"nota", "motie"}


def test_what_a_document_thinks_of_a_topic_is_what_it_says_about_it(answerer):
    answer = answerer.ask("Wat is het standpunt van de motie over privacy?")
    assert [c.doc_id for c in answer.citations] == ["motie"]


def test_where_a_document_mentions_a_topic_is_what_it_says_about_it(answerer):
    said = answerer.ask("Wat zegt de nota over privacy?")
    where = answerer.ask("Waar komt privacy voor in de nota?")
    assert where.citations and {c.quote for c in where.citations} == {c.quote for c in said.citations}


def test_a_topic_the_documents_say_nothing_about_is_declined(answerer):
    assert answerer.ask("Wat zegt de nota over de Omgevingswet?").abstained


def test_sentences_of_two_documents_at_the_same_place_are_not_one():
    one = Span(doc_id="nota", quote="Gegevens worden gedeeld.", start=10, end=40)
    other = Span(doc_id="motie", quote="De Kamer verzoekt de regering.", start=12, end=44)
    assert not one.overlaps(other)
    assert one.overlaps(Span(doc_id="nota", quote="worden gedeeld. En meer.", start=20, end=50))
    assert not one.overlaps(Span(doc_id="nota", quote="Een voetnoot.", footnote=3, start=10, end=10))


def test_an_english_question_about_a_dutch_document_finds_its_topic_through_translation(answerer):
    answer = answerer.ask("What does the nota say about citizens?")
    assert {c.doc_id for c in answer.citations} == {"nota"}
    assert sum("burgers" in c.quote for c in answer.citations) >= 2
