"""Judging one answer: whether its citations hold, whether retrieval found the evidence, and the record it leaves.

The judges are deterministic and offline, and none of them is the pipeline's own verifier (`assistant.answer.cite`):

* retrieval: a passage holds a gold quote (`holds`); recall@k and MRR come from the rank of the first passage
  holding each quote;
* citation recall: a gold evidence quote is cited when a citation's quote overlaps it (`overlaps`);
* citation precision: each citation is judged against the text its marker closes (`Judge`), as in ALCE
  (Gao et al., 2023): a citation is precise when its sentence is supported by all its citations together and
  this one is needed or enough on its own;
* quote fidelity: a quote stands verbatim in the document's files as the corpus holds them
  (`assistant.evaluation.gold.Sources`), not merely in the index the pipeline quotes from;
* keywords: every keyword group of the gold answer occurs in the answer (`keywords_found`).

Every figure comes from judging one question at a time (`QuestionResult`), so a run that stops half-way can
be resumed and the figures are computed the same way for the pipeline and for the naive baseline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.config import Settings
from assistant.models.embeddings import get_embeddings
from assistant.text.marks import SUPERSCRIPT
from assistant.text.normalize import language_of, match_key
from assistant.text.tokens import lexical_tokens
from assistant.types import Answer, Chunk

# Citation precision: a sentence is supported when its quotes hold this share of its content-word stems...
SUPPORT_SHARE = 2 / 3
# ...or, for a sentence in another language than its quotes, when their passage embeddings are this similar once
# the words both contain are taken out (see `Judge`; measured with e5 in evals/README.md).
CROSS_SIMILARITY = 0.88

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MARKER_GROUP = re.compile(r"((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
_QUOTED = re.compile(r"“([^”]+)”")


# ---------------------------------------------------------------- matching quotes


def overlaps(quote: str, gold: str) -> bool:
    """The citation and the gold evidence share most of the shorter one's words, in one place."""
    a, b = match_key(quote), match_key(gold)
    if a in b or b in a:
        return True
    wa, wb = re.findall(r"\w+", a), re.findall(r"\w+", b)
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    grams = {tuple(longer[i : i + 4]) for i in range(len(longer) - 3)}
    shared = sum(tuple(shorter[i : i + 4]) in grams for i in range(len(shorter) - 3))
    return shared >= max(1, (len(shorter) - 3) // 2)


def holds(passage: str, quote: str) -> bool:
    """Whether a passage holds a gold quote (whole, or most of it across a chunk boundary)."""
    text, q = match_key(passage), match_key(quote)
    if q in text:
        return True
    words, text_words = re.findall(r"\w+", q), re.findall(r"\w+", text)
    if len(words) < 5 or sum(w in set(text_words) for w in words) / len(words) < 0.6:
        return False
    joined = " ".join(text_words)
    return " ".join(words[:4]) in joined or " ".join(words[-4:]) in joined


def passage_text(chunk: Chunk) -> str:
    """A passage as retrieval judges it: its text and the footnotes it carries."""
    return chunk.text + "\n" + "\n".join(f.text for f in chunk.footnotes)


def evidence_ranks(ranked: Sequence[str], quotes: Sequence[str]) -> list[int | None]:
    """Per quote, the 1-based rank of the first passage holding it (None: not in the ranking)."""
    return [next((i for i, text in enumerate(ranked, 1) if holds(text, q)), None) for q in quotes]


def keywords_found(answer: str, groups: list[list[str]]) -> bool:
    """Every group has an alternative in the answer (case and typography folded)."""
    text = match_key(answer)
    return all(any(match_key(k) in text for k in group) for group in groups)


# ---------------------------------------------------------------- citation precision


def content_stems(text: str) -> set[str]:
    """Stemmed content words (Dutch Snowball, Dutch and English stop words removed); numbers are judged apart."""
    return {t for t in lexical_tokens(SUPERSCRIPT.sub("", text)) if not any(c.isdigit() for c in t)}


def numbers(text: str) -> set[str]:
    """Numbers written in digits, footnote markers left out."""
    return set(_NUMBER.findall(SUPERSCRIPT.sub("", text)))


def claims(answer: str, unmarked: Sequence[int] = ()) -> list[tuple[str, list[int]]]:
    """The answer as (text, marker numbers) pieces: each piece is the text its marker group closes.

    A piece that quotes (“…”) is judged by what it quotes, so a frame such as "The documents say:" is not
    taken for a claim; a piece without markers gets `unmarked`.
    """
    parts = _MARKER_GROUP.split(answer)
    out = []
    for i in range(0, len(parts), 2):
        body = parts[i].strip(" \n.,;:")
        marks = parts[i + 1] if i + 1 < len(parts) else ""
        quoted = _QUOTED.findall(body)
        body = " ".join(quoted) if quoted else body
        if re.search(r"[^\W\d_]", body):
            found = [int(n) for n in re.findall(r"\d+", marks)]
            out.append((body, list(dict.fromkeys(found)) if found else list(unmarked)))
    return out


class JudgedClaim(BaseModel):
    """A piece of an answer, the citations attached to it, and which of them hold."""

    model_config = ConfigDict(extra="forbid")

    text: str
    cited: list[int]
    supported: bool
    precise: list[int]


def _without_shared(text: str, other: str) -> str:
    """`text` without the words (of three letters or more) that `other` contains too."""
    shared = {w for w in re.findall(r"[^\W\d_]{3,}", text.lower())} & set(re.findall(r"[^\W\d_]{3,}", other.lower()))
    return " ".join(w for w in text.split() if re.sub(r"[\W\d_]", "", w).lower() not in shared)


class Judge:
    """Whether quotes support a sentence, judged from the words both contain (or their meaning across languages).

    Supported: every number of the sentence occurs in the quotes, and the quotes hold at least `SUPPORT_SHARE`
    of the sentence's content-word stems, or, for a sentence in another language than the quotes, the passage
    embeddings of the sentence and of one quote, or of a run of the quote's words about as long as the sentence
    (it may translate part of the quote), reach `CROSS_SIMILARITY`. Both are compared without the words they
    share: a shared name ("Werkagenda Waardengedreven Digitaliseren") would make unrelated statements alike.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._vectors: dict[str, np.ndarray] = {}

    def _vector(self, text: str) -> np.ndarray:
        if text not in self._vectors:
            v = np.array(get_embeddings(self.settings).embed_documents([text])[0], dtype=np.float32)
            self._vectors[text] = v / max(float(np.linalg.norm(v)), 1e-12)
        return self._vectors[text]

    def supports(self, sentence: str, quotes: Sequence[str]) -> bool:
        if not quotes or numbers(sentence) - numbers(" ".join(quotes)):
            return False
        stems = content_stems(sentence)
        if not stems or len(stems & content_stems(" ".join(quotes))) / len(stems) >= SUPPORT_SHARE:
            return True
        if language_of(sentence) == language_of(" ".join(quotes)):
            return False
        for quote in quotes:
            claim, words = _without_shared(sentence, quote), _without_shared(quote, sentence).split()
            size = min(len(words), round(1.5 * len(claim.split())) + 2)
            spans = {" ".join(words), *(" ".join(words[i : i + size]) for i in range(0, len(words) - size + 1, 2))}
            if claim and any(float(self._vector(claim) @ self._vector(s)) >= CROSS_SIMILARITY for s in spans if s):
                return True
        return False

    def judge(self, answer: Answer, unmarked: Sequence[int] = ()) -> list[JudgedClaim]:
        """Each claim of the answer with its citations judged (markers that name no citation are ignored)."""
        quotes = {c.n: c.quote for c in answer.citations}
        out = []
        for text, marks in claims(answer.answer, unmarked):
            cited = [n for n in marks if n in quotes]
            supported = self.supports(text, [quotes[n] for n in cited])
            precise = [n for n in cited if supported and (
                self.supports(text, [quotes[n]]) or not self.supports(text, [quotes[m] for m in cited if m != n]))]
            out.append(JudgedClaim(text=text, cited=cited, supported=supported, precise=precise))
        return out


# ---------------------------------------------------------------- the judged answer


class JudgedCitation(BaseModel):
    """A citation as shown to the user, and whether its quote stands verbatim in the document's files."""

    model_config = ConfigDict(extra="forbid")

    n: int
    doc_id: str
    page: int | None = None
    quote: str
    verbatim: bool


class QuestionResult(BaseModel):
    """One system's answer to one gold question, judged; a line of the run's JSONL file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    system: str
    type: str
    language: str
    fingerprint: str = Field(description="Gold record, backend and k this result was made with (for --resume).")
    expect_abstain: bool
    abstained: bool
    answer: str
    model: str | None = None
    fallback: str | None = None
    citations: list[JudgedCitation] = Field(default_factory=list)
    claims: list[JudgedClaim] = Field(default_factory=list)
    evidence_cited: list[bool] = Field(default_factory=list, description="Per scorable gold evidence item.")
    other_language: bool | None = Field(
        None, description="Whether the question is in another language than the documents its gold evidence stands "
        "in (an English question over the Dutch letter); None without evidence.")
    first_cited: bool | None = Field(None, description="Whether the first citation is gold evidence (answers only).")
    evidence_ranks: list[int | None] = Field(default_factory=list, description="Retrieval rank per evidence item.")
    keywords_ok: bool | None = None
    timings: dict[str, float] = Field(default_factory=dict)

