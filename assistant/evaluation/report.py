"""An evaluation run as files people read: JSON, a Markdown and an HTML report, and the plots they show.

Both reports are rendered from one list of blocks, so they always say the same thing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.evaluation.judge import QuestionResult
from assistant.evaluation.metrics import Metrics, Report

# (label, how to read it from Metrics): the rows of the headline table.
HEADLINE: list[tuple[str, Any]] = [
    ("retrieval recall@1", lambda m, k: m.retrieval_recall.get(1)),
    ("retrieval recall@{k}", lambda m, k: m.retrieval_recall.get(k)),
    ("retrieval recall@10", lambda m, k: m.retrieval_recall.get(10)),
    ("MRR", lambda m, k: m.mrr),
    ("citation recall", lambda m, k: m.citation_recall),
    ("same-language / other-language citation recall", lambda m, k: _pair(m.citation_recall_same_language,
                                                                           m.citation_recall_other_language)),
    ("citation precision", lambda m, k: m.citation_precision),
    ("quote fidelity", lambda m, k: m.quote_fidelity),
    ("quotes per answer", lambda m, k: m.quotes_per_answer),
    ("first quote carries the answer", lambda m, k: m.first_quote_carries),
    ("keywords", lambda m, k: m.keywords),
    ("abstention precision", lambda m, k: m.abstention_precision),
    ("abstention recall (unanswerable declined)", lambda m, k: m.abstention_recall),
    ("answerable answered", lambda m, k: m.answer_rate),
    ("abstention accuracy", lambda m, k: m.abstention_accuracy),
    ("answered", lambda m, k: f"{m.answered} of {m.questions}"),
    ("fallback to quotes", lambda m, k: m.fallback_rate),
    ("latency p50 / p95", lambda m, k: _latency(m, "total_ms")),
    ("first token p50 / p95", lambda m, k: _latency(m, "first_token_ms")),
]
# The per-type table and plot: the figure that matters for each kind of question.
PER_TYPE = [("abstention accuracy", "abstention_accuracy"), ("citation recall", "citation_recall"),
            ("citation precision", "citation_precision"), ("keywords", "keywords")]
FAILURES = [("citation misses (gold evidence not cited)", "citation_misses"),
            ("citations that do not hold", "imprecise_citations"),
            ("quotes not verbatim in the source", "quotes_not_verbatim"),
            ("keywords missing", "keyword_misses"),
            ("abstained on an answerable question", "abstained_but_answerable"),
            ("answered where it should abstain", "answered_but_should_abstain"),
            ("evidence not retrieved in the top k", "retrieval_misses")]
_STAGE_NAMES = {"retrieve_ms": "retrieval", "first_token_ms": "first token", "generate_ms": "writing",
                "total_ms": "whole answer"}
COLOURS = {"pipeline": "#1f5f8b", "baseline": "#c8783c"}


def _format(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _pair(first: float | None, second: float | None) -> str | None:
    return None if first is None and second is None else f"{_format(first)} / {_format(second)}"


def _latency(m: Metrics, stage: str) -> str | None:
    got = m.latency_ms.get(stage)
    return None if got is None else f"{_ms(got.p50)} / {_ms(got.p95)}"


def _ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def headline(report: Report) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the pipeline-against-baseline table (the CLI prints it, the reports show it)."""
    header = ["metric", *(s.name for s in report.systems)]
    rows = [[label.format(k=report.k), *(_format(read(s.metrics, report.k)) for s in report.systems)]
            for label, read in HEADLINE if label != "retrieval recall@{k}" or report.k not in (1, 10)]
    return header, rows


def side_by_side(reports: Sequence[Report]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the pipeline's figures on several gold sets, one column per set (train, dev, test)."""
    header = ["metric", *(Path(r.gold_set).stem for r in reports)]
    rows = [[label.format(k=reports[0].k), *(_format(read(r.systems[0].metrics, r.k)) for r in reports)]
            for label, read in HEADLINE if label != "retrieval recall@{k}" or reports[0].k not in (1, 10)]
    return header, rows


@dataclass
class _Block:
    kind: str  # h1 | h2 | p | list | table | img
    content: Any


def _blocks(report: Report, images: dict[str, str]) -> list[_Block]:
    names = [s.name for s in report.systems]
    blocks = [
        _Block("h1", f"Evaluation: {report.backend} ({report.model or 'no model'})"),
        _Block("p", f"Gold set {report.gold_set}: {report.questions} questions, k = {report.k}, {report.created}; "
                    f"whole run {report.wall_s:.0f} s" + (f", {report.resumed} answers resumed from an earlier run"
                                                          if report.resumed else "") + "."),
    ]
    if report.gold_problems:
        blocks += [_Block("h2", "Lines of the gold set that were skipped"), _Block("list", report.gold_problems)]
    if report.evidence_problems:
        blocks += [_Block("h2", "Gold evidence not scored (not in the corpus)"),
                   _Block("table", (["id", "line", "document", "problem", "quote"],
                                    [[p.id, str(p.line), p.doc_id, p.reason, p.quote]
                                     for p in report.evidence_problems]))]
    blocks += [_Block("h2", " against ".join(names).capitalize()), _Block("table", headline(report))]
    blocks += [_Block("p", f"{s.name}: {s.description}.") for s in report.systems]
    blocks.append(_Block("img", ("headline figures", images["compare"])))
    types = list(report.systems[0].per_type)
    header = ["type", "questions", *(label for label, _ in PER_TYPE)]
    rows = [[t, str(report.systems[0].per_type[t].questions),
             *(" / ".join(_format(getattr(s.per_type[t], attr)) for s in report.systems) for _, attr in PER_TYPE)]
            for t in types]
    blocks += [_Block("h2", f"Per question type ({' / '.join(names)})"), _Block("table", (header, rows)),
               _Block("img", ("figures per question type", images["types"]))]
    stages = sorted({st for s in report.systems for st in s.metrics.latency_ms}, key=list(_STAGE_NAMES).index)
    blocks += [_Block("h2", "Latency per stage (p50 / p95)"),
               _Block("table", (["stage", *names], [[_STAGE_NAMES[st], *(
                   _latency(s.metrics, st) or "–" for s in report.systems)] for st in stages])),
               _Block("img", ("latency distribution", images["latency"]))]
    blocks.append(_Block("h2", "What failed (question ids)"))
    for s in report.systems:
        blocks.append(_Block("list", [f"{s.name}, {label}: {', '.join(getattr(s.metrics, attr)) or 'none'}"
                                      for label, attr in FAILURES]))
    blocks.append(_Block("p", "How each figure is judged: evals/README.md, section “Metrics”."))
    return blocks


def _markdown(blocks: Sequence[_Block]) -> str:
    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    out = []
    for b in blocks:
        if b.kind in ("h1", "h2"):
            out.append(f"{'#' if b.kind == 'h1' else '##'} {b.content}")
        elif b.kind == "p":
            out.append(b.content)
        elif b.kind == "list":
            out.append("\n".join(f"- {cell(item)}" for item in b.content))
        elif b.kind == "table":
            header, rows = b.content
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            out.append("\n".join(lines + ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]))
        else:
            out.append(f"![{b.content[0]}]({b.content[1]})")
    return "\n\n".join(out) + "\n"


def _html(blocks: Sequence[_Block], title: str) -> str:
    e = html.escape
    out = []
    for b in blocks:
        if b.kind in ("h1", "h2", "p"):
            out.append(f"<{b.kind}>{e(b.content)}</{b.kind}>")
        elif b.kind == "list":
            out.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in b.content) + "</ul>")
        elif b.kind == "table":
            header, rows = b.content
            head = "".join(f"<th>{e(h)}</th>" for h in header)
            body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        else:
            out.append(f'<img alt="{e(b.content[0])}" src="{e(b.content[1])}">')
    style = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;"
             "text-align:left;vertical-align:top}th{background:#f3f3f3}img{max-width:100%}")
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{style}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")


def _plots(report: Report, results: Sequence[QuestionResult], out_dir: Path, stem: str) -> dict[str, str]:
    """PNG files next to the reports: headline figures, figures per type, latency distribution."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    files = {name: f"{stem}-{name}.png" for name in ("compare", "types", "latency")}
    width = 0.8 / len(report.systems)

    labels = ["recall@5", "citation recall", "citation precision", "quote fidelity", "keywords",
              "abstention accuracy"]
    fig, ax = plt.subplots(figsize=(9, 4))
    for i, s in enumerate(report.systems):
        m = s.metrics
        values = [m.retrieval_recall.get(5), m.citation_recall, m.citation_precision, m.quote_fidelity, m.keywords,
                  m.abstention_accuracy]
        ax.bar(np.arange(len(labels)) + i * width, [v or 0 for v in values], width, label=s.name,
               color=COLOURS.get(s.name))
    ax.set_xticks(np.arange(len(labels)) + width * (len(report.systems) - 1) / 2, labels, rotation=15)
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title(f"{report.backend}: {' against '.join(s.name for s in report.systems)}")
    fig.tight_layout()
    fig.savefig(out_dir / files["compare"], dpi=110)
    plt.close(fig)

    types = list(report.systems[0].per_type)
    fig, axes = plt.subplots(1, len(PER_TYPE), figsize=(14, 0.35 * len(types) + 1.5), sharey=True)
    for ax, (label, attr) in zip(axes, PER_TYPE, strict=True):
        for i, s in enumerate(report.systems):
            ax.barh(np.arange(len(types)) + i * width, [getattr(s.per_type[t], attr) or 0 for t in types], width,
                    label=s.name, color=COLOURS.get(s.name))
        ax.set_title(label)
        ax.set_xlim(0, 1.05)
    axes[0].set_yticks(np.arange(len(types)) + width * (len(report.systems) - 1) / 2, types)
    axes[0].invert_yaxis()
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", ncols=len(report.systems))
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(out_dir / files["types"], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 4))
    series, names = [], []
    for s in report.systems:
        for stage in ("retrieve_ms", "first_token_ms", "total_ms"):
            values = [r.timings[stage] for r in results if r.system == s.name and stage in r.timings]
            if values:
                series.append(values)
                names.append(f"{s.name}\n{_STAGE_NAMES[stage]}")
    ax.boxplot(series, orientation="horizontal", whis=(5, 95))
    ax.set_yticks(range(1, len(names) + 1), names)
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds (whiskers: p5 and p95)")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(out_dir / files["latency"], dpi=110)
    plt.close(fig)
    return files


def write_reports(report: Report, results: Sequence[QuestionResult], out_dir: Path, stem: str) -> Report:
    """Write `<stem>.json`, `.md`, `.html` and the plots to `out_dir`; the report lists the files."""
    images = _plots(report, results, out_dir, stem)
    blocks = _blocks(report, images)
    title = f"Evaluation: {report.backend}"
    written = [out_dir / f"{stem}.jsonl", *(out_dir / f for f in images.values())]
    for suffix, text in ((".md", _markdown(blocks)), (".html", _html(blocks, title))):
        (out_dir / f"{stem}{suffix}").write_text(text, encoding="utf-8")
        written.append(out_dir / f"{stem}{suffix}")
    report = report.model_copy(update={"files": [str(p) for p in [out_dir / f"{stem}.json", *written]]})
    (out_dir / f"{stem}.json").write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return report
