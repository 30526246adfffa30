"""The embedded backend for real: llama-cpp-python running the bundled Gemma 3 270M GGUF over the bundled corpus.

Generations are few (about ten questions in all): one module-wide Answerer, each answer computed once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import cli_env
from langchain_core.language_models import BaseChatModel

from assistant.answer.answerer import Answerer
from assistant.models import llamacpp
from assistant.text.normalize import match_key
from assistant.types import Answer

ROOT = Path(__file__).resolve().parents[2]
GOLD = {g["id"]: g for g in (json.loads(line) for line in (ROOT / "evals" / "gold.jsonl").read_text().splitlines()
                              if line.strip())}
# Answerable, standalone questions of several types, Dutch and English.
PROPERTY_IDS = ["g001", "g004", "g010", "g021", "g030", "g006", "g085", "g092"]
STREAMED = "Welke organisaties vormen op dit moment de coalitie digitale ethiek?"
UNANSWERABLE = "Wat is de hoofdstad van Australië?"
CLI = [sys.executable, "-m", "assistant.cli"]


def test_property_questions_are_answerable_standalone_and_bilingual():
    chosen = [GOLD[i] for i in PROPERTY_IDS]
    assert all(not g["abstain"] and g["follow_up_of"] is None for g in chosen)
    assert {g["language"] for g in chosen} == {"nl", "en"}


@pytest.fixture(scope="module")
def answerer(bundled):
    return Answerer(bundled, "embedded")


@pytest.fixture(scope="module")
def gold_answers(answerer):
    """Each property question asked once; the answers and how long the model took in all."""
    started = time.perf_counter()
    answers = {i: answerer.ask(GOLD[i]["question"]) for i in PROPERTY_IDS}
    return answers, time.perf_counter() - started


def _markers(text: str) -> set[int]:
    return {int(n) for group in re.findall(r"\[(\d+(?:\s*,\s*\d+)*)\]", text) for n in re.split(r"\s*,\s*", group)}


@pytest.mark.slow
def test_backend_is_the_embedded_gguf_behind_langchain(answerer):
    backend = answerer.backend
    assert backend.name == "embedded"
    assert backend.model and backend.model.endswith(".gguf")
    assert isinstance(backend.chat, BaseChatModel)
    assert isinstance(backend.chat, llamacpp.LlamaCppChat)
    assert Path(backend.chat.model_path).is_file()


@pytest.mark.slow
@pytest.mark.parametrize("gold_id", PROPERTY_IDS)
def test_answer_properties(answerer, gold_answers, gold_id):
    """Whatever the model writes: quotes verbatim, markers and citations match, model text verified or evidence."""
    answer = gold_answers[0][gold_id]
    assert answer.backend == "embedded" and answer.model and answer.model.endswith(".gguf")
    assert answer.language == GOLD[gold_id]["language"]
    assert "first_token_ms" in answer.timings or answer.fallback, "evidence was found, so the model was asked"
    if answer.abstained:
        # only when the model said the evidence does not answer: then nothing is cited, the evidence is offered
        assert answer.fallback and "no answer" in answer.fallback, answer.answer
        assert answer.citations == [] and answer.related and not _markers(answer.answer)
        return
    assert answer.citations
    for c in answer.citations:
        document = answerer.index.document(c.doc_id)
        where = document.footnotes[c.footnote].text if c.footnote is not None else document.text
        assert match_key(c.quote) in match_key(where), f"quote not verbatim in {c.doc_id}: {c.quote!r}"
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert _markers(answer.answer) == set(numbers), answer.answer
    if answer.fallback is None:
        # the model's own sentences, each verified and carrying a marker of its source
        assert not any("quotes the sources" in n for n in answer.notices)
        for sentence in re.split(r"(?<=\][.!?])\s+", answer.answer.strip()):
            assert re.search(r"(?:\[\d+\])+[.!?]$", sentence), f"sentence without a marker: {sentence!r}"
    else:
        # the evidence itself, quoted
        assert any("quotes the sources" in n for n in answer.notices)
        for c in answer.citations:
            assert " ".join(c.quote.split()) in answer.answer


@pytest.mark.slow
def test_report_how_many_answers_fell_back(gold_answers, capsys):
    answers, seconds = gold_answers
    fell_back = {i: a.fallback for i, a in answers.items() if a.fallback}
    with capsys.disabled():
        print(f"\nembedded: {len(fell_back)} of {len(answers)} answers fell back to quoting the evidence "
              f"({seconds:.1f} s for {len(answers)} questions)")
        for i, a in answers.items():
            print(f"  {i} [{a.language}] {'FALLBACK: ' + a.fallback if a.fallback else 'model'}: {a.answer[:160]}")
    assert len(answers) == len(PROPERTY_IDS)


@pytest.mark.slow
def test_unanswerable_question_abstains_without_calling_the_model(answerer, monkeypatch):
    calls = []

    def refuse(self, *args, **kwargs):
        calls.append(args)
        raise AssertionError("the model must not be asked")

    monkeypatch.setattr(llamacpp.LlamaCppChat, "_stream", refuse)
    answer = answerer.ask(UNANSWERABLE)
    assert calls == []
    assert answer.abstained and answer.citations == [] and answer.fallback is None
    assert "geen antwoord" in answer.answer
    assert "first_token_ms" not in answer.timings
    assert answer.timings["generate_ms"] < 100, answer.timings


@pytest.mark.slow
def test_stream_yields_the_model_words_before_the_answer(answerer):
    events = list(answerer.stream(STREAMED))
    *pieces, answer = events
    assert isinstance(answer, Answer)
    assert pieces and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces).strip(), "the model wrote something"
    assert "first_token_ms" in answer.timings
    assert answer.timings["first_token_ms"] <= answer.timings["total_ms"]
    assert not answer.abstained and answer.citations
    assert _markers(answer.answer) == {c.n for c in answer.citations}


@pytest.mark.slow
def test_model_is_loaded_once_per_process(answerer, bundled):
    other = Answerer(bundled, "embedded")
    assert other.backend.chat is not answerer.backend.chat
    assert other.backend.chat.llama is answerer.backend.chat.llama


# --- the command line -------------------------------------------------------------------------------------------

def _run_ask(bundled, gguf: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "ask", "Wat is NOLAI?", "--backend", "embedded"], capture_output=True, text=True,
                          env=cli_env(bundled, ASSISTANT_LLM__GGUF_PATH=str(gguf)), timeout=timeout)


def test_missing_gguf_is_a_clear_error(bundled, tmp_path):
    missing = tmp_path / "models" / "weg.gguf"
    proc = _run_ask(bundled, missing)
    assert proc.returncode == 1, proc.stderr
    assert str(missing) in proc.stderr and "not found" in proc.stderr
    assert "ASSISTANT_LLM__GGUF_PATH" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def _bundled_prefix(path: Path) -> None:
    bundled_gguf = llamacpp._bundled_gguf()
    with open(bundled_gguf, "rb") as src:
        path.write_bytes(src.read(1_000_000))


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(os.urandom(4096)),
    lambda p: p.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xff" * 64),
    lambda p: p.write_bytes(b""),
    _bundled_prefix,
], ids=["random-bytes", "gguf-magic-then-garbage", "empty", "truncated-model"])
def test_file_that_is_no_model_is_a_clear_error(bundled, tmp_path, make):
    junk = tmp_path / "kapot.gguf"
    make(junk)
    proc = _run_ask(bundled, junk)
    assert proc.returncode == 1, proc.stderr
    assert "could not be loaded" in proc.stderr and str(junk) in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.slow
def test_cli_jsonl_answers_every_line_with_one_model(bundled):
    questions = ["Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?",
                 "Who drew up the Interbestuurlijke Datastrategie (IBDS)?",
                 "Hoeveel ICT-speerpunten kent de inkoopstrategie van het Rijk?"]
    started = time.perf_counter()
    proc = subprocess.run([*CLI, "ask", "--jsonl", "--backend", "embedded"], input="\n".join(questions) + "\n",
                          capture_output=True, text=True, env=cli_env(bundled), timeout=600)
    elapsed = time.perf_counter() - started
    print(f"\n`assistant ask --jsonl --backend embedded`, {len(questions)} questions: {elapsed:.1f} s")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert [a["question"] for a in lines] == questions
    for a in lines:
        assert a["backend"] == "embedded" and a["model"].endswith(".gguf")
        assert "error" not in a
        assert _markers(a["answer"]) == {c["n"] for c in a["citations"]}
    asked = [a for a in lines if "first_token_ms" in a["timings"]]
    assert asked, "the model wrote at least one answer"


@pytest.mark.slow
def test_weights_stay_in_plain_cpu_buffers(answerer):
    """llama.cpp's repacked buffers crash the first decode on Xeons with AMX (llama.cpp issue 20824): not used."""
    from llama_cpp import llama_cpp as bindings

    llama = answerer.backend.chat.llama
    assert llama.model_params.use_extra_bufts is False
    assert bindings.llama_model_default_params().use_extra_bufts is True  # only the model's own load changed
