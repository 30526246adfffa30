"""Running and looking after the assistant: `serve` the web page and API, `hash-password` for its users,
`sign-ins` for their last failed sign-ins, `api-key` for the API's callers, `doctor` for the index, and `eval` to
measure answers on a gold set (or draft gold lines from users' ratings)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from assistant.cli.options import backend_option, friendly, index_option, settings
from assistant.present import terminal
from assistant.web.auth import hash_password as make_hash
from assistant.web.auth import is_local, new_key

REPORTS = Path("evals/reports")
DRAFTS = Path("evals/feedback-drafts.jsonl")


@click.command()
@click.option("--host", default=None, help="Address to bind (default: settings, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: settings, 7860).")
@backend_option
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@friendly
def serve(host: str | None, port: int | None, backend: str | None, open_browser: bool) -> None:
    """The web interface: ingests the corpus first (only what changed), then serves on http://HOST:PORT.

    \b
    Examples:
      assistant serve
      assistant serve --port 8080 --backend extractive
    """
    from rich.console import Console

    configured = settings()
    host, port = host or configured.ui.host, port or configured.ui.port
    if not is_local(host) and not configured.ui.users:
        raise click.ClickException(
            f"serving on {host} needs users: add [ui.users] name = \"<hash from `assistant hash-password`>\" to "
            "assistant.toml (or ASSISTANT_UI__USERS), or bind to 127.0.0.1")
    console = Console(stderr=True)
    with console.status("indexing the corpus (only new or changed documents)…"):
        from assistant.ingest import ingest as run_ingest

        report = run_ingest(configured)
    terminal.indexing(report, console)
    from assistant.web.app import App
    from assistant.web.server import serve as run

    app = App(configured, backend)
    click.echo(app.answerer.backend.line, err=True)
    click.echo(f"serving on http://{host}:{port}; Ctrl-C stops", err=True)
    run(app, host, port, open_browser)


@click.command("hash-password")
def hash_password() -> None:
    """Print the hash of a password (asked twice, not echoed) for the `ui.users` setting."""
    password = click.prompt("password", hide_input=True, confirmation_prompt=True, err=True)
    if len(password) < 8:
        raise click.ClickException("use at least 8 characters")
    click.echo(make_hash(password))


@click.command("sign-ins")
@click.option("-n", "count", type=click.IntRange(1), default=20, show_default=True, help="How many to show.")
def sign_ins(count: int) -> None:
    """The last wrong passwords and throttled addresses in the sign-in log (`ui.signin_log`), oldest first: time,
    outcome, user name, client address.

    \b
    Example:
      assistant sign-ins -n 50
    """
    from assistant.types import harmless
    from assistant.web.signin import last_failures

    path = settings().ui.signin_log
    failures = last_failures(path, count)
    for event in failures:
        wait = f"  (wait {event['retry_after_s']} s)" if "retry_after_s" in event else ""
        click.echo(harmless(f"{event['time']}  {event['outcome']:<9}  {event['user']}  {event['address']}{wait}"))
    click.echo(f"{len(failures)} failures from {path}", err=True)


@click.command("api-key")
@click.argument("name")
def api_key(name: str) -> None:
    """Make a new key for the OpenAI-compatible API: print the key (give it to its holder; it is not stored) and
    the line for the `api.keys` setting, which holds only its hash.

    \b
    Example:
      assistant api-key open-webui
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):  # a bare TOML key: the line can be pasted as it is
        raise click.BadParameter("use ASCII letters, digits, - and _ only", param_hint="NAME")
    key, stored = new_key()
    click.echo(f"key (shown once): {key}", err=True)
    click.echo(f"add to assistant.toml under [api.keys]:\n{name} = \"{stored}\"")


@click.command()
@click.option("--repair", is_flag=True, help="Re-ingest what is inconsistent (only that).")
@click.option("--quick", is_flag=True, help="Counts and file presence only (what ingest and serve check at start).")
@index_option
@friendly
def doctor(repair: bool, quick: bool, index: Path | None) -> None:
    """Check that the manifest, the vector collection, the lexical index, the per-document files and the
    recorded embedder agree; with --repair, re-ingest only what does not. Exit code 1 when problems remain.
    Then say which model servers answer (Ollama, the configured OpenAI-compatible server) and with which models.

    \b
    Examples:
      assistant doctor
      assistant doctor --repair
    """
    from assistant.health import check
    from assistant.ingest import repair as mend

    configured = settings(index)
    if repair:
        before, health = mend(configured)
    else:
        before, health = None, check(configured, quick=quick)
    terminal.health(before, health)
    from assistant.models import servers

    terminal.servers(servers.probe_ollama(configured), servers.probe_openai(configured), configured)
    if not health.ok:
        raise SystemExit(1)


@click.command("eval")
@click.option("--set", "gold_sets", type=click.Path(path_type=Path), multiple=True,
              help="Gold set: JSONL, one question per line (format in evals/README.md); default evals/gold.jsonl. "
              "Give it more than once (train, dev, test) to see the sets side by side; each set's report goes "
              "to its own folder under --out.")
@backend_option
@click.option("--k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages retrieval recall is measured at (recall@k, next to recall@1 and recall@10).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the results (JSON, and JSONL per answer), the Markdown and HTML reports and plots "
              f"(default: {REPORTS}); with --from-feedback, the drafts file (default: {DRAFTS}).")
@click.option("--no-baseline", is_flag=True, help="Evaluate the pipeline only, not the naive baseline next to it.")
@click.option("--resume", is_flag=True, help="Keep the answers an interrupted run saved; ask only the rest.")
@click.option("--from-feedback", "feedback", type=click.Path(path_type=Path), default=None,
              help="Evaluate nothing: turn the ratings in this feedback file (the web page writes them to "
              "feedback/feedback.jsonl) into draft gold lines to review, written to --out; rejected lines are "
              "listed next to it (drafts.jsonl: drafts.rejected.jsonl).")
@click.option("--force", is_flag=True, help="With --from-feedback: replace an existing drafts file.")
@friendly
def eval_command(gold_sets: tuple[Path, ...], backend: str | None, k: int, out: Path | None, no_baseline: bool,
                 resume: bool, feedback: Path | None, force: bool) -> None:
    """Measure answers and citations on a gold set, next to a naive baseline, and write a report; or, with
    --from-feedback, turn users' ratings into draft gold lines.

    Lines of the gold set that cannot be read, and gold evidence that is not in the corpus, are listed (the
    rest is evaluated all the same) and make the exit code 1.

    \b
    Examples:
      assistant eval --backend extractive
      assistant eval --backend embedded --out /tmp/eval
      assistant eval --set evals/my-questions.jsonl --no-baseline
      assistant eval --backend embedded --resume
      assistant eval --no-baseline --set evals/train.jsonl --set evals/heldout.jsonl --set evals/test.jsonl
      assistant eval --from-feedback feedback/feedback.jsonl --out evals/drafts.jsonl
    """
    if feedback is not None:
        k_given = click.get_current_context().get_parameter_source("k") is not ParameterSource.DEFAULT
        given = [name for name, on in (("--set", gold_sets), ("--backend", backend), ("--k", k_given),
                                       ("--no-baseline", no_baseline), ("--resume", resume)) if on]
        if given:
            raise click.UsageError(f"{', '.join(given)}: for an evaluation; --from-feedback evaluates nothing")
        write_drafts(feedback, out or DRAFTS, force)
        return
    if force:
        raise click.UsageError("--force is for --from-feedback (evaluation reports are always rewritten)")
    from assistant.evaluation.report import headline, side_by_side
    from assistant.evaluation.run import run
    from assistant.health import outdated
    from assistant.index import Index

    out = out or REPORTS
    configured = settings()
    if warning := outdated(Index.open(configured)):
        click.echo(f"warning: {warning}; the figures are of answers without them", err=True)
    paths = list(dict.fromkeys(gold_sets)) or [Path("evals/gold.jsonl")]
    stems = [p.stem for p in paths]
    if len(set(stems)) < len(stems):
        raise click.BadParameter("two sets share a file name; their reports would share a folder", param_hint="--set")
    reports, problems = [], []
    for path in paths:
        folder = out if len(paths) == 1 else out / path.stem
        with terminal.progress(f"{path.name}: loading the index and the model") as progress:
            report = run(configured, path, backend=backend, k=k, out_dir=folder, baseline=not no_baseline,
                         resume=resume, progress=lambda done, total, what: progress(what, done, total))
        reports.append(report)
        problems += [*report.gold_problems,
                     *(f"{p.id} (line {p.line}): {p.reason}: {p.quote!r}" for p in report.evidence_problems)]
        click.echo("wrote " + ", ".join(report.files), err=True)
    if len(reports) == 1:
        report = reports[0]
        header, rows = headline(report)
        terminal.table(f"{report.questions} questions, {report.backend} ({report.model or 'no model'}), "
                       f"{report.wall_s:.0f} s", header, rows)
    else:
        header, rows = side_by_side(reports)
        terminal.table(f"the pipeline on {len(reports)} sets, {reports[0].backend} "
                       f"({reports[0].model or 'no model'})", header, rows)
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    if problems:
        sys.exit(1)


def write_drafts(feedback: Path, out: Path, force: bool) -> None:
    """`eval --from-feedback`: write the drafts and list each rejected line with why (needs no index or model)."""
    from assistant.evaluation.feedback import drafts_from_feedback
    from assistant.types import harmless

    drafts, files = drafts_from_feedback(feedback, out, force)
    for rejected in drafts.rejected:
        click.echo(harmless(f"{feedback} line {rejected.line}: rejected, {rejected.reason}"), err=True)
    total, ups = len(drafts.drafts), sum(d.draft.rating == "up" for d in drafts.drafts)
    click.echo(harmless(f"wrote {total} drafts ({ups} rated up, {total - ups} down) to {files[0]}, "
                        f"{len(drafts.rejected)} rejected lines to {files[1]}; review each draft and delete its "
                        "\"draft\" key (evals/README.md, \"From feedback to gold lines\")"), err=True)
