"""Reliability: `doctor` finds what disagrees and repairs only that, ingest heals at start, a full disk leaves
the index as it was, the audit log, `/health`, and two `serve` processes sharing one Chroma server."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import cli_env, free_port, make_settings, wait_until_answering
from pausing_ingest import PausedIngest

from assistant.answer.answerer import Answerer
from assistant.cli import cli
from assistant.config import Settings
from assistant.health import check
from assistant.index import Index, check_writable, current_generation
from assistant.index.versions import stamp
from assistant.ingest import ingest, repair
from assistant.retrieve import Searcher

DOCS = {
    "wulp.txt": "De wulp broedt in natte weilanden en zoekt voedsel in de klei langs de rivier.\n",
    "grutto.txt": "De grutto is de nationale vogel en broedt in kruidenrijke graslanden in het voorjaar.\n",
}


@pytest.fixture
def small(workspace: Settings) -> Settings:
    for name, text in DOCS.items():
        (workspace.corpus_dir / name).write_text(text, encoding="utf-8")
    assert not ingest(workspace).failed
    return workspace


def _docs_dir(settings: Settings) -> Path:
    return settings.index_dir / current_generation(settings.index_dir) / "docs"


def _doctor(settings: Settings, *args: str):
    return CliRunner().invoke(cli, ["doctor", *args], env=cli_env(settings), catch_exceptions=False)


def test_a_fresh_index_is_consistent(small):
    health = check(small)
    assert health.ok and health.documents == 2 and health.chunks == 2 and not health.pending
    result = _doctor(small)
    assert result.exit_code == 0 and "2 documents, 2 chunks, consistent" in result.stdout


@pytest.mark.parametrize("damage", ["missing refs", "garbage overview", "older overview", "bad vectors",
                                    "missing text"])
def test_a_damaged_document_file_is_found_and_only_that_document_is_repaired(small, damage):
    docs = _docs_dir(small)
    untouched = (docs / "grutto.json").read_bytes()
    if damage == "missing refs":
        (docs / "wulp.refs.json").unlink()
    elif damage == "garbage overview":
        (docs / "wulp.overview.json").write_text("{niet json", encoding="utf-8")
    elif damage == "older overview":
        stored = json.loads((docs / "wulp.overview.json").read_text(encoding="utf-8"))
        stored["version"] = stamp("overview") - 1
        (docs / "wulp.overview.json").write_text(json.dumps(stored), encoding="utf-8")
    elif damage == "bad vectors":
        (docs / "wulp.sentences.npz").write_bytes(b"PK\x03\x04 kapot")
    else:
        (docs / "wulp.json").unlink()
    health = check(small)
    assert not health.ok and health.damaged_documents == ["wulp"] and not health.whole_index
    result = _doctor(small)
    assert result.exit_code == 1 and "problem: wulp:" in result.stdout

    before, after = repair(small)
    assert not before.ok and after.ok, after.problems
    assert (_docs_dir(small) / "grutto.json").read_bytes() == untouched
    assert Searcher(small).search("wulp klei rivier", k=1)[0].chunk.doc_id == "wulp"


def test_missing_vectors_are_found_and_repaired(small):
    index = Index.open(small)
    collection = index.store.collection()
    wulp = [c.chunk_id for c in index.chunks if c.doc_id == "wulp"]
    collection.delete(ids=wulp)
    health = check(small, quick=True)
    assert not health.ok and any("has no vector" in p.what and p.doc_id == "wulp" for p in health.problems)
    result = _doctor(small, "--repair")
    assert result.exit_code == 0 and "consistent" in result.stdout, result.stdout
    assert check(small).ok


def test_a_damaged_pointer_is_rebuilt_by_repair(small):
    (small.index_dir / "CURRENT").write_text("gen-999999", encoding="utf-8")
    health = check(small)
    assert health.whole_index and "damaged" in health.problems[0].what
    _before, after = repair(small)
    assert after.ok and after.documents == 2


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_damaged_word_vectors_are_found_and_rebuilt(small, damage):
    words = small.index_dir / current_generation(small.index_dir) / "words.npz"
    assert "broedt" in Index.open(small).words[1]
    if damage == "missing":  # as an index made before word vectors were kept
        words.unlink()
        assert not check(small, quick=True).ok
    else:
        words.write_bytes(b"PK\x03\x04 kapot")
    health = check(small)
    assert health.whole_index and "words.npz" in health.problems[0].what
    assert Index.open(small).words[0] == []  # answering goes on, without looking up words by meaning
    _before, after = repair(small)
    assert after.ok and "broedt" in Index.open(small).words[1]


def test_ingest_heals_a_damaged_document_at_start(small):
    (_docs_dir(small) / "grutto.refs.json").unlink()
    report = ingest(small)
    assert any("grutto" in what for what in report.repaired), report.repaired
    assert report.embedded == 1  # only the damaged document was read again
    assert check(small).ok


def test_a_full_disk_during_ingest_leaves_the_index_as_it_was(small, tmp_path):
    before = current_generation(small.index_dir)
    (small.corpus_dir / "kievit.txt").write_text(
        "De kievit broedt op akkers en in weilanden en verdedigt zijn nest fel tegen kraaien.\n" * 40,
        encoding="utf-8")

    def limit() -> None:  # files may not grow beyond 64 KiB: the next generation cannot be written
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest"], env=cli_env(small),
                          capture_output=True, text=True, preexec_fn=limit, timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert "cannot write the index" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert current_generation(small.index_dir) == before
    assert check(small).ok
    assert set(Index.open(small).documents) == {"wulp", "grutto"}
    report = ingest(small)  # with room again, the next ingest completes
    assert not report.failed and "kievit" in Index.open(small).documents


def test_a_second_ingest_while_one_writes_refuses_and_nothing_breaks(small, tmp_path):
    (small.corpus_dir / "kievit.txt").write_text("De kievit broedt op akkers.\n", encoding="utf-8")
    with PausedIngest(["writing"], cli_env(small), tmp_path, tmp_path / "first.log") as first:
        first.reach("writing")  # the first holds the lock, halfway through writing the next generation
        second = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest"], env=cli_env(small),
                                capture_output=True, text=True, timeout=600)
        assert second.returncode == 1, second.stderr
        assert "another ingest is writing" in second.stderr and "Traceback" not in second.stderr
        assert first.finish() == 0, first.errors()
    assert check(small).ok and "kievit" in Index.open(small).documents


def test_two_ingests_started_together_each_writes_or_refuses(small):
    """Whichever takes the lock writes; the other refuses with the reason, or (starting after) finds the work
    done. Nothing else may happen, however the two interleave."""
    (small.corpus_dir / "kievit.txt").write_text("De kievit broedt op akkers.\n", encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest"], env=cli_env(small),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.communicate(timeout=600)[1], p.returncode) for p in procs]
    assert any(code == 0 for _, code in results), results
    for err, code in results:
        assert code == 0 or (code == 1 and "another ingest is writing" in err), results
    assert check(small).ok and "kievit" in Index.open(small).documents


def test_the_writability_probe_is_each_callers_own(tmp_path):
    """Many writers probing one directory at once never see each other's probe come and go."""
    from concurrent.futures import ThreadPoolExecutor

    target = tmp_path / "index"
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: check_writable(target), range(400)))  # raises if one probe lost its file
    assert [p.name for p in target.iterdir()] == []


# -- the audit log --------------------------------------------------------------------------------------------


def test_audit_log_is_off_by_default_and_appends_one_line_per_answer(small, tmp_path):
    Answerer(small, "extractive").ask("Welke vogel broedt er in de klei, volgens de notitie?")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and b"volgens de notitie" in p.read_bytes()]
    assert not written, written  # the question is written nowhere (the working directory is tmp_path)
    audit = tmp_path / "audit" / "antwoorden.jsonl"
    settings = make_settings(small.corpus_dir, small.index_dir, audit_path=audit)
    answerer = Answerer(settings, "extractive")
    answerer.ask("Waar broedt de wulp?")
    first = audit.read_bytes()
    answerer.ask("Wat is de hoofdstad van Australië?")
    assert audit.read_bytes().startswith(first)  # appended, never rewritten
    rows = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert [r["question"] for r in rows] == ["Waar broedt de wulp?", "Wat is de hoofdstad van Australië?"]
    assert rows[0]["citations"][0]["doc_id"] == "wulp" and rows[0]["backend"] == "extractive"
    assert rows[1]["abstained"] and rows[0]["via"] == "cli" and rows[0]["time"]
    assert oct(audit.stat().st_mode & 0o777) == "0o600"


# -- serving: health, and several processes on one Chroma server ----------------------------------------------


def _serve(settings: Settings, cwd: Path, **env: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--backend", "extractive",
                             "--port", str(port)], cwd=cwd, env=cli_env(settings, **env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url + "/health", proc)
    return proc, url


def _health(url: str) -> dict:
    with urllib.request.urlopen(url + "/health", timeout=10) as r:
        return json.loads(r.read())


def _ask(url: str, question: str) -> dict:
    from gradio_client import Client

    return Client(url, verbose=False).predict(question, [], api_name="/answer")


@pytest.mark.slow
def test_two_serve_processes_on_one_chroma_server_stay_consistent_while_one_ingests(tmp_path, chroma_server):
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[2] / "corpus", corpus)
    settings = make_settings(corpus, tmp_path / "index", chroma={"host": "127.0.0.1", "port": chroma_server})
    env = {"ASSISTANT_CHROMA__HOST": "127.0.0.1", "ASSISTANT_CHROMA__PORT": str(chroma_server)}
    assert not ingest(settings).failed
    first, url_a = _serve(settings, tmp_path, **env)
    second, url_b = _serve(settings, tmp_path, **env)
    try:
        question = "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?"
        before = _ask(url_b, question)
        assert "Netwerk Publieke Dienstverleners" in before["answer"]
        health = _health(url_a)
        assert health["status"] == "ok" and health["generation"] == health["live_generation"]

        (corpus / "wulp.txt").write_text(DOCS["wulp.txt"], encoding="utf-8")
        # both keep answering, the same way, while an ingest writes the next generation and before it is live
        with PausedIngest(["writing", "flip"], cli_env(settings, **env), tmp_path, tmp_path / "ingest.log") as writer:
            for point in ("writing", "flip"):
                writer.reach(point)
                assert _ask(url_b, question)["answer"] == before["answer"], point
                assert _ask(url_a, question)["answer"] == before["answer"], point
                writer.go_on()
            assert writer.finish() == 0, writer.errors()

        after = _ask(url_b, "Waar zoekt de wulp voedsel?")  # both follow the new generation
        assert after["citations"] and after["citations"][0]["doc_id"] == "wulp"
        assert _ask(url_a, question)["answer"] == before["answer"]
        live = current_generation(settings.index_dir)
        assert _health(url_a)["generation"] == live == _health(url_b)["generation"]
    finally:
        for proc in (first, second):
            proc.terminate()
            proc.wait(timeout=30)
