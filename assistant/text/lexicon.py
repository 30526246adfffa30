"""Words across languages: the Dutch–English pairs of `assistant/rules/lexicon/nl-en.tsv` (from the FreeDict
dictionaries) and `nl-en.policy.tsv` (the words of policy documents they lack), see the README there.

An English word is looked up by its English stem ("citizens" as "citizen"); a Dutch one as written, then in its
dictionary form ("gemeenten" as "gemeente", "taken" as "taak", "definieert" as "definiëren", "opgeslagen" as
"opslaan"): the lexical index's Dutch stemmer, which reads both languages alike, makes one stem of "gemeente" and
"gemeen" and would mix their translations.

A translation is the dictionary form of a word ("drijven", "opslaan"); a document may hold it only inflected or in
a compound verb ("gedreven", "opgeslagen", "voortgedreven"). `lemma` gives a word its dictionary form (simplemma's
tables, which ship in the package), for a question's words as for a document's, so the two can be matched.

The embedder alone cannot bridge the two languages word by word: a Dutch word and its English translation, each
embedded alone, are hardly closer (cosine 0.89–0.91) than two unrelated words (0.85–0.87). A dictionary is
precise where it has the word, and says nothing where it has not.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib.resources import files
from typing import Any

from assistant.text.normalize import fold, unaccented
from assistant.text.spelling import american

LANGUAGES = ("nl", "en")
# The general dictionary, and the words of policy documents it lacks ("toezicht" / "oversight", "uitkomst" /
# "outcome"), kept by hand; see the README there.
WORD_LISTS = ("nl-en.tsv", "nl-en.policy.tsv")


@cache
def _english() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def _key(word: str, language: str) -> str:
    """How `word` stands in the dictionary as read (without accents: "definieren" finds "definiëren"), an English
    word by its stem."""
    word = unaccented(fold(word).lower()).removesuffix("'s")
    return _english().stemWord(american(word)) if language == "en" else word


def _keys(word: str, language: str) -> list[str]:
    """The forms under which `word` may stand in the dictionary, the likeliest first: a Dutch word as written,
    then in its dictionary form (plurals, inflected adjectives, a verb's forms)."""
    key = _key(word, language)
    return [key] if language == "en" else list(dict.fromkeys([key, lemma(key, language)]))


@cache
def _pairs() -> dict[str, dict[str, frozenset[str]]]:
    """For each language: a word as the dictionary is read (`_key`), with the words that translate it."""
    folder = files("assistant").joinpath("rules", "lexicon")
    text = "\n".join(folder.joinpath(name).read_text(encoding="utf-8").strip() for name in WORD_LISTS)
    found: dict[str, defaultdict[str, set[str]]] = {lang: defaultdict(set) for lang in LANGUAGES}
    for line in text.splitlines():
        nl, en = line.split("\t")
        for word, other, lang in ((nl, en, "nl"), (en, nl, "en")):
            found[lang][_key(word, lang)].add(other)
    return {lang: {key: frozenset(words) for key, words in table.items()} for lang, table in found.items()}


def translations(word: str, language: str) -> frozenset[str]:
    """The words of the other language that translate `word`, a word of `language` ("nl" or "en"); none for a
    word the dictionary lacks or a language it does not hold."""
    table = _pairs().get(language, {})
    return next((table[key] for key in _keys(word, language) if key in table), frozenset())


def lemma(word: str, language: str) -> str:
    """The dictionary form of `word`, a word of `language` ("opgeslagen" -> "opslaan", "gemeenten" ->
    "gemeente"), without accents as the dictionary is read; `word` itself where simplemma does not know it. A
    separable verb is one word, as the dictionary writes it ("deel_nemen" -> "deelnemen")."""
    import simplemma

    return unaccented(fold(simplemma.lemmatize(word, lang=language)).lower()).replace("_", "")
