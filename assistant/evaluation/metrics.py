"""The figures of an evaluation: each system's metrics over its judged answers, and the report that holds them.

Every figure is computed from `QuestionResult` records alone, the same way for the pipeline and the baseline,
and each failure keeps the ids of the questions behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.evaluation.gold import EvidenceProblem
from assistant.evaluation.judge import QuestionResult

KS = (1, 5, 10)
STAGES = ("retrieve_ms", "first_token_ms", "generate_ms", "total_ms")


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
    citation_recall_same_language: float | None = Field(
        None, description="Citation recall of questions in the language of the documents their evidence is in.")
    citation_recall_other_language: float | None = Field(
        None, description="...and of questions in another language (English over Dutch, Dutch over English).")
    citation_precision: float | None = Field(None, description="Share of citations that hold (ALCE).")
    quotes_per_answer: float | None = Field(None, description="Mean number of citations of an answer.")
    first_quote_carries: float | None = Field(
        None, description="Share of answers (to answerable questions) whose first citation is gold evidence.")
    answer_rate: float | None = Field(None, description="Share of answerable questions answered.")
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
    """The median and 95th percentile of `samples` (milliseconds), to one decimal."""
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


def _recall(cited: Sequence[QuestionResult]) -> float | None:
    """The mean share of their gold evidence that answered questions cite."""
    return _share((sum(r.evidence_cited) / len(r.evidence_cited) for r in cited), len(cited))


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
    firsts = [r for r in answerable if not r.abstained and r.first_cited is not None]
    pieces = [c for r in answered for c in r.claims]
    citations = [c for r in answered for c in r.citations]
    modelled = [r for r in answered if r.model and r.system == "pipeline"]  # only the pipeline verifies, falls back
    answer_rate = sum(not r.abstained for r in answerable) / len(answerable) if answerable else None
    abstain_recall = sum(r.abstained for r in refuse) / len(refuse) if refuse else None
    return Metrics(
        questions=len(results), answered=len(answered),
        retrieval_recall=recall if ranked else {}, mrr=mrr if ranked else None,
        citation_recall=_recall(cited),
        citation_recall_same_language=_recall([r for r in cited if r.other_language is False]),
        citation_recall_other_language=_recall([r for r in cited if r.other_language]),
        citation_precision=_share((len(c.precise) for c in pieces), sum(len(c.cited) for c in pieces)),
        quotes_per_answer=round(float(np.mean([len(r.citations) for r in answered])), 2) if answered else None,
        first_quote_carries=_share((bool(r.first_cited) for r in firsts), len(firsts)),
        answer_rate=None if answer_rate is None else round(answer_rate, 3),
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
