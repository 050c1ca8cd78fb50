"""HTTP adapter: the rule catalogue and its evaluation (RULES.md), the working calendar.

Errors are RFC 9457 problem+json bodies whose `errors` list `{field, message}`: 422 for bad
input, 404 for an unknown rule.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi_offline import FastAPIOffline

from nadzor import bootstrap, rules
from nadzor.rules.base import FieldError, InvalidInput, UnknownRule

PROBLEM = "application/problem+json"


def problem(status: int, title: str, errors: list[dict[str, str]], instance: str = "") -> JSONResponse:
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors,
    }
    if instance:
        body["instance"] = instance
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def create_app() -> FastAPI:
    bootstrap.install()
    app = FastAPIOffline(
        title="Nadzor API",
        version="1",
        description="Правила приказа Генерального Прокурора РК № 60 (ред. № 102 от 12.07.2021) как "
        "исполняемые решения: каталог, вычисление, рабочий календарь.",
    )

    @app.exception_handler(UnknownRule)
    async def _unknown_rule(request: Request, exc: UnknownRule) -> JSONResponse:
        return problem(404, "Правило не найдено", exc.as_dicts(), str(request.url.path))

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, exc: InvalidInput) -> JSONResponse:
        return problem(422, "Некорректные входные данные", exc.as_dicts(), str(request.url.path))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/api/v1/health", summary="Состояние сервиса")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/v1/rules", summary="Каталог правил")
    def list_rules() -> list[dict[str, Any]]:
        """Every rule with its id, Russian title, citations, validity and JSON Schemas."""
        return rules.list_rules()

    @app.get("/api/v1/rules/{rule_id}", summary="Описание правила")
    def get_rule(rule_id: str) -> dict[str, Any]:
        return rules.describe(rules.get_rule(rule_id))

    @app.post(
        "/api/v1/rules/{rule_id}/evaluate",
        summary="Вычислить правило",
        openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}},
    )
    async def evaluate(rule_id: str, request: Request) -> dict[str, Any]:
        """The input is the rule's JSON object; the answer is `{rule, result, citations, explanation}`."""
        rules.get_rule(rule_id)
        raw = await request.body()
        try:
            data = json.loads(raw or b"null")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput([FieldError("input", f"тело запроса не является JSON: {exc}")]) from None
        return rules.evaluate(rule_id, data)

    @app.get("/api/v1/calendar/{day}", summary="День рабочего календаря")
    def calendar_day(day: str) -> dict[str, Any]:
        """Whether a day is working, with the source that decided it (holidays package, file)."""
        answer = rules.evaluate("calendar.working_day", {"date": day})
        parsed = date.fromisoformat(day)
        entry = rules.current_calendar().entry(parsed)
        return {"date": day, **answer["result"], "source": entry.source if entry else "пятидневная рабочая неделя"}

    return app
