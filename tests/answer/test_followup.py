"""Follow-up questions: read together with the question before them when they lean on it, by the fitted weighing
of the signs that they do (`answer.followup.leans_on`, `assistant/rules/followup.toml`)."""

from __future__ import annotations

import pytest

from assistant.answer.answerer import Answerer, Turn
from assistant.answer.followup import leans_on, signs
from assistant.text import rules


@pytest.fixture(scope="module")
def answerer(bundled):
    return Answerer(bundled, "extractive")


def test_follow_up_that_refers_back_is_read_with_the_previous_question(answerer):
    first = "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?"
    follow_up = "Met wie gaat de staatssecretaris de aanpak daarvan coördineren?"
    assert answerer.standalone(follow_up, [Turn(first)]) == (follow_up, first)
    answer = answerer.ask(follow_up, [Turn(first, "…")])
    assert any("regeringscommissaris informatiehuishouding" in c.quote for c in answer.citations), answer.answer
    assert any("previous question" in n for n in answer.notices)
    # a question that stands on its own is not mixed with the one before
    assert answerer.standalone("Wat is de Basis Data Infrastructuur?", [Turn(first)]) == (
        "Wat is de Basis Data Infrastructuur?", "")


def test_follow_up_with_a_demonstrative_is_read_with_the_previous_question(answerer):
    first = "Welke partijen zitten in de coalitie rond geo-informatie die onder thema 3 wordt genoemd?"
    follow_up = "Waar werkt die coalitie aan?"
    assert answerer.standalone(follow_up, [Turn(first)]) == (follow_up, first)
    answer = answerer.ask(follow_up, [Turn(first)])
    assert "geodatafundament" in answer.answer and not answer.abstained, answer.answer
    assert "geodatafundament" not in answerer.ask(follow_up).answer  # alone, "die coalitie" could be any
    # "die" further on is a relative pronoun: such a question stands on its own
    own = "Welke partijen zitten in de coalitie die werkt aan een geodatafundament?"
    assert answerer.standalone(own, [Turn(first)]) == (own, "")


def test_a_question_that_goes_on_with_en_is_read_with_the_one_before(answerer):
    """No word of it points back, and it has two terms of its own: the rule it replaces read it alone, and the
    answer led with what the documents say of actielijnen in general."""
    first = "Welke organisaties vormen de coalitie voor digitale ethiek?"
    follow_up = "En welke actielijnen heeft de coalitie?"
    assert answerer.standalone(follow_up, [Turn(first)]) == (follow_up, first)
    answer = answerer.ask(follow_up, [Turn(first)])
    assert "Concreet werkt deze coalitie aan drie actielijnen" in answer.citations[0].quote, answer.answer
    alone = answerer.ask(follow_up)
    assert "drie actielijnen" not in alone.citations[0].quote, alone.answer


def test_the_signs_weigh_together():
    """A question with many terms of its own and none of the previous one's stands alone, although it opens with
    a demonstrative; a short one that points back does not; the words it shares with the previous one count."""
    before = "Wat doet de coalitie voor digitale ethiek?"
    assert leans_on("And when was it sent?", "Who signed the letter?") > 0.9
    assert leans_on("Hoe draagt de agenda bij aan de verduurzaming van datacenters in Nederland en Europa?",
                    "Wat betekent NOLAI?") < 0.5
    shared = leans_on("Welke instrumenten wil de coalitie toetsen?", before)
    assert shared > leans_on("Welke instrumenten wil de regering toetsen?", before)
    assert signs("Welke instrumenten wil de coalitie toetsen?", before)["shared"] == pytest.approx(1 / 3)


def test_the_fitted_weights_are_those_of_the_signs():
    """`evals/fit_followup.py` writes one weight per sign; a sign added or renamed without refitting fails here."""
    model = rules.table("followup", "model")
    assert set(model["weights"]) == set(signs("Wie?", "Wat?"))
    assert 0 < model["threshold"] < 1


def test_a_follow_up_of_nothing_but_what_it_asks_is_the_previous_question_asked_again(answerer):
    """Read together with the question before it, "En wanneer?" has no word of its own: the signature came again."""
    first = "Wie heeft de brief ondertekend?"
    assert answerer.standalone("En wanneer?", [Turn(first)]) == ("Wanneer heeft de brief ondertekend?", "")
    dated = answerer.ask("En wanneer?", [Turn(first)])
    assert [c.quote for c in dated.citations] == ["Den Haag, 7 juli 2023"], dated.answer
    assert "understood as: Wanneer heeft de brief ondertekend?" in dated.notices
    # a chain of them: the one before is read as it was understood
    history = [Turn(first), Turn("En wanneer?")]
    assert answerer.standalone("En aan wie?", history) == ("Aan wie heeft de brief ondertekend?", "")
    addressed = answerer.ask("En aan wie?", history)
    assert addressed.citations[0].quote == "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
    english = answerer.ask("And when?", [Turn("Who signed the letter?")])
    assert [c.quote for c in english.citations] == ["Den Haag, 7 juli 2023"], english.answer
    # a follow-up with words of its own is no such question
    assert answerer.standalone("En wanneer is de brief verstuurd?", [Turn(first)])[0] == (
        "En wanneer is de brief verstuurd?")


def test_a_question_asked_again_is_still_read_with_what_the_one_it_repeats_leaned_on(answerer):
    """"Door wie?" after "Wat is de Werkagenda …?" and "Wanneer is die naar de Kamer gestuurd?" is "Door wie is
    die naar de Kamer gestuurd?", and "die" is still the Werkagenda: asked again alone, it was answered with the
    Minister van EZK sending an action plan to the Kamer."""
    first = "Wat is de Werkagenda Waardengedreven Digitaliseren?"
    history = [Turn(first), Turn("Wanneer is die naar de Kamer gestuurd?")]
    assert answerer.standalone("Door wie?", history) == ("Door wie is die naar de Kamer gestuurd?", first)
    answer = answerer.ask("Door wie?", history)
    assert any("4 november 2022" in c.quote and "Werkagenda" in c.quote for c in answer.citations), answer.answer
    assert not any("Minister van EZK" in c.quote for c in answer.citations), answer.answer
    assert answer.notices[-2:] == ["understood as: Door wie is die naar de Kamer gestuurd?",
                                   f"read together with the previous question: {first}"]


def test_a_chain_of_follow_ups_is_read_with_the_question_that_set_its_subject(answerer):
    """"Waar werkt die coalitie aan?" after "Wie doen daaraan mee?" leans on the geo-information coalition the
    question before that one names: read with "Wie doen daaraan mee?" alone, "die coalitie" was any, and the answer
    quoted what coalitions in general do."""
    first = "Welke coalitie werkt aan geo-informatie?"
    second = "Wie doen daaraan mee?"
    follow_up = "Waar werkt die coalitie aan?"
    history = [Turn(first), Turn(second)]
    assert answerer.standalone(follow_up, history) == (follow_up, f"{first} {second}")
    answer = answerer.ask(follow_up, history)
    assert "geodatafundament" in answer.citations[0].quote, answer.answer
    assert f"read together with the previous questions: {first} {second}" in answer.notices
    # a question that stood on its own ends the chain: what came before it is not carried further
    history = [Turn(first), Turn("Wat is de Basis Data Infrastructuur?")]
    assert answerer.standalone("Wie doen daaraan mee?", history) == (
        "Wie doen daaraan mee?", "Wat is de Basis Data Infrastructuur?")
    # at most three earlier questions are carried along
    many = [Turn(first), *(Turn(q) for q in [second, "En wie betaalt dat?", "Wie leidt die coalitie?"])]
    assert answerer.standalone(follow_up, many)[1] == f"{second} En wie betaalt dat? Wie leidt die coalitie?"
