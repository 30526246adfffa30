"""The guard in front of the page's sign-in: it reads the user name from a `POST /login` before Gradio checks the
password, refuses the attempt (429 with `Retry-After`) when `Throttle` holds that name back from that address, and
writes each sign-in, wrong password, throttled address and sign-out to the sign-in log.

The client's address is the connection's, or the one a trusted proxy put in `X-Forwarded-For`: uvicorn rewrites
it before any of this runs, and only for the proxies in `ui.trusted_proxies` (see `server.serve`).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.web.signin import SignInLog, Throttle

MAX_FORM = 64 * 1024  # bytes: a name and a password; anything larger is not a sign-in
_COOKIE = "access-token"  # Gradio's sign-in cookies: access-token-<id> and access-token-unsecure-<id>


class SignInGuard:
    """ASGI middleware on the server for `POST /login` and `GET /logout`; every other request passes untouched."""

    def __init__(self, app: ASGIApp, throttle: Throttle, log: SignInLog, sessions: Mapping[str, str]) -> None:
        self.app, self.throttle, self.log, self.sessions = app, throttle, log, sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"].rstrip("/") if scope["type"] == "http" else ""
        if path == "/login" and scope["method"] == "POST":
            await self._sign_in(scope, receive, send)
        elif path == "/logout":
            await self._sign_out(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _sign_in(self, scope: Scope, receive: Receive, send: Send) -> None:
        address = _address(scope)
        body = await _body(receive)
        if body is None:
            await JSONResponse({"detail": "The sign-in form is too large."}, 413)(scope, receive, send)
            return
        name = await _name(scope, body)
        refusal = self.throttle.admit(name, address)
        if refusal is not None:
            if refusal.first:  # once per wait, not per attempt: a flood of attempts cannot fill the disk
                self.log.write(name, address, "throttled", retry_after_s=refusal.wait_s)
            detail = f"Too many wrong passwords: try again in {refusal.wait_s} s."
            response = JSONResponse({"detail": detail}, 429, headers={"Retry-After": str(refusal.wait_s)})
            await response(scope, receive, send)
            return
        status = 0

        async def replay() -> Message:  # the body read above, then whatever the connection sends next
            nonlocal body
            if body is None:
                return await receive()
            message, body = {"type": "http.request", "body": body, "more_body": False}, None
            return message

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        right = None
        try:
            await self.app(scope, replay, watch)
            right = {200: True, 400: False}.get(status)  # Gradio's answers to a right and a wrong password
        finally:
            self.throttle.settle(name, address, right)
        if right is not None:
            self.log.write(name, address, "signed in" if right else "failed")

    async def _sign_out(self, scope: Scope, receive: Receive, send: Send) -> None:
        cookies = Request(scope).cookies
        names = {self.sessions.get(value) for key, value in cookies.items() if key.startswith(_COOKIE)}
        await self.app(scope, receive, send)
        for name in sorted(n for n in names if n):
            self.log.write(name, _address(scope), "signed out")


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


async def _body(receive: Receive) -> bytes | None:
    """The request body, or None when it is larger than a sign-in form can be."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: what came is all there is
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _name(scope: Scope, body: bytes) -> str:
    """The user name in a sign-in form (URL-encoded, or multipart as Gradio's page sends it), stripped as Gradio
    strips it; empty when the form cannot be read."""
    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        async with Request(scope, once).form(max_files=0, max_fields=10) as form:
            return _field(form, "username")
    except (HTTPException, MultiPartException, ValueError):
        return ""


def _field(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""
