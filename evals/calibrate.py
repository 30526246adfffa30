"""Calibrate and check the answerer on the gold set: abstention thresholds, citation hits, keywords.

Usage (after `assistant ingest`):  python evals/calibrate.py [--set evals/gold.jsonl] [--backend B] [--grid]

Prints abstention accuracy (answer the answerable, abstain on the rest), citation hit (a citation's quote
overlaps a gold evidence quote, over answered answerable questions), quote fidelity (every quote verbatim in
the corpus files), keyword correctness (every keyword group of an answered question appears in the answer),
how often a model's answer fell back to the quotes, and latency. Follow-up questions are asked with the
question they follow as conversation history. With --grid (extractive) it searches the threshold pair that
maximises balanced abstention accuracy (the mean of the answer rate on answerable questions and the
abstention rate on the others), so neither answering everything nor abstaining everywhere can look good.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "evals"))

from bench_retrieval import load_gold  # noqa: E402

from assistant.answer import Answerer, Turn  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.textnorm import match_key  # noqa: E402


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


def corpus_key(corpus_dir: Path) -> str:
    return " ".join(match_key(p.read_text(errors="ignore")) for p in corpus_dir.rglob("*")
                    if p.is_file() and p.suffix in {".txt", ".md", ".html", ".htm"})


def keywords_found(answer: str, groups: list[list[str]]) -> bool:
    text = match_key(answer)
    return all(any(match_key(k) in text for k in group) for group in groups)


def run(settings: Settings, gold: list[dict], backend: str = "extractive", answerer: Answerer | None = None) -> dict:
    answerer = answerer or Answerer(settings, backend)
    by_id = {g["id"]: g for g in gold}
    corpus = corpus_key(settings.corpus_dir)
    rows, latencies, first_tokens = [], [], []
    for g in gold:
        earlier = by_id.get(g.get("follow_up_of") or "")
        history = [Turn(earlier["question"])] if earlier else []
        t = time.perf_counter()
        answer = answerer.ask(g["question"], history)
        latencies.append((time.perf_counter() - t) * 1000)
        if "first_token_ms" in answer.timings:
            first_tokens.append(answer.timings["first_token_ms"])
        hit = any(overlaps(c.quote, e["quote"]) for c in answer.citations for e in g["evidence"])
        verbatim = all(match_key(c.quote) in corpus for c in answer.citations)
        rows.append((g, answer, hit, verbatim))
    answerable = [g for g in gold if not g["abstain"] and g["evidence"]]
    answered = [(g, a, hit) for g, a, hit, _ in rows if not g["abstain"] and g["evidence"] and not a.abstained]
    should = [a.abstained for g, a, _, _ in rows if g["abstain"]]
    answer_rate = len(answered) / max(len(answerable), 1)
    abstain_recall = sum(should) / max(len(should), 1)
    with_model = [a for _, a, _, _ in rows if not a.abstained and a.model]
    return {
        "backend": answerer.backend.name,
        "model": answerer.backend.model,
        "balanced_abstention": round((answer_rate + abstain_recall) / 2, 3),
        "abstention_accuracy": round(sum(a.abstained == g["abstain"] for g, a, _, _ in rows) / len(rows), 3),
        "abstain_recall": round(abstain_recall, 3),
        "answer_rate_on_answerable": round(answer_rate, 3),
        "citation_hit": round(sum(h for *_, h in answered) / max(len(answered), 1), 3),
        "quote_fidelity": round(sum(v for *_, v in rows) / len(rows), 3),
        "keyword_correct": round(sum(keywords_found(a.answer, g["keywords"]) for g, a, _ in answered)
                                 / max(len(answered), 1), 3),
        "fallback_rate": round(sum(bool(a.fallback) for a in with_model) / len(with_model), 3) if with_model else None,
        "latency_p50_ms": round(statistics.median(latencies), 1),
        "latency_p95_ms": round(statistics.quantiles(latencies, n=20)[-1], 1),
        "first_token_p50_ms": round(statistics.median(first_tokens), 1) if first_tokens else None,
        "wrong_abstention": [g["id"] for g, a, _, _ in rows if a.abstained != g["abstain"]],
        "citation_misses": [g["id"] for g, _, hit in answered if not hit],
        "n": len(rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=ROOT / "evals" / "gold.jsonl")
    parser.add_argument("--backend", default="extractive", choices=["auto", "ollama", "embedded", "extractive"])
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    gold = load_gold(args.set)
    if args.grid:
        best = None
        for coverage in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            for similarity in (0.78, 0.79, 0.8, 0.81, 0.82, 0.84, 0.86, 0.88, 0.9, 1.0):
                settings = Settings(answer={"min_coverage": coverage, "min_similarity": similarity})
                result = run(settings, gold)
                key = (result["balanced_abstention"], result["citation_hit"], -coverage, -similarity)
                print(coverage, similarity, result["balanced_abstention"], result["citation_hit"], flush=True)
                if best is None or key > best[0]:
                    best = (key, coverage, similarity)
        print(f"best: min_coverage={best[1]} min_similarity={best[2]}")
        return 0
    result = run(Settings(), gold, args.backend)
    for key, value in result.items():
        print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
