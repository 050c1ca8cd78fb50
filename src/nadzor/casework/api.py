"""Proceedings over HTTP (PROCEEDINGS.md): `POST /api/v1/proceedings/{kind}/replay` (no storage), and
for each collection — `checks`, `acts`, `evaluations`, `analyses` — the same REST shape: open one
with its first step, record a step, withdraw the last one, read one, list the register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from nadzor import proceedings
from nadzor.casework import service as stored
from nadzor.casework.schemas import ProceedingOut, RegisterOut, ReplayRequest, ResolutionOut, StateOut
from nadzor.checks import resolutions as check_resolutions
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.web import schemas
from nadzor.web.routing import JSON, endpoint
from nadzor.web.schemas import body
from nadzor.web.security import DB, current_actor, platform, today

router = APIRouter(prefix="/api/v1")


async def known_kind(kind: str) -> str:
    """The path's kind, known before the body is read: an unknown kind is 404 whatever the body."""
    proceedings.get_kind(kind)
    return kind


@endpoint(router, "POST", "/proceedings/{kind}/replay", Permission.SIGNED_IN, summary="Состояние производства",
          response_model=StateOut, openapi_extra=body(ReplayRequest))
def replay(request: Request, kind: str = Depends(known_kind), data: Any = JSON) -> Any:
    """The input `{office_level, steps}`; the answer is the state: status, term, open deadlines,
    lateness and the refused step, if any (404 for an unknown kind, whatever the body; 422 for bad input)."""
    return proceedings.replay(kind, data, calendar=platform(request).calendar())


def _collection_routes(collection: str) -> None:
    label = stored.KIND_LABELS[stored.COLLECTIONS[collection]]
    base = f"/{collection}"

    def register(method: str, path: str, summary: str, body: type[BaseModel] | None = None,
                 **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        extra = schemas.body(body) if body is not None else {}
        # Reading needs a signed-in user; changing, one whose role records (never an auditor).
        permission = Permission.SIGNED_IN if method == "GET" else Permission.RECORD
        return endpoint(router, method, base + path, permission, summary=f"{label}: {summary}",
                        openapi_extra=extra, name=f"{collection}_{summary}", **options)

    @register("GET", "", "реестр", response_model=RegisterOut)
    def list_(request: Request, office_id: int | None = None, subtree: bool = False, status: str | None = None,
              overdue: bool = False, basis: str | None = None, assignee_id: int | None = None, q: str = "",
              opened_from: date | None = None, opened_to: date | None = None, due_within: int | None = None,
              act_type: str | None = None, addressee: str | None = None, signer_person_id: int | None = None,
              origin_kind: str | None = None, origin_number: str | None = None,
              sort: str = "opened_on", descending: bool = True, limit: int = 50, offset: int = 0,
              actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
        """The register's filters as on its page: `office_id` (with `subtree`: and the offices below),
        `status`, `overdue`, `basis` (the opening step's), `assignee_id` (checks: a person among the
        current assignees, I.15), `q` (subject text), `opened_from`/`opened_to`, `due_within` (working
        days), `sort` (one of number, office, subject, status, opened_on, last_day, next_due) and
        `descending`; newest first by default. Acts only (issue 9): `act_type`, `addressee` (a part of
        its name), `signer_person_id` (who signed its issue), `origin_kind` (`check`, `evaluation`,
        `analysis`, `direct`, `none`) and `origin_number` (a part of the origin's number)."""
        if addressee is not None and collection != "acts":
            raise InvalidInput.one("addressee", "этот отбор есть только в реестре актов надзора")
        flt = stored.RegisterFilter(office_id=office_id, subtree=subtree, status=status,
                                    subject=(addressee if addressee is not None else q)[:200],
                                    basis=basis, assignee_id=assignee_id, opened_from=opened_from,
                                    opened_to=opened_to, overdue=overdue, due_within=due_within,
                                    act_type=act_type, signer_person_id=signer_person_id, origin_kind=origin_kind,
                                    origin_number=(origin_number or "")[:80], sort=sort,
                                    descending=descending, limit=max(1, min(limit, 500)), offset=max(0, offset))
        return stored.access_proceedings(session, collection, actor=actor, today=today(request), flt=flt,
                                         calendar=platform(request).calendar())

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


@endpoint(router, "POST", "/checks/{proceeding_id}/resolutions", Permission.RECORD,
          summary="Проверка: постановление о проведении ОРМ (п. 19) или о назначении экспертизы (п. 20)",
          openapi_extra=body(check_resolutions.NewResolution), status_code=201, response_model=ResolutionOut)
def record_resolution(proceeding_id: int, request: Request, data: Any = JSON, actor: Actor = Depends(current_actor),
                      session: Session = DB) -> Any:
    """`{type: orm|expertise, date, signer_person_id, number?, supervising_deputy?, fields}`: 409
    `signer_not_allowed` when the signer may not sign it on that date (I.19, I.20), 409
    `check_not_in_progress` outside the check's conduct, 422 keyed by field."""
    return check_resolutions.do_record_resolution(session, proceeding_id, data, actor=actor,
                                                  calendar=platform(request).calendar())
