"""Word tokens for the lexical index and for comparing words: one reading of text for documents and questions.

Here, below the index, so that answering, citing and evaluating can compare words the way BM25 does without
importing the index.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from assistant.text import rules
from assistant.text.normalize import fold, unaccented
from assistant.text.spelling import american

# How `lexical_tokens` reads text: bump `lexical` in `assistant/index/versions.py` when it changes, and an index
# tokenised otherwise gets its BM25 index anew.
_WORD = re.compile(r"[^\W\d_]{3,}")

_TOKEN = re.compile(r"[^\W_]+")
# A letter alone is no word: the "s" of "thema's", the "t" of "'t", the "e" of "e-mail", a list's "a."
_LETTER = re.compile(r"[^\W\d_]")


# An English text's stems are marked so that no Dutch stem meets them: the Dutch stemmer reads English words
# poorly ("registers" -> "regi", "registered" unchanged), the English one reads Dutch words poorly ("algoritmes"
# and "algoritmen" become one stem), so each language's texts are stemmed by their own and a question by both.
ENGLISH = "en:"


@lru_cache(maxsize=1)
def _analyzer() -> tuple[frozenset[str], dict[str, Any]]:
    import Stemmer
    from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

    stemmers = {"nl": Stemmer.Stemmer("dutch"), "en": Stemmer.Stemmer("english")}
    return frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN), stemmers


def lexical_tokens(text: str, language: str | None = "nl") -> list[str]:
    """Lower-cased, stop-word-free, stemmed word tokens for BM25, read from the folded text without accents and in
    American spelling: "thema's" and "thema’s", "ideeën" and "ideeen", "centres" and "centers" are the same words.
    A text in English (`language` "en") is stemmed by the English stemmer and its stems are marked (`ENGLISH`);
    any other by the Dutch one, as a question's words are compared with each other and with answers."""
    return [stem for _, stem in lexical_words(text, language)]


def lexical_words(text: str, language: str | None = "nl") -> list[tuple[str, str]]:
    """`lexical_tokens` with the word each stem was read from, for comparing words by meaning."""
    words = _words(text)
    return list(zip(words, _stems(words, language), strict=True))


def query_tokens(text: str) -> list[str]:
    """A query's tokens for BM25: its words stemmed as a Dutch text's and as an English text's are, so that it
    meets the documents of either language in their own stems (a word said twice counts twice, in each)."""
    words = _words(text)
    return [*_stems(words, "nl"), *_stems(words, "en")]


def stem_forms(text: str) -> dict[str, set[str]]:
    """Each stem of `text` as `lexical_tokens` reads it, with the forms a document may hold its word in: that stem,
    and the word's stem read as English, so a question's word meets it in a document of either language."""
    words = _words(text)
    stems: dict[str, set[str]] = {}
    for stem, english in zip(_stems(words, "nl"), _stems(words, "en"), strict=True):
        stems.setdefault(stem, {stem}).add(english)
    return stems


def _words(text: str) -> list[str]:
    """The words of `text` that `lexical_tokens` stems: folded, without accents, lower-cased, no stop words and
    no letter alone."""
    stopwords, _ = _analyzer()
    return [w for w in _TOKEN.findall(unaccented(fold(text)).lower())
            if w not in stopwords and not _LETTER.fullmatch(w)]


def _stems(words: list[str], language: str | None) -> list[str]:
    """`words` stemmed in American spelling: by the English stemmer and marked (`ENGLISH`) for "en", by the
    Dutch one for any other language."""
    _, stemmers = _analyzer()
    spelled = [american(w) for w in words]
    if language == "en":
        return [ENGLISH + s for s in stemmers["en"].stemWords(spelled)]
    return stemmers["nl"].stemWords(spelled)


@cache
def question_stems() -> frozenset[str]:
    """The stems of the words that shape a question but say nothing about its subject ("welke", "volgens",
    "brief"; `question_words` in `assistant/rules/words.toml`): one set for answering and for reading what a
    question asks of a document."""
    return frozenset(lexical_tokens(rules.words("question_words")))


def vocabulary(texts: Iterable[str]) -> dict[str, str]:
    """Every stem of `texts` (stop words and short words aside) with its commonest word, the one embedded so a
    question in another language can find the documents' own words by meaning. The stems are those
    `lexical_tokens` gives any text (the Dutch stemmer's, the one a question's words are compared in); the words
    keep their accents for the embedder."""
    stopwords, stemmers = _analyzer()
    counts = Counter(w for t in texts for w in _WORD.findall(fold(t).lower()) if unaccented(w) not in stopwords)
    words = [w for w, _ in counts.most_common()]
    forms: dict[str, str] = {}
    for word, stem in zip(words, stemmers["nl"].stemWords([american(unaccented(w)) for w in words]), strict=True):
        forms.setdefault(stem, word)
    return forms
