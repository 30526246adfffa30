"""The Dutch–English word pairs: looked up the way questions write words, in both directions."""

import pytest

from assistant.text.lexicon import translations


@pytest.mark.parametrize(("word", "language", "expected"), [
    ("goals", "en", "doel"),  # an English plural, by its English stem
    ("citizens", "en", "burger"),
    ("government", "en", "overheid"),
    ("doelen", "nl", "goal"),  # a Dutch plural: "doel"
    ("gemeenten", "nl", "community"),  # "gemeente", not "gemeen" (mean), which the Dutch stemmer confuses with it
    ("taken", "nl", "task"),  # "taak": an open syllable's long vowel
    ("definieert", "nl", "define"),  # a verb's form, by its infinitive: "definiëren"
    ("stemde", "nl", "vote"),  # "stemmen"
    ("Burgers", "nl", "citizen"),  # as typed at the start of a question
    ("thema’s", "nl", "theme"),  # either apostrophe
    ("thema's", "nl", "theme"),
    ("menselijk", "nl", "human"),  # the dictionaries write "ij" as one letter, "ĳ"
    ("human", "en", "menselijk"),
    ("tijd", "nl", "time"),
    ("kunstmatige", "nl", "artificial"),  # an inflected adjective, by its plain form
    ("grote", "nl", "big"),  # "groot": an open syllable's long vowel, not the verb "groen"
    ("slimme", "nl", "clever"),  # "slim"
    ("opgeslagen", "nl", "store"),  # a participle of a separable verb: "opslaan"
    ("ondertekend", "nl", "sign"),  # "ondertekenen"
    ("belemmeringen", "nl", "obstacle"),
    # the words of policy documents FreeDict lacks (`nl-en.policy.tsv`)
    ("toezicht", "nl", "oversight"),
    ("oversight", "en", "toezicht"),
    ("outcomes", "en", "uitkomst"),
    ("randvoorwaarden", "nl", "precondition"),
    ("digitalisering", "nl", "digitalisation"),
    ("meaningful", "en", "zinvol"),
])
def test_a_word_finds_its_translation(word, language, expected):
    assert expected in translations(word, language)


def test_the_wrong_senses_of_a_stem_stay_out():
    assert "abject" not in translations("gemeenten", "nl")  # "gemeen", not "gemeente"
    assert "branch" not in translations("taken", "nl")  # "tak", not "taak"


@pytest.mark.parametrize(("word", "language"), [
    ("sneltreinvaart", "nl"),  # not in the dictionary
    ("goals", "nl"),  # not a Dutch word
    ("goals", "de"),  # a language the dictionary does not hold
    ("", "en"),
])
def test_a_word_the_dictionary_lacks_has_no_translation(word, language):
    assert translations(word, language) == frozenset()


@pytest.mark.parametrize(("word", "language", "expected"), [
    ("opgeslagen", "nl", "opslaan"),  # a participle of a separable verb
    ("gedreven", "nl", "drijven"),
    ("voortgedreven", "nl", "voortdrijven"),
    ("gemeenten", "nl", "gemeente"),
    ("deelnemen", "nl", "deelnemen"),  # simplemma writes "deel_nemen"; the dictionary writes it as one word
    ("libraries", "en", "library"),
    ("onbekendwoord", "nl", "onbekendwoord"),  # a word simplemma does not know stays as it is
])
def test_a_documents_word_has_its_dictionary_form(word, language, expected):
    from assistant.text.lexicon import lemma

    assert lemma(word, language) == expected
