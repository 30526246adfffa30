"""One folding of text for every reader: each typographic variant a user or a rendering may write reads the same."""

from __future__ import annotations

import pytest

from assistant.text.normalize import (
    fold,
    language_of,
    match_key,
    recognised,
    shouted,
    unaccented,
    unshouted,
    writes_other,
    written_forms,
)
from assistant.text.tokens import lexical_tokens, vocabulary

# (as a document writes it, as a user or another rendering may write it)
VARIANTS = [
    ("thema’s", "thema's"),  # right single quote, straight apostrophe
    ("thema‘s", "thema`s"),  # left single quote, backtick
    ("«AI in actie»", '"AI in actie"'),  # guillemets, straight double quotes
    ("“AI in actie”", '"AI in actie"'),  # curly double quotes
    ("2022–2028", "2022-2028"),  # en dash
    ("2022—2028", "2022-2028"),  # em dash
    ("e‑overheid", "e-overheid"),  # non-breaking hyphen
    ("ﬁnanciering", "financiering"),  # ligature
    ("digi\u00adtalisering", "digitalisering"),  # soft hyphen
    ("zien¹⁰.", "zien."),  # footnote mark
    ("ＡＩ", "AI"),  # full-width letters
]


@pytest.mark.parametrize(("written", "typed"), VARIANTS)
def test_fold_makes_variants_equal(written: str, typed: str) -> None:
    assert fold(written) == fold(typed)
    assert match_key(written) == match_key(typed)


@pytest.mark.parametrize(("written", "typed"), VARIANTS)
def test_lexical_tokens_read_variants_alike(written: str, typed: str) -> None:
    assert lexical_tokens(f"De {written} van het kabinet") == lexical_tokens(f"De {typed} van het kabinet")


@pytest.mark.parametrize(("british", "american"), [
    ("organisation", "organization"), ("data centres", "data centers"), ("the programme", "the program"),
    ("analysed", "analyzed"),
])
def test_british_and_american_spellings_are_the_same_words(british: str, american: str) -> None:
    assert lexical_tokens(british) == lexical_tokens(american)
    assert vocabulary([british])[lexical_tokens(american)[-1]] == british.split()[-1]  # the word as written


def test_fold_keeps_case_accents_and_words() -> None:
    assert fold("Ideeën over Café") == "Ideeën over Café"
    assert fold("a footnote mark¹⁷ is not a number") == "a footnote mark is not a number"


def test_case_and_accents_do_not_change_the_words() -> None:
    assert lexical_tokens("IDEEËN voor de Coördinatie") == lexical_tokens("ideeen voor de coordinatie")
    assert unaccented("één café") == "een cafe"


def test_match_key_folds_case_spaces_and_line_breaks() -> None:
    assert match_key("Digitale\n  Samen-\nleving ") == match_key("digitale samen-leving")


def test_different_words_stay_different() -> None:
    assert lexical_tokens("thema's") != lexical_tokens("schema's")
    assert match_key("2022-2028") != match_key("2022-2029")


@pytest.mark.parametrize(("text", "words"), [
    ("Vier thema's zijn doorsnijdend.", ["vier", "thema", "doorsnijd"]),  # the "s" of a plural is no word
    ("Wat is 't doel van de e-mail?", ["doel", "mail"]),
    ("a. de scenario’s; b. Thema 4", ["scenario", "thema", "4"]),  # a digit alone is a number: it stays
])
def test_a_letter_alone_is_no_word(text: str, words: list[str]) -> None:
    """A sentence with "scenario’s" met the question's "thema's" as much as one with "thema" did: both held "s"."""
    assert lexical_tokens(text) == words


def test_vocabulary_keys_are_the_lexical_stems_and_words_keep_accents() -> None:
    forms = vocabulary(["De ideeën van de coördinatie", "Ideeën"])
    assert set(forms) == set(lexical_tokens("ideeën coördinatie"))
    assert "ideeën" in forms.values()


@pytest.mark.parametrize(("question", "language"), [
    ("Hoeveel scholen nemen deel aan NOLAI?", "nl"),
    ("Welk ministerie heeft de cybersecuritystrategie opgesteld?", "nl"),
    ("Kan het kabinet bij gemeenten uitvoeren?", "nl"),
    ("How many schools take part in NOLAI?", "en"),
    ("Which ministry wrote the cybersecurity strategy?", "en"),
])
def test_short_dutch_and_english_questions_are_recognised_in_their_language(question: str, language: str) -> None:
    assert recognised(question) and language_of(question) == language


def test_a_question_in_another_language_is_not_recognised() -> None:
    assert not recognised("Quelle est la stratégie numérique du gouvernement néerlandais pour l'avenir?")


@pytest.mark.parametrize(("text", "language", "other"), [
    ("Het kabinet stelt een adviesaanvraag op.", "nl", False),
    ("De coalitie is in 2023 gevormd.", "nl", False),  # "in" and "is" are Dutch too
    ("The cabinet stelt een adviesaanvraag op.", "nl", True),
    ("Which ministry leads the coalition?", "nl", True),
    ("Which ministry leads the coalition?", "en", False),
    ("The register is in use in 2025.", "en", False),  # "is" and "in" are English too
    ("The cabinet stelt een adviesaanvraag op.", "en", True),
])
def test_writes_other_spots_a_function_word_of_the_other_language(text, language, other):
    assert writes_other(text, language) is other


def test_a_question_in_capitals_is_read_with_its_words_as_the_documents_write_them() -> None:
    written = written_forms(["De Staatssecretaris van IenW, A.C. van Huffelen, schrijft de brief.",
                             "de brief van de staatssecretaris aan NOLAI"])
    assert written["IENW"] == "IenW" and written["DE"] == "de" and written["HUFFELEN"] == "Huffelen"
    assert written["STAATSSECRETARIS"] in {"Staatssecretaris", "staatssecretaris"}
    assert unshouted("WAT SCHRIJFT A.C. VAN HUFFELEN AAN NOLAI EN IENW?", written) == (
        "Wat schrijft A.C. van Huffelen aan NOLAI en IenW?")
    assert unshouted("WAT ZIJN DE VIER THEMA’S?") == "Wat zijn de vier thema’s?"  # unknown words: lower case


@pytest.mark.parametrize(("text", "capitals"), [
    ("WAT ZIJN DE VIER THEMA’S?", True),
    ("¿WHO SIGNED THE LETTER?", True),
    ("AI ACT?", False),  # two words in capitals may be a name
    ("Wat doet NOLAI voor de SER?", False),
    ("1055 2023 2040", False),
])
def test_only_a_question_wholly_in_capitals_is_read_as_typed_in_capitals(text: str, capitals: bool) -> None:
    assert shouted(text) is capitals
    assert (unshouted(text) == text) is not capitals
