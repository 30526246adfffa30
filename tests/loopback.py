"""A fake model server (`fake_ollama`, `fake_openai`) run on a free loopback port, in a thread of its own; and
stopping a server process a test started."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


@dataclass
class FakeModelServer:
    """What a fake server lists, how it replies, and every request it received (method, path, JSON body)."""

    MODEL: ClassVar[str] = ""  # the model listed after a reset
    CHAT_PATH: ClassVar[str] = ""

    url: str = ""
    models: list[str] = field(default_factory=list)
    reply: Callable[[dict[str, Any]], str] = lambda request: ""
    die_after: int | None = None  # stream this many pieces, then drop the connection
    hold_after: int | None = None  # stream this many pieces, then hold the stream open until `release` is set
    missing: bool = False  # answer chat requests with 404 model not found
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a reply function that raised: a bug in the test
    holding: threading.Event = field(default_factory=threading.Event)  # set once a stream is held
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.models = self.models or [self.MODEL]

    def reset(self) -> None:
        self.release.set()  # a stream still held (its client gone) ends
        self.holding, self.release = threading.Event(), threading.Event()
        self.models, self.reply, self.die_after, self.hold_after, self.missing = (
            [self.MODEL], lambda request: "", None, None, False)
        self.requests.clear()
        self.errors.clear()

    @contextlib.contextmanager
    def fresh(self) -> Iterator[FakeModelServer]:
        """This server for one test: no requests recorded and no stream held before or after it, and afterwards
        a check that the test's reply function did not fail."""
        self.reset()
        yield self
        assert not self.errors, f"the test's reply function failed: {self.errors}"
        self.reset()

    @property
    def chats(self) -> list[dict[str, Any]]:
        """The bodies of the chat requests received, in order."""
        return [body for method, path, body in self.requests if path == self.CHAT_PATH]


class JsonHandler(BaseHTTPRequestHandler):
    """What both fake servers' handlers share: keep-alive HTTP/1.1, JSON replies and chunked bodies."""

    protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding, as the real servers
    timeout = 30
    content_type = "application/json"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _hold_or_drop(self, state: FakeModelServer, held: threading.Event, n: int) -> bool:
        """Before the stream's piece `n`: hold it open until the test releases it, or drop the connection
        mid-body (True: no closing chunk, no end line), as the test asked."""
        if state.hold_after is not None and n == state.hold_after:
            state.holding.set()
            held.wait()
        if state.die_after is not None and n == state.die_after:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        return False

    def _write_chunk(self, data: bytes) -> None:
        """One chunk of a chunked body (an empty one ends it)."""
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


@contextlib.contextmanager
def serving(state: Any, handler: type[BaseHTTPRequestHandler], path: str = "") -> Iterator[None]:
    """Serve `handler` until the block ends; `state.url` is set to the server's address plus `path`, and
    `state.release` is set at the end so that a held stream lets its thread finish."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.block_on_close = False  # idle keep-alive connections must not hold up the shutdown
    state.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def stop(proc: subprocess.Popen, timeout_s: float) -> None:
    """End a server process: asked first, killed when it does not end within `timeout_s`."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout_s)
