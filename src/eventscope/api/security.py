"""What every response carries and every request must show: the Host header checked
against the names this server answers to, and headers that keep the page's content its
own (Content-Security-Policy, nosniff, no framing, a short referrer).

The Host check stops DNS rebinding: a web page on another site whose name is made to
resolve to 127.0.0.1 would otherwise read the local API through the visitor's browser.
The browser still sends that site's name as Host, which is not one of ours.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - names, not a bind

_BASE_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)


def normalise_host(value: str) -> str:
    """A host name or address as the Host header carries it, without port or brackets,
    lower case, without a trailing dot: ``[::1]:8000`` -> ``::1``."""
    value = value.strip().lower()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts(bind: str | None = None, extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names, the address the server is bound to (unless it is every
    interface), and ``extra`` names ("*" allows any host)."""
    names = set(LOCAL_HOSTS)
    if bind and normalise_host(bind) not in WILDCARD_BINDS:
        names.add(normalise_host(bind))
    names.update(normalise_host(n) for n in extra if n.strip())
    return frozenset(names)


def tile_source(template: str | None) -> str:
    """The CSP source of a tile URL template (``https://*.tile.example.org`` for an
    ``{s}`` subdomain), or "" without one."""
    if not template:
        return ""
    parts = urlsplit(template.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    if re.search(r"[{}]", parts.netloc):
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{parts.netloc}"


def page_policy(tiles: str | None = None) -> str:
    """The Content-Security-Policy of the page and the API: everything from this
    server (the page's libraries are vendored), map tiles from the tile server."""
    images = " ".join(s for s in ("'self'", "data:", tile_source(tiles)) if s)
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {images}; connect-src 'self'; font-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def docs_policy(html: bytes) -> str:
    """The policy of the Swagger UI page: its one inline script allowed by hash, and
    inline styles, which Swagger UI sets."""
    hashes = []
    for script in re.findall(rb"<script>(.*?)</script>", html, re.S):
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return (f"default-src 'self'; script-src 'self' {' '.join(hashes)}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class Guard:
    """ASGI middleware: refuse a request whose Host is not ours (400, one line), and
    add the security headers to every response."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str], policy: str,
                 policies: dict[str, str] | None = None) -> None:
        self.app = app
        self.hosts = hosts
        self.any_host = "*" in hosts
        self.policy = policy.encode()
        self.policies = {path: p.encode() for path, p in (policies or {}).items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policies.get(scope.get("path", ""), self.policy)
        headers = [*_BASE_HEADERS, (b"content-security-policy", policy)]
        host = next((v.decode("latin-1") for k, v in scope.get("headers", ())
                     if k == b"host"), "")
        if not self.any_host and normalise_host(host) not in self.hosts:
            await self._refuse(send, host, headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse(self, send: Send, host: str, headers: list[tuple[bytes, bytes]]) -> None:
        shown = host if len(host) <= 100 else host[:100] + "…"
        error = (f"host {shown!r} is not served here (this server answers to "
                 f"{', '.join(sorted(self.hosts))}; add names with --allow-host)")
        body = json.dumps({"error": error}).encode()
        await send({"type": "http.response.start", "status": 400, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()), *headers]})
        await send({"type": "http.response.body", "body": body})
