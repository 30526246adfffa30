"""The HTTP server behind `assistant serve`: the web page, the OpenAI-compatible API under `/v1`, `/health` for load
balancers, and sign-in (or API keys) for everyone when it is reachable from other machines."""

from __future__ import annotations

import threading
import webbrowser

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from assistant.web.api import api
from assistant.web.app import App, mount
from assistant.web.auth import sign_in


def serve(app: App, host: str, port: int, users: dict[str, str], open_browser: bool = False) -> None:
    """Run the interface (and `/health` for load balancers); anywhere but on this machine only for the
    configured users."""
    auth = sign_in(host, users)
    server = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @server.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        state = app.health()
        return JSONResponse(state, status_code=200 if state["status"] == "ok" else 503)

    server.mount("/v1", api(app, host))  # before the page, which takes every other path
    mount(server, app, auth)
    if open_browser:
        threading.Timer(2.0, webbrowser.open, [f"http://{host}:{port}/"]).start()
    uvicorn.run(server, host=host, port=port, log_level="warning")
