"""A fake OpenAI-compatible server on loopback that speaks the OpenAI chat API as vLLM or llama.cpp's server do.

`GET /v1/models` lists models; `POST /v1/chat/completions` answers streamed as server-sent events in OpenAI's
chunk format (`data: {chunk}` lines, then `data: [DONE]`), in chunked transfer encoding, or as one JSON object.
What the "model" replies is decided per test by a function of the request. A stream can drop the connection
after some pieces (no closing chunk, no `[DONE]`), or be held open after some pieces until the test releases it:
a test then acts at a known state rather than at a guessed moment.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar

from fake_ollama import pieces
from loopback import FakeModelServer, JsonHandler, serving

MODEL = "fake-gemma"
CREATED = 1735689600


def model_entry(name: str) -> dict[str, Any]:
    """A model as `GET /v1/models` lists it."""
    return {"id": name, "object": "model", "created": CREATED, "owned_by": "fake"}


def error(message: str, kind: str, code: str | None = None) -> dict[str, Any]:
    """An error body as OpenAI's API sends it."""
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


@dataclass
class FakeOpenAI(FakeModelServer):
    """The fake server's state (`url` is the base URL, ending in /v1); also the key it takes, if any."""

    MODEL: ClassVar[str] = MODEL
    CHAT_PATH: ClassVar[str] = "/v1/chat/completions"

    api_key: str | None = None  # when set, any other bearer token gets 401
    ended: threading.Event = field(default_factory=threading.Event)  # set when a held stream's handler is done

    def reset(self) -> None:
        super().reset()
        self.api_key, self.ended = None, threading.Event()


def _handler(state: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def _chunk(self, data: bytes) -> None:
            self._write_chunk(data)

        def _event(self, body: Any) -> None:
            self._chunk(b"data: " + (body if isinstance(body, bytes) else json.dumps(body).encode()) + b"\n\n")

        def _authorized(self) -> bool:
            if state.api_key is None or self.headers.get("Authorization") == f"Bearer {state.api_key}":
                return True
            self._json(401, error("Incorrect API key provided", "invalid_request_error", "invalid_api_key"))
            return False

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path, None))
            if not self._authorized():
                return
            if self.path == "/v1/models":
                self._json(200, {"object": "list", "data": [model_entry(m) for m in state.models]})
            else:
                self._json(404, error(f"no route {self.path}", "invalid_request_error"))

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            state.requests.append(("POST", self.path, body))
            if not self._authorized():
                return
            if self.path != "/v1/chat/completions":
                self._json(404, error(f"no route {self.path}", "invalid_request_error"))
                return
            model = body.get("model", "")
            if state.missing or model not in state.models:
                self._json(404, error(f"The model `{model}` does not exist", "invalid_request_error",
                                      "model_not_found"))
                return
            try:
                text = state.reply(body)
            except Exception as exc:
                state.errors.append(f"{type(exc).__name__}: {exc}")
                self._json(500, error(str(exc), "server_error"))
                return
            usage = {"prompt_tokens": 10, "completion_tokens": len(pieces(text)),
                     "total_tokens": 10 + len(pieces(text))}
            if not body.get("stream"):
                self._json(200, {"id": "chatcmpl-fake", "object": "chat.completion", "created": CREATED,
                                 "model": model, "usage": usage,
                                 "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                                              "message": {"role": "assistant", "content": text}}]})
                return

            def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
                return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": CREATED, "model": model,
                        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            held = state.release  # this request's: a reset releases it even after the next test has begun
            ended = state.ended
            try:
                self._event(chunk({"role": "assistant", "content": ""}))
                for n, piece in enumerate(pieces(text)):
                    if self._hold_or_drop(state, held, n):
                        return
                    self._event(chunk({"content": piece}))
                self._event(chunk({}, "stop"))
                if (body.get("stream_options") or {}).get("include_usage"):
                    self._event({**chunk({}), "choices": [], "usage": usage})
                self._event(b"[DONE]")
                self._chunk(b"")  # the last chunk of the body: 0\r\n\r\n
            except (BrokenPipeError, ConnectionResetError):  # the client went away (timed out) while held
                self.close_connection = True
            finally:
                ended.set()

    return Handler


@contextlib.contextmanager
def running() -> Iterator[FakeOpenAI]:
    """The server on a free loopback port, in a thread of its own, until the block ends."""
    state = FakeOpenAI()
    with serving(state, _handler(state), "/v1"):
        yield state
