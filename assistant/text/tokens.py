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


@lru_cache(maxsize=1)
def _analyzer() -> tuple[frozenset[str], Any]:
    import Stemmer
    from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

    return frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN), Stemmer.Stemmer("dutch")


def lexical_tokens(text: str) -> list[str]:
    """Lower-cased, stop-word-free, Dutch-stemmed word tokens for BM25 (documents and queries alike), read from
    the folded text without accents and in American spelling: "thema's" and "thema’s", "ideeën" and "ideeen",
    "centres" and "centers" are the same words."""
    return [stem for _, stem in lexical_words(text)]


def lexical_words(text: str) -> list[tuple[str, str]]:
    """`lexical_tokens` with the word each stem was read from, for comparing words by meaning."""
    stopwords, stemmer = _analyzer()
    words = [w for w in _TOKEN.findall(unaccented(fold(text)).lower())
             if w not in stopwords and not _LETTER.fullmatch(w)]
    return list(zip(words, stemmer.stemWords([american(w) for w in words]), strict=True))


@cache
def question_stems() -> frozenset[str]:
    """The stems of the words that shape a question but say nothing about its subject ("welke", "volgens",
    "brief"; `question_words` in `assistant/rules/words.toml`): one set for answering and for reading what a
    question asks of a document."""
    return frozenset(lexical_tokens(rules.words("question_words")))


def vocabulary(texts: Iterable[str]) -> dict[str, str]:
    """Every stem of `texts` (stop words and short words aside) with its commonest word, the one embedded so a
    question in another language can find the documents' own words by meaning. The stems are those of
    `lexical_tokens`; the words keep their accents for the embedder."""
    stopwords, stemmer = _analyzer()
    counts = Counter(w for t in texts for w in _WORD.findall(fold(t).lower()) if unaccented(w) not in stopwords)
    words = [w for w, _ in counts.most_common()]
    forms: dict[str, str] = {}
    for word, stem in zip(words, stemmer.stemWords([american(unaccented(w)) for w in words]), strict=True):
        forms.setdefault(stem, word)
    return forms
