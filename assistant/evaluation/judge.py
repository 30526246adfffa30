"""Evaluation: how often answers are right and their citations hold, on a gold set anyone can rerun.

Every figure comes from judging one question at a time (`QuestionResult`), so a run that stops half-way can
be resumed and the figures are computed the same way for the pipeline and for the naive baseline. The judges
are deterministic and offline, and none of them is the pipeline's own verifier (`assistant.answer.cite`):

* retrieval: a passage holds a gold quote (`holds`); recall@k and MRR come from the rank of the first passage
  holding each quote;
* citation recall: a gold evidence quote is cited when a citation's quote overlaps it (`overlaps`);
* citation precision: each citation is judged against the text its marker closes (`Judge`), as in ALCE
  (Gao et al., 2023): a citation is precise when its sentence is supported by all its citations together and
  this one is needed or enough on its own;
* quote fidelity: a quote stands verbatim in the document's files as the corpus holds them (`Sources`), not
  merely in the index the pipeline quotes from;
* keywords: every keyword group of the gold answer occurs in the answer (`keywords_found`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.answer.answerer import Answerer, Turn
from assistant.config import Settings
from assistant.models.embeddings import forget_queries, get_embeddings
from assistant.models.llm import Backend
from assistant.text.normalize import language_of, match_key
from assistant.text.tokens import lexical_tokens
from assistant.types import Answer, AssistantError, Chunk

if TYPE_CHECKING:
    from assistant.evaluation.baseline import Baseline

KS = (1, 5, 10)
STAGES = ("retrieve_ms", "first_token_ms", "generate_ms", "total_ms")
# Citation precision: a sentence is supported when its quotes hold this share of its content-word stems...
SUPPORT_SHARE = 2 / 3
# ...or, for a sentence in another language than its quotes, when their passage embeddings are this similar once
# the words both contain are taken out (see `Judge`; measured with e5 in evals/README.md).
CROSS_SIMILARITY = 0.88

_SUPERSCRIPTS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MARKER_GROUP = re.compile(r"((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
_QUOTED = re.compile(r"“([^”]+)”")

Progress = Callable[[int, int, str], None]


# ---------------------------------------------------------------- the gold set


class GoldEvidence(BaseModel):
    """A passage a correct answer cites: a verbatim quote of a document."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    quote: str = Field(min_length=1)
    page: int | None = None
    section: str = ""


class GoldQuestion(BaseModel):
    """One line of a gold set (format in `evals/README.md`)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    language: str = "nl"
    type: str = Field(min_length=1)
    keywords: list[list[str]] = Field(default_factory=list)
    evidence: list[GoldEvidence] = Field(default_factory=list)
    abstain: bool
    follow_up_of: str | None = None


@dataclass
class GoldSet:
    """The questions that could be read, where each stands, and why the other lines could not be used."""

    path: Path
    questions: list[GoldQuestion]
    lines: dict[str, int]
    problems: list[str] = field(default_factory=list)

    def previous(self, question: GoldQuestion) -> GoldQuestion | None:
        """The question a follow-up is asked after."""
        return next((q for q in self.questions if q.id == question.follow_up_of), None)


def load_gold(path: Path) -> GoldSet:
    """Read a gold set; a line that cannot be used is reported by its number and the others still count."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssistantError(f"cannot read the gold set {path}: {exc.strerror or exc}") from exc
    gold = GoldSet(path, [], {})
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            question = GoldQuestion.model_validate_json(line)
        except ValidationError as exc:
            why = "; ".join(f"invalid JSON ({e['msg'].removeprefix('Invalid JSON: ')})" if e["type"] == "json_invalid"
                            else f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            gold.problems.append(f"{path} line {number}: skipped, {why}")
            continue
        if question.id in gold.lines:
            gold.problems.append(f"{path} line {number}: skipped, id {question.id!r} already on line "
                                 f"{gold.lines[question.id]}")
        elif question.follow_up_of and question.follow_up_of not in gold.lines:
            gold.problems.append(f"{path} line {number}: skipped, {question.id} follows {question.follow_up_of!r}, "
                                 "which is not an earlier question of the set")
        else:
            gold.lines[question.id] = number
            gold.questions.append(question)
    if not gold.questions:
        raise AssistantError(f"no usable question in {path}" + "".join(f"\n{p}" for p in gold.problems[:5]))
    return gold


def retrieval_query(question: GoldQuestion, previous: GoldQuestion | None) -> str:
    """What a follow-up is searched with: the question it follows, then its own words."""
    return f"{previous.question} {question.question}" if previous else question.question


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


def _loose(text: str) -> str:
    """`match_key`, with quote styles and dashes folded too: renderings of one document differ in both."""
    return match_key(text).replace('"', "'").replace("\u2013", "-").replace("\u2014", "-")


class Sources:
    """Each document's files as the corpus holds them: quotes are checked against these, not the index.

    A quote counts as verbatim with or without its footnote markers, since one rendering prints them
    ("Digitaliseren1,") and another does not.
    """

    def __init__(self, corpus_dir: Path) -> None:
        from assistant.sources.corpus import discover
        from assistant.sources.loaders import decode, load

        self.texts: dict[str, list[str]] = {}
        for spec in discover(corpus_dir)[0]:
            keys = self.texts.setdefault(spec.meta.doc_id, [])
            for path, fmt in spec.files:
                try:
                    keys.append(_loose(load(path, fmt).plain))
                    if path.suffix.lower() != ".pdf":
                        keys.append(_loose(decode(path.read_bytes(), path)))
                except (AssistantError, OSError):  # unreadable files are reported by ingest, not here
                    continue

    def contains(self, doc_id: str, quote: str) -> bool:
        variants = {_loose(quote), _loose(_SUPERSCRIPTS.sub("", quote))}
        return any(v in text for text in self.texts.get(doc_id, ()) for v in variants)


class EvidenceProblem(BaseModel):
    """A gold evidence quote that cannot be scored, and why."""

    model_config = ConfigDict(extra="forbid")

    id: str
    line: int
    doc_id: str
    quote: str
    reason: str


def scorable_evidence(gold: GoldSet, sources: Sources) -> tuple[dict[str, list[GoldEvidence]], list[EvidenceProblem]]:
    """Per question, the evidence that stands in the corpus; the rest is reported instead of scored."""
    usable: dict[str, list[GoldEvidence]] = {}
    problems = []
    for q in gold.questions:
        usable[q.id] = []
        for ev in q.evidence:
            if ev.doc_id not in sources.texts:
                reason = f"document {ev.doc_id!r} is not in the corpus"
            elif not sources.contains(ev.doc_id, ev.quote):
                reason = f"quote not found verbatim in {ev.doc_id}"
            else:
                usable[q.id].append(ev)
                continue
            problems.append(EvidenceProblem(id=q.id, line=gold.lines[q.id], doc_id=ev.doc_id, quote=ev.quote,
                                            reason=reason))
    return usable, problems


# ---------------------------------------------------------------- citation precision


def content_stems(text: str) -> set[str]:
    """Stemmed content words (Dutch Snowball, Dutch and English stop words removed); numbers are judged apart."""
    return {t for t in lexical_tokens(_SUPERSCRIPTS.sub("", text)) if not any(c.isdigit() for c in t)}


def numbers(text: str) -> set[str]:
    """Numbers written in digits, footnote markers left out."""
    return set(_NUMBER.findall(_SUPERSCRIPTS.sub("", text)))


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


# ---------------------------------------------------------------- one question


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
    evidence_ranks: list[int | None] = Field(default_factory=list, description="Retrieval rank per evidence item.")
    keywords_ok: bool | None = None
    timings: dict[str, float] = Field(default_factory=dict)


def fingerprint(question: GoldQuestion, backend: Backend, k: int) -> str:
    """What a saved answer must have been made with to be taken over by a resumed run."""
    data = json.dumps([question.model_dump(), backend.name, backend.model, k], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


class Evaluator:
    """Asks gold questions and judges the answers; built once per run (models, sources and embedder loaded once)."""

    def __init__(self, settings: Settings, gold: GoldSet, answerer: Answerer, baseline: Baseline | None = None,
                 retrieval: bool = True) -> None:
        self.settings = settings
        self.gold = gold
        self.answerer = answerer
        self.baseline = baseline
        self.retrieval = retrieval
        self.judge = Judge(settings)
        self.sources = Sources(settings.corpus_dir)
        self.evidence, self.problems = scorable_evidence(gold, self.sources)
        self.depth = max(*KS, settings.retrieval.k)

    @property
    def systems(self) -> list[str]:
        return ["pipeline", "baseline"] if self.baseline else ["pipeline"]

    def ask(self, system: str, question: GoldQuestion) -> QuestionResult:
        """`system`'s answer to `question` (a follow-up after the question it follows), judged."""
        previous = self.gold.previous(question)
        query = retrieval_query(question, previous)
        ranked: list[str] = []
        forget_queries()  # the other system asked the same question: its query vector must not make this one fast
        if system == "baseline":
            assert self.baseline is not None, "no baseline in this run"
            answer = self.baseline.ask(question.question, previous.question if previous else "")
            unmarked = [c.n for c in answer.citations]  # a model that marks nothing cites every chunk it was given
            if self.retrieval:
                ranked = [self.baseline.chunks[p].text for p in self.baseline.rank(query, self.depth)]
        else:
            answer = self.answerer.ask(question.question, [Turn(previous.question)] if previous else [])
            unmarked = []
            if self.retrieval:
                ranked = [passage_text(h.chunk) for h in self.answerer.searcher.search(query, self.depth)]
        evidence = self.evidence[question.id]
        quotes = [e.quote for e in evidence]
        return QuestionResult(
            id=question.id, system=system, type=question.type, language=question.language,
            fingerprint=fingerprint(question, self.answerer.backend, self.settings.retrieval.k),
            expect_abstain=question.abstain, abstained=answer.abstained, answer=answer.answer, model=answer.model,
            fallback=answer.fallback,
            citations=[JudgedCitation(n=c.n, doc_id=c.doc_id, page=c.page, quote=c.quote,
                                      verbatim=self.sources.contains(c.doc_id, c.quote)) for c in answer.citations],
            claims=self.judge.judge(answer, unmarked) if not answer.abstained else [],
            evidence_cited=[any(e.doc_id == c.doc_id and overlaps(c.quote, e.quote) for c in answer.citations)
                            for e in evidence],
            evidence_ranks=evidence_ranks(ranked, quotes) if ranked else [],
            keywords_ok=keywords_found(answer.answer, question.keywords) if question.keywords else None,
            timings=answer.timings,
        )


# ---------------------------------------------------------------- figures


class Latency(BaseModel):
    """Milliseconds at the median and the 95th percentile, over `n` answers."""

    model_config = ConfigDict(extra="forbid")

    p50: float
    p95: float
    n: int


class Metrics(BaseModel):
    """Figures over a set of judged answers, with the ids behind each failure (what users act on)."""

    model_config = ConfigDict(extra="forbid")

    questions: int
    answered: int
    retrieval_recall: dict[int, float] = Field(default_factory=dict, description="recall@k over answerable questions")
    mrr: float | None = None
    citation_recall: float | None = Field(None, description="Share of gold evidence cited, answered questions.")
    citation_precision: float | None = Field(None, description="Share of citations that hold (ALCE).")
    claim_support: float | None = Field(None, description="Share of an answer's pieces their citations support.")
    quote_fidelity: float | None = None
    keywords: float | None = None
    abstention_precision: float | None = None
    abstention_recall: float | None = None
    abstention_accuracy: float
    abstention_balanced: float | None = None
    fallback_rate: float | None = None
    latency_ms: dict[str, Latency] = Field(default_factory=dict)
    citation_misses: list[str] = Field(default_factory=list)
    imprecise_citations: list[str] = Field(default_factory=list)
    quotes_not_verbatim: list[str] = Field(default_factory=list)
    keyword_misses: list[str] = Field(default_factory=list)
    abstained_but_answerable: list[str] = Field(default_factory=list)
    answered_but_should_abstain: list[str] = Field(default_factory=list)
    retrieval_misses: list[str] = Field(default_factory=list, description="Evidence not all within the top k.")


def _share(hits: Iterable[float], total: int) -> float | None:
    return round(sum(hits) / total, 3) if total else None


def percentiles(samples: Sequence[float]) -> Latency:
    p50, p95 = np.percentile(np.asarray(samples, dtype=float), [50, 95])
    return Latency(p50=round(float(p50), 1), p95=round(float(p95), 1), n=len(samples))


def retrieval_metrics(ranks: Sequence[Sequence[int | None]], ks: Iterable[int] = KS) -> tuple[dict[int, float], float]:
    """recall@k (share of a question's quotes in the top k, averaged) and MRR (first passage holding any)."""
    ranks = [r for r in ranks if r]
    recall = {k: round(float(np.mean([sum(x is not None and x <= k for x in r) / len(r) for r in ranks])), 3)
              if ranks else 0.0 for k in sorted(ks)}
    firsts = [min((x for x in r if x is not None), default=None) for r in ranks]
    mrr = round(float(np.mean([1 / f if f else 0.0 for f in firsts])), 3) if ranks else 0.0
    return recall, mrr


def summarise(results: Sequence[QuestionResult], k: int = 5) -> Metrics:
    """The figures of one system over `results`."""
    answerable = [r for r in results if not r.expect_abstain]
    refuse = [r for r in results if r.expect_abstain]
    abstained = [r for r in results if r.abstained]
    answered = [r for r in results if not r.abstained]
    right_refusals = sum(r.expect_abstain for r in abstained)
    cited = [r for r in answerable if not r.abstained and r.evidence_cited]
    ranked = [r for r in answerable if r.evidence_ranks]
    recall, mrr = retrieval_metrics([r.evidence_ranks for r in ranked], {*KS, k})
    keyed = [r for r in answerable if not r.abstained and r.keywords_ok is not None]
    pieces = [c for r in answered for c in r.claims]
    citations = [c for r in answered for c in r.citations]
    modelled = [r for r in answered if r.model and r.system == "pipeline"]  # only the pipeline verifies, falls back
    answer_rate = sum(not r.abstained for r in answerable) / len(answerable) if answerable else None
    abstain_recall = sum(r.abstained for r in refuse) / len(refuse) if refuse else None
    return Metrics(
        questions=len(results), answered=len(answered),
        retrieval_recall=recall if ranked else {}, mrr=mrr if ranked else None,
        citation_recall=_share((sum(r.evidence_cited) / len(r.evidence_cited) for r in cited), len(cited)),
        citation_precision=_share((len(c.precise) for c in pieces), sum(len(c.cited) for c in pieces)),
        claim_support=_share((c.supported for c in pieces), len(pieces)),
        quote_fidelity=_share((c.verbatim for c in citations), len(citations)),
        keywords=_share((bool(r.keywords_ok) for r in keyed), len(keyed)),
        abstention_precision=_share([right_refusals], len(abstained)),
        abstention_recall=None if abstain_recall is None else round(abstain_recall, 3),
        abstention_accuracy=_share((r.abstained == r.expect_abstain for r in results), len(results)) or 0.0,
        abstention_balanced=round((answer_rate + abstain_recall) / 2, 3)
        if answer_rate is not None and abstain_recall is not None else None,
        fallback_rate=_share((bool(r.fallback) for r in modelled), len(modelled)),
        latency_ms={s: percentiles(v) for s in STAGES if (v := [r.timings[s] for r in results if s in r.timings])},
        citation_misses=[r.id for r in cited if not all(r.evidence_cited)],
        imprecise_citations=[r.id for r in answered if any(len(c.precise) < len(c.cited) or not c.cited
                                                          for c in r.claims)],
        quotes_not_verbatim=[r.id for r in answered if not all(c.verbatim for c in r.citations)],
        keyword_misses=[r.id for r in keyed if not r.keywords_ok],
        abstained_but_answerable=[r.id for r in answerable if r.abstained],
        answered_but_should_abstain=[r.id for r in refuse if not r.abstained],
        retrieval_misses=[r.id for r in ranked if any(x is None or x > k for x in r.evidence_ranks)],
    )


# ---------------------------------------------------------------- a run


class SystemReport(BaseModel):
    """One system's figures overall and per question type."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    metrics: Metrics
    per_type: dict[str, Metrics]


class Report(BaseModel):
    """What `assistant eval` writes as JSON (and renders as Markdown and HTML)."""

    model_config = ConfigDict(extra="forbid")

    gold_set: str
    backend: str
    model: str | None
    k: int
    questions: int
    created: str
    wall_s: float = Field(description="This invocation, start to report (models loaded, baseline built).")
    resumed: int = Field(0, description="Answers taken over from an earlier, interrupted run.")
    gold_problems: list[str] = Field(default_factory=list, description="Lines of the gold set that were skipped.")
    evidence_problems: list[EvidenceProblem] = Field(default_factory=list)
    systems: list[SystemReport]
    files: list[str] = Field(default_factory=list)
