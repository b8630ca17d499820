"""Who may talk to `toolkit serve`, and which writes are the translator's own.

- **Loopback** (the default, 127.0.0.1): only this computer reaches the server; the Host header
  must be a loopback name (no DNS rebinding, `TrustedHostMiddleware` in app.py).
- **Any other address** (`--host 0.0.0.0`, for a translator on the practice's network): every
  request must carry the access token printed at start, as `?token=…` (a page then keeps it in a
  cookie) or in that cookie. Without it the server answers 403 and says how to get in.
- **Writes** (`POST /api/entry`) need the page's CSRF token in the `X-CSRF-Token` header, JSON as
  the body, and no `Origin` but the server's own: another site's page in the same browser can
  neither read the token nor send such a request without the browser asking us first (CORS
  preflight, which we never grant).
"""

from __future__ import annotations

import json
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_BODY = 256 * 1024  # bytes: a unit's translation is a paragraph; 256 KiB is ample
TOKEN_PARAM = "token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cookie_name(port: int) -> str:
    # Cookies do not tell ports apart: two servers on one computer must not share one.
    return f"toolkit-token-{port}"


def _same(given: str | None, wanted: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), wanted.encode())


class RequireToken:
    """ASGI middleware: no request passes without the access token (query or cookie)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        port = (scope.get("server") or ("", 0))[1] or 0
        name = cookie_name(port)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header carries no token
            cookie = SimpleCookie()
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == TOKEN_PARAM), None)
        if _same(given, self.token):
            # A page opened from the printed address: the token goes into a cookie and out of
            # the address bar (and the browser's history). API calls just pass with it.
            if scope["method"] in ("GET", "HEAD") and not scope.get("path", "").startswith("/api/"):
                # Into a cookie, out of the address bar (and the browser's history).
                rest = urlencode([(k, v) for k, v in query if k != TOKEN_PARAM])
                location = scope.get("path", "/") + (f"?{rest}" if rest else "")
                await _answer(
                    send,
                    303,
                    b"",
                    "text/plain",
                    [(b"location", location.encode())],
                    name,
                    self.token,
                )
                return
        elif not (name in cookie and _same(cookie[name].value, self.token)):
            await _refuse(scope, send)
            return
        await self.app(scope, receive, send)


async def _answer(
    send: Send,
    status: int,
    body: bytes,
    media: str,
    extra: list[tuple[bytes, bytes]],
    cookie: str = "",
    token: str = "",
) -> None:
    headers = [
        (b"content-type", media.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        *extra,
    ]
    if cookie:
        value = f"{cookie}={token}; Path=/; HttpOnly; SameSite=Lax"
        headers.append((b"set-cookie", value.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, send: Send) -> None:
    message = (
        "This toolkit serve listens on the network and needs its access token. Open the address "
        "it printed when it started (…/?token=…) once; the browser keeps the token for the session."
    )
    if scope["type"] != "http":
        return
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"error": "forbidden", "message": message}).encode()
        await _answer(send, 403, body, "application/json", [])
        return
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Access token needed'
        f"</title></head><body><h1>Access token needed</h1><p>{message}</p></body></html>"
    )
    await _answer(send, 403, page.encode(), "text/html; charset=utf-8", [])


def write_refusal(request: Request, csrf: str) -> str | None:
    """Why this write request is refused (403), or None when it is the page's own."""
    if not _same(request.headers.get("x-csrf-token"), csrf):
        return 'missing or wrong X-CSRF-Token header: send the token of the page\'s <meta name="csrf-token">'
    origin = request.headers.get("origin")
    if origin is not None:
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != own:
            return f"requests from {origin} may not write here"
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "requests from other sites may not write here"
    return None


class TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request's body, or TooLarge as soon as it passes `limit` (never read whole first)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge
    return bytes(body)
