"""Retrieval quality on the gold set: recall@1/5/10 and MRR for lexical only, dense only and hybrid.

Usage (after `assistant ingest`):

    python evals/bench_retrieval.py [--set evals/gold.jsonl] [--index index] [--json]

A passage (with its footnotes) counts as evidence when it contains the gold quote (after `match_key`
normalisation), or at least 60% of the quote's words when the quote runs across a chunk boundary. recall@k is
the share of a question's evidence quotes found in the top k, averaged over questions; MRR uses the first
passage holding any of them.
A follow-up question is searched together with the question it follows (what condensing will give it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from assistant.config import Settings
from assistant.retrieve import Searcher
from assistant.textnorm import match_key

KS = (1, 5, 10)


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def holds(chunk_text: str, quote: str) -> bool:
    """Whether a passage holds a gold quote (whole, or most of it across a chunk boundary)."""
    text, q = match_key(chunk_text), match_key(quote)
    if q in text:
        return True
    words, text_words = re.findall(r"\w+", q), re.findall(r"\w+", text)
    if len(words) < 5 or sum(w in set(text_words) for w in words) / len(words) < 0.6:
        return False
    joined = " ".join(text_words)
    return " ".join(words[:4]) in joined or " ".join(words[-4:]) in joined


def queries(gold: list[dict]) -> list[tuple[dict, str]]:
    by_id = {g["id"]: g for g in gold}
    out = []
    for g in gold:
        if g["abstain"] or not g["evidence"]:
            continue
        query = g["question"]
        if g.get("follow_up_of"):
            query = by_id[g["follow_up_of"]]["question"] + " " + query
        out.append((g, query))
    return out


def evaluate(searcher: Searcher, gold: list[dict]) -> dict[str, dict[str, float]]:
    """Metrics per ranking mode."""
    texts = [c.text + "\n" + "\n".join(f.text for f in c.footnotes) for c in searcher.index.chunks]
    modes = {
        "lexical": lambda q: searcher.lexical(q, max(KS)),
        "dense": lambda q: searcher.dense(q, max(KS)),
        "hybrid": lambda q: [searcher.index.position(h.chunk.chunk_id) for h in searcher.search(q, max(KS))],
    }
    results: dict[str, dict[str, float]] = {}
    items = queries(gold)
    for mode, rank in modes.items():
        recall = {k: 0.0 for k in KS}
        mrr = 0.0
        misses = []
        for g, query in items:
            ranked = rank(query)
            quotes = [e["quote"] for e in g["evidence"]]
            for k in KS:
                top = [texts[p] for p in ranked[:k]]
                recall[k] += sum(any(holds(t, q) for t in top) for q in quotes) / len(quotes)
            first = next((i for i, p in enumerate(ranked, 1) if any(holds(texts[p], q) for q in quotes)), None)
            mrr += 1 / first if first else 0.0
            if not first or first > 5:
                misses.append(g["id"])
        n = len(items)
        results[mode] = {**{f"recall@{k}": round(recall[k] / n, 3) for k in KS}, "mrr": round(mrr / n, 3),
                         "questions": n, "missed@5": misses}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=Path("evals/gold.jsonl"))
    parser.add_argument("--index", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings(**({"index_dir": args.index} if args.index else {}))
    results = evaluate(Searcher(settings), load_gold(args.set))
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
