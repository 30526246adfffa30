"""Word tokens by the language of the text: an English text is stemmed as English, any other as Dutch, and a
question meets both."""

from __future__ import annotations

from assistant.text.tokens import ENGLISH, lexical_tokens, query_tokens, stem_forms


def test_an_english_text_is_stemmed_as_english() -> None:
    assert lexical_tokens("registers surveyed studies policies", "en") == lexical_tokens(
        "registered survey study policy", "en")
    assert all(t.startswith(ENGLISH) for t in lexical_tokens("registers surveyed studies", "en"))


def test_english_stems_never_meet_dutch_ones() -> None:
    """"algoritmes" read as English and as Dutch: the marked English stem is no Dutch one."""
    assert not set(lexical_tokens("algoritmes data registers", "en")) & set(lexical_tokens("algoritmes data registers"))


def test_a_text_in_any_other_language_is_read_as_dutch() -> None:
    text = "De coalities werken aan de digitale samenleving"
    assert lexical_tokens(text) == lexical_tokens(text, "nl") == lexical_tokens(text, None) == lexical_tokens(
        text, "de")


def test_a_query_meets_both_readings_and_counts_a_repeated_word_twice() -> None:
    tokens = query_tokens("surveyed registers surveyed")
    assert tokens == [*lexical_tokens("surveyed registers surveyed"), *lexical_tokens(
        "surveyed registers surveyed", "en")]
    assert tokens.count(lexical_tokens("surveyed", "en")[0]) == 2


def test_stem_forms_give_each_dutch_stem_its_english_form() -> None:
    forms = stem_forms("surveyed gemeenten")
    assert set(forms) == set(lexical_tokens("surveyed gemeenten"))
    assert forms[lexical_tokens("surveyed")[0]] == {lexical_tokens("surveyed")[0], lexical_tokens("survey", "en")[0]}
