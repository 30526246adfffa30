"""Answer quality and speed per backend, on the gold set, plus `ask --jsonl` throughput.

Usage (after `assistant ingest`):
    python evals/bench_answers.py [--backend extractive --backend embedded ...] [--jsonl-questions 30]

For each backend: abstention accuracy, citation recall and precision, quote fidelity, keyword correctness, how
often a model's answer fell back to the quotes, latency p50/p95 and time to first token p50 (the pipeline's
figures as `assistant eval` computes them; definitions in `evals/README.md`, section "Metrics"). Then one
`assistant ask --jsonl` process answers the first N gold questions with the embedded backend: the whole run's
time, and the time per question after the first answer (models loaded once).
Results go to stdout as a table and to `evals/reports/answers.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "evals"))

from calibrate import check  # noqa: E402

from assistant.answer.answerer import Answerer  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.gold import load_gold  # noqa: E402
from assistant.evaluation.metrics import Metrics  # noqa: E402

SHOWN = ("abstention_balanced", "abstention_accuracy", "citation_recall", "citation_precision", "quote_fidelity",
         "keywords", "fallback_rate", "latency_p50_ms", "latency_p95_ms", "first_token_p50_ms")


def figures(answerer: Answerer, m: Metrics) -> dict:
    """One backend's row: the shown figures, flat, and the ids behind the failures."""
    total, first = m.latency_ms["total_ms"], m.latency_ms.get("first_token_ms")
    return {"backend": answerer.backend.name, "model": answerer.backend.model,
            **m.model_dump(exclude={"latency_ms", "retrieval_recall", "mrr"}),
            "latency_p50_ms": total.p50, "latency_p95_ms": total.p95,
            "first_token_p50_ms": first.p50 if first else None}


def jsonl_run(questions: list[str], backend: str) -> dict:
    """One `ask --jsonl` process: when each answer line arrived, measured from the start."""
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ask", "--jsonl", "--backend", backend],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=env, cwd=ROOT)
    assert proc.stdin and proc.stdout
    proc.stdin.write("\n".join(questions) + "\n")
    proc.stdin.close()
    arrivals = []
    for line in proc.stdout:
        json.loads(line)
        arrivals.append(time.perf_counter() - started)
    proc.wait()
    per_question = (arrivals[-1] - arrivals[0]) / max(len(arrivals) - 1, 1)
    return {"backend": backend, "questions": len(arrivals), "total_s": round(arrivals[-1], 1),
            "first_answer_s": round(arrivals[0], 1), "per_question_after_first_s": round(per_question, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=ROOT / "evals" / "gold.jsonl")
    parser.add_argument("--backend", action="append", choices=["extractive", "embedded", "ollama", "auto"])
    parser.add_argument("--jsonl-questions", type=int, default=30)
    args = parser.parse_args()
    gold = load_gold(args.set)
    results = []
    for backend in args.backend or ["extractive", "embedded"]:
        answerer = Answerer(Settings(), backend)
        result = figures(answerer, check(answerer.settings, gold, answerer=answerer))
        results.append(result)
        print(f"{backend}: " + ", ".join(f"{k} {result[k]}" for k in SHOWN), flush=True)
    print("\n| backend | " + " | ".join(SHOWN) + " |")
    print("|---" * (len(SHOWN) + 1) + "|")
    for r in results:
        print(f"| {r['backend']} ({r['model'] or 'no model'}) | " + " | ".join(str(r[k]) for k in SHOWN) + " |")
    report = {"backends": results}
    if args.jsonl_questions:
        questions = [q.question for q in gold.questions if not q.follow_up_of][: args.jsonl_questions]
        report["jsonl"] = jsonl_run(questions, "embedded")
        print("\n`ask --jsonl --backend embedded`:", report["jsonl"])
    out = ROOT / "evals" / "reports" / "answers.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
