"""How an answer introduces its quotes: the quotes' language is named only where it differs from the question's,
whichever the two languages are."""

from __future__ import annotations

import pytest

from assistant.answer.compose import frame, quoted, references
from assistant.enrich.refs.model import Reference
from assistant.text.normalize import language_of
from assistant.types import Citation

DUTCH = "Het kabinet zet in op de coalities voor de digitale samenleving."
ENGLISH = "The cabinet invests in the coalitions for the digital society."


def cite(n: int, quote: str, language: str) -> Citation:
    return Citation(n=n, doc_id="d", quote=quote, page=1, section="", title="T", chunk_id="c", start=0, end=1,
                    language=language)


@pytest.mark.parametrize(("asked", "languages", "expected"), [
    ("nl", ["nl"], ""),
    ("en", ["en"], "The documents say: "),
    ("en", ["nl", "nl"], "The documents say (quoted in Dutch): "),
    ("nl", ["en"], "De documenten zeggen (geciteerd in het Engels): "),
    ("en", ["en", "nl"], "The documents say (partly quoted in Dutch): "),
    ("nl", ["nl", "en"], "De documenten zeggen (deels geciteerd in het Engels): "),
])
def test_the_frame_names_the_quotes_language_only_when_it_is_not_the_questions(asked, languages, expected):
    citations = [cite(i, DUTCH if lg == "nl" else ENGLISH, lg) for i, lg in enumerate(languages, 1)]
    assert frame(citations, asked) == expected


def test_a_dutch_answer_quoting_dutch_is_the_quotes_with_their_markers():
    assert quoted([cite(1, DUTCH, "nl")], "nl") == f"{DUTCH} [1]"


def test_a_dutch_answer_quoting_an_english_paper_sets_the_quote_off():
    assert quoted([cite(1, ENGLISH, "en")], "nl") == f"De documenten zeggen (geciteerd in het Engels): “{ENGLISH}” [1]"


def test_references_name_the_titles_language_only_when_it_differs():
    ref = Reference(id="kst-1-2", kind="kamerstuk", identifier="Kamerstukken II 2022/23, 1, nr. 2", title="Visie",
                    date=None, names=[], places=[])
    dutch = references([(ref, cite(1, "Kamerstukken II 2022/23, 1, nr. 2", "nl"))], "en")
    english = references([(ref, cite(1, "Kamerstukken II 2022/23, 1, nr. 2", "en"))], "en")
    assert dutch.startswith("The documents cite (titles in Dutch): ")
    assert english.startswith("The documents cite: ")


def test_a_quote_without_function_words_takes_its_documents_language():
    reference = "Kamerstukken II 2022/23, 26 643, nr. 1055"
    assert language_of(reference, "en") == "en"
    assert language_of(reference, "nl") == "nl"
    assert language_of(ENGLISH, "nl") == "en"
    assert language_of(DUTCH, "en") == "nl"
