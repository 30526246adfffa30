"""Words across languages: the Dutch–English pairs of `assistant/rules/lexicon/nl-en.tsv` (from the FreeDict
dictionaries, see the README there).

An English word is looked up by its English stem ("citizens" as "citizen"); a Dutch one as written, then without
a plural, adjective or verb ending ("gemeenten" as "gemeente", "taken" as "taak", "kunstmatige" as "kunstmatig",
"grote" as "groot", "definieert" as "definiëren"): the lexical index's Dutch stemmer, which reads both languages
alike, makes one stem of "gemeente" and "gemeen" and would mix their translations.

A translation is the dictionary form of a word ("drijven", "opslaan"); a document may hold it only inflected or in
a compound verb ("gedreven", "opgeslagen", "voortgedreven"). `lemma` gives a document's word its dictionary form
(simplemma's tables, which ship in the package), so the two can be matched.

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
_VOWELS = "aeiou"


@cache
def _english() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def _keys(word: str, language: str) -> list[str]:
    """The forms under which `word` may stand in the dictionary, the likeliest first (without accents, as the
    dictionary is read: "definieren" finds "definiëren")."""
    word = unaccented(fold(word).lower()).removesuffix("'s")
    if language == "en":
        return [_english().stemWord(american(word))]
    keys = [word]
    # plurals (doelen, burgers, thema's, gemeenten) and inflected adjectives (kunstmatige, digitale, slimme)
    for ending in ("en", "e", "s", "n"):
        if not word.endswith(ending) or len(stem := word[: -len(ending)]) < 3:
            continue
        if ending in ("en", "e") and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:  # wetten: wet
            keys += [stem[:-1], stem]
        elif ending in ("en", "e") and _open(stem):
            keys += [stem[:-1] + stem[-2] + stem[-1], stem]  # taken: taak (an open syllable's long vowel)
        else:
            keys.append(stem)
    for ending in ("t", "de", "te", "den", "ten"):  # verbs: "definieert", "beschrijft", "stemde"
        if word.endswith(ending) and len(root := word[: -len(ending)]) >= 3:
            keys += _infinitives(root)
    return keys


def _open(stem: str) -> bool:
    """Whether the last syllable of `stem` (before "-en") is open with a single vowel: "tak" in "taken"."""
    return len(stem) >= 3 and stem[-2] in _VOWELS and stem[-3] not in _VOWELS and stem[-1] not in _VOWELS


def _infinitives(root: str) -> list[str]:
    """The infinitives a Dutch verb's root ("definieer", "beschrijf", "stem") may have, the likeliest first."""
    root = root[:-1] + {"f": "v", "s": "z"}.get(root[-1], root[-1]) if root[-1] in "fs" else root
    if len(root) >= 4 and root[-2] == root[-3] and root[-2] in _VOWELS and root[-1] not in _VOWELS:
        return [root[:-2] + root[-1] + "en"]  # definieer: definieren
    if _open(root):
        return [root + root[-1] + "en", root + "en"]  # stem: stemmen; ontwikkel: ontwikkelen
    return [root + "en"]


@cache
def _pairs() -> dict[str, dict[str, frozenset[str]]]:
    """For each language: a word's dictionary form (`_keys`' first), with the words that translate it."""
    text = files("assistant").joinpath("rules", "lexicon", "nl-en.tsv").read_text(encoding="utf-8")
    found: dict[str, defaultdict[str, set[str]]] = {lang: defaultdict(set) for lang in LANGUAGES}
    for line in text.splitlines():
        nl, en = line.split("\t")
        for word, other, lang in ((nl, en, "nl"), (en, nl, "en")):
            found[lang][_keys(word, lang)[0]].add(other)
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
