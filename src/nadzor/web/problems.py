"""Errors of the HTTP layer itself (a path or query parameter of the wrong type, an unknown path,
a method not allowed) in the product's form — RFC 9457 problem+json in Russian naming the field
for the API, a styled page for the UI — and the OpenAPI description of those answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from nadzor.rules.base import error_message

PROBLEM = "application/problem+json"
#: Short excerpt of a refused value (the input is not echoed in full).
EXCERPT = 16
#: Statuses every API operation may answer with a problem (others add 413/429/503 here).
PROBLEM_STATUSES: dict[int, str] = {
    401: "Требуется вход (сессия или токен API)",
    403: "Доступ запрещён: нет права на операцию или не пройдена проверка CSRF",
    404: "Не найдено (или вне пределов вашей прокуратуры)",
    409: "Конфликт изменений: запись изменена другим пользователем (версия)",
    422: "Некорректные входные данные: ошибки по полям",
}
HTTP_MESSAGES = {
    404: "страница или ресурс не найдены",
    405: "метод не поддерживается для этого адреса",
}


def _excerpt(value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    text = str(value)
    short = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
    return f" (получено «{short}»)"


def request_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """FastAPI's parameter errors as `{field, message}`: the field is the parameter's name (the
    dotted path within it), the message Russian, the refused value only as a short excerpt."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        where = loc[1:] if loc and loc[0] in ("path", "query", "header", "cookie", "body") else loc
        message = error_message(err)
        if err.get("type") != "missing":
            message += _excerpt(err.get("input"))
        out.append({"field": ".".join(where) or "input", "message": message})
    return out


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; `errors` lists the refusals by field (dotted path).",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Некорректные входные данные"},
        "status": {"type": "integer", "example": 422},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def hoist_local_definitions(node: Any, components: dict[str, Any]) -> None:
    """Request bodies documented from a pydantic model's own JSON Schema carry `$defs` with refs
    `#/$defs/X`, which OpenAPI renderers (ReDoc) cannot resolve inside a path: move every such
    definition to `components/schemas` and point the refs there."""
    if isinstance(node, dict):
        for name, definition in node.pop("$defs", {}).items():
            components.setdefault(name, definition)
            hoist_local_definitions(definition, components)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = "#/components/schemas/" + ref.removeprefix("#/$defs/")
        for value in node.values():
            hoist_local_definitions(value, components)
    elif isinstance(node, list):
        for value in node:
            hoist_local_definitions(value, components)


def install_problem_openapi(app: FastAPI) -> None:
    """Every operation lists the problem answers (`application/problem+json`, schema Problem) in
    place of FastAPI's English validation-error schema."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Problem"] = PROBLEM_SCHEMA
        hoist_local_definitions(schema, components)
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in PROBLEM_STATUSES.items():
                    responses[str(status)] = {"description": description, "content": {PROBLEM: {"schema": ref}}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
