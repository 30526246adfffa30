"""What stands before a document's first section without being a sentence (its series, publisher and date
line) names the document, as every citation of it does: it is no evidence (`evidence.sentence-end`)."""

from __future__ import annotations

from conftest import indexed

from assistant.answer.answerer import Answerer

COLOPHON = "EPSIF Policy Paper No. 12, European Public Sector Innovation Forum, October 2024"
PAPER = f"""# Trustworthy AI in Public Administration

{COLOPHON}

This paper compares how twelve administrations govern the AI systems they use.

## Executive summary

Nine of the twelve administrations now publish information about the algorithms they use.

Only four of them require an impact assessment before an AI system is deployed.
"""


def test_the_colophon_is_no_evidence_but_a_sentence_before_the_first_section_is(tmp_path):
    answerer = Answerer(indexed(tmp_path, {"paper.md": PAPER}), "extractive")
    answer = answerer.ask("How many administrations publish information according to EPSIF Policy Paper No. 12?")
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Nine of the twelve administrations")
    assert all(COLOPHON not in c.quote for c in [*answer.citations, *answer.related])
    opening = answerer.ask("How many administrations does the EPSIF paper compare?")
    assert any(c.quote.startswith("This paper compares") for c in opening.citations)
