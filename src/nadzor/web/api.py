"""The JSON API (/api/v1): rules and calendar (public), organization, people, authority,
accounts, calendar administration and the audit trail. Handlers only translate HTTP into
service calls; every request body and answer is documented by its model (`web/schemas.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from nadzor.domain.org import POSITION_LABELS
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import FieldError, InvalidInput
from nadzor.infra.listing import MAX_LIMIT
from nadzor.web.routing import JSON, endpoint
from nadzor.web.schemas import HealthOut, body
from nadzor.web.security import DB, current_actor, platform

router = APIRouter(prefix="/api/v1")
P = Permission
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def query_date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        if not _ISO.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([FieldError(field, f"ожидается дата ГГГГ-ММ-ДД, получено {value!r}")]) from None


def on_date(request: Request, value: str | None, field: str = "on") -> date:
    """A date parameter; omitted, today in Almaty by the platform's clock."""
    return query_date(value, field) or platform(request).today()


Dir = Annotated[Literal["asc", "desc"], Query(description="Порядок: asc — по возрастанию, desc — по убыванию")]
Limit = Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="Строк на странице (без него — все)")]
Offset = Annotated[int, Query(ge=0, le=2**62, description="Сколько строк пропустить")]
Text = Annotated[str, Query(max_length=200, description="Поиск: каждое слово где-либо в строке, без учёта регистра")]
PositionCode = Annotated[str | None, Query(pattern="^(" + "|".join(POSITION_LABELS) + ")$",
                                           description="Код должности")]


def listed(response: Response, found: tuple[int, list[T]], describe: Callable[[T], dict[str, Any]],
            model: type[M]) -> list[M]:
    """A list's page as its typed answer; `X-Total-Count` says how many rows the filters match."""
    total, items = found
    response.headers["X-Total-Count"] = str(total)
    return [model.model_validate(describe(item)) for item in items]


def writes(router: APIRouter, path: str, permission: Permission, *, create: Callable[..., T], update: Callable[..., T],
            describe: Callable[[T], dict[str, Any]], model: type[BaseModel], body_model: type[BaseModel],
            created: str, updated: str) -> None:
    """One way to declare a record's create (201) and update endpoints: the body (documented by the
    service's input model, which validates it) goes to the service's `do_*`, the answer is the record
    as `describe` shows it, typed by `model`."""

    @endpoint(router, "POST", path, permission, summary=created, status_code=201, response_model=model,
              openapi_extra=body(body_model))
    def create_one(data: Any = JSON, actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
        return model.model_validate(describe(create(session, data, actor=actor)))

    @endpoint(router, "PUT", f"{path}/{{item_id}}", permission, summary=updated, response_model=model,
              openapi_extra=body(body_model))
    def update_one(item_id: int, data: Any = JSON, actor: Actor = Depends(current_actor), session: Session = DB
                   ) -> Any:
        return model.model_validate(describe(update(session, item_id, data, actor=actor)))


# ------------------------------------------------------------------------ rules (public)


def json_answer(content: bytes) -> Response:
    return Response(content, media_type="application/json")


@endpoint(router, "GET", "/health", P.PUBLIC, summary="Состояние сервиса")
def health() -> HealthOut:
    return HealthOut(status="ok")

