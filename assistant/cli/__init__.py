"""The `assistant` command: thin commands that parse arguments, call one library function and print.

The commands are grouped by theme (`asking`, `documents`, `overview`, `service`); what they share is in
`options` and `params`, and what they print is drawn by `assistant.present.terminal`. The heavy libraries (the
models, Chroma, Gradio) are imported inside the commands that need them, so that `--help` starts at once.
"""

from __future__ import annotations

import os

import click

from assistant.cli import asking, documents, overview, service

# Chroma reads this before its settings object exists; no telemetry leaves the machine.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@click.group()
@click.version_option(package_name="assistant")
def cli() -> None:
    """Offline policy assistant: cited answers from Dutch digitalisation policy documents."""


for command in (asking.search, asking.ask, asking.chat, documents.ingest, documents.corpus, documents.docs,
                documents.refs, overview.overview, overview.glossary, overview.timeline, service.serve,
                service.hash_password, service.sign_ins, service.api_key, service.doctor, service.eval_command):
    cli.add_command(command)
