"""The evaluation: a regression gate on a fast subset of the gold set, the judges, the baseline, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import cli_env
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from assistant.config import Settings
from assistant.evaluation.baseline import TOP, Baseline
from assistant.evaluation.gold import load_gold
from assistant.evaluation.judge import Judge, JudgedCitation, QuestionResult, claims
from assistant.evaluation.metrics import Report, summarise
from assistant.evaluation.run import run
from assistant.index import Index
from assistant.models.llm import Backend
from assistant.types import Answer, AssistantError, Citation

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold.jsonl"
GOLD_LINES = {json.loads(line)["id"]: line for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()}
FAST = [line.strip() for line in (ROOT / "evals" / "fast.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def fast(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    """The fast subset evaluated once with the extractive backend, pipeline and baseline."""
    out = tmp_path_factory.mktemp("fast")
    return run(bundled, GOLD, backend="extractive", out_dir=out, only=FAST), out


def _metrics(report: Report, system: str) -> Any:
    return next(s.metrics for s in report.systems if s.name == system)


def gold_file(path: Path, *ids: str, changes: dict[str, dict[str, Any]] | None = None) -> Path:
    """A gold set of the given questions of `evals/gold.jsonl` (optionally with changed fields)."""
    lines = []
    for i in ids:
        record = json.loads(GOLD_LINES[i])
        record.update((changes or {}).get(i, {}))
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the regression gate


def test_fast_subset_covers_every_type() -> None:
    types = {json.loads(line)["type"] for line in GOLD_LINES.values()}
    assert 20 <= len(FAST) <= 30 and len(set(FAST)) == len(FAST)
    assert set(FAST) <= set(GOLD_LINES), "fast.txt names ids that are not in gold.jsonl"
    assert {json.loads(GOLD_LINES[i])["type"] for i in FAST} == types


def test_fast_subset_meets_the_gate(fast: tuple[Report, Path]) -> None:
    """Thresholds one question under the figures measured on this subset (extractive backend)."""
    m = _metrics(fast[0], "pipeline")
    assert m.questions == len(FAST)
    assert m.retrieval_recall[5] >= 0.89, m.retrieval_misses
    assert m.mrr >= 0.81
    assert m.citation_recall >= 0.87, m.citation_misses
    assert m.citation_precision >= 0.95, m.imprecise_citations
    assert m.quote_fidelity == 1.0, m.quotes_not_verbatim
    assert m.keywords >= 0.83, m.keyword_misses
    assert m.abstention_accuracy >= 0.88, (m.abstained_but_answerable, m.answered_but_should_abstain)


def test_the_held_out_set_meets_its_gate(bundled: Settings, tmp_path: Path) -> None:
    """The questions the answerer was not tuned on (evals/heldout.jsonl), extractive backend, pipeline only.

    Thresholds two or three questions under the measured figures (citation recall 0.817, citation precision
    0.987, abstention accuracy 0.851, keywords 0.781), so a rule that only fits the gold set shows here."""
    report = run(bundled, ROOT / "evals" / "heldout.jsonl", backend="extractive", out_dir=tmp_path, baseline=False)
    m = report.systems[0].metrics
    assert report.questions >= 100 and not report.gold_problems and not report.evidence_problems
    assert m.citation_recall >= 0.80, m.citation_misses
    assert m.citation_precision >= 0.95, m.imprecise_citations
    assert m.quote_fidelity == 1.0, m.quotes_not_verbatim
    assert m.abstention_accuracy >= 0.83, (m.abstained_but_answerable, m.answered_but_should_abstain)
    assert m.keywords >= 0.77, m.keyword_misses


def test_pipeline_beats_the_naive_baseline(fast: tuple[Report, Path]) -> None:
    pipeline, baseline = _metrics(fast[0], "pipeline"), _metrics(fast[0], "baseline")
    assert pipeline.retrieval_recall[5] > baseline.retrieval_recall[5]
    assert pipeline.citation_recall > baseline.citation_recall
    assert pipeline.keywords > baseline.keywords
    assert pipeline.abstention_accuracy > baseline.abstention_accuracy
    # without a model the baseline never declines: every question it is asked gets an answer
    assert baseline.answered == baseline.questions and baseline.abstention_recall == 0.0


def test_run_writes_results_reports_and_plots(fast: tuple[Report, Path]) -> None:
    report, out = fast
    saved = Report.model_validate_json((out / "eval-extractive.json").read_text(encoding="utf-8"))
    assert saved.systems == report.systems and saved.questions == len(FAST)
    assert {s.name for s in saved.systems} == {"pipeline", "baseline"}
    assert set(saved.systems[0].per_type) == {json.loads(GOLD_LINES[i])["type"] for i in FAST}
    lines = (out / "eval-extractive.jsonl").read_text(encoding="utf-8").splitlines()
    results = [QuestionResult.model_validate_json(line) for line in lines]
    assert sorted((r.system, r.id) for r in results) == sorted((s, i) for s in ("pipeline", "baseline") for i in FAST)
    markdown = (out / "eval-extractive.md").read_text(encoding="utf-8")
    page = (out / "eval-extractive.html").read_text(encoding="utf-8")
    assert "| citation precision |" in markdown and "<table>" in page
    for name in ("compare", "types", "latency"):
        png = out / f"eval-extractive-{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({png.name})" in markdown and f'src="{png.name}"' in page
    misses = _metrics(report, "pipeline").citation_misses
    assert all(i in markdown for i in misses), "the ids behind a failure are in the report"


# ---------------------------------------------------------------- citation precision


def test_claims_are_the_text_each_marker_group_closes() -> None:
    assert claims("Het netwerk werkt samen [1]. De VNG bespreekt het [2][3].") == [
        ("Het netwerk werkt samen", [1]), ("De VNG bespreekt het", [2, 3])]
    framed = "The documents say (quoted in Dutch): “TNO heeft een programma.” [1] “Zeven labs.” [2]"
    assert claims(framed) == [("TNO heeft een programma.", [1]), ("Zeven labs.", [2])]
    assert claims("Een zin zonder bron.", unmarked=[1, 2]) == [("Een zin zonder bron", [1, 2])]


@pytest.fixture(scope="module")
def judge(bundled: Settings) -> Judge:
    return Judge(bundled)


QUOTE = "De Hogeschool van Amsterdam heeft een Centre of Expertise Applied AI waarin al in zeven labs ervaring " \
        "wordt opgedaan."


@pytest.mark.parametrize(("sentence", "supported"), [
    ("De Hogeschool van Amsterdam doet in zeven labs ervaring op met toegepaste AI.", True),
    ("De Hogeschool van Amsterdam heeft 12 labs voor toegepaste AI.", False),  # a number the quote lacks
    ("Het kabinet investeert in datacenters en duurzame energie.", False),
    ("The Hogeschool van Amsterdam runs a Centre of Expertise Applied AI with seven labs.", True),
    # a shared name alone does not carry a statement across languages
    ("The Hogeschool van Amsterdam wants to stop its research into artificial intelligence next year.", False),
])
def test_judge_support(judge: Judge, sentence: str, supported: bool) -> None:
    assert judge.supports(sentence, [QUOTE]) is supported


def test_judge_takes_a_translation_of_part_of_a_quote(judge: Judge) -> None:
    quote = "TNO heeft binnen het NLAIC groeifondsproject een Applied AI programma in uitvoer."
    assert judge.supports("TNO runs an Applied AI programme.", [quote])
    assert not judge.supports("TNO runs an Applied AI programme in 12 labs.", [quote])


def test_a_citation_that_adds_nothing_is_imprecise(judge: Judge) -> None:
    citations = [Citation(n=n, doc_id="d", title="t", quote=q, chunk_id="c", start=0, end=1)
                 for n, q in ((1, QUOTE), (2, "Het kabinet investeert in datacenters."))]
    answer = Answer(question="?", answer="De Hogeschool van Amsterdam heeft zeven labs [1][2].", abstained=False,
                    citations=citations, backend="test")
    [claim] = judge.judge(answer)
    assert claim.supported and claim.cited == [1, 2] and claim.precise == [1]


# ---------------------------------------------------------------- the baseline


class Scripted(BaseChatModel):
    """A chat model that replies with fixed text, records what it was asked, and can fail after some calls."""

    reply: str = "Het antwoord [2]."
    fail_after: int | None = None
    asked: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        if self.fail_after is not None and len(self.asked) >= self.fail_after:
            raise ConnectionError("connection reset by peer")
        self.asked.append(str(messages[-1].content))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.reply))])


@pytest.mark.parametrize(("reply", "cited"), [("De VNG bespreekt het [2].", [2]),
                                              ("De VNG bespreekt het.", list(range(1, TOP + 1))),
                                              ("GEEN ANTWOORD", [])])
def test_baseline_cites_what_the_model_marks_or_every_chunk(bundled: Settings, reply: str, cited: list[int]) -> None:
    baseline = Baseline(bundled, Index.open(bundled), Backend("scripted", "s", Scripted(reply=reply)))
    answer = baseline.ask("Met welke organisatie bespreekt de staatssecretaris de samenwerking?")
    assert [c.n for c in answer.citations] == cited and answer.abstained == (not cited)
    assert all(len(c.quote) <= 1000 for c in answer.citations)


def test_baseline_extractive_quotes_the_top_chunk(bundled: Settings) -> None:
    baseline = Baseline(bundled, Index.open(bundled), Backend("extractive"))
    answer = baseline.ask("Welke organisatie heeft een Centre of Expertise Applied AI?")
    [citation] = answer.citations
    assert answer.answer.endswith(" [1]") and citation.chunk_id == baseline.chunks[baseline.rank(
        "Welke organisatie heeft een Centre of Expertise Applied AI?", 1)[0]].chunk_id
    assert " ".join(answer.answer[:-4].split()) in " ".join(citation.quote.split())


def test_baseline_vectors_are_embedded_once(bundled: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Baseline(bundled, Index.open(bundled), Backend("extractive"))
    assert first.collection.count() == len(first.chunks)
    assert all(len(c.text) == 1000 for c in first.chunks[:-1])

    class NoEmbedding:
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise AssertionError("the cached baseline was embedded again")

    monkeypatch.setattr("assistant.evaluation.baseline.get_embeddings", lambda settings: NoEmbedding())
    again = Baseline(bundled, Index.open(bundled), Backend("extractive"))
    assert again.folder == first.folder and again.collection.count() == len(first.chunks)


# ---------------------------------------------------------------- bad input


def test_malformed_lines_are_reported_and_the_rest_runs(bundled: Settings, tmp_path: Path) -> None:
    good = [GOLD_LINES[i] for i in ("g001", "g003", "g111")]
    no_abstain = json.loads(GOLD_LINES["g004"])
    del no_abstain["abstain"]
    (tmp_path / "set.jsonl").write_text("\n".join(
        [good[0], '{"id": "g900", "question": "Wat', good[1], json.dumps(no_abstain), good[2]]) + "\n")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--set", "set.jsonl", "--backend",
                           "extractive", "--out", str(out), "--no-baseline"],
                          capture_output=True, text=True, env=cli_env(bundled), cwd=tmp_path, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "set.jsonl line 2: skipped" in done.stderr and "invalid JSON" in done.stderr
    assert "set.jsonl line 4: skipped, abstain: Field required" in done.stderr
    report = Report.model_validate_json((out / "eval-extractive.json").read_text(encoding="utf-8"))
    assert report.questions == 3 and len(report.gold_problems) == 2
    assert "citation recall" in done.stdout
    assert "line 2" in (out / "eval-extractive.md").read_text(encoding="utf-8")


def test_evidence_not_in_the_corpus_is_reported_not_scored(bundled: Settings, tmp_path: Path) -> None:
    invented = "De staatssecretaris schaft de Werkagenda per 1 januari af en richt een nieuw ministerie op."
    real = json.loads(GOLD_LINES["g001"])["evidence"][0]
    path = gold_file(tmp_path / "set.jsonl", "g001", "g003", changes={
        "g001": {"evidence": [{**real, "quote": invented}]},
        "g003": {"evidence": [{**json.loads(GOLD_LINES["g003"])["evidence"][0], "doc_id": "kst-00000-1"}]}})
    report = run(bundled, path, backend="extractive", out_dir=tmp_path / "out", baseline=False)
    problems = {p.id: p for p in report.evidence_problems}
    assert problems["g001"].quote == invented and problems["g001"].line == 1
    assert problems["g001"].reason == "quote not found verbatim in kst-26643-1055"
    assert "kst-00000-1" in problems["g003"].reason
    results = [QuestionResult.model_validate_json(line)
               for line in (tmp_path / "out" / "eval-extractive.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r.evidence_cited == [] and r.evidence_ranks == [] for r in results)
    metrics = report.systems[0].metrics
    assert metrics.citation_recall is None and metrics.retrieval_recall == {}, "nothing left to score"
    assert invented in (tmp_path / "out" / "eval-extractive.md").read_text(encoding="utf-8")


def test_a_backend_failing_mid_run_leaves_results_to_resume(bundled: Settings, tmp_path: Path) -> None:
    ids = ("g001", "g003", "g004", "g005", "g018")
    path, out = gold_file(tmp_path / "set.jsonl", *ids), tmp_path / "out"
    dying = Scripted(fail_after=4)
    with pytest.raises(AssistantError, match=r"baseline failed on g0\d\d \(ConnectionError.*--resume"):
        run(bundled, path, backend=Backend("scripted", "s", dying), out_dir=out)
    log = out / "eval-scripted.jsonl"
    saved = log.read_text(encoding="utf-8").splitlines()
    assert 0 < len(saved) < 2 * len(ids)

    working = Scripted()
    report = run(bundled, path, backend=Backend("scripted", "s", working), out_dir=out, resume=True)
    assert report.resumed == len(saved) and report.questions == len(ids)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[: len(saved)] == saved and len(lines) == 2 * len(ids)
    done = {QuestionResult.model_validate_json(line).id for line in saved[:-1]}  # both systems answered these
    assert not any(json.loads(GOLD_LINES[i])["question"] in prompt for i in done for prompt in working.asked)

    changed = run(bundled, path, backend=Backend("scripted", "s", Scripted()), out_dir=out, resume=True, k=3)
    assert changed.resumed == 0, "answers made with another k are not taken over"


def test_cli_resume_continues_after_a_crash(bundled: Settings, tmp_path: Path) -> None:
    gold_file(tmp_path / "set.jsonl", "g001", "g003", "g111")
    command = [sys.executable, "-m", "assistant.cli", "eval", "--set", "set.jsonl", "--backend", "extractive",
               "--out", "out", "--no-baseline"]
    first = subprocess.run(command, capture_output=True, text=True, env=cli_env(bundled), cwd=tmp_path, timeout=600)
    assert first.returncode == 0, first.stderr
    log = tmp_path / "out" / "eval-extractive.jsonl"
    kept = log.read_text(encoding="utf-8").splitlines()[0]
    log.write_text(kept + "\n" + '{"id": "g003", "system": "pipe', encoding="utf-8")  # cut off mid-line
    second = subprocess.run([*command, "--resume"], capture_output=True, text=True, env=cli_env(bundled),
                            cwd=tmp_path, timeout=600)
    assert second.returncode == 0, second.stderr
    report = Report.model_validate_json((tmp_path / "out" / "eval-extractive.json").read_text(encoding="utf-8"))
    assert report.resumed == 1 and report.questions == 3
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == kept and sorted(json.loads(x)["id"] for x in lines) == ["g001", "g003", "g111"]


def test_cli_shows_several_sets_side_by_side_each_with_its_own_report(bundled: Settings, tmp_path: Path) -> None:
    gold_file(tmp_path / "train.jsonl", "g001", "g003")
    gold_file(tmp_path / "dev.jsonl", "g111")
    command = [sys.executable, "-m", "assistant.cli", "eval", "--set", "train.jsonl", "--set", "dev.jsonl",
               "--backend", "extractive", "--out", "out", "--no-baseline"]
    done = subprocess.run(command, capture_output=True, text=True, env=cli_env(bundled), cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if "metric" in line)
    assert header.index("train") < header.index("dev"), done.stdout
    assert "quotes per answer" in done.stdout and "first quote carries" in done.stdout
    for name, ids in (("train", {"g001", "g003"}), ("dev", {"g111"})):
        report = Report.model_validate_json((tmp_path / "out" / name / "eval-extractive.json").read_text("utf-8"))
        assert report.gold_set == f"{name}.jsonl" and report.questions == len(ids)
        lines = (tmp_path / "out" / name / "eval-extractive.jsonl").read_text("utf-8").splitlines()
        assert {json.loads(x)["id"] for x in lines} == ids


def test_cli_refuses_two_sets_whose_reports_would_share_a_folder(bundled: Settings, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    gold_file(tmp_path / "a" / "set.jsonl", "g001")
    gold_file(tmp_path / "set.jsonl", "g003")
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--set", "set.jsonl", "--set",
                           "a/set.jsonl", "--backend", "extractive", "--out", "out"], capture_output=True, text=True,
                          env=cli_env(bundled), cwd=tmp_path, timeout=600)
    assert done.returncode != 0 and "share a file name" in done.stderr
    assert not (tmp_path / "out").exists(), "nothing is run or written"


def _result(i: int, *, abstain: bool, abstained: bool, quotes: int = 0, first: bool | None = None) -> QuestionResult:
    return QuestionResult(
        id=f"q{i}", system="pipeline", type="single_fact", language="nl", fingerprint="", expect_abstain=abstain,
        abstained=abstained, answer="", first_cited=first, evidence_cited=[] if abstain else [bool(first)],
        citations=[JudgedCitation(n=n, doc_id="d", quote="q", verbatim=True) for n in range(1, quotes + 1)])


def test_quotes_per_answer_first_quote_and_answer_rate() -> None:
    results = [_result(1, abstain=False, abstained=False, quotes=1, first=True),
               _result(2, abstain=False, abstained=False, quotes=3, first=False),
               _result(3, abstain=False, abstained=True),
               _result(4, abstain=True, abstained=False, quotes=2),
               _result(5, abstain=True, abstained=True)]
    m = summarise(results)
    assert m.quotes_per_answer == 2.0  # (1 + 3 + 2) / 3 answers
    assert m.first_quote_carries == 0.5  # of the two answered answerable questions
    assert m.answer_rate == round(2 / 3, 3)
    assert m.abstention_recall == 0.5


def test_citation_recall_is_split_by_whether_the_question_is_in_its_documents_language() -> None:
    def result(i: int, cited: list[bool], other: bool | None) -> QuestionResult:
        return QuestionResult(id=f"q{i}", system="pipeline", type="english", language="en", fingerprint="",
                              expect_abstain=False, abstained=False, answer="a", evidence_cited=cited,
                              other_language=other,
                              citations=[JudgedCitation(n=1, doc_id="d", quote="q", verbatim=True)])

    m = summarise([result(1, [True], False), result(2, [True, False], False), result(3, [False], True),
                   result(4, [True], True), result(5, [True], None)])
    assert m.citation_recall_same_language == 0.75  # (1 + 0.5) / 2
    assert m.citation_recall_other_language == 0.5
    assert m.citation_recall == round((1 + 0.5 + 0 + 1 + 1) / 5, 3)  # every answered question counts here


def test_an_english_question_over_the_dutch_letter_is_in_another_language(bundled: Settings, tmp_path: Path) -> None:
    from assistant.evaluation.run import run

    report = run(bundled, gold_file(tmp_path / "set.jsonl", "g001", "g006"), backend="extractive",
                 out_dir=tmp_path / "out", baseline=False)
    results = [json.loads(line) for line in (tmp_path / "out" / "eval-extractive.jsonl").read_text().splitlines()]
    assert [(r["language"], r["other_language"]) for r in results] == [("nl", False), ("en", True)]
    m = report.systems[0].metrics
    assert m.citation_recall_same_language is not None and m.citation_recall_other_language is not None
    row = next(line for line in (tmp_path / "out" / "eval-extractive.md").read_text().splitlines()
               if line.startswith("| same-language / other-language citation recall"))
    assert f"{m.citation_recall_same_language:.3f} / {m.citation_recall_other_language:.3f}" in row


def test_an_unreadable_gold_set_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text("not json\n")
    with pytest.raises(AssistantError, match=r"no usable question in .*bad.jsonl\n.*line 1"):
        load_gold(tmp_path / "bad.jsonl")
    with pytest.raises(AssistantError, match="cannot read the gold set"):
        load_gold(tmp_path / "missing.jsonl")


# ---------------------------------------------------------------- what the evaluation found


@pytest.mark.xfail(strict=True, reason="cross-language verification takes embedding similarity alone: a shared name "
                   "or topic lifts an English sentence over min_cross_similarity whatever it claims")
@pytest.mark.parametrize(("sentence", "quote"), [
    ("The government uses data to tackle societal challenges such as defence, tourism and football.",
     "De overheid zet data in voor de aanpak van maatschappelijke opgaven als die rond klimaat, woningtekort, "
     "mobiliteit, zorg of armoede- en schuldenproblematiek."),
    ("The Werkagenda Waardengedreven Digitaliseren helps to change the way we think about issues around "
     "digitalisation.",
     "De Werkagenda Waardengedreven Digitaliseren helpt tevens bij het agenderen van vraagstukken uit de "
     "verschillende domeinen op internationaal en Europees niveau."),
])
def test_verifier_rejects_an_english_sentence_its_dutch_quote_does_not_say(bundled: Settings, sentence: str,
                                                                          quote: str) -> None:
    from assistant.answer import cite
    from assistant.models.embeddings import get_embeddings

    embedder, a = get_embeddings(bundled), bundled.answer

    def similarity(text: str, quotes: Sequence[str]) -> list[float]:  # as the answerer compares across languages
        vectors = np.array([embedder.embed_query(t) for t in (text, *quotes)])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors[1:] @ vectors[0]).tolist()

    result = cite.verify(f"{sentence[:-1]} [1].", [quote], "What does the letter say?", min_support=a.min_support,
                         min_pair_support=a.min_pair_support, similarity=similarity,
                         min_similarity=a.min_cross_similarity)
    assert not result.claims, "an English sentence its Dutch quote does not carry was verified"


# ---------------------------------------------------------------- the full set with the real model


@pytest.mark.slow
def test_full_gold_set_with_the_embedded_model(bundled: Settings, tmp_path: Path) -> None:
    """The whole gold set answered by the bundled Gemma 3 270M (pipeline only, a few minutes on two cores).

    Thresholds two or three questions under the measured figures (recall@5 0.955, citation recall 0.938,
    citation precision 0.984, abstention accuracy 0.921, keywords 0.800, measured with a retrieval ranking by
    best sentence since left out; extractive recall@5 is 0.964 without it)."""
    report = run(bundled, GOLD, backend="embedded", out_dir=tmp_path, baseline=False)
    m = report.systems[0].metrics
    assert report.questions == len(GOLD_LINES) and not report.gold_problems and not report.evidence_problems
    assert m.retrieval_recall[5] >= 0.94, m.retrieval_misses
    assert m.citation_recall >= 0.91, m.citation_misses
    assert m.citation_precision >= 0.95, m.imprecise_citations
    assert m.quote_fidelity == 1.0, m.quotes_not_verbatim
    assert m.abstention_accuracy >= 0.90, (m.abstained_but_answerable, m.answered_but_should_abstain)
    assert m.keywords >= 0.77, m.keyword_misses
    assert m.fallback_rate is not None and m.latency_ms["first_token_ms"].n > 0, "the model wrote the answers"
