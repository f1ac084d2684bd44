"""What protects the server from its clients: body size, request rate, headers, tokens.

Every article is untrusted text, and so is every request. These guards sit in
front of the routes: an ASGI middleware that refuses bodies over a size
(counted as they arrive, so a client that lies in ``Content-Length`` or sends
chunks gains nothing), a per-client token bucket for expensive requests, the
response headers that keep the browser strict (CSP without inline code,
no framing, no sniffing), and a constant-time token check.
"""
from __future__ import annotations

import hmac
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from ..errors import Messages

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Pages and API answers: scripts, styles and images from this server only, nothing inline,
# no plugins, no framing, forms posting back here only.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class Refused(Exception):
    """A request the guards turn down: ``status``, a numbered message, and headers to send."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class TooLarge(HTTPException):
    """A request body went over the limit while it was being read: 413, E069.

    An ``HTTPException``, so that FastAPI, which turns other errors met while it reads a
    body into a 400, lets it through to the error handlers."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, Messages.E069.format(limit=limit))


class Guard:
    """ASGI middleware: the security headers on every response, and a cap on request bodies.

    A body over ``max_body`` bytes is answered 413 with E069 before the route sees it
    (when ``Content-Length`` says so), or the moment the bytes read pass the cap.
    """

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._refuse(send_with_headers)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise TooLarge(self.max_body)
            return message

        try:
            await self.app(scope, counted, send_with_headers)
        except TooLarge:
            if started:
                raise
            await self._refuse(send_with_headers)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": Messages.E069.format(limit=self.max_body)}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class RateLimit:
    """A token bucket per client: ``burst`` requests at once, then ``rate`` a second.

    For the requests that cost the server most (search, extract, ingest). Clients
    are told apart by address; the least recently seen are forgotten past
    ``clients`` of them, so memory stays bounded. ``rate`` None lets everything through.
    """

    def __init__(self, rate: float | None, burst: int, *, clients: int = 10_000) -> None:
        self.rate, self.burst, self.clients = rate, burst, clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """0 when ``client`` may go ahead now (and counts it), else the seconds to wait."""
        if self.rate is None:
            return 0
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0
            else:
                self._buckets[client] = (tokens, now)
                wait = max(1, math.ceil((1 - tokens) / self.rate))
            while len(self._buckets) > self.clients:
                self._buckets.popitem(last=False)
        return wait


def token_matches(given: str | None, expected: str) -> bool:
    """Whether the bearer token ``given`` is ``expected``, compared in constant time (no timing leak)."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
