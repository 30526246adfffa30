"""The assistant as a model other chat platforms can use: the OpenAI chat API under `/v1` on `serve`'s port.

Open WebUI, LibreChat, LiteLLM gateways and the official `openai` client can add any server that speaks this API
as a model. A question gets the same verified, cited answer as on the page: the message content is the answer
with its `[n]` markers followed by the formatted sources (so any chat client shows them), and the response also
carries the `ask --json` citation objects under `citations` and `abstained`. Streamed answers are sent once
they are verified: a model's unverified words never leave the server.

Errors use OpenAI's shape (`{"error": {"message", "type", "param", "code"}}`), so clients show the reason.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.answer.answerer import Turn
from assistant.answer.guard import MAX_QUESTION_CHARS
from assistant.config import ApiSettings
from assistant.retrieve import Filters
from assistant.types import Answer, AssistantError
from assistant.web import render
from assistant.web.app import App
from assistant.web.auth import is_local, key_matches
from assistant.web.strings import TEXT

MAX_TURNS = 8  # earlier turns kept: a follow-up leans on the last ones
MAX_BODY = 1_000_000  # bytes: enough for MAX_TURNS long turns, not for a request meant to tie the server up


class ApiError(Exception):
    """A request refused, in OpenAI's error shape."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None,
                 param: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.code, self.param, self.headers = status, kind, code, param, headers or {}

    def response(self) -> JSONResponse:
        body = {"error": {"message": str(self), "type": self.kind, "param": self.param, "code": self.code}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        """The message's text; of a list of parts (OpenAI's multi-part content), the text parts."""
        if isinstance(self.content, list):
            return "\n".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """What `/v1/chat/completions` reads; options a chat model has but an assistant that quotes does not
    (temperature, max_tokens, ...) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[Message]
    stream: bool = False
    n: int = 1
    tools: list[Any] | None = None
    functions: list[Any] | None = None
    logprobs: bool | None = None
    documents: list[str] | None = None  # an extra body field: answer only from these document ids


class Access:
    """Who may call `/v1`: anyone on this machine, else the holders of a configured key; and how often."""

    def __init__(self, settings: ApiSettings, host: str) -> None:
        self.settings, self.local = settings, is_local(host)
        self._known: dict[str, str] = {}  # digest of a key that matched -> its name, so later checks cost nothing
        self._recent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def who(self, request: Request) -> str:
        """The caller's name for the audit log and the rate limit, or an `ApiError` (401)."""
        header = request.headers.get("authorization", "")
        key = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if key and self.settings.keys:
            digest = hashlib.sha256(key.encode()).hexdigest()
            if digest not in self._known:
                name = next((n for n, h in self.settings.keys.items() if key_matches(key, h)), None)
                if name is None:
                    raise ApiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
                self._known[digest] = name
            return f"key:{self._known[digest]}"
        if self.local:
            return f"local:{request.client.host if request.client else '-'}"
        raise ApiError(401, "An API key is needed: send `Authorization: Bearer <key>` (keys are made with "
                            "`assistant api-key NAME` on the server).", "invalid_request_error", "invalid_api_key")

    def count(self, caller: str) -> None:
        """Count a question against the caller's limit, or refuse it (429) with the seconds until one is free."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent.setdefault(caller, deque())
            while recent and now - recent[0] >= 60:
                recent.popleft()
            if len(recent) >= self.settings.requests_per_minute:
                wait = max(1, math.ceil(60 - (now - recent[0])))
                raise ApiError(429, f"Rate limit reached: {self.settings.requests_per_minute} requests per minute.",
                               "rate_limit_error", "rate_limit_exceeded", headers={"Retry-After": str(wait)})
            recent.append(now)


def conversation(messages: list[Message]) -> tuple[str, list[Turn]]:
    """The question (the last user message) and the earlier turns, each held to the length of a question (an
    earlier answer to twice that). System messages are not read: the documents answer, not instructions."""
    turns: list[Turn] = []
    for m in messages:
        if m.role == "user":
            if len(" ".join(m.text.split())) > MAX_QUESTION_CHARS:
                raise ApiError(400, f"A user message is longer than {MAX_QUESTION_CHARS} characters.",
                               param="messages", code="question_too_long")
            turns.append(Turn(m.text))
        elif m.role == "assistant" and turns and not turns[-1].answer:
            turns[-1].answer = _without_sources(m.text)[: 2 * MAX_QUESTION_CHARS]
    if not messages or messages[-1].role != "user" or not messages[-1].text.strip():
        raise ApiError(400, "The last message must be a user message with the question.", param="messages")
    question = turns.pop().question
    return question, turns[-MAX_TURNS:]


def _without_sources(content: str) -> str:
    """An earlier answer of ours as the conversation needs it: the text, not its list of sources."""
    for language in TEXT:
        content = content.split(f"\n\n{TEXT[language]['sources']}:\n", 1)[0]
    return content


def content(answer: Answer) -> str:
    """The message content: the answer with its markers, then the numbered sources (and documents referred to)."""
    return render.plain_text(answer, answer.language if answer.language in TEXT else "nl")


def _extra(answer: Answer) -> dict[str, Any]:
    return {"citations": [c.model_dump() for c in answer.citations], "abstained": answer.abstained}


def api(app: App, host: str) -> FastAPI:
    """The `/v1` application, mounted by the server in front of the page; `host` is the address it is bound to.
    Its OpenAPI description is `/v1/openapi.json` (no documentation page: that would load scripts from the web)."""
    settings = app.settings.api
    access = Access(settings, host)
    sub = FastAPI(title="assistant: OpenAI-compatible chat API",
                  description="Cited answers from the indexed policy documents. " + __doc__.split("\n\n")[1],
                  version="1", docs_url=None, redoc_url=None)

    @sub.exception_handler(ApiError)
    def refused(request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @sub.exception_handler(StarletteHTTPException)
    def not_here(request: Request, exc: StarletteHTTPException) -> JSONResponse:  # unknown path, wrong method
        return ApiError(exc.status_code, str(exc.detail), code="not_found" if exc.status_code == 404 else None,
                        headers=dict(exc.headers or {})).response()

    @sub.get("/models")
    def models(request: Request) -> dict[str, Any]:
        """The one model this server has: the assistant."""
        access.who(request)
        return {"object": "list", "data": [{"id": settings.model_name, "object": "model", "created": 0,
                                            "owned_by": "assistant"}]}

    @sub.post("/chat/completions")
    async def completions(request: Request) -> Any:
        """A cited answer to the last user message; earlier messages are the conversation."""
        caller = access.who(request)
        body = await _body(request)
        if body.model != settings.model_name:
            raise ApiError(404, f"The model '{body.model}' does not exist; this server has '{settings.model_name}'.",
                           code="model_not_found", param="model")
        for option, refused_when in (("n", body.n != 1), ("tools", bool(body.tools or body.functions)),
                                     ("logprobs", bool(body.logprobs))):
            if refused_when:
                raise ApiError(400, f"'{option}' is not supported: the assistant gives one cited answer.",
                               param=option, code="unsupported_parameter")
        question, history = conversation(body.messages)
        filters = Filters(_documents(app, body.documents))
        access.count(caller)
        made, ident = int(time.time()), "chatcmpl-" + secrets.token_hex(12)
        if body.stream:
            return StreamingResponse(_events(app, question, history, filters, caller, ident, made),
                                     media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
        answer = await run_in_threadpool(_answer, app, question, history, filters, caller)
        return {"id": ident, "object": "chat.completion", "created": made, "model": settings.model_name,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content(answer)},
                             "finish_reason": "stop", "logprobs": None}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}, **_extra(answer)}

    return sub


async def _body(request: Request) -> ChatRequest:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ApiError(413, f"The request body is over {MAX_BODY:,} bytes.", code="request_too_large")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"The request body is not valid JSON: {exc}") from exc
    try:
        return ChatRequest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ApiError(400, f"Invalid request: {where}: {first['msg']}", param=where or None) from exc


def _documents(app: App, wanted: list[str] | None) -> list[str]:
    unknown = sorted(set(wanted or ()) - set(app.answerer.index.documents))
    if unknown:
        raise ApiError(400, f"Unknown document id(s): {', '.join(unknown)}; see `assistant docs`.",
                       param="documents", code="unknown_document")
    return list(wanted or ())


def _answer(app: App, question: str, history: list[Turn], filters: Filters, caller: str) -> Answer:
    app.refresh()
    try:
        return app.answerer.ask(question, history, filters, via=f"api {caller}")
    except AssistantError as exc:
        raise ApiError(400, str(exc)) from exc


def _events(app: App, question: str, history: list[Turn], filters: Filters, caller: str, ident: str,
            made: int) -> Iterator[str]:
    """Server-sent events in OpenAI's chunk format: the role, the verified answer, its sources, the end."""
    model = app.settings.api.model_name

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        body = {"id": ident, "object": "chat.completion.chunk", "created": made, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    try:
        answer = _answer(app, question, history, filters, caller)
    except ApiError as exc:  # the stream has begun: the error travels as an event, as OpenAI's servers send it
        error = {"message": str(exc), "type": exc.kind, "param": exc.param, "code": exc.code}
        yield f"data: {json.dumps({'error': error}, ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"
        return
    text = content(answer)
    cut = len(answer.answer)
    for piece in (text[:cut], text[cut:]):
        if piece:
            yield chunk({"content": piece})
    yield chunk({}, "stop", **_extra(answer))
    yield "data: [DONE]\n\n"
