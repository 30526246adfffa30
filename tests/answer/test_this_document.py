"""A question that names the document by a pronoun alone ("Wie heeft dit geschreven?", "Who signed it?") means
the one document in scope: the one it is filtered to, or the only one held. Over several, the assistant asks
which one is meant instead of answering from a sentence that shares the word "written"."""

from __future__ import annotations

import pytest
from conftest import MOTION_HEAD, indexed, manifest

from assistant.answer.answerer import Answerer, Turn
from assistant.enrich.colophon import stands_for_document
from assistant.retrieve import Filters

MOTION = MOTION_HEAD + """
De Kamer,

gehoord de beraadslaging,

overwegende dat niet iedereen digitaal zaken kan doen met de overheid;

verzoekt de regering, een niet-digitale terugvaloptie te garanderen,

en gaat over tot de orde van de dag.
"""
PAPER = """# Trustworthy AI in Public Administration

This paper compares how twelve administrations govern their AI systems.

Registers are most useful when entries are written in plain language.
"""
MOTION_ENTRY = {"id": "motie", "title": "Motie over een niet-digitale terugvaloptie", "kind": "motie",
                "language": "nl", "path": "motie.txt"}
PAPER_ENTRY = {"id": "paper", "title": "Trustworthy AI in Public Administration", "kind": "policy paper",
               "language": "en", "path": "paper.md"}


@pytest.fixture(scope="module")
def one(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("one")
    return Answerer(indexed(base, {"motie.txt": MOTION, "manifest.toml": manifest(MOTION_ENTRY)}), "extractive")


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    base = tmp_path_factory.mktemp("two")
    files = {"motie.txt": MOTION, "paper.md": PAPER, "manifest.toml": manifest(MOTION_ENTRY, PAPER_ENTRY)}
    return Answerer(indexed(base, files), "extractive")


@pytest.mark.parametrize(("question", "stands"), [
    ("Wie heeft dit geschreven?", True),
    ("Who signed it?", True),
    ("Wanneer is het ingediend?", True),
    ("Who is the author of this?", True),
    ("Aan wie is deze gericht?", True),
    ("Wie heeft dit rapport geschreven?", False),  # "dit rapport" names a kind of document
    ("Wat is het doel van de motie?", False),
    ("Wat betekent dit?", False),
])
def test_a_pronoun_stands_for_the_document_when_nothing_else_says_which(question, stands):
    assert stands_for_document(question) is stands


@pytest.mark.parametrize("question", ["Wie heeft dit ingediend?", "Who submitted this?"])
def test_over_the_only_document_held_a_pronoun_means_that_document(one, question):
    answer = one.ask(question)
    assert not answer.abstained
    assert "MOTIE VAN HET LID BROUWER-KAYA C.S." in [c.quote for c in answer.citations]
    assert all(c.doc_id == "motie" for c in answer.citations)


def test_over_several_documents_the_assistant_asks_which_one_is_meant(two):
    answer = two.ask("Who wrote this?")
    assert answer.abstained and answer.citations == []
    assert answer.answer.startswith("Which document do you mean?") and "2 are held" in answer.answer
    assert answer.related == []  # passages found for "this" are about nothing
    dutch = two.ask("Wie heeft dit geschreven?")
    assert dutch.abstained and dutch.answer.startswith("Welk document bedoelt u?")


def test_a_question_filtered_to_one_document_means_that_one(two):
    answer = two.ask("Wie heeft dit ingediend?", filters=Filters(doc_ids=["motie"]))
    assert not answer.abstained
    assert "Voorgesteld 17 april 2025 door het lid Brouwer-Kaya, mede namens de leden Van Dijkhuizen en El Amrani." in [
        c.quote for c in answer.citations]


def test_a_follow_up_means_the_document_its_earlier_question_found(two):
    answer = two.ask("Wie heeft dit ingediend?", [Turn("Wat vraagt de motie over een niet-digitale terugvaloptie?")])
    assert not answer.abstained
    assert "MOTIE VAN HET LID BROUWER-KAYA C.S." in [c.quote for c in answer.citations]


def test_what_it_is_about_means_the_document_in_scope_too(one, two):
    assert two.ask("Waar gaat het over?").answer.startswith("Welk document bedoelt u?")
    answer = one.ask("Waar gaat het over?")
    assert [c.quote for c in answer.citations] == [
        "verzoekt de regering, een niet-digitale terugvaloptie te garanderen,"]


def test_this_piece_is_the_document_itself(one):
    answer = one.ask("Van wanneer is dit stuk?")
    assert not answer.abstained and "17 april 2025" in answer.answer


@pytest.mark.parametrize("question", [
    "Wat vraagt de motie?", "Wat verzoekt de motie de regering?", "What does the motion ask the government to do?"])
def test_what_a_motion_asks_is_its_dictum(two, question):
    """Among other documents, a motion named by its kind is asked what it asks: its dictum answers, not a sentence
    that shares a word with the question."""
    answer = two.ask(question)
    assert answer.citations and answer.citations[0].quote == (
        "verzoekt de regering, een niet-digitale terugvaloptie te garanderen,"), answer.answer
