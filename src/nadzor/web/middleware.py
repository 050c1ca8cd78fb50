"""Pure ASGI middleware (no BaseHTTPMiddleware: it neither sees unhandled exceptions nor streams
cheaply): security headers on every answer, a 500 answer of our own for an unhandled error (so it
carries the headers too), and a limit on the size of request bodies (413)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Default limit of a request body (bytes); the office import takes larger files.
BODY_LIMIT = 1024 * 1024
IMPORT_LIMIT = 16 * 1024 * 1024
#: Attachment uploads (issue 8 §3) take the attachment size limit of the settings.
UPLOADS = re.compile(r"/api/v1/(checks|acts|evaluations|analyses)/\d+/attachments")
LARGE_BODIES: Mapping[str, int] = {"/api/v1/offices/import": IMPORT_LIMIT, "/offices/import": IMPORT_LIMIT}

Problem = Callable[[Request, int, list[dict[str, str]], str], Response]

CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
DOCS = ("/docs", "/redoc")
STATIC = ("/static/", "/static-offline-docs/")
HSTS = "max-age=63072000; includeSubDomains"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_csp(html: bytes) -> str:
    """The policy of the vendored API documentation (finding 16): scripts only from this server
    plus the page's own inline start-up script (by its hash); the renderers set inline styles,
    fetch /openapi.json and (ReDoc) start a worker from a blob. Nothing from a CDN."""
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(m).digest()).decode() + "'"
                      for m in _INLINE_SCRIPT.findall(html))
    return (f"default-src 'self'; script-src 'self' {hashes}".rstrip() + "; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
            "base-uri 'self'; frame-ancestors 'none'")


def security_headers(path: str, *, production: bool = False) -> list[tuple[str, str]]:
    """The headers every answer on `path` carries (unless the handler set them itself): no caching
    of anything but static assets (pages and API answers are personal), HSTS in production, a CSP
    everywhere (the docs get theirs from their body, `docs_csp`)."""
    found = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")]
    if path not in DOCS:
        found.append(("Content-Security-Policy", CSP))
    if not path.startswith(STATIC):
        found.append(("Cache-Control", "no-store"))
    if production:
        found.append(("Strict-Transport-Security", HSTS))
    return found


class SecurityHeaders:
    """Adds `security_headers` to every HTTP answer; an exception no handler took is answered
    here with 500 (problem+json on the API) so that answer carries the headers as well, then
    re-raised for the server to log."""

    def __init__(self, app: ASGIApp, problem: Problem, production: bool = False) -> None:
        self.app = app
        self.problem = problem
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        extra = security_headers(path, production=self.production)
        started = False
        held: list[Message] = []  # the docs page, held back until its CSP can be computed

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name == "Cache-Control":
                        headers[name] = value
                    else:
                        headers.setdefault(name, value)
                if path in DOCS and headers.get("content-type", "").startswith("text/html"):
                    held.append(message)
                    return
            elif held:
                held.append(message)
                if message.get("more_body"):
                    return
                body = b"".join(m.get("body", b"") for m in held[1:])
                start = held[0]
                MutableHeaders(scope=start)["Content-Security-Policy"] = docs_csp(body)
                MutableHeaders(scope=start)["Content-Length"] = str(len(body))
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await self._internal_error(scope)(scope, receive, send_with_headers)
            raise

    def _internal_error(self, scope: Scope) -> Response:
        message = "внутренняя ошибка сервера; изменения не сохранены, повторите запрос позже"
        try:
            return self.problem(Request(scope), 500, [{"field": "server", "message": message}], message)
        except Exception:  # the error page itself failed: plain text still carries the headers
            return PlainTextResponse(message, status_code=500)


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"тело запроса больше допустимого: не более {limit // 1024} КиБ")
        self.limit = limit


class BodyLimit:
    """Refuses a body over its path's limit with 413: at once by Content-Length, or, for a body
    sent in chunks, as soon as the bytes read pass the limit (`BodyTooLarge`)."""

    def __init__(self, app: ASGIApp, problem: Problem, default: int = BODY_LIMIT,
                 larger: Mapping[str, int] = LARGE_BODIES, upload_limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.problem = problem
        self.default = default
        self.larger = larger
        self.upload_limit = upload_limit

    def limit_of(self, path: str) -> int:
        """The office import and attachment uploads take more than the default."""
        if UPLOADS.fullmatch(path):
            return self.upload_limit
        return self.larger.get(path, self.default)

    def too_large(self, scope: Scope, limit: int) -> Response:
        error = BodyTooLarge(limit)
        return self.problem(Request(scope), 413, [{"field": "body", "message": str(error)}], str(error))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self.too_large(scope, limit)(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watch)
        except BodyTooLarge:
            if started:
                raise
            await self.too_large(scope, limit)(scope, receive, send)


def install(app: Any, problem: Problem, *, production: bool = False, upload_limit: int = BODY_LIMIT) -> None:
    """Body limit inside, security headers outside (so a 413 carries them too)."""
    app.add_middleware(BodyLimit, problem=problem, upload_limit=upload_limit)
    app.add_middleware(SecurityHeaders, problem=problem, production=production)
