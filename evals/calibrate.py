"""Calibrate the answerer's abstention thresholds on the gold set, or check the answerer with today's settings.

Usage (after `assistant ingest`):  python evals/calibrate.py [--set evals/gold.jsonl] [--backend B] [--grid]

Without --grid it prints the pipeline's figures as `assistant eval` computes them (definitions in
`evals/README.md`, section "Metrics"), with the ids behind each failure. With --grid (extractive) it searches
the threshold pair that maximises balanced abstention accuracy (the mean of the answer rate on answerable
questions and the abstention rate on the others), so neither answering everything nor abstaining everywhere
can look good; citation recall breaks ties.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.answer.answerer import Answerer
from assistant.config import BACKENDS, Settings
from assistant.evaluation.gold import GoldSet, load_gold
from assistant.evaluation.metrics import Metrics, summarise
from assistant.evaluation.run import Evaluator

ROOT = Path(__file__).resolve().parent.parent


def check(settings: Settings, gold: GoldSet, backend: str = "extractive", answerer: Answerer | None = None) -> Metrics:
    """The pipeline alone on every question of `gold` (no retrieval ranking, no baseline, no files written)."""
    evaluator = Evaluator(settings, gold, answerer or Answerer(settings, backend), retrieval=False)
    return summarise([evaluator.ask("pipeline", q) for q in gold.questions])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=ROOT / "evals" / "gold.jsonl")
    parser.add_argument("--backend", default="extractive", choices=BACKENDS)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    gold = load_gold(args.set)
    for problem in gold.problems:
        print(problem, file=sys.stderr)
    if args.grid:
        best = None
        for coverage in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            for similarity in (0.78, 0.79, 0.8, 0.81, 0.82, 0.84, 0.86, 0.88, 0.9, 1.0):
                result = check(Settings(answer={"min_coverage": coverage, "min_similarity": similarity}), gold)
                key = (result.abstention_balanced or 0, result.citation_recall or 0, -coverage, -similarity)
                print(coverage, similarity, result.abstention_balanced, result.citation_recall, flush=True)
                if best is None or key > best[0]:
                    best = (key, coverage, similarity)
        assert best is not None
        print(f"best: min_coverage={best[1]} min_similarity={best[2]}")
        return 0
    for key, value in check(Settings(), gold, args.backend).model_dump().items():
        print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
