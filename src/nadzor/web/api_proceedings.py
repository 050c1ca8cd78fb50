"""Proceedings over HTTP (PROCEEDINGS.md): `POST /api/v1/proceedings/{kind}/replay` (no storage), and
for each collection — `checks`, `acts`, `evaluations`, `analyses` — the same REST shape: open one
with its first step, record a step, withdraw the last one, read one, list the register."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from nadzor import proceedings
from nadzor.services import proceedings as stored
from nadzor.services.context import Actor, Permission
from nadzor.web.routing import JSON, endpoint
from nadzor.web.security import DB, current_actor, platform, today

router = APIRouter(prefix="/api/v1")


@endpoint(router, "POST", "/proceedings/{kind}/replay", Permission.SIGNED_IN, summary="Состояние производства",
          openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}})
def replay(kind: str, request: Request, data: Any = JSON) -> dict[str, Any]:
    """The input `{office_level, steps}`; the answer is the state: status, term, open deadlines,
    lateness and the refused step, if any (404 for an unknown kind, 422 for bad input)."""
    proceedings.get_kind(kind)
    return proceedings.replay(kind, data, calendar=platform(request).calendar())


class ProceedingOut(BaseModel):
    """A stored proceeding: `state` is exactly the replay state of its non-withdrawn steps."""

    model_config = ConfigDict(extra="allow")
    id: int
    kind: str
    number: str
    office_id: int
    office_level: str
    subject: str
    version: int
    state: dict[str, Any]
    steps: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    #: A check's (issue 8 §2): the current assignees (`{person_id, name, position}` of the staff,
    #: `{name, organization}` of specialists), the resolution's details, the registration, the subject.
    assignees: list[dict[str, Any]] | None = None
    resolution: dict[str, Any] | None = None
    registration: dict[str, Any] | None = None
    subject_details: dict[str, Any] | None = None


class RegisterOut(BaseModel):
    total: int
    items: list[dict[str, Any]]


def _body(model: type[BaseModel]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


def _collection_routes(collection: str) -> None:
    label = stored.KIND_LABELS[stored.COLLECTIONS[collection]]
    base = f"/{collection}"

    def register(method: str, path: str, summary: str, body: type[BaseModel] | None = None,
                 **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        extra = _body(body) if body is not None else {}
        return endpoint(router, method, base + path, Permission.SIGNED_IN, summary=f"{label}: {summary}",
                        openapi_extra=extra, name=f"{collection}_{summary}", **options)

    if collection == "acts":
        @register("GET", "", "реестр", response_model=RegisterOut)
        def list_acts(request: Request, office_id: int | None = None, status: str | None = None,
                      overdue: bool = False, act_type: str | None = None, addressee: str | None = None,
                      signer_person_id: int | None = None, origin_kind: str | None = None,
                      origin_number: str | None = None, limit: int = 50, offset: int = 0,
                      actor: Actor = Depends(current_actor), session: Session = DB) -> dict[str, Any]:
            """The acts register (issue 9): besides office (with its subtree), status and overdue — the act's
            type, the addressee (a part of its name), the prosecutor who signed its issue, the origin's
            kind (`check`, `evaluation`, `analysis`, `direct`, `none`) and a part of the origin's number."""
            flt = stored.RegisterFilter(
                office_id=office_id, subtree=office_id is not None, status=status, overdue=overdue,
                subject=(addressee or "")[:200], act_type=act_type, signer_person_id=signer_person_id,
                origin_kind=origin_kind, origin_number=(origin_number or "")[:80], limit=max(1, min(limit, 500)),
                offset=max(0, offset))
            return stored.access_proceedings(session, collection, actor=actor, today=today(request), flt=flt)
    else:
        @register("GET", "", "реестр", response_model=RegisterOut)
        def list_(request: Request, office_id: int | None = None, status: str | None = None, overdue: bool = False,
                  limit: int = 50, offset: int = 0, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> dict[str, Any]:
            return stored.access_proceedings(session, collection, actor=actor, today=today(request),
                                             office_id=office_id, status=status, overdue=overdue,
                                             limit=max(1, min(limit, 500)), offset=max(0, offset))

    @register("POST", "", "открыть", stored.NewProceeding, status_code=201, response_model=ProceedingOut)
    def open_(request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
              session: Session = DB) -> Any:
        """`{office_id, step, details?}`: the first step; signers as `<field>_person_id`."""
        return stored.do_open(session, collection, data, actor=actor, calendar=platform(request).calendar())

    @register("GET", "/{proceeding_id}", "карточка", response_model=ProceedingOut)
    def read(proceeding_id: int, request: Request, actor: Actor = Depends(current_actor),
             session: Session = DB) -> Any:
        return stored.access_proceeding(session, collection, proceeding_id, actor=actor, today=today(request),
                                        calendar=platform(request).calendar())

    @register("POST", "/{proceeding_id}/steps", "записать шаг", stored.NewStep, status_code=201,
              response_model=ProceedingOut)
    def record(proceeding_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
               session: Session = DB) -> Any:
        """`{version, step, details?}`: 409 with `code` when the law refuses the step or the version is stale."""
        return stored.do_record_step(session, collection, proceeding_id, data, actor=actor,
                                     calendar=platform(request).calendar(), today=today(request))

    @register("POST", "/{proceeding_id}/withdrawal", "отозвать последний шаг", stored.Withdrawal,
              response_model=ProceedingOut)
    def withdraw(proceeding_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Any:
        """`{version, reason}`: the last step other than the first is marked withdrawn and left out of replay."""
        return stored.do_withdraw(session, collection, proceeding_id, data, actor=actor,
                                  calendar=platform(request).calendar(), today=today(request))


for _collection in stored.COLLECTIONS:
    _collection_routes(_collection)
