"""Reading files shaped unlike a policy letter: how long a loader and the chunker take on each, and how many
chunks come out.

Usage:  python evals/bench_loaders.py [--size 3000] [--depth 10000]

Each case is written in memory, read by the loader for its format and cut into chunks as ingest cuts it (nothing
is embedded): a web page with an ordered list of `--size` items, one with a table of `--size` rows, a Word-like
page of `--size` paragraphs, pages nested `--depth` deep in `<div>`, `<blockquote>`, `<td>` and `<li>`, a text
file of one 1 MB line that runs in circles, and a Markdown file of `--size` list items. Reported per case: the
seconds to read, the seconds to chunk, the blocks and the chunks. Results go to stdout and
`evals/reports/loaders.json`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from assistant.config import ChunkingSettings
from assistant.sources.chunking import chunk_document
from assistant.sources.documents import build_document
from assistant.sources.loaders.html import load_html
from assistant.sources.loaders.plaintext import load_markdown, load_text
from assistant.types import DocumentMeta

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "evals" / "reports" / "loaders.json"
_WORDS = "loket digitale inclusie zeeland middelburg provincie".split()


def cases(size: int, depth: int) -> dict[str, tuple[str, str]]:
    """Each case's file name and text."""
    page = "<html><body><h1>Rapport</h1>{}</body></html>"
    nested = {tag: page.format(f"<{tag}>" * depth + "<p>Tekst in de diepte.</p>" + f"</{tag}>" * depth)
              for tag in ("div", "blockquote", "td", "li")}
    line = " ".join(_WORDS[i % len(_WORDS)] for i in range(160_000))[: 1024 * 1024]
    return {
        "ordered list": ("lijst.html", page.format(
            "<ol>" + "".join(f"<li>Punt {i} van de lijst.</li>" for i in range(size)) + "</ol>")),
        "table rows": ("tabel.html", page.format(
            "<table><thead><tr><th>Rij</th><th>Aantal</th></tr></thead><tbody>"
            + "".join(f"<tr><td>Rij {i}</td><td>{i}</td></tr>" for i in range(size)) + "</tbody></table>")),
        "paragraphs": ("alineas.html", page.format("".join(f"<p>Alinea {i} over beleid.</p>" for i in range(size)))),
        **{f"nested {tag}": (f"diep-{tag}.html", text) for tag, text in nested.items()},
        "1 MB line": ("regel.txt", f"Loket\n\n{line}\n"),
        "markdown list": ("lijst.md", "# Lijst\n\n" + "\n".join(f"- item {i} met tekst" for i in range(size))),
    }


def measure(name: str, text: str) -> dict[str, float | int]:
    """Seconds to read and to chunk, blocks and chunks."""
    path = Path(name)
    loader = {".html": load_html, ".md": load_markdown, ".txt": load_text}[path.suffix]
    started = time.perf_counter()
    rendering = loader(path, text)
    read = time.perf_counter()
    chunks = chunk_document(build_document(DocumentMeta(path.stem, path.stem), [rendering], "h"), ChunkingSettings())
    return {"read_s": round(read - started, 2), "chunk_s": round(time.perf_counter() - read, 2),
            "blocks": len(rendering.blocks), "chunks": len(chunks)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--depth", type=int, default=10_000)
    args = parser.parse_args()
    results = {}
    for case, (name, text) in cases(args.size, args.depth).items():
        results[case] = measure(name, text)
        print(f"{case:18} " + "  ".join(f"{k} {v}" for k, v in results[case].items()), flush=True)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"size": args.size, "depth": args.depth, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
