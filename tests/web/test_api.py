"""`assistant serve`'s OpenAI-compatible chat API under `/v1`, called as other chat platforms call it: the official
`openai` client, LiteLLM and plain HTTP, against the real command in a subprocess (`serving` from test_ui).

Two servers over copies of the bundled corpus: one bound to 127.0.0.1 (no key needed) for the answers and the
refusals, and one bound to 0.0.0.0 (API keys, page users, a rate limit of three questions a minute, a model name of
its own) that the tests reach over loopback: the address the server is bound to decides whether a key is needed,
not the caller's.
"""

from __future__ import annotations

import json
import re
import socket
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import openai
import pytest
from click.testing import CliRunner
from starlette.requests import Request
from test_ui import PASSWORD, Server, _login, _status, copy_bundled, serving

from assistant.cli import cli
from assistant.config import ApiSettings, Settings
from assistant.index import Index
from assistant.web.api import Access, ApiError
from assistant.web.auth import hash_password, key_matches, new_key

DOC_ID = "kst-26643-1055"
MODEL = "beleidsassistent"
REMOTE_MODEL = "beleid-extern"
LIMIT = 3
TIMEOUT_S = 600  # only stops a hang: every call waits for its answer

COALITION = "Welke organisaties vormen op dit moment de coalitie digitale ethiek?"
NETWORK = "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?"
FOLLOW_UP = "Met wie gaat de staatssecretaris de aanpak daarvan coördineren?"
AI_LABS = "Which institution runs a Centre of Expertise Applied AI, and in how many labs?"
BDI = "Wat is de Basis Data Infrastructuur?"
UNANSWERABLE = "Wat is de hoofdstad van Australië?"
ABSTAINED = "De documenten geven geen antwoord op deze vraag."
SOURCES = "\n\nBronnen:\n"

# -- servers -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Bound to 127.0.0.1: no key needed; answers are audited."""
    base = tmp_path_factory.mktemp("api-local")
    with serving(copy_bundled(bundled, base), base, ASSISTANT_AUDIT_PATH=str(base / "audit.jsonl")) as server:
        yield server


@dataclass
class Remote:
    server: Server
    keys: dict[str, str]  # name -> the key itself (the server holds only its hash)

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def remote(bundled: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    """Bound to 0.0.0.0 (so it needs page users and API keys), reached over 127.0.0.1."""
    base = tmp_path_factory.mktemp("api-remote")
    made = {name: new_key() for name in ("alpha", "beta")}
    env = {"ASSISTANT_UI__HOST": "0.0.0.0",
           "ASSISTANT_UI__USERS": json.dumps({"anna": hash_password(PASSWORD)}),
           "ASSISTANT_API__KEYS": json.dumps({name: stored for name, (_, stored) in made.items()}),
           "ASSISTANT_API__REQUESTS_PER_MINUTE": str(LIMIT),
           "ASSISTANT_API__MODEL_NAME": REMOTE_MODEL,
           "ASSISTANT_AUDIT_PATH": str(base / "audit.jsonl")}
    with serving(copy_bundled(bundled, base), base, **env) as server:
        assert re.search(r"serving on http://0\.0\.0\.0:\d+", server.output()), server.output()
        yield Remote(server, {name: key for name, (key, _) in made.items()})


# -- helpers -------------------------------------------------------------------------------------------------


def client(server: Server | Remote, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0, timeout=TIMEOUT_S)


def http(server: Server | Remote, key: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=TIMEOUT_S)


def user(text: Any) -> dict[str, Any]:
    return {"role": "user", "content": text}


def chat(server: Server | Remote, question: str | None = None, key: str | None = None,
         **body: Any) -> httpx.Response:
    """A raw `POST /v1/chat/completions`; `question` becomes the only message."""
    body.setdefault("model", MODEL)
    if question is not None:
        body.setdefault("messages", [user(question)])
    with http(server, key) as c:
        return c.post("/v1/chat/completions", json=body)


def refused(response: httpx.Response, status: int, code: str | None = None, param: str | None = None,
            kind: str = "invalid_request_error") -> str:
    """Check an error response has exactly OpenAI's shape and the expected fields; its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert sorted(error) == ["code", "message", "param", "type"], body
    assert isinstance(error["message"], str) and error["message"].strip()
    assert (error["type"], error["code"], error["param"]) == (kind, code, param), body
    return error["message"]


def events(response: httpx.Response) -> list[str]:
    """The `data:` payloads of a server-sent event stream, checking every event is one `data:` line."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    text = response.text
    assert text.endswith("\n\n")
    payloads = []
    for event in text[:-2].split("\n\n"):
        assert event.startswith("data: ") and "\n" not in event, event
        payloads.append(event.removeprefix("data: "))
    return payloads


def answer_part(content: str) -> str:
    """The answer of a message's content, without its list of sources."""
    return re.split(r"\n\n(?:Bronnen|Sources):\n", content)[0]


def audit(server: Server | Remote) -> list[dict[str, Any]]:
    path = (server.server if isinstance(server, Remote) else server).cwd / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def check_citations(citations: list[dict[str, Any]], content: str, settings: Settings) -> None:
    """Every citation quotes the indexed text where it says, and the content shows its marker and its source."""
    index = Index.open(settings)
    answer, _, sources = content.partition(SOURCES)
    assert citations and sources
    lines = sources.split("\n")
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    for c in citations:
        assert set(c) >= {"n", "doc_id", "title", "identifier", "page", "section", "quote", "chunk_id", "url",
                          "start", "end", "footnote", "status"}
        assert index.document(c["doc_id"]).text[c["start"]:c["end"]] == c["quote"]
        assert c["chunk_id"].startswith(c["doc_id"]) and c["status"] == "current"
        assert f"[{c['n']}]" in answer
        assert lines[c["n"] - 1].startswith(f"[{c['n']}] {c['title']} (")


# -- 1. the official openai client ----------------------------------------------------------------------------


def test_models_and_openapi(local):
    assert [m.id for m in client(local).models.list()] == [MODEL]
    with http(local) as c:
        described = c.get("/v1/openapi.json")
    assert described.status_code == 200
    paths = described.json()["paths"]
    assert any(p.endswith("/chat/completions") for p in paths) and any(p.endswith("/models") for p in paths)
    assert "post" in next(v for p, v in paths.items() if p.endswith("/chat/completions"))


def test_openai_client_answer_with_citations(local, bundled):
    raw = client(local).chat.completions.with_raw_response.create(model=MODEL, messages=[user(COALITION)])
    completion = raw.parse()
    body = raw.http_response.json()
    assert completion.object == "chat.completion" and completion.model == MODEL
    assert completion.id.startswith("chatcmpl-")
    [choice] = completion.choices
    assert choice.message.role == "assistant" and choice.finish_reason == "stop"
    content = choice.message.content
    assert "[1]" in content and SOURCES in content
    assert body["abstained"] is False and completion.model_extra["abstained"] is False
    assert completion.model_extra["citations"] == body["citations"]
    check_citations(body["citations"], content, bundled)
    assert all(c["doc_id"] == DOC_ID for c in body["citations"])
    *_, row = [r for r in audit(local) if r["question"] == COALITION]  # answered before the response was sent
    assert row["via"] == "api local:127.0.0.1" and row["answer"] == answer_part(content)
    assert [c["quote"] for c in row["citations"]] == [c["quote"] for c in body["citations"]]


def test_openai_client_streams_the_same_answer(local):
    api = client(local)
    whole = api.chat.completions.create(model=MODEL, messages=[user(BDI)])
    chunks = list(api.chat.completions.create(model=MODEL, messages=[user(BDI)], stream=True))
    assert len(chunks) >= 3 and len({c.id for c in chunks}) == 1
    assert all(c.object == "chat.completion.chunk" and c.model == MODEL for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert streamed == whole.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks] == [None] * (len(chunks) - 1) + ["stop"]
    last = chunks[-1]
    assert last.model_extra["citations"] == whole.model_extra["citations"] and last.model_extra["citations"]
    assert last.model_extra["abstained"] is False
    assert all("citations" not in c.model_extra for c in chunks[:-1])


def test_stream_on_the_wire(local):
    """Server-sent events as OpenAI sends them: a role chunk, the answer, its sources, the end, `[DONE]`."""
    payloads = events(chat(local, BDI, stream=True))
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all(list(c["choices"][0]["delta"]) == ["content"] for c in chunks[1:-1]) and len(chunks) >= 3
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "[1]" in answer_part(content) and SOURCES in content
    final = chunks[-1]
    assert final["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop", "logprobs": None}
    assert final["abstained"] is False and [c["n"] for c in final["citations"]] == list(
        range(1, len(final["citations"]) + 1))
    assert content == chat(local, BDI).json()["choices"][0]["message"]["content"]


def test_english_question_lists_sources(local, bundled):
    body = chat(local, AI_LABS).json()
    content = body["choices"][0]["message"]["content"]
    assert "\n\nSources:\n" in content and "Bronnen" not in content
    assert "Hogeschool van Amsterdam" in answer_part(content) and body["abstained"] is False
    check_citations(body["citations"], content.replace("\n\nSources:\n", SOURCES), bundled)


def test_follow_up_reads_the_conversation(local):
    api = client(local)
    first = api.chat.completions.create(model=MODEL, messages=[user(NETWORK)]).choices[0].message.content
    assert "Netwerk Publieke Dienstverleners" in answer_part(first)
    conversation = [{"role": "system", "content": "Je bent een behulpzame assistent."}, user(NETWORK),
                    {"role": "assistant", "content": first}]
    follow = api.chat.completions.create(model=MODEL, messages=[*conversation, user(FOLLOW_UP)])
    alone = api.chat.completions.create(model=MODEL, messages=[user(FOLLOW_UP)])
    # OpenAI's multi-part content (a list of text parts), as some platforms send it
    parts = api.chat.completions.create(
        model=MODEL, messages=[*conversation, user([{"type": "text", "text": FOLLOW_UP}])])
    text, text_alone = follow.choices[0].message.content, alone.choices[0].message.content
    assert not follow.model_extra["abstained"] and not alone.model_extra["abstained"]
    assert parts.choices[0].message.content == text
    # the follow-up is read with the question before it: its answer says which network "daarvan" is about
    assert "Netwerk Publieke Dienstverleners" in answer_part(text)
    assert "Netwerk Publieke Dienstverleners" not in answer_part(text_alone)
    quotes = [c["quote"] for c in follow.model_extra["citations"]]
    assert quotes != [c["quote"] for c in alone.model_extra["citations"]]
    rows = [r for r in audit(local) if r["question"] == FOLLOW_UP]
    read_with = f"read together with the previous question: {NETWORK}"
    assert sum(read_with in r["notices"] for r in rows) == 2  # the string and the parts form
    assert sum(read_with not in r["notices"] for r in rows) == 1  # asked alone


def test_unanswerable_question_abstains(local):
    api = client(local)
    answer = api.chat.completions.create(model=MODEL, messages=[user(UNANSWERABLE)])
    assert answer.choices[0].message.content == ABSTAINED
    assert answer.model_extra["abstained"] is True and answer.model_extra["citations"] == []
    last = list(api.chat.completions.create(model=MODEL, messages=[user(UNANSWERABLE)], stream=True))[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["abstained"] is True and last.model_extra["citations"] == []


# -- 2. refusals in OpenAI's shape ----------------------------------------------------------------------------

LONG = "Wat staat er over " + "digitale overheid en " * 100 + "?"
assert len(" ".join(LONG.split())) > 2000


@pytest.mark.parametrize(("body", "status", "code", "param"), [
    pytest.param(b'{"model": "beleidsassistent", "messages": [', 400, None, None, id="malformed-json"),
    pytest.param(b"\xff\xfe\x00", 400, None, None, id="not-utf8"),
    pytest.param([], 400, None, None, id="not-an-object"),
    pytest.param({"messages": [user(BDI)]}, 400, None, "model", id="no-model"),
    pytest.param({"model": MODEL, "messages": "Wat?"}, 400, None, "messages", id="messages-not-a-list"),
    pytest.param({"model": MODEL, "messages": []}, 400, None, "messages", id="no-messages"),
    pytest.param({"model": MODEL, "messages": [user(BDI), {"role": "assistant", "content": "Dat weet ik."}]},
                 400, None, "messages", id="last-from-assistant"),
    pytest.param({"model": MODEL, "messages": [{"role": "system", "content": BDI}]}, 400, None, "messages",
                 id="only-system"),
    pytest.param({"model": MODEL, "messages": [user("   ")]}, 400, None, "messages", id="blank-question"),
    pytest.param({"model": MODEL, "messages": [user(LONG)]}, 400, "question_too_long", "messages", id="too-long"),
    pytest.param({"model": MODEL, "messages": [user(LONG), {"role": "assistant", "content": "Ja."}, user(BDI)]},
                 400, "question_too_long", "messages", id="earlier-message-too-long"),
    pytest.param(json.dumps({"model": MODEL, "messages": [user(BDI)], "pad": "x" * 1_000_001}).encode(), 413,
                 "request_too_large", None, id="body-too-large"),
    pytest.param({"model": "gpt-4o", "messages": [user(BDI)]}, 404, "model_not_found", "model",
                 id="unknown-model"),
    pytest.param({"model": MODEL, "messages": [user(BDI)], "n": 2}, 400, "unsupported_parameter", "n", id="n"),
    pytest.param({"model": MODEL, "messages": [user(BDI)], "tools": [{"type": "function", "function": {
        "name": "zoek", "parameters": {"type": "object", "properties": {}}}}]}, 400, "unsupported_parameter", "tools",
        id="tools"),
    pytest.param({"model": MODEL, "messages": [user(BDI)], "functions": [{"name": "zoek"}]}, 400,
                 "unsupported_parameter", "tools", id="functions"),
    pytest.param({"model": MODEL, "messages": [user(BDI)], "logprobs": True}, 400, "unsupported_parameter",
                 "logprobs", id="logprobs"),
    pytest.param({"model": MODEL, "messages": [user(BDI)], "documents": [DOC_ID, "kst-00000-1"]}, 400,
                 "unknown_document", "documents", id="unknown-document"),
    pytest.param({"model": MODEL, "messages": [user(BDI)], "stream": True, "n": 2}, 400, "unsupported_parameter",
                 "n", id="stream-refused-before-it-begins"),
])
def test_refusals(local, body, status, code, param):
    with http(local) as c:
        if isinstance(body, bytes):
            response = c.post("/v1/chat/completions", content=body, headers={"Content-Type": "application/json"})
        else:
            response = c.post("/v1/chat/completions", json=body)
    message = refused(response, status, code, param)
    if code == "unknown_document":
        assert "kst-00000-1" in message and DOC_ID not in message
    if code == "model_not_found":
        assert "gpt-4o" in message and MODEL in message


@pytest.mark.parametrize(("method", "path", "status"), [("GET", "/v1/nothing", 404),
                                                        ("GET", "/v1/chat/completions", 405)])
def test_unknown_paths_and_methods_answer_in_openais_shape(local, method, path, status):
    with http(local) as c:
        response = c.request(method, path)
    assert response.status_code == status
    assert set(response.json()) == {"error"} and set(response.json()["error"]) == {"message", "type", "param", "code"}


def test_only_the_last_turns_of_a_long_conversation_are_read(local):
    """Twenty earlier turns are accepted; the answer is the follow-up's, read with the turn before it."""
    old = [m for _ in range(10) for m in (user("Wat is de hoofdstad van Australië?"),
                                          {"role": "assistant", "content": "Dat staat niet in de documenten."})]
    messages = [*old, user(NETWORK), {"role": "assistant", "content": "Het Netwerk Publieke Dienstverleners."},
                user(FOLLOW_UP)]
    with http(local) as c:
        response = c.post("/v1/chat/completions", json={"model": MODEL, "messages": messages})
    assert response.status_code == 200 and not response.json()["abstained"]


def test_refused_questions_are_not_answered(local):
    assert refused(chat(local, LONG), 400, "question_too_long", "messages").endswith("2000 characters.")
    assert not [r for r in audit(local) if r["question"].startswith("Wat staat er over digitale overheid")]


def test_openai_client_shows_the_reason(local):
    api = client(local)
    with pytest.raises(openai.BadRequestError) as exc:
        api.chat.completions.create(model=MODEL, messages=[user(BDI)], n=2)
    assert exc.value.status_code == 400 and exc.value.code == "unsupported_parameter" and exc.value.param == "n"
    assert "'n' is not supported" in exc.value.message
    with pytest.raises(openai.NotFoundError) as exc:
        api.chat.completions.create(model="gpt-4o", messages=[user(BDI)])
    assert exc.value.code == "model_not_found"


def test_documents_filter(local, bundled):
    body = chat(local, BDI, documents=[DOC_ID], n=1, logprobs=False, temperature=0.2, max_tokens=50,
                user="tester").json()
    assert body["abstained"] is False and {c["doc_id"] for c in body["citations"]} == {DOC_ID}
    check_citations(body["citations"], body["choices"][0]["message"]["content"], bundled)
    empty = chat(local, BDI, documents=[]).json()  # no filter: the whole corpus
    assert empty["choices"][0]["message"]["content"] == body["choices"][0]["message"]["content"]


# -- 3. keys, the rate limit and the audit log (the server bound to 0.0.0.0) -----------------------------------


def test_binding_not_the_caller_decides_that_a_key_is_needed(remote):
    question = "Wie mag zonder sleutel vragen stellen over de Basis Data Infrastructuur?"
    for key in (None, "sk-asst-wrong", remote.keys["alpha"][:-1]):
        with http(remote, key) as c:
            refused(c.get("/v1/models"), 401, "invalid_api_key")
        refused(chat(remote, question, key=key, model=REMOTE_MODEL), 401, "invalid_api_key")
        refused(chat(remote, question, key=key, model=REMOTE_MODEL, stream=True), 401, "invalid_api_key")
    with http(remote) as c:  # `Bearer` with nothing after it
        refused(c.post("/v1/chat/completions", json={"model": REMOTE_MODEL, "messages": [user(question)]},
                       headers={"Authorization": "Bearer"}), 401, "invalid_api_key")
    with http(remote) as c:  # a key sent some other way than Bearer
        refused(c.get("/v1/models", headers={"Authorization": f"Basic {remote.keys['alpha']}"}), 401,
                "invalid_api_key")
    with pytest.raises(openai.AuthenticationError) as exc:
        client(remote, "sk-asst-wrong").models.list()
    assert exc.value.code == "invalid_api_key"
    assert not [r for r in audit(remote) if r["question"] == question], "a refused caller is never answered"


def test_a_key_opens_the_api(remote, bundled):
    api = client(remote, remote.keys["alpha"])
    assert [m.id for m in api.models.list()] == [REMOTE_MODEL]
    answer = api.chat.completions.create(model=REMOTE_MODEL, messages=[user(COALITION)])
    assert answer.model == REMOTE_MODEL and not answer.model_extra["abstained"]
    check_citations(answer.model_extra["citations"], answer.choices[0].message.content, bundled)
    [row] = [r for r in audit(remote) if r["question"] == COALITION]
    assert row["via"] == "api key:alpha"
    # the configured name replaces the default one
    refused(chat(remote, BDI, key=remote.keys["alpha"], model=MODEL), 404, "model_not_found", "model")


def test_rate_limit_per_key(remote):
    key = remote.keys["beta"]
    for n in range(LIMIT):
        response = chat(remote, BDI, key=key, model=REMOTE_MODEL, stream=n == 0)
        assert response.status_code == 200, response.text
    for stream in (False, True):
        response = chat(remote, BDI, key=key, model=REMOTE_MODEL, stream=stream)
        message = refused(response, 429, "rate_limit_exceeded", kind="rate_limit_error")
        assert f"{LIMIT} requests per minute" in message
        assert re.fullmatch(r"\d+", response.headers["retry-after"])
        assert 1 <= int(response.headers["retry-after"]) <= 60
    with pytest.raises(openai.RateLimitError):
        client(remote, key).chat.completions.create(model=REMOTE_MODEL, messages=[user(BDI)])
    with http(remote, key) as c:  # listing the models is not a question: not counted, not refused
        for _ in range(LIMIT + 1):
            assert c.get("/v1/models").status_code == 200
    # refusals that are not questions are not counted either, and another key has a budget of its own
    refused(chat(remote, BDI, key=key, model=MODEL), 404, "model_not_found", "model")
    other = chat(remote, UNANSWERABLE, key=remote.keys["alpha"], model=REMOTE_MODEL)
    assert other.status_code == 200 and other.json()["abstained"] is True
    rows = [r for r in audit(remote) if r["question"] == BDI]
    assert len(rows) == LIMIT and {r["via"] for r in rows} == {"api key:beta"}


def test_a_key_also_works_on_this_machine():
    """On 127.0.0.1 a configured key names its caller; a wrong one is refused rather than taken for anonymous."""
    key, stored = new_key()
    local = Access(ApiSettings(keys={"webui": stored}), "127.0.0.1")

    def caller(access: Access, authorization: str | None) -> str:
        headers = [(b"authorization", authorization.encode())] if authorization else []
        return access.who(Request({"type": "http", "method": "POST", "path": "/", "headers": headers,
                                   "client": ("127.0.0.1", 50000)}))

    assert caller(local, f"Bearer {key}") == "key:webui"
    assert caller(local, f"bearer {key} ") == "key:webui"
    assert caller(local, None) == "local:127.0.0.1"
    with pytest.raises(ApiError) as exc:
        caller(local, "Bearer sk-asst-wrong")
    assert exc.value.status == 401 and exc.value.code == "invalid_api_key"
    keyless = Access(ApiSettings(), "127.0.0.1")
    assert caller(keyless, "Bearer unused") == "local:127.0.0.1"  # clients that insist on sending some key
    for host in ("0.0.0.0", "192.0.2.7", "::"):
        with pytest.raises(ApiError):
            caller(Access(ApiSettings(keys={"webui": stored}), host), None)
        assert caller(Access(ApiSettings(keys={"webui": stored}), host), f"Bearer {key}") == "key:webui"


# -- 4. `assistant api-key` ----------------------------------------------------------------------------------


def test_api_key_command():
    result = CliRunner().invoke(cli, ["api-key", "open-webui"])
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.stdout.splitlines() if x.startswith("open-webui = ")]
    stored = tomllib.loads(line)["open-webui"]
    assert re.fullmatch(r"sha256\$[0-9a-f]{64}", stored)
    key = re.search(r"sk-asst-[A-Za-z0-9_-]{40,}", result.stderr).group(0)
    assert key not in result.stdout and stored not in result.stderr
    assert key_matches(key, stored)
    assert not key_matches(new_key()[0], stored) and not key_matches(key[:-1], stored) and not key_matches("", stored)
    again = CliRunner().invoke(cli, ["api-key", "open-webui"])
    assert again.exit_code == 0 and again.stderr != result.stderr, "every key is new"
    # a password hash in `api.keys` works as well
    assert key_matches("geheim", hash_password("geheim")) and not key_matches("geheim2", hash_password("geheim"))
    assert not key_matches(key, "sha256$") and not key_matches(key, "")


@pytest.mark.parametrize("name", ["a b", "", "-", "x=y", 'a"b', "a.b"])
def test_api_key_refuses_a_bad_name(name):
    result = CliRunner().invoke(cli, ["api-key", name])
    assert result.exit_code == 2 and "use ASCII letters, digits, - and _ only" in result.stderr
    assert "sk-asst-" not in result.output


@pytest.mark.parametrize("name", ["café", "x²", "ｆｕｌｌ"])
def test_api_key_names_are_valid_toml_keys(name):
    """The printed line is pasted into assistant.toml: a name TOML does not take as a bare key is refused."""
    result = CliRunner().invoke(cli, ["api-key", name])
    if result.exit_code == 0:
        line = result.stdout.splitlines()[-1]
        assert tomllib.loads(line) == {name: line.split('"')[1]}
    else:
        assert result.exit_code == 2 and "use ASCII letters, digits, - and _ only" in result.stderr


# -- 5. LiteLLM ----------------------------------------------------------------------------------------------


@pytest.fixture
def litellm(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """LiteLLM with its bundled cost map (not one fetched from GitHub at import), and no name looked up but this
    machine's: the connection guard in conftest does not see DNS, and LiteLLM swallows a failed fetch."""
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    monkeypatch.setenv("LITELLM_TELEMETRY", "False")
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1", b"127.0.0.1", b"localhost"):
            looked_up.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"no network in tests: {host}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    import litellm

    yield litellm
    assert not looked_up, f"LiteLLM looked up {looked_up}"


def test_litellm(local, litellm, bundled):
    options = {"model": f"openai/{MODEL}", "api_base": local.url + "/v1", "api_key": "unused", "timeout": TIMEOUT_S,
               "messages": [user(COALITION)], "num_retries": 0}
    whole = litellm.completion(**options)
    content = whole.choices[0].message.content
    assert "[1]" in content and SOURCES in content and whole.choices[0].finish_reason == "stop"
    chunks = list(litellm.completion(**options, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == content
    assert chunks[-1].choices[0].finish_reason == "stop"
    raw = chat(local, COALITION).json()
    assert raw["choices"][0]["message"]["content"] == content
    check_citations(raw["citations"], content, bundled)
    with pytest.raises(litellm.BadRequestError):
        litellm.completion(**{**options, "messages": [user(LONG)]})


# -- 6. the API and the page's sign-in ------------------------------------------------------------------------


def test_api_needs_a_key_not_the_page_sign_in(remote):
    import urllib.request

    anonymous = urllib.request.build_opener()
    assert _status(anonymous, remote.url + "/config") == 401, "the page still needs its sign-in"
    status, signed_in = _login(remote.server, "anna", PASSWORD)
    assert status == 200 and _status(signed_in, remote.url + "/config") == 200
    assert _status(signed_in, remote.url + "/v1/models") == 401, "signing in to the page does not open the API"
    with http(remote, remote.keys["alpha"]) as c:  # a key without any sign-in
        assert c.get("/v1/models").status_code == 200
        assert c.get("/config").status_code == 401, "a key does not open the page"
    with http(remote, PASSWORD) as c:  # a page user's password is no API key
        refused(c.get("/v1/models"), 401, "invalid_api_key")
    with http(remote) as c:
        assert c.get("/health").status_code == 200
