"""A list is quoted whole where it answers: the sentence it ran on into after its last item gives way to it; an
item that answers does not."""

from __future__ import annotations

from conftest import indexed

from assistant.answer.answerer import Answerer

MONITOR = """# Monitor digitale diensten 2025

## Conclusies en aanbevelingen

De monitor beschrijft hoe vaak burgers en bedrijven digitale diensten van de overheid gebruiken.
Het Bureau doet drie aanbevelingen:

- Stel een norm vast voor de hersteltijd van kritieke voorzieningen.
- Meet de tevredenheid van gebruikers elk kwartaal.
- Publiceer storingen binnen een dag op een centrale plek. In de monitor over 2026 rapporteert het Bureau
  over de opvolging van deze aanbevelingen.

## Gebruik

In 2025 logden burgers vaker in dan in enig jaar daarvoor.
"""


def test_a_list_takes_the_place_of_the_sentence_it_ran_on_into(tmp_path):
    """The sentence after the last item scores higher than the list that holds it (it names the monitor); the list
    was left out as overlapping it, and the answer quoted the last item alone."""
    answer = Answerer(indexed(tmp_path, {"monitor.md": MONITOR}), "extractive").ask(
        "What recommendations does the monitor make?")
    listed = [c for c in answer.citations if "drie aanbevelingen" in c.quote]
    assert listed, answer.answer
    assert all(item in listed[0].quote for item in ("Stel een norm", "Meet de tevredenheid", "Publiceer storingen"))
    spans = [(c.start, c.end) for c in answer.citations if c.footnote is None]
    assert not any(a < d and c < b for i, (a, b) in enumerate(spans) for (c, d) in spans[i + 1:]), spans


def test_an_item_that_answers_is_quoted_without_its_list(tmp_path):
    """The list holds the item too, but it is no better quote: the answer is the item."""
    answer = Answerer(indexed(tmp_path, {"monitor.md": MONITOR}), "extractive").ask(
        "Hoe vaak moet de tevredenheid van gebruikers worden gemeten?")
    assert answer.citations and "Meet de tevredenheid van gebruikers elk kwartaal" in answer.citations[0].quote
    assert not any("drie aanbevelingen" in c.quote for c in answer.citations), answer.answer
