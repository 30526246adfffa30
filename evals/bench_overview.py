"""The onboarding view: how long it takes to make and to serve, and how it scores against the hand-made lists
in `evals/overview/` (one JSON file per document; rules in its README).

Usage (after `assistant ingest`):  python evals/bench_overview.py [--index index] [--json]

Made: each document's part (map, glossary, timeline, who is who) from its stored text and sentence vectors, as
ingest does it. Served: a fresh process opening the index and combining the stored parts, then the Overview
page's HTML and a Markdown briefing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from assistant.config import Settings
from assistant.enrich.overview import combine, describe
from assistant.evaluation.overview import score
from assistant.index import Index
from assistant.present.briefing import briefing

ROOT = Path(__file__).resolve().parent.parent
SERVE = """
import sys, time
started = time.perf_counter()
from assistant.config import Settings
from assistant.index import Index
index = Index.open(Settings(**({{"index_dir": sys.argv[1]}} if sys.argv[1] else {{}})))
opened = time.perf_counter()
index.overview()
print((opened - started) * 1000, (time.perf_counter() - opened) * 1000)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings(**({"index_dir": args.index} if args.index else {}))
    index = Index.open(settings)
    started = time.perf_counter()
    parts = {d: describe(index.document(d), index.sentence_vectors(d)) for d in index.documents}
    view = combine(parts, {d: index.meta(d) for d in index.documents})
    made_s = time.perf_counter() - started
    out = subprocess.run([sys.executable, "-c", SERVE.format(), str(args.index or "")], capture_output=True,
                         text=True, check=True)
    open_ms, serve_ms = (float(x) for x in out.stdout.split())
    from assistant.web.app import App

    app = App(settings, "extractive")
    app.answerer.index.overview()
    started = time.perf_counter()
    app.overview_html("nl")
    page_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    briefing(view, "md")
    briefing_ms = (time.perf_counter() - started) * 1000
    result = {"documents": len(parts), "made_s": round(made_s, 2), "index_open_ms": round(open_ms, 1),
              "overview_from_stored_parts_ms": round(serve_ms, 1), "overview_page_html_ms": round(page_ms, 1),
              "briefing_md_ms": round(briefing_ms, 1), "oracles": {}}
    for path in sorted((ROOT / "evals" / "overview").glob("*.json")):
        oracle = json.loads(path.read_text(encoding="utf-8"))
        if oracle["doc_id"] in parts:
            result["oracles"][oracle["doc_id"]] = score(view, oracle)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"{result['documents']} documents: made in {result['made_s']} s; served from the stored parts in "
          f"{result['overview_from_stored_parts_ms']} ms (index opened in {result['index_open_ms']} ms); Overview "
          f"page HTML {result['overview_page_html_ms']} ms; Markdown briefing {result['briefing_md_ms']} ms")
    for doc_id, s in result["oracles"].items():
        s = {k: "–" if v is None and k != "actors_precision" else v for k, v in s.items()}  # nothing to measure
        print(f"{doc_id}: glossary precision {s['glossary_precision']}, recall {s['glossary_recall']}; undefined "
              f"abbreviations precision {s['undefined_precision']}, recall {s['undefined_recall']}; timeline recall "
              f"{s['timeline_recall']} ({s['timeline_dated_in_list']} dated events in the list); who is who recall "
              f"{s['actors_recall']}" + (f", precision {s['actors_precision']}" if s["actors_precision"] is not None
                                         else ""))
        for key in ("glossary_missed", "glossary_extra", "timeline_missed", "actors_missed", "actors_wrong"):
            if s[key]:
                print(f"  {key}: {s[key]}")
    if len(result["oracles"]) > 1:  # the documents together, each item counted once (micro-averaged)
        total = {k: [sum(s["counts"][k][i] or 0 for s in result["oracles"].values()) for i in range(3)]
                 for k in ("glossary", "timeline", "actors", "actors_judged")}
        ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
        print(f"all {len(result['oracles'])} documents: glossary precision "
              f"{ratio(total['glossary'][0], total['glossary'][1])}, recall "
              f"{ratio(total['glossary'][0], total['glossary'][2])}; timeline recall "
              f"{ratio(total['timeline'][0], total['timeline'][2])}; who is who recall "
              f"{ratio(total['actors'][0], total['actors'][2])}, precision "
              f"{ratio(total['actors_judged'][0], total['actors_judged'][1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
