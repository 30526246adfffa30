"""Reference extraction against the hand-made lists in `evals/refs/` (one JSON file per document).

Usage (after `assistant ingest`):  python evals/bench_refs.py [--index index] [--json]

For each list: precision and recall over (reference, page, footnote) units (rules in `evals/refs/README.md`),
what was missed and what was extra; and how long extraction and the registry take.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from assistant.config import Settings
from assistant.enrich.refs import build_registry, extract, score
from assistant.index import Index

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings(**({"index_dir": args.index} if args.index else {}))
    index = Index.open(settings)
    results = {}
    for path in sorted((ROOT / "evals" / "refs").glob("*.json")):
        oracle = json.loads(path.read_text(encoding="utf-8"))
        doc_id = oracle["doc_id"]
        if doc_id not in index.documents:
            print(f"{path.name}: {doc_id} is not in the index; skipped", file=sys.stderr)
            continue
        doc = index.document(doc_id)
        started = time.perf_counter()
        mentions = extract(doc)
        extracted = time.perf_counter()
        registry = build_registry({doc_id: mentions}, {doc_id: index.meta(doc_id)})
        built = time.perf_counter()
        result = score(registry, oracle["references"])
        result["extract_ms"] = round((extracted - started) * 1000, 1)
        result["registry_ms"] = round((built - extracted) * 1000, 1)
        results[doc_id] = result
        if not args.json:
            print(f"{doc_id}: precision {result['precision']:.3f}, recall {result['recall']:.3f} "
                  f"({result['units']} units in the list, {result['extracted']} extracted; "
                  f"extraction {result['extract_ms']} ms, registry {result['registry_ms']} ms)")
            for label in ("missed", "extra"):
                for unit in result[label]:
                    print(f"  {label}: {unit}")
    started = time.perf_counter()
    index.references()
    whole = round((time.perf_counter() - started) * 1000, 1)
    if args.json:
        print(json.dumps({"documents": results, "registry_whole_index_ms": whole}, ensure_ascii=False, default=list))
    else:
        print(f"registry of the whole index: {whole} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
