"""Speed and memory of ingest and search, printed as a table (figures for the README).

Usage:  python evals/bench.py [--sizes 1000,10000,100000] [--queries 50]

1. Fresh ingest of the bundled corpus into a temporary index, then an unchanged re-ingest, each timed as the
   whole `assistant ingest` command a user runs (start-up included), with the peak RSS of that process.
2. Warm `search` latency on the bundled index (p50/p95 over the gold questions, embedder loaded once).
3. The same on synthetic indexes of 1k/10k/100k chunks: passages are sentences of the bundled corpus
   reshuffled; their vectors are random unit vectors (embedding 100k passages would take hours on two
   cores), so the figures measure the index, not the embedder. Queries still go through the real embedder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.chunking import sentence_spans  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.schema import Chunk, Document, DocumentMeta, PageSpan  # noqa: E402


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


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _latency(settings: Settings, questions: list[str]) -> tuple[float, float]:
    from assistant.retrieve import Searcher

    searcher = Searcher(settings)
    searcher.search(questions[0])  # warm: model, collection and BM25 loaded
    timings = []
    for q in questions:
        t = time.perf_counter()
        searcher.search(q)
        timings.append((time.perf_counter() - t) * 1000)
    return _percentiles(timings)


def _synthetic(settings: Settings, size: int, sentences: list[str]) -> float:
    """Build a `size`-chunk index with random vectors; returns build seconds."""
    import assistant.index as index_module

    class RandomVectors:
        def __init__(self) -> None:
            self.rng = np.random.default_rng(0)

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            v = self.rng.normal(size=(len(texts), 384)).astype(np.float32)
            return (v / np.linalg.norm(v, axis=1, keepdims=True)).tolist()

    real = index_module.get_embeddings
    index_module.get_embeddings = lambda _s: RandomVectors()
    rng = random.Random(size)
    started = time.perf_counter()
    try:
        writer = index_module.Writer(settings, rebuild=True)
        per_doc = 1000
        for d in range((size + per_doc - 1) // per_doc):
            meta = DocumentMeta(doc_id=f"syn-{d:04d}", title=f"Synthetisch document {d}", kind="rapport")
            texts = [" ".join(rng.sample(sentences, 6)) for _ in range(min(per_doc, size - d * per_doc))]
            doc = Document(meta, "\n\n".join(texts), [PageSpan(1, 0, 1)], [], {}, [], f"h{d}")
            chunks, pos = [], 0
            for i, text in enumerate(texts):
                chunks.append(Chunk(f"{meta.doc_id}:{i:05d}", meta.doc_id, i, text, pos, pos + len(text), (), (1,)))
                pos += len(text) + 2
            writer.add(doc, chunks, {f"{meta.doc_id}.txt": meta.doc_id})
        writer.commit()
    finally:
        index_module.get_embeddings = real
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    gold = [json.loads(x) for x in (ROOT / "evals" / "gold.jsonl").read_text().splitlines() if x.strip()]
    questions = [g["question"] for g in gold][: args.queries]
    exe = str(Path(sys.executable).with_name("assistant"))
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
        env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(tmp_path / "corpus"),
               "ASSISTANT_INDEX_DIR": str(tmp_path / "index")}
        seconds, rss = _run([exe, "ingest"], env)
        rows.append(("fresh ingest, bundled corpus (whole command)", f"{seconds:.1f} s, peak RSS {rss:.0f} MB"))
        seconds, rss = _run([exe, "ingest"], env)
        rows.append(("unchanged re-ingest (whole command)", f"{seconds:.2f} s, peak RSS {rss:.0f} MB"))
        seconds, rss = _run([exe, "search", questions[0]], env)
        rows.append(("one `assistant search` (whole command, cold)", f"{seconds:.2f} s, peak RSS {rss:.0f} MB"))
        bundled = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
        p50, p95 = _latency(bundled, questions)
        rows.append((f"search latency warm, bundled ({len(questions)} queries)", f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"))
        from assistant.index import Index

        chunks = Index.open(bundled).chunks
        sentences = [s for c in chunks for a, b in sentence_spans(c.text) if len(s := c.text[a:b]) > 40]
        for size in (int(s) for s in args.sizes.split(",")):
            settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / f"syn-{size}",
                                embeddings={"batch_size": 1000})
            build = _synthetic(settings, size, sentences)
            p50, p95 = _latency(settings, questions)
            rows.append((f"search latency warm, synthetic {size:,} chunks (build {build:.0f} s)",
                         f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"))
    rows.append(("peak RSS of this benchmark process (searches incl. 100k)",
                 f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"))
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
