"""Ingest and search at corpus scale: a reproducible corpus of `--pages` pages, ingested fresh and unchanged.

Usage:  python evals/bench_scale.py [--pages 1000] [--pages-per-document 10] [--queries 50] [--keep DIR]

The corpus is made from the bundled document (nr. 1055): its headings and sentences, reshuffled per document
with a seeded generator, and in every sentence one word swapped for another word of the document's own
vocabulary, so each document (and nearly every sentence) is new text while its structure and words stay those
of a Dutch policy letter. Half the documents are PDFs (real pages, a footer with the page number), half text
files with a form feed between pages; pages hold about as much text as the bundled document's. None is a
duplicate of another, so every page is read, chunked and embedded.

Reported (stdout and `evals/reports/bench-scale.json`): fresh and unchanged ingest, each timed as the whole
`assistant ingest` command (start-up included) with the peak RSS of that process, pages a minute, warm search
p50/p95 over the gold questions (each embedded afresh), and the extractive answer's p50. Targets at 1,000 pages
on 2 cores: fresh ingest at 200 pages a minute or more, unchanged re-ingest within 3 s, peak memory within
1.5 GB, search p50 within 15 ms and p95 within 60 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "evals")]

from bench import REPORTS, _latency, _run  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.evaluation.gold import load_gold  # noqa: E402
from assistant.evaluation.metrics import percentiles  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402

PAGE_CHARS = 2600  # the bundled document: about 36,000 characters on 14 pages
WORD = re.compile(r"\b[a-zà-ÿ]{6,}\b")


def _material() -> tuple[list[str], list[str], list[str]]:
    """The bundled document's headings, sentences and longer words (its official text, one file of the corpus)."""
    text = (ROOT / "corpus" / "001_8ed86a11dc3d904d.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()[6:]]  # after the letter's head (title, number, address)
    headings = [line for before, line in itertools.pairwise(lines)
                if 3 < len(line) < 70 and line[0].isupper() and before.endswith((".", "?", ":"))
                and not line.endswith((".", ",", ":", ";"))]
    prose = " ".join(line for line in lines if line not in headings)
    sentences = [s for a, b in sentence_spans(prose) if len(s := prose[a:b].strip()) > 40]
    words = sorted(set(WORD.findall(text.lower())))
    return headings, sentences, words


def _pages(rng: random.Random, count: int, title: str, material: tuple[list[str], list[str], list[str]]) -> list[str]:
    """`count` pages of a new letter: a heading now and then, paragraphs of the bundled sentences, each with one
    of its longer words swapped for another of the vocabulary."""
    headings, sentences, words = material
    pages = []
    for number in range(count):
        parts = [title] if number == 0 else []
        while sum(len(p) for p in parts) < PAGE_CHARS:
            if rng.random() < 0.2:
                parts.append(rng.choice(headings))
            paragraph = []
            for sentence in rng.sample(sentences, 4):
                found = WORD.findall(sentence)
                if found:
                    sentence = sentence.replace(rng.choice(found), rng.choice(words), 1)
                paragraph.append(sentence)
            parts.append(" ".join(paragraph))
        pages.append("\n\n".join(parts))
    return pages


def _pdf(path: Path, pages: list[str], title: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    pdf.add_font("dv", fname=font)
    pdf.set_font("dv", size=9)
    pdf.set_auto_page_break(auto=False)
    for number, page in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_xy(15, 15)
        for paragraph in page.split("\n\n"):
            pdf.multi_cell(180, 4.2, paragraph)
            pdf.ln(2)
        pdf.set_xy(15, 285)
        pdf.cell(0, 4, f"Tweede Kamer, vergaderjaar 2022-2023, 99 999, nr. {path.stem[-4:]} {number}")
    pdf.output(str(path))


def make_corpus(corpus: Path, pages: int, per_document: int) -> int:
    """Write the corpus (seeded: the same files every time); returns its number of documents."""
    material = _material()
    corpus.mkdir(parents=True, exist_ok=True)
    documents = (pages + per_document - 1) // per_document
    for d in range(documents):
        rng = random.Random(d)
        count = min(per_document, pages - d * per_document)
        title = f"Voortgangsbrief digitale samenleving {d + 1}"
        content = _pages(rng, count, title, material)
        if d % 2:
            (corpus / f"brief-{d:04d}.txt").write_text("\n\f".join(content) + "\n", encoding="utf-8")
        else:
            _pdf(corpus / f"brief-{d:04d}.pdf", content, title)
    return documents


def _answer_p50(settings: Settings, questions: list[str]) -> float:
    """The extractive answer's p50 (ms), warm, over `questions`."""
    from assistant.answer.answerer import Answerer

    answerer = Answerer(settings, "extractive")
    answerer.ask(questions[0])
    timings = []
    for question in questions:
        started = time.perf_counter()
        answerer.ask(question)
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings).p50


def _show(results: dict, what: str, figures: object) -> None:
    """Keep a figure and print it at once: a run of 1,000 pages takes long, each figure counts by itself."""
    results[what] = figures
    print(f"{what}: {json.dumps(figures)}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages in the corpus (default 1000)")
    parser.add_argument("--pages-per-document", type=int, default=10)
    parser.add_argument("--queries", type=int, default=50, help="gold questions timed for search and answers")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it (default: a temporary one)")
    args = parser.parse_args()
    if args.keep and (args.keep / "index").exists():
        parser.error(f"{args.keep} already holds an index: the fresh ingest would not be fresh")
    questions = [q.question for q in load_gold(ROOT / "evals" / "gold.jsonl").questions][: args.queries]
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        corpus, index = base / "corpus", base / "index"
        started = time.perf_counter()
        documents = make_corpus(corpus, args.pages, args.pages_per_document)
        made = time.perf_counter() - started
        env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index),
               "ANONYMIZED_TELEMETRY": "False"}
        command = [str(Path(sys.executable).with_name("assistant")), "ingest"]
        results: dict = {"pages": args.pages, "documents": documents, "corpus_seconds": round(made, 1)}
        fresh, fresh_rss = _run(command, env)
        _show(results, "fresh", {"seconds": round(fresh, 1), "pages_per_minute": round(args.pages / fresh * 60),
                                 "peak_rss_mb": round(fresh_rss)})
        unchanged, unchanged_rss = _run(command, env)
        _show(results, "unchanged", {"seconds": round(unchanged, 2), "peak_rss_mb": round(unchanged_rss)})
        settings = Settings(corpus_dir=corpus, index_dir=index)
        _show(results, "search", _latency(settings, questions))
        _show(results, "answer_p50_ms", _answer_p50(settings, questions))
        results["load"] = os.getloadavg()
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "bench-scale.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
