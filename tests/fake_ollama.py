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
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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
class FakeOllama:
    """What the server lists, how it replies, and every request it received (method, path, JSON body)."""

    url: str = ""
    models: list[str] = field(default_factory=lambda: [MODEL])
    reply: Reply = lambda request: ""
    die_after: int | None = None  # stream this many pieces, then drop the connection
    hold_after: int | None = None  # stream this many pieces, then hold the stream open until `release` is set
    missing: bool = False  # answer /api/chat with 404 model not found
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a reply function that raised: a bug in the test
    holding: threading.Event = field(default_factory=threading.Event)  # set once a stream is held
    release: threading.Event = field(default_factory=threading.Event)

    def reset(self) -> None:
        self.release.set()  # a stream still held (its client gone) ends
        self.holding, self.release = threading.Event(), threading.Event()
        self.models, self.reply, self.die_after, self.hold_after, self.missing = (
            [MODEL], lambda request: "", None, None, False)
        self.requests.clear()
        self.errors.clear()

    @property
    def chats(self) -> list[dict[str, Any]]:
        """The bodies of the chat requests received, in order."""
        return [body for method, path, body in self.requests if path == "/api/chat"]

def _handler(state: FakeOllama) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding, as Ollama's Go server
        timeout = 30

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _chunk(self, body: Any) -> None:
            line = json.dumps(body).encode() + b"\n"
            self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
            self.wfile.flush()

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
                    if state.hold_after is not None and n == state.hold_after:
                        state.holding.set()
                        held.wait()
                    if state.die_after is not None and n == state.die_after:
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)  # mid-body: no final chunk, no done line
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
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    server.block_on_close = False  # idle keep-alive connections must not hold up the shutdown
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
