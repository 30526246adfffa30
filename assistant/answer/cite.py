"""Attribution and verification: which numbered quote supports each sentence a model wrote, if any.

A model may drop markers, cite the wrong number, invent a source, or add facts; none of that may reach a
user as a cited claim. The check is deterministic and runs offline:

* a sentence's support by its quotes is the share of its content words (stemmed, stop words removed) that
  they contain, and the share of its pairs of neighbouring content words that stand together in them too (so
  "Kamer van Koophandel" is not supported by "Kamer" and "van Koophandel" far apart); a word they lack counts
  as the word of theirs nearest in meaning when the two are alike enough (`words_alike`: "stimuleren" for
  "bevorderen"); sentence and quotes are read in the answer's language, so an English answer over English quotes
  meets them in English stems ("registered" and "registers" one word); for a quote in another language than the
  answer (English over Dutch) the embedding similarity of sentence and quote counts instead;
* a sentence must add something to the question: one that only restates it is no answer;
* every number (in digits or spelled out; as written or by its value) and link in the sentence must occur in the
  quotes it cites, and so must every name written with capitals (an acronym: a swapped actor) and, where the
  quotes are in the answer's language, every word capitalised inside the sentence (a country, an organisation);
  a sentence negated where its quotes are not, or the reverse, is not supported
  (`assistant/rules/verification.toml`);
* a cited quote that shares nothing with its sentence is dropped; a sentence without a (valid) marker is
  attributed to the quote that supports it best; a sentence no quote supports is removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from assistant.text import rules
from assistant.text.normalize import fold, writes_other
from assistant.text.sentences import sentence_spans
from assistant.text.tokens import ENGLISH, lexical_tokens, lexical_words

Similarity = Callable[[str, Sequence[str]], list[float]]
# how alike in meaning each of some words is to each of others (a matrix, rows the first words), from 0 to 1
WordsAlike = Callable[[Sequence[str], Sequence[str]], np.ndarray]

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Numbers a model may spell out: checked like digits ("vijf labs" is not supported by "zeven labs").
NUMBER_WORDS = {w: str(n) for w, n in rules.numbers().items()}
# A marker group after the full stop ("… labs. [2]" or "… labs.[2]") belongs to the sentence before it.
_TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
NO_ANSWER = ("GEEN ANTWOORD", "NO ANSWER")
_NEGATION = rules.rule("verification", "negation")
_NAME = rules.rule("verification", "name")
_PROPER_NAME = rules.rule("verification", "proper-name")


@dataclass
class Claim:
    """A verified sentence (markers removed) and the 0-based indices of the quotes that support it."""

    text: str
    sources: list[int]


@dataclass
class Verification:
    claims: list[Claim] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    declined: bool = False  # the model said the sources do not answer


def _terms(text: str, language: str) -> set[str]:
    return set(lexical_tokens(text, language))


def _numbers(text: str, language: str) -> list[set[str]]:
    """The numbers in a text, in digits or spelled out, each as it is written and as the value its language's
    separators give it: "1.870" in Dutch and "1,870" in English are both 1870, "7,4" and "7.4" both 7.4; a model
    that translates a quote writes its numbers either way."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return ([{n, _value(n, language)} for n in _NUMBER.findall(text)]
            + [{NUMBER_WORDS[w]} for w in words if w in NUMBER_WORDS])


def _value(number: str, language: str) -> str:
    """A number's value without its thousands separators, its decimal sign a point ("1.870,5" -> "1870.5" in
    Dutch); as written when its separators do not fit the language."""
    thousands, decimal = (",", ".") if language == "en" else (".", ",")
    whole, _, fraction = number.partition(decimal)
    if decimal in fraction or not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})*|\d+", whole):
        return number
    return whole.replace(thousands, "") + (f".{fraction}" if fraction else "")


def _sentences(text: str) -> list[tuple[str, list[int]]]:
    """Sentences with the marker numbers they carry; a marker standing after the full stop still belongs."""
    text = _TRAILING_MARKERS.sub(lambda m: f" {m.group(2).strip()}{m.group(1)}", text)
    out: list[tuple[str, list[int]]] = []
    for a, b in sentence_spans(text):
        piece = text[a:b]
        numbers = [int(n) for group in _MARKERS.findall(piece) for n in re.split(r"\s*[,;]\s*", group)]
        words = " ".join(_MARKERS.sub("", piece).split())
        words = re.sub(r"\s+([.,;:!?])", r"\1", words)
        if not re.search(r"[^\W\d_]", words) and out:  # only markers: they belong to the sentence before
            out[-1][1].extend(numbers)
        elif words:
            out.append((words, numbers))
    return out


@dataclass
class _Quotes:
    """The numbered quotes, prepared once for checking every sentence against them."""

    raw: Sequence[str]
    plain: list[str]
    words: list[list[tuple[str, str]]]  # each quote's (word, stem) pairs, read once
    terms: list[set[str]]
    pairs: list[set[tuple[str, str]]]
    min_support: float
    min_pair_support: float
    min_similarity: float
    words_alike: WordsAlike | None = None
    min_word_similarity: float = 1.0
    language: str = "nl"
    languages: list[str] = field(default_factory=list)  # each quote's
    other: list[bool] = field(default_factory=list)  # whether each quote is in another language than the answer

    def support(self, sentence: str, cited: list[int], similar: list[float]) -> bool:
        """The cited quotes together carry the sentence: its numbers and links, and its words or meaning."""
        if not cited:
            return False
        together = " ".join(self.plain[i] for i in cited)
        quoted = set().union(*(n for i in cited for n in _numbers(self.plain[i], self.languages[i])))
        if any(not n & quoted for n in _numbers(fold(sentence), self.language)):
            return False
        if any(link.lower().rstrip(".,;)") not in together for link in _LINK.findall(sentence)):
            return False
        said = " ".join(fold(self.raw[i]) for i in cited)
        if set(_NAME.findall(sentence)) - set(_NAME.findall(said)):
            return False
        if len(_NEGATION.findall(fold(sentence))) % 2 != len(_NEGATION.findall(said)) % 2:
            return False
        if not any(self.other[i] for i in cited):
            held = set().union(*(self.terms[i] for i in cited))  # the quotes' stems, read once
            if any(not set(lexical_tokens(name, self.language)) <= held for name in _PROPER_NAME.findall(sentence)):
                return False
        if max(similar[i] for i in cited) >= self.min_similarity:
            return True
        stems = self._as_quoted(sentence, [w for i in cited if not self.other[i] for w in self.words[i]])
        terms, pairs = set(stems), set(pairwise(stems))
        words = len(terms & set().union(*(self.terms[i] for i in cited))) / len(terms)
        order = len(pairs & set().union(*(self.pairs[i] for i in cited))) / len(pairs) if pairs else 1.0
        return words >= self.min_support and order >= self.min_pair_support

    def _as_quoted(self, sentence: str, quoted: list[tuple[str, str]]) -> list[str]:
        """The sentence's stems, a word the quotes lack replaced by the quotes' word nearest in meaning when it
        is alike enough: "stimuleren" reads as "bevorderen" when the quote says that, "overrule" as "override".
        Only words of quotes in the answer's language, and only for a sentence wholly in it: read word by word,
        "cabinet" is as alike to "kabinet" as a synonym, and a sentence that mixes in the other language would
        pass as their paraphrase."""
        read = lexical_words(sentence, self.language)
        known = {stem for _, stem in quoted}
        missing = [i for i, (word, stem) in enumerate(read) if stem not in known and word.isalpha()]
        if not missing or not quoted or self.words_alike is None or writes_other(sentence, self.language):
            return [stem for _, stem in read]
        alike = self.words_alike([read[i][0] for i in missing], [word for word, _ in quoted])
        stems = [stem for _, stem in read]
        for row, i in zip(alike, missing, strict=True):
            if row.max() >= self.min_word_similarity:
                stems[i] = quoted[int(row.argmax())][1]
        return stems


def verify(text: str, quotes: Sequence[str], question: str, *, min_support: float, min_pair_support: float,
           language: str = "nl", quote_languages: Sequence[str] | None = None, similarity: Similarity | None = None,
           min_similarity: float = 1.0, words_alike: WordsAlike | None = None,
           min_word_similarity: float = 1.0) -> Verification:
    """Keep the sentences of `text` that `quotes` support, each with the quotes that support it.

    `text` is read in `language`, and so are the quotes. `similarity` is given when the answer may be in another
    language than some quote (`quote_languages`, each quote's; without it, a given `similarity` says they all are):
    a sentence is then also supported by such a quote whose embedding similarity reaches `min_similarity`. A quote
    in the answer's own language supports it by its words only. `words_alike`, when given, lets a word the quotes
    lack count as theirs when it is as alike as `min_word_similarity` to one of their words.
    """
    result = Verification()
    if text.strip().strip("*_\"'“”").upper().startswith(NO_ANSWER):
        result.declined = True
        return result
    read = [lexical_words(q, language) for q in quotes]
    stems = [[stem for _, stem in words] for words in read]
    check = _Quotes(quotes, [fold(q).lower() for q in quotes], read, [set(q) for q in stems],
                    [set(pairwise(q)) for q in stems], min_support, min_pair_support, min_similarity, words_alike,
                    min_word_similarity, language, list(quote_languages or [language] * len(quotes)),
                    [q != language for q in quote_languages] if quote_languages is not None
                    else [similarity is not None] * len(quotes))
    seen = [_terms(question, language)]  # a sentence that only restates the question, or an earlier one, adds nothing
    for sentence, numbers in _sentences(text):
        terms = _terms(sentence, language)
        if not any(t.removeprefix(ENGLISH).isalpha() for t in terms) or any(terms <= s for s in seen):
            continue  # no words, or nothing new
        shared = [len(terms & q) for q in check.terms]
        similar = ([s if o else 0.0 for s, o in zip(similarity(sentence, quotes), check.other, strict=True)]
                   if similarity else [0.0] * len(quotes))
        cited = [n - 1 for n in dict.fromkeys(numbers)
                 if 0 < n <= len(quotes) and (shared[n - 1] or similar[n - 1] >= min_similarity)]
        if not check.support(sentence, cited, similar):
            best = max(range(len(quotes)), key=lambda i: (similar[i], shared[i]), default=None)
            cited = [] if best is None else [best]
            if not check.support(sentence, cited, similar):
                result.removed.append(sentence)
                continue
        seen.append(terms)
        result.claims.append(Claim(sentence, cited))
    return result
