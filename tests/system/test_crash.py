"""Crash safety: `kill -9` at any moment of an ingest leaves the index answering as before, and readers are
never blocked or broken by a running ingest. Real subprocesses, real Chroma, the real embedder."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import cli_env, make_settings
from pausing_ingest import POINTS, PausedIngest

from assistant.config import Settings
from assistant.health import check
from assistant.index import Index, current_generation
from assistant.ingest import ingest
from assistant.retrieve import Searcher

pytestmark = pytest.mark.slow

SEED = 20230707
QUERIES = ["armoede en schulden", "toezicht op algoritmes", "digitale vaardigheden", "datacenters energie",
           "open source software"]

BASE = {
    "armoede.txt": "Armoede\n\nGemeenten delen gegevens over armoede en schulden alleen met een wettelijke grondslag. "
                   "De wijkteams krijgen daarvoor een eigen loket.\n",
    "toezicht.md": "# Toezicht\n\nDe toezichthouder controleert algoritmes bij uitvoeringsorganisaties. Zij "
                   "rapporteert jaarlijks aan de Tweede Kamer.\n",
}


def _paragraphs(topic: str, n: int) -> str:
    sentences = [f"Deze alinea {i} gaat over {topic} en beschrijft de aanpak van het kabinet in de komende jaren, "
                 f"samen met gemeenten, provincies en uitvoeringsorganisaties." for i in range(n)]
    return f"{topic.capitalize()}\n\n" + "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, n, 4)) + "\n"


NEXT = {  # what the interrupted ingest adds and changes: a few seconds of embedding
    "armoede.txt": BASE["armoede.txt"].replace("een eigen loket", "een eigen loket en een schuldhulpmaatje"),
    "inclusie.txt": _paragraphs("digitale vaardigheden van burgers", 8),
    "datacenters.txt": _paragraphs("het energieverbruik van datacenters", 8),
    "opensource.txt": _paragraphs("open source software bij de overheid", 8),
}


def _write(corpus: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")


def _answers(settings: Settings) -> dict[str, list[str]]:
    searcher = Searcher(settings)
    return {q: [h.chunk.chunk_id for h in searcher.search(q, k=4)] for q in QUERIES}


def _copy(source: Settings, target: Path) -> Settings:
    shutil.copytree(source.corpus_dir.parent, target)
    return make_settings(target / "corpus", target / "index")


def _start_ingest(settings: Settings) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest"], env=cli_env(settings),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=settings.corpus_dir.parent)


def _generations(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.index_dir.glob("gen-*"))


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[Settings, dict[str, list[str]], str]:
    """A workspace whose index holds BASE while its corpus already holds NEXT: the next ingest has work to do."""
    (tmp_path / "base" / "corpus").mkdir(parents=True)
    settings = make_settings(tmp_path / "base" / "corpus", tmp_path / "base" / "index")
    _write(settings.corpus_dir, BASE)
    report = ingest(settings)
    assert not report.failed and report.generation
    before = _answers(settings)
    _write(settings.corpus_dir, NEXT)
    return settings, before, report.generation


def _paused(settings: Settings, points: list[str]) -> PausedIngest:
    workspace = settings.corpus_dir.parent
    return PausedIngest(points, cli_env(settings), workspace, workspace / "ingest.log")


def test_kill_9_at_any_moment_of_an_ingest(prepared, tmp_path):
    base, before, base_gen = prepared

    # a full run, to know how long an ingest takes and what it ends with
    reference = _copy(base, tmp_path / "reference")
    started = time.monotonic()
    proc = _start_ingest(reference)
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    full = time.monotonic() - started
    after = _answers(reference)
    assert after != before, "the ingest under test must change what search answers"

    # killed at each named moment of writing the next generation (a known state each), then at random moments:
    # wherever those land, the outcome below must hold, so they explore without depending on the timing
    rng = random.Random(SEED)
    plans: list[float | str] = [*POINTS, *sorted(round(rng.uniform(0.2, full), 2) for _ in range(12))]
    for trial, plan in enumerate(plans):
        settings = _copy(base, tmp_path / f"trial-{trial}")
        if isinstance(plan, str):
            with _paused(settings, [plan]) as paused:
                paused.reach(plan)
                generations = _generations(settings)
                paused.kill()
            assert len(generations) == 2, (plan, generations)  # the next generation was being written
        else:
            proc = _start_ingest(settings)
            time.sleep(plan)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            proc.stderr.close()

        # the index opens and answers exactly as before the ingest, or (killed after the commit) as after it
        index = Index.open(settings)
        committed = current_generation(settings.index_dir) != base_gen
        if isinstance(plan, str):
            assert committed == (plan == "flipped"), plan
        assert index.gen_dir.name == current_generation(settings.index_dir)
        assert _answers(settings) == (after if committed else before), f"trial {trial} ({plan})"
        health = check(settings, quick=False)
        assert health.ok, f"trial {trial} ({plan}): {health.problems}"

        # and the next ingest completes, sweeping what the killed one left behind
        report = ingest(settings)
        assert not report.failed, report.failed
        assert _answers(settings) == after
        assert len(_generations(settings)) <= 2
        assert set(Index.open(settings).documents) == {"armoede", "toezicht", "inclusie", "datacenters",
                                                       "opensource"}


def test_search_keeps_working_while_an_ingest_runs(prepared):
    settings, before, base_gen = prepared
    early = Searcher(settings)  # opened before the ingest, used throughout

    def searches_as_before() -> None:
        searcher = Searcher(settings)  # as a fresh `assistant search` would
        for query in QUERIES[:2]:
            hits = searcher.search(query, k=3)
            assert len(hits) >= 2
            assert all(searcher.index.chunk(h.chunk.chunk_id) is h.chunk for h in hits)
        assert _answers(settings) == before
        assert [h.chunk.chunk_id for h in early.search(QUERIES[0], k=4)] == before[QUERIES[0]]

    with _paused(settings, ["writing", "flip"]) as paused:
        paused.reach("writing")  # the next generation is being written beside the live one
        assert len(_generations(settings)) == 2 and current_generation(settings.index_dir) == base_gen
        searches_as_before()
        paused.go_on()
        paused.reach("flip")  # written in full, not yet live
        assert current_generation(settings.index_dir) == base_gen
        searches_as_before()
        assert paused.finish() == 0, paused.errors()
    assert current_generation(settings.index_dir) != base_gen
    assert Searcher(settings).search("open source software bij de overheid", k=1)[0].chunk.doc_id == "opensource"
    assert [h.chunk.chunk_id for h in early.search(QUERIES[0], k=4)] == before[QUERIES[0]]
