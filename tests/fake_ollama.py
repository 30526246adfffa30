"""A fake Ollama server on loopback that speaks Ollama's documented API.

`GET /api/tags` lists models; `POST /api/chat` answers streamed as NDJSON in chunked transfer encoding (or as one
JSON object). What the "model" replies is decided per test by a function of the request, so each test plays a
different model. A stream can be held open after some pieces, until the test releases it: a test then acts while
the model is still writing, at a known state rather than at a guessed moment.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar

from loopback import FakeModelServer, JsonHandler, serving

MODEL = "gemma3:4b"
CREATED = "2025-01-01T00:00:00.000000Z"

Reply = Callable[[dict[str, Any]], str]


def tag(name: str) -> dict[str, Any]:
    """A model as `GET /api/tags` lists it."""
    return {"name": name, "model": name, "modified_at": "2025-01-01T00:00:00Z", "size": 1, "digest": "abc",
            "details": {"format": "gguf", "family": name.split(":")[0], "parameter_size": "4B",
                        "quantization_level": "Q4_K_M"}}


def pieces(text: str) -> list[str]:
    """A reply as a model streams it: a word (with the space before it) at a time."""
    return re.findall(r"\s*\S+", text) or [text]


def last_user(request: dict[str, Any]) -> str:
    return next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user")


def sources(request: dict[str, Any]) -> dict[int, str]:
    """The numbered sources `[n] ...` of an answer request (those of the question asked, not of the example)."""
    block = re.split(r"^(?:Bronnen|Sources):$", last_user(request), flags=re.MULTILINE)[-1]
    block = re.split(r"^(?:Antwoord|Answer):", block, flags=re.MULTILINE)[0]
    return {int(n): text for n, text in re.findall(r"^\[(\d+)\] (.*)$", block, re.MULTILINE)}


def from_source_1(request: dict[str, Any]) -> str:
    """A good model: the first source's sentence, with its marker."""
    return f"{sources(request)[1]} [1]"


@dataclass
class FakeOllama(FakeModelServer):
    """The fake server's state."""

    MODEL: ClassVar[str] = MODEL
    CHAT_PATH: ClassVar[str] = "/api/chat"


def _handler(state: FakeOllama) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        content_type = "application/json; charset=utf-8"

        def _chunk(self, body: Any) -> None:
            self._write_chunk(json.dumps(body).encode() + b"\n")

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path, None))
            if self.path == "/api/tags":
                self._json(200, {"models": [tag(m) for m in state.models]})
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            state.requests.append(("POST", self.path, body))
            if self.path != "/api/chat":
                self._json(404, {"error": "not found"})
                return
            model = body.get("model", "")
            if state.missing:
                self._json(404, {"error": f"model '{model}' not found"})
                return
            try:
                text = state.reply(body)
            except Exception as exc:
                state.errors.append(f"{type(exc).__name__}: {exc}")
                self._json(500, {"error": str(exc)})
                return
            final = {"model": model, "created_at": CREATED, "message": {"role": "assistant", "content": ""},
                     "done": True, "done_reason": "stop", "total_duration": 1, "load_duration": 1,
                     "prompt_eval_count": 10, "prompt_eval_duration": 1, "eval_count": 5, "eval_duration": 1}
            if body.get("stream") is False:
                self._json(200, {**final, "message": {"role": "assistant", "content": text}})
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            held = state.release  # this request's: a reset releases it even after the next test has begun
            try:
                for n, piece in enumerate(pieces(text)):
                    if self._hold_or_drop(state, held, n):
                        return
                    self._chunk({"model": model, "created_at": CREATED,
                                 "message": {"role": "assistant", "content": piece}, "done": False})
                self._chunk(final)
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client went away (interrupted) while held
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def running() -> Iterator[FakeOllama]:
    """The server on a free loopback port, in a thread of its own, until the block ends."""
    state = FakeOllama()
    with serving(state, _handler(state)):
        yield state
