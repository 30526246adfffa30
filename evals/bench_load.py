"""Load: 1, 2, 4 and 8 simulated users asking at once through `gradio_client`, per backend, on loopback.

Usage (after `assistant ingest`):
    python evals/bench_load.py [--backend extractive --backend embedded] [--users 1 2 4 8] [--per-user 3]

For each backend it starts one `assistant serve` on a free loopback port and, for each number of users, lets
every user ask `--per-user` gold questions (each user its own, none asked twice in a round) through the
`/answer` API. Reported per round: errors (a call that failed or did not return in time), answers without a
verified citation (a quality figure, not an error: see `assistant eval`), p50 and p95 latency per question, and
throughput (questions answered per second of wall time). Bounded: at most users x per-user questions per
round, each round with a time limit.
Results go to stdout and `evals/reports/load.json`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "evals" / "reports" / "load.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(backend: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Iterator[tuple[str, int]]:
    """`assistant serve` on a free loopback port: (its address, its process id) once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, **(env or {}), "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False"}
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--backend",
                               backend], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 600  # only stops a hang: a busy machine waits as long as the start takes
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"`assistant serve` stopped: {server.stderr.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(url, timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("`assistant serve` did not answer within 10 minutes") from None
                time.sleep(0.25)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def round_of(url: str, questions: list[list[str]], timeout_s: float = 300) -> dict:
    """Every user (one list of questions each) asks at the same time: errors, latency, throughput, and the
    answers given."""
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    uncited: list[str] = []
    answers: dict[str, str] = {}
    lock = threading.Lock()

    def user(own: list[str]) -> None:
        client = Client(url, verbose=False)
        for question in own:
            started = time.perf_counter()
            try:
                answer = client.predict(question, [], api_name="/answer")
                failed, cited = None, bool(answer["citations"]) and not answer["abstained"]
                answers[question] = answer["answer"]
            except Exception as exc:  # counted, not raised: the figure is how many fail
                failed, cited = f"{type(exc).__name__}: {exc}", True
            with lock:
                latencies.append(time.perf_counter() - started)
                errors.extend([failed] if failed else [])
                uncited.extend([] if cited else [question])

    threads = [threading.Thread(target=user, args=(own,)) for own in questions]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout_s)
    wall = time.perf_counter() - started
    errors += ["a user did not finish in time"] * sum(t.is_alive() for t in threads)
    latencies.sort()
    return {"users": len(questions), "questions": len(latencies), "errors": errors, "uncited": uncited,
            "answers": answers,
            "wall_s": round(wall, 1),
            "p50_s": round(statistics.median(latencies), 2),
            "p95_s": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 2),
            "per_s": round(len(latencies) / wall, 2)}


def answerable() -> list[str]:
    """Gold questions the documents answer, on their own (no follow-ups)."""
    gold = [json.loads(line) for line in (ROOT / "evals" / "gold.jsonl").read_text().splitlines() if line.strip()]
    return [g["question"] for g in gold if not g["abstain"] and not g["follow_up_of"] and g["type"] != "reference"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", action="append", choices=["extractive", "embedded", "ollama"])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--per-user", type=int, default=3)
    args = parser.parse_args()
    pool = answerable()
    report: dict = {"per_user": args.per_user, "backends": {}}
    for backend in args.backend or ["extractive", "embedded"]:
        rounds = []
        with serving(backend) as (url, _):
            for n in args.users:
                asked = [[pool[(u * args.per_user + i) % len(pool)] for i in range(args.per_user)] for u in range(n)]
                result = round_of(url, asked)
                del result["answers"]  # the report keeps figures; `assistant eval` judges the answers
                rounds.append(result)
                print(f"{backend:10} {n} users: {len(result['errors'])} errors, {len(result['uncited'])} uncited, "
                      f"p50 {result['p50_s']} s, "
                      f"p95 {result['p95_s']} s, {result['per_s']} questions/s", flush=True)
        report["backends"][backend] = rounds
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if any(r["errors"] for rounds in report["backends"].values() for r in rounds) else 0


if __name__ == "__main__":
    sys.exit(main())
