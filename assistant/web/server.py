"""The HTTP server behind `assistant serve`: the web page, the OpenAI-compatible API under `/v1`, `/health` for load
balancers, and sign-in (or API keys) for everyone when it is reachable from other machines; security headers on
every response."""

from __future__ import annotations

import asyncio
import threading
import time
import webbrowser
from collections.abc import Awaitable, Callable

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from assistant.web.api import api
from assistant.web.app import App, mount
from assistant.web.auth import sign_in
from assistant.web.guard import SignInGuard
from assistant.web.headers import SecurityHeaders
from assistant.web.signin import Sessions, SignInLog, Throttle


def site(app: App, host: str, clock: Callable[[], float] = time.monotonic) -> FastAPI:
    """Everything `serve` answers on `host`: with users, behind the sign-in guard (whose waits and sign-ins run on
    `clock`), and all of it with the security headers."""
    ui = app.settings.ui
    check = sign_in(host, ui.users)
    server = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @server.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        state = app.health()
        return JSONResponse(state, status_code=200 if state["status"] == "ok" else 503)

    server.mount("/v1", api(app, host))  # before the page, which takes every other path
    if check is None:
        mount(server, app, None)
    else:
        sessions = Sessions(ui.session_hours * 3600, clock)
        mount(server, app, off_the_loop(check), sessions)
        server.add_middleware(SignInGuard, throttle=Throttle(ui.signin_limit, ui.signin_window_s,
                                                             ui.signin_backoff_s, clock),
                              log=SignInLog(ui.signin_log), sessions=sessions)
    server.add_middleware(SecurityHeaders, frame_ancestors=ui.frame_ancestors)  # added last: around everything
    return server


def off_the_loop(check: Callable[[str, str], bool]) -> Callable[[str, str], Awaitable[bool]]:
    """The password check as a coroutine that runs on a worker thread: Gradio awaits it, so the tenth of a second
    PBKDF2 takes holds up no other request (a plain function it would call on the server's event loop)."""
    async def checked(name: str, password: str) -> bool:
        return await asyncio.to_thread(check, name, password)

    return checked


def serve(app: App, host: str, port: int, open_browser: bool = False) -> None:
    """Run the interface (and `/health` for load balancers); anywhere but on this machine only for the
    configured users."""
    server = site(app, host)
    if open_browser:
        threading.Timer(2.0, webbrowser.open, [f"http://{host}:{port}/"]).start()
    proxies = [str(network) for network in app.settings.ui.trusted_proxies]
    # uvicorn would otherwise believe `X-Forwarded-For` from any client on this machine: only the configured
    # proxies may name the client (the sign-in limits and log go by that address)
    uvicorn.run(server, host=host, port=port, log_level="warning", proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies)
