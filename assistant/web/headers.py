"""Security headers on every response `serve` sends: the page, its API, `/v1`, `/health`, files and refusals.

The Content-Security-Policy lets the page load only from this server, so even markup that slipped through could
neither fetch from nor send to anywhere else, and no other site may frame the sign-in (unless `ui.frame_ancestors`
names it).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_POLICY = (
    "default-src 'self'",
    # Gradio's page starts from inline scripts (its configuration, and the `head` script that unfolds a cited
    # source), so scripts need 'unsafe-inline'; and Gradio 6's HTML component (the overview, the sources, the
    # references) turns its template into a function with `Function(...)`, which needs 'unsafe-eval'. Scripts still
    # come from this server alone, and whatever runs can reach nothing else (default-src, connect-src)
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    # Gradio sets theme variables and component sizes in style attributes and <style> elements
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
)


def security_headers(frame_ancestors: Sequence[str] = ()) -> list[tuple[bytes, bytes]]:
    """The headers every response carries; `frame_ancestors` are the origins that may frame the page (none:
    `frame-ancestors 'none'` and `X-Frame-Options: DENY`, for browsers that know only the older header)."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    headers = [
        ("Content-Security-Policy", "; ".join((*_POLICY, f"frame-ancestors {ancestors}"))),
        ("X-Content-Type-Options", "nosniff"),
        # links to official sites do not tell them the address of this server or what was asked on it
        ("Referrer-Policy", "same-origin"),
    ]
    if not frame_ancestors:
        headers.append(("X-Frame-Options", "DENY"))
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


class SecurityHeaders:
    """ASGI middleware that sets `security_headers` on every HTTP response, replacing any the app set itself."""

    def __init__(self, app: ASGIApp, frame_ancestors: Sequence[str] = ()) -> None:
        self.app = app
        self.headers = security_headers(frame_ancestors)
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in self.names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, with_headers)
