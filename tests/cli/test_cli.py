"""The `assistant` command line: search output (human and JSON), docs, and clear errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import cli_env

from assistant.cli import cli
from assistant.config import Settings
from assistant.index import Index

DOC_ID = "kst-26643-1055"
TITLE = "Agenda ‘Coalities voor de digitale samenleving’"
IDENTIFIER = "Kamerstukken II 2022/23, 26 643, nr. 1055"


def run(settings: Settings, *args: str):
    env = {"ASSISTANT_INDEX_DIR": str(settings.index_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir)}
    return CliRunner().invoke(cli, list(args), env=env)


def test_search_human_output(bundled):
    result = run(bundled, "search", "Hogeschool van Amsterdam Centre of Expertise Applied AI", "-k", "3")
    assert result.exit_code == 0, result.output
    blocks = [b for b in result.stdout.split("\n\n") if b.strip()]
    assert len(blocks) == 3
    for rank, block in enumerate(blocks, 1):
        head, where, text = block.strip("\n").split("\n")
        assert head.startswith(f"[{rank}] {TITLE} — p. ")
        assert where.startswith(f"    {IDENTIFIER} › Agenda «Coalities voor de digitale samenleving»")
        assert text.startswith("    ") and len(text) > 100
    hit = next(b for b in blocks if "De Hogeschool van Amsterdam heeft een Centre of Expertise Applied AI" in b)
    assert "AI in de praktijk" in hit
    assert "— p. 9 —" in hit or "— p. 8, 9 —" in hit


def test_search_json(bundled):
    result = run(bundled, "search", "energieverbruik van datacenters", "-k", "4", "--json")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 4
    hits = [json.loads(line) for line in lines]
    index = Index.open(bundled)
    assert [h["rank"] for h in hits] == [1, 2, 3, 4]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    for h in hits:
        assert {"rank", "score", "doc_id", "section", "pages", "text", "title", "identifier", "chunk_id"} <= set(h)
        assert h["doc_id"] == DOC_ID and h["title"] == TITLE and h["identifier"] == IDENTIFIER
        assert isinstance(h["score"], float) and h["score"] > 0
        assert isinstance(h["section"], list) and all(isinstance(s, str) for s in h["section"])
        assert h["pages"] and all(isinstance(p, int) and 1 <= p <= 14 for p in h["pages"])
        chunk = index.chunk(h["chunk_id"])
        assert h["text"] == chunk.text
        assert (h["start"], h["end"], h["pages"], h["section"]) == (
            chunk.start, chunk.end, list(chunk.pages), list(chunk.section))
    assert any("datacenters" in h["text"] for h in hits)
    top = next(h for h in hits if "energieverbruik van datacenters aanzienlijk toegenomen" in h["text"])
    assert 13 in top["pages"] and set(top["pages"]) <= {12, 13}
    assert top["section"][-1] == "Thema 4: Duurzaamheid en digitalisering"


def test_search_json_carries_footnotes(bundled):
    result = run(bundled, "search", "algoritmeregister voor de overheid algoritmetoezichthouder", "--json", "-k", "10")
    hits = [json.loads(line) for line in result.stdout.strip().split("\n")]
    hit = next(h for h in hits if "algoritmeregister voor de overheid¹⁶" in h["text"])
    assert {"number": 16, "text": "www.algoritmeregister.nl"} in hit["footnotes"]


def test_search_filters(bundled):
    result = run(bundled, "search", "datacenters", "--doc", DOC_ID, "--kind", "Kamerbrief", "--since", "2023-01-01",
                 "--json", "-k", "2")
    assert result.exit_code == 0 and len(result.stdout.strip().split("\n")) == 2
    later = run(bundled, "search", "datacenters", "--since", "2024-01-01")
    assert later.exit_code == 0
    assert later.stdout == "" and "no passages found" in later.stderr


def test_search_unknown_document(bundled):
    result = run(bundled, "search", "datacenters", "--doc", "unknown")
    assert result.exit_code == 1
    assert "unknown document id(s): unknown; see `assistant docs`" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_is_a_usage_error(bundled, query):
    result = run(bundled, "search", query)
    assert result.exit_code == 2
    assert "the query is empty" in result.stderr and "Usage: " in result.stderr


def test_docs_lists_the_bundled_document(bundled):
    result = run(bundled, "docs")
    assert result.exit_code == 0
    head, detail = result.stdout.strip().split("\n")
    assert head == f"{DOC_ID}  {TITLE}"
    assert detail.strip().startswith(f"Kamerbrief, Dutch, 2023-07-07, {IDENTIFIER}, status current; 14 pages, ")
    assert "files: 000_f05a9d83e50ba6a3.txt, 001_8ed86a11dc3d904d.txt" in detail
    assert "*" not in result.stdout, "nothing is inferred for a listed document"
    as_json = json.loads(run(bundled, "docs", "--json").stdout)
    assert (as_json["doc_id"], as_json["identifier"], as_json["pages"]) == (DOC_ID, IDENTIFIER, 14)
    assert as_json["chunks"] == len(Index.open(bundled).chunks)


@pytest.mark.parametrize("args", [["search", "AI in het onderwijs"], ["docs"]])
def test_no_index_says_run_ingest_first(workspace, args):
    result = run(workspace, *args)
    assert result.exit_code == 1
    assert f"no index in {workspace.index_dir}; run `assistant ingest` first" in result.stderr
    assert "Traceback" not in result.output
    assert not workspace.index_dir.exists(), "a read command creates nothing"


def test_no_index_in_a_real_process(workspace):
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "datadeling"], env=cli_env(workspace),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"Error: no index in {workspace.index_dir}; run `assistant ingest` first"
    assert proc.stdout == ""


def test_index_option_overrides_the_environment(bundled, workspace):
    result = CliRunner().invoke(cli, ["docs", "--index", str(bundled.index_dir)],
                                env={"ASSISTANT_INDEX_DIR": str(workspace.index_dir)})
    assert result.exit_code == 0 and DOC_ID in result.stdout


def test_invalid_setting_is_reported(bundled):
    result = CliRunner().invoke(cli, ["search", "AI"], env={"ASSISTANT_INDEX_DIR": str(bundled.index_dir),
                                                            "ASSISTANT_RETRIEVAL__K": "nul"})
    assert result.exit_code == 1
    assert "invalid settings" in result.stderr and "retrieval.k" in result.stderr
    assert "Traceback" not in result.output


HEAVY = {"gradio", "chromadb", "llama_cpp", "torch"}


@pytest.mark.parametrize(("args", "stdin"), [(["--help"], None), (["hash-password"], "geheim123\ngeheim123\n")],
                         ids=["help", "hash-password"])
def test_light_commands_load_no_heavy_library(args, stdin):
    """`--help` and `hash-password` start at once: no model, vector store or web stack is imported."""
    script = ("import sys; from click.testing import CliRunner; from assistant.cli import cli; "
              f"result = CliRunner().invoke(cli, {args!r}, input={stdin!r}); "
              "assert result.exit_code == 0, result.output; "
              f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(HEAVY)!r}))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_dates_are_checked_before_the_index_is_opened(workspace):
    result = run(workspace, "search", "datacenters", "--since", "2023-13-01")
    assert result.exit_code == 2
    assert "Invalid value for '--since'" in result.stderr and "'2023-13-01' is not a date" in result.stderr


def test_document_ids_complete_from_the_index(bundled):
    env = {"ASSISTANT_INDEX_DIR": str(bundled.index_dir), "_ASSISTANT_COMPLETE": "bash_complete",
           "COMP_WORDS": "assistant search datacenters --doc kst", "COMP_CWORD": "4"}
    result = CliRunner().invoke(cli, [], prog_name="assistant", env=env)
    assert result.stdout.split() == ["plain,kst-26643-1055"]


def test_a_cited_row_is_shown_under_its_tables_header(workspace):
    from conftest import ROWS, table_report

    table_report(workspace.corpus_dir / "monitor.pdf", ROWS)
    assert run(workspace, "ingest").exit_code == 0
    result = run(workspace, "ask", "--backend", "extractive", "Hoeveel is er gerealiseerd voor berichtenverkeer?")
    assert result.exit_code == 0, result.output
    row = result.output.index("«Berichtenverkeer (MijnOverheid en Berichtenbox) 96,5 91,2 -5,3»")
    assert result.output[row:].split("\n")[1].strip() == (
        "(in de tabel onder: «Onderdeel Begroot Gerealiseerd Verschil»)")


def test_the_help_shows_an_example_as_written():
    """A help text is read as its docstring is written: an example's "\\n" stays two characters, and the text
    keeps its indentation (a line break in the docstring itself would have undone it)."""
    result = CliRunner().invoke(cli, ["ask", "--help"])
    assert result.exit_code == 0
    assert "\n  With --jsonl, a line may also be" in result.output
    assert "\n    printf 'Vraag een\\nVraag twee\\n' | assistant ask --jsonl --backend extractive\n" in result.output
