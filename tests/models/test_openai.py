"""The OpenAI-compatible backend for real: `langchain-openai` talks HTTP to llama.cpp's own OpenAI-compatible server
running the bundled Gemma 3 270M, and to a fake OpenAI-compatible server on loopback whose streams break off or
stall at a known point.

One real server for the module, started with an API key (so the same server shows a refused key and an accepted
one); few real generations (it writes on a 2-core CPU). What must happen at a given moment (a dropped connection,
a stalled stream) is played by the fake server (tests/fake_openai.py), checked first against the official client.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import cli_env, free_port
from fake_ollama import from_source_1, last_user, pieces, sources
from fake_openai import MODEL, FakeOpenAI, running
from langchain_core.language_models import BaseChatModel
from loopback import stop

from assistant.answer.answerer import Answerer
from assistant.config import Settings
from assistant.models import servers
from assistant.models.llm import Backend, get_backend
from assistant.retrieve import Searcher
from assistant.types import Answer, AssistantError

ROOT = Path(__file__).resolve().parents[2]
PROMPTS = ROOT / "prompts"
CLI = [sys.executable, "-m", "assistant.cli"]

KEY = "secret"
ALIAS = "gemma"
COALITION = "Welke organisaties vormen op dit moment de coalitie digitale ethiek?"
NETWORK = "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?"

BROKE_OFF = "the connection to the model server broke off mid-answer"
TOO_SLOW = "the model server did not answer in time (llm.timeout_s)"
REFUSED_KEY = "the model server refused the API key (401)"


def nowhere() -> str:
    """The address of a loopback port nothing listens on."""
    return f"http://127.0.0.1:{free_port()}"


def settings_for(base: Settings, url: str | None, key: str | None = None, backend: str = "openai",
                 model: str | None = None, **llm: Any) -> Settings:
    """The bundled index, with Ollama down and the OpenAI-compatible server at `url`."""
    return Settings(corpus_dir=base.corpus_dir, index_dir=base.index_dir, ollama_host=nowhere(),
                    llm={"backend": backend, "openai_base_url": url, "openai_api_key": key, "openai_model": model,
                         **llm})


# --------------------------------------------------------------------------------------------------------------
# Reading answers
# --------------------------------------------------------------------------------------------------------------


def flat(text: str) -> str:
    return " ".join(text.split())


def markers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


def quoted(answer: Answer) -> str:
    """What a Dutch answer that falls back to the evidence reads: every quote followed by its marker."""
    return " ".join(f"{flat(c.quote)} [{c.n}]" for c in answer.citations)


def run(answerer: Answerer, question: str) -> tuple[list[str], Answer]:
    """The pieces streamed, then the final answer (which must come last, once)."""
    *streamed, answer = list(answerer.stream(question))
    assert isinstance(answer, Answer)
    assert all(isinstance(e, str) for e in streamed)
    return streamed, answer


def assert_cites_verbatim(answer: Answer, answerer: Answerer) -> None:
    """Cited, every quote a span of the indexed document, and every marker in the text with its citation."""
    assert not answer.abstained and answer.citations
    for c in answer.citations:
        assert answerer.index.document(c.doc_id).text[c.start : c.end] == c.quote
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(markers(answer.answer)) == set(numbers), "every marker has a citation and every citation a marker"


def assert_quotes_the_sources_sent(answer: Answer, request: dict[str, Any], answerer: Answerer) -> None:
    assert answer.answer == quoted(answer)
    assert [flat(c.quote) for c in answer.citations] == [flat(t) for t in sources(request).values()]
    assert_cites_verbatim(answer, answerer)


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


# --------------------------------------------------------------------------------------------------------------
# The servers
# --------------------------------------------------------------------------------------------------------------


@dataclass
class RealServer:
    url: str
    proc: subprocess.Popen
    output: list[str]


def _bundled_gguf() -> Path:
    from assistant.models.llamacpp import _bundled_gguf

    return _bundled_gguf()


@pytest.fixture(scope="module")
def llama() -> Iterator[RealServer]:
    """llama.cpp's OpenAI-compatible server with the bundled GGUF under the alias `gemma`, asking for key `secret`;
    ready once it says "Uvicorn running on". Its output is drained by a thread, so it never blocks on a full pipe."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "models" / "llama_server.py"), "--model", str(_bundled_gguf()),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--model_alias", ALIAS, "--api_key", KEY],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    output: list[str] = []
    ready, settled = threading.Event(), threading.Event()  # settled: ready, or its output ended (it failed)

    def drain() -> None:
        for line in proc.stdout:
            output.append(line)
            if "Uvicorn running on" in line:
                ready.set()
                settled.set()
        settled.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        settled.wait()
        if not ready.is_set():
            raise AssertionError(f"the llama.cpp server exited with {proc.wait()}:\n{''.join(output)}")
        yield RealServer(f"http://127.0.0.1:{port}/v1", proc, output)
    finally:
        stop(proc, 60)
        reader.join(10)


@pytest.fixture(scope="module")
def searcher(bundled: Settings) -> Searcher:
    """One searcher over the bundled index for the module's answerers (opening the index and the embedder once)."""
    return Searcher(bundled)


@pytest.fixture(scope="module")
def _fake() -> Iterator[FakeOpenAI]:
    with running() as state:
        yield state


@pytest.fixture
def fake(_fake: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """The fake OpenAI-compatible server, listing `fake-gemma`, with no requests recorded and no stream held."""
    with _fake.fresh():
        yield _fake


# --------------------------------------------------------------------------------------------------------------
# The fake server against the official client
# --------------------------------------------------------------------------------------------------------------


def test_fake_server_speaks_what_the_openai_client_parses(fake):
    import openai

    fake.reply = lambda request: "Het antwoord staat in de bron [1]."
    client = openai.OpenAI(base_url=fake.url, api_key="x", max_retries=0, timeout=5)
    assert [m.id for m in client.models.list()] == [MODEL]
    messages = [{"role": "user", "content": "Vraag?"}]
    whole = client.chat.completions.create(model=MODEL, messages=messages)
    assert whole.choices[0].message.content == "Het antwoord staat in de bron [1]."
    assert whole.choices[0].finish_reason == "stop"
    chunks = list(client.chat.completions.create(model=MODEL, messages=messages, stream=True,
                                                 stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.role == "assistant"
    content = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(content) > 3 and "".join(content) == "Het antwoord staat in de bron [1]."
    assert [c.choices[0].finish_reason for c in chunks if c.choices] == [None] * (len(content) + 1) + ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == len(content)
    assert [body.get("stream") for body in fake.chats] == [None, True]

    fake.missing = True
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model=MODEL, messages=messages, stream=True)
    assert missing.value.status_code == 404 and "does not exist" in str(missing.value)

    fake.missing, fake.api_key = False, "right"
    with pytest.raises(openai.AuthenticationError):
        client.models.list()


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during."""
    found = [exc]
    while (cause := found[-1].__cause__ or found[-1].__context__) is not None and len(found) < 10:
        found.append(cause)
    return found


def dropped_by_the_openai_client(fake: FakeOpenAI) -> tuple[list[str], BaseException]:
    """What the official client reads of a stream the fake server drops after two pieces, and how it fails."""
    import openai

    fake.reply, fake.die_after = (lambda request: "een twee drie vier"), 2
    client = openai.OpenAI(base_url=fake.url, api_key="x", max_retries=0, timeout=5)
    received: list[str] = []
    with pytest.raises(Exception) as failed:
        for c in client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "?"}],
                                                stream=True):
            received.append(c.choices[0].delta.content or "" if c.choices else "")
    return received, failed.value


def test_the_fake_servers_drop_is_a_body_the_openai_client_cannot_read_to_the_end(fake):
    """The pieces before the drop arrive, then the transport's error (an incomplete chunked body), never `[DONE]`."""
    received, failed = dropped_by_the_openai_client(fake)
    assert "".join(received) == "een twee"
    assert any(type(e).__name__ == "RemoteProtocolError" and "incomplete chunked read" in str(e)
               for e in chain(failed)), [repr(e) for e in chain(failed)]


def test_failure_names_a_dropped_openai_stream_as_broken_off(fake):
    """The openai client (3.x) runs on `httpx2`, whose exception classes are not `httpx`'s."""
    _, failed = dropped_by_the_openai_client(fake)
    assert servers.failure(failed) == BROKE_OFF, [repr(e) for e in chain(failed)]


# --------------------------------------------------------------------------------------------------------------
# The real llama.cpp server
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_server_answers_with_verbatim_citations(bundled, llama, searcher):
    settings = settings_for(bundled, llama.url, KEY)
    backend = get_backend(settings, "openai")
    assert backend.name == "openai" and backend.model == ALIAS and backend.instructed
    assert isinstance(backend.chat, BaseChatModel)
    answerer = Answerer(settings, "openai", searcher=searcher)
    streamed, answer = run(answerer, COALITION)
    assert streamed and "".join(streamed).strip(), "the model's words arrive as it writes them"
    assert answer.backend == "openai" and answer.model == ALIAS and answer.language == "nl"
    assert "first_token_ms" in answer.timings
    assert_cites_verbatim(answer, answerer)
    if answer.fallback:  # the small base model's words did not verify: the evidence is quoted, the answer with it
        assert answer.answer == quoted(answer) and f"{answer.fallback}; the answer quotes the sources instead" in (
            answer.notices)
        assert any("IPO, UWV, SVB, Rijks ICT-Gilde en VNG" in c.quote for c in answer.citations), answer.citations


@pytest.mark.slow
def test_auto_picks_the_openai_server_when_ollama_is_down(bundled, llama):
    settings = settings_for(bundled, llama.url, KEY, backend="auto")
    backend = get_backend(settings)
    assert backend.name == "openai" and backend.model == ALIAS and isinstance(backend.chat, BaseChatModel)
    assert llama.url in backend.reason and "Ollama cannot answer" in backend.reason
    assert backend.line == f"answers by openai ({ALIAS}); {backend.reason}"


def test_auto_prefers_ollama_when_it_has_the_model(bundled, server, fake):
    settings = Settings(corpus_dir=bundled.corpus_dir, index_dir=bundled.index_dir, ollama_host=server.url,
                        llm={"openai_base_url": fake.url})
    backend = get_backend(settings)
    assert backend.name == "ollama" and fake.requests == [], "the OpenAI server is not even asked"


def test_auto_quotes_the_documents_when_no_server_answers(bundled):
    settings = settings_for(bundled, nowhere(), backend="auto")
    backend = get_backend(settings)
    assert backend.name == "extractive" and backend.chat is None
    assert backend.line.startswith("answers by extractive: answers quote the documents")
    assert f"Ollama is not reachable at {settings.ollama_host}" in backend.line and "ollama serve" in backend.line
    assert f"the OpenAI-compatible server at {settings.llm.openai_base_url} is not reachable" in backend.line
    # with no OpenAI-compatible server configured, only Ollama's problem is said
    unconfigured = settings_for(bundled, None, backend="auto")
    alone = get_backend(unconfigured)
    assert alone.name == "extractive" and alone.reason == servers.probe_ollama(unconfigured).problem


@pytest.mark.slow
def test_auto_passes_over_a_server_without_the_model(bundled, llama):
    settings = settings_for(bundled, llama.url, KEY, backend="auto", model="nope")
    backend = get_backend(settings)
    assert backend.name == "extractive" and backend.chat is None
    assert f"the OpenAI-compatible server at {llama.url} has no model 'nope'; it has: {ALIAS}" in backend.reason
    assert "Ollama is not reachable" in backend.reason


# --------------------------------------------------------------------------------------------------------------
# Settings from the conventional environment variables
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_conventional_env_vars_configure_the_server(bundled, llama, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", llama.url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    settings = Settings(corpus_dir=bundled.corpus_dir, index_dir=bundled.index_dir)
    assert settings.llm.openai_base_url == llama.url
    assert settings.llm.openai_api_key is not None and settings.llm.openai_api_key.get_secret_value() == KEY
    probe = servers.probe_openai(settings)
    assert probe.problem is None and probe.url == llama.url and probe.models == [ALIAS]
    backend = get_backend(settings, "openai")
    assert backend.name == "openai" and backend.model == ALIAS


def test_the_assistant_env_vars_take_precedence(fake, monkeypatch):
    fake.api_key = "right"
    monkeypatch.setenv("OPENAI_BASE_URL", nowhere() + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "wrong")
    monkeypatch.setenv("ASSISTANT_LLM__OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("ASSISTANT_LLM__OPENAI_API_KEY", "right")
    monkeypatch.setenv("ASSISTANT_LLM__OPENAI_MODEL", MODEL)
    settings = Settings()
    assert settings.llm.openai_base_url == fake.url and settings.llm.openai_model == MODEL
    assert servers.probe_openai(settings).problem is None
    assert "right" not in repr(settings.llm), "the key is not shown"


# --------------------------------------------------------------------------------------------------------------
# A refused key
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("key", ["wrong", None])
def test_a_refused_key_is_said_before_answering(bundled, llama, key):
    settings = settings_for(bundled, llama.url, key)
    problem = servers.probe_openai(settings).problem
    assert problem is not None and "refused the API key (401)" in problem and llama.url in problem
    assert "ASSISTANT_LLM__OPENAI_API_KEY" in problem
    with pytest.raises(AssistantError, match=r"refused the API key \(401\).*ASSISTANT_LLM__OPENAI_API_KEY"):
        get_backend(settings, "openai")
    assert servers.probe_openai(settings_for(bundled, llama.url, KEY)).problem is None


@pytest.mark.slow
def test_a_key_refused_mid_answer_quotes_the_sources(bundled, llama, searcher):
    wrong = settings_for(bundled, llama.url, "wrong")
    backend = Backend("openai", ALIAS, servers.openai_chat(wrong, ALIAS), instructed=True)
    answerer = Answerer(settings_for(bundled, llama.url, KEY), backend, searcher=searcher)
    streamed, answer = run(answerer, COALITION)
    assert streamed == []
    assert answer.fallback == REFUSED_KEY
    assert f"{REFUSED_KEY}; the answer quotes the sources instead" in answer.notices, answer.notices
    assert answer.backend == "openai" and answer.answer == quoted(answer)
    assert_cites_verbatim(answer, answerer)


# --------------------------------------------------------------------------------------------------------------
# An unknown model, a server that is not there
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_with_an_unknown_model_says_so_in_one_line(bundled, llama):
    env = cli_env(bundled, ASSISTANT_LLM__OPENAI_BASE_URL=llama.url, ASSISTANT_LLM__OPENAI_API_KEY=KEY,
                  ASSISTANT_LLM__OPENAI_MODEL="nope")
    proc = subprocess.run([*CLI, "ask", NETWORK, "--backend", "openai"], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 1, proc.stderr
    line = one_line(proc.stderr)
    assert f"the OpenAI-compatible server at {llama.url} has no model 'nope'; it has: {ALIAS}" in line
    assert proc.stdout == ""


def test_a_server_that_is_not_there(bundled):
    settings = settings_for(bundled, nowhere() + "/v1")
    probe = servers.probe_openai(settings)
    assert probe.problem == (f"the OpenAI-compatible server at {settings.llm.openai_base_url} is not reachable "
                             "(ConnectError)")
    with pytest.raises(AssistantError, match="is not reachable"):
        get_backend(settings, "openai")
    env = cli_env(bundled, ASSISTANT_LLM__OPENAI_BASE_URL=settings.llm.openai_base_url)
    proc = subprocess.run([*CLI, "ask", NETWORK, "--backend", "openai"], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert "is not reachable" in one_line(proc.stderr) and proc.stdout == ""


def test_no_server_configured_is_said_when_openai_is_asked_for(bundled):
    with pytest.raises(AssistantError, match=r"no OpenAI-compatible server is configured.*OPENAI_BASE_URL"):
        get_backend(settings_for(bundled, None), "openai")


def test_a_base_url_without_v1_is_explained(bundled, fake):
    problem = servers.probe_openai(settings_for(bundled, fake.url.removesuffix("/v1"))).problem
    assert problem is not None and "does not answer as an OpenAI-compatible server" in problem
    assert "/v1" in problem


# --------------------------------------------------------------------------------------------------------------
# Answers from the fake server: as they should be, a stream that drops, a stream that stalls
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_answerer(bundled, fake, searcher) -> Answerer:
    return Answerer(settings_for(bundled, fake.url), "openai", searcher=searcher)


def test_a_good_model_streams_a_verified_answer_and_is_asked_as_configured(fake_answerer, fake):
    fake.reply = from_source_1
    streamed, answer = run(fake_answerer, NETWORK)
    [request] = fake.chats
    assert len(streamed) > 1 and "".join(streamed) == from_source_1(request)
    assert answer.fallback is None and answer.notices == [] and not answer.abstained
    assert answer.backend == "openai" and answer.model == MODEL
    assert "Netwerk Publieke Dienstverleners" in answer.answer
    assert_cites_verbatim(answer, fake_answerer)
    assert flat(answer.citations[0].quote) == flat(sources(request)[1])
    # what was asked of the server
    settings = fake_answerer.settings
    assert request["model"] == MODEL and request["stream"] is True and request["temperature"] == 0
    assert request["max_tokens"] == settings.llm.max_tokens  # the field servers (llama.cpp, vLLM) read
    assert request.get("max_completion_tokens", settings.llm.max_tokens) == settings.llm.max_tokens
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert request["messages"][0]["content"] == (PROMPTS / "system.nl.txt").read_text(encoding="utf-8").strip()
    assert f"Vraag: {NETWORK}\nBronnen:\n[1] " in last_user(request)


def test_a_stream_that_drops_midway_quotes_the_sources(fake_answerer, fake):
    fake.reply, fake.die_after = from_source_1, 2
    streamed, answer = run(fake_answerer, NETWORK)
    [request] = fake.chats
    assert streamed == pieces(from_source_1(request))[:2], "the pieces sent before the drop were passed on"
    assert answer.fallback == BROKE_OFF
    assert f"{BROKE_OFF}; the answer quotes the sources instead" in answer.notices, answer.notices
    assert_quotes_the_sources_sent(answer, request, fake_answerer)


def test_a_stream_that_stalls_gives_up_after_the_timeout(bundled, fake, searcher, monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM__TIMEOUT_S", "1")
    settings = settings_for(bundled, fake.url)
    assert settings.llm.timeout_s == 1
    answerer = Answerer(settings, "openai", searcher=searcher)
    fake.reply, fake.hold_after = from_source_1, 3
    streamed, answer = run(answerer, NETWORK)
    [request] = fake.chats
    assert fake.holding.is_set() and not fake.ended.is_set(), "the server was still holding the stream"
    assert streamed == pieces(from_source_1(request))[:3]
    assert answer.fallback == TOO_SLOW
    assert f"{TOO_SLOW}; the answer quotes the sources instead" in answer.notices, answer.notices
    assert_quotes_the_sources_sent(answer, request, answerer)
    fake.release.set()
    assert fake.ended.wait(30), "the held stream ends once released"


def test_a_model_the_server_no_longer_has_quotes_the_sources(fake_answerer, fake):
    fake.reply, fake.missing = from_source_1, True
    streamed, answer = run(fake_answerer, NETWORK)
    assert streamed == []
    assert answer.fallback is not None and answer.fallback.startswith("the model server does not have the model (404")
    assert f"The model `{MODEL}` does not exist" in answer.fallback, "what the server said is passed on"
    assert f"{answer.fallback}; the answer quotes the sources instead" in answer.notices, answer.notices
    assert_cites_verbatim(answer, fake_answerer)
    assert answer.answer == quoted(answer)


# --------------------------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------------------------


def test_cli_ask_says_which_backend_answers(bundled, fake):
    proc = subprocess.run([*CLI, "ask", NETWORK, "--backend", "extractive"], capture_output=True, text=True,
                          env=cli_env(bundled), timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0].startswith("answers by extractive: answers quote the documents"), proc.stderr
    assert "Netwerk Publieke Dienstverleners" in proc.stdout

    fake.reply = from_source_1
    proc = subprocess.run([*CLI, "ask", NETWORK, "--backend", "openai"], capture_output=True, text=True,
                          env=cli_env(bundled, OPENAI_BASE_URL=fake.url), timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0] == (
        f"answers by openai ({MODEL}); chosen with --backend or the `llm.backend` setting"), proc.stderr
    assert "Netwerk Publieke Dienstverleners" in proc.stdout and "[1]" in proc.stdout
    assert len(fake.chats) == 1


def test_cli_doctor_lists_the_openai_server_and_what_auto_picks(bundled, fake):
    ollama = nowhere()
    env = cli_env(bundled, ASSISTANT_OLLAMA_HOST=ollama, ASSISTANT_LLM__OPENAI_BASE_URL=fake.url)
    proc = subprocess.run([*CLI, "doctor", "--quick"], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert f"OpenAI-compatible server at {fake.url}: ready; models: {MODEL}" in lines, proc.stdout
    assert any(line.startswith(f"Ollama is not reachable at {ollama}") for line in lines), proc.stdout
    assert lines[-1] == "backend: auto (picks openai)", proc.stdout


# --------------------------------------------------------------------------------------------------------------
# The embedded extra
# --------------------------------------------------------------------------------------------------------------


def test_embedded_without_its_extra_names_the_install_command(bundled, monkeypatch):
    import assistant.models.llamacpp  # noqa: F401  (imported with llama_cpp present, as it would be)

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # `import llama_cpp` now fails
    with pytest.raises(AssistantError, match=re.escape('pip install -e ".[embedded]"')):
        get_backend(bundled, "embedded")
