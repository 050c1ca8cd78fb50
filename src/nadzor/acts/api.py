"""Acts of supervision over HTTP (issue 9), beside the generic `/api/v1/acts` of `api_proceedings`:
the act types (administrator-edited data), control of execution (I.59), the data-bank queue (I.67)
and the I.64 register with its quarter's table (JSON or CSV)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from nadzor.acts import service as acts
from nadzor.acts.schemas import ActTypeOut, DatabankQueueOut, RegisterI64Out, TotalsOut
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import InvalidInput
from nadzor.web import security
from nadzor.web.routing import JSON, endpoint
from nadzor.web.schemas import body
from nadzor.web.security import DB, current_actor

router = APIRouter(prefix="/api/v1")


@endpoint(router, "GET", "/act-types", Permission.SIGNED_IN, summary="Виды актов надзора",
          response_model=list[ActTypeOut])
def act_types(actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """The five types of I.58 with their names, legal source and default response term (empty until
    an administrator fills it)."""
    return acts.access_act_types(session, actor=actor)


@endpoint(router, "GET", "/act-types/{code}", Permission.SIGNED_IN, summary="Вид акта надзора",
          response_model=ActTypeOut)
def act_type(code: str, actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    return acts.access_act_type(session, code, actor=actor)


@endpoint(router, "PUT", "/act-types/{code}", Permission.MANAGE_ORG, summary="Изменить вид акта надзора",
          response_model=ActTypeOut, openapi_extra=body(acts.ActTypeIn))
def update_act_type(code: str, data: Any = JSON, actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Any:
    """`{version, name_ru, name_kk, legal_source, response_term: {days, unit: calendar|working, source} | null}`."""
    return acts.do_update_act_type(session, code, data, actor=actor)


@endpoint(router, "POST", "/act-types", Permission.MANAGE_ORG, summary="Добавить вид акта надзора",
          status_code=201, response_model=ActTypeOut, openapi_extra=body(acts.NewActTypeIn))
def create_act_type(data: Any = JSON, actor: Actor = Depends(current_actor), session: Session = DB) -> Any:
    """`{code, name_ru, name_kk, legal_source, response_term?}`: a type of «other» act (I.58) named more
    precisely; acts of it are drafted as `act_type: other` with `details.act_type: <code>`."""
    return acts.do_create_act_type(session, data, actor=actor)


@endpoint(router, "DELETE", "/act-types/{code}", Permission.MANAGE_ORG, summary="Удалить вид акта надзора",
          status_code=204, response_class=Response)
def delete_act_type(code: str, version: int, actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Response:
    """A type the administrator added, while no act is of it (409 `act_type_in_use`, `act_type_builtin`)."""
    acts.do_delete_act_type(session, code, {"version": version}, actor=actor)
    return Response(status_code=204)


@endpoint(router, "GET", "/acts/totals", Permission.SIGNED_IN, summary="Контроль исполнения актов (п. 59)",
          response_model=TotalsOut)
def totals(request: Request, office_id: int | None = None, start: str | None = Query(None, alias="from"),
           end: str | None = Query(None, alias="to"), actor: Actor = Depends(current_actor),
           session: Session = DB) -> Any:
    """Acts issued by type, damage recovered, persons held liable and КоАП 664–665 proceedings for an
    office and its subtree (default: the caller's own) in a period (default: this year so far)."""
    return acts.access_totals(session, actor=actor, today=security.today(request), office_id=office_id,
                              start=start, end=end)


@endpoint(router, "GET", "/databank-queue", Permission.SIGNED_IN, summary="Очередь Банка данных (п. 67)",
          response_model=DatabankQueueOut)
def databank_queue(request: Request, office_id: int | None = None, actor: Actor = Depends(current_actor),
                   session: Session = DB) -> Any:
    """Every open data-bank entry (acts, analyses) in scope: due day, overdue, days left."""
    return acts.access_databank_queue(session, actor=actor, today=security.today(request), office_id=office_id)


@endpoint(router, "GET", "/acts/register-i64", Permission.SIGNED_IN, summary="Учёт актов по п. 64",
          response_model=RegisterI64Out, responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def register_i64(request: Request, office_id: int | None = None, year: int | None = None,
                 quarter: int | None = None, format: str = "json", actor: Actor = Depends(current_actor),
                 session: Session = DB) -> Any:
    """The acts revoked, amended, suspended by the superior or invalidated by a court in the quarter,
    and the quarter's table per territorial office (`format=csv` for a spreadsheet)."""
    if format not in ("json", "csv"):
        raise InvalidInput.one("format", "допустимые значения: json, csv")
    data = acts.access_register_i64(session, actor=actor, today=security.today(request),
                                    calendar=security.platform(request).calendar(), office_id=office_id,
                                    year=year, quarter=quarter)
    if format == "csv":
        name = f"register-i64-{data['year']}-q{data['quarter']}.csv"
        return Response(acts.register_i64_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    return data
