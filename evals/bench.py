"""Speed and memory of ingest, search, answer writing and the web server, as a table, JSON and a plot.

Usage:  python evals/bench.py [--sizes 1000,10000,100000] [--queries 50] [--backends embedded,ollama]

1. Fresh ingest of the bundled corpus into a temporary index, then an unchanged re-ingest, each timed as the
   whole `assistant ingest` command a user runs (start-up included), with the peak RSS of that process.
2. Warm `search` latency on the bundled index (p50/p95 over the gold questions, embedder loaded once).
3. The same on synthetic indexes of 1k/10k/100k chunks: passages are sentences of the bundled corpus
   reshuffled; their vectors are random unit vectors (embedding 100k passages would take hours on two
   cores), so the figures measure the index, not the embedder. Queries still go through the real embedder.
   The growth is plotted to `evals/reports/bench-search.png`.
4. Per answer-writing backend (the embedded Gemma 3 270M; Ollama only when it is reachable with its model,
   else reported as not available): time to first token and tokens per second while writing, over the first
   10 answerable gold questions, through the answerer as `ask` uses it (a streamed piece is one token).
5. Peak RSS of `assistant serve` (embedded backend) once its page answers, on a free loopback port.

Everything also goes to `evals/reports/bench.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "evals")]

from bench_load import free_port  # noqa: E402
from bench_ui import rss_mb  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.evaluation.gold import load_gold  # noqa: E402
from assistant.evaluation.metrics import percentiles  # noqa: E402
from assistant.models.embeddings import forget_queries  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402
from assistant.types import AssistantError, Chunk, Document, DocumentMeta, PageSpan  # noqa: E402

REPORTS = ROOT / "evals" / "reports"


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one CLI run in a child process."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.returncode)"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    seconds, rss, rc = out.stdout.split()
    if rc != "0":
        raise SystemExit(f"{' '.join(args)} failed")
    return float(seconds), float(rss)


def _latency(settings: Settings, questions: list[str]) -> dict[str, float]:
    """Warm search latency, ms: p50, p95."""
    from assistant.retrieve import Searcher

    searcher = Searcher(settings)
    searcher.search(questions[0])  # warm: model, collection and BM25 loaded
    timings = []
    for q in questions:
        forget_queries()  # each question is a user's new one: its embedding is part of the search
        t = time.perf_counter()
        searcher.search(q)
        timings.append((time.perf_counter() - t) * 1000)
    got = percentiles(timings)
    return {"p50_ms": got.p50, "p95_ms": got.p95}


def _synthetic(settings: Settings, size: int, sentences: list[str]) -> float:
    """Build a `size`-chunk index with random vectors; returns build seconds."""
    from assistant.index import Writer, embedding, vectors
    from assistant.ingest import analyse

    class RandomVectors:
        def __init__(self) -> None:
            self.rng = np.random.default_rng(0)

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            v = self.rng.normal(size=(len(texts), 384)).astype(np.float32)
            return (v / np.linalg.norm(v, axis=1, keepdims=True)).tolist()

    modules = (vectors, embedding)  # where the index embeds
    real = [m.get_embeddings for m in modules]
    for module in modules:
        module.get_embeddings = lambda _s: RandomVectors()
    rng = random.Random(size)
    started = time.perf_counter()
    try:
        writer = Writer(settings, rebuild=True)
        per_doc = 1000
        for d in range((size + per_doc - 1) // per_doc):
            meta = DocumentMeta(doc_id=f"syn-{d:04d}", title=f"Synthetisch document {d}", kind="rapport")
            texts = [" ".join(rng.sample(sentences, 6)) for _ in range(min(per_doc, size - d * per_doc))]
            doc = Document(meta, "\n\n".join(texts), [PageSpan(1, 0, 1)], [], {}, [], f"h{d}")
            chunks, pos = [], 0
            for i, text in enumerate(texts):
                chunks.append(Chunk(f"{meta.doc_id}:{i:05d}", meta.doc_id, i, text, pos, pos + len(text), (), (1,)))
                pos += len(text) + 2
            writer.add(doc, chunks, {f"{meta.doc_id}.txt": meta.doc_id}, analyse(settings, doc, chunks))
        writer.commit()
    finally:
        for module, function in zip(modules, real, strict=True):
            module.get_embeddings = function
    return time.perf_counter() - started


def _writing(settings: Settings, backend: str, questions: list[str]) -> dict:
    """Time to first token and tokens/s of one backend, through the answerer (evidence, prompt, stream)."""
    from assistant.answer.answerer import Answerer
    from assistant.models.llm import ollama_problem

    if backend == "ollama" and (problem := ollama_problem(settings)):
        return {"available": False, "reason": problem}
    started = time.perf_counter()
    try:
        answerer = Answerer(settings, backend)
    except AssistantError as exc:
        return {"available": False, "reason": str(exc)}
    loaded = time.perf_counter() - started
    firsts, tokens, seconds = [], 0, 0.0
    for question in questions:
        asked, stamps = time.perf_counter(), []
        for event in answerer.stream(question):
            if isinstance(event, str) and event:
                stamps.append(time.perf_counter())
        if stamps:
            firsts.append((stamps[0] - asked) * 1000)
            tokens, seconds = tokens + len(stamps) - 1, seconds + stamps[-1] - stamps[0]
    first = percentiles(firsts)
    return {"available": True, "model": answerer.backend.model, "load_s": round(loaded, 1),
            "answers_written": len(firsts), "first_token_p50_ms": first.p50, "first_token_p95_ms": first.p95,
            "tokens_per_s": round(tokens / seconds, 1) if seconds else None}


def _serve(env: dict[str, str]) -> dict:
    """`assistant serve` with the embedded model: seconds until its page answers, and its memory then."""
    import urllib.request

    port = free_port()
    exe = str(Path(sys.executable).with_name("assistant"))
    started = time.perf_counter()
    server = subprocess.Popen([exe, "serve", "--port", str(port), "--backend", "embedded"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(480):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("assistant serve exited before its page answered") from None
                time.sleep(0.25)
        else:
            raise SystemExit("assistant serve did not answer within 2 minutes")
        ready = time.perf_counter() - started
        current, peak = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"page_after_s": round(ready, 1), "rss_mb": round(current), "peak_rss_mb": round(peak)}


def _plot(search: dict) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row["chunks"] for row in search["synthetic"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label in (("p50_ms", "p50"), ("p95_ms", "p95")):
        ax.plot(sizes, [row[key] for row in search["synthetic"]], marker="o", label=f"synthetic index, {label}")
        ax.axhline(search["bundled"][key], linestyle=":", color="grey")
    ax.annotate("bundled corpus p50 / p95 (dotted)", (sizes[0], search["bundled"]["p95_ms"]), fontsize=8,
                xytext=(0, 6), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("warm search latency, ms")
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    path = REPORTS / "bench-search.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--backends", default="embedded,ollama")
    args = parser.parse_args()
    gold = load_gold(ROOT / "evals" / "gold.jsonl").questions
    questions = [q.question for q in gold][: args.queries]
    answerable = [q.question for q in gold if not q.abstain and not q.follow_up_of][:10]
    exe = str(Path(sys.executable).with_name("assistant"))
    results: dict = {}
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
        env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(tmp_path / "corpus"),
               "ASSISTANT_INDEX_DIR": str(tmp_path / "index"), "ANONYMIZED_TELEMETRY": "False",
               "GRADIO_ANALYTICS_ENABLED": "False"}
        results["ingest"] = {name: dict(zip(("seconds", "peak_rss_mb"), _run(command, env), strict=True))
                             for name, command in (("fresh", [exe, "ingest"]), ("unchanged", [exe, "ingest"]),
                                                   ("cold_search", [exe, "search", questions[0]]))}
        bundled = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
        from assistant.index import Index

        chunks = Index.open(bundled).chunks
        search = {"queries": len(questions), "bundled": {"chunks": len(chunks), **_latency(bundled, questions)},
                  "synthetic": []}
        sentences = [s for c in chunks for a, b in sentence_spans(c.text) if len(s := c.text[a:b]) > 40]
        for size in (int(s) for s in args.sizes.split(",")):
            settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / f"syn-{size}",
                                embeddings={"batch_size": 1000})
            build = _synthetic(settings, size, sentences)
            search["synthetic"].append({"chunks": size, "build_s": round(build, 1), **_latency(settings, questions)})
        results["search"] = search
        results["peak_rss_benchmark_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        results["writing"] = {b: _writing(bundled, b, answerable) for b in args.backends.split(",") if b}
        results["serve"] = _serve(env)
    plot = _plot(results["search"])
    rows = [(f"{name.replace('_', ' ')} (whole command)", f"{r['seconds']:.2f} s, peak RSS {r['peak_rss_mb']:.0f} MB")
            for name, r in results["ingest"].items()]
    for row in [search["bundled"], *search["synthetic"]]:
        built = f" (built in {row['build_s']:.0f} s)" if "build_s" in row else " (bundled corpus)"
        rows.append((f"warm search, {row['chunks']:,} chunks{built}",
                     f"p50 {row['p50_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms"))
    rows.append(("peak RSS of this process (searches incl. the largest index)",
                 f"{results['peak_rss_benchmark_mb']} MB"))
    for name, w in results["writing"].items():
        rows.append((f"writing answers, {name}", f"first token p50 {w['first_token_p50_ms']:.0f} ms, "
                     f"{w['tokens_per_s']} tokens/s ({w['model']}, loaded in {w['load_s']} s)"
                     if w["available"] else f"not available: {w['reason']}"))
    rows.append(("assistant serve (embedded), once the page answers",
                 f"after {results['serve']['page_after_s']} s, RSS {results['serve']['rss_mb']} MB, "
                 f"peak {results['serve']['peak_rss_mb']} MB"))
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    out = REPORTS / "bench.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT)} and {plot.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
