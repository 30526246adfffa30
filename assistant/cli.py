"""The `assistant` command: thin wrappers that parse arguments, call one library function, print."""

from __future__ import annotations

import json
import os
import sys
from functools import wraps
from pathlib import Path
from typing import Any

import click

from assistant.enrich.refs import KINDS
from assistant.types import AssistantError, harmless

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
        table.add_row(r.doc_id or "", harmless(r.name), r.status, str(r.pages or ""), str(r.chunks or ""), r.message,
                      style=style)
    console.print(table)
    docs = report.count("added", "updated", "unchanged")
    console.print(
        f"{docs} documents, {sum(r.pages for r in report.results)} pages, "
        f"{sum(r.chunks for r in report.results if r.status != 'removed')} chunks "
        f"({report.embedded} embedded), {report.count('skipped')} skipped, {len(report.failed)} failed, "
        f"{report.seconds:.1f} s"
    )
    for what in report.repaired:
        click.echo(f"repaired: {what}", err=True)
    for r in report.failed:
        click.echo(f"error: {harmless(r.name)}: {r.message}", err=True)
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


_BACKEND = click.option(
    "--backend", type=click.Choice(["auto", "ollama", "embedded", "extractive"]), default=None,
    help="Who writes the answer (default: settings, `auto`): an Ollama model, the embedded model, or "
    "`extractive`, which quotes the best supporting sentences.",
)


def _answerer(backend: str | None, index: Path | None, doc_ids: tuple[str, ...]) -> tuple[Any, Any]:
    """The answerer (models loaded once) and the document filter, checked against the index."""
    from assistant.answer.answerer import Answerer
    from assistant.retrieve import Filters

    answerer = Answerer(_settings(index), backend)
    unknown = [d for d in doc_ids if d not in answerer.index.documents]
    if unknown:
        raise click.ClickException(f"unknown document id(s): {', '.join(unknown)}; see `assistant docs`")
    for notice in answerer.backend.notices:
        click.echo(f"note: {notice}", err=True)
    return answerer, Filters(list(doc_ids))


def _jsonl_request(line: str) -> tuple[str, list[Any]]:
    """A line is a question, or a JSON object {"question": ..., "history": [{"question", "answer"}, ...]}."""
    from assistant.answer.answerer import Turn

    if not line.lstrip().startswith("{"):
        return line, []
    try:
        data = json.loads(line)
        return str(data["question"]), [Turn(str(t["question"]), str(t.get("answer", "")))
                                       for t in data.get("history", [])]
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise AssistantError(f"not a question object ({exc}): {line.strip()[:80]}") from exc


def _print_answer(answer: Any, streamed: bool) -> None:
    """The answer (unless it was streamed and verification left it as it was) and its numbered sources."""
    for notice in answer.notices:
        click.echo(f"note: {notice}", err=True)
    if not streamed:
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
    if answer.references:
        click.secho("\nGenoemde documenten:" if answer.language == "nl" else "\nDocuments referred to:", bold=True)
    for r in answer.references:
        click.echo("- " + " — ".join(x for x in (r.title, r.identifier, r.url) if x))


def _stream_answer(answerer: Any, question: str, history: list[Any], filters: Any) -> Any:
    """On a terminal, show the model's words as they come, then the answer as verified against the sources."""
    from assistant.types import Answer

    live = sys.stdout.isatty()
    draft = []
    for event in answerer.stream(question, history, filters):
        if isinstance(event, Answer):
            if draft:
                click.echo()
            changed = "".join(draft).strip() != event.answer
            if draft and changed:
                click.secho("Na controle tegen de bronnen:" if event.language == "nl"
                            else "Checked against the sources:", bold=True)
            _print_answer(event, streamed=bool(draft) and not changed)
            return event
        if live:
            draft.append(event)
            click.echo(event, nl=False)
    raise AssertionError("the answer stream ended without an answer")


@cli.command()
@click.argument("question", required=False)
@_BACKEND
@click.option("--doc", "doc_ids", multiple=True, help="Only this document id (repeatable).")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="The answer as one JSON object.")
@click.option("--jsonl", is_flag=True, help="Read one question per line from stdin; one JSON object per line.")
@_friendly
def ask(question: str | None, backend: str | None, doc_ids: tuple[str, ...], index: Path | None, as_json: bool,
        jsonl: bool) -> None:
    """Answer QUESTION from the documents, with a numbered source for every sentence.

    With --jsonl, a line may also be a JSON object {"question": ..., "history": [{"question": ...,
    "answer": ...}]} to ask a follow-up question.

    \b
    Examples:
      assistant ask "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten?"
      assistant ask "Which institution runs a Centre of Expertise Applied AI?" --json
      printf 'Vraag een\nVraag twee\n' | assistant ask --jsonl --backend extractive
    """
    if jsonl == bool(question):
        raise click.UsageError("give a QUESTION, or --jsonl with questions on stdin")
    if question is not None and not question.strip():
        raise click.UsageError("the question is empty")
    answerer, filters = _answerer(backend, index, doc_ids)
    if jsonl:
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                text, history = _jsonl_request(line)
                click.echo(answerer.ask(text, history, filters).model_dump_json())
            except AssistantError as exc:  # one bad line must not lose the answers to the others
                click.echo(f"error: line {number}: {exc}", err=True)
                click.echo(json.dumps({"question": line.strip(), "error": str(exc)}, ensure_ascii=False))
        return
    if as_json:
        click.echo(answerer.ask(question, (), filters).model_dump_json())
        return
    _stream_answer(answerer, question, [], filters)


@cli.command()
@_BACKEND
@click.option("--doc", "doc_ids", multiple=True, help="Only this document id (repeatable).")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@_friendly
def chat(backend: str | None, doc_ids: tuple[str, ...], index: Path | None) -> None:
    """A conversation in the terminal: follow-up questions build on the earlier ones.

    Type a question and press Enter; an empty line starts a new conversation; Ctrl-C stops an answer;
    Ctrl-D ends.
    """
    from assistant.answer.answerer import Turn

    answerer, filters = _answerer(backend, index, doc_ids)
    history: list[Turn] = []
    click.echo(f"{answerer.backend.name} ({answerer.backend.model or 'no model'}) — Ctrl-D ends", err=True)
    while True:
        try:
            question = input("\n> " if not history else "\n>> ")
        except EOFError:
            return
        if not question.strip():
            if history:
                click.echo("(new conversation)", err=True)
            history = []
            continue
        try:
            answer = _stream_answer(answerer, question, history, filters)
        except AssistantError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        except KeyboardInterrupt:  # stops this answer, not the conversation
            click.echo("\n(interrupted)", err=True)
            continue
        history.append(Turn(answer.question, answer.answer))


@cli.command("eval")
@click.option("--set", "gold_set", type=click.Path(path_type=Path), default=Path("evals/gold.jsonl"),
              show_default=True, help="Gold set: JSONL, one question per line (format in evals/README.md).")
@_BACKEND
@click.option("--k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages given to answering; recall@k is reported next to recall@1 and recall@10.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("evals/reports"), show_default=True,
              help="Folder for the results (JSON, and JSONL per answer), the Markdown and HTML reports and plots.")
@click.option("--no-baseline", is_flag=True, help="Evaluate the pipeline only, not the naive baseline next to it.")
@click.option("--resume", is_flag=True, help="Keep the answers an interrupted run saved; ask only the rest.")
@_friendly
def eval_command(gold_set: Path, backend: str | None, k: int, out: Path, no_baseline: bool, resume: bool) -> None:
    """Measure answers and citations on a gold set, next to a naive baseline, and write a report.

    Lines of the gold set that cannot be read, and gold evidence that is not in the corpus, are listed (the
    rest is evaluated all the same) and make the exit code 1.

    \b
    Examples:
      assistant eval --backend extractive
      assistant eval --backend embedded --out /tmp/eval
      assistant eval --set evals/my-questions.jsonl --no-baseline
      assistant eval --backend embedded --resume
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from assistant.evaluation.report import headline
    from assistant.evaluation.run import run

    settings = _settings()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("loading the index and the model", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, description=what, completed=done, total=total)

        report = run(settings, gold_set, backend=backend, k=k, out_dir=out, baseline=not no_baseline, resume=resume,
                     progress=progress)
    header, rows = headline(report)
    table = Table(title=f"{report.questions} questions, {report.backend} ({report.model or 'no model'}), "
                        f"{report.wall_s:.0f} s")
    for column in header:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    problems = [*report.gold_problems,
                *(f"{p.id} (line {p.line}): {p.reason}: {p.quote!r}" for p in report.evidence_problems)]
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo("wrote " + ", ".join(report.files), err=True)
    if problems:
        sys.exit(1)


@cli.command()
@click.option("--host", default=None, help="Address to bind (default: settings, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: settings, 7860).")
@_BACKEND
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@_friendly
def serve(host: str | None, port: int | None, backend: str | None, open_browser: bool) -> None:
    """The web interface: ingests the corpus first (only what changed), then serves on http://HOST:PORT.

    \b
    Examples:
      assistant serve
      assistant serve --port 8080 --backend extractive
    """
    from rich.console import Console

    settings = _settings()
    host, port = host or settings.ui.host, port or settings.ui.port
    if host not in {"127.0.0.1", "localhost", "::1"} and not settings.ui.users:
        raise click.ClickException(
            f"serving on {host} needs users: add [ui.users] name = \"<hash from `assistant hash-password`>\" to "
            "assistant.toml (or ASSISTANT_UI__USERS), or bind to 127.0.0.1")
    console = Console(stderr=True)
    with console.status("indexing the corpus (only new or changed documents)…"):
        from assistant.ingest import ingest as run_ingest

        report = run_ingest(settings)
    console.print(f"index {report.generation}: {report.count('added', 'updated', 'unchanged')} documents, "
                  f"{len(report.failed)} failed, {report.seconds:.1f} s")
    for r in report.failed:
        click.echo(f"error: {harmless(r.name)}: {r.message}", err=True)
    from assistant.web.app import App
    from assistant.web.app import serve as run

    app = App(settings, backend)
    for notice in app.answerer.backend.notices:
        click.echo(f"note: {notice}", err=True)
    click.echo(f"serving on http://{host}:{port} ({app.answerer.backend.name}); Ctrl-C stops", err=True)
    run(app, host, port, settings.ui.users, open_browser)


@cli.command("hash-password")
def hash_password() -> None:
    """Print the hash of a password (asked twice, not echoed) for the `ui.users` setting."""
    from assistant.web.app import hash_password as make

    password = click.prompt("password", hide_input=True, confirmation_prompt=True, err=True)
    if len(password) < 8:
        raise click.ClickException("use at least 8 characters")
    click.echo(make(password))


@cli.command()
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@_friendly
def docs(index: Path | None, as_json: bool) -> None:
    """List indexed documents with their metadata (inferred fields are marked *)."""
    from assistant.index.store import Index

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


def _references(index: Path | None) -> tuple[Any, list[Any]]:
    from assistant.index.store import Index

    idx = Index.open(_settings(index))
    return idx, idx.references()


def _where(place: Any) -> str:
    return ", ".join(x for x in (place.doc_id, f"p. {place.page}" if place.page else "",
                                 f"voetnoot {place.footnote}" if place.footnote else "", place.section) if x)


@cli.group(invoke_without_command=True)
@click.option("--doc", "doc_id", help="Only references cited by this document.")
@click.option("--kind", type=click.Choice(KINDS), help="Only references of this kind.")
@click.option("--missing", is_flag=True, help="Only references whose document is not in the corpus.")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per reference.")
@click.pass_context
@_friendly
def refs(ctx: click.Context, doc_id: str | None, kind: str | None, missing: bool, index: Path | None,
         as_json: bool) -> None:
    """The references the documents cite (Kamerstukken, motions, reports, strategies, EU acts, web addresses),
    each once, with how often and where it is cited and whether it is in the corpus.

    \b
    Examples:
      assistant refs
      assistant refs --kind motie
      assistant refs --missing --json
      assistant refs show kst-26643-940
    """
    if ctx.invoked_subcommand is not None:
        return
    idx, found = _references(index)
    if doc_id and doc_id not in idx.documents:
        raise click.ClickException(f"unknown document id {doc_id}; see `assistant docs`")
    shown = [r for r in found if (not kind or r.kind == kind) and (not missing or not r.in_corpus)
             and (not doc_id or any(p.doc_id == doc_id for p in r.places))]
    for ref in shown:
        places = [p for p in ref.places if not doc_id or p.doc_id == doc_id]
        if as_json:
            click.echo(json.dumps({**ref.model_dump(exclude={"places"}), "cited": len(places),
                                   "places": [p.model_dump() for p in places]}, ensure_ascii=False))
            continue
        click.secho(f"{ref.id}  [{ref.kind}]  {ref.title or ''}" + (f" ({ref.date})" if ref.date else ""), bold=True)
        pages = sorted({p.page for p in places if p.page})
        notes = sorted({p.footnote for p in places if p.footnote})
        where = f"cited {len(places)}× (p. {', '.join(map(str, pages))}" + (
            f"; voetnoot {', '.join(map(str, notes))})" if notes else ")")
        status = f"in corpus: {ref.in_corpus}" if ref.in_corpus else "cited, not in corpus"
        line = " · ".join(x for x in (ref.identifier, where, status, ref.url) if x)
        click.echo(f"    {line}")
        if ref.flags:
            click.secho(f"    as cited: {', '.join(ref.flags)} (kept as written)", fg="yellow")
    if not as_json:
        click.echo(f"{len(shown)} references", err=True)


@refs.command("show")
@click.argument("ref_id")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="The reference as one JSON object.")
@_friendly
def refs_show(ref_id: str, index: Path | None, as_json: bool) -> None:
    """One reference with every sentence that cites it. REF_ID is an id, an identifier or a name as cited.

    \b
    Examples:
      assistant refs show kst-26643-940
      assistant refs show "26 643, nr. 940"
      assistant refs show "Werkagenda Waardengedreven Digitaliseren"
    """
    from assistant.enrich.refs import find

    _, found = _references(index)
    ref = find(found, ref_id)
    if ref is None:
        raise click.ClickException(f"no reference {ref_id!r} is cited; see `assistant refs`")
    if as_json:
        click.echo(ref.model_dump_json())
        return
    click.secho(f"{ref.id}  [{ref.kind}]  {ref.title or ''}", bold=True)
    for label, value in (("identifier", ref.identifier), ("date", ref.date), ("official", ref.url),
                         ("as cited", "; ".join(ref.names)), ("problems", ", ".join(ref.flags))):
        if value:
            click.echo(f"  {label:10} {value}")
    click.echo(f"  {'corpus':10} {ref.in_corpus or 'cited, not in corpus; add it with: ' + ref.missing_hint}")
    click.secho(f"\nCited {len(ref.places)}×:", bold=True)
    for place in ref.places:
        click.echo(f"- {_where(place)}")
        click.echo(f"    «{' '.join(place.sentence.split())}»")


@cli.group()
def corpus() -> None:
    """Add documents to the corpus: a local file with its metadata, or a cited publication by its id."""


@corpus.command("add")
@click.argument("source")
@click.option("--id", "doc_id", help="Document id (default: from the file name).")
@click.option("--title", help="Title (default: the file name).")
@click.option("--kind", help="Kamerbrief, strategie, rapport, motie, ...")
@click.option("--date", help="Date of the document, YYYY-MM-DD.")
@click.option("--identifier", help='Official identifier, e.g. "Kamerstukken II 2022/23, 26 643, nr. 940".')
@click.option("--url", help="Where the official publication is.")
@_friendly
def corpus_add(source: str, doc_id: str | None, title: str | None, kind: str | None, date: str | None,
               identifier: str | None, url: str | None) -> None:
    """Add SOURCE to the corpus and index it. SOURCE is a PDF/HTML/TXT file, or the id of a cited official
    publication (see `assistant refs --missing`), which is downloaded when a network is available.

    \b
    Examples:
      assistant corpus add ~/Downloads/werkagenda.pdf --id kst-26643-940 --title "Werkagenda" --date 2022-11-04
      assistant corpus add kst-26643-940
    """
    from assistant.ingest import add_document, add_reference

    settings = _settings()
    path = Path(source).expanduser()
    if path.exists():
        result = add_document(settings, path, doc_id, title=title, kind=kind, date=date, identifier=identifier,
                              url=url)
    else:
        if any((doc_id, title, kind, date, identifier, url)):
            raise click.UsageError(f"{source}: no such file (the metadata options are for files)")
        result = add_reference(settings, source)
    click.echo(f"{result.doc_id}: {result.status}, {result.pages} pages, {result.chunks} chunks")


@cli.command()
@click.option("--repair", is_flag=True, help="Re-ingest what is inconsistent (only that).")
@click.option("--quick", is_flag=True, help="Counts and file presence only (what ingest and serve check at start).")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@_friendly
def doctor(repair: bool, quick: bool, index: Path | None) -> None:
    """Check that the manifest, the vector collection, the lexical index, the per-document files and the
    recorded embedder agree; with --repair, re-ingest only what does not. Exit code 1 when problems remain.

    \b
    Examples:
      assistant doctor
      assistant doctor --repair
    """
    from assistant.health import check
    from assistant.ingest import repair as mend

    settings = _settings(index)
    if repair:
        before, health = mend(settings)
        for p in before.problems:
            click.echo(f"found: {p.doc_id + ': ' if p.doc_id else ''}{p.what}", err=True)
    else:
        health = check(settings, quick=quick)
    for p in health.problems:
        click.echo(f"problem: {p.doc_id + ': ' if p.doc_id else ''}{p.what}")
    for doc_id in health.pending:
        click.echo(f"not indexed yet: {doc_id} (run `assistant ingest`)")
    state = "consistent" if health.ok else f"{len(health.problems)} problem(s)"
    click.echo(f"index {health.generation}: {health.documents} documents, {health.chunks} chunks, {state}")
    if not health.ok:
        raise SystemExit(1)


def _overview(index: Path | None) -> Any:
    from assistant.index.store import Index

    return Index.open(_settings(index)).overview()


def _cited(c: Any) -> str:
    return ", ".join(x for x in (c.doc_id, f"p. {c.page}" if c.page else "",
                                 f"voetnoot {c.footnote}" if c.footnote else "") if x)


@cli.command()
@click.option("--doc", "doc_id", help="Only this document.")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="The whole overview as one JSON object.")
@click.option("--export", "export", type=click.Path(path_type=Path),
              help="Write a briefing for an onboarding pack: FILE.md (Markdown) or FILE.html.")
@click.option("--condense", is_flag=True,
              help="Let the answer model put each summary into one sentence, kept where it verifies.")
@_BACKEND
@_friendly
def overview(doc_id: str | None, index: Path | None, as_json: bool, export: Path | None, condense: bool,
             backend: str | None) -> None:
    """The lay of the land before a first question: each document's sections with a quoted summary, and how
    many terms, dates and organisations `glossary`, `timeline` and the briefing list.

    \b
    Examples:
      assistant overview
      assistant overview --doc kst-26643-1055 --json
      assistant overview --export briefing.html
      assistant overview --condense --backend ollama
    """
    from assistant.models.llm import get_backend
    from assistant.present.briefing import briefing
    from assistant.present.briefing import condense as condensed

    view = _overview(index)
    chosen = get_backend(_settings(index), backend)
    if condense and chosen.chat is None:
        raise click.UsageError("--condense needs a model: use --backend embedded or --backend ollama")
    view, asked = condensed(view, _settings(index), chosen, ask=condense)
    if condense:
        made = sum(bool(s.condensed) for d in view.documents for s in d.sections)
        total = sum(bool(s.summary) for d in view.documents for s in d.sections)
        click.echo(f"{made} of {total} summaries condensed by {chosen.model} ({asked} asked now; the rest did "
                   "not verify and stay quoted)", err=True)
    if doc_id:
        if doc_id not in {d.doc_id for d in view.documents}:
            raise click.ClickException(f"unknown document id {doc_id}; see `assistant docs`")
        view = view.model_copy(update={
            "documents": [d for d in view.documents if d.doc_id == doc_id],
            "glossary": [e for e in view.glossary if any(c.doc_id == doc_id for c in e.defined_at + e.used_at)],
            "timeline": [e for e in view.timeline if e.cited.doc_id == doc_id],
            "actors": [a for a in view.actors if any(c.doc_id == doc_id for c in a.roles)],
        })
    if export is not None:
        suffix = export.suffix.lower()
        if suffix not in {".md", ".html", ".htm"}:
            raise click.UsageError("--export FILE must end in .md or .html")
        export.write_text(briefing(view, "md" if suffix == ".md" else "html"), encoding="utf-8")
        click.echo(f"briefing written to {export}", err=True)
        return
    if as_json:
        click.echo(view.model_dump_json())
        return
    for d in view.documents:
        click.secho(f"{d.title}", bold=True)
        click.echo(f"{d.identifier or d.doc_id}" + (f", {d.date}" if d.date else "")
                   + (" (no headings: mapped by pages)" if d.by_pages else ""))
        for s in d.sections:
            pages = f"p. {s.pages[0]}" + (f"–{s.pages[-1]}" if len(s.pages) > 1 else "") if s.pages else ""
            click.echo(f"{'  ' * len(s.path)}{s.path[-1]}  ({pages})")
            if s.condensed:
                click.echo(f"{'  ' * len(s.path)}  {s.condensed} ({s.condensed_by})")
            for c in s.summary:
                click.echo(f"{'  ' * len(s.path)}  «{' '.join(c.quote.split())}» ({_cited(c)})")
        click.echo()
    click.echo(f"{len(view.glossary)} terms and abbreviations (`assistant glossary`), {len(view.timeline)} dated "
               f"events (`assistant timeline`), {len(view.actors)} organisations and office holders "
               "(`assistant overview --json`, the briefing)", err=True)


@cli.command()
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per term.")
@_friendly
def glossary(index: Path | None, as_json: bool) -> None:
    """Abbreviations and terms the documents define, with the defining sentence; abbreviations they use
    without writing out, with an expansion from a curated list marked as not from the documents."""
    for e in _overview(index).glossary:
        if as_json:
            click.echo(e.model_dump_json())
            continue
        if e.defined_at:
            conflict = "  ⚠ defined differently elsewhere" if e.conflict else ""
            meaning = e.expansion if e.kind == "abbreviation" else f"«{' '.join((e.expansion or '').split())}»"
            click.echo(f"{e.term}: {meaning}  ({_cited(e.defined_at[0])}){conflict}")
        elif e.expansion:
            click.echo(f"{e.term}: {e.expansion}  (not from the documents; used at {_cited(e.used_at[0])})")
        else:
            click.echo(f"{e.term}: (never written out; used at {_cited(e.used_at[0])})")


@cli.command()
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default: settings).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event.")
@_friendly
def timeline(index: Path | None, as_json: bool) -> None:
    """Dated events and commitments in time order, each with its sentence; relative times ("eind dit jaar")
    are resolved against the document's date and marked so."""
    for e in _overview(index).timeline:
        if as_json:
            click.echo(e.model_dump_json())
            continue
        resolved = f" (from “{e.as_written}”)" if e.resolved else ""
        click.echo(f"{e.when:11} {e.status:8} «{' '.join(e.cited.quote.split())}» ({_cited(e.cited)}){resolved}")


if __name__ == "__main__":
    cli()
