"""The OpenAI chat API (`/v1`) under load: 1, 2, 4 and 8 streaming clients at once, first token, memory.

Usage (after `assistant ingest`):
    python evals/bench_api.py [--clients 1 2 4 8] [--questions 10] [--corpus corpus] [--index index] [--json F]

Why: chat platforms (Open WebUI, LibreChat, the `openai` client) stream `/v1/chat/completions` and show words as
they arrive, so users feel the time to the first content delta. Targets (extractive backend): 8 clients at once
without errors, first token p95 <= 2 s on a 2-core machine, `serve` within 1 GB while the API is used.

Starts `assistant serve --backend extractive` on a free loopback port (rate limit raised out of the way). Per
round every client asks `--questions` questions in a row, its own (gold and held-out texts, answerable and
declined; no follow-ups, which alone are other questions; none asked twice while the pool lasts, so no cache
flatters a later round). Per request: time to the first non-empty content delta, total time, errors (non-200,
an `error` event, no `[DONE]`, a failure or timeout). The RSS of `serve` and its children is sampled from /proc
from when it answers to the end; the peak is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
MODEL = "beleidsassistent"  # `api.model_name`'s default


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (psutil is not in the venv: /proc)."""
    total, todo = 0, [pid]
    while todo:
        try:
            current = todo.pop()
            status = Path(f"/proc/{current}/status").read_text()
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended between two reads
    return total / 1024


def watch(pid: int, stop: threading.Event, peak: dict[str, float]) -> None:
    """Keep the peak of `tree_rss_mb` every 100 ms until stopped: one read at the end would miss a passing peak."""
    while not stop.wait(0.1):
        peak["mb"] = max(peak["mb"], tree_rss_mb(pid))


def start(corpus: Path, index: Path) -> tuple[subprocess.Popen[str], int]:
    """`serve` on a free port once it has said "serving on" and `/v1/models` answers (waits on its state, not a
    fixed time); its stderr lines are kept (and drained, so a full pipe never blocks it) for the error message."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index),
           "ASSISTANT_API__REQUESTS_PER_MINUTE": "100000", "ANONYMIZED_TELEMETRY": "False",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--backend", "extractive", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    said = threading.Event()

    def drain() -> None:
        for line in server.stderr or ():
            lines.append(line)
            if "serving on" in line:
                said.set()

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + 600  # only stops a hang: a busy machine waits as long as the start takes
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if said.is_set() and httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=30).status_code == 200:
                return server, port
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.terminate()
    server.wait(timeout=30)
    raise RuntimeError(f"`assistant serve` did not start: {''.join(lines)[-2000:]}")


def ask(client: httpx.Client, url: str, question: str) -> dict:
    """One streamed question: seconds to the first content delta and to the end, and the error if any."""
    started, first, error, done = time.perf_counter(), None, None, False
    body = {"model": MODEL, "stream": True, "messages": [{"role": "user", "content": question}]}
    try:
        with client.stream("POST", url, json=body) as response:
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}: {response.read()[:200]!r}")
            for line in response.iter_lines():
                if not line.startswith("data: "):
                    continue
                data = line[6:]
                if data == "[DONE]":
                    done = True
                    break
                event = json.loads(data)
                if "error" in event:
                    raise RuntimeError(f"error event: {event['error']}")
                if first is None and any(c["delta"].get("content") for c in event.get("choices", ())):
                    first = time.perf_counter() - started
        if not done:
            error = "no [DONE]"
    except Exception as exc:  # counted, not raised: the figure is how many fail
        error = f"{type(exc).__name__}: {exc}"
    return {"first_s": first, "total_s": time.perf_counter() - started, "error": error}


def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile, as in bench_load.py (with 10 values p95 is the slowest)."""
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2) if values else None


def round_of(url: str, asked: list[list[str]]) -> dict:
    """All clients at once, each its own questions in a row over its own connection, as separate chat users."""
    results: list[dict] = []  # list.append is atomic: no lock needed

    def client(own: list[str]) -> None:
        with httpx.Client(timeout=httpx.Timeout(300, connect=30)) as http:
            for question in own:
                results.append(ask(http, url, question))

    threads = [threading.Thread(target=client, args=(own,)) for own in asked]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    good = [r for r in results if not r["error"]]
    times = {"first": [r["first_s"] for r in good if r["first_s"] is not None], "total": [r["total_s"] for r in good]}
    return {"clients": len(asked), "requests": len(results), "errors": [r["error"] for r in results if r["error"]],
            **{f"{k}_p{round(q * 100)}_s": pct(v, q) for k, v in times.items() for q in (0.5, 0.95)},
            "per_s": round(len(results) / wall, 2), "wall_s": round(wall, 1)}


def questions() -> list[str]:
    """Gold and held-out question texts, answerable and declined, in a fixed shuffled order."""
    pool = [row["question"] for name in ("gold.jsonl", "heldout.jsonl")
            for row in map(json.loads, (ROOT / "evals" / name).read_text().splitlines()) if not row["follow_up_of"]]
    random.Random(0).shuffle(pool)
    return pool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--questions", type=int, default=10, help="questions per client per round")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    pool, rounds, peak, stop = questions(), [], {"mb": 0.0}, threading.Event()
    server, port = start(args.corpus.resolve(), args.index.resolve())
    sampler = threading.Thread(target=watch, args=(server.pid, stop, peak), daemon=True)
    sampler.start()
    try:
        ready_mb = tree_rss_mb(server.pid)
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        for n in args.clients:  # the pool goes on from round to round: no question is asked twice while it lasts
            asked = sum(r["requests"] for r in rounds)
            rounds.append(round_of(url, [[pool[(asked + c * args.questions + i) % len(pool)]
                                          for i in range(args.questions)] for c in range(n)]))
            print(f"{n} clients done: {len(rounds[-1]['errors'])} errors", file=sys.stderr, flush=True)
    finally:
        stop.set()
        sampler.join()
        server.terminate()
        server.wait(timeout=30)
    print("| clients | requests | errors | first token p50 | first token p95 | total p50 | total p95 | req/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rounds:
        print(f"| {r['clients']} | {r['requests']} | {len(r['errors'])} | {r['first_p50_s']} s | {r['first_p95_s']} s"
              f" | {r['total_p50_s']} s | {r['total_p95_s']} s | {r['per_s']} |")
    command = " ".join([sys.executable, *sys.argv])
    print(f"\npeak RSS of serve (with children): {peak['mb']:.0f} MB (at ready: {ready_mb:.0f} MB); "
          f"cores: {os.cpu_count()}; command: `{command}`")
    print("".join(f"- {r['clients']} clients: {e}\n" for r in rounds for e in sorted(set(r["errors"]))[:5]), end="")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {"rounds": rounds, "peak_rss_mb": round(peak["mb"]), "ready_rss_mb": round(ready_mb),
                  "cores": os.cpu_count(), "command": command, "questions_per_client": args.questions}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if any(r["errors"] for r in rounds) else 0


if __name__ == "__main__":
    sys.exit(main())
