"""The ASGI application: the JSON API, the web UI, static assets (vendored, no CDN) and one
mapping from service errors to HTTP answers (problem+json for the API, pages for the UI)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from nadzor.accounts import api as accounts_api
from nadzor.accounts import pages as accounts_pages
from nadzor.acts import api as acts_api
from nadzor.acts import pages as acts_pages
from nadzor.analyses import api as analyses_api
from nadzor.analyses import pages as analyses_pages
from nadzor.audit import api as audit_api
from nadzor.audit import pages as audit_pages
from nadzor.bootstrap import Platform, create_platform
from nadzor.calendar import api as calendar_api
from nadzor.calendar import pages as calendar_pages
from nadzor.casework import api as casework_api
from nadzor.casework import api_attachments, api_documents
from nadzor.casework import pages as casework_pages
from nadzor.casework.attachments import TooLarge
from nadzor.casework.documents import DocumentsUnavailable
from nadzor.casework.service import Refused
from nadzor.infra.db.engine import Busy
from nadzor.infra.errors import AuthenticationFailed, Conflict, Forbidden, NotFound, TooManyAttempts, message_of
from nadzor.org import api as org_api
from nadzor.org import pages as org_pages
from nadzor.org import pages_forms as org_pages_forms
from nadzor.proceedings.kernel import UnknownKind
from nadzor.rulebook import api as rulebook_api
from nadzor.rulebook import pages as rulebook_pages
from nadzor.rules.base import InvalidInput, UnknownRule
from nadzor.web import api, home, middleware, pages
from nadzor.web.problems import HTTP_MESSAGES, install_problem_openapi, request_errors
from nadzor.web.security import CsrfFailed, NotSignedIn
from nadzor.web.templating import render, translator
from nadzor.web.ui_labels import PARAMETER_LABELS

STATIC = Path(__file__).resolve().parent / "static"
PROBLEM = "application/problem+json"
_TITLES = {400: "Некорректный запрос", 401: "Требуется вход", 403: "Доступ запрещён", 404: "Не найдено",
           405: "Метод не поддерживается", 409: "Конфликт изменений", 413: "Слишком большой запрос",
           422: "Некорректные входные данные", 429: "Слишком много попыток", 500: "Внутренняя ошибка сервера",
           503: "Сервис временно недоступен"}
#: Seconds a client is asked to wait before retrying after 503.
RETRY_AFTER = 2


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _summary(errors: list[dict[str, str]], omitted: int = 0) -> str:
    """The problem's detail: the one error, or how many there are (each is listed once, in
    `errors`, never repeated here)."""
    if len(errors) == 1 and not omitted:
        return f"{errors[0]['field']}: {errors[0]['message']}"
    shown = f", перечислены первые {len(errors)}" if omitted else ""
    return f"входные данные отклонены: ошибок {len(errors) + omitted}{shown}"


def problem(request: Request, status: int, errors: list[dict[str, str]], detail: str = "",
            extra: dict[str, Any] | None = None) -> Response:
    """RFC 9457 problem+json for the API (with `extra` members such as a refusal's `code`), a page
    for the UI."""
    if not _is_api(request):
        return error_page(request, status, errors, detail)
    body: dict[str, Any] = {
        "type": "about:blank", "title": _TITLES.get(status, "Ошибка"), "status": status,
        "detail": detail or _summary(errors), "errors": errors, "instance": request.url.path,
    } | (extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def error_page(request: Request, status: int, errors: list[dict[str, str]], detail: str = "") -> Response:
    """The page of an error (issue 7 §6): a styled page in the interface's language with the
    messages only — never a field key, a pattern or raw JSON."""
    t = translator(request)
    messages = list(dict.fromkeys(
        f"{t(PARAMETER_LABELS[e['field']])}: {t(e['message'])}" if e["field"] in PARAMETER_LABELS else t(e["message"])
        for e in errors))
    if not messages and detail:
        messages = [t(detail)]
    return render(request, "error.html", status, title=t(_TITLES.get(status, "Ошибка")), messages=messages,
                  status=status)


#: Service errors that answer with one message about one field.
_SINGLE_FIELD_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (NotFound, 404, "id"),
    (Conflict, 409, "version"),
    (Forbidden, 403, "permission"),
    (CsrfFailed, 403, "csrf_token"),
    (AuthenticationFailed, 401, "password"),
    (TooLarge, 413, "file"),
)


def _single_field(status: int, field: str) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, exc: Exception) -> Response:
        # PROCEEDINGS.md: a stale version answers 409 with the code `version_conflict`.
        extra = {"code": "version_conflict", "message": str(exc)} if status == 409 else None
        # the API answers in Russian (a `Message` reads as its Russian text); a page translates it
        return problem(request, status, [{"field": field, "message": message_of(exc)}], str(exc), extra)

    return handle


def create_app(platform: Platform | None = None) -> FastAPI:
    plat = platform or create_platform()
    app = FastAPIOffline(
        title="Nadzor API",
        version="1",
        description="Надзор: правила приказа Генерального Прокурора РК № 60 (ред. № 102 от 12.07.2021) как "
        "исполняемые решения, рабочий календарь, структура прокуратур, сотрудники и полномочия, журнал аудита. "
        "Каждая операция указывает право доступа (x-permission).",
    )
    app.state.platform = plat
    middleware.install(app, problem, production=plat.settings.production,
                       upload_limit=plat.settings.upload_body_max_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Each context's routers; a fixed path comes before a path parameter that would take it.
    for router in (api.router, rulebook_api.router, calendar_api.router, accounts_api.router, org_api.router,
                   audit_api.router,
                   acts_api.router,  # before the generic collections: /api/v1/acts/totals
                   casework_api.router, analyses_api.router, api_attachments.router, api_documents.router,
                   acts_pages.router,
                   analyses_pages.router,  # before the generic cards: /analyses/plans
                   org_pages.router,  # before the record pages: /people/export is not a person's id
                   audit_pages.router, pages.router, home.router, rulebook_pages.router, calendar_pages.router,
                   accounts_pages.router, org_pages_forms.router,
                   org_pages.records, accounts_pages.records,  # after the forms: /acting/new is not an id
                   casework_pages.router):
        app.include_router(router)

    @app.exception_handler(UnknownRule)
    @app.exception_handler(UnknownKind)
    async def _unknown_rule(request: Request, exc: InvalidInput) -> Response:
        return problem(request, 404, exc.as_dicts())

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, exc: InvalidInput) -> Response:
        errors = exc.as_dicts()
        return problem(request, 422, errors, _summary(errors, exc.omitted))

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> Response:
        message = "сервер занят другими изменениями; ничего не сохранено — повторите запрос через несколько секунд"
        response = problem(request, 503, [{"field": "server", "message": message}], message)
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid_parameters(request: Request, exc: RequestValidationError) -> Response:
        errors = request_errors(exc)
        if not _is_api(request) and any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
            # A page address that names nothing (`/people/abc`) is a page that does not exist.
            return error_page(request, 404, [{"field": "path", "message": HTTP_MESSAGES[404]}])
        return problem(request, 422, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = HTTP_MESSAGES.get(exc.status_code, _TITLES.get(exc.status_code, "ошибка запроса"))
        response = problem(request, exc.status_code, [{"field": "path", "message": message}], message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    install_problem_openapi(app)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        """The law does not allow the step (PROCEEDINGS.md): 409 with its code, citations and message;
        403 when storage refuses it for who records it (`acts.service.NotEntitled`)."""
        return problem(request, getattr(exc, "status", 409), [{"field": "step", "message": exc.message}], exc.message,
                       {"code": exc.code, "citations": exc.citations, "message": exc.message, "step": exc.step})

    @app.exception_handler(DocumentsUnavailable)
    async def _documents_unavailable(request: Request, exc: DocumentsUnavailable) -> Response:
        """A document cannot be converted on this server now (no LibreOffice, or it failed): 503."""
        return problem(request, 503, [{"field": "format", "message": str(exc)}], str(exc))

    for error, status, field in _SINGLE_FIELD_ERRORS:
        app.add_exception_handler(error, _single_field(status, field))

    @app.exception_handler(TooManyAttempts)
    async def _too_many(request: Request, exc: TooManyAttempts) -> Response:
        response = problem(request, 429, [{"field": "login", "message": str(exc)}], str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if not _is_api(request) and request.method == "GET":
            return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
        response = problem(request, 401, [{"field": "authorization", "message": str(exc)}], str(exc))
        if _is_api(request):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    return app
