"""Retrieval quality on the gold set: recall@1/5/10 and MRR for lexical only, dense only and hybrid.

Usage (after `assistant ingest`):

    python evals/bench_retrieval.py [--set evals/gold.jsonl] [--index index] [--json]

The judging is `assistant.evaluation.judge`'s, the same as `assistant eval` reports for the pipeline: a passage (with
its footnotes) holds a gold quote when it contains it (after `match_key` normalisation), or at least 60% of
its words when the quote runs across a chunk boundary. recall@k is the share of a question's evidence quotes
found in the top k, averaged over questions; MRR uses the first passage holding any of them. A follow-up
question is searched together with the question it follows (what condensing will give it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.config import Settings
from assistant.evaluation.gold import GoldSet, load_gold, retrieval_query
from assistant.evaluation.judge import evidence_ranks, passage_text
from assistant.evaluation.metrics import KS, retrieval_metrics
from assistant.retrieve import Searcher


def evaluate(searcher: Searcher, gold: GoldSet) -> dict[str, dict]:
    """Metrics per ranking mode, with the questions whose evidence is not in the top 5."""
    texts = [passage_text(c) for c in searcher.index.chunks]
    modes = {
        "lexical": lambda q: searcher.lexical(searcher.lexical_query(q), max(KS)),
        "dense": lambda q: searcher.dense(q, max(KS)),
        "hybrid": lambda q: [searcher.index.position(h.chunk.chunk_id) for h in searcher.search(q, max(KS))],
    }
    items = [(q, retrieval_query(q, gold.previous(q))) for q in gold.questions if not q.abstain and q.evidence]
    results: dict[str, dict] = {}
    for mode, rank in modes.items():
        ranks = [evidence_ranks([texts[p] for p in rank(query)], [e.quote for e in q.evidence]) for q, query in items]
        recall, mrr = retrieval_metrics(ranks)
        missed = [q.id for (q, _), r in zip(items, ranks, strict=True) if not any(x and x <= 5 for x in r)]
        results[mode] = {**{f"recall@{k}": v for k, v in recall.items()}, "mrr": mrr, "questions": len(items),
                         "missed@5": missed}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=Path("evals/gold.jsonl"))
    parser.add_argument("--index", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings(**({"index_dir": args.index} if args.index else {}))
    gold = load_gold(args.set)
    for problem in gold.problems:
        print(problem, file=sys.stderr)
    results = evaluate(Searcher(settings), gold)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'mode':8} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR':>6}  (n={results['hybrid']['questions']})")
    for mode, m in results.items():
        print(f"{mode:8} {m['recall@1']:6.3f} {m['recall@5']:6.3f} {m['recall@10']:6.3f} {m['mrr']:6.3f}"
              f"  missed@5: {' '.join(m['missed@5']) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
