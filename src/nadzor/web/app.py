"""The ASGI application: the JSON API, the web UI, static assets (vendored, no CDN) and one
mapping from service errors to HTTP answers (problem+json for the API, pages for the UI)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from nadzor.bootstrap import Platform, create_platform
from nadzor.proceedings.kernel import UnknownKind
from nadzor.rules.base import InvalidInput, UnknownRule
from nadzor.services.errors import AuthenticationFailed, Conflict, Forbidden, NotFound
from nadzor.services.proceedings import Refused
from nadzor.web import api, api_analyses, api_proceedings, pages, pages_analyses
from nadzor.web.security import CsrfFailed, NotSignedIn
from nadzor.web.templating import render

STATIC = Path(__file__).resolve().parent / "static"
PROBLEM = "application/problem+json"
_TITLES = {400: "Некорректный запрос", 401: "Требуется вход", 403: "Доступ запрещён", 404: "Не найдено",
           409: "Конфликт изменений", 422: "Некорректные входные данные"}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(request: Request, status: int, errors: list[dict[str, str]], detail: str = "",
            extra: dict[str, Any] | None = None) -> Response:
    """RFC 9457 problem+json for the API (with `extra` members such as a refusal's `code`), a page
    for the UI."""
    if not _is_api(request):
        return render(request, "error.html", status, title=_TITLES.get(status, "Ошибка"),
                      message=detail or "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    body: dict[str, Any] = {
        "type": "about:blank", "title": _TITLES.get(status, "Ошибка"), "status": status,
        "detail": detail or "; ".join(f"{e['field']}: {e['message']}" for e in errors),
        "errors": errors, "instance": request.url.path,
    } | (extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith(("/docs", "/redoc")):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
        return response


#: Service errors that answer with one message about one field.
_SINGLE_FIELD_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (NotFound, 404, "id"),
    (Conflict, 409, "version"),
    (Forbidden, 403, "permission"),
    (CsrfFailed, 403, "csrf_token"),
    (AuthenticationFailed, 401, "password"),
)


def _single_field(status: int, field: str) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, exc: Exception) -> Response:
        # PROCEEDINGS.md: a stale version answers 409 with the code `version_conflict`.
        extra = {"code": "version_conflict", "message": str(exc)} if status == 409 else None
        return problem(request, status, [{"field": field, "message": str(exc)}], str(exc), extra)

    return handle


def create_app(platform: Platform | None = None) -> FastAPI:
    plat = platform or create_platform()
    plat.install()
    app = FastAPIOffline(
        title="Nadzor API",
        version="1",
        description="Надзор: правила приказа Генерального Прокурора РК № 60 (ред. № 102 от 12.07.2021) как "
        "исполняемые решения, рабочий календарь, структура прокуратур, сотрудники и полномочия, журнал аудита. "
        "Каждая операция указывает право доступа (x-permission).",
    )
    app.state.platform = plat
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(api_proceedings.router)
    app.include_router(api_analyses.router)
    app.include_router(pages.router)
    app.include_router(pages_analyses.router)

    @app.exception_handler(UnknownRule)
    @app.exception_handler(UnknownKind)
    async def _unknown_rule(request: Request, exc: InvalidInput) -> Response:
        return problem(request, 404, exc.as_dicts())

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, exc: InvalidInput) -> Response:
        return problem(request, 422, exc.as_dicts())

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        """The law does not allow the step (PROCEEDINGS.md): 409 with its code, citations and message."""
        return problem(request, 409, [{"field": "step", "message": exc.message}], exc.message,
                       {"code": exc.code, "citations": exc.citations, "message": exc.message, "step": exc.step})

    for error, status, field in _SINGLE_FIELD_ERRORS:
        app.add_exception_handler(error, _single_field(status, field))

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if not _is_api(request) and request.method == "GET":
            return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
        response = problem(request, 401, [{"field": "authorization", "message": str(exc)}], str(exc))
        if _is_api(request):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    return app
