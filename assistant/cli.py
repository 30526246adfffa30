"""The `assistant` command: thin wrappers that parse arguments, call one library function, print."""

from __future__ import annotations

import json
import os
import sys
from functools import wraps
from pathlib import Path
from typing import Any

import click

from assistant.schema import AssistantError

# Chroma reads this before its settings object exists; no telemetry leaves the machine.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _settings(index: Path | None = None, corpus: Path | None = None) -> Any:
    from assistant.config import Settings

    overrides: dict[str, Any] = {}
    if index is not None:
        overrides["index_dir"] = index
    if corpus is not None:
        overrides["corpus_dir"] = corpus
    try:
        return Settings(**overrides)
    except Exception as exc:  # pydantic's ValidationError lists every bad setting
        raise click.ClickException(f"invalid settings: {exc}") from exc


def _friendly(func: Any) -> Any:
    """Errors the user can act on become one clear line and exit code 1, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AssistantError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


@click.group()
@click.version_option(package_name="assistant")
def cli() -> None:
    """Offline policy assistant: cited answers from Dutch digitalisation policy documents."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(path_type=Path), help="Corpus directory (default: settings).")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--rebuild", is_flag=True, help="Ignore the existing index and build a new one from scratch.")
@_friendly
def ingest(paths: tuple[Path, ...], corpus: Path | None, index: Path | None, rebuild: bool) -> None:
    """Index the corpus; only new or changed documents are read and embedded.

    Files given as PATHS are first copied into the corpus directory.

    \b
    Examples:
      assistant ingest
      assistant ingest ~/Downloads/werkagenda.pdf
      assistant ingest --rebuild
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from assistant.ingest import ingest as run_ingest

    settings = _settings(index, corpus)
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        report = run_ingest(settings, list(paths), rebuild=rebuild, progress=progress)
    table = Table(title=f"Ingest into {settings.index_dir} ({report.generation})")
    for column in ("document", "file(s)", "status", "pages", "chunks", "note"):
        table.add_column(column)
    for r in report.results:
        style = {"failed": "red", "skipped": "yellow"}.get(r.status)
        table.add_row(r.doc_id or "", r.name, r.status, str(r.pages or ""), str(r.chunks or ""), r.message,
                      style=style)
    console.print(table)
    docs = report.count("added", "updated", "unchanged")
    console.print(
        f"{docs} documents, {sum(r.pages for r in report.results)} pages, "
        f"{sum(r.chunks for r in report.results if r.status != 'removed')} chunks "
        f"({report.embedded} embedded), {report.count('skipped')} skipped, {len(report.failed)} failed, "
        f"{report.seconds:.1f} s"
    )
    for r in report.failed:
        click.echo(f"error: {r.name}: {r.message}", err=True)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 100), default=None, help="Number of passages (default: settings).")
@click.option("--doc", "doc_ids", multiple=True, help="Only this document id (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Only documents of this kind (repeatable).")
@click.option("--since", help="Only documents dated on or after this ISO date.")
@click.option("--until", help="Only documents dated on or before this ISO date.")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per passage.")
@_friendly
def search(query: str, k: int | None, doc_ids: tuple[str, ...], kinds: tuple[str, ...], since: str | None,
           until: str | None, index: Path | None, as_json: bool) -> None:
    """Ranked passages for QUERY, with document, section, page and score.

    \b
    Examples:
      assistant search "Basis Data Infrastructuur"
      assistant search "AI in het onderwijs" -k 3 --doc kst-26643-1055 --json
    """
    from assistant.retrieve import Filters, Searcher

    if not query.strip():
        raise click.UsageError("the query is empty")
    settings = _settings(index)
    searcher = Searcher(settings)
    unknown = [d for d in doc_ids if d not in searcher.index.documents]
    if unknown:
        raise click.ClickException(f"unknown document id(s): {', '.join(unknown)}; see `assistant docs`")
    hits = searcher.search(query, k, Filters(list(doc_ids), list(kinds), since, until))
    for rank, hit in enumerate(hits, 1):
        result = searcher.to_search_hit(rank, hit)
        if as_json:
            click.echo(json.dumps(result.model_dump(), ensure_ascii=False))
            continue
        pages = ", ".join(map(str, result.pages)) or "-"
        click.secho(f"[{rank}] {result.title} — p. {pages} — score {result.score:.4f}", bold=True)
        click.echo(f"    {result.identifier or result.doc_id} › {' › '.join(result.section) or '(opening)'}")
        click.echo("    " + " ".join(result.text.split())[:600])
        click.echo()
    if not hits:
        click.echo("no passages found", err=True)


@cli.command()
@click.argument("question", required=False)
@click.option("--backend", type=click.Choice(["extractive"]), default="extractive", show_default=True,
              help="How the answer is written: `extractive` quotes the best supporting sentences.")
@click.option("--doc", "doc_ids", multiple=True, help="Only this document id (repeatable).")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="The answer as one JSON object.")
@click.option("--jsonl", is_flag=True, help="Read one question per line from stdin; one JSON object per line.")
@_friendly
def ask(question: str | None, backend: str, doc_ids: tuple[str, ...], index: Path | None, as_json: bool,
        jsonl: bool) -> None:
    """Answer QUESTION from the documents, with a numbered source for every sentence.

    \b
    Examples:
      assistant ask "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten?"
      assistant ask "Which institution runs a Centre of Expertise Applied AI?" --json
      printf 'Vraag een\nVraag twee\n' | assistant ask --jsonl
    """
    from assistant.answer import Answerer
    from assistant.retrieve import Filters

    if jsonl == bool(question):
        raise click.UsageError("give a QUESTION, or --jsonl with questions on stdin")
    answerer = Answerer(_settings(index))
    unknown = [d for d in doc_ids if d not in answerer.index.documents]
    if unknown:
        raise click.ClickException(f"unknown document id(s): {', '.join(unknown)}; see `assistant docs`")
    filters = Filters(list(doc_ids))
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                click.echo(answerer.ask(line, filters).model_dump_json())
        return
    if not question.strip():
        raise click.UsageError("the question is empty")
    answer = answerer.ask(question, filters)
    if as_json:
        click.echo(answer.model_dump_json())
        return
    for notice in answer.notices:
        click.echo(f"note: {notice}", err=True)
    click.echo(answer.answer)
    sources = answer.citations or answer.related
    if sources:
        heading = "Bronnen" if answer.language == "nl" else "Sources"
        if answer.abstained:
            heading = "Misschien verwant" if answer.language == "nl" else "Maybe related"
        click.secho(f"\n{heading}:", bold=True)
    for c in sources:
        where = ", ".join(x for x in (c.identifier or c.doc_id, f"p. {c.page}" if c.page else "",
                                      f"voetnoot {c.footnote}" if c.footnote else "", c.section) if x)
        click.echo(f"[{c.n}] {c.title} ({where})")
        click.echo(f"    «{' '.join(c.quote.split())}»")


@cli.command()
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@_friendly
def docs(index: Path | None, as_json: bool) -> None:
    """List indexed documents with their metadata (inferred fields are marked *)."""
    from assistant.index import Index

    idx = Index.open(_settings(index))
    for doc_id, d in sorted(idx.documents.items()):
        meta = d["meta"]
        if as_json:
            click.echo(json.dumps({**meta, "pages": d.get("pages"), "chunks": len(d["chunk_ids"])},
                                  ensure_ascii=False))
            continue
        mark = {k: "*" if k in meta["inferred"] else "" for k in ("title", "date", "identifier", "kind")}
        click.secho(f"{doc_id}  {meta['title']}{mark['title']}", bold=True)
        click.echo(f"    {meta['kind']}{mark['kind']}, {meta['date'] or 'undated'}{mark['date']}, "
                   f"{meta['identifier'] or 'no identifier'}{mark['identifier']}, status {meta['status']}; "
                   f"{d.get('pages', 0)} pages, {len(d['chunk_ids'])} chunks; files: {', '.join(meta['files'])}")


if __name__ == "__main__":
    cli()
