"""One way to declare an endpoint: method, path and the permission it states and enforces."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request

from nadzor.services.context import PERMISSION_LABELS, Permission
from nadzor.services.errors import FieldError, InvalidInput
from nadzor.web.security import guard


def endpoint(
    router: APIRouter, method: str, path: str, permission: Permission, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        doc = (func.__doc__ or "").strip()
        extra = {"x-permission": permission.value} | options.pop("openapi_extra", {})
        router.add_api_route(
            path, func, methods=[method], dependencies=[Depends(guard(permission))], openapi_extra=extra,
            description=f"{doc}\n\nПраво доступа: {PERMISSION_LABELS[permission]}.".strip(),
            **options,
        )
        router.routes[-1].permission = permission  # type: ignore[attr-defined]
        return func

    return register


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        raise InvalidInput([FieldError("input", "тело запроса пусто: ожидается JSON")])
    try:
        return json.loads(raw)
    except ValueError as exc:  # undecodable bytes, bad JSON, numbers too long to convert
        raise InvalidInput([FieldError("input", f"тело запроса не является JSON: {exc}")]) from None
