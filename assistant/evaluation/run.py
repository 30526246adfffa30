"""One evaluation run end to end: ask every gold question of the pipeline (and the baseline), judge each answer as
it comes, save it, and write the reports. Above `gold`, `judge` and `metrics` (judging, figures) and `report`
(files)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from assistant.answer.answerer import Answerer, Turn
from assistant.config import Settings
from assistant.evaluation.baseline import Baseline
from assistant.evaluation.gold import (
    GoldEvidence,
    GoldQuestion,
    GoldSet,
    Sources,
    load_gold,
    retrieval_query,
    scorable_evidence,
)
from assistant.evaluation.judge import (
    Judge,
    JudgedCitation,
    QuestionResult,
    evidence_ranks,
    keywords_found,
    overlaps,
    passage_text,
)
from assistant.evaluation.metrics import KS, Report, SystemReport, summarise
from assistant.evaluation.report import write_reports
from assistant.models.embeddings import forget_queries
from assistant.models.llm import Backend
from assistant.types import AssistantError

DESCRIPTIONS = {
    "pipeline": "hybrid retrieval, evidence sentences chosen before writing, verified citations, abstention",
    "baseline": "fixed 1,000-character chunks, dense retrieval only, top 4 in the prompt, no attribution or "
                "verification",
}

Progress = Callable[[int, int, str], None]


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

    def _languages(self, evidence: Sequence[GoldEvidence]) -> set[str]:
        """The languages of the indexed documents that hold `evidence`."""
        index = self.answerer.index
        return {index.meta(e.doc_id).language for e in evidence if e.doc_id in index.documents}

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
            other_language=question.language not in languages if (languages := self._languages(evidence)) else None,
            first_cited=any(e.doc_id == answer.citations[0].doc_id and overlaps(answer.citations[0].quote, e.quote)
                            for e in evidence) if answer.citations and evidence else None,
            evidence_ranks=evidence_ranks(ranked, quotes) if ranked else [],
            keywords_ok=keywords_found(answer.answer, question.keywords) if question.keywords else None,
            timings=answer.timings,
        )


def _resumable(path: Path, wanted: dict[tuple[str, str], str]) -> list[QuestionResult]:
    """Results of an earlier run still valid for this one (same gold record, backend and k); a line cut off by
    a crash is ignored."""
    kept: list[QuestionResult] = []
    if not path.exists():
        return kept
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            result = QuestionResult.model_validate_json(line)
        except ValidationError:
            continue
        if wanted.get((result.system, result.id)) == result.fingerprint:
            kept.append(result)
    return list({(r.system, r.id): r for r in kept}.values())


def run(settings: Settings, gold_path: Path, *, backend: Backend | str | None = None, k: int = 5,
        out_dir: Path = Path("evals/reports"), baseline: bool = True, resume: bool = False,
        only: Sequence[str] | None = None, progress: Progress | None = None) -> Report:
    """Evaluate the pipeline (and the baseline) on a gold set and write the results and reports to `out_dir`.

    Each answer is appended to `eval-<backend>.jsonl` as soon as it is judged; when the backend fails the
    run stops with the results so far saved, and `resume=True` continues from them. `only` limits the run to
    some question ids (a follow-up is still asked after the question it follows).
    """
    started = time.perf_counter()
    gold = load_gold(gold_path)
    settings = settings.model_copy(update={"retrieval": settings.retrieval.model_copy(update={"k": k})})
    answerer = Answerer(settings, backend)
    evaluator = Evaluator(settings, gold, answerer, Baseline(settings, answerer.index, answerer.backend)
                          if baseline else None)
    questions = [q for q in gold.questions if only is None or q.id in only]
    stem = f"eval-{answerer.backend.name}"
    out_dir.mkdir(parents=True, exist_ok=True)
    log = out_dir / f"{stem}.jsonl"
    wanted = {(s, q.id): fingerprint(q, answerer.backend, k) for q in questions for s in evaluator.systems}
    results = _resumable(log, wanted) if resume else []
    resumed = len(results)
    log.write_text("".join(r.model_dump_json() + "\n" for r in results), encoding="utf-8")
    done = {(r.system, r.id) for r in results}
    total = len(wanted)
    if evaluator.baseline:  # embedded before the first question, so no answer's latency includes it
        if progress:
            progress(len(results), total, "baseline: embedding its chunks (once per corpus)")
        evaluator.baseline.collection.count()
    with log.open("a", encoding="utf-8") as fh:
        for q in questions:
            for system in evaluator.systems:
                if (system, q.id) in done:
                    continue
                if progress:
                    progress(len(results), total, f"{q.id} {system}")
                try:
                    result = evaluator.ask(system, q)
                except Exception as exc:  # the backend died: keep what is done, say how to go on
                    raise AssistantError(
                        f"{system} failed on {q.id} ({type(exc).__name__}: {str(exc)[:200]}); {len(results)} of "
                        f"{total} answers are saved in {log}; run again with --resume to continue") from exc
                fh.write(result.model_dump_json() + "\n")
                fh.flush()
                results.append(result)
    if progress:
        progress(total, total, "writing the report")
    types = list(dict.fromkeys(q.type for q in questions))
    systems = []
    for name in evaluator.systems:
        mine = [r for r in results if r.system == name]
        systems.append(SystemReport(name=name, description=DESCRIPTIONS[name], metrics=summarise(mine, k),
                                    per_type={t: summarise([r for r in mine if r.type == t], k) for t in types}))
    report = Report(
        gold_set=str(gold_path), backend=answerer.backend.name, model=answerer.backend.model, k=k,
        questions=len(questions), created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        wall_s=round(time.perf_counter() - started, 1), resumed=resumed,
        gold_problems=gold.problems, evidence_problems=[p for p in evaluator.problems if only is None or p.id in only],
        systems=systems,
    )
    return write_reports(report, results, out_dir, stem)
